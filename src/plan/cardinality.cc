// Cardinality estimates. Heuristics, deliberately simple (there are no column statistics):
//   Get          the table's live row count, times 0.25 per pushed-down filter conjunct
//   Filter       the input times 0.25 per conjunct; at most 1 when it fixes a unique key of the
//                table scanned below it (an index lookup, plan/index_selection.h)
//   Aggregate    1 without GROUP BY; else min(input, 1000 + input / 10); DISTINCT likewise
//   Limit        min(input, limit)
//   Join         SEMI / ANTI: the left input; CROSS: the product; others: the larger input
//   Values       its row count; UNION: the sum of its inputs, INTERSECT / EXCEPT: the left input
//   RecursiveCte 10 times its non-recursive term; WorkTable 1000
//   others       their input
#include "plan/cardinality.h"

#include <algorithm>
#include <cmath>

#include "catalog/catalog.h"
#include "plan/index_selection.h"

namespace lyt {

namespace {

constexpr double kConjunctSelectivity = 0.25;

idx_t CountConjuncts(const BoundExpr& e) {
  if (e.kind != BoundKind::And) return 1;
  idx_t n = 0;
  for (const auto& c : e.children) n += CountConjuncts(*c);
  return n;
}

double Filtered(double rows, idx_t conjuncts) { return rows * std::pow(kConjunctSelectivity, conjuncts); }

double Grouped(double input) { return std::min(input, 1000 + input / 10); }

// Whether the filter `op` fixes a unique key of the table scanned directly below it.
bool FixesUniqueKey(const LogicalOp& op) {
  const LogicalOp& get = *op.children[0];
  if (get.kind != LogicalKind::Get || !get.table || get.table->constraints().empty()) return false;
  std::vector<BoundExprPtr> conjuncts;
  SplitConjuncts(op.exprs[0]->Copy(), conjuncts);
  return MatchKeyLookup(*get.table, get.column_ids, conjuncts).has_value();
}

double EstimateJoin(const LogicalOp& op) {
  double left = EstimateRows(*op.children[0]), right = EstimateRows(*op.children[1]);
  switch (op.join_type) {
    case ast::JoinType::Semi:
    case ast::JoinType::Anti: return left;
    case ast::JoinType::Cross: return left * right;
    default: return std::max(left, right);
  }
}

}  // namespace

double EstimateRows(const LogicalOp& op) {
  switch (op.kind) {
    case LogicalKind::Get: {
      double rows = op.table ? static_cast<double>(op.table->storage().live_rows()) : 0;
      return Filtered(rows, op.filters.size());
    }
    case LogicalKind::Filter: {
      double rows = Filtered(EstimateRows(*op.children[0]), CountConjuncts(*op.exprs[0]));
      return FixesUniqueKey(op) ? std::min(rows, 1.0) : rows;
    }
    case LogicalKind::Aggregate: return op.groups.empty() ? 1 : Grouped(EstimateRows(*op.children[0]));
    case LogicalKind::Distinct: return Grouped(EstimateRows(*op.children[0]));
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
    case LogicalKind::Projection:
    case LogicalKind::Order:
    case LogicalKind::Window: return EstimateRows(*op.children[0]);
  }
  return 0;
}

}  // namespace lyt
