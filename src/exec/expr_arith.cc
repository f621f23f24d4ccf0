// Arithmetic operators over vectors, with PostgreSQL's errors for overflow and division by zero.
#include <cmath>
#include <limits>

#include "common/datetime.h"
#include "common/error.h"
#include "common/interval.h"
#include "exec/expr_internal.h"

namespace lyt {

namespace {

[[noreturn]] void ThrowOutOfRange(TypeId id) {
  const char* name = id == TypeId::SmallInt ? "smallint" : id == TypeId::Integer ? "integer" : id == TypeId::BigInt ? "bigint" : "value";
  throw Error(sqlstate::kNumericOutOfRange, std::string(name) + " out of range");
}
[[noreturn]] void ThrowDivisionByZero() { throw Error(sqlstate::kDivisionByZero, "division by zero"); }

template <class T>
void IntegerArith(ArithOp op, const Vector& l, const Vector* r, const sel_t* sel, idx_t count, Vector& out) {
  const T* a = l.data<T>();
  const T* b = r ? r->data<T>() : nullptr;
  T* res = out.data<T>();
  const uint8_t* an = l.nulls();
  const uint8_t* bn = r ? r->nulls() : nullptr;
  uint8_t* on = out.nulls();
  TypeId id = out.type().id;
  bool overflow = false;
  switch (op) {
    case ArithOp::Add:
      ForRows(sel, count, [&](idx_t i) {
        on[i] = an[i] | bn[i];
        overflow |= __builtin_add_overflow(a[i], b[i], &res[i]) && !on[i];
      });
      break;
    case ArithOp::Subtract:
      ForRows(sel, count, [&](idx_t i) {
        on[i] = an[i] | bn[i];
        overflow |= __builtin_sub_overflow(a[i], b[i], &res[i]) && !on[i];
      });
      break;
    case ArithOp::Multiply:
      ForRows(sel, count, [&](idx_t i) {
        on[i] = an[i] | bn[i];
        overflow |= __builtin_mul_overflow(a[i], b[i], &res[i]) && !on[i];
      });
      break;
    case ArithOp::Divide:
    case ArithOp::Modulo:
      ForRows(sel, count, [&](idx_t i) {
        on[i] = an[i] | bn[i];
        if (on[i]) {
          res[i] = 0;
          return;
        }
        if (b[i] == 0) ThrowDivisionByZero();
        if (b[i] == -1) {
          if (op == ArithOp::Modulo) {
            res[i] = 0;
          } else {
            overflow |= __builtin_sub_overflow(T(0), a[i], &res[i]);
          }
          return;
        }
        res[i] = op == ArithOp::Divide ? T(a[i] / b[i]) : T(a[i] % b[i]);
      });
      break;
    case ArithOp::Negate:
      ForRows(sel, count, [&](idx_t i) {
        on[i] = an[i];
        overflow |= __builtin_sub_overflow(T(0), a[i], &res[i]) && !on[i];
      });
      break;
  }
  if (overflow) ThrowOutOfRange(id);
}

template <class T>
void FloatArith(ArithOp op, const Vector& l, const Vector* r, const sel_t* sel, idx_t count, Vector& out) {
  const T* a = l.data<T>();
  const T* b = r ? r->data<T>() : nullptr;
  T* res = out.data<T>();
  const uint8_t* an = l.nulls();
  const uint8_t* bn = r ? r->nulls() : nullptr;
  uint8_t* on = out.nulls();
  switch (op) {
    case ArithOp::Add: ForRows(sel, count, [&](idx_t i) { on[i] = an[i] | bn[i]; res[i] = a[i] + b[i]; }); break;
    case ArithOp::Subtract: ForRows(sel, count, [&](idx_t i) { on[i] = an[i] | bn[i]; res[i] = a[i] - b[i]; }); break;
    case ArithOp::Multiply: ForRows(sel, count, [&](idx_t i) { on[i] = an[i] | bn[i]; res[i] = a[i] * b[i]; }); break;
    case ArithOp::Divide:
      ForRows(sel, count, [&](idx_t i) {
        on[i] = an[i] | bn[i];
        if (!on[i] && b[i] == 0) ThrowDivisionByZero();
        res[i] = on[i] ? 0 : a[i] / b[i];
      });
      break;
    case ArithOp::Modulo:
      ForRows(sel, count, [&](idx_t i) {
        on[i] = an[i] | bn[i];
        if (!on[i] && b[i] == 0) ThrowDivisionByZero();
        res[i] = on[i] ? 0 : std::fmod(a[i], b[i]);
      });
      break;
    case ArithOp::Negate: ForRows(sel, count, [&](idx_t i) { on[i] = an[i]; res[i] = -a[i]; }); break;
  }
  // Overflow to infinity from finite operands, and underflow of a product or quotient of
  // non-zero operands to zero, are errors, as in PostgreSQL.
  bool overflow = false, underflow = false;
  bool may_underflow = op == ArithOp::Multiply || op == ArithOp::Divide;
  ForRows(sel, count, [&](idx_t i) {
    if (on[i]) return;
    if (std::isinf(res[i])) overflow |= std::isfinite(a[i]) && (!b || std::isfinite(b[i]));
    if (may_underflow && res[i] == 0 && a[i] != 0 && std::isfinite(b[i])) {
      underflow |= op == ArithOp::Divide || (b[i] != 0 && std::isfinite(a[i]));
    }
  });
  if (overflow) throw Error(sqlstate::kNumericOutOfRange, "value out of range: overflow");
  if (underflow) throw Error(sqlstate::kNumericOutOfRange, "value out of range: underflow");
}

// date +/- integer days; date - date.
void DateArith(const BoundExpr& expr, const Vector& l, const Vector& r, const sel_t* sel, idx_t count, Vector& out) {
  const int32_t* a = l.data<int32_t>();
  const int32_t* b = r.data<int32_t>();
  int32_t* res = out.data<int32_t>();
  bool overflow = false;
  bool out_of_range = false;
  bool date_result = out.type().id == TypeId::Date;  // date +/- integer (date - date is an integer)
  ForRows(sel, count, [&](idx_t i) {
    out.nulls()[i] = l.nulls()[i] | r.nulls()[i];
    if (out.nulls()[i]) return;
    overflow |= expr.arith == ArithOp::Add ? __builtin_add_overflow(a[i], b[i], &res[i])
                                           : __builtin_sub_overflow(a[i], b[i], &res[i]);
    out_of_range |= date_result && !DateInRange(res[i]);
  });
  if (date_result && (overflow || out_of_range)) throw Error(sqlstate::kDatetimeFieldOverflow, "date out of range");
  if (overflow) ThrowOutOfRange(TypeId::Integer);
}

// out = op(l, r) for the selected rows where neither side is NULL.
template <class A, class B, class R, class Op>
void BinaryRows(const Vector& l, const Vector& r, const sel_t* sel, idx_t count, Vector& out, Op op) {
  const A* a = l.data<A>();
  const B* b = r.data<B>();
  R* res = out.data<R>();
  ForRows(sel, count, [&](idx_t i) {
    out.nulls()[i] = l.nulls()[i] | r.nulls()[i];
    if (!out.nulls()[i]) res[i] = op(a[i], b[i]);
  });
}

// The operators the binder binds for intervals (see BindIntervalArithmetic): timestamp +/-
// interval, interval +/- interval, interval * / double, -interval, timestamp - timestamp.
void IntervalArith(ArithOp op, const Vector& l, const Vector& r, const sel_t* sel, idx_t count, Vector& out) {
  bool subtract = op == ArithOp::Subtract;
  if (op == ArithOp::Negate) {
    return BinaryRows<Interval, Interval, Interval>(l, l, sel, count, out, [](const Interval& a, const Interval&) { return NegateInterval(a); });
  }
  if (l.type().id == TypeId::Timestamp && r.type().id == TypeId::Timestamp) {
    return BinaryRows<int64_t, int64_t, Interval>(l, r, sel, count, out, SubtractTimestamps);
  }
  if (l.type().id == TypeId::Timestamp) {
    return BinaryRows<int64_t, Interval, int64_t>(l, r, sel, count, out, [subtract](int64_t t, const Interval& iv) {
      return AddToTimestamp(t, subtract ? NegateInterval(iv) : iv);
    });
  }
  if (r.type().id == TypeId::Interval) {
    return BinaryRows<Interval, Interval, Interval>(l, r, sel, count, out, subtract ? SubtractIntervals : AddIntervals);
  }
  BinaryRows<Interval, double, Interval>(l, r, sel, count, out, op == ArithOp::Divide ? DivideInterval : MultiplyInterval);
}

}  // namespace

void ExecuteArith(const BoundExpr& expr, const Vector& left, const Vector* right, const sel_t* sel, idx_t count,
                  Vector& out) {
  const Vector& r = right ? *right : left;
  if (left.type().id == TypeId::Date) return DateArith(expr, left, r, sel, count, out);
  if (left.type().id == TypeId::Interval || left.type().id == TypeId::Timestamp) {
    return IntervalArith(expr.arith, left, r, sel, count, out);
  }
  const Vector* rp = right ? right : (expr.arith == ArithOp::Negate ? &left : nullptr);
  switch (out.type().id) {
    case TypeId::SmallInt: return IntegerArith<int16_t>(expr.arith, left, rp, sel, count, out);
    case TypeId::Integer: return IntegerArith<int32_t>(expr.arith, left, rp, sel, count, out);
    case TypeId::BigInt: return IntegerArith<int64_t>(expr.arith, left, rp, sel, count, out);
    case TypeId::Real: return FloatArith<float>(expr.arith, left, rp, sel, count, out);
    case TypeId::Double: return FloatArith<double>(expr.arith, left, rp, sel, count, out);
    default: ThrowInternal("arithmetic on " + out.type().ToString());
  }
}

}  // namespace lyt
