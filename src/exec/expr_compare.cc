// Comparison operators: producing Boolean vectors, or selections for filters.
#include "common/error.h"
#include "common/interval.h"
#include "exec/expr_internal.h"

namespace lyt {

namespace {

template <class T>
inline int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}
template <>
inline int Cmp<StringRef>(const StringRef& a, const StringRef& b) {
  return a.Compare(b);
}
template <>
inline int Cmp<Interval>(const Interval& a, const Interval& b) {
  return CompareIntervals(a, b);
}
// Floats order as in PostgreSQL: NaN equals NaN and sorts above every other value.
template <>
inline int Cmp<double>(const double& a, const double& b) {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a == b) return 0;
  bool an = a != a, bn = b != b;
  return an == bn ? 0 : (an ? 1 : -1);
}
template <>
inline int Cmp<float>(const float& a, const float& b) {
  return Cmp<double>(a, b);
}

template <class T>
inline bool Apply(CompareOp op, const T& a, const T& b) {
  switch (op) {
    case CompareOp::Equal: return a == b;
    case CompareOp::NotEqual: return a != b;
    case CompareOp::Less: return a < b;
    case CompareOp::LessEqual: return a <= b;
    case CompareOp::Greater: return a > b;
    case CompareOp::GreaterEqual: return a >= b;
  }
  return false;
}

template <class T>
inline bool Test(CompareOp op, const T& a, const T& b) {
  if constexpr (std::is_integral_v<T>) {
    return Apply(op, a, b);
  } else {
    if constexpr (std::is_floating_point_v<T>) {
      // Ordinary numbers compare directly; NaN (which sorts above everything) goes through Cmp.
      if (__builtin_expect(a == a && b == b, 1)) return Apply(op, a, b);
    }
    return Apply(op, Cmp<T>(a, b), 0);
  }
}

template <class T, class Op>
idx_t SelectLoop(const T* a, const uint8_t* an, const T* b, const uint8_t* bn, bool b_constant, const sel_t* sel,
                 idx_t count, sel_t* out, Op test) {
  idx_t n = 0;
  if (b_constant) {
    const T c = b[0];
    ForRows(sel, count, [&](idx_t i) {
      out[n] = static_cast<sel_t>(i);
      n += (!an[i] && test(a[i], c));
    });
  } else {
    ForRows(sel, count, [&](idx_t i) {
      out[n] = static_cast<sel_t>(i);
      n += (!(an[i] | bn[i]) && test(a[i], b[i]));
    });
  }
  return n;
}

template <class T>
idx_t SelectTyped(CompareOp op, const T* a, const uint8_t* an, const T* b, const uint8_t* bn, bool b_constant,
                  const sel_t* sel, idx_t count, sel_t* out) {
  switch (op) {
    case CompareOp::Equal: return SelectLoop(a, an, b, bn, b_constant, sel, count, out, [](const T& x, const T& y) { return Test(CompareOp::Equal, x, y); });
    case CompareOp::NotEqual: return SelectLoop(a, an, b, bn, b_constant, sel, count, out, [](const T& x, const T& y) { return Test(CompareOp::NotEqual, x, y); });
    case CompareOp::Less: return SelectLoop(a, an, b, bn, b_constant, sel, count, out, [](const T& x, const T& y) { return Test(CompareOp::Less, x, y); });
    case CompareOp::LessEqual: return SelectLoop(a, an, b, bn, b_constant, sel, count, out, [](const T& x, const T& y) { return Test(CompareOp::LessEqual, x, y); });
    case CompareOp::Greater: return SelectLoop(a, an, b, bn, b_constant, sel, count, out, [](const T& x, const T& y) { return Test(CompareOp::Greater, x, y); });
    case CompareOp::GreaterEqual: return SelectLoop(a, an, b, bn, b_constant, sel, count, out, [](const T& x, const T& y) { return Test(CompareOp::GreaterEqual, x, y); });
  }
  return 0;
}

template <class T>
idx_t SelectVectors(CompareOp op, const Vector& l, const Vector& r, bool r_constant, const sel_t* sel, idx_t count,
                    sel_t* out) {
  return SelectTyped<T>(op, l.data<T>(), l.nulls(), r.data<T>(), r.nulls(), r_constant, sel, count, out);
}

template <class T>
void CompareTyped(CompareOp op, const Vector& l, const Vector& r, const sel_t* sel, idx_t count, Vector& out) {
  const T* a = l.data<T>();
  const T* b = r.data<T>();
  uint8_t* res = out.data<uint8_t>();
  uint8_t* on = out.nulls();
  ForRows(sel, count, [&](idx_t i) {
    on[i] = l.nulls()[i] | r.nulls()[i];
    res[i] = !on[i] && Test(op, a[i], b[i]);
  });
}

