// Point lookups through unique indexes: recognizing a table scan whose filters pin down one row
// by a PRIMARY KEY or UNIQUE constraint, so the physical planner can probe the constraint's hash
// index instead of scanning (exec/operators IndexLookupOp).
#pragma once

#include <optional>
#include <vector>

#include "plan/bound_expr.h"

namespace lyt {

class TableEntry;
struct TableIndex;
struct UniqueConstraint;

// A comparison of a scanned table column with a value reading no column, put as `column op value`
// (never `<>`).
struct ColumnComparison {
  idx_t table_column = 0;
  CompareOp op = CompareOp::Equal;
  const BoundExpr* value = nullptr;
};

// When `e` compares a scanned column (plain, or an integer column widened to a larger integer
// type) with a value of the compared type that reads no column, either way round. Other
// comparisons (`int_col = 1.5` compares as NUMERIC) do not qualify: the value must be of the
// column's kind, as stored.
std::optional<ColumnComparison> CompareColumn(const BoundExpr& e, const TableEntry& table, const std::vector<idx_t>& column_ids);

// A scan narrowed to the rows of one key.
struct KeyLookup {
  const UniqueConstraint* constraint = nullptr;
  // Per column of the constraint, in its order: an expression reading no column (constants,
  // parameters, casts of them), of exactly the column's type (so the key encodes as stored), or
  // for an integer column of a wider integer type (a value out of the column's range matches
  // nothing).
  std::vector<BoundExprPtr> values;
  std::vector<BoundExprPtr> keys;      // the `column = value` conjuncts the values came from
  std::vector<BoundExprPtr> residual;  // the other filter conjuncts, in their order
};

// When `filters` (conjuncts over the scanned columns; scanned column i is table column
// column_ids[i]) include `column = value` for every column of one of the table's unique
// constraints, moves those conjuncts out of `filters` into the result's `keys` (the rest into
// its `residual`). The constraint with the fewest columns wins (the first declared among equals).
// Returns nullopt, leaving `filters` untouched, when no constraint is covered.
std::optional<KeyLookup> MatchKeyLookup(const TableEntry& table, const std::vector<idx_t>& column_ids,
                                        std::vector<BoundExprPtr>& filters);

// A scan narrowed to key ranges of an ordered index (CREATE INDEX): `column = value` for its
// first equal.size() columns, then on the next one either `IN (values)` (one range per value),
// `LIKE pattern` (the range of the pattern's fixed prefix) or optionally bounds. Values are
// expressions reading no column, of the compared column's type (or, for an integer column, any
// integer type: all encode alike).
struct IndexRange {
  const TableIndex* index = nullptr;
  std::vector<BoundExprPtr> equal;
  std::vector<BoundExprPtr> in_values;  // not empty: the next column is one of these
  BoundExprPtr lower, upper;  // null: unbounded on that side (unused with in_values)
  bool lower_inclusive = false, upper_inclusive = false;
  // Not null (and no in_values or bounds): the next column, VARCHAR, is LIKE this pattern with
  // ESCAPE byte like_escape (-1: none), case-sensitively.
  BoundExprPtr like_pattern;
  int like_escape = -1;
  // The next column's NULL keys are left out (MIN / MAX read the first non-NULL key).
  bool not_null = false;
  std::vector<BoundExprPtr> filters;  // all the scan's conjuncts, checked again on every row found
};

// The ordered index whose leading columns the conjuncts in `filters` fix with `=` the most,
// counting an IN list, a LIKE pattern with a fixed prefix or a range bound on the next column as
// half a column; nullopt when no index has its first column fixed or bounded. Moves `filters`
// into the result's `filters` when it returns one.
std::optional<IndexRange> MatchIndexRange(const TableEntry& table, const std::vector<idx_t>& column_ids,
                                          std::vector<BoundExprPtr>& filters);

// The range of `index` that the conjuncts in `filters` give as MatchIndexRange builds it, or the
// whole index when they fix or bound none of its leading columns. Moves `filters` into the
// result's `filters`.
IndexRange MatchIndexRangeOn(const TableIndex& index, const TableEntry& table, const std::vector<idx_t>& column_ids,
                             std::vector<BoundExprPtr>& filters);

}  // namespace lyt
