// Binding of query expressions: SELECT blocks (with grouping, HAVING, ORDER BY, DISTINCT),
// set operations and VALUES.
#include <functional>
#include <set>

#include "common/cast.h"
#include "common/error.h"
#include "plan/binder.h"
#include "plan/coercion.h"

namespace lyt {

namespace {

LogicalOpPtr MakeOp(LogicalKind kind, LogicalOpPtr child = nullptr) {
  auto op = std::make_unique<LogicalOp>(kind);
  if (child) {
    op->types = child->types;
    op->names = child->names;
    op->children.push_back(std::move(child));
  }
  return op;
}

// The column name PostgreSQL gives an unaliased select-list expression.
std::string DefaultName(const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::ColumnRef: return e.As<ast::ColumnRef>().names.back();
    case ast::ExprKind::Function: return e.As<ast::Function>().name;
    case ast::ExprKind::Cast: return DefaultName(*e.As<ast::Cast>().operand);
    case ast::ExprKind::Case: return "case";
    case ast::ExprKind::Exists: return "exists";
    default: return "?column?";
  }
}

std::optional<int64_t> IntegerLiteral(const ast::Expr& e) {
  if (e.kind != ast::ExprKind::Constant) return std::nullopt;
  const Value& v = e.As<ast::Constant>().value;
  if (v.is_null() || !v.type().IsInteger() || e.As<ast::Constant>().is_string_literal) return std::nullopt;
  return v.AsInt64();
}

const std::string* BareName(const ast::Expr& e) {
  if (e.kind != ast::ExprKind::ColumnRef) return nullptr;
  const auto& names = e.As<ast::ColumnRef>().names;
  return names.size() == 1 ? &names[0] : nullptr;
}

// Walks every expression of a plan (not descending into subquery plans).
void ForEachExpr(LogicalOp& op, const std::function<void(BoundExpr&)>& fn) {
  for (auto& e : op.filters) fn(*e);
  for (auto& e : op.exprs) fn(*e);
  for (auto& e : op.groups) fn(*e);
  for (auto& row : op.rows) for (auto& e : row) fn(*e);
  for (auto& a : op.aggregates) {
    if (a.arg) fn(*a.arg);
    if (a.filter) fn(*a.filter);
    for (auto& o : a.order_by) fn(*o.expr);
  }
  if (op.condition) fn(*op.condition);
  for (auto& w : op.windows) w.ForEachExpr([&](BoundExprPtr& e) { fn(*e); });
  for (auto& c : op.children) ForEachExpr(*c, fn);
}

// After grouping, the columns an enclosing query's correlated subqueries read change: they are
// remapped from FROM-clause positions to group positions.
void RemapOuterRefs(BoundExpr& e, int level, const std::function<idx_t(const BoundExpr&)>& map,
                    std::set<const SubqueryPlan*>& done) {
  if (e.kind == BoundKind::Column && e.depth == level) e.column = map(e);
  if (e.kind == BoundKind::Subquery && e.subplan && done.insert(e.subplan.get()).second) {
    ForEachExpr(*e.subplan->plan, [&](BoundExpr& inner) { RemapOuterRefs(inner, level + 1, map, done); });
  }
  for (auto& c : e.children) RemapOuterRefs(*c, level, map, done);
}

[[noreturn]] void ThrowUngrouped(const BoundExpr& column) {
  throw Error(sqlstate::kGroupingError, "column \"" + column.name +
                                            "\" must appear in the GROUP BY clause or be used in an aggregate function");
}

// Rewrites an expression bound over the FROM clause to read the output of the Aggregate node
// (groups first, then aggregates).
BoundExprPtr RewriteForAggregate(BoundExprPtr e, const std::vector<BoundExprPtr>& groups,
                                 std::set<const SubqueryPlan*>& remapped) {
  for (size_t g = 0; g < groups.size(); ++g) {
    if (groups[g]->Equals(*e)) return MakeColumn(g, e->type, e->name);
  }
  if (e->kind == BoundKind::AggregateRef) return MakeColumn(groups.size() + e->column, e->type, e->name);
  if (e->kind == BoundKind::Column && e->depth == 0) ThrowUngrouped(*e);
  if (e->kind == BoundKind::Subquery && e->subplan && remapped.insert(e->subplan.get()).second) {
    std::set<const SubqueryPlan*> done;
    auto map = [&](const BoundExpr& col) -> idx_t {
      for (size_t g = 0; g < groups.size(); ++g) {
        const BoundExpr& grp = *groups[g];
        if (grp.kind == BoundKind::Column && grp.depth == 0 && grp.column == col.column) return g;
      }
      ThrowUngrouped(col);
    };
    ForEachExpr(*e->subplan->plan, [&](BoundExpr& inner) { RemapOuterRefs(inner, 1, map, done); });
  }
  for (auto& c : e->children) c = RewriteForAggregate(std::move(c), groups, remapped);
  return e;
}

// Window references become columns of the Window node: after its input's `width` columns.
void ResolveWindowRefs(BoundExpr& e, idx_t width) {
  if (e.kind == BoundKind::WindowRef) {
    e.kind = BoundKind::Column;
    e.column += width;
    e.depth = 0;
  }
  for (auto& c : e.children) ResolveWindowRefs(*c, width);
}

LogicalOpPtr MakeWindow(LogicalOpPtr child, std::vector<WindowCall> windows) {
  auto op = MakeOp(LogicalKind::Window, std::move(child));
  for (const auto& w : windows) {
    op->types.push_back(w.type);
    op->names.push_back(w.name);
  }
  op->windows = std::move(windows);
  return op;
}

}  // namespace

