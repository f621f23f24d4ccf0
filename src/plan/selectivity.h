// Selectivities from planner statistics (plan/statistics.h): the fraction of rows a condition
// lets through, and the distinct values of a column, for the estimates of plan/cardinality.h.
// Every function answers nullopt when statistics do not cover the question (no statistics for
// the table, a column computed rather than passed through from a table, an expression that is
// not a comparison of a column with a constant...): the caller then falls back to heuristics.
#pragma once

#include <memory>
#include <optional>

#include "catalog/table_stats.h"
#include "plan/logical_plan.h"

namespace lyt {

// The statistics of the table column that output column `column` of `op` passes through
// unchanged (scans, filters, sorts, join outputs, projected or grouped column references).
struct ColumnOrigin {
  std::shared_ptr<const TableStats> table;
  idx_t column = 0;
  const ColumnStats& stats() const { return table->columns[column]; }
};
std::optional<ColumnOrigin> OriginOf(const LogicalOp& op, idx_t column);

// Distinct non-NULL values of `op`'s output column `column` when `op` yields `rows` rows: the
// table column's count, at most `rows` (and at least 1).
std::optional<double> DistinctValues(const LogicalOp& op, idx_t column, double rows);

// Fraction of `input`'s rows (`input_rows` of them) for which `condition` (over input's output
// columns) is true:
//   col = c: (1 - nulls) / distinct     col <> c: (1 - nulls) (1 - 1 / distinct)
//   col < c (<=, >, >=): (1 - nulls) times the share of [min, max] below (above) c
//   col IS [NOT] NULL: nulls (1 - nulls)  col [NOT] IN (k constants): (1 - nulls) k / distinct
//   col1 = col2: 1 / max(distinct)         AND: the product (heuristic 0.25 for unknown parts)
//   OR: 1 - product of (1 - s)             NOT: 1 - s
// A column may sit under casts between numeric types.
std::optional<double> Selectivity(const BoundExpr& condition, const LogicalOp& input, double input_rows);

// The estimated fraction of left x right pairs a join condition keeps (join.condition over
// left ++ right): the product over its equalities between a left and a right column of
// 1 / max(distinct left, distinct right), times the heuristic 0.25 for each other conjunct;
// nullopt when no equality has statistics on either side.
std::optional<double> JoinSelectivity(const LogicalOp& join, double left_rows, double right_rows);

inline constexpr double kConjunctSelectivity = 0.25;  // the heuristic for a condition without statistics

}  // namespace lyt
