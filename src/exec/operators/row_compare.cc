#include "exec/operators/row_compare.h"

#include "exec/expr_internal.h"

namespace lyt {

int CompareRows(const Batches& batches, const std::vector<OrderKey>& keys, RowId a, RowId b) {
  const DataChunk& ca = *batches[RowBatch(a)];
  const DataChunk& cb = *batches[RowBatch(b)];
  idx_t ra = RowIndex(a), rb = RowIndex(b);
  for (const OrderKey& k : keys) {
    const Vector& va = ca.column(k.column);
    const Vector& vb = cb.column(k.column);
    int c = CompareSortKey(va, ra, vb, rb, k.descending, k.nulls_first);
    if (c != 0) return c;
  }
  return 0;
}

void GatherRows(const Batches& batches, const RowId* ids, idx_t n, DataChunk& out, idx_t first_column) {
  sel_t sel[kVectorSize];
  for (idx_t done = 0; done < n;) {
    uint64_t batch = RowBatch(ids[done]);
    idx_t run = 0;
    while (done + run < n && RowBatch(ids[done + run]) == batch) {
      sel[run] = RowIndex(ids[done + run]);
      ++run;
    }
    const DataChunk& source = *batches[batch];
    for (idx_t c = 0; c < source.ColumnCount(); ++c) out.column(first_column + c).CopyFrom(source.column(c), sel, run, done);
    done += run;
  }
}

}  // namespace lyt
