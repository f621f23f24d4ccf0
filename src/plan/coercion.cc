#include "plan/coercion.h"

#include "common/cast.h"
#include "common/error.h"

namespace lyt {

bool IsUntyped(const BoundExpr& expr) {
  return expr.type.id == TypeId::Null || (expr.kind == BoundKind::Constant && expr.untyped_literal);
}

BoundExprPtr Coerce(BoundExprPtr expr, const LogicalType& target) {
  if (expr->type == target) {
    expr->untyped_literal = false;
    return expr;
  }
  if (expr->kind == BoundKind::Constant) {
    Value v = CastValue(expr->value, target);
    return MakeConstant(std::move(v));
  }
  return MakeCast(std::move(expr), target);
}

LogicalType UnifyTypes(const std::vector<LogicalType>& types, const char* what, int pos) {
  std::optional<LogicalType> result;
  for (const auto& t : types) {
    if (t.id == TypeId::Null) continue;
    if (!result) {
      result = t;
      continue;
    }
    auto common = CommonType(*result, t);
    if (!common) {
      throw Error(sqlstate::kDatatypeMismatch,
                  std::string(what) + " types " + std::string(result->SqlName()) + " and " + t.SqlName() + " cannot be matched",
                  pos);
    }
    result = *common;
  }
  return result ? *result : LogicalType(TypeId::Null);
}

LogicalType UnifyTypes(const std::vector<const BoundExpr*>& operands, const char* what, int pos) {
  std::vector<LogicalType> typed;
  bool any_literal = false;
  for (const BoundExpr* e : operands) {
    if (e->kind == BoundKind::Constant && e->untyped_literal) {
      any_literal = true;
    } else {
      typed.push_back(e->type);
    }
  }
  LogicalType t = UnifyTypes(typed, what, pos);
  if (t.id == TypeId::Null && any_literal) return LogicalType(TypeId::Varchar);
  if (t.id == TypeId::Varchar && t.max_length >= 0 && any_literal) return LogicalType(TypeId::Varchar);
  return t;
}

}  // namespace lyt
