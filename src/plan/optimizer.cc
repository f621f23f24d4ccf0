// Column pruning: each operator tells its child which of the child's output columns it reads;
// table scans drop the others, and every operator above remaps its column positions. Operators
// whose expressions hold subqueries keep all their input columns (a correlated subquery may read
// any of them by position).
#include "plan/optimizer.h"

#include <functional>

#include "plan/decorrelate.h"
#include "plan/filter_pushdown.h"
#include "plan/join_order.h"

namespace lyt {

namespace {

constexpr idx_t kDropped = ~idx_t(0);
using Mapping = std::vector<idx_t>;  // old output position -> new position or kDropped

void ForEachPlanExpr(LogicalOp& op, const std::function<void(BoundExprPtr&)>& fn) {
  for (auto& e : op.filters) fn(e);
  for (auto& e : op.exprs) fn(e);
  for (auto& e : op.groups) fn(e);
  for (auto& row : op.rows) {
    for (auto& e : row) fn(e);
  }
  for (auto& a : op.aggregates) {
    if (a.arg) fn(a.arg);
    if (a.filter) fn(a.filter);
    if (a.separator) fn(a.separator);
    for (auto& o : a.order_by) fn(o.expr);
  }
  if (op.condition) fn(op.condition);
  for (auto& w : op.windows) w.ForEachExpr(fn);
}

bool HasSubquery(const BoundExpr& e) {
  if (e.kind == BoundKind::Subquery) return true;
  for (const auto& c : e.children) {
    if (HasSubquery(*c)) return true;
  }
  return false;
}

bool NodeHasSubquery(LogicalOp& op) {
  bool any = false;
  ForEachPlanExpr(op, [&](BoundExprPtr& e) { any |= HasSubquery(*e); });
  return any;
}

void Remap(BoundExpr& e, const Mapping& m) {
  if (e.kind == BoundKind::Column && e.depth == 0) e.column = m[e.column];
  for (auto& c : e.children) Remap(*c, m);
}

Mapping Identity(size_t n) {
  Mapping m(n);
  for (size_t i = 0; i < n; ++i) m[i] = i;
  return m;
}

void OptimizeSubqueries(LogicalOp& op);

// Prunes below `op`, given which of its outputs are needed; returns how its outputs moved.
Mapping Prune(LogicalOp& op, const std::vector<bool>& required) {
  OptimizeSubqueries(op);
  size_t child_width = op.children.empty() ? 0 : op.children[0]->types.size();
  bool keep_all_input = NodeHasSubquery(op);
  switch (op.kind) {
    case LogicalKind::Get: {
      if (op.emit_row_ids || !op.filters.empty()) return Identity(op.types.size());
      Mapping m(op.types.size(), kDropped);
      std::vector<idx_t> ids;
      std::vector<LogicalType> types;
      std::vector<std::string> names;
      for (size_t i = 0; i < op.types.size(); ++i) {
        if (!required[i]) continue;
        m[i] = ids.size();
        ids.push_back(op.column_ids[i]);
        types.push_back(op.types[i]);
        if (i < op.names.size()) names.push_back(op.names[i]);
      }
      if (ids.empty() && !op.types.empty()) {
        // Nothing is read (count(*)): keep one column so batches still carry row counts.
        m[0] = 0;
        ids.push_back(op.column_ids[0]);
        types.push_back(op.types[0]);
        if (!op.names.empty()) names.push_back(op.names[0]);
      }
      op.column_ids = std::move(ids);
      op.types = std::move(types);
      op.names = std::move(names);
      return m;
    }
    case LogicalKind::Filter:
    case LogicalKind::Order:
    case LogicalKind::Limit: {
      std::vector<bool> need = required;
      need.resize(child_width, false);
      if (keep_all_input) need.assign(child_width, true);
      for (auto& e : op.exprs) MarkColumns(*e, need);
      for (const auto& k : op.order) need[k.column] = true;
      Mapping m = Prune(*op.children[0], need);
      for (auto& e : op.exprs) Remap(*e, m);
      for (auto& k : op.order) k.column = m[k.column];
      op.types = op.children[0]->types;
      if (op.names.size() != op.types.size()) op.names = op.children[0]->names;
      return m;
    }
    case LogicalKind::Projection:
    case LogicalKind::Aggregate: {
      std::vector<bool> need(child_width, keep_all_input);
      ForEachPlanExpr(op, [&](BoundExprPtr& e) { MarkColumns(*e, need); });
      Mapping m = Prune(*op.children[0], need);
      ForEachPlanExpr(op, [&](BoundExprPtr& e) { Remap(*e, m); });
      return Identity(op.types.size());
    }
    case LogicalKind::Join: {
      // Prunes in the space of left ++ right columns, then keeps only the outputs needed above.
      size_t lw = op.children[0]->types.size(), rw = op.children[1]->types.size();
      std::vector<idx_t> output = op.join_output;
      if (output.empty()) output = Identity(op.types.size());
      std::vector<bool> need(lw + rw, keep_all_input);
      for (size_t i = 0; i < output.size(); ++i) need[output[i]] = need[output[i]] || required[i];
      if (op.condition) MarkColumns(*op.condition, need);
      Mapping ml = Prune(*op.children[0], std::vector<bool>(need.begin(), need.begin() + lw));
      Mapping mr = Prune(*op.children[1], std::vector<bool>(need.begin() + lw, need.end()));
      size_t new_lw = op.children[0]->types.size();
      Mapping pair(lw + rw, kDropped);
      for (size_t i = 0; i < lw; ++i) pair[i] = ml[i];
      for (size_t i = 0; i < rw; ++i) pair[lw + i] = mr[i] == kDropped ? kDropped : new_lw + mr[i];
      if (op.condition) Remap(*op.condition, pair);
      std::vector<LogicalType> pair_types = op.children[0]->types;
      pair_types.insert(pair_types.end(), op.children[1]->types.begin(), op.children[1]->types.end());
      Mapping m(output.size(), kDropped);
      std::vector<idx_t> kept;
      std::vector<LogicalType> types;
      std::vector<std::string> names;
      for (size_t i = 0; i < output.size(); ++i) {
        if (!required[i] && !keep_all_input) continue;
        m[i] = kept.size();
        kept.push_back(pair[output[i]]);
        types.push_back(pair_types[kept.back()]);
        names.push_back(i < op.names.size() ? op.names[i] : "");
      }
      if (kept.empty() && !pair_types.empty()) {
        // Nothing is read (count(*)): keep one column so batches still carry row counts.
        kept.push_back(0);
        types.push_back(pair_types[0]);
        names.push_back("");
      }
      op.join_output = std::move(kept);
      op.types = std::move(types);
      op.names = std::move(names);
      return m;
    }
    case LogicalKind::Window: {
      // Passes its input through and appends one column per call.
      std::vector<bool> need(required.begin(), required.begin() + static_cast<long>(child_width));
      if (keep_all_input) need.assign(child_width, true);
      ForEachPlanExpr(op, [&](BoundExprPtr& e) { MarkColumns(*e, need); });
      Mapping m = Prune(*op.children[0], need);
      ForEachPlanExpr(op, [&](BoundExprPtr& e) { Remap(*e, m); });
      const LogicalOp& child = *op.children[0];
      m.resize(op.types.size());
      for (size_t w = 0; w < op.windows.size(); ++w) m[child_width + w] = child.types.size() + w;
      std::vector<LogicalType> types = child.types;
      std::vector<std::string> names = child.names;
      names.resize(types.size());
      for (const auto& w : op.windows) {
        types.push_back(w.type);
        names.push_back(w.name);
      }
      op.types = std::move(types);
      op.names = std::move(names);
      return m;
    }
    case LogicalKind::Distinct:
    case LogicalKind::SetOp:
    case LogicalKind::Values:
    case LogicalKind::RecursiveCte:
    case LogicalKind::WorkTable:
      for (auto& c : op.children) Prune(*c, std::vector<bool>(c->types.size(), true));
      return Identity(op.types.size());
  }
  return Identity(op.types.size());
}

void OptimizeSubqueries(LogicalOp& op) {
  ForEachPlanExpr(op, [&](BoundExprPtr& e) {
    std::vector<BoundExpr*> stack{e.get()};
    while (!stack.empty()) {
      BoundExpr* x = stack.back();
      stack.pop_back();
      if (x->kind == BoundKind::Subquery && x->subplan && !x->subplan->optimized) {
        x->subplan->optimized = true;
        OptimizePlan(*x->subplan->plan);
      }
      for (auto& c : x->children) stack.push_back(c.get());
    }
  });
}

}  // namespace

void OptimizePlan(LogicalOp& plan) {
  DecorrelateSubqueries(plan);
  PushDownFilters(plan);
  ReorderJoins(plan);
  Prune(plan, std::vector<bool>(plan.types.size(), true));
}

}  // namespace lyt
