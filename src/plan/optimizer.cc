// Column pruning: each operator tells its child which of the child's output columns it reads;
// table scans drop the others, and every operator above remaps its column positions. Operators
// whose expressions hold subqueries keep all their input columns (a correlated subquery may read
// any of them by position).
#include "plan/optimizer.h"

#include <algorithm>

#include "plan/decorrelate.h"
#include "plan/filter_pushdown.h"
#include "plan/join_order.h"

namespace lyt {

namespace {

constexpr idx_t kDropped = ~idx_t(0);

// Where each output column of a pruned operator went: old position -> new position or kDropped.
// `to` is empty when no column moved (most operators), which needs no vector.
struct Mapping {
  std::vector<idx_t> to;
  idx_t operator[](idx_t i) const { return to.empty() ? i : to[i]; }
};

// Calls `fn` on every expression (tree root) of the operator itself, not of its children.
template <class Fn>
void ForEachPlanExpr(LogicalOp& op, Fn&& fn) {
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

// Optimizes the plan of every subquery in `e` (each plan once); returns whether there is any.
bool OptimizeSubqueries(BoundExpr& e) {
  bool any = e.kind == BoundKind::Subquery;
  if (any && e.subplan && !e.subplan->optimized) {
    e.subplan->optimized = true;
    OptimizePlan(e.subplan->plan);
  }
  for (auto& c : e.children) any |= OptimizeSubqueries(*c);
  return any;
}

// OptimizeSubqueries over the operator's own expressions.
bool OptimizeSubqueries(LogicalOp& op) {
  bool any = false;
  ForEachPlanExpr(op, [&](BoundExprPtr& e) { any |= OptimizeSubqueries(*e); });
  return any;
}

void Remap(BoundExpr& e, const Mapping& m) {
  if (e.kind == BoundKind::Column && e.depth == 0) e.column = m[e.column];
  for (auto& c : e.children) Remap(*c, m);
}

void RemapPlanExprs(LogicalOp& op, const Mapping& m) {
  if (m.to.empty()) return;
  ForEachPlanExpr(op, [&](BoundExprPtr& e) { Remap(*e, m); });
}

std::vector<idx_t> Iota(size_t n) {
  std::vector<idx_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

// A table scan reads only the required columns (at least one, so batches still carry row
// counts: count(*) reads nothing).
Mapping PruneGet(LogicalOp& op, const std::vector<bool>& required) {
  size_t width = op.types.size();
  bool all = std::find(required.begin(), required.end(), false) == required.end();
  if (op.emit_row_ids || !op.filters.empty() || all) return {};
  Mapping m{std::vector<idx_t>(width, kDropped)};
  std::vector<idx_t> ids;
  std::vector<LogicalType> types;
  std::vector<std::string> names;
  ids.reserve(width);
  types.reserve(width);
  names.reserve(width);
  auto keep = [&](size_t i) {
    m.to[i] = ids.size();
    ids.push_back(op.column_ids[i]);
    types.push_back(op.types[i]);
    if (i < op.names.size()) names.push_back(std::move(op.names[i]));
  };
  for (size_t i = 0; i < width; ++i) {
    if (required[i]) keep(i);
  }
  if (ids.empty()) keep(0);
  op.column_ids = std::move(ids);
  op.types = std::move(types);
  op.names = std::move(names);
  return m;
}

// Prunes below `op`, given which of its outputs are needed; returns how its outputs moved.
Mapping Prune(LogicalOp& op, const std::vector<bool>& required) {
  bool keep_all_input = OptimizeSubqueries(op);
  size_t child_width = op.children.empty() ? 0 : op.children[0]->types.size();
  switch (op.kind) {
    case LogicalKind::Get: return PruneGet(op, required);
    case LogicalKind::Filter:
    case LogicalKind::Order:
    case LogicalKind::Limit: {
      std::vector<bool> need = required;
      need.resize(child_width, false);
      if (keep_all_input) need.assign(child_width, true);
      for (auto& e : op.exprs) MarkColumns(*e, need);
      for (const auto& k : op.order) need[k.column] = true;
      Mapping m = Prune(*op.children[0], need);
      RemapPlanExprs(op, m);
      for (auto& k : op.order) k.column = m[k.column];
      op.types = op.children[0]->types;
      if (op.names.size() != op.types.size()) op.names = op.children[0]->names;
      return m;
    }
    case LogicalKind::Projection:
    case LogicalKind::Aggregate: {
      std::vector<bool> need(child_width, keep_all_input);
      ForEachPlanExpr(op, [&](BoundExprPtr& e) { MarkColumns(*e, need); });
      RemapPlanExprs(op, Prune(*op.children[0], need));
      return {};
    }
    case LogicalKind::Join: {
      // Prunes in the space of left ++ right columns, then keeps only the outputs needed above.
      size_t lw = op.children[0]->types.size(), rw = op.children[1]->types.size();
      std::vector<idx_t> output = op.join_output;
      if (output.empty()) output = Iota(op.types.size());
      std::vector<bool> need(lw + rw, keep_all_input);
      for (size_t i = 0; i < output.size(); ++i) need[output[i]] = need[output[i]] || required[i];
      if (op.condition) MarkColumns(*op.condition, need);
      Mapping ml = Prune(*op.children[0], std::vector<bool>(need.begin(), need.begin() + lw));
      Mapping mr = Prune(*op.children[1], std::vector<bool>(need.begin() + lw, need.end()));
      size_t new_lw = op.children[0]->types.size();
      Mapping pair{std::vector<idx_t>(lw + rw, kDropped)};
      for (size_t i = 0; i < lw; ++i) pair.to[i] = ml[i];
      for (size_t i = 0; i < rw; ++i) pair.to[lw + i] = mr[i] == kDropped ? kDropped : new_lw + mr[i];
      if (op.condition) Remap(*op.condition, pair);
      std::vector<LogicalType> pair_types = op.children[0]->types;
      pair_types.insert(pair_types.end(), op.children[1]->types.begin(), op.children[1]->types.end());
      Mapping m{std::vector<idx_t>(output.size(), kDropped)};
      std::vector<idx_t> kept;
      std::vector<LogicalType> types;
      std::vector<std::string> names;
      for (size_t i = 0; i < output.size(); ++i) {
        if (!required[i] && !keep_all_input) continue;
        m.to[i] = kept.size();
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
      RemapPlanExprs(op, m);
      const LogicalOp& child = *op.children[0];
      if (!m.to.empty()) {
        m.to.resize(op.types.size());
        for (size_t w = 0; w < op.windows.size(); ++w) m.to[child_width + w] = child.types.size() + w;
      }
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
    case LogicalKind::Series:
      for (auto& c : op.children) Prune(*c, std::vector<bool>(c->types.size(), true));
      return {};
  }
  return {};
}

}  // namespace

void OptimizePlan(LogicalOpPtr& plan) {
  DecorrelateSubqueries(plan);
  PushDownFilters(plan);
  ReorderJoins(plan);
  Prune(*plan, std::vector<bool>(plan->types.size(), true));
}

}  // namespace lyt
