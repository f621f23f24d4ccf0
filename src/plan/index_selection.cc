#include "plan/index_selection.h"

#include "catalog/catalog.h"

namespace lyt {

namespace {

// An integer column widened to a larger integer type (`int_col = $1` with a BIGINT parameter
// casts the column): equal values stay equal, so the comparison is one on the column itself.
const BoundExpr& Unwiden(const BoundExpr& e) {
  if (e.kind != BoundKind::Cast || !e.type.IsInteger()) return e;
  const BoundExpr& inner = *e.children[0];
  return inner.type.IsInteger() && PhysicalSize(inner.type.id) <= PhysicalSize(e.type.id) ? inner : e;
}

// When `e` is `column = value` (either way round) with a scanned column (plain or widened) and a
// value of the compared type that reads no column: the value, with the table column in
// `table_column`. Other comparisons (`int_col = 1.5` compares as NUMERIC) do not qualify: the key
// must encode exactly as the stored values do.
const BoundExpr* KeyValue(const BoundExpr& e, const TableEntry& table, const std::vector<idx_t>& column_ids,
                          idx_t& table_column) {
  if (e.kind != BoundKind::Compare || e.compare != CompareOp::Equal) return nullptr;
  for (int side = 0; side < 2; ++side) {
    const BoundExpr& compared = *e.children[side];
    const BoundExpr& column = Unwiden(compared);
    const BoundExpr& value = *e.children[1 - side];
    if (column.kind != BoundKind::Column || column.depth != 0 || column.column >= column_ids.size()) continue;
    TypeId type = table.columns()[column_ids[column.column]].type.id;
    if (column.type.id != type || value.type.id != compared.type.id || !value.IsFoldable()) continue;
    table_column = column_ids[column.column];
    return &value;
  }
  return nullptr;
}

}  // namespace

std::optional<KeyLookup> MatchKeyLookup(const TableEntry& table, const std::vector<idx_t>& column_ids,
                                        std::vector<BoundExprPtr>& filters) {
  if (table.constraints().empty() || filters.empty()) return std::nullopt;
  // Per table column, the first conjunct fixing it and its value.
  constexpr size_t kNone = ~size_t(0);
  std::vector<size_t> conjunct(table.columns().size(), kNone);
  std::vector<const BoundExpr*> value(table.columns().size(), nullptr);
  for (size_t i = 0; i < filters.size(); ++i) {
    idx_t c = 0;
    const BoundExpr* v = KeyValue(*filters[i], table, column_ids, c);
    if (v && conjunct[c] == kNone) {
      conjunct[c] = i;
      value[c] = v;
    }
  }
  const UniqueConstraint* best = nullptr;
  for (const auto& uc : table.constraints()) {
    bool covered = true;
    for (idx_t c : uc.index->columns()) covered = covered && conjunct[c] != kNone;
    if (covered && (!best || uc.index->columns().size() < best->index->columns().size())) best = &uc;
  }
  if (!best) return std::nullopt;
  KeyLookup lookup;
  lookup.constraint = best;
  std::vector<bool> used(filters.size(), false);
  for (idx_t c : best->index->columns()) {
    lookup.values.push_back(value[c]->Copy());
    used[conjunct[c]] = true;
  }
  for (size_t i = 0; i < filters.size(); ++i) (used[i] ? lookup.keys : lookup.residual).push_back(std::move(filters[i]));
  filters.clear();
  return lookup;
}

}  // namespace lyt
