#include "plan/bound_expr.h"

#include <algorithm>

#include "plan/logical_plan.h"

namespace lyt {

BoundExprPtr BoundExpr::Copy() const {
  auto e = std::make_unique<BoundExpr>(kind, type);
  e->children.reserve(children.size());
  for (const auto& c : children) e->children.push_back(c->Copy());
  e->value = value;
  e->untyped_literal = untyped_literal;
  e->column = column;
  e->depth = depth;
  e->arith = arith;
  e->compare = compare;
  e->function = function;
  e->negated = negated;
  e->case_insensitive = case_insensitive;
  e->explicit_cast = explicit_cast;
  e->escape = escape;
  e->subquery_kind = subquery_kind;
  e->subplan = subplan;
  e->name = name;
  return e;
}

bool BoundExpr::Equals(const BoundExpr& o) const {
  if (kind != o.kind || type != o.type || children.size() != o.children.size()) return false;
  switch (kind) {
    case BoundKind::Constant:
      if (!(value == o.value)) return false;
      break;
    case BoundKind::Column:
    case BoundKind::AggregateRef:
    case BoundKind::WindowRef:
      if (column != o.column || depth != o.depth) return false;
      break;
    case BoundKind::Arith:
      if (arith != o.arith) return false;
      break;
    case BoundKind::Compare:
      if (compare != o.compare) return false;
      break;
    case BoundKind::Function:
      if (function != o.function) return false;
      break;
    case BoundKind::Subquery:
      if (subplan != o.subplan || subquery_kind != o.subquery_kind) return false;
      break;
    default:
      break;
  }
  if (negated != o.negated || case_insensitive != o.case_insensitive || escape != o.escape ||
      explicit_cast != o.explicit_cast) {
    return false;
  }
  for (size_t i = 0; i < children.size(); ++i) {
    if (!children[i]->Equals(*o.children[i])) return false;
  }
  return true;
}

const char* CompareOpSymbol(CompareOp op) {
  switch (op) {
    case CompareOp::Equal: return "=";
    case CompareOp::NotEqual: return "<>";
    case CompareOp::Less: return "<";
    case CompareOp::LessEqual: return "<=";
    case CompareOp::Greater: return ">";
    case CompareOp::GreaterEqual: return ">=";
  }
  return "?";
}

CompareOp FlipCompare(CompareOp op) {
  switch (op) {
    case CompareOp::Less: return CompareOp::Greater;
    case CompareOp::LessEqual: return CompareOp::GreaterEqual;
    case CompareOp::Greater: return CompareOp::Less;
    case CompareOp::GreaterEqual: return CompareOp::LessEqual;
    default: return op;
  }
}

static const char* ArithSymbol(ArithOp op) {
  switch (op) {
    case ArithOp::Add: return "+";
    case ArithOp::Subtract: return "-";
    case ArithOp::Multiply: return "*";
    case ArithOp::Divide: return "/";
    case ArithOp::Modulo: return "%";
    case ArithOp::Negate: return "-";
  }
  return "?";
}

static std::string JoinChildren(const std::vector<BoundExprPtr>& children, size_t from, const char* sep) {
  std::string out;
  for (size_t i = from; i < children.size(); ++i) {
    if (i > from) out += sep;
    out += children[i]->ToString();
  }
  return out;
}

std::string BoundExpr::ToString() const {
  switch (kind) {
    case BoundKind::Constant: return value.ToSqlLiteral();
    case BoundKind::Column:
      return (depth ? "outer" + std::to_string(depth) + "." : "") + (name.empty() ? "#" + std::to_string(column) : name);
    case BoundKind::AggregateRef: return "agg#" + std::to_string(column);
    case BoundKind::WindowRef: return "window#" + std::to_string(column);
    case BoundKind::Cast: return "CAST(" + children[0]->ToString() + " AS " + type.ToString() + ")";
    case BoundKind::Function: return name + "(" + JoinChildren(children, 0, ", ") + ")";
    case BoundKind::Arith:
      if (arith == ArithOp::Negate) return "(-" + children[0]->ToString() + ")";
      return "(" + children[0]->ToString() + " " + ArithSymbol(arith) + " " + children[1]->ToString() + ")";
    case BoundKind::Compare:
      return "(" + children[0]->ToString() + " " + CompareOpSymbol(compare) + " " + children[1]->ToString() + ")";
    case BoundKind::And: return "(" + JoinChildren(children, 0, " AND ") + ")";
    case BoundKind::Or: return "(" + JoinChildren(children, 0, " OR ") + ")";
    case BoundKind::Not: return "(NOT " + children[0]->ToString() + ")";
    case BoundKind::IsNull: return "(" + children[0]->ToString() + (negated ? " IS NOT NULL)" : " IS NULL)");
    case BoundKind::IsDistinct:
      return "(" + children[0]->ToString() + (negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ") +
             children[1]->ToString() + ")";
    case BoundKind::Like:
      return "(" + children[0]->ToString() + (negated ? " NOT" : "") + (case_insensitive ? " ILIKE " : " LIKE ") +
             children[1]->ToString() + ")";
    case BoundKind::Case: {
      std::string out = "CASE";
      for (size_t i = 0; i + 1 < children.size(); i += 2) {
        out += " WHEN " + children[i]->ToString() + " THEN " + children[i + 1]->ToString();
      }
      return out + " ELSE " + children.back()->ToString() + " END";
    }
    case BoundKind::InList:
      return "(" + children[0]->ToString() + (negated ? " NOT IN (" : " IN (") + JoinChildren(children, 1, ", ") + "))";
    case BoundKind::Coalesce: return "COALESCE(" + JoinChildren(children, 0, ", ") + ")";
    case BoundKind::Concat: return "(" + children[0]->ToString() + " || " + children[1]->ToString() + ")";
    case BoundKind::Subquery:
      switch (subquery_kind) {
        case SubqueryKind::Scalar: return "(SUBQUERY)";
        case SubqueryKind::Exists: return negated ? "NOT EXISTS(SUBQUERY)" : "EXISTS(SUBQUERY)";
        case SubqueryKind::In: return "(" + children[0]->ToString() + (negated ? " NOT IN " : " IN ") + "(SUBQUERY))";
        case SubqueryKind::Any: return "(" + children[0]->ToString() + " " + CompareOpSymbol(compare) + " ANY(SUBQUERY))";
        case SubqueryKind::All: return "(" + children[0]->ToString() + " " + CompareOpSymbol(compare) + " ALL(SUBQUERY))";
      }
  }
  return "?";
}

bool BoundExpr::IsFoldable() const {
  if (kind == BoundKind::Column || kind == BoundKind::AggregateRef || kind == BoundKind::WindowRef ||
      kind == BoundKind::Subquery) {
    return false;
  }
  if (kind == BoundKind::Function && function && function->is_volatile) return false;
  for (const auto& c : children) {
    if (!c->IsFoldable()) return false;
  }
  return true;
}

bool BoundExpr::ReferencesOuter(int levels) const {
  if (kind == BoundKind::Column && depth >= levels) return true;
  if (kind == BoundKind::Subquery && subplan && PlanReferencesOuter(*subplan->plan, levels + 1)) return true;
  for (const auto& c : children) {
    if (c->ReferencesOuter(levels)) return true;
  }
  return false;
}

bool AnyPlanExpr(const LogicalOp& op, const std::function<bool(const BoundExpr&)>& pred) {
  auto any = [&](const std::vector<BoundExprPtr>& exprs) {
    return std::any_of(exprs.begin(), exprs.end(), [&](const BoundExprPtr& e) { return e && pred(*e); });
  };
  if (any(op.filters) || any(op.exprs) || any(op.groups)) return true;
  if (op.condition && pred(*op.condition)) return true;
  for (const auto& row : op.rows) {
    if (any(row)) return true;
  }
  for (const auto& agg : op.aggregates) {
    if (agg.arg && pred(*agg.arg)) return true;
    for (const auto& o : agg.order_by) {
      if (pred(*o.expr)) return true;
    }
    if (agg.filter && pred(*agg.filter)) return true;
  }
  for (const auto& c : op.children) {
    if (AnyPlanExpr(*c, pred)) return true;
  }
  return false;
}

bool PlanReferencesOuter(const LogicalOp& op, int levels) {
  return AnyPlanExpr(op, [&](const BoundExpr& e) { return e.ReferencesOuter(levels); });
}

BoundExprPtr MakeConstant(Value v) {
  auto e = std::make_unique<BoundExpr>(BoundKind::Constant, v.type());
  e->value = std::move(v);
  return e;
}

BoundExprPtr MakeNode(BoundKind kind, LogicalType type, BoundExprPtr a, BoundExprPtr b) {
  auto e = std::make_unique<BoundExpr>(kind, type);
  e->children.reserve(b ? 2 : 1);
  e->children.push_back(std::move(a));
  if (b) e->children.push_back(std::move(b));
  return e;
}

BoundExprPtr MakeColumn(idx_t column, LogicalType type, std::string name) {
  auto e = std::make_unique<BoundExpr>(BoundKind::Column, type);
  e->column = column;
  e->name = std::move(name);
  return e;
}

ExprSide SideOf(const BoundExpr& e, idx_t left_width) {
  if (e.kind == BoundKind::Subquery || e.kind == BoundKind::AggregateRef || e.kind == BoundKind::WindowRef) return ExprSide::Pinned;
  if (e.kind == BoundKind::Function && e.function && e.function->is_volatile) return ExprSide::Pinned;
  ExprSide side = ExprSide::None;
  if (e.kind == BoundKind::Column && e.depth == 0) side = e.column < left_width ? ExprSide::Left : ExprSide::Right;
  for (const auto& c : e.children) {
    ExprSide s = SideOf(*c, left_width);
    if (s == ExprSide::Pinned) return s;
    if (s == ExprSide::None || s == side) continue;
    side = side == ExprSide::None ? s : ExprSide::Both;
  }
  return side;
}

void ShiftColumns(BoundExpr& e, idx_t shift) {
  if (e.kind == BoundKind::Column && e.depth == 0) e.column -= shift;
  for (auto& c : e.children) ShiftColumns(*c, shift);
}

void MarkColumns(const BoundExpr& e, std::vector<bool>& used) {
  if (e.kind == BoundKind::Column && e.depth == 0 && e.column < used.size()) used[e.column] = true;
  for (const auto& c : e.children) MarkColumns(*c, used);
}

void SplitConjuncts(BoundExprPtr e, std::vector<BoundExprPtr>& out) {
  if (e->kind == BoundKind::And) {
    for (auto& c : e->children) SplitConjuncts(std::move(c), out);
  } else {
    out.push_back(std::move(e));
  }
}

std::vector<BoundExprPtr> CopyExprs(const std::vector<BoundExprPtr>& exprs) {
  std::vector<BoundExprPtr> out;
  out.reserve(exprs.size());
  for (const auto& e : exprs) out.push_back(e->Copy());
  return out;
}

BoundExprPtr MakeAnd(std::vector<BoundExprPtr> conjuncts) {
  if (conjuncts.empty()) return nullptr;
  if (conjuncts.size() == 1) return std::move(conjuncts[0]);
  auto e = std::make_unique<BoundExpr>(BoundKind::And, TypeId::Boolean);
  e->children = std::move(conjuncts);
  return e;
}

BoundExprPtr MakeCast(BoundExprPtr child, LogicalType type) {
  auto e = std::make_unique<BoundExpr>(BoundKind::Cast, type);
  e->children.push_back(std::move(child));
  return e;
}

}  // namespace lyt
