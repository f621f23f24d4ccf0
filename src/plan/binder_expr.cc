// Binding of expressions: names to column positions, operators to typed nodes, function
// overloads, aggregates and subqueries.
#include <algorithm>
#include <climits>

#include "common/cast.h"
#include "common/datetime.h"
#include "common/error.h"
#include "common/interval.h"
#include "plan/binder.h"
#include "plan/coercion.h"

namespace lyt {

namespace {

using ast::BinaryOp;
using ast::ExprKind;

std::string TypeName(const LogicalType& t) { return t.SqlName(); }

[[noreturn]] void ThrowOperator(const char* op, const LogicalType& l, const LogicalType& r, int pos) {
  std::string left = TypeName(l);
  std::string right = TypeName(r);
  throw Error(sqlstate::kUndefinedFunction, "operator does not exist: " + left + " " + op + " " + right, pos);
}

bool IsAggregateName(const std::string& name) {
  static const char* kNames[] = {"count", "sum", "avg", "min", "max", "string_agg", "bool_and", "bool_or", "every", "total"};
  return std::find_if(std::begin(kNames), std::end(kNames), [&](const char* n) { return name == n; }) != std::end(kNames);
}

// Matches an untyped literal or NULL operand to the other operand's type, without its length
// limit: VARCHAR(5) = 'longer text' compares (false), as in PostgreSQL, instead of failing the
// cast with 22001.
void MatchOperands(BoundExprPtr& l, BoundExprPtr& r) {
  if (IsUntyped(*l) && !IsUntyped(*r)) l = Coerce(std::move(l), LogicalType(r->type.id));
  if (IsUntyped(*r) && !IsUntyped(*l)) r = Coerce(std::move(r), LogicalType(l->type.id));
}

}  // namespace

// --- column references --------------------------------------------------------------------

void ThrowMissingTable(const Scope* scope, const std::string& table, int pos) {
  bool aliased = false;  // PostgreSQL's wording differs when an alias hides the table's own name
  for (const Scope* s = scope; s; s = s->outer) {
    for (const auto& c : s->columns) aliased |= c.relation == table;
  }
  std::string what = aliased ? "invalid reference to FROM-clause entry" : "missing FROM-clause entry";
  throw Error(sqlstate::kUndefinedTable, what + " for table \"" + table + "\"", pos);
}

static BoundExprPtr ResolveColumn(const ast::ColumnRef& ref, const Scope* scope) {
  const std::string& column = ref.names.back();
  const std::string* table = ref.names.size() >= 2 ? &ref.names[ref.names.size() - 2] : nullptr;
  int depth = 0;
  for (const Scope* s = scope; s; s = s->outer, ++depth) {
    int found = -1;
    bool ambiguous = false;
    for (size_t i = 0; i < s->columns.size(); ++i) {
      const ScopeColumn& c = s->columns[i];
      if (c.name != column || (table ? c.table != *table : c.qualified_only)) continue;
      // Merged USING columns (no table) of two different joins are ambiguous too.
      if (found >= 0 && (s->columns[found].table != c.table || c.table.empty())) ambiguous = true;
      if (found < 0) found = static_cast<int>(i);
    }
    if (ambiguous) {
      throw Error(sqlstate::kAmbiguousColumn, "column reference \"" + column + "\" is ambiguous", ref.pos);
    }
    if (found >= 0) {
      const std::string& t = s->columns[found].table;
      auto e = MakeColumn(static_cast<idx_t>(found), s->columns[found].type, t.empty() ? column : t + "." + column);
      e->depth = depth;
      return e;
    }
  }
  if (table) {
    bool table_known = false;
    for (const Scope* s = scope; s && !table_known; s = s->outer) {
      for (const auto& c : s->columns) table_known |= c.table == *table;
    }
    if (!table_known) ThrowMissingTable(scope, *table, ref.pos);
    throw Error(sqlstate::kUndefinedColumn, "column " + *table + "." + column + " does not exist", ref.pos);
  }
  throw Error(sqlstate::kUndefinedColumn, "column \"" + column + "\" does not exist", ref.pos);
}

// --- operators ----------------------------------------------------------------------------

static BoundExprPtr MakeArith(ArithOp op, LogicalType type, BoundExprPtr l, LogicalType lt, BoundExprPtr r, LogicalType rt) {
  auto e = MakeNode(BoundKind::Arith, type, Coerce(std::move(l), lt), Coerce(std::move(r), rt));
  e->arith = op;
  return e;
}

// Operators on intervals and timestamps, as PostgreSQL: timestamp +/- interval, date +/-
// interval (a timestamp), interval +/- interval, interval * or / number, timestamp - timestamp
// (an interval). The bound node has the timestamp first for + and -, the interval first for * and
// /. nullptr for other operand types.
static BoundExprPtr BindIntervalArithmetic(ArithOp op, BoundExprPtr& l, BoundExprPtr& r, LogicalType lt, LogicalType rt) {
  const LogicalType iv(TypeId::Interval), ts(TypeId::Timestamp), dbl(TypeId::Double);
  const bool l_iv = lt.id == TypeId::Interval, r_iv = rt.id == TypeId::Interval;
  switch (op) {
    case ArithOp::Add:
      if (l_iv && rt.IsTemporal()) return MakeArith(op, ts, std::move(r), ts, std::move(l), iv);
      [[fallthrough]];
    case ArithOp::Subtract:
      if (r_iv && lt.IsTemporal()) return MakeArith(op, ts, std::move(l), ts, std::move(r), iv);
      if (l_iv && r_iv) return MakeArith(op, iv, std::move(l), iv, std::move(r), iv);
      if (op == ArithOp::Subtract && (lt.id == TypeId::Timestamp || rt.id == TypeId::Timestamp) && lt.IsTemporal() &&
          rt.IsTemporal()) {
        return MakeArith(op, iv, std::move(l), ts, std::move(r), ts);
      }
      return nullptr;
    case ArithOp::Multiply:
      if (l_iv && rt.IsNumeric()) return MakeArith(op, iv, std::move(l), iv, std::move(r), dbl);
      if (r_iv && lt.IsNumeric()) return MakeArith(op, iv, std::move(r), iv, std::move(l), dbl);
      return nullptr;
    case ArithOp::Divide:
      if (l_iv && rt.IsNumeric()) return MakeArith(op, iv, std::move(l), iv, std::move(r), dbl);
      return nullptr;
    default: return nullptr;
  }
}

// Types untyped operands next to a date/time or interval where PostgreSQL's operator lookup
// would not pick the other operand's type: timestamp + '1 day' is an interval (there is no
// timestamp + timestamp), interval * NULL a number.
static void TypeIntervalOperands(ArithOp op, BoundExprPtr& l, BoundExprPtr& r) {
  for (BoundExprPtr* side : {&l, &r}) {
    BoundExprPtr& u = *side;
    const LogicalType& other = (side == &l ? r : l)->type;
    if (!IsUntyped(*u)) continue;
    bool is_null = u->type.id == TypeId::Null;
    if (op == ArithOp::Add && other.IsTemporal() && !is_null) u = Coerce(std::move(u), TypeId::Interval);
    bool scales = op == ArithOp::Multiply || (op == ArithOp::Divide && side == &r);
    if (scales && other.id == TypeId::Interval && is_null) u = Coerce(std::move(u), TypeId::Double);
  }
}

static BoundExprPtr BindArithmetic(ArithOp op, BoundExprPtr l, BoundExprPtr r, const char* symbol, int pos) {
  TypeIntervalOperands(op, l, r);
  MatchOperands(l, r);
  LogicalType lt = l->type, rt = r->type;
  if (lt.id == TypeId::Null && rt.id == TypeId::Null) return MakeConstant(Value::Null(TypeId::Integer));
  if (lt.id == TypeId::Null) lt = rt;
  if (rt.id == TypeId::Null) rt = lt;
  // Date arithmetic: date +/- integer days, date - date.
  if (lt.id == TypeId::Date && rt.IsInteger() && (op == ArithOp::Add || op == ArithOp::Subtract)) {
    auto e = MakeNode(BoundKind::Arith, TypeId::Date, Coerce(std::move(l), TypeId::Date), Coerce(std::move(r), TypeId::Integer));
    e->arith = op;
    return e;
  }
  if (lt.IsInteger() && rt.id == TypeId::Date && op == ArithOp::Add) {
    auto e = MakeNode(BoundKind::Arith, TypeId::Date, Coerce(std::move(r), TypeId::Date), Coerce(std::move(l), TypeId::Integer));
    e->arith = op;
    return e;
  }
  if (lt.id == TypeId::Date && rt.id == TypeId::Date && op == ArithOp::Subtract) {
    auto e = MakeNode(BoundKind::Arith, TypeId::Integer, Coerce(std::move(l), TypeId::Date), Coerce(std::move(r), TypeId::Date));
    e->arith = op;
    return e;
  }
  if (auto e = BindIntervalArithmetic(op, l, r, lt, rt)) return e;
  if (!lt.IsNumeric() || !rt.IsNumeric()) ThrowOperator(symbol, l->type, r->type, pos);
  LogicalType type = *CommonType(lt, rt);
  auto e = MakeNode(BoundKind::Arith, type, Coerce(std::move(l), type), Coerce(std::move(r), type));
  e->arith = op;
  return e;
}

static BoundExprPtr BindComparison(CompareOp op, BoundExprPtr l, BoundExprPtr r, int pos) {
  MatchOperands(l, r);
  std::optional<LogicalType> type;
  if (l->type.id == TypeId::Null || r->type.id == TypeId::Null) {
    type = l->type.id == TypeId::Null ? r->type : l->type;
  } else {
    type = CommonType(l->type, r->type);
  }
  if (!type) ThrowOperator(CompareOpSymbol(op), l->type, r->type, pos);
  if (type->id == TypeId::Null) type = LogicalType(TypeId::Integer);
  if (type->id == TypeId::Varchar) type = LogicalType(TypeId::Varchar);
  auto e = MakeNode(BoundKind::Compare, TypeId::Boolean, Coerce(std::move(l), *type), Coerce(std::move(r), *type));
  e->compare = op;
  return e;
}

static BoundExprPtr ToBoolean(BoundExprPtr e, const char* what, int pos) {
  if (e->type.id == TypeId::Boolean) return e;
  if (IsUntyped(*e)) return Coerce(std::move(e), TypeId::Boolean);
  throw Error(sqlstate::kDatatypeMismatch,
              std::string("argument of ") + what + " must be type boolean, not type " + TypeName(e->type), pos);
}

static BoundExprPtr ToText(BoundExprPtr e) {
  if (e->type.id == TypeId::Varchar && e->type.max_length < 0) return e;
  if (e->type.id == TypeId::Varchar) return MakeCast(std::move(e), TypeId::Varchar);
  return Coerce(std::move(e), TypeId::Varchar);
}

static CompareOp ToCompareOp(BinaryOp op) {
  switch (op) {
    case BinaryOp::Equal: return CompareOp::Equal;
    case BinaryOp::NotEqual: return CompareOp::NotEqual;
    case BinaryOp::Less: return CompareOp::Less;
    case BinaryOp::LessEqual: return CompareOp::LessEqual;
    case BinaryOp::Greater: return CompareOp::Greater;
    default: return CompareOp::GreaterEqual;
  }
}

BoundExprPtr Binder::BindCondition(const ast::Expr& expr, const ExprContext& ctx) {
  return ToBoolean(BindExpr(expr, ctx), ctx.clause, expr.pos);
}

static BoundExprPtr BindBinary(Binder& b, const ast::Binary& e, const ExprContext& ctx) {
  switch (e.op) {
    case BinaryOp::And:
    case BinaryOp::Or: {
      const char* what = e.op == BinaryOp::And ? "AND" : "OR";
      auto l = ToBoolean(b.BindExpr(*e.left, ctx), what, e.left->pos);
      auto r = ToBoolean(b.BindExpr(*e.right, ctx), what, e.right->pos);
      return MakeNode(e.op == BinaryOp::And ? BoundKind::And : BoundKind::Or, TypeId::Boolean, std::move(l), std::move(r));
    }
    case BinaryOp::Equal:
    case BinaryOp::NotEqual:
    case BinaryOp::Less:
    case BinaryOp::LessEqual:
    case BinaryOp::Greater:
    case BinaryOp::GreaterEqual:
      return BindComparison(ToCompareOp(e.op), b.BindExpr(*e.left, ctx), b.BindExpr(*e.right, ctx), e.pos);
    case BinaryOp::Add: return BindArithmetic(ArithOp::Add, b.BindExpr(*e.left, ctx), b.BindExpr(*e.right, ctx), "+", e.pos);
    case BinaryOp::Subtract: return BindArithmetic(ArithOp::Subtract, b.BindExpr(*e.left, ctx), b.BindExpr(*e.right, ctx), "-", e.pos);
    case BinaryOp::Multiply: return BindArithmetic(ArithOp::Multiply, b.BindExpr(*e.left, ctx), b.BindExpr(*e.right, ctx), "*", e.pos);
    case BinaryOp::Divide: return BindArithmetic(ArithOp::Divide, b.BindExpr(*e.left, ctx), b.BindExpr(*e.right, ctx), "/", e.pos);
    case BinaryOp::Modulo: return BindArithmetic(ArithOp::Modulo, b.BindExpr(*e.left, ctx), b.BindExpr(*e.right, ctx), "%", e.pos);
    case BinaryOp::Concat: {
      auto l = b.BindExpr(*e.left, ctx);
      auto r = b.BindExpr(*e.right, ctx);
      if (l->type.id == TypeId::Blob && r->type.id == TypeId::Blob) {
        return MakeNode(BoundKind::Concat, TypeId::Blob, std::move(l), std::move(r));
      }
      return MakeNode(BoundKind::Concat, TypeId::Varchar, ToText(std::move(l)), ToText(std::move(r)));
    }
    case BinaryOp::Like:
    case BinaryOp::NotLike:
    case BinaryOp::ILike:
    case BinaryOp::NotILike: {
      auto l = b.BindExpr(*e.left, ctx);
      auto r = b.BindExpr(*e.right, ctx);
      if (!(l->type.id == TypeId::Varchar || IsUntyped(*l)) || !(r->type.id == TypeId::Varchar || IsUntyped(*r))) {
        ThrowOperator("~~", l->type, r->type, e.pos);
      }
      auto node = MakeNode(BoundKind::Like, TypeId::Boolean, Coerce(std::move(l), TypeId::Varchar), Coerce(std::move(r), TypeId::Varchar));
      node->negated = e.op == BinaryOp::NotLike || e.op == BinaryOp::NotILike;
      node->case_insensitive = e.op == BinaryOp::ILike || e.op == BinaryOp::NotILike;
      if (e.escape) {
        auto esc = b.BindExpr(*e.escape, ctx);
        Value v = esc->IsFoldable() ? b.EvaluateConstant(*esc) : Value();
        if (v.is_null() || v.type().id != TypeId::Varchar || v.AsString().size() > 1) {
          throw Error(sqlstate::kInvalidEscapeSequence, "invalid escape string", e.escape->pos);
        }
        node->escape = v.AsString().empty() ? -1 : static_cast<unsigned char>(v.AsString()[0]);
      } else {
        node->escape = '\\';
      }
      return node;
    }
  }
  ThrowInternal("unknown binary operator");
}

// --- functions and aggregates ---------------------------------------------------------------

// ORDER BY inside an aggregate call. Only string_agg's result depends on the order; for the
// other aggregates the keys are bound (names must resolve) and dropped. With DISTINCT every key
// must be one of the arguments, as PostgreSQL requires.
static void BindAggregateOrder(Binder& b, const ast::Function& f, const ExprContext& arg_ctx, AggregateCall& call) {
  for (const auto& item : f.order_by) {
    BoundExprPtr key = b.BindExpr(*item.expr, arg_ctx);
    if (call.distinct) {
      bool in_args = false;
      for (const auto& a : f.args) in_args |= b.BindExpr(*a, arg_ctx)->Equals(*key);
      if (!in_args) {
        throw Error(sqlstate::kInvalidColumnReference,
                    "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list", item.expr->pos);
      }
    }
    if (call.kind != AggregateKind::StringAgg) continue;
    if (IsUntyped(*key)) key = Coerce(std::move(key), key->type.id == TypeId::Null ? TypeId::Integer : TypeId::Varchar);
    call.order_by.push_back(AggregateOrder{std::move(key), item.descending, item.nulls_first.value_or(item.descending)});
  }
}

BoundExprPtr BindAggregate(Binder& b, const ast::Function& f, const ExprContext& ctx,
                           std::vector<AggregateCall>* arg_aggregates) {
  if (!ctx.aggregates) {
    throw Error(sqlstate::kGroupingError, std::string("aggregate functions are not allowed in ") + ctx.clause, f.pos);
  }
  // Arguments see the same scope but may not contain aggregates themselves.
  ExprContext arg_ctx{ctx.scope, arg_aggregates, "aggregate function calls"};
  AggregateCall call;
  call.name = f.name;
  call.distinct = f.distinct;
  size_t nargs = f.args.size();
  auto arity = [&](size_t n) {
    if (nargs != n) {
      throw Error(sqlstate::kUndefinedFunction, "function " + f.name + " takes " + std::to_string(n) + " argument(s)", f.pos);
    }
  };
  if (f.name == "count" && f.star) {
    call.kind = AggregateKind::CountStar;
    call.type = TypeId::BigInt;
  } else {
    if (f.star) throw Error(sqlstate::kSyntaxError, f.name + "(*) is only valid for count", f.pos);
    arity(f.name == "string_agg" ? 2 : 1);
    call.arg = b.BindExpr(*f.args[0], arg_ctx);
    LogicalType t = call.arg->type;
    auto numeric_arg = [&](const char* name) {
      if (IsUntyped(*call.arg)) {
        call.arg = Coerce(std::move(call.arg), call.arg->type.id == TypeId::Null ? TypeId::Integer : TypeId::Double);
        t = call.arg->type;
      }
      if (!t.IsNumeric()) {
        throw Error(sqlstate::kUndefinedFunction, std::string("function ") + name + "(" + TypeName(t) + ") does not exist", f.pos);
      }
    };
    if (f.name == "count") {
      call.kind = AggregateKind::Count;
      call.type = TypeId::BigInt;
    } else if ((f.name == "sum" || f.name == "avg") && t.id == TypeId::Interval) {
      call.kind = f.name == "sum" ? AggregateKind::Sum : AggregateKind::Avg;
      call.type = TypeId::Interval;
    } else if (f.name == "sum") {
      numeric_arg("sum");
      call.kind = AggregateKind::Sum;
      call.type = t.IsInteger() ? TypeId::BigInt : TypeId::Double;
    } else if (f.name == "total") {  // SQLite's float sum
      numeric_arg("total");
      call.kind = AggregateKind::Sum;
      call.arg = Coerce(std::move(call.arg), TypeId::Double);
      call.type = TypeId::Double;
    } else if (f.name == "avg") {
      numeric_arg("avg");
      call.kind = AggregateKind::Avg;
      call.type = TypeId::Double;
    } else if (f.name == "min" || f.name == "max") {
      if (call.arg->untyped_literal) call.arg = Coerce(std::move(call.arg), TypeId::Varchar);
      call.kind = f.name == "min" ? AggregateKind::Min : AggregateKind::Max;
      call.type = call.arg->type;
    } else if (f.name == "string_agg") {
      call.kind = AggregateKind::StringAgg;
      if (call.arg->type.id != TypeId::Varchar && !IsUntyped(*call.arg)) {
        auto sep = b.BindExpr(*f.args[1], arg_ctx);
        throw Error(sqlstate::kUndefinedFunction, "function string_agg(" + TypeName(call.arg->type) + ", " +
                                                      (sep->untyped_literal ? std::string("unknown") : TypeName(sep->type)) + ") does not exist", f.pos);
      }
      call.arg = ToText(std::move(call.arg));
      call.separator = ToText(b.BindExpr(*f.args[1], arg_ctx));
      if (!call.separator->IsFoldable()) {
        throw Error(sqlstate::kFeatureNotSupported, "string_agg separator must be a constant", f.args[1]->pos);
      }
      call.separator = MakeConstant(b.EvaluateConstant(*call.separator));
      call.type = TypeId::Varchar;
    } else {
      call.kind = f.name == "bool_or" ? AggregateKind::BoolOr : AggregateKind::BoolAnd;
      if (call.arg->type.id != TypeId::Boolean && !IsUntyped(*call.arg)) {
        throw Error(sqlstate::kUndefinedFunction, "function " + f.name + "(" + TypeName(call.arg->type) + ") does not exist", f.pos);
      }
      call.arg = ToBoolean(std::move(call.arg), f.name.c_str(), f.args[0]->pos);
      call.type = TypeId::Boolean;
    }
  }
  BindAggregateOrder(b, f, arg_ctx, call);
  if (f.filter) call.filter = b.BindCondition(*f.filter, ExprContext{ctx.scope, nullptr, "FILTER"});
  auto ref = std::make_unique<BoundExpr>(BoundKind::AggregateRef, call.type);
  ref->column = ctx.aggregates->size();
  ref->name = f.name;
  ctx.aggregates->push_back(std::move(call));
  // SQLite's total() is 0.0, not NULL, over no values.
  if (f.name == "total") return MakeNode(BoundKind::Coalesce, TypeId::Double, std::move(ref), MakeConstant(Value::Double(0)));
  return ref;
}

static int ArgumentCost(const BoundExpr& arg, const LogicalType& param) {
  if (arg.type.id == TypeId::Null) return 0;
  if (arg.untyped_literal) return param.id == TypeId::Varchar ? 0 : (CanCastExplicitly(TypeId::Varchar, param) ? 1 : -1);
  if (arg.type.id == TypeId::Varchar && param.id == TypeId::Varchar) return 0;
  return ImplicitCastCost(arg.type, param);
}

static BoundExprPtr BindScalarFunction(Binder& b, const ast::Function& f, const ExprContext& ctx) {
  std::vector<BoundExprPtr> args;
  for (const auto& a : f.args) args.push_back(b.BindExpr(*a, ctx));
  const auto* overloads = FunctionRegistry::Global().Find(f.name);
  auto signature = [&] {
    std::string s = f.name + "(";
    for (size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + std::string(TypeName(args[i]->type));
    return s + ")";
  };
  if (!overloads) throw Error(sqlstate::kUndefinedFunction, "function " + signature() + " does not exist", f.pos);

  const ScalarFunction* best = nullptr;
  std::vector<LogicalType> best_params;
  LogicalType best_result;
  int best_cost = INT_MAX;
  for (const auto& fn : *overloads) {
    std::vector<LogicalType> params;
    LogicalType result = fn.result;
    if (fn.bind) {
      for (const auto& a : args) params.push_back(a->untyped_literal ? LogicalType(TypeId::Varchar) : a->type);
      auto r = fn.bind(params);
      if (!r || params.size() != args.size()) continue;
      result = *r;
      if (!best || best_cost > 0) {
        best = &fn;
        best_params = params;
        best_result = result;
        best_cost = 0;
      }
      continue;
    }
    if (args.size() < fn.args.size() || (args.size() > fn.args.size() && !fn.varargs)) continue;
    int cost = 0;
    for (size_t i = 0; i < args.size() && cost >= 0; ++i) {
      LogicalType p = i < fn.args.size() ? fn.args[i] : *fn.varargs;
      int c = ArgumentCost(*args[i], p);
      cost = c < 0 ? -1 : cost + c;
      params.push_back(p);
    }
    if (cost >= 0 && cost < best_cost) {
      best = &fn;
      best_params = params;
      best_result = result;
      best_cost = cost;
    }
  }
  if (!best) throw Error(sqlstate::kUndefinedFunction, "function " + signature() + " does not exist", f.pos);
  auto e = std::make_unique<BoundExpr>(BoundKind::Function, best_result);
  e->function = best;
  e->name = f.name;
  for (size_t i = 0; i < args.size(); ++i) e->children.push_back(Coerce(std::move(args[i]), best_params[i]));
  return e;
}

// The value of a constant sub-expression, or nullopt when it reads columns or fails to
// evaluate (the error then surfaces only if the expression is actually evaluated).
static std::optional<Value> TryFold(Binder& b, const BoundExpr& e) {
  if (!e.IsFoldable()) return std::nullopt;
  if (e.kind == BoundKind::Constant) return e.value;
  try {
    return b.EvaluateConstant(e);
  } catch (const Error&) {
    return std::nullopt;
  }
}

static BoundExprPtr BindCoalesce(Binder& b, const ast::Function& f, const ExprContext& ctx) {
  if (f.args.empty()) throw Error(sqlstate::kSyntaxError, "coalesce needs at least one argument", f.pos);
  std::vector<BoundExprPtr> args;
  for (const auto& a : f.args) args.push_back(b.BindExpr(*a, ctx));
  std::vector<const BoundExpr*> all_args;
  for (const auto& a : args) all_args.push_back(a.get());
  LogicalType type = UnifyTypes(all_args, "COALESCE", f.pos);
  for (auto& a : args) a = Coerce(std::move(a), type);
  // Arguments after a non-NULL constant are never evaluated: drop them (as PostgreSQL's planner
  // does), so they need not be grouped either.
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    auto v = TryFold(b, *args[i]);
    if (v && !v->is_null()) {
      args.resize(i + 1);
      break;
    }
  }
  auto e = std::make_unique<BoundExpr>(BoundKind::Coalesce, type);
  for (auto& a : args) e->children.push_back(Coerce(std::move(a), type));
  return e;
}

static BoundExprPtr BindFunction(Binder& b, const ast::Function& f, const ExprContext& ctx) {
  if (f.over || IsWindowOnlyFunction(f.name)) return BindWindowFunction(b, f, ctx);
  if (IsAggregateName(f.name) && !(f.name == "min" || f.name == "max") ) return BindAggregate(b, f, ctx);
  if ((f.name == "min" || f.name == "max") && f.args.size() == 1) return BindAggregate(b, f, ctx);
  if (f.star) throw Error(sqlstate::kSyntaxError, f.name + "(*) is only valid for count", f.pos);
  if (f.distinct) {
    throw Error(sqlstate::kGroupingError, "DISTINCT specified, but " + f.name + " is not an aggregate function", f.pos);
  }
  if (f.name == "coalesce" || f.name == "ifnull") return BindCoalesce(b, f, ctx);
  return BindScalarFunction(b, f, ctx);
}

// --- CASE, IN, casts ------------------------------------------------------------------------

static BoundExprPtr BindCase(Binder& b, const ast::Case& c, const ExprContext& ctx) {
  BoundExprPtr operand = c.operand ? b.BindExpr(*c.operand, ctx) : nullptr;
  std::vector<BoundExprPtr> conditions, results;
  for (const auto& w : c.whens) {
    if (operand) {
      conditions.push_back(BindComparison(CompareOp::Equal, operand->Copy(), b.BindExpr(*w.condition, ctx), w.condition->pos));
    } else {
      conditions.push_back(b.BindCondition(*w.condition, ExprContext{ctx.scope, ctx.aggregates, "CASE/WHEN", ctx.windows, ctx.named_windows}));
    }
    results.push_back(b.BindExpr(*w.result, ctx));
  }
  results.push_back(c.else_result ? b.BindExpr(*c.else_result, ctx) : MakeConstant(Value()));
  std::vector<const BoundExpr*> all_results;
  for (const auto& r : results) all_results.push_back(r.get());
  // The type comes from every branch, also those dropped below.
  LogicalType type = UnifyTypes(all_results, "CASE", c.pos);
  for (auto& r : results) r = Coerce(std::move(r), type);
  // Branches whose condition is constant: false/NULL ones are dropped, a true one ends the CASE.
  for (size_t i = 0; i < conditions.size(); ++i) {
    auto v = TryFold(b, *conditions[i]);
    if (!v) continue;
    if (!v->is_null() && v->AsBool()) {
      results.erase(results.begin() + static_cast<long>(i) + 1, results.end());
      conditions.resize(i);
      break;
    }
    conditions.erase(conditions.begin() + static_cast<long>(i));
    results.erase(results.begin() + static_cast<long>(i));
    --i;
  }
  auto e = std::make_unique<BoundExpr>(BoundKind::Case, type);
  for (size_t i = 0; i < conditions.size(); ++i) {
    e->children.push_back(std::move(conditions[i]));
    e->children.push_back(Coerce(std::move(results[i]), type));
  }
  e->children.push_back(Coerce(std::move(results.back()), type));
  return e;
}

static BoundExprPtr BindInList(Binder& b, const ast::InList& in, const ExprContext& ctx) {
  if (in.list.empty()) return MakeConstant(Value::Boolean(in.negated));
  std::vector<BoundExprPtr> items;
  items.push_back(b.BindExpr(*in.operand, ctx));
  for (const auto& item : in.list) items.push_back(b.BindExpr(*item, ctx));
  std::vector<const BoundExpr*> raw;
  for (const auto& i : items) raw.push_back(i.get());
  LogicalType type = UnifyTypes(raw, "IN", in.pos);
  if (type.id == TypeId::Varchar) type = LogicalType(TypeId::Varchar);
  auto e = std::make_unique<BoundExpr>(BoundKind::InList, TypeId::Boolean);
  for (auto& i : items) e->children.push_back(Coerce(std::move(i), type));
  e->negated = in.negated;
  return e;
}

static BoundExprPtr BindCast(Binder& b, const ast::Cast& c, const ExprContext& ctx) {
  auto operand = b.BindExpr(*c.operand, ctx);
  if (operand->type.id != TypeId::Null && !operand->untyped_literal && !CanCastExplicitly(operand->type, c.type)) {
    throw Error(sqlstate::kCannotCoerce,
                std::string("cannot cast type ") + TypeName(operand->type) + " to " + TypeName(c.type), c.pos);
  }
  if (operand->type == c.type) {
    operand->untyped_literal = false;  // an explicitly typed literal is no longer "unknown"
    return operand;
  }
  if (operand->kind == BoundKind::Constant) {
    Value v = operand->value;
    if (c.type.id == TypeId::Varchar && c.type.max_length >= 0 && !v.is_null()) {
      Value text = CastValue(v, TypeId::Varchar);
      Vector tmp(TypeId::Varchar, 1);
      tmp.SetValue(0, text);
      TruncateToLength(tmp, nullptr, 1, c.type.max_length);
      auto e = MakeConstant(Value::Varchar(std::string(tmp.data<StringRef>()[0].view())));
      e->type = c.type;  // typeof('abc'::varchar(10)) is VARCHAR(10), as for a column of that type
      return e;
    }
    return MakeConstant(CastValue(v, c.type));
  }
  auto e = MakeCast(std::move(operand), c.type);
  e->explicit_cast = true;
  return e;
}

// --- subqueries -----------------------------------------------------------------------------

static BoundExprPtr BindSubquery(Binder& b, const ast::QueryNode& query, const ExprContext& ctx, SubqueryKind kind,
                                 int pos) {
  auto sub = std::make_shared<SubqueryPlan>();
  sub->plan = b.BindQuery(query, ctx.scope);
  sub->correlated = false;
  for (const auto& c : sub->plan->children) (void)c;
  auto probe = std::make_unique<BoundExpr>(BoundKind::Subquery, TypeId::Boolean);
  probe->subplan = sub;
  sub->correlated = probe->ReferencesOuter(0);
  if (kind != SubqueryKind::Exists && sub->plan->types.size() != 1) {
    throw Error(sqlstate::kSyntaxError, kind == SubqueryKind::Scalar ? "subquery must return only one column" : "subquery has too many columns", pos);
  }
  auto e = std::make_unique<BoundExpr>(BoundKind::Subquery, kind == SubqueryKind::Scalar ? sub->plan->types[0] : LogicalType(TypeId::Boolean));
  e->subquery_kind = kind;
  e->subplan = sub;
  return e;
}

static BoundExprPtr BindQuantified(Binder& b, BoundExprPtr operand, const ast::QueryNode& query, const ExprContext& ctx,
                                   SubqueryKind kind, CompareOp op, int pos) {
  auto e = BindSubquery(b, query, ctx, kind, pos);
  LogicalType sub_type = e->subplan->plan->types[0];
  LogicalType type = operand->type;
  if (IsUntyped(*operand)) {
    type = sub_type.id == TypeId::Null ? LogicalType(TypeId::Varchar) : sub_type;
  } else if (sub_type.id != TypeId::Null) {
    auto common = CommonType(operand->type, sub_type);
    if (!common) ThrowOperator(CompareOpSymbol(op), operand->type, sub_type, pos);
    type = *common;
  }
  if (type.id == TypeId::Varchar) type = LogicalType(TypeId::Varchar);
  e->children.push_back(Coerce(std::move(operand), type));
  // The subquery's column is converted when its rows are read.
  if (!(sub_type == type)) {
    auto& plan = e->subplan->plan;
    auto proj = std::make_unique<LogicalOp>(LogicalKind::Projection);
    proj->exprs.push_back(Coerce(MakeColumn(0, sub_type), type));
    proj->types = {type};
    proj->names = plan->names;
    proj->children.push_back(std::move(plan));
    plan = std::move(proj);
  }
  e->compare = op;
  return e;
}

// INTERVAL 'text' [unit]: a constant, parsed here.
static BoundExprPtr BindIntervalLiteral(const ast::Interval& literal) {
  IntervalUnit unit = IntervalUnit::None;
  if (!literal.unit.empty()) unit = LookupIntervalUnit(literal.unit).value_or(IntervalUnit::None);
  std::optional<Interval> iv = ParseInterval(literal.text, unit);
  if (!iv) {
    throw Error(sqlstate::kInvalidDatetimeFormat, "invalid input syntax for type interval: \"" + literal.text + "\"",
                literal.pos);
  }
  return MakeConstant(Value::Interval(*iv));
}

// --- dispatch -------------------------------------------------------------------------------

BoundExprPtr Binder::BindExpr(const ast::Expr& expr, const ExprContext& ctx) {
  switch (expr.kind) {
    case ExprKind::Constant: {
      const auto& c = expr.As<ast::Constant>();
      auto e = MakeConstant(c.value);
      e->untyped_literal = c.is_string_literal;
      return e;
    }
    case ExprKind::ColumnRef: return ResolveColumn(expr.As<ast::ColumnRef>(), ctx.scope);
    case ExprKind::Star: throw Error(sqlstate::kSyntaxError, "* is not allowed here", expr.pos);
    case ExprKind::Parameter: {
      int index = expr.As<ast::Parameter>().index;
      if (index < 1 || static_cast<size_t>(index) > params_.size()) {
        throw Error(sqlstate::kUndefinedParameter, "there is no parameter $" + std::to_string(index), expr.pos);
      }
      const Value& value = params_[index - 1];
      // Binary values come from clients as they are: keep what no DATE or TIMESTAMP may hold out.
      if (!value.is_null() && ((value.type().id == TypeId::Date && !DateInRange(value.AsInt64())) ||
                               (value.type().id == TypeId::Timestamp && !TimestampInRange(value.AsInt64())))) {
        throw Error(sqlstate::kDatetimeFieldOverflow,
                    std::string(value.type().id == TypeId::Date ? "date" : "timestamp") + " out of range in parameter $" + std::to_string(index),
                    expr.pos);
      }
      auto e = MakeConstant(value);
      e->untyped_literal = value.type().id == TypeId::Varchar;
      return e;
    }
    case ExprKind::Unary: {
      const auto& u = expr.As<ast::Unary>();
      auto operand = BindExpr(*u.operand, ctx);
      if (u.op == ast::UnaryOp::Not) {
        return MakeNode(BoundKind::Not, TypeId::Boolean, ToBoolean(std::move(operand), "NOT", u.operand->pos));
      }
      if (IsUntyped(*operand)) operand = Coerce(std::move(operand), operand->type.id == TypeId::Null ? TypeId::Integer : TypeId::Double);
      if (!operand->type.IsNumeric() && operand->type.id != TypeId::Interval) {
        throw Error(sqlstate::kUndefinedFunction, std::string("operator does not exist: ") + (u.op == ast::UnaryOp::Negate ? "-" : "+") + " " + TypeName(operand->type), u.pos);
      }
      if (u.op == ast::UnaryOp::Plus) return operand;
      LogicalType t = operand->type;
      auto e = MakeNode(BoundKind::Arith, t, std::move(operand));
      e->arith = ArithOp::Negate;
      return e;
    }
    case ExprKind::Binary: return BindBinary(*this, expr.As<ast::Binary>(), ctx);
    case ExprKind::IsNull: {
      const auto& n = expr.As<ast::IsNull>();
      auto e = MakeNode(BoundKind::IsNull, TypeId::Boolean, BindExpr(*n.operand, ctx));
      e->negated = n.negated;
      return e;
    }
    case ExprKind::IsBool: {
      const auto& ib = expr.As<ast::IsBool>();
      BoundExprPtr l = BindExpr(*ib.left, ctx);
      BoundExprPtr r = ib.right ? BindExpr(*ib.right, ctx) : MakeConstant(Value::Boolean(ib.value));
      MatchOperands(l, r);
      auto type = l->type.id == TypeId::Null ? r->type : (r->type.id == TypeId::Null ? l->type : CommonType(l->type, r->type).value_or(TypeId::Null));
      if (type.id == TypeId::Null && l->type.id != TypeId::Null && r->type.id != TypeId::Null) {
        ThrowOperator("IS DISTINCT FROM", l->type, r->type, ib.pos);
      }
      if (type.id == TypeId::Null) type = TypeId::Integer;
      auto e = MakeNode(BoundKind::IsDistinct, TypeId::Boolean, Coerce(std::move(l), type), Coerce(std::move(r), type));
      // x IS TRUE  ==  x IS NOT DISTINCT FROM TRUE
      e->negated = ib.right ? ib.negated : !ib.negated;
      return e;
    }
    case ExprKind::Between: {
      const auto& bt = expr.As<ast::Between>();
      auto operand = BindExpr(*bt.operand, ctx);
      auto low = BindComparison(CompareOp::GreaterEqual, operand->Copy(), BindExpr(*bt.low, ctx), bt.pos);
      auto high = BindComparison(CompareOp::LessEqual, std::move(operand), BindExpr(*bt.high, ctx), bt.pos);
      auto both = MakeNode(BoundKind::And, TypeId::Boolean, std::move(low), std::move(high));
      return bt.negated ? MakeNode(BoundKind::Not, TypeId::Boolean, std::move(both)) : std::move(both);
    }
    case ExprKind::InList: return BindInList(*this, expr.As<ast::InList>(), ctx);
    case ExprKind::InSubquery: {
      const auto& in = expr.As<ast::InSubquery>();
      auto e = BindQuantified(*this, BindExpr(*in.operand, ctx), *in.query, ctx, SubqueryKind::In, CompareOp::Equal, in.pos);
      e->negated = in.negated;
      return e;
    }
    case ExprKind::Exists: {
      const auto& ex = expr.As<ast::Exists>();
      auto e = BindSubquery(*this, *ex.query, ctx, SubqueryKind::Exists, ex.pos);
      e->negated = ex.negated;
      return e;
    }
    case ExprKind::ScalarSubquery:
      return BindSubquery(*this, *expr.As<ast::ScalarSubquery>().query, ctx, SubqueryKind::Scalar, expr.pos);
    case ExprKind::Quantified: {
      const auto& q = expr.As<ast::Quantified>();
      return BindQuantified(*this, BindExpr(*q.operand, ctx), *q.query, ctx, q.all ? SubqueryKind::All : SubqueryKind::Any,
                            ToCompareOp(q.op), q.pos);
    }
    case ExprKind::Case: return BindCase(*this, expr.As<ast::Case>(), ctx);
    case ExprKind::Cast: return BindCast(*this, expr.As<ast::Cast>(), ctx);
    case ExprKind::Function: return BindFunction(*this, expr.As<ast::Function>(), ctx);
    case ExprKind::Interval: return BindIntervalLiteral(expr.As<ast::Interval>());
  }
  ThrowInternal("unknown expression kind");
}

BoundExprPtr Binder::CoerceForAssignment(BoundExprPtr expr, const LogicalType& target, const std::string& column, int pos) {
  const LogicalType& from = expr->type;
  bool ok = from == target || IsUntyped(*expr) || ImplicitCastCost(from, target) >= 0 ||
            (from.IsNumeric() && target.IsNumeric()) || target.id == TypeId::Varchar ||
            (from.id == TypeId::Varchar && target.id == TypeId::Varchar);
  if (!ok) {
    throw Error(sqlstate::kDatatypeMismatch,
                "column \"" + column + "\" is of type " + TypeName(target) + " but expression is of type " +
                    TypeName(from),
                pos);
  }
  return Coerce(std::move(expr), target);
}

}  // namespace lyt
