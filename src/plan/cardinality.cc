// Cardinality estimates. With planner statistics (plan/statistics.h, after ANALYZE) conditions
// get selectivities from them (plan/selectivity.h); without, or where they do not apply,
// deliberately simple heuristics:
//   Get          the table's live row count, times the selectivity of each pushed-down filter
//                (0.25 per conjunct without statistics)
//   Filter       the input times the selectivity of its condition (0.25 per conjunct without
//                statistics); at most 1 when it fixes a unique key of the table scanned below it
//                (an index lookup, plan/index_selection.h)
//   Aggregate    1 without GROUP BY; with statistics for every grouped column the product of
//                their distinct counts, at most the input; else min(input, 1000 + input / 10);
//                DISTINCT likewise over all its columns
//   Limit        min(input, limit)
//   Join         SEMI / ANTI: the left input; CROSS: the product; INNER: left * right times the
//                condition's selectivity when an equality has statistics (JoinSelectivity: an
//                equi-join keeps |L| * |R| / max(distinct L, distinct R)), else the larger input;
//                LEFT / RIGHT / FULL: at least the input(s) they keep whole
//   Values       its row count; UNION: the sum of its inputs, INTERSECT / EXCEPT: the left input
//   RecursiveCte 10 times its non-recursive term; WorkTable 1000
//   Series       generate_series's length (time steps: 1000)
//   others       their input
#include "plan/cardinality.h"

#include <algorithm>
#include <cmath>

#include "catalog/catalog.h"
#include "plan/index_selection.h"
#include "plan/selectivity.h"

namespace lyt {

namespace {

// Rows of `input` (`rows` of them) that pass `condition`.
double Filtered(double rows, const BoundExpr& condition, const LogicalOp& input) {
  return rows * Selectivity(condition, input, rows).value_or(kConjunctSelectivity);
}

// The heuristic number of groups of `rows` rows.
double GroupedHeuristic(double rows) { return std::min(rows, 1000 + rows / 10); }

// Groups of `input` (`rows` rows) by its columns `columns`.
double Grouped(double rows, const LogicalOp& input, const std::vector<idx_t>& columns) {
  double product = 1;
  for (idx_t c : columns) {
    auto distinct = DistinctValues(input, c, rows);
    if (!distinct) return GroupedHeuristic(rows);
    product = std::min(product * *distinct, rows);
  }
  return std::min(product, rows);
}

// The input columns an aggregation groups by, or nullopt when a group is not a plain column.
std::optional<std::vector<idx_t>> GroupColumns(const LogicalOp& op) {
  std::vector<idx_t> columns;
  for (const auto& g : op.groups) {
    if (g->kind != BoundKind::Column || g->depth != 0) return std::nullopt;
    columns.push_back(g->column);
  }
  return columns;
}

double EstimateAggregate(const LogicalOp& op) {
  if (op.groups.empty()) return 1;
  double input = EstimateRows(*op.children[0]);
  auto columns = GroupColumns(op);
  if (!columns) return GroupedHeuristic(input);
  return Grouped(input, *op.children[0], *columns);
}

double EstimateDistinct(const LogicalOp& op) {
  std::vector<idx_t> columns(op.children[0]->types.size());
  for (idx_t c = 0; c < columns.size(); ++c) columns[c] = c;
  return Grouped(EstimateRows(*op.children[0]), *op.children[0], columns);
}

// Whether the filter `op` fixes a unique key of the table scanned directly below it.
bool FixesUniqueKey(const LogicalOp& op) {
  const LogicalOp& get = *op.children[0];
  if (get.kind != LogicalKind::Get || !get.table || get.table->constraints().empty()) return false;
  std::vector<BoundExprPtr> conjuncts;
  SplitConjuncts(op.exprs[0]->Copy(), conjuncts);
  return MatchKeyLookup(*get.table, get.column_ids, conjuncts).has_value();
}

// generate_series: its length for numeric steps, a guess for time steps.
double EstimateSeries(const LogicalOp& op) {
  const Value& start = op.series[0];
  const Value& stop = op.series[1];
  const Value& step = op.series[2];
  if (start.is_null() || stop.is_null() || step.is_null()) return 0;
  if (op.types[0].id == TypeId::Timestamp) return 1000;
  auto number = [](const Value& v) { return v.type().id == TypeId::Double ? v.AsDouble() : static_cast<double>(v.AsInt64()); };
  double rows = std::floor((number(stop) - number(start)) / number(step)) + 1;
  return rows > 0 ? rows : 0;
}

double EstimateJoin(const LogicalOp& op) {
  double left = EstimateRows(*op.children[0]), right = EstimateRows(*op.children[1]);
  switch (op.join_type) {
    case ast::JoinType::Semi:
    case ast::JoinType::Anti: return left;
    case ast::JoinType::Cross: return left * right;
    default: break;
  }
  std::optional<double> selectivity = JoinSelectivity(op, left, right);
  if (!selectivity) return std::max(left, right);
  double inner = left * right * *selectivity;
  switch (op.join_type) {
    case ast::JoinType::Left: return std::max(inner, left);
    case ast::JoinType::Right: return std::max(inner, right);
    case ast::JoinType::Full: return std::max({inner, left, right});
    default: return inner;
  }
}

}  // namespace

double EstimateRows(const LogicalOp& op) {
  switch (op.kind) {
    case LogicalKind::Get: {
      double base = op.table ? static_cast<double>(op.table->storage().live_rows()) : 0, rows = base;
      for (const auto& f : op.filters) rows *= Selectivity(*f, op, base).value_or(kConjunctSelectivity);
      return rows;
    }
    case LogicalKind::Filter: {
      double rows = Filtered(EstimateRows(*op.children[0]), *op.exprs[0], *op.children[0]);
      return FixesUniqueKey(op) ? std::min(rows, 1.0) : rows;
    }
    case LogicalKind::Aggregate: return EstimateAggregate(op);
    case LogicalKind::Distinct: return EstimateDistinct(op);
    case LogicalKind::Limit: {
      double input = EstimateRows(*op.children[0]);
      return op.limit >= 0 ? std::min(input, static_cast<double>(op.limit)) : input;
    }
    case LogicalKind::Join: return EstimateJoin(op);
    case LogicalKind::Values: return static_cast<double>(op.rows.size());
    case LogicalKind::SetOp: {
      double left = EstimateRows(*op.children[0]);
      return op.set_op == ast::SetOpType::Union ? left + EstimateRows(*op.children[1]) : left;
    }
    case LogicalKind::RecursiveCte: return 10 * EstimateRows(*op.children[0]);
    case LogicalKind::WorkTable: return 1000;
    case LogicalKind::Series: return EstimateSeries(op);
    case LogicalKind::Projection:
    case LogicalKind::Order:
    case LogicalKind::Window: return EstimateRows(*op.children[0]);
  }
  return 0;
}

}  // namespace lyt
