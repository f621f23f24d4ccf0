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
    bool na = va.IsNull(ra), nb = vb.IsNull(rb);
    if (na || nb) {
      if (na == nb) continue;
      return na == k.nulls_first ? -1 : 1;
    }
    int c = CompareValues(va, ra, vb, rb);
    if (c != 0) return k.descending ? -c : c;
  }
  return 0;
}

}  // namespace lyt