LogicalOpPtr Binder::BindQuery(const ast::QueryNode& query, const Scope* outer) {
  size_t mark = ctes_.size();
  PushCtes(query, outer);
  std::vector<std::string> names;
  LogicalOpPtr plan;
  try {
    plan = BindQueryBody(query, outer, names);
  } catch (...) {
    ctes_.resize(mark);
    throw;
  }
  ctes_.resize(mark);
  plan->names = std::move(names);
  return plan;
}

LogicalOpPtr Binder::BindQueryBody(const ast::QueryNode& query, const Scope* outer, std::vector<std::string>& names) {
  switch (query.kind) {
    case ast::QueryKind::Select: return BindSelect(query.As<ast::SelectNode>(), outer, names);
    case ast::QueryKind::SetOp:
      return ApplyOrderLimit(query, BindSetOp(query.As<ast::SetOpNode>(), outer, names), names, outer);
    case ast::QueryKind::Values:
      return ApplyOrderLimit(query, BindValues(query.As<ast::ValuesNode>().rows, outer, query.pos, names), names, outer);
  }
  ThrowInternal("unknown query kind");
}

// A LIMIT or OFFSET: constants are evaluated now; an uncorrelated scalar subquery is left in
// `deferred` for the Limit operator to evaluate when the query runs.
void Binder::BindLimitValue(const ast::Expr& expr, bool is_offset, int64_t& value, BoundExprPtr& deferred) {
  const char* what = is_offset ? "OFFSET" : "LIMIT";
  Scope empty;
  auto e = BindExpr(expr, ExprContext{&empty, nullptr, what});
  if (IsUntyped(*e) && e->type.id != TypeId::Null) e = Coerce(std::move(e), TypeId::BigInt);
  if (!e->type.IsInteger() && e->type.id != TypeId::Null) {
    throw Error(sqlstate::kDatatypeMismatch, std::string("argument of ") + what + " must be type bigint", expr.pos);
  }
  if (e->IsFoldable()) {
    value = LimitCount(EvaluateConstant(*e), is_offset, expr.pos);
  } else {
    deferred = Coerce(std::move(e), TypeId::BigInt);
  }
}

LogicalOpPtr Binder::BindLimit(const ast::QueryNode& query, LogicalOpPtr plan) {
  if (!query.limit && !query.offset) return plan;
  auto limit = MakeOp(LogicalKind::Limit, std::move(plan));
  if (query.limit) BindLimitValue(*query.limit, false, limit->limit, limit->limit_expr);
  if (query.offset) BindLimitValue(*query.offset, true, limit->offset, limit->offset_expr);
  return limit;
}

