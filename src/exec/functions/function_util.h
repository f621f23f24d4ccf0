// Building blocks shared by the scalar function files: row loops over FunctionArgs, registration
// shorthands and UTF-8 helpers. Internal to src/exec/functions/.
#pragma once

#include <cmath>
#include <cstring>
#include <string_view>
#include <utility>

#include "common/cast.h"
#include "common/error.h"
#include "common/interval.h"
#include "exec/scalar_function.h"

namespace lyt::fnutil {

inline constexpr LogicalType kBool{TypeId::Boolean};
inline constexpr LogicalType kSmallInt{TypeId::SmallInt};
inline constexpr LogicalType kInt{TypeId::Integer};
inline constexpr LogicalType kBigInt{TypeId::BigInt};
inline constexpr LogicalType kReal{TypeId::Real};
inline constexpr LogicalType kDouble{TypeId::Double};
inline constexpr LogicalType kText{TypeId::Varchar};
inline constexpr LogicalType kBlob{TypeId::Blob};
inline constexpr LogicalType kDate{TypeId::Date};
inline constexpr LogicalType kTimestamp{TypeId::Timestamp};
inline constexpr LogicalType kInterval{TypeId::Interval};

// ---------------------------------------------------------------------------------------------
// Row loops. Each computes out[row] = op(args...) for the selected rows and marks them non-NULL;
// A.. are the physical argument types (StringRef for text), R the physical result type.

template <class R, class Op>
void Nullary(const FunctionArgs& a, Vector& out, Op op) {
  R* o = out.data<R>();
  uint8_t* nulls = out.nulls();
  for (idx_t i = 0; i < a.count; ++i) {
    idx_t r = a.row(i);
    o[r] = op();
    nulls[r] = 0;
  }
}

template <class R, class A, class Op>
void Unary(const FunctionArgs& a, Vector& out, Op op) {
  const A* x = a.args[0]->data<A>();
  R* o = out.data<R>();
  uint8_t* nulls = out.nulls();
  for (idx_t i = 0; i < a.count; ++i) {
    idx_t r = a.row(i);
    o[r] = op(x[r]);
    nulls[r] = 0;
  }
}

template <class R, class A, class B, class Op>
void Binary(const FunctionArgs& a, Vector& out, Op op) {
  const A* x = a.args[0]->data<A>();
  const B* y = a.args[1]->data<B>();
  R* o = out.data<R>();
  uint8_t* nulls = out.nulls();
  for (idx_t i = 0; i < a.count; ++i) {
    idx_t r = a.row(i);
    o[r] = op(x[r], y[r]);
    nulls[r] = 0;
  }
}

template <class R, class A, class B, class C, class Op>
void Ternary(const FunctionArgs& a, Vector& out, Op op) {
  const A* x = a.args[0]->data<A>();
  const B* y = a.args[1]->data<B>();
  const C* z = a.args[2]->data<C>();
  R* o = out.data<R>();
  uint8_t* nulls = out.nulls();
  for (idx_t i = 0; i < a.count; ++i) {
    idx_t r = a.row(i);
    o[r] = op(x[r], y[r], z[r]);
    nulls[r] = 0;
  }
}

// The same loops as ScalarFns.
template <class R, class A, class Op>
ScalarFn UnaryFn(Op op) {
  return [op](const FunctionArgs& a, Vector& out) { Unary<R, A>(a, out, op); };
}
template <class R, class A, class B, class Op>
ScalarFn BinaryFn(Op op) {
  return [op](const FunctionArgs& a, Vector& out) { Binary<R, A, B>(a, out, op); };
}
template <class R, class A, class B, class C, class Op>
ScalarFn TernaryFn(Op op) {
  return [op](const FunctionArgs& a, Vector& out) { Ternary<R, A, B, C>(a, out, op); };
}

// Registers a fixed-signature, NULL-in-NULL-out function.
inline void AddFunction(FunctionRegistry& registry, std::string name, std::vector<LogicalType> args,
                        LogicalType result, ScalarFn fn) {
  ScalarFunction f;
  f.name = std::move(name);
  f.args = std::move(args);
  f.result = result;
  f.fn = std::move(fn);
  registry.Add(std::move(f));
}

// Calls f(T{}) with the physical type of any value type; used by polymorphic functions.
template <class F>
void WithPhysicalType(TypeId id, F&& f) {
  switch (id) {
    case TypeId::Null:
    case TypeId::Boolean: f(uint8_t{}); return;
    case TypeId::SmallInt: f(int16_t{}); return;
    case TypeId::Integer:
    case TypeId::Date: f(int32_t{}); return;
    case TypeId::BigInt:
    case TypeId::Timestamp: f(int64_t{}); return;
    case TypeId::Real: f(float{}); return;
    case TypeId::Double: f(double{}); return;
    case TypeId::Varchar:
    case TypeId::Blob: f(StringRef{}); return;
    case TypeId::Interval: f(Interval{}); return;
  }
}

// Ordering of values of one physical type: strings bytewise, NaN above every other float and
// equal to itself, as in PostgreSQL.
template <class T>
int CompareValues(T a, T b) {
  if constexpr (std::is_same_v<T, StringRef>) {
    return a.Compare(b);
  } else if constexpr (std::is_same_v<T, Interval>) {
    return CompareIntervals(a, b);
  } else {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(a) || std::isnan(b)) return std::isnan(a) - std::isnan(b);
    }
    return a < b ? -1 : (a > b ? 1 : 0);
  }
}

