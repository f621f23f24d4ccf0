#include "common/cast.h"
#include "common/shortest_digits.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "common/datetime.h"
#include "common/interval.h"
#include "common/error.h"

namespace lyt {

namespace {

// The type name PostgreSQL's input and cast errors use ("timestamp", "character varying"), which
// differs from the pg_typeof spelling only for those two types.
const char* PgTypeName(TypeId id) {
  if (id == TypeId::Timestamp) return "timestamp";
  if (id == TypeId::Varchar) return "character varying";
  return LogicalType(id).SqlName();
}

// Position in the numeric widening order, or -1 for non-numeric types.
int NumericRank(TypeId id) {
  switch (id) {
    case TypeId::SmallInt: return 0;
    case TypeId::Integer: return 1;
    case TypeId::BigInt: return 2;
    case TypeId::Real: return 3;
    case TypeId::Double: return 4;
    default: return -1;
  }
}

bool IsIntegerId(TypeId id) { return id == TypeId::SmallInt || id == TypeId::Integer || id == TypeId::BigInt; }

[[noreturn]] void ThrowOutOfRange(TypeId id) {
  throw Error(sqlstate::kNumericOutOfRange, std::string(PgTypeName(id)) + " out of range");
}

[[noreturn]] void ThrowBadText(TypeId id, std::string_view text) {
  throw Error(sqlstate::kInvalidTextRepresentation,
              "invalid input syntax for type " + std::string(PgTypeName(id)) + ": \"" + std::string(text) + "\"");
}

[[noreturn]] void ThrowTextOutOfRange(TypeId id, std::string_view text) {
  throw Error(sqlstate::kNumericOutOfRange,
              "value \"" + std::string(text) + "\" is out of range for type " + PgTypeName(id));
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Byte offset just past the first `max_chars` UTF-8 characters of `s` (s.size() if fewer).
size_t PrefixBytes(std::string_view s, int64_t max_chars) {
  int64_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) return i;
      ++chars;
    }
  }
  return s.size();
}

// ---------------------------------------------------------------------------------------------
// Per-value conversions

template <class T>
T CheckIntRange(int64_t v, TypeId target) {
  if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) ThrowOutOfRange(target);
  return static_cast<T>(v);
}

// Rounds half to even (as PostgreSQL's rint) and range-checks; NaN and infinities are out of range.
template <class T>
T FloatToInt(double d, TypeId target) {
  double r = std::nearbyint(d);
  constexpr double kLow = static_cast<double>(std::numeric_limits<T>::min());  // -2^(bits-1), exact
  if (!(r >= kLow && r < -kLow)) ThrowOutOfRange(target);
  return static_cast<T>(r);
}

// Text -> integer of type T: surrounding whitespace, an optional sign, then decimal digits.
template <class T>
T ParseInt(std::string_view text, TypeId target) {
  std::string_view t = TrimSpaces(text);
  size_t i = 0;
  bool negative = false;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) negative = t[i++] == '-';
  if (i == t.size()) ThrowBadText(target, text);
  const uint64_t limit = static_cast<uint64_t>(std::numeric_limits<T>::max()) + (negative ? 1 : 0);
  uint64_t magnitude = 0;
  bool overflow = false;
  for (; i < t.size(); ++i) {
    if (t[i] < '0' || t[i] > '9') ThrowBadText(target, text);
    uint64_t digit = static_cast<uint64_t>(t[i] - '0');
    if (magnitude > (limit - digit) / 10) overflow = true;  // keep scanning: bad syntax wins
    if (!overflow) magnitude = magnitude * 10 + digit;
  }
  if (overflow) ThrowTextOutOfRange(target, text);
  return negative ? static_cast<T>(0 - magnitude) : static_cast<T>(magnitude);
}

// Text -> float or double: whitespace, sign, decimal or exponent form, Infinity/inf/NaN in any case.
template <class T>
T ParseFloat(std::string_view text, TypeId target) {
  std::string_view t = TrimSpaces(text);
  bool negative = false;
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) negative = t[0] == '-', t.remove_prefix(1);
  if (t.empty() || t[0] == '+' || t[0] == '-') ThrowBadText(target, text);
  T value{};
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value, std::chars_format::general);
  if (ec == std::errc::invalid_argument || end != t.data() + t.size()) ThrowBadText(target, text);
  if (ec == std::errc::result_out_of_range) {
    throw Error(sqlstate::kNumericOutOfRange,
                "\"" + std::string(text) + "\" is out of range for type " + PgTypeName(target));
  }
  return negative ? -value : value;
}

