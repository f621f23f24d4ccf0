// Decorrelation of subqueries into joins (see decorrelate.h for the shapes). A subquery's outer
// references are Column nodes with depth 1, whose positions are columns of the input of the
// operator evaluating the subquery. That input becomes the join's left side, so an outer
// reference turns into a depth-0 column at the same position and an inner column moves right by
// the left side's width.
#include "plan/decorrelate.h"

#include <functional>
#include <optional>

namespace lyt {

namespace {

// What an expression reads: its own query's columns (inner), the enclosing query's (outer), or
// something a join condition cannot hold (deeper columns, subqueries, aggregate references,
// volatile functions).
struct Reach {
  bool inner = false;
  bool outer = false;
  bool other = false;
};

void Collect(const BoundExpr& e, Reach& r) {
  if (e.kind == BoundKind::Subquery || e.kind == BoundKind::AggregateRef ||
      (e.kind == BoundKind::Function && e.function && e.function->is_volatile)) {
    r.other = true;
    return;
  }
  if (e.kind == BoundKind::Column) {
    if (e.depth == 0) r.inner = true;
    else if (e.depth == 1) r.outer = true;
    else r.other = true;
  }
  for (const auto& c : e.children) Collect(*c, r);
}

Reach ReachOf(const BoundExpr& e) {
  Reach r;
  Collect(e, r);
  return r;
}

bool InnerOnly(const BoundExpr& e) {
  Reach r = ReachOf(e);
  return !r.outer && !r.other;
}

// Outer columns become left columns; inner columns move past the `left_width` left columns.
BoundExprPtr Lower(const BoundExpr& e, idx_t left_width) {
  BoundExprPtr out = e.Copy();
  std::vector<BoundExpr*> stack{out.get()};
  while (!stack.empty()) {
    BoundExpr* x = stack.back();
    stack.pop_back();
    if (x->kind == BoundKind::Column) {
      if (x->depth == 1) x->depth = 0;
      else x->column += left_width;
    }
    for (auto& c : x->children) stack.push_back(c.get());
  }
  return out;
}

// `e` with each depth-0 column i replaced by a copy of by[i] (by: the expressions of the
// operator below, whose outputs `e` reads).
BoundExprPtr Substitute(const BoundExpr& e, const std::function<BoundExprPtr(const BoundExpr&)>& by) {
  if (e.kind == BoundKind::Column && e.depth == 0) return by(e);
  BoundExprPtr out = e.Copy();
  for (size_t i = 0; i < out->children.size(); ++i) out->children[i] = Substitute(*e.children[i], by);
  return out;
}

BoundExprPtr MakeEqual(BoundExprPtr l, BoundExprPtr r) { return MakeNode(BoundKind::Compare, TypeId::Boolean, std::move(l), std::move(r)); }

// A correlated subquery's plan taken apart. Expressions are copies; `source` is the subquery's
// FROM part, still owned by the subquery plan until Take().
struct Unnested {
  const LogicalOp* aggregate = nullptr;     // ungrouped Aggregate under the select list, if any
  BoundExprPtr select;                      // first select expression (over aggregate or source)
  std::vector<BoundExprPtr> outer_keys;     // depth-1 only: equal to the inner key of the same index
  std::vector<BoundExprPtr> inner_keys;     // over source
  std::vector<BoundExprPtr> residual;       // other correlated conjuncts (inner and outer)
  std::vector<BoundExprPtr> local;          // uncorrelated conjuncts, over source
  LogicalOpPtr* source = nullptr;