// BindFn of polymorphic functions: every argument is cast to the common type of all of them,
// which is also the result type.
inline std::optional<LogicalType> BindCommonType(std::vector<LogicalType>& types) {
  if (types.empty()) return std::nullopt;
  LogicalType common = types[0];
  for (const LogicalType& t : types) {
    std::optional<LogicalType> c = CommonType(common, t);
    if (!c) return std::nullopt;
    common = *c;
  }
  for (LogicalType& t : types) t = common;
  return common;
}

// ---------------------------------------------------------------------------------------------
// UTF-8. Invalid sequences are not rejected: a stray byte counts as one character.

inline bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Byte length of the character starting with `lead`.
inline size_t Utf8CharLength(char lead) {
  unsigned char c = static_cast<unsigned char>(lead);
  if (c < 0xC0) return 1;
  if (c < 0xE0) return 2;
  if (c < 0xF0) return 3;
  return 4;
}

inline int64_t CountChars(std::string_view s) {
  int64_t n = 0;
  for (char c : s) n += !IsContinuation(c);
  return n;
}

// Byte offset just past the first `chars` characters of `s` (s.size() if it has fewer).
inline size_t SkipChars(std::string_view s, int64_t chars) {
  size_t i = 0;
  while (chars > 0 && i < s.size()) {
    i += Utf8CharLength(s[i]);
    --chars;
  }
  return i < s.size() ? i : s.size();
}

// The code point at the start of `s` (which is not empty).
inline uint32_t DecodeChar(std::string_view s) {
  unsigned char c = static_cast<unsigned char>(s[0]);
  size_t n = Utf8CharLength(s[0]);
  if (n == 1 || n > s.size()) return c;
  uint32_t cp = c & (0x7F >> n);
  for (size_t i = 1; i < n; ++i) cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
  return cp;
}

// Writes code point `cp` (<= 0x10FFFF) as UTF-8 and returns its length.
inline size_t EncodeChar(uint32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

// Copies `src` to `dst` (no-op when empty, so null data pointers are fine); returns the end.
inline char* AppendBytes(char* dst, std::string_view src) {
  if (!src.empty()) std::memcpy(dst, src.data(), src.size());
  return dst + src.size();
}

inline char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
inline char AsciiUpper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }

// Largest string a function may build, as PostgreSQL's 1 GB allocation limit.
inline constexpr int64_t kMaxStringBytes = int64_t{1} << 30;

inline void CheckResultLength(int64_t bytes) {
  if (bytes > kMaxStringBytes) throw Error(sqlstate::kProgramLimitExceeded, "requested length too large");
}

}  // namespace lyt::fnutil
