#include "plan/index_selection.h"

#include <algorithm>

#include "catalog/catalog.h"
#include "exec/like.h"

namespace lyt {

namespace {

// An integer column widened to a larger integer type (`int_col = $1` with a BIGINT parameter
// casts the column): equal values stay equal, so the comparison is one on the column itself.
const BoundExpr& Unwiden(const BoundExpr& e) {
  if (e.kind != BoundKind::Cast || !e.type.IsInteger()) return e;
  const BoundExpr& inner = *e.children[0];
  return inner.type.IsInteger() && PhysicalSize(inner.type.id) <= PhysicalSize(e.type.id) ? inner : e;
}

// The value of `e` when it is `column = value` (see CompareColumn), with the column in `table_column`.
const BoundExpr* KeyValue(const BoundExpr& e, const TableEntry& table, const std::vector<idx_t>& column_ids,
                          idx_t& table_column) {
  auto c = CompareColumn(e, table, column_ids);
  if (!c || c->op != CompareOp::Equal) return nullptr;
  table_column = c->table_column;
  return c->value;
}

// What the conjuncts say of one table column: the first `= value`, and the first lower and
// upper bounds.
struct ColumnConditions {
  const BoundExpr* equal = nullptr;
  const BoundExpr* in_list = nullptr;  // an IN (values) conjunct
  const BoundExpr* like = nullptr;     // a LIKE conjunct (PrefixLikeColumn)
  const BoundExpr* lower = nullptr;
  const BoundExpr* upper = nullptr;
  bool lower_inclusive = false, upper_inclusive = false;
};

// The table column of `e` when it is `column IN (values)` (not NOT IN) with a scanned column
// (plain or widened) and values of the compared type that read no column.
std::optional<idx_t> InListColumn(const BoundExpr& e, const TableEntry& table, const std::vector<idx_t>& column_ids) {
  if (e.kind != BoundKind::InList || e.negated) return std::nullopt;
  const BoundExpr& compared = *e.children[0];
  const BoundExpr& column = Unwiden(compared);
  if (column.kind != BoundKind::Column || column.depth != 0 || column.column >= column_ids.size()) return std::nullopt;
  if (column.type.id != table.columns()[column_ids[column.column]].type.id) return std::nullopt;
  for (size_t i = 1; i < e.children.size(); ++i) {
    if (e.children[i]->type.id != compared.type.id || !e.children[i]->IsFoldable()) return std::nullopt;
  }
  return column_ids[column.column];
}

// The table column of `e` when it is `column LIKE pattern` (not NOT LIKE, not ILIKE) with a
// scanned VARCHAR column and a pattern reading no column, unless the pattern is a constant
// without a fixed prefix (its range would be every value; a parameter is tried when it runs).
std::optional<idx_t> PrefixLikeColumn(const BoundExpr& e, const TableEntry& table, const std::vector<idx_t>& column_ids) {
  if (e.kind != BoundKind::Like || e.negated || e.case_insensitive) return std::nullopt;
  const BoundExpr& column = *e.children[0];
  const BoundExpr& pattern = *e.children[1];
  if (column.kind != BoundKind::Column || column.depth != 0 || column.column >= column_ids.size()) return std::nullopt;
  if (table.columns()[column_ids[column.column]].type.id != TypeId::Varchar || !pattern.IsFoldable()) return std::nullopt;
  if (pattern.kind == BoundKind::Constant) {
    if (pattern.value.is_null()) return std::nullopt;
    auto prefix = LikePrefix(pattern.value.AsString(), e.escape);
    if (!prefix || prefix->empty()) return std::nullopt;
  }
  return column_ids[column.column];
}

// What the conjuncts in `filters` say of each table column.
std::vector<ColumnConditions> ConditionsOf(const std::vector<BoundExprPtr>& filters, const TableEntry& table,
                                           const std::vector<idx_t>& column_ids) {
  std::vector<ColumnConditions> conditions(table.columns().size());
  for (const auto& f : filters) {
    if (auto column = InListColumn(*f, table, column_ids)) {
      if (!conditions[*column].in_list) conditions[*column].in_list = f.get();
      continue;
    }
    if (auto column = PrefixLikeColumn(*f, table, column_ids)) {
      if (!conditions[*column].like) conditions[*column].like = f.get();
      continue;
    }
    auto c = CompareColumn(*f, table, column_ids);
    if (!c) continue;
    ColumnConditions& cc = conditions[c->table_column];
    switch (c->op) {
      case CompareOp::Equal:
        if (!cc.equal) cc.equal = c->value;
        break;
      case CompareOp::Greater:
      case CompareOp::GreaterEqual:
        if (!cc.lower) {
          cc.lower = c->value;
          cc.lower_inclusive = c->op == CompareOp::GreaterEqual;
        }
        break;
      case CompareOp::Less:
      case CompareOp::LessEqual:
        if (!cc.upper) {
          cc.upper = c->value;
          cc.upper_inclusive = c->op == CompareOp::LessEqual;
        }
        break;
      default:
        break;
    }
  }
  return conditions;
}

// How many leading columns of `columns` the conditions fix with `=`.
size_t EqualPrefix(const std::vector<idx_t>& columns, const std::vector<ColumnConditions>& conditions) {
  size_t equal = 0;
  while (equal < columns.size() && conditions[columns[equal]].equal) ++equal;
  return equal;
}

// The range of `index` that the conditions give (IndexRange), with `filters` moved into it.
IndexRange BuildRange(const TableIndex& index, const std::vector<ColumnConditions>& conditions, std::vector<BoundExprPtr>& filters) {
  IndexRange range;
  range.index = &index;
  const std::vector<idx_t>& columns = index.index->columns();
  size_t equal = EqualPrefix(columns, conditions);
  for (size_t i = 0; i < equal; ++i) range.equal.push_back(conditions[columns[i]].equal->Copy());
  if (equal < columns.size()) {
    const ColumnConditions& next = conditions[columns[equal]];
    if (next.in_list) {
      for (size_t i = 1; i < next.in_list->children.size(); ++i) range.in_values.push_back(next.in_list->children[i]->Copy());
    } else if (next.like && !next.lower && !next.upper) {
      range.like_pattern = next.like->children[1]->Copy();
      range.like_escape = next.like->escape;
    } else {
      if (next.lower) {
        range.lower = next.lower->Copy();
        range.lower_inclusive = next.lower_inclusive;
      }
      if (next.upper) {
        range.upper = next.upper->Copy();
        range.upper_inclusive = next.upper_inclusive;
      }
    }
  }
  range.filters = std::move(filters);
  filters.clear();
  return range;
}

}  // namespace

std::optional<ColumnComparison> CompareColumn(const BoundExpr& e, const TableEntry& table, const std::vector<idx_t>& column_ids) {
  if (e.kind != BoundKind::Compare || e.compare == CompareOp::NotEqual) return std::nullopt;
  for (int side = 0; side < 2; ++side) {
    const BoundExpr& compared = *e.children[side];
    const BoundExpr& column = Unwiden(compared);
    const BoundExpr& value = *e.children[1 - side];
    if (column.kind != BoundKind::Column || column.depth != 0 || column.column >= column_ids.size()) continue;
    TypeId type = table.columns()[column_ids[column.column]].type.id;
    if (column.type.id != type || value.type.id != compared.type.id || !value.IsFoldable()) continue;
    return ColumnComparison{column_ids[column.column], side == 0 ? e.compare : FlipCompare(e.compare), &value};
  }
  return std::nullopt;
}

std::optional<KeyLookup> MatchKeyLookup(const TableEntry& table, const std::vector<idx_t>& column_ids,
                                        std::vector<BoundExprPtr>& filters) {
  if (table.constraints().empty() || filters.empty()) return std::nullopt;
  // Per table column, the first conjunct fixing it and its value.
  constexpr size_t kNone = ~size_t(0);
  struct Fixed {
    size_t conjunct = kNone;
    const BoundExpr* value = nullptr;
  };
  std::vector<Fixed> fixed(table.columns().size());
  for (size_t i = 0; i < filters.size(); ++i) {
    idx_t c = 0;
    const BoundExpr* v = KeyValue(*filters[i], table, column_ids, c);
    if (v && fixed[c].conjunct == kNone) fixed[c] = {i, v};
  }
  const UniqueConstraint* best = nullptr;
  for (const auto& uc : table.constraints()) {
    bool covered = true;
    for (idx_t c : uc.index->columns()) covered = covered && fixed[c].conjunct != kNone;
    if (covered && (!best || uc.index->columns().size() < best->index->columns().size())) best = &uc;
  }
  if (!best) return std::nullopt;
  const std::vector<idx_t>& key_columns = best->index->columns();
  auto is_key = [&](size_t conjunct) {
    return std::any_of(key_columns.begin(), key_columns.end(), [&](idx_t c) { return fixed[c].conjunct == conjunct; });
  };
  KeyLookup lookup;
  lookup.constraint = best;
  lookup.values.reserve(key_columns.size());
  lookup.keys.reserve(key_columns.size());
  for (idx_t c : key_columns) lookup.values.push_back(fixed[c].value->Copy());
  for (size_t i = 0; i < filters.size(); ++i) (is_key(i) ? lookup.keys : lookup.residual).push_back(std::move(filters[i]));
  filters.clear();
  return lookup;
}

std::optional<IndexRange> MatchIndexRange(const TableEntry& table, const std::vector<idx_t>& column_ids,
                                          std::vector<BoundExprPtr>& filters) {
  if (table.ordered_indexes().empty() || filters.empty()) return std::nullopt;
  std::vector<ColumnConditions> conditions = ConditionsOf(filters, table, column_ids);
  const TableIndex* best = nullptr;
  size_t best_score = 0;
  for (const auto& ti : table.ordered_indexes()) {
    const std::vector<idx_t>& columns = ti.index->columns();
    size_t equal = EqualPrefix(columns, conditions);
    bool bounded = false;
    if (equal < columns.size()) {
      const ColumnConditions& next = conditions[columns[equal]];
      bounded = next.in_list || next.like || next.lower || next.upper;
    }
    size_t score = 2 * equal + (bounded ? 1 : 0);
    if (score > best_score) best = &ti, best_score = score;
  }
  if (!best) return std::nullopt;
  return BuildRange(*best, conditions, filters);
}

IndexRange MatchIndexRangeOn(const TableIndex& index, const TableEntry& table, const std::vector<idx_t>& column_ids,
                             std::vector<BoundExprPtr>& filters) {
  return BuildRange(index, ConditionsOf(filters, table, column_ids), filters);
}

}  // namespace lyt