// ORDER BY / LIMIT over a query whose output columns are all there is (set operations, VALUES).
LogicalOpPtr Binder::ApplyOrderLimit(const ast::QueryNode& query, LogicalOpPtr plan, const std::vector<std::string>& names,
                                     const Scope* outer) {
  if (!query.order_by.empty()) {
    Scope scope;
    scope.outer = outer;
    for (size_t i = 0; i < names.size(); ++i) scope.columns.push_back({"", names[i], plan->types[i]});
    auto order = MakeOp(LogicalKind::Order, nullptr);
    std::vector<BoundExprPtr> extra;
    for (const auto& item : query.order_by) {
      OrderKey key;
      key.descending = item.descending;
      key.nulls_first = item.nulls_first.value_or(item.descending);
      if (auto ordinal = IntegerLiteral(*item.expr)) {
        if (*ordinal < 1 || static_cast<size_t>(*ordinal) > names.size()) {
          throw Error(sqlstate::kInvalidColumnReference, "ORDER BY position " + std::to_string(*ordinal) + " is not in select list", item.expr->pos);
        }
        key.column = static_cast<idx_t>(*ordinal - 1);
      } else {
        auto e = BindExpr(*item.expr, ExprContext{&scope, nullptr, "ORDER BY"});
        if (e->kind == BoundKind::Column && e->depth == 0) {
          key.column = e->column;
        } else {
          key.column = names.size() + extra.size();
          extra.push_back(std::move(e));
        }
      }
      order->order.push_back(key);
    }
    if (!extra.empty()) {
      auto proj = MakeOp(LogicalKind::Projection);
      for (size_t i = 0; i < names.size(); ++i) proj->exprs.push_back(MakeColumn(i, plan->types[i], names[i]));
      proj->types = plan->types;
      for (auto& e : extra) {
        proj->types.push_back(e->type);
        proj->exprs.push_back(std::move(e));
      }
      proj->children.push_back(std::move(plan));
      plan = std::move(proj);
    }
    order->types = plan->types;
    order->children.push_back(std::move(plan));
    plan = std::move(order);
    if (!extra.empty()) {
      auto proj = MakeOp(LogicalKind::Projection);
      for (size_t i = 0; i < names.size(); ++i) {
        proj->exprs.push_back(MakeColumn(i, plan->types[i], names[i]));
        proj->types.push_back(plan->types[i]);
      }
      proj->children.push_back(std::move(plan));
      plan = std::move(proj);
    }
  }
  return BindLimit(query, std::move(plan));
}

LogicalOpPtr Binder::BindValues(const std::vector<std::vector<ast::ExprPtr>>& rows, const Scope* outer, int pos,
                                std::vector<std::string>& names) {
  Scope scope;
  scope.outer = outer;
  ExprContext ctx{&scope, nullptr, "VALUES"};
  auto op = MakeOp(LogicalKind::Values);
  size_t width = rows.empty() ? 0 : rows[0].size();
  for (const auto& row : rows) {
    if (row.size() != width) throw Error(sqlstate::kSyntaxError, "VALUES lists must all be the same length", pos);
    std::vector<BoundExprPtr> bound;
    for (const auto& e : row) {
      if (!e) throw Error(sqlstate::kSyntaxError, "DEFAULT is not allowed in this context", pos);
      bound.push_back(BindExpr(*e, ctx));
    }
    op->rows.push_back(std::move(bound));
  }
  for (size_t c = 0; c < width; ++c) {
    std::vector<const BoundExpr*> column;
    for (const auto& row : op->rows) column.push_back(row[c].get());
    LogicalType t = UnifyTypes(column, "VALUES", pos);
    if (t.id == TypeId::Varchar) t = LogicalType(TypeId::Varchar);
    for (auto& row : op->rows) row[c] = Coerce(std::move(row[c]), t);
    op->types.push_back(t);
    names.push_back("column" + std::to_string(c + 1));
  }
  return op;
}

LogicalOpPtr Binder::BindSetOp(const ast::SetOpNode& node, const Scope* outer, std::vector<std::string>& names) {
  // A recursive term may not refer to its query within INTERSECT ALL or EXCEPT [ALL] (right side
  // of EXCEPT), as in PostgreSQL.
  RestoreOnExit restore_context(recursion_context_);
  if (!recursion_context_ && node.all && node.op != ast::SetOpType::Union) {
    recursion_context_ = node.op == ast::SetOpType::Except ? "EXCEPT" : "INTERSECT";
  }
  auto left = BindQuery(*node.left, outer);
  if (!recursion_context_ && node.op == ast::SetOpType::Except) recursion_context_ = "EXCEPT";
  auto right = BindQuery(*node.right, outer);
  if (left->types.size() != right->types.size()) {
    throw Error(sqlstate::kSyntaxError, "each UNION query must have the same number of columns", node.right->pos);
  }
  std::vector<LogicalType> types;
  for (size_t i = 0; i < left->types.size(); ++i) {
    LogicalType t = UnifyTypes(std::vector<LogicalType>{left->types[i], right->types[i]}, "UNION", node.pos);
    if (t.id == TypeId::Null) t = TypeId::Varchar;
    if (t.id == TypeId::Varchar) t = LogicalType(TypeId::Varchar);
    types.push_back(t);
  }
  auto convert = [&](LogicalOpPtr side) {
    if (side->types == types) return side;
    auto proj = MakeOp(LogicalKind::Projection);
    for (size_t i = 0; i < types.size(); ++i) proj->exprs.push_back(Coerce(MakeColumn(i, side->types[i]), types[i]));
    proj->types = types;
    proj->names = side->names;
    proj->children.push_back(std::move(side));
    return proj;
  };
  names = left->names;
  auto op = MakeOp(LogicalKind::SetOp);
  op->set_op = node.op;
  op->set_all = node.all;
  op->types = types;
  op->children.push_back(convert(std::move(left)));
  op->children.push_back(convert(std::move(right)));
  return op;
}

