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

}  // namespace lyt
