// Binding of window function calls, f(...) OVER (PARTITION BY ... ORDER BY ... frame): each call
// becomes a WindowCall of the enclosing SELECT (ExprContext::windows) and the expression in its
// place a WindowRef to it. BindSelect later puts a Window node under the select list.
#include <algorithm>

#include "common/error.h"
#include "plan/binder.h"
#include "plan/coercion.h"

namespace lyt {

namespace {

using ast::FrameBoundKind;

const char kWindowArgsClause[] = "window function calls";

struct WindowFunctionInfo {
  const char* name;
  WindowKind kind;
  size_t min_args, max_args;
};

// The functions that exist only as window functions; aggregates are the other kind of call
// OVER accepts.
constexpr WindowFunctionInfo kWindowFunctions[] = {
    {"row_number", WindowKind::RowNumber, 0, 0},  {"rank", WindowKind::Rank, 0, 0},
    {"dense_rank", WindowKind::DenseRank, 0, 0},  {"percent_rank", WindowKind::PercentRank, 0, 0},
    {"cume_dist", WindowKind::CumeDist, 0, 0},    {"ntile", WindowKind::Ntile, 1, 1},
    {"lag", WindowKind::Lag, 1, 3},               {"lead", WindowKind::Lead, 1, 3},
    {"first_value", WindowKind::FirstValue, 1, 1}, {"last_value", WindowKind::LastValue, 1, 1},
    {"nth_value", WindowKind::NthValue, 2, 2},
};

const WindowFunctionInfo* FindWindowFunction(const std::string& name) {
  for (const auto& info : kWindowFunctions) {
    if (name == info.name) return &info;
  }
  return nullptr;
}

// The aggregates that can run over a window frame.
bool IsWindowAggregate(const std::string& name) {
  return name == "count" || name == "sum" || name == "avg" || name == "min" || name == "max" || name == "total";
}

std::string Signature(const std::string& name, const std::vector<BoundExprPtr>& args) {
  std::string s = name + "(";
  for (size_t i = 0; i < args.size(); ++i) s += std::string(i ? ", " : "") + args[i]->type.SqlName();
  return s + ")";
}

// Makes args[i] (an offset or a count) a BigInt, or throws 42883 when it is not an integer.
void IntegerArg(std::vector<BoundExprPtr>& args, size_t i, const ast::Function& f) {
  if (!args[i]->type.IsInteger() && !IsUntyped(*args[i])) {
    throw Error(sqlstate::kUndefinedFunction, "function " + Signature(f.name, args) + " does not exist", f.pos);
  }
  args[i] = Coerce(std::move(args[i]), TypeId::BigInt);
}

// A frame offset: a constant non-negative integer.
int64_t FrameOffset(Binder& b, const ast::FrameBound& bound, bool start, bool rows, const Scope* scope) {
  const char* unit = rows ? "ROWS" : "RANGE";
  auto e = b.BindExpr(*bound.offset, ExprContext{scope, nullptr, unit});
  if (!e->IsFoldable()) {
    throw Error("42P20", std::string("argument of ") + unit + " must not contain variables", bound.offset->pos);
  }
  if (IsUntyped(*e)) e = Coerce(std::move(e), TypeId::BigInt);
  if (!e->type.IsInteger()) {
    throw Error(sqlstate::kDatatypeMismatch,
                std::string("argument of ") + unit + " must be type bigint, not type " + e->type.SqlName(), bound.offset->pos);
  }
  Value v = b.EvaluateConstant(*e);
  const char* which = start ? "frame starting offset" : "frame ending offset";
  if (v.is_null()) throw Error("22004", std::string(which) + " must not be null", bound.offset->pos);
  if (v.AsInt64() < 0) throw Error("22013", std::string(which) + " must not be negative", bound.offset->pos);
  return v.AsInt64();
}

void BindFrame(Binder& b, const ast::WindowFrame* frame, WindowCall& call, const Scope* scope) {
  if (!frame) return;  // the WindowCall defaults: RANGE UNBOUNDED PRECEDING .. CURRENT ROW
  if (frame->unit == ast::FrameUnit::Groups) {
    throw Error(sqlstate::kFeatureNotSupported, "GROUPS window frames are not supported", frame->pos);
  }
  FrameBoundKind start = frame->start.kind, end = frame->end.kind;
  auto fail = [&](const char* message, int pos) { throw Error("42P20", message, pos); };
  if (start == FrameBoundKind::UnboundedFollowing) fail("frame start cannot be UNBOUNDED FOLLOWING", frame->start.pos);
  if (end == FrameBoundKind::UnboundedPreceding) fail("frame end cannot be UNBOUNDED PRECEDING", frame->end.pos);
  if (start == FrameBoundKind::CurrentRow && end == FrameBoundKind::Preceding) {
    fail("frame starting from current row cannot have preceding rows", frame->end.pos);
  }
  if (start == FrameBoundKind::Following && (end == FrameBoundKind::Preceding || end == FrameBoundKind::CurrentRow)) {
    fail("frame starting from following row cannot have preceding rows", frame->end.pos);
  }
  call.rows_frame = frame->unit == ast::FrameUnit::Rows;
  bool offsets = frame->start.offset || frame->end.offset;
  if (offsets && !call.rows_frame) {
    throw Error(sqlstate::kFeatureNotSupported, "RANGE with offset PRECEDING/FOLLOWING is not supported", frame->pos);
  }
  call.frame_start.kind = start;
  call.frame_end.kind = end;
  if (frame->start.offset) call.frame_start.offset = FrameOffset(b, frame->start, true, call.rows_frame, scope);
  if (frame->end.offset) call.frame_end.offset = FrameOffset(b, frame->end, false, call.rows_frame, scope);
}

// The WINDOW clause entry `spec` builds on, checked as PostgreSQL does; null when none.
const ast::WindowSpec* BaseWindow(const ast::WindowSpec& spec, const std::vector<ast::NamedWindow>* named) {
  if (spec.base.empty()) return nullptr;
  const ast::WindowSpec* base = nullptr;
  for (size_t i = 0; named && i < named->size() && !base; ++i) {
    if ((*named)[i].name == spec.base) base = (*named)[i].spec.get();
  }
  const std::string quoted = "\"" + spec.base + "\"";
  if (!base) throw Error(sqlstate::kUndefinedObject, "window " + quoted + " does not exist", spec.pos);
  if (!base->base.empty()) {
    throw Error(sqlstate::kFeatureNotSupported, "a window in the WINDOW clause cannot refer to another window", spec.pos);
  }
  if (!spec.partition_by.empty()) throw Error("42P20", "cannot override PARTITION BY clause of window " + quoted, spec.pos);
  if (!spec.order_by.empty() && !base->order_by.empty()) {
    throw Error("42P20", "cannot override ORDER BY clause of window " + quoted, spec.pos);
  }
  if (spec.copy && base->frame) {
    throw Error("42P20", "cannot copy window " + quoted + " because it has a frame clause", spec.pos);
  }
  return base;
}

void BindWindowSpec(Binder& b, const ast::WindowSpec& spec, const ExprContext& ctx, WindowCall& call) {
  const ast::WindowSpec* base = BaseWindow(spec, ctx.named_windows);
  const ast::WindowSpec& partitions = base ? *base : spec;
  const ast::WindowSpec& order = base && !base->order_by.empty() ? *base : spec;
  const ast::WindowFrame* frame = spec.frame ? spec.frame.get() : base ? base->frame.get() : nullptr;
  auto key = [&](const ast::Expr& e) {
    auto bound = b.BindExpr(e, ctx);
    if (IsUntyped(*bound)) bound = Coerce(std::move(bound), TypeId::Varchar);
    return bound;
  };
  for (const auto& p : partitions.partition_by) call.partitions.push_back(key(*p));
  for (const auto& item : order.order_by) {
    call.order_exprs.push_back(key(*item.expr));
    OrderKey order;
    order.descending = item.descending;
    order.nulls_first = item.nulls_first.value_or(item.descending);
    call.order.push_back(order);
  }
  BindFrame(b, frame, call, ctx.scope);
}

// The arguments and result type of a window-only function.
void BindWindowArgs(Binder& b, const ast::Function& f, const WindowFunctionInfo& info, const ExprContext& ctx,
                    WindowCall& call) {
  if (f.star) throw Error(sqlstate::kSyntaxError, f.name + "(*) is only valid for count", f.pos);
  if (f.distinct) throw Error(sqlstate::kFeatureNotSupported, "DISTINCT is not implemented for window functions", f.pos);
  if (f.filter) {
    throw Error(sqlstate::kFeatureNotSupported, "FILTER is not implemented for non-aggregate window functions", f.pos);
  }
  for (const auto& a : f.args) call.args.push_back(b.BindExpr(*a, ctx));
  auto& args = call.args;
  if (args.size() < info.min_args || args.size() > info.max_args) {
    throw Error(sqlstate::kUndefinedFunction, "function " + Signature(f.name, args) + " does not exist", f.pos);
  }
  switch (info.kind) {
    case WindowKind::RowNumber:
    case WindowKind::Rank:
    case WindowKind::DenseRank: call.type = TypeId::BigInt; return;
    case WindowKind::PercentRank:
    case WindowKind::CumeDist: call.type = TypeId::Double; return;
    case WindowKind::Ntile:
      IntegerArg(args, 0, f);
      call.type = TypeId::Integer;
      return;
    case WindowKind::NthValue: IntegerArg(args, 1, f); break;
    case WindowKind::Lag:
    case WindowKind::Lead: {
      if (args.size() == 1) args.push_back(MakeConstant(Value::BigInt(1)));
      IntegerArg(args, 1, f);
      if (args.size() == 3) {
        LogicalType t = UnifyTypes(std::vector<const BoundExpr*>{args[0].get(), args[2].get()}, f.name.c_str(), f.pos);
        if (t.id == TypeId::Varchar) t = LogicalType(TypeId::Varchar);
        args[0] = Coerce(std::move(args[0]), t);
        args[2] = Coerce(std::move(args[2]), t);
      }
      break;
    }
    default: break;
  }
  if (IsUntyped(*args[0])) args[0] = Coerce(std::move(args[0]), args[0]->type.id == TypeId::Null ? TypeId::Integer : TypeId::Varchar);
  call.type = args[0]->type;
}

[[noreturn]] void ThrowNotAllowed(const ast::Function& f, const ExprContext& ctx) {
  if (ctx.clause == kWindowArgsClause) throw Error("42P20", "window function calls cannot be nested", f.pos);
  if (std::string(ctx.clause) == "aggregate function calls") {
    throw Error(sqlstate::kGroupingError, "aggregate function calls cannot contain window function calls", f.pos);
  }
  throw Error("42P20", std::string("window functions are not allowed in ") + ctx.clause, f.pos);
}

}  // namespace

bool IsWindowOnlyFunction(const std::string& name) { return FindWindowFunction(name) != nullptr; }

BoundExprPtr BindWindowFunction(Binder& b, const ast::Function& f, const ExprContext& ctx) {
  const WindowFunctionInfo* info = FindWindowFunction(f.name);
  if (!f.over) throw Error("42809", "window function " + f.name + " requires an OVER clause", f.pos);
  if (!ctx.windows) ThrowNotAllowed(f, ctx);
  // Arguments and keys see the query's aggregates (windows run over grouped rows) but no windows.
  ExprContext inner{ctx.scope, ctx.aggregates, kWindowArgsClause, nullptr, ctx.named_windows};
  WindowCall call;
  call.name = f.name;
  if (info) {
    call.kind = info->kind;
    BindWindowArgs(b, f, *info, inner, call);
  } else if (IsWindowAggregate(f.name)) {
    if (f.distinct) throw Error(sqlstate::kFeatureNotSupported, "DISTINCT is not implemented for window functions", f.pos);
    std::vector<AggregateCall> one;
    BindAggregate(b, f, ExprContext{ctx.scope, &one, ctx.clause}, ctx.aggregates);
    call.kind = WindowKind::Aggregate;
    call.aggregate = std::move(one[0]);
    call.type = call.aggregate.type;
  } else if (f.name == "string_agg" || f.name == "bool_and" || f.name == "bool_or" || f.name == "every") {
    throw Error(sqlstate::kFeatureNotSupported, f.name + " is not supported as a window function", f.pos);
  } else if (FunctionRegistry::Global().Find(f.name)) {
    throw Error("42809", "OVER specified, but " + f.name + " is not a window function nor an aggregate function", f.pos);
  } else {
    throw Error(sqlstate::kUndefinedFunction, "function " + f.name + " does not exist", f.pos);
  }
  BindWindowSpec(b, *f.over, inner, call);
  auto ref = std::make_unique<BoundExpr>(BoundKind::WindowRef, call.type);
  ref->column = ctx.windows->size();
  ref->name = f.name;
  ctx.windows->push_back(std::move(call));
  if (f.name == "total") return MakeNode(BoundKind::Coalesce, TypeId::Double, std::move(ref), MakeConstant(Value::Double(0)));  // as BindAggregate
  return ref;
}

}  // namespace lyt
