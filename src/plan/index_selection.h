// Point lookups through unique indexes: recognizing a table scan whose filters pin down one row
// by a PRIMARY KEY or UNIQUE constraint, so the physical planner can probe the constraint's hash
// index instead of scanning (exec/operators IndexLookupOp).
#pragma once

#include <optional>
#include <vector>

#include "plan/bound_expr.h"

namespace lyt {

class TableEntry;
struct UniqueConstraint;

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

}  // namespace lyt