void ExpandStar(const ast::Star& star, const Scope& scope, std::vector<BoundExprPtr>& outputs, std::vector<std::string>& names) {
  bool any = false;
  for (size_t i = 0; i < scope.columns.size(); ++i) {
    if (star.table.empty() ? scope.columns[i].qualified_only : scope.columns[i].table != star.table) continue;
    outputs.push_back(MakeColumn(i, scope.columns[i].type, scope.columns[i].name));
    names.push_back(scope.columns[i].name);
    any = true;
  }
  if (!star.table.empty() && !any) ThrowMissingTable(&scope, star.table, star.pos);
}

std::vector<BoundExprPtr> Binder::BindReturning(const std::vector<ast::SelectItem>& items, const Scope& scope,
                                                std::vector<std::string>& names) {
  std::vector<BoundExprPtr> outputs;
  ExprContext ctx{&scope, nullptr, "RETURNING"};
  for (const auto& item : items) {
    if (item.expr->kind == ast::ExprKind::Star) {
      ExpandStar(item.expr->As<ast::Star>(), scope, outputs, names);
      continue;
    }
    outputs.push_back(BindExpr(*item.expr, ctx));
    names.push_back(item.alias.empty() ? DefaultName(*item.expr) : item.alias);
  }
  return outputs;
}

