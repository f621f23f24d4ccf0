// Numeric functions: abs, round, floor, ceil, trunc, mod, power, sqrt, exp, ln, log, sign, pi,
// random, trigonometry, greatest, least.
#include <charconv>
#include <cmath>
#include <limits>
#include <numbers>

#include "common/shortest_digits.h"
#include "exec/functions/function_util.h"

namespace lyt {

namespace {

using namespace fnutil;

// SQLSTATEs PostgreSQL uses for domain errors of math functions.
constexpr const char* kInvalidArgumentForLog = "2201E";
constexpr const char* kInvalidArgumentForPower = "2201F";

template <class T>
const char* IntegerTypeName() {
  if constexpr (std::is_same_v<T, int16_t>) return "smallint";
  else if constexpr (std::is_same_v<T, int32_t>) return "integer";
  else return "bigint";
}

template <class T>
[[noreturn]] void ThrowIntegerOutOfRange() {
  throw Error(sqlstate::kNumericOutOfRange, std::string(IntegerTypeName<T>()) + " out of range");
}

[[noreturn]] void ThrowOverflow() { throw Error(sqlstate::kNumericOutOfRange, "value out of range: overflow"); }
[[noreturn]] void ThrowUnderflow() { throw Error(sqlstate::kNumericOutOfRange, "value out of range: underflow"); }

// Checks a float result computed from finite input `x`, as PostgreSQL's float checks do.
double CheckFloat(double result, double x) {
  if (std::isinf(result) && std::isfinite(x)) ThrowOverflow();
  return result;
}

template <class T>
T CheckedAbs(T v) {
  if (v == std::numeric_limits<T>::min()) ThrowIntegerOutOfRange<T>();
  return v < 0 ? static_cast<T>(-v) : v;
}

template <class T>
T CheckedMod(T a, T b) {
  if (b == 0) throw Error(sqlstate::kDivisionByZero, "division by zero");
  if (b == -1) return 0;  // avoids the overflow of MIN % -1
  return static_cast<T>(a % b);
}

// Rounds (or truncates) x to `places` decimal places (negative: left of the point). Works on the
// shortest decimal text of x, so round(2.675, 2) is 2.68 as written rather than 2.67 from the
// binary value 2.67499999...; ties round away from zero.
double RoundDecimal(double x, int64_t places, bool truncate) {
  if (!std::isfinite(x) || x == 0) return x;
  ShortestDigits sd = ToShortestDigits(x);
  const char* digits = sd.digits;
  int ndigits = sd.count;
  int exp = sd.exponent;
  bool negative = sd.negative;

  const int64_t keep = exp + 1 + places;  // significant digits that survive
  if (keep >= ndigits) return x;
  if (keep < 0) return negative ? -0.0 : 0.0;
  // mantissa = '0' digits[0..keep), incremented when rounding up; value = mantissa * 10^scale.
  char text[64];
  int n = 0;
  if (negative) text[n++] = '-';
  text[n++] = '0';
  for (int i = 0; i < keep; ++i) text[n++] = digits[i];
  if (!truncate && digits[keep] >= '5') {
    int i = n - 1;
    while (text[i] == '9') text[i--] = '0';
    ++text[i];  // stops at the leading '0' at the latest
  }
  text[n++] = 'e';
  n = static_cast<int>(std::to_chars(text + n, text + sizeof text, exp + 1 - keep).ptr - text);
  double result = 0;
  auto [end, ec] = std::from_chars(text, text + n, result);
  if (ec == std::errc::result_out_of_range) ThrowOverflow();
  return result;
}

double Power(double x, double y) {
  if (std::isnan(x) || std::isnan(y)) return std::pow(x, y);  // pow(1, NaN) = pow(NaN, 0) = 1
  if (x == 0 && y < 0) throw Error(kInvalidArgumentForPower, "zero raised to a negative power is undefined");
  if (x < 0 && std::floor(y) != y) {
    throw Error(kInvalidArgumentForPower, "a negative number raised to a non-integer power yields a complex result");
  }
  double r = std::pow(x, y);
  if (std::isinf(r) && std::isfinite(x) && std::isfinite(y)) ThrowOverflow();
  if (r == 0 && x != 0 && std::isfinite(x) && std::isfinite(y)) ThrowUnderflow();
  return r;
}

double Sqrt(double x) {
  if (x < 0) throw Error(kInvalidArgumentForPower, "cannot take square root of a negative number");
  return std::sqrt(x);
}

double Exp(double x) {
  double r = std::exp(x);
  if (r == 0 && !std::isinf(x)) ThrowUnderflow();
  return CheckFloat(r, x);
}

void CheckLogArgument(double x) {
  if (x == 0) throw Error(kInvalidArgumentForLog, "cannot take logarithm of zero");
  if (x < 0) throw Error(kInvalidArgumentForLog, "cannot take logarithm of a negative number");
}

double Ln(double x) {
  CheckLogArgument(x);
  return std::log(x);
}

double Log10(double x) {
  CheckLogArgument(x);
  return std::log10(x);
}

// log(b, x); log2 ratios give exact results for exact powers more often than ln ratios.
double LogBase(double b, double x) {
  CheckLogArgument(b);
  CheckLogArgument(x);
  double denominator = std::log2(b);
  if (denominator == 0) throw Error(sqlstate::kDivisionByZero, "division by zero");
  return std::log2(x) / denominator;
}

double Sign(double x) { return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0); }

double CheckUnitInterval(double x) {
  if (x < -1 || x > 1) throw Error(sqlstate::kNumericOutOfRange, "input is out of range");
  return x;
}

// greatest/least: the largest (smallest) non-NULL argument; NULL only when all are NULL.
template <bool kGreatest>
void GreatestLeast(const FunctionArgs& a, Vector& out) {
  WithPhysicalType(out.type().id, [&](auto tag) {
    using T = decltype(tag);
    T* o = out.data<T>();
    for (idx_t i = 0; i < a.count; ++i) {
      idx_t r = a.row(i);
      bool found = false;
      T best{};
      for (const Vector* v : a.args) {
        if (v->IsNull(r)) continue;
        T x = v->data<T>()[r];
        int c = found ? CompareValues(x, best) : 0;
        if (!found || (kGreatest ? c > 0 : c < 0)) best = x, found = true;
      }
      out.SetNull(r, !found);
      if (!found) continue;
      if constexpr (std::is_same_v<T, StringRef>) o[r] = out.AddString(best.view());
      else o[r] = best;
    }
  });
}

template <class T>
void AddIntegerFunctions(FunctionRegistry& r, LogicalType type) {
  AddFunction(r, "abs", {type}, type, UnaryFn<T, T>(CheckedAbs<T>));
  AddFunction(r, "mod", {type, type}, type, BinaryFn<T, T, T>(CheckedMod<T>));
}

void AddDoubleFunction(FunctionRegistry& r, std::string name, double (*op)(double)) {
  AddFunction(r, std::move(name), {kDouble}, kDouble, UnaryFn<double, double>(op));
}

void AddDoubleFunction2(FunctionRegistry& r, std::string name, double (*op)(double, double)) {
  AddFunction(r, std::move(name), {kDouble, kDouble}, kDouble, BinaryFn<double, double, double>(op));
}

void AddGreatestLeast(FunctionRegistry& r, std::string name, ScalarFn fn) {
  ScalarFunction f;
  f.name = name;
  f.fn = std::move(fn);
  // Arguments that share no type are a type error (42804), as in PostgreSQL, not a missing
  // overload.
  f.bind = [name](std::vector<LogicalType>& types) -> std::optional<LogicalType> {
    LogicalType common = types.empty() ? LogicalType(TypeId::Null) : types[0];
    for (const LogicalType& t : types) {
      std::optional<LogicalType> c = CommonType(common, t);
      if (!c) {
        std::string upper = name;
        for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        throw Error(sqlstate::kDatatypeMismatch,
                    upper + " types " + common.SqlName() + " and " + t.SqlName() + " cannot be matched");
      }
      common = *c;
    }
    return BindCommonType(types);
  };
  f.null_in_null_out = false;
  r.Add(std::move(f));
}

}  // namespace