// Accepts PostgreSQL's boolean spellings: unique prefixes of true/false/yes/no, on/off, 1/0.
bool ParseBool(std::string_view text) {
  std::string_view t = TrimSpaces(text);
  char buf[8];
  if (t.empty() || t.size() > 5) ThrowBadText(TypeId::Boolean, text);
  for (size_t i = 0; i < t.size(); ++i) buf[i] = AsciiLower(t[i]);
  std::string_view w(buf, t.size());
  auto prefix_of = [&](std::string_view word, size_t min_len) {
    return w.size() >= min_len && w.size() <= word.size() && word.substr(0, w.size()) == w;
  };
  if (prefix_of("true", 1) || prefix_of("yes", 1) || prefix_of("on", 2) || w == "1") return true;
  if (prefix_of("false", 1) || prefix_of("no", 1) || prefix_of("off", 2) || w == "0") return false;
  ThrowBadText(TypeId::Boolean, text);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Text -> blob bytes: '\x' followed by hex pairs (whitespace allowed between pairs), otherwise the
// text's bytes as they are.
StringRef ParseBlob(std::string_view text, Vector& dst) {
  if (text.size() < 2 || text[0] != '\\' || (text[1] != 'x' && text[1] != 'X')) return dst.AddString(text);
  char* out = dst.heap().Allocate((text.size() - 2) / 2);
  uint32_t n = 0;
  for (size_t i = 2; i < text.size();) {
    if (IsSpace(text[i])) {
      ++i;
      continue;
    }
    int hi = HexValue(text[i]);
    if (hi < 0) {
      throw Error(sqlstate::kInvalidParameterValue, "invalid hexadecimal digit: \"" + std::string(1, text[i]) + "\"");
    }
    if (i + 1 >= text.size()) {
      throw Error(sqlstate::kInvalidTextRepresentation, "invalid hexadecimal data: odd number of digits");
    }
    int lo = HexValue(text[i + 1]);
    if (lo < 0) {
      throw Error(sqlstate::kInvalidParameterValue,
                  "invalid hexadecimal digit: \"" + std::string(1, text[i + 1]) + "\"");
    }
    out[n++] = static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return StringRef{out, n};
}

// Whether bad date/time text has the ISO layout (Y-M-D [H:M[:S[.F]]] [BC|AD], digit counts
// unchecked), so that its failure to parse means a field is out of range (22008) rather than bad
// syntax (22007).
bool LooksLikeDateTime(std::string_view text) {
  std::string_view t = TrimSpaces(text);
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > start;
  };
  auto accept = [&](char c) {
    if (i == t.size() || t[i] != c) return false;
    ++i;
    return true;
  };
  auto spaces = [&] {
    size_t start = i;
    while (i < t.size() && t[i] == ' ') ++i;
    return i > start;
  };
  if (!(digits() && accept('-') && digits() && accept('-') && digits())) return false;
  bool spaced = spaces();
  if (accept('T') || accept('t') || (spaced && i < t.size() && t[i] >= '0' && t[i] <= '9')) {
    if (!(digits() && accept(':') && digits())) return false;
    if (accept(':') && !(digits() && (!accept('.') || digits()))) return false;
    spaces();
  }
  std::string_view rest = t.substr(i);
  if (rest.empty()) return true;
  return rest.size() == 2 && (AsciiLower(rest[0]) == 'b' || AsciiLower(rest[0]) == 'a') &&
         AsciiLower(rest[1]) == (AsciiLower(rest[0]) == 'b' ? 'c' : 'd');
}

[[noreturn]] void ThrowBadDateTime(TypeId id, std::string_view text) {
  if (LooksLikeDateTime(text)) {
    throw Error(sqlstate::kDatetimeFieldOverflow, "date/time field value out of range: \"" + std::string(text) + "\"");
  }
  throw Error(sqlstate::kInvalidDatetimeFormat,
              "invalid input syntax for type " + std::string(PgTypeName(id)) + ": \"" + std::string(text) + "\"");
}

int64_t DateToTimestamp(int32_t days) {
  int64_t micros = 0;
  if (__builtin_mul_overflow(static_cast<int64_t>(days), kMicrosPerDay, &micros) || !TimestampInRange(micros)) {
    throw Error(sqlstate::kDatetimeFieldOverflow, "date out of range for timestamp");
  }
  return micros;
}

int32_t TimestampToDate(int64_t micros) {
  int64_t days = micros / kMicrosPerDay;
  if (micros % kMicrosPerDay < 0) --days;
  return static_cast<int32_t>(days);
}

// Shortest round-trip text of a float or double in PostgreSQL's layout: fixed notation when the
// decimal exponent is in [-4, fixed_limit), otherwise d.ddde+XX. Returns the length written.
template <class T>
size_t FormatShortest(T v, int fixed_limit, char* buf) {
  auto put = [&](std::string_view s) {
    std::memcpy(buf, s.data(), s.size());
    return s.size();
  };
  if (std::isnan(v)) return put("NaN");
  if (std::isinf(v)) return put(v > 0 ? "Infinity" : "-Infinity");
  if (v == 0) return put(std::signbit(v) ? "-0" : "0");
  ShortestDigits sd = ToShortestDigits(v);
  const char* digits = sd.digits;
  int ndigits = sd.count;
  int exp = sd.exponent;
  bool negative = sd.negative;
  if (exp < -4 || exp >= fixed_limit) return put(std::string_view(sd.scientific, sd.scientific_length));
  size_t n = 0;
  if (negative) buf[n++] = '-';
  if (exp < 0) {
    buf[n++] = '0';
    buf[n++] = '.';
    for (int i = -1; i > exp; --i) buf[n++] = '0';
    for (int i = 0; i < ndigits; ++i) buf[n++] = digits[i];
    return n;
  }
  for (int i = 0; i <= exp; ++i) buf[n++] = i < ndigits ? digits[i] : '0';
  if (ndigits > exp + 1) {
    buf[n++] = '.';
    for (int i = exp + 1; i < ndigits; ++i) buf[n++] = digits[i];
  }
  return n;
}

constexpr int kDoubleFixedLimit = 15;  // DBL_DIG, as PostgreSQL
constexpr int kFloatFixedLimit = 6;    // FLT_DIG

size_t FormatBlobTo(std::string_view bytes, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out[0] = '\\';
  out[1] = 'x';
  size_t n = 2;
  for (unsigned char b : bytes) {
    out[n++] = kHex[b >> 4];
    out[n++] = kHex[b & 15];
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Vector loops

// Applies `op` to every non-NULL selected row of src (physical type S), storing a D in dst.
template <class S, class D, class Op>
void ForRows(const Vector& src, Vector& dst, const sel_t* sel, idx_t count, Op op) {
  const S* in = src.data<S>();
  D* out = dst.data<D>();
  const uint8_t* in_nulls = src.nulls();
  uint8_t* out_nulls = dst.nulls();
  for (idx_t i = 0; i < count; ++i) {
    idx_t r = sel ? sel[i] : i;
    if (in_nulls[r]) {
      out_nulls[r] = 1;
      continue;
    }
    out_nulls[r] = 0;
    out[r] = op(in[r]);
  }
}

// Calls f(S{}) with the physical type of a numeric or boolean type id.
template <class F>
void WithNumeric(TypeId id, F&& f) {
  switch (id) {
    case TypeId::Boolean: f(uint8_t{}); return;
    case TypeId::SmallInt: f(int16_t{}); return;
    case TypeId::Integer: f(int32_t{}); return;
    case TypeId::BigInt: f(int64_t{}); return;
    case TypeId::Real: f(float{}); return;
    case TypeId::Double: f(double{}); return;
    default: ThrowInternal("cast: not a numeric type");
  }
}

template <class T>
void CastToInteger(const Vector& src, Vector& dst, const sel_t* sel, idx_t count) {
  const TypeId target = dst.type().id;
  TypeId from = src.type().id;
  if (from == TypeId::Varchar) {
    ForRows<StringRef, T>(src, dst, sel, count, [&](StringRef s) { return ParseInt<T>(s.view(), target); });
    return;
  }
  WithNumeric(from, [&](auto tag) {
    using S = decltype(tag);
    ForRows<S, T>(src, dst, sel, count, [&](S v) {
      if constexpr (std::is_floating_point_v<S>) return FloatToInt<T>(v, target);
      else return CheckIntRange<T>(static_cast<int64_t>(v), target);
    });
  });
}

template <class T>
void CastToFloat(const Vector& src, Vector& dst, const sel_t* sel, idx_t count) {
  const TypeId target = dst.type().id;
  TypeId from = src.type().id;
  if (from == TypeId::Varchar) {
    ForRows<StringRef, T>(src, dst, sel, count, [&](StringRef s) { return ParseFloat<T>(s.view(), target); });
    return;
  }
  WithNumeric(from, [&](auto tag) {
    using S = decltype(tag);
    ForRows<S, T>(src, dst, sel, count, [](S v) {
      T r = static_cast<T>(v);
      if constexpr (std::is_same_v<S, double> && std::is_same_v<T, float>) {
        if (std::isinf(r) && !std::isinf(v)) {
          throw Error(sqlstate::kNumericOutOfRange, "value out of range: overflow");
        }
        if (r == 0 && v != 0) throw Error(sqlstate::kNumericOutOfRange, "value out of range: underflow");
      }
      return r;
    });
  });
}

void CastToBoolean(const Vector& src, Vector& dst, const sel_t* sel, idx_t count) {
  TypeId from = src.type().id;
  if (from == TypeId::Varchar) {
    ForRows<StringRef, uint8_t>(src, dst, sel, count, [](StringRef s) -> uint8_t { return ParseBool(s.view()); });
    return;
  }
  WithNumeric(from, [&](auto tag) {
    using S = decltype(tag);
    ForRows<S, uint8_t>(src, dst, sel, count, [](S v) -> uint8_t { return v != 0; });
  });
}

// Fails with 22001 when a value is longer than `max_chars` characters, except that (as in
// PostgreSQL) excess characters that are all spaces are silently cut off.
StringRef EnforceLength(StringRef s, int32_t max_chars) {
  if (s.size <= static_cast<uint32_t>(max_chars)) return s;  // no more characters than bytes
  size_t keep = PrefixBytes(s.view(), max_chars);
  if (keep == s.size) return s;
  for (size_t i = keep; i < s.size; ++i) {
    if (s.data[i] != ' ') {
      throw Error(sqlstate::kStringDataRightTruncation,
                  "value too long for type character varying(" + std::to_string(max_chars) + ")");
    }
  }
  return StringRef{s.data, static_cast<uint32_t>(keep)};
}

void CastToVarchar(const Vector& src, Vector& dst, const sel_t* sel, idx_t count) {
  const int32_t max_chars = dst.type().max_length;
  auto emit = [&](std::string_view text) {
    StringRef s = dst.AddString(text);
    return max_chars >= 0 ? EnforceLength(s, max_chars) : s;
  };
  char buf[64];
  switch (src.type().id) {
    case TypeId::Varchar:
      ForRows<StringRef, StringRef>(src, dst, sel, count, [&](StringRef s) {
        // Checked before copying so a too-long value is not copied only to be rejected.
        return dst.AddString(max_chars >= 0 ? EnforceLength(s, max_chars).view() : s.view());
      });
      return;
    case TypeId::Blob:
      ForRows<StringRef, StringRef>(src, dst, sel, count, [&](StringRef s) {
        char* out = dst.heap().Allocate(2 + 2 * static_cast<size_t>(s.size));
        StringRef text{out, static_cast<uint32_t>(FormatBlobTo(s.view(), out))};
        return max_chars >= 0 ? EnforceLength(text, max_chars) : text;
      });
      return;
    case TypeId::Boolean:
      ForRows<uint8_t, StringRef>(src, dst, sel, count, [&](uint8_t b) { return emit(b ? "true" : "false"); });
      return;
    case TypeId::Real:
      ForRows<float, StringRef>(src, dst, sel, count, [&](float v) {
        return emit({buf, FormatShortest(v, kFloatFixedLimit, buf)});
      });
      return;
    case TypeId::Double:
      ForRows<double, StringRef>(src, dst, sel, count, [&](double v) {
        return emit({buf, FormatShortest(v, kDoubleFixedLimit, buf)});
      });
      return;
    case TypeId::Date:
      ForRows<int32_t, StringRef>(src, dst, sel, count, [&](int32_t d) { return emit(FormatDate(d)); });
      return;
    case TypeId::Timestamp:
      ForRows<int64_t, StringRef>(src, dst, sel, count, [&](int64_t t) { return emit(FormatTimestamp(t)); });
      return;
    case TypeId::Interval:
      ForRows<Interval, StringRef>(src, dst, sel, count, [&](const Interval& iv) { return emit(FormatInterval(iv)); });
      return;
    default:
      WithNumeric(src.type().id, [&](auto tag) {
        using S = decltype(tag);
        ForRows<S, StringRef>(src, dst, sel, count, [&](S v) {
          return emit({buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf)});
        });
      });
  }
}

void CastToBlob(const Vector& src, Vector& dst, const sel_t* sel, idx_t count) {
  if (src.type().id == TypeId::Blob) {
    ForRows<StringRef, StringRef>(src, dst, sel, count, [&](StringRef s) { return dst.AddString(s.view()); });
  } else {
    ForRows<StringRef, StringRef>(src, dst, sel, count, [&](StringRef s) { return ParseBlob(s.view(), dst); });
  }
}

void CastToDate(const Vector& src, Vector& dst, const sel_t* sel, idx_t count) {
  switch (src.type().id) {
    case TypeId::Varchar:
      ForRows<StringRef, int32_t>(src, dst, sel, count, [](StringRef s) {
        std::optional<int32_t> d = ParseDate(s.view());
        if (!d) ThrowBadDateTime(TypeId::Date, s.view());
        return *d;
      });
      return;
    case TypeId::Timestamp: ForRows<int64_t, int32_t>(src, dst, sel, count, TimestampToDate); return;
    default: ForRows<int32_t, int32_t>(src, dst, sel, count, [](int32_t d) { return d; });
  }
}

void CastToTimestamp(const Vector& src, Vector& dst, const sel_t* sel, idx_t count) {
  switch (src.type().id) {
    case TypeId::Varchar:
      ForRows<StringRef, int64_t>(src, dst, sel, count, [](StringRef s) {
        std::optional<int64_t> t = ParseTimestamp(s.view());
        if (!t) ThrowBadDateTime(TypeId::Timestamp, s.view());
        return *t;
      });
      return;
    case TypeId::Date: ForRows<int32_t, int64_t>(src, dst, sel, count, DateToTimestamp); return;
    default: ForRows<int64_t, int64_t>(src, dst, sel, count, [](int64_t t) { return t; });
  }
}

void CastToInterval(const Vector& src, Vector& dst, const sel_t* sel, idx_t count) {
  if (src.type().id == TypeId::Interval) {
    ForRows<Interval, Interval>(src, dst, sel, count, [](const Interval& iv) { return iv; });
    return;
  }
  ForRows<StringRef, Interval>(src, dst, sel, count, [](StringRef s) {
    std::optional<Interval> iv = ParseInterval(s.view());
    if (!iv) {
      throw Error(sqlstate::kInvalidDatetimeFormat, "invalid input syntax for type interval: \"" + std::string(s.view()) + "\"");
    }
    return *iv;
  });
}

}  // namespace

// Integers prefer DOUBLE PRECISION over REAL, as PostgreSQL's preferred type of the numeric
// category does, so int -> double costs less than int -> real.
int ImplicitCastCost(const LogicalType& from, const LogicalType& to) {
  if (from.id == to.id) return 0;
  if (from.id == TypeId::Null) return 1;
  if (from.id == TypeId::Date && to.id == TypeId::Timestamp) return 1;
  int a = NumericRank(from.id), b = NumericRank(to.id);
  if (a < 0 || b < 0 || a >= b) return -1;
  if (IsIntegerId(from.id) && to.id == TypeId::Double) return 3;
  if (IsIntegerId(from.id) && to.id == TypeId::Real) return 4;
  return b - a;
}

std::optional<LogicalType> CommonType(const LogicalType& a, const LogicalType& b) {
  if (a.id == TypeId::Null) return b;
  if (b.id == TypeId::Null) return a;
  if (a.id == b.id) {
    if (a.id == TypeId::Varchar && a.max_length != b.max_length) return LogicalType(TypeId::Varchar);
    return a;
  }
  int ra = NumericRank(a.id), rb = NumericRank(b.id);
  if (ra >= 0 && rb >= 0) {
    if ((a.id == TypeId::Real && IsIntegerId(b.id)) || (b.id == TypeId::Real && IsIntegerId(a.id))) {
      return LogicalType(TypeId::Double);
    }
    return ra > rb ? a : b;
  }
  if (a.IsTemporal() && b.IsTemporal()) return LogicalType(TypeId::Timestamp);
  return std::nullopt;
}

bool CanCastExplicitly(const LogicalType& from, const LogicalType& to) {
  if (from.id == to.id || from.id == TypeId::Null) return true;
  if (to.id == TypeId::Null) return false;
  if (from.IsNumeric() && to.IsNumeric()) return true;
  if (from.id == TypeId::Varchar || to.id == TypeId::Varchar) return true;
  if ((from.id == TypeId::Boolean && to.IsInteger()) || (from.IsInteger() && to.id == TypeId::Boolean)) return true;
  return from.IsTemporal() && to.IsTemporal();
}

void CastVector(const Vector& src, Vector& dst, const sel_t* sel, idx_t count) {
  const LogicalType& from = src.type();
  const LogicalType& to = dst.type();
  if (!CanCastExplicitly(from, to)) {
    throw Error(sqlstate::kCannotCoerce, "cannot cast type " + std::string(PgTypeName(from.id)) + " to " + PgTypeName(to.id));
  }
  if (from.id == TypeId::Null || to.id == TypeId::Null) {
    for (idx_t i = 0; i < count; ++i) dst.SetNull(sel ? sel[i] : i);
    return;
  }
  switch (to.id) {
    case TypeId::Boolean: CastToBoolean(src, dst, sel, count); return;
    case TypeId::SmallInt: CastToInteger<int16_t>(src, dst, sel, count); return;
    case TypeId::Integer: CastToInteger<int32_t>(src, dst, sel, count); return;
    case TypeId::BigInt: CastToInteger<int64_t>(src, dst, sel, count); return;
    case TypeId::Real: CastToFloat<float>(src, dst, sel, count); return;
    case TypeId::Double: CastToFloat<double>(src, dst, sel, count); return;
    case TypeId::Varchar: CastToVarchar(src, dst, sel, count); return;
    case TypeId::Blob: CastToBlob(src, dst, sel, count); return;
    case TypeId::Date: CastToDate(src, dst, sel, count); return;
    case TypeId::Timestamp: CastToTimestamp(src, dst, sel, count); return;
    case TypeId::Interval: CastToInterval(src, dst, sel, count); return;
    case TypeId::Null: return;
  }
}

Value CastValue(const Value& value, const LogicalType& to) {
  if (value.is_null()) {
    if (!CanCastExplicitly(value.type(), to)) {
      throw Error(sqlstate::kCannotCoerce, "cannot cast type " + std::string(PgTypeName(value.type().id)) + " to " + PgTypeName(to.id));
    }
    return Value::Null(to);
  }
  Vector src(value.type(), 1);
  src.SetValue(0, value);
  Vector dst(to, 1);
  CastVector(src, dst, nullptr, 1);
  return dst.GetValue(0);
}

std::string FormatDouble(double d) {
  char buf[64];
  return std::string(buf, FormatShortest(d, kDoubleFixedLimit, buf));
}

std::string FormatReal(float f) {
  char buf[64];
  return std::string(buf, FormatShortest(f, kFloatFixedLimit, buf));
}

std::string FormatBlob(std::string_view bytes) {
  std::string out(2 + 2 * bytes.size(), '\0');
  FormatBlobTo(bytes, out.data());
  return out;
}

void TruncateToLength(Vector& v, const sel_t* sel, idx_t count, int32_t max_chars) {
  StringRef* data = v.data<StringRef>();
  for (idx_t i = 0; i < count; ++i) {
    idx_t r = sel ? sel[i] : i;
    if (v.IsNull(r) || data[r].size <= static_cast<uint32_t>(max_chars)) continue;
    data[r].size = static_cast<uint32_t>(PrefixBytes(data[r].view(), max_chars));
  }
}

}  // namespace lyt