idx_t Dispatch(CompareOp op, const Vector& l, const Vector& r, bool r_constant, const sel_t* sel, idx_t count, sel_t* out) {
  switch (l.type().id) {
    case TypeId::Boolean: return SelectVectors<uint8_t>(op, l, r, r_constant, sel, count, out);
    case TypeId::SmallInt: return SelectVectors<int16_t>(op, l, r, r_constant, sel, count, out);
    case TypeId::Integer:
    case TypeId::Date: return SelectVectors<int32_t>(op, l, r, r_constant, sel, count, out);
    case TypeId::BigInt:
    case TypeId::Timestamp: return SelectVectors<int64_t>(op, l, r, r_constant, sel, count, out);
    case TypeId::Real: return SelectVectors<float>(op, l, r, r_constant, sel, count, out);
    case TypeId::Double: return SelectVectors<double>(op, l, r, r_constant, sel, count, out);
    case TypeId::Varchar:
    case TypeId::Blob: return SelectVectors<StringRef>(op, l, r, r_constant, sel, count, out);
    case TypeId::Interval: return SelectVectors<Interval>(op, l, r, r_constant, sel, count, out);
    case TypeId::Null: return 0;
  }
  return 0;
}

}  // namespace

int CompareValues(const Vector& va, idx_t a, const Vector& vb, idx_t b) {
  switch (va.type().id) {
    case TypeId::Boolean: return Cmp(va.data<uint8_t>()[a], vb.data<uint8_t>()[b]);
    case TypeId::SmallInt: return Cmp(va.data<int16_t>()[a], vb.data<int16_t>()[b]);
    case TypeId::Integer:
    case TypeId::Date: return Cmp(va.data<int32_t>()[a], vb.data<int32_t>()[b]);
    case TypeId::BigInt:
    case TypeId::Timestamp: return Cmp(va.data<int64_t>()[a], vb.data<int64_t>()[b]);
    case TypeId::Real: return Cmp<float>(va.data<float>()[a], vb.data<float>()[b]);
    case TypeId::Double: return Cmp<double>(va.data<double>()[a], vb.data<double>()[b]);
    case TypeId::Varchar:
    case TypeId::Blob: return va.data<StringRef>()[a].Compare(vb.data<StringRef>()[b]);
    case TypeId::Interval: return CompareIntervals(va.data<Interval>()[a], vb.data<Interval>()[b]);
    case TypeId::Null: return 0;
  }
  return 0;
}

int CompareSortKey(const Vector& va, idx_t a, const Vector& vb, idx_t b, bool descending, bool nulls_first) {
  bool na = va.IsNull(a), nb = vb.IsNull(b);
  if (na || nb) return na == nb ? 0 : (na == nulls_first ? -1 : 1);
  int c = CompareValues(va, a, vb, b);
  return descending ? -c : c;
}

void ExecuteCompare(CompareOp op, const Vector& l, const Vector& r, const sel_t* sel, idx_t count, Vector& out) {
  switch (l.type().id) {
    case TypeId::Boolean: return CompareTyped<uint8_t>(op, l, r, sel, count, out);
    case TypeId::SmallInt: return CompareTyped<int16_t>(op, l, r, sel, count, out);
    case TypeId::Integer:
    case TypeId::Date: return CompareTyped<int32_t>(op, l, r, sel, count, out);
    case TypeId::BigInt:
    case TypeId::Timestamp: return CompareTyped<int64_t>(op, l, r, sel, count, out);
    case TypeId::Real: return CompareTyped<float>(op, l, r, sel, count, out);
    case TypeId::Double: return CompareTyped<double>(op, l, r, sel, count, out);
    case TypeId::Varchar:
    case TypeId::Blob: return CompareTyped<StringRef>(op, l, r, sel, count, out);
    case TypeId::Interval: return CompareTyped<Interval>(op, l, r, sel, count, out);
    case TypeId::Null:
      ForRows(sel, count, [&](idx_t i) { out.nulls()[i] = 1; });
      return;
  }
}

idx_t SelectCompare(CompareOp op, const Vector& l, const Vector& r, const sel_t* sel, idx_t count, sel_t* out) {
  return Dispatch(op, l, r, false, sel, count, out);
}

idx_t SelectCompareConstant(CompareOp op, const Vector& column, const Value& constant, const sel_t* sel, idx_t count,
                            sel_t* out) {
  Vector c(column.type(), 1);
  c.SetValue(0, constant);
  return Dispatch(op, column, c, true, sel, count, out);
}

}  // namespace lyt