void RegisterMathFunctions(FunctionRegistry& r) {
  AddIntegerFunctions<int16_t>(r, kSmallInt);
  AddIntegerFunctions<int32_t>(r, kInt);
  AddIntegerFunctions<int64_t>(r, kBigInt);
  AddFunction(r, "abs", {kReal}, kReal, UnaryFn<float, float>([](float x) { return std::fabs(x); }));
  AddDoubleFunction(r, "abs", [](double x) { return std::fabs(x); });

  AddDoubleFunction(r, "round", [](double x) { return std::round(x); });
  AddFunction(r, "round", {kDouble, kInt}, kDouble,
              BinaryFn<double, double, int32_t>([](double x, int32_t n) { return RoundDecimal(x, n, false); }));
  AddDoubleFunction(r, "trunc", [](double x) { return std::trunc(x); });
  AddFunction(r, "trunc", {kDouble, kInt}, kDouble,
              BinaryFn<double, double, int32_t>([](double x, int32_t n) { return RoundDecimal(x, n, true); }));
  AddDoubleFunction(r, "floor", [](double x) { return std::floor(x); });
  AddDoubleFunction(r, "ceil", [](double x) { return std::ceil(x); });
  AddDoubleFunction(r, "ceiling", [](double x) { return std::ceil(x); });
  AddDoubleFunction(r, "sign", Sign);

  AddDoubleFunction2(r, "power", Power);
  AddDoubleFunction2(r, "pow", Power);
  AddDoubleFunction(r, "sqrt", Sqrt);
  // libm's cbrt can be off by one ulp for perfect cubes; one Newton step fixes it.
  AddDoubleFunction(r, "cbrt", [](double x) {
    double y = std::cbrt(x);
    if (std::isfinite(y) && y != 0.0) y += (x / (y * y) - y) / 3.0;
    return y;
  });
  AddDoubleFunction(r, "exp", Exp);
  AddDoubleFunction(r, "ln", Ln);
  AddDoubleFunction(r, "log", Log10);
  AddDoubleFunction(r, "log10", Log10);
  AddDoubleFunction2(r, "log", LogBase);

  AddDoubleFunction(r, "sin", [](double x) { return std::sin(x); });
  AddDoubleFunction(r, "cos", [](double x) { return std::cos(x); });
  AddDoubleFunction(r, "tan", [](double x) { return std::tan(x); });
  AddDoubleFunction(r, "asin", [](double x) { return std::asin(CheckUnitInterval(x)); });
  AddDoubleFunction(r, "acos", [](double x) { return std::acos(CheckUnitInterval(x)); });
  AddDoubleFunction(r, "atan", [](double x) { return std::atan(x); });
  AddDoubleFunction2(r, "atan2", [](double y, double x) { return std::atan2(y, x); });
  AddDoubleFunction(r, "degrees", [](double x) { return CheckFloat(x * (180.0 / std::numbers::pi), x); });
  AddDoubleFunction(r, "radians", [](double x) { return x * (std::numbers::pi / 180.0); });

  AddFunction(r, "pi", {}, kDouble, [](const FunctionArgs& a, Vector& out) {
    Nullary<double>(a, out, [] { return std::numbers::pi; });
  });

  ScalarFunction random;
  random.name = "random";
  random.result = kDouble;
  random.is_volatile = true;
  random.fn = [](const FunctionArgs& a, Vector& out) {
    if (!a.context.rng) ThrowInternal("random() called without a random number generator");
    std::mt19937_64& rng = *a.context.rng;
    // The top 53 bits scaled by 2^-53: uniform over [0, 1), never 1.
    Nullary<double>(a, out, [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; });
  };
  r.Add(std::move(random));

  AddGreatestLeast(r, "greatest", GreatestLeast<true>);
  AddGreatestLeast(r, "least", GreatestLeast<false>);
}

}  // namespace lyt