LogicalOpPtr Binder::BindSelect(const ast::SelectNode& node, const Scope* outer, std::vector<std::string>& names) {
  Scope scope;
  scope.outer = outer;
  LogicalOpPtr plan;
  if (node.from) {
    plan = BindTableRef(*node.from, scope);
  } else {
    plan = MakeOp(LogicalKind::Values);
    plan->rows.emplace_back();
  }
  if (node.where) {
    auto filter = MakeOp(LogicalKind::Filter, std::move(plan));
    filter->exprs.push_back(BindCondition(*node.where, ExprContext{&scope, nullptr, "WHERE"}));
    plan = std::move(filter);
  }

  // Select list, with * expanded.
  std::vector<AggregateCall> aggregates;
  std::vector<WindowCall> windows;
  ExprContext select_ctx{&scope, &aggregates, "SELECT", &windows, &node.windows};
  std::vector<BoundExprPtr> outputs;
  std::vector<const ast::Expr*> output_ast;
  outputs.reserve(node.select_list.size());
  output_ast.reserve(node.select_list.size());
  names.reserve(node.select_list.size());
  for (const auto& item : node.select_list) {
    if (item.expr->kind == ast::ExprKind::Star) {
      if (item.expr->As<ast::Star>().table.empty() && !node.from) {
        throw Error(sqlstate::kSyntaxError, "SELECT * with no tables specified is not valid", item.expr->pos);
      }
      ExpandStar(item.expr->As<ast::Star>(), scope, outputs, names);
      output_ast.resize(outputs.size(), nullptr);
      continue;
    }
    outputs.push_back(BindExpr(*item.expr, select_ctx));
    output_ast.push_back(item.expr.get());
    names.push_back(item.alias.empty() ? DefaultName(*item.expr) : item.alias);
  }

  // GROUP BY: expressions, output ordinals or output names.
  std::vector<BoundExprPtr> groups;
  ExprContext group_ctx{&scope, nullptr, "GROUP BY"};
  for (const auto& g : node.group_by) {
    if (auto ordinal = IntegerLiteral(*g)) {
      if (*ordinal < 1 || static_cast<size_t>(*ordinal) > outputs.size()) {
        throw Error(sqlstate::kInvalidColumnReference, "GROUP BY position " + std::to_string(*ordinal) + " is not in select list", g->pos);
      }
      if (!output_ast[*ordinal - 1]) {
        groups.push_back(outputs[*ordinal - 1]->Copy());
      } else {
        groups.push_back(BindExpr(*output_ast[*ordinal - 1], group_ctx));
      }
      continue;
    }
    try {
      groups.push_back(BindExpr(*g, group_ctx));
    } catch (const Error& e) {
      const std::string* name = BareName(*g);
      auto it = name ? std::find(names.begin(), names.end(), *name) : names.end();
      if (std::string(e.sqlstate()) != sqlstate::kUndefinedColumn || it == names.end() || !output_ast[it - names.begin()]) throw;
      groups.push_back(BindExpr(*output_ast[it - names.begin()], group_ctx));
    }
  }

  BoundExprPtr having = node.having ? BindCondition(*node.having, ExprContext{&scope, &aggregates, "HAVING"}) : nullptr;

  // ORDER BY keys: output ordinals, output names, or expressions (hidden extra outputs).
  size_t visible = outputs.size();
  std::vector<OrderKey> order;
  for (const auto& item : node.order_by) {
    OrderKey key;
    key.descending = item.descending;
    key.nulls_first = item.nulls_first.value_or(item.descending);
    if (auto ordinal = IntegerLiteral(*item.expr)) {
      if (*ordinal < 1 || static_cast<size_t>(*ordinal) > visible) {
        throw Error(sqlstate::kInvalidColumnReference, "ORDER BY position " + std::to_string(*ordinal) + " is not in select list", item.expr->pos);
      }
      key.column = static_cast<idx_t>(*ordinal - 1);
      order.push_back(key);
      continue;
    }
    if (const std::string* name = BareName(*item.expr)) {
      auto it = std::find(names.begin(), names.begin() + visible, *name);
      if (it != names.begin() + visible) {
        key.column = static_cast<idx_t>(it - names.begin());
        order.push_back(key);
        continue;
      }
    }
    auto e = BindExpr(*item.expr, ExprContext{&scope, &aggregates, "ORDER BY", &windows, &node.windows});
    key.column = outputs.size();
    for (size_t i = 0; i < outputs.size(); ++i) {
      if (outputs[i]->Equals(*e)) {
        key.column = i;
        break;
      }
    }
    if (key.column == outputs.size()) {
      if (node.distinct) {
        throw Error(sqlstate::kInvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list", item.expr->pos);
      }
      outputs.push_back(std::move(e));
    }
    order.push_back(key);
  }

  // Grouping and aggregation.
  if (!groups.empty() || !aggregates.empty() || having) {
    auto agg = MakeOp(LogicalKind::Aggregate);
    for (const auto& g : groups) agg->types.push_back(g->type);
    for (const auto& a : aggregates) agg->types.push_back(a.type);
    std::set<const SubqueryPlan*> remapped;
    for (auto& o : outputs) o = RewriteForAggregate(std::move(o), groups, remapped);
    if (having) having = RewriteForAggregate(std::move(having), groups, remapped);
    for (auto& w : windows) w.ForEachExpr([&](BoundExprPtr& e) { e = RewriteForAggregate(std::move(e), groups, remapped); });
    agg->groups = std::move(groups);
    agg->aggregates = std::move(aggregates);
    agg->children.push_back(std::move(plan));
    plan = std::move(agg);
    if (having) {
      auto filter = MakeOp(LogicalKind::Filter, std::move(plan));
      filter->exprs.push_back(std::move(having));
      plan = std::move(filter);
    }
  }

  if (!windows.empty()) {
    idx_t width = plan->types.size();
    for (auto& o : outputs) ResolveWindowRefs(*o, width);
    plan = MakeWindow(std::move(plan), std::move(windows));
  }

  auto proj = MakeOp(LogicalKind::Projection);
  proj->types.reserve(outputs.size());
  proj->exprs.reserve(outputs.size());
  for (auto& o : outputs) {
    if (IsUntyped(*o) && o->kind == BoundKind::Constant && o->type.id == TypeId::Varchar) o->untyped_literal = false;
    proj->types.push_back(o->type);
    proj->exprs.push_back(std::move(o));
  }
  proj->children.push_back(std::move(plan));
  plan = std::move(proj);

  if (node.distinct) plan = MakeOp(LogicalKind::Distinct, std::move(plan));
  if (!order.empty()) {
    auto sort = MakeOp(LogicalKind::Order, std::move(plan));
    sort->order = std::move(order);
    plan = std::move(sort);
  }
  plan = BindLimit(node, std::move(plan));
  if (plan->types.size() > visible) {
    auto trim = MakeOp(LogicalKind::Projection);
    for (size_t i = 0; i < visible; ++i) {
      trim->exprs.push_back(MakeColumn(i, plan->types[i]));
      trim->types.push_back(plan->types[i]);
    }
    trim->children.push_back(std::move(plan));
    plan = std::move(trim);
  }
  return plan;
}

}  // namespace lyt