  // The subquery's FROM part filtered by its uncorrelated conjuncts.
  LogicalOpPtr Take() {
    LogicalOpPtr plan = std::move(*source);
    if (local.empty()) return plan;
    auto filter = std::make_unique<LogicalOp>(LogicalKind::Filter);
    filter->types = plan->types;
    filter->names = plan->names;
    filter->exprs.push_back(MakeAnd(std::move(local)));
    filter->children.push_back(std::move(plan));
    return filter;
  }
};

// Sorts one conjunct of the subquery's WHERE; false when it cannot be handled.
bool Classify(const BoundExpr& c, Unnested& u) {
  if (!c.ReferencesOuter(1)) {
    u.local.push_back(c.Copy());
    return true;
  }
  Reach r = ReachOf(c);
  if (r.other) return false;
  if (c.kind == BoundKind::Compare && c.compare == CompareOp::Equal) {
    for (int side = 0; side < 2; ++side) {
      const BoundExpr& in = *c.children[side];
      Reach o = ReachOf(*c.children[1 - side]);
      if (InnerOnly(in) && o.outer && !o.inner && !o.other) {
        u.inner_keys.push_back(in.Copy());
        u.outer_keys.push_back(c.children[1 - side]->Copy());
        return true;
      }
    }
  }
  u.residual.push_back(c.Copy());
  return true;
}

// Matches SELECT <exprs> FROM source WHERE <conjuncts> [with an ungrouped aggregate] where only
// the WHERE reads the outer query.
std::optional<Unnested> Unnest(const BoundExpr& subquery) {
  if (!subquery.subplan || !subquery.subplan->correlated || subquery.subplan.use_count() != 1) return std::nullopt;
  LogicalOp* node = subquery.subplan->plan.get();
  if (node->kind != LogicalKind::Projection || node->exprs.empty()) return std::nullopt;
  Unnested u;
  u.select = node->exprs[0]->Copy();
  for (node = node->children[0].get(); node->kind == LogicalKind::Projection; node = node->children[0].get()) {
    const LogicalOp& below = *node;
    u.select = Substitute(*u.select, [&](const BoundExpr& col) { return below.exprs[col.column]->Copy(); });
  }
  if (node->kind == LogicalKind::Aggregate) {
    if (!node->groups.empty()) return std::nullopt;
    for (const auto& a : node->aggregates) {
      for (const BoundExpr* e : {a.arg.get(), a.filter.get(), a.separator.get()}) {
        if (e && e->ReferencesOuter(1)) return std::nullopt;
      }
    }
    u.aggregate = node;
    node = node->children[0].get();
  }
  if (node->kind != LogicalKind::Filter || PlanReferencesOuter(*node->children[0], 1)) return std::nullopt;
  std::vector<BoundExprPtr> conjuncts;
  SplitConjuncts(node->exprs[0]->Copy(), conjuncts);
  for (const auto& c : conjuncts) {
    if (!Classify(*c, u)) return std::nullopt;
  }
  u.source = &node->children[0];
  return u;
}

// Puts a join of op's input with `right` under `op`.
void AddJoin(LogicalOp& op, ast::JoinType type, LogicalOpPtr right, BoundExprPtr condition) {
  auto join = std::make_unique<LogicalOp>(LogicalKind::Join);
  join->join_type = type;
  join->condition = std::move(condition);
  join->types = op.children[0]->types;
  join->names = op.children[0]->names;
  join->names.resize(join->types.size());
  if (type != ast::JoinType::Semi && type != ast::JoinType::Anti) {
    join->types.insert(join->types.end(), right->types.begin(), right->types.end());
    join->names.resize(join->types.size());
  }
  join->children.push_back(std::move(op.children[0]));
  join->children.push_back(std::move(right));
  op.children[0] = std::move(join);
}

// `conjunct` without its NOTs; `negated` tells whether an odd number of them was removed.
const BoundExpr& StripNot(const BoundExpr& conjunct, bool& negated) {
  const BoundExpr* e = &conjunct;
  negated = false;
  for (; e->kind == BoundKind::Not; e = e->children[0].get()) negated = !negated;
  return *e;
}

// The join condition's part for x [NOT] IN (... k ...): x = k, or for NOT IN the residual
// (x = k OR x IS NULL OR k IS NULL). An anti join on it keeps a row only when no k equals x and
// neither x nor any k is NULL, and keeps every row (even x NULL) when there are no k: NOT IN's
// result exactly, as a NULL or false NOT IN drops the row alike.
BoundExprPtr InMatch(const BoundExpr& operand, BoundExprPtr k, bool negated) {
  if (!negated) return MakeEqual(operand.Copy(), std::move(k));
  auto either = std::make_unique<BoundExpr>(BoundKind::Or, TypeId::Boolean);
  either->children.push_back(MakeEqual(operand.Copy(), k->Copy()));
  either->children.push_back(MakeNode(BoundKind::IsNull, TypeId::Boolean, operand.Copy()));
  either->children.push_back(MakeNode(BoundKind::IsNull, TypeId::Boolean, std::move(k)));
  return either;
}

// Whether `e` is x [NOT] IN (subquery) with an uncorrelated subquery.
bool IsUncorrelatedIn(const BoundExpr& e) {
  return e.kind == BoundKind::Subquery && e.subquery_kind == SubqueryKind::In && e.subplan && !e.subplan->correlated;
}

// x [NOT] IN (uncorrelated subquery) as a top-level conjunct of `filter`: a semi (anti) join of
// the filter's input with the subquery's whole plan, which runs once either way. x must read
// the filter's input (a constant x stays a per-row test of the cached subquery result). JoinOp
// hashes on x = k, NOT IN's residual included (a null-aware anti join).
bool RewriteUncorrelatedIn(LogicalOp& filter, const BoundExpr& e, bool negated) {
  if (!IsUncorrelatedIn(e) || e.subplan.use_count() != 1) return false;
  const BoundExpr& operand = *e.children[0];
  Reach o = ReachOf(operand);
  if (!o.inner || o.outer || o.other) return false;
  LogicalOpPtr right = std::move(e.subplan->plan);
  BoundExprPtr k = MakeColumn(filter.children[0]->types.size(), right->types[0], right->names.empty() ? "" : right->names[0]);
  AddJoin(filter, negated ? ast::JoinType::Anti : ast::JoinType::Semi, std::move(right), InMatch(operand, std::move(k), negated));
  return true;
}

// [NOT] EXISTS / [NOT] IN as a top-level conjunct of `filter`: a semi or anti join below it.
bool RewriteSemiJoin(LogicalOp& filter, const BoundExpr& conjunct) {
  bool negated = false;
  const BoundExpr* e = &StripNot(conjunct, negated);
  if (e->kind != BoundKind::Subquery) return false;
  bool in = e->subquery_kind == SubqueryKind::In;
  if (e->subquery_kind != SubqueryKind::Exists && !in) return false;
  negated = negated != e->negated;
  if (IsUncorrelatedIn(*e)) return RewriteUncorrelatedIn(filter, *e, negated);
  auto u = Unnest(*e);
  if (!u) return false;
  idx_t left_width = filter.children[0]->types.size();
  std::vector<BoundExprPtr> parts;
  for (size_t i = 0; i < u->outer_keys.size(); ++i) {
    parts.push_back(MakeEqual(Lower(*u->outer_keys[i], 0), Lower(*u->inner_keys[i], left_width)));
  }
  for (const auto& r : u->residual) parts.push_back(Lower(*r, left_width));
  if (in) {
    const BoundExpr& operand = *e->children[0];
    Reach o = ReachOf(operand);
    if (o.other || o.outer || u->aggregate || !InnerOnly(*u->select)) return false;
    // Per outer row, the group is the rows with equal correlation keys.
    parts.push_back(InMatch(operand, Lower(*u->select, left_width), negated));
  }
  // Without an equality correlation the join would be nested loops: no better than per-row runs.
  if (u->outer_keys.empty() && (!in || negated)) return false;
  AddJoin(filter, negated ? ast::JoinType::Anti : ast::JoinType::Semi, u->Take(), MakeAnd(std::move(parts)));
  return true;
}

// A scalar aggregate subquery read by `op`: a left join with the aggregate grouped by the inner
// keys; returns the expression that replaces the subquery (null when the shape does not match).
BoundExprPtr RewriteScalar(LogicalOp& op, const BoundExpr& subquery) {
  if (subquery.subquery_kind != SubqueryKind::Scalar) return nullptr;
  auto u = Unnest(subquery);
  if (!u || !u->aggregate || u->outer_keys.empty() || !u->residual.empty() || !InnerOnly(*u->select)) return nullptr;
  idx_t left_width = op.children[0]->types.size();
  auto agg = std::make_unique<LogicalOp>(LogicalKind::Aggregate);
  std::vector<BoundExprPtr> parts;
  for (size_t i = 0; i < u->inner_keys.size(); ++i) {
    LogicalType t = u->inner_keys[i]->type;
    parts.push_back(MakeEqual(Lower(*u->outer_keys[i], 0), MakeColumn(left_width + i, t, u->inner_keys[i]->ToString())));
    agg->types.push_back(t);
    agg->groups.push_back(std::move(u->inner_keys[i]));
  }
  idx_t first_aggregate = left_width + agg->groups.size();
  for (const auto& a : u->aggregate->aggregates) {
    agg->types.push_back(a.type);
    agg->aggregates.push_back(a.Copy());
  }
  agg->names.resize(agg->types.size());
  // An outer row without a group reads NULL aggregates, as over no rows, except COUNT's 0.
  const std::vector<AggregateCall>& calls = agg->aggregates;
  BoundExprPtr replacement = Substitute(*u->select, [&](const BoundExpr& col) {
    const AggregateCall& call = calls[col.column];
    BoundExprPtr value = MakeColumn(first_aggregate + col.column, call.type, call.ToString());
    if (call.kind != AggregateKind::Count && call.kind != AggregateKind::CountStar) return value;
    return MakeNode(BoundKind::Coalesce, call.type, std::move(value), MakeConstant(Value::BigInt(0)));
  });
  agg->children.push_back(u->Take());
  AddJoin(op, ast::JoinType::Left, std::move(agg), MakeAnd(std::move(parts)));
  return replacement;
}

bool HasCorrelatedSubquery(const BoundExpr& e) {
  if (e.kind == BoundKind::Subquery) return e.subplan && e.subplan->correlated;
  for (const auto& c : e.children) {
    if (HasCorrelatedSubquery(*c)) return true;
  }
  return false;
}

// Replaces the correlated scalar subqueries in `e` (evaluated by `op`) that match.
void RewriteScalars(BoundExprPtr& e, LogicalOp& op) {
  if (e->kind == BoundKind::Subquery) {
    if (BoundExprPtr replacement = RewriteScalar(op, *e)) e = std::move(replacement);
    return;
  }
  for (auto& c : e->children) RewriteScalars(c, op);
}

// Whether a top-level conjunct of `e` is [NOT] x IN (uncorrelated subquery).
bool HasUncorrelatedIn(const BoundExpr& e) {
  if (e.kind != BoundKind::And) {
    bool negated = false;
    return IsUncorrelatedIn(StripNot(e, negated));
  }
  for (const auto& c : e.children) {
    if (HasUncorrelatedIn(*c)) return true;
  }
  return false;
}

bool HasSubquery(const BoundExpr& e) {
  if (e.kind == BoundKind::Subquery) return true;
  for (const auto& c : e.children) {
    if (HasSubquery(*c)) return true;
  }
  return false;
}

// The conjuncts before the first one with a subquery go into a filter directly over `filter`'s
// input, below the joins the others may become, where they can reach a scan (or its index).
// They were evaluated first anyway (AND tests each term on the rows the earlier ones kept).
void PushLeadingConjuncts(LogicalOp& filter, std::vector<BoundExprPtr>& conjuncts) {
  size_t lead = 0;
  while (lead < conjuncts.size() && !HasSubquery(*conjuncts[lead])) ++lead;
  if (lead == 0 || lead == conjuncts.size()) return;
  auto below = std::make_unique<LogicalOp>(LogicalKind::Filter);
  below->types = filter.children[0]->types;
  below->names = filter.children[0]->names;
  below->exprs.push_back(MakeAnd(std::vector<BoundExprPtr>(std::make_move_iterator(conjuncts.begin()),
                                                           std::make_move_iterator(conjuncts.begin() + lead))));
  below->children.push_back(std::move(filter.children[0]));
  filter.children[0] = std::move(below);
  conjuncts.erase(conjuncts.begin(), conjuncts.begin() + lead);
}

void DecorrelateFilter(LogicalOpPtr& slot) {
  LogicalOp& filter = *slot;
  if (!HasCorrelatedSubquery(*filter.exprs[0]) && !HasUncorrelatedIn(*filter.exprs[0])) return;
  size_t width = filter.types.size();
  std::vector<BoundExprPtr> conjuncts, kept;
  SplitConjuncts(std::move(filter.exprs[0]), conjuncts);
  PushLeadingConjuncts(filter, conjuncts);
  for (auto& c : conjuncts) {
    if (RewriteSemiJoin(filter, *c)) continue;
    RewriteScalars(c, filter);
    kept.push_back(std::move(c));
  }
  if (kept.empty()) {
    LogicalOpPtr child = std::move(filter.children[0]);
    slot = std::move(child);
    return;
  }
  filter.exprs[0] = MakeAnd(std::move(kept));
  filter.types = filter.children[0]->types;
  if (filter.types.size() == width) return;
  // Scalar results were joined in as extra columns: project them away again.
  auto trim = std::make_unique<LogicalOp>(LogicalKind::Projection);
  for (size_t i = 0; i < width; ++i) {
    trim->names.push_back(i < filter.children[0]->names.size() ? filter.children[0]->names[i] : "");
    trim->exprs.push_back(MakeColumn(i, filter.types[i], trim->names.back()));
    trim->types.push_back(filter.types[i]);
  }
  trim->children.push_back(std::move(slot));
  slot = std::move(trim);
}

void DecorrelateTree(LogicalOpPtr& slot) {
  if (slot->kind == LogicalKind::Filter) {
    DecorrelateFilter(slot);
  } else if (slot->kind == LogicalKind::Projection) {
    for (auto& e : slot->exprs) {
      if (HasCorrelatedSubquery(*e)) RewriteScalars(e, *slot);
    }
  }
  for (auto& c : slot->children) DecorrelateTree(c);
}

}  // namespace

void DecorrelateSubqueries(LogicalOpPtr& plan) { DecorrelateTree(plan); }

}  // namespace lyt
