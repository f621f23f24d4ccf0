// The scalar function library (through the registry, called the way the expression executor
// calls it) and LIKE matching.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>

#include "common/cast.h"
#include "common/datetime.h"
#include "common/error.h"
#include "exec/like.h"
#include "exec/scalar_function.h"

namespace lyt {
namespace {

// ---------------------------------------------------------------------------------------------
// Harness

Value I(int32_t v) { return Value::Integer(v); }
Value S(int16_t v) { return Value::SmallInt(v); }
Value B(int64_t v) { return Value::BigInt(v); }
Value R(float v) { return Value::Real(v); }
Value D(double v) { return Value::Double(v); }
Value T(const char* s) { return Value::Varchar(s); }
Value N() { return Value(); }
Value Bool(bool b) { return Value::Boolean(b); }
Value Date(const char* s) { return Value::Date(*ParseDate(s)); }
Value Ts(const char* s) { return Value::Timestamp(*ParseTimestamp(s)); }

const int64_t kStatementTime = *ParseTimestamp("2024-05-06 07:08:09.123456");

struct Resolved {
  const ScalarFunction* function = nullptr;
  std::vector<LogicalType> params;
  LogicalType result;
};

// Overload resolution as the binder does it: a BindFn that accepts the argument types, else the
// fixed signature with the lowest total implicit-cast cost.
Resolved Resolve(const std::string& name, const std::vector<LogicalType>& types) {
  const std::vector<ScalarFunction>* overloads = FunctionRegistry::Global().Find(name);
  if (!overloads) throw std::runtime_error("no function " + name);
  Resolved best;
  int best_cost = std::numeric_limits<int>::max();
  for (const ScalarFunction& f : *overloads) {
    if (f.bind) {
      std::vector<LogicalType> params = types;
      if (std::optional<LogicalType> result = f.bind(params)) return Resolved{&f, params, *result};
      continue;
    }
    bool arity_ok = f.args.size() == types.size() || (f.varargs && types.size() > f.args.size());
    if (!arity_ok) continue;
    int cost = 0;
    std::vector<LogicalType> params;
    for (size_t i = 0; i < types.size() && cost >= 0; ++i) {
      LogicalType p = i < f.args.size() ? f.args[i] : *f.varargs;
      int c = ImplicitCastCost(types[i], p);
      cost = c < 0 ? -1 : cost + c;
      params.push_back(p);
    }
    if (cost >= 0 && cost < best_cost) best = Resolved{&f, params, f.result}, best_cost = cost;
  }
  if (!best.function) throw std::runtime_error("no overload of " + name + " fits");
  return best;
}

// Calls `name` on `rows` rows of argument columns (each column has one Value per row), computing
// only the rows in `sel` (all rows when empty), like the expression executor.
std::vector<Value> CallRows(const std::string& name, const std::vector<std::vector<Value>>& columns, idx_t rows,
                            const std::vector<sel_t>& sel = {}) {
  std::vector<LogicalType> types;
  for (const auto& column : columns) types.push_back(column.empty() ? LogicalType() : column[0].type());
  Resolved r = Resolve(name, types);
  std::vector<Vector> args;
  for (size_t a = 0; a < columns.size(); ++a) {
    args.emplace_back(r.params[a], rows);
    for (idx_t i = 0; i < rows; ++i) args.back().SetValue(i, CastValue(columns[a][i], r.params[a]));
  }
  std::vector<const Vector*> arg_ptrs;
  for (const Vector& v : args) arg_ptrs.push_back(&v);
  Vector out(r.result, rows);
  for (idx_t i = 0; i < rows; ++i) out.SetNull(i);  // rows that are not computed stay NULL

  std::vector<sel_t> live;
  for (idx_t i = 0; i < (sel.empty() ? rows : sel.size()); ++i) {
    sel_t row = sel.empty() ? static_cast<sel_t>(i) : sel[i];
    bool any_null = false;
    for (const Vector& v : args) any_null |= r.function->null_in_null_out && v.IsNull(row);
    if (!any_null) live.push_back(row);
  }
  std::mt19937_64 rng(42);
  FunctionContext context{kStatementTime, &rng};
  FunctionArgs fa{arg_ptrs, live.data(), live.size(), context};
  if (!live.empty()) r.function->fn(fa, out);

  std::vector<Value> result;
  for (idx_t i = 0; i < rows; ++i) result.push_back(out.GetValue(i));
  return result;
}

Value Call(const std::string& name, const std::vector<Value>& args) {
  std::vector<std::vector<Value>> columns;
  for (const Value& v : args) columns.push_back({v});
  return CallRows(name, columns, 1)[0];
}

LogicalType ResultType(const std::string& name, const std::vector<Value>& args) {
  std::vector<LogicalType> types;
  for (const Value& v : args) types.push_back(v.type());
  return Resolve(name, types).result;
}

// "SQLSTATE: message" of the error the call throws, or "" when it does not throw.
std::string ErrorOf(const std::string& name, const std::vector<Value>& args) {
  try {
    Call(name, args);
  } catch (const Error& e) {
    return std::string(e.sqlstate()) + ": " + e.what();
  }
  return "";
}

std::string StateOf(const std::string& name, const std::vector<Value>& args) {
  std::string e = ErrorOf(name, args);
  return e.substr(0, e.find(':'));
}

double Num(const Value& v) { return v.AsDouble(); }

// ---------------------------------------------------------------------------------------------
// Registry

TEST(Registry, NamesAndLookup) {
  const FunctionRegistry& registry = FunctionRegistry::Global();
  EXPECT_EQ(&registry, &FunctionRegistry::Global());
  std::vector<std::string> names = registry.Names();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  for (const char* name :
       {"abs", "round", "floor", "ceil", "ceiling", "trunc", "mod", "power", "pow", "sqrt", "exp", "ln", "log",
        "sign", "pi", "random", "greatest", "least", "length", "char_length", "character_length", "octet_length",
        "lower", "upper", "substr", "substring", "position", "strpos", "left", "right", "lpad", "rpad", "btrim",
        "ltrim", "rtrim", "trim", "replace", "concat", "concat_ws", "repeat", "reverse", "starts_with",
        "split_part", "initcap", "ascii", "chr", "now", "current_timestamp", "localtimestamp", "current_date",
        "extract", "date_part", "date_trunc", "make_date", "nullif", "typeof", "pg_typeof", "version"}) {
    EXPECT_NE(registry.Find(name), nullptr) << name;
  }
  EXPECT_EQ(registry.Find("coalesce"), nullptr);  // evaluated lazily by the executor
  EXPECT_EQ(registry.Find("no_such_function"), nullptr);
  for (const std::string& name : names) {
    for (const ScalarFunction& f : *registry.Find(name)) {
      EXPECT_EQ(f.name, name);
      EXPECT_TRUE(static_cast<bool>(f.fn)) << name;
      for (char c : name) EXPECT_FALSE(c >= 'A' && c <= 'Z') << name;
    }
  }
}

TEST(Registry, Volatility) {
  for (const char* name : {"random", "now", "current_timestamp", "localtimestamp", "current_date"}) {
    for (const ScalarFunction& f : *FunctionRegistry::Global().Find(name)) EXPECT_TRUE(f.is_volatile) << name;
  }
  for (const ScalarFunction& f : *FunctionRegistry::Global().Find("abs")) EXPECT_FALSE(f.is_volatile);
}

// ---------------------------------------------------------------------------------------------
// Math

TEST(MathFunctions, Abs) {
  EXPECT_EQ(Call("abs", {I(-5)}), I(5));
  EXPECT_EQ(Call("abs", {S(-5)}), S(5));
  EXPECT_EQ(Call("abs", {B(-5)}), B(5));
  EXPECT_EQ(Call("abs", {R(-1.5f)}), R(1.5f));
  EXPECT_EQ(Call("abs", {D(-2.25)}), D(2.25));
  EXPECT_EQ(Call("abs", {I(std::numeric_limits<int32_t>::max())}), I(std::numeric_limits<int32_t>::max()));
  EXPECT_EQ(ErrorOf("abs", {I(std::numeric_limits<int32_t>::min())}), "22003: integer out of range");
  EXPECT_EQ(ErrorOf("abs", {S(std::numeric_limits<int16_t>::min())}), "22003: smallint out of range");
  EXPECT_EQ(ErrorOf("abs", {B(std::numeric_limits<int64_t>::min())}), "22003: bigint out of range");
  EXPECT_EQ(Call("abs", {Value::Null(TypeId::Integer)}), Value::Null(TypeId::Integer));
}

TEST(MathFunctions, RoundHalfAwayFromZero) {
  EXPECT_EQ(Call("round", {D(2.5)}), D(3));
  EXPECT_EQ(Call("round", {D(-2.5)}), D(-3));
  EXPECT_EQ(Call("round", {D(0.49999999999999994)}), D(0));
  EXPECT_EQ(Call("round", {I(7)}), D(7));  // integers reach the double overload
  EXPECT_EQ(Call("round", {D(2.675), I(2)}), D(2.68));  // decimal, not binary, rounding
  EXPECT_EQ(Call("round", {D(1.005), I(2)}), D(1.01));
  EXPECT_EQ(Call("round", {D(-0.125), I(2)}), D(-0.13));
  EXPECT_EQ(Call("round", {D(1234.5678), I(-2)}), D(1200));
  EXPECT_EQ(Call("round", {D(5), I(-1)}), D(10));
  EXPECT_EQ(Call("round", {D(4), I(-1)}), D(0));
  EXPECT_EQ(Call("round", {D(999.99), I(1)}), D(1000));
  EXPECT_EQ(Call("round", {D(0.1), I(400)}), D(0.1));
  EXPECT_EQ(Call("round", {D(123.0), I(-400)}), D(0));
  EXPECT_EQ(Call("round", {D(1e-320), I(2)}), D(0));
  EXPECT_TRUE(std::isnan(Num(Call("round", {D(NAN), I(2)}))));
  EXPECT_EQ(StateOf("round", {D(1.7e308), I(-308)}), "22003");
}

TEST(MathFunctions, FloorCeilTruncSign) {
  EXPECT_EQ(Call("floor", {D(-1.5)}), D(-2));
  EXPECT_EQ(Call("ceil", {D(-1.5)}), D(-1));
  EXPECT_EQ(Call("ceiling", {D(1.2)}), D(2));
  EXPECT_EQ(Call("trunc", {D(-2.7)}), D(-2));
  EXPECT_EQ(Call("trunc", {D(1.999), I(2)}), D(1.99));
  EXPECT_EQ(Call("trunc", {D(-1.999), I(2)}), D(-1.99));
  EXPECT_EQ(Call("trunc", {D(1999), I(-3)}), D(1000));
  EXPECT_EQ(Call("sign", {D(-3.5)}), D(-1));
  EXPECT_EQ(Call("sign", {D(0)}), D(0));
  EXPECT_EQ(Call("sign", {I(9)}), D(1));
}

TEST(MathFunctions, Mod) {
  EXPECT_EQ(Call("mod", {I(7), I(3)}), I(1));
  EXPECT_EQ(Call("mod", {I(-7), I(3)}), I(-1));  // sign of the dividend, as PostgreSQL
  EXPECT_EQ(Call("mod", {S(7), S(-3)}), S(1));
  EXPECT_EQ(Call("mod", {B(10), B(5)}), B(0));
  EXPECT_EQ(Call("mod", {I(std::numeric_limits<int32_t>::min()), I(-1)}), I(0));
  EXPECT_EQ(Call("mod", {B(std::numeric_limits<int64_t>::min()), B(-1)}), B(0));
  EXPECT_EQ(ErrorOf("mod", {I(5), I(0)}), "22012: division by zero");
  EXPECT_EQ(StateOf("mod", {B(5), B(0)}), "22012");
  EXPECT_EQ(ResultType("mod", {S(1), I(2)}), LogicalType(TypeId::Integer));
}

TEST(MathFunctions, PowerSqrtExpLog) {
  EXPECT_EQ(Call("power", {D(2), D(10)}), D(1024));
  EXPECT_EQ(Call("pow", {I(-2), I(3)}), D(-8));
  EXPECT_EQ(Call("power", {D(NAN), D(0)}), D(1));
  EXPECT_EQ(ErrorOf("power", {D(0), D(-1)}), "2201F: zero raised to a negative power is undefined");
  EXPECT_EQ(StateOf("power", {D(-8), D(1.0 / 3)}), "2201F");
  EXPECT_EQ(ErrorOf("power", {D(10), D(400)}), "22003: value out of range: overflow");
  EXPECT_EQ(ErrorOf("power", {D(10), D(-400)}), "22003: value out of range: underflow");
  EXPECT_EQ(Call("sqrt", {D(16)}), D(4));
  EXPECT_EQ(ErrorOf("sqrt", {D(-1)}), "2201F: cannot take square root of a negative number");
  EXPECT_EQ(Call("exp", {D(0)}), D(1));
  EXPECT_EQ(ErrorOf("exp", {D(1000)}), "22003: value out of range: overflow");
  EXPECT_EQ(ErrorOf("exp", {D(-1000)}), "22003: value out of range: underflow");
  EXPECT_EQ(Call("exp", {D(-INFINITY)}), D(0));
  EXPECT_DOUBLE_EQ(Num(Call("ln", {D(std::numbers::e)})), 1.0);
  EXPECT_EQ(ErrorOf("ln", {D(0)}), "2201E: cannot take logarithm of zero");
  EXPECT_EQ(ErrorOf("ln", {D(-1)}), "2201E: cannot take logarithm of a negative number");
  EXPECT_EQ(Call("log", {D(1000)}), D(3));
  EXPECT_EQ(Call("log", {I(2), I(8)}), D(3));
  EXPECT_EQ(Call("log", {I(10), D(0.001)}), D(-3));
  EXPECT_EQ(Call("log", {I(5), I(125)}), D(3));
  EXPECT_EQ(StateOf("log", {I(1), I(10)}), "22012");
  EXPECT_EQ(StateOf("log", {I(-2), I(10)}), "2201E");
  EXPECT_EQ(StateOf("log", {D(0)}), "2201E");
}

TEST(MathFunctions, PiRandom) {
  EXPECT_EQ(Call("pi", {}), D(std::numbers::pi));
  std::vector<Value> values = CallRows("random", {}, 1000);
  double min = 1, max = 0;
  for (const Value& v : values) {
    ASSERT_EQ(v.type().id, TypeId::Double);
    min = std::min(min, v.AsDouble());
    max = std::max(max, v.AsDouble());
  }
  EXPECT_GE(min, 0.0);
  EXPECT_LT(max, 1.0);
  EXPECT_LT(min, 0.01);
  EXPECT_GT(max, 0.99);
}

TEST(MathFunctions, GreatestLeast) {
  EXPECT_EQ(Call("greatest", {I(1), I(5), I(3)}), I(5));
  EXPECT_EQ(Call("least", {I(4), I(-5), I(3)}), I(-5));
  EXPECT_EQ(Call("greatest", {I(1), D(2.5)}), D(2.5));
  EXPECT_EQ(Call("greatest", {S(1), B(2)}), B(2));
  EXPECT_EQ(Call("greatest", {N(), I(2), N()}), I(2));
  EXPECT_EQ(Call("least", {I(7), Value::Null(TypeId::Integer)}), I(7));
  EXPECT_TRUE(Call("greatest", {Value::Null(TypeId::Integer), N()}).is_null());
  EXPECT_EQ(Call("least", {T("b"), T("a"), T("c")}), T("a"));
  EXPECT_EQ(Call("greatest", {T("b"), T("ab")}), T("b"));
  EXPECT_EQ(Call("greatest", {Date("2020-01-01"), Ts("2019-06-01 10:00:00")}), Ts("2020-01-01 00:00:00"));
  EXPECT_TRUE(std::isnan(Num(Call("greatest", {D(1), D(NAN)}))));  // NaN sorts last
  EXPECT_EQ(Call("least", {D(1), D(NAN)}), D(1));
  EXPECT_EQ(Call("greatest", {Bool(false), Bool(true)}), Bool(true));
  EXPECT_THROW(Resolve("greatest", {LogicalType(TypeId::Integer), LogicalType(TypeId::Varchar)}), std::runtime_error);
  EXPECT_THROW(Resolve("least", {}), std::runtime_error);
}

// ---------------------------------------------------------------------------------------------
// Strings

TEST(StringFunctions, Lengths) {
  EXPECT_EQ(Call("length", {T("h\xC3\xA9llo")}), I(5));
  EXPECT_EQ(Call("char_length", {T("")}), I(0));
  EXPECT_EQ(Call("character_length", {T("\xE2\x82\xAC")}), I(1));
  EXPECT_EQ(Call("octet_length", {T("h\xC3\xA9llo")}), I(6));
  EXPECT_EQ(Call("length", {Value::Blob(std::string("\0\1", 2))}), I(2));
  EXPECT_EQ(Call("octet_length", {Value::Blob("abc")}), I(3));
  EXPECT_TRUE(Call("length", {Value::Null(TypeId::Varchar)}).is_null());
}

TEST(StringFunctions, Case) {
  EXPECT_EQ(Call("lower", {T("HeLLo \xC3\x89!")}), T("hello \xC3\x89!"));
  EXPECT_EQ(Call("upper", {T("hello world 42")}), T("HELLO WORLD 42"));
  EXPECT_EQ(Call("upper", {T("")}), T(""));
  EXPECT_EQ(Call("initcap", {T("hello wORLD foo-bar 1st x")}), T("Hello World Foo-Bar 1st X"));
}

TEST(StringFunctions, Substring) {
  EXPECT_EQ(Call("substr", {T("hello"), I(2)}), T("ello"));
  EXPECT_EQ(Call("substring", {T("hello"), I(2), I(3)}), T("ell"));
  EXPECT_EQ(Call("substr", {T("hello"), I(0), I(3)}), T("he"));
  EXPECT_EQ(Call("substr", {T("hello"), I(-5), I(3)}), T(""));
  EXPECT_EQ(Call("substr", {T("hello"), I(-1)}), T("hello"));
  EXPECT_EQ(Call("substr", {T("hello"), I(10)}), T(""));
  EXPECT_EQ(Call("substr", {T("hello"), I(3), I(100)}), T("llo"));
  EXPECT_EQ(Call("substr", {T("hello"), I(2), I(0)}), T(""));
  EXPECT_EQ(Call("substring", {T("h\xC3\xA9llo"), I(2), I(2)}), T("\xC3\xA9l"));
  EXPECT_EQ(Call("substr", {T("hello"), I(std::numeric_limits<int32_t>::max()), I(std::numeric_limits<int32_t>::max())}),
            T(""));
  EXPECT_EQ(Call("substr", {T("hello"), I(std::numeric_limits<int32_t>::min()), I(std::numeric_limits<int32_t>::max())}),
            T(""));
  EXPECT_EQ(ErrorOf("substr", {T("hello"), I(2), I(-1)}), "22011: negative substring length not allowed");
}

TEST(StringFunctions, PositionStrpos) {
  EXPECT_EQ(Call("position", {T("lo"), T("hello")}), I(4));
  EXPECT_EQ(Call("position", {T(""), T("abc")}), I(1));
  EXPECT_EQ(Call("position", {T("x"), T("abc")}), I(0));
  EXPECT_EQ(Call("strpos", {T("h\xC3\xA9llo"), T("l")}), I(3));
  EXPECT_EQ(Call("strpos", {T("abcabc"), T("ca")}), I(3));
  EXPECT_EQ(Call("starts_with", {T("hello"), T("he")}), Bool(true));
  EXPECT_EQ(Call("starts_with", {T("hello"), T("lo")}), Bool(false));
  EXPECT_EQ(Call("starts_with", {T("hello"), T("")}), Bool(true));
}

TEST(StringFunctions, LeftRight) {
  EXPECT_EQ(Call("left", {T("hello"), I(2)}), T("he"));
  EXPECT_EQ(Call("left", {T("hello"), I(-2)}), T("hel"));
  EXPECT_EQ(Call("left", {T("hello"), I(-10)}), T(""));
  EXPECT_EQ(Call("left", {T("hello"), I(10)}), T("hello"));
  EXPECT_EQ(Call("left", {T("hello"), I(std::numeric_limits<int32_t>::min())}), T(""));
  EXPECT_EQ(Call("right", {T("hello"), I(2)}), T("lo"));
  EXPECT_EQ(Call("right", {T("hello"), I(-2)}), T("llo"));
  EXPECT_EQ(Call("right", {T("hello"), I(0)}), T(""));
  EXPECT_EQ(Call("right", {T("h\xC3\xA9llo"), I(4)}), T("\xC3\xA9llo"));
  EXPECT_EQ(Call("right", {T("hello"), I(std::numeric_limits<int32_t>::min())}), T(""));
}

TEST(StringFunctions, Pad) {
  EXPECT_EQ(Call("lpad", {T("hi"), I(5)}), T("   hi"));
  EXPECT_EQ(Call("lpad", {T("hi"), I(5), T("xy")}), T("xyxhi"));
  EXPECT_EQ(Call("rpad", {T("hi"), I(5), T("xy")}), T("hixyx"));
  EXPECT_EQ(Call("lpad", {T("hello"), I(3)}), T("hel"));
  EXPECT_EQ(Call("rpad", {T("hello"), I(3), T("x")}), T("hel"));
  EXPECT_EQ(Call("lpad", {T("hi"), I(5), T("")}), T("hi"));
  EXPECT_EQ(Call("lpad", {T("hi"), I(-1)}), T(""));
  EXPECT_EQ(Call("rpad", {T("\xC3\xA9"), I(3), T("\xC3\xBC")}), T("\xC3\xA9\xC3\xBC\xC3\xBC"));
  EXPECT_EQ(Call("lpad", {T(""), I(3), T("ab")}), T("aba"));
  EXPECT_EQ(StateOf("lpad", {T("x"), I(2000000000), T("\xE2\x82\xAC")}), "54000");
}

TEST(StringFunctions, Trim) {
  EXPECT_EQ(Call("btrim", {T("  hi  ")}), T("hi"));
  EXPECT_EQ(Call("trim", {T("  hi  ")}), T("hi"));
  EXPECT_EQ(Call("ltrim", {T("  hi  ")}), T("hi  "));
  EXPECT_EQ(Call("rtrim", {T("  hi  ")}), T("  hi"));
  EXPECT_EQ(Call("btrim", {T("\thi ")}), T("\thi"));  // only spaces by default
  EXPECT_EQ(Call("btrim", {T("xxhixx"), T("x")}), T("hi"));
  EXPECT_EQ(Call("ltrim", {T("abcabc"), T("ab")}), T("cabc"));
  EXPECT_EQ(Call("rtrim", {T("abcabc"), T("bc")}), T("abca"));
  EXPECT_EQ(Call("btrim", {T("\xC3\xA9\xC3\xA9" "a\xC3\xA9"), T("\xC3\xA9")}), T("a"));
  EXPECT_EQ(Call("btrim", {T("aaa"), T("a")}), T(""));
  EXPECT_EQ(Call("btrim", {T("abc"), T("")}), T("abc"));
}

TEST(StringFunctions, ReplaceRepeatReverse) {
  EXPECT_EQ(Call("replace", {T("hello world"), T("o"), T("0")}), T("hell0 w0rld"));
  EXPECT_EQ(Call("replace", {T("aaa"), T("aa"), T("b")}), T("ba"));
  EXPECT_EQ(Call("replace", {T("abc"), T(""), T("x")}), T("abc"));
  EXPECT_EQ(Call("replace", {T("abcabc"), T("b"), T("")}), T("acac"));
  EXPECT_EQ(Call("replace", {T("abc"), T("abc"), T("xyzxyz")}), T("xyzxyz"));
  EXPECT_EQ(Call("repeat", {T("ab"), I(3)}), T("ababab"));
  EXPECT_EQ(Call("repeat", {T("ab"), I(0)}), T(""));
  EXPECT_EQ(Call("repeat", {T("ab"), I(-1)}), T(""));
  EXPECT_EQ(ErrorOf("repeat", {T("abc"), I(1000000000)}), "54000: requested length too large");
  EXPECT_EQ(Call("reverse", {T("h\xC3\xA9llo")}), T("oll\xC3\xA9h"));
  EXPECT_EQ(Call("reverse", {T("")}), T(""));
}

TEST(StringFunctions, ConcatNeverNull) {
  EXPECT_EQ(Call("concat", {T("a"), N(), I(1), Bool(true), D(2.5)}), T("a1t2.5"));  // booleans print as t/f
  EXPECT_EQ(Call("concat", {N()}), T(""));
  EXPECT_EQ(Call("concat", {Value::Null(TypeId::Varchar), Value::Null(TypeId::Integer)}), T(""));
  EXPECT_EQ(Call("concat", {Date("2020-01-02"), T("|")}), T("2020-01-02|"));
  EXPECT_EQ(Call("concat_ws", {T(","), T("a"), N(), T("b")}), T("a,b"));
  EXPECT_EQ(Call("concat_ws", {T(", "), I(1), I(2), I(3)}), T("1, 2, 3"));
  EXPECT_TRUE(Call("concat_ws", {N(), T("a")}).is_null());
  EXPECT_EQ(Call("concat_ws", {T(",")}), T(""));
  EXPECT_EQ(Call("concat_ws", {T(","), N(), N()}), T(""));
  EXPECT_EQ(ResultType("concat", {I(1)}), LogicalType(TypeId::Varchar));
  EXPECT_THROW(Resolve("concat", {}), std::runtime_error);
}

TEST(StringFunctions, SplitPart) {
  EXPECT_EQ(Call("split_part", {T("a,b,c"), T(","), I(2)}), T("b"));
  EXPECT_EQ(Call("split_part", {T("a,b,c"), T(","), I(1)}), T("a"));
  EXPECT_EQ(Call("split_part", {T("a,b,c"), T(","), I(3)}), T("c"));
  EXPECT_EQ(Call("split_part", {T("a,b,c"), T(","), I(4)}), T(""));
  EXPECT_EQ(Call("split_part", {T("a,b,c"), T(","), I(-1)}), T("c"));
  EXPECT_EQ(Call("split_part", {T("a,b,c"), T(","), I(-3)}), T("a"));
  EXPECT_EQ(Call("split_part", {T("a,b,c"), T(","), I(-4)}), T(""));
  EXPECT_EQ(Call("split_part", {T("a,,b"), T(","), I(2)}), T(""));
  EXPECT_EQ(Call("split_part", {T("a::b::c"), T("::"), I(3)}), T("c"));
  EXPECT_EQ(Call("split_part", {T("abc"), T(""), I(1)}), T("abc"));
  EXPECT_EQ(Call("split_part", {T("abc"), T(""), I(2)}), T(""));
  EXPECT_EQ(Call("split_part", {T(""), T(","), I(1)}), T(""));
  EXPECT_EQ(ErrorOf("split_part", {T("a,b"), T(","), I(0)}), "22023: field position must not be zero");
}

TEST(StringFunctions, AsciiChr) {
  EXPECT_EQ(Call("ascii", {T("A")}), I(65));
  EXPECT_EQ(Call("ascii", {T("\xC3\xA9t\xC3\xA9")}), I(233));
  EXPECT_EQ(Call("ascii", {T("\xE2\x82\xAC")}), I(0x20AC));
  EXPECT_EQ(Call("ascii", {T("")}), I(0));
  EXPECT_EQ(Call("chr", {I(65)}), T("A"));
  EXPECT_EQ(Call("chr", {I(233)}), T("\xC3\xA9"));
  EXPECT_EQ(Call("chr", {I(0x20AC)}), T("\xE2\x82\xAC"));
  EXPECT_EQ(Call("chr", {I(0x1F600)}), T("\xF0\x9F\x98\x80"));
  EXPECT_EQ(ErrorOf("chr", {I(0)}), "54000: null character not permitted");
  EXPECT_EQ(StateOf("chr", {I(-1)}), "54000");
  EXPECT_EQ(StateOf("chr", {I(0x110000)}), "54000");
  EXPECT_EQ(StateOf("chr", {I(0xD800)}), "54000");
}

TEST(StringFunctions, ManyRowsWithSelection) {
  std::vector<Value> text, start;
  for (int i = 0; i < 1500; ++i) {
    text.push_back(i % 7 == 0 ? Value::Null(TypeId::Varchar) : Value::Varchar("row" + std::to_string(i)));
    start.push_back(I(2));
  }
  idx_t rows = text.size();
  std::vector<sel_t> sel;
  for (idx_t i = 0; i < rows; i += 3) sel.push_back(static_cast<sel_t>(i));
  std::vector<Value> out = CallRows("substr", {text, start}, rows, sel);
  for (idx_t i = 0; i < rows; ++i) {
    if (i % 3 != 0 || i % 7 == 0) {
      ASSERT_TRUE(out[i].is_null()) << i;  // not selected, or NULL input
    } else {
      ASSERT_EQ(out[i], Value::Varchar("ow" + std::to_string(i))) << i;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Dates

TEST(DateFunctions, Now) {
  EXPECT_EQ(Call("now", {}), Value::Timestamp(kStatementTime));
  EXPECT_EQ(Call("current_timestamp", {}), Value::Timestamp(kStatementTime));
  EXPECT_EQ(Call("localtimestamp", {}), Value::Timestamp(kStatementTime));
  EXPECT_EQ(Call("current_date", {}), Date("2024-05-06"));
  for (const Value& v : CallRows("now", {}, 50)) EXPECT_EQ(v, Value::Timestamp(kStatementTime));
}

TEST(DateFunctions, ExtractFromTimestamp) {
  Value ts = Ts("2021-03-07 13:45:09.5");  // a Sunday
  auto part = [&](const char* unit) { return Call("extract", {T(unit), ts}); };
  EXPECT_EQ(part("year"), D(2021));
  EXPECT_EQ(part("YEAR"), D(2021));
  EXPECT_EQ(part("years"), D(2021));
  EXPECT_EQ(part("month"), D(3));
  EXPECT_EQ(part("day"), D(7));
  EXPECT_EQ(part("hour"), D(13));
  EXPECT_EQ(part("minute"), D(45));
  EXPECT_EQ(part("second"), D(9.5));
  EXPECT_EQ(part("milliseconds"), D(9500));
  EXPECT_EQ(part("microsecond"), D(9500000));
  EXPECT_EQ(part("dow"), D(0));
  EXPECT_EQ(part("isodow"), D(7));
  EXPECT_EQ(part("doy"), D(66));
  EXPECT_EQ(part("quarter"), D(1));
  EXPECT_EQ(part("week"), D(9));
  EXPECT_EQ(part("decade"), D(202));
  EXPECT_EQ(part("century"), D(21));
  EXPECT_EQ(part("millennium"), D(3));
  EXPECT_EQ(part("epoch"), D(1615124709.5));
  EXPECT_EQ(Call("date_part", {T("epoch"), Ts("1969-12-31 23:59:59.5")}), D(-0.5));
  EXPECT_EQ(Call("date_part", {T("hour"), Ts("2000-01-01 23:00:00")}), D(23));
  EXPECT_EQ(ErrorOf("extract", {T("fortnight"), ts}),
            "22023: unit \"fortnight\" not recognized for type timestamp without time zone");
}

TEST(DateFunctions, ExtractIsoWeekAndCenturies) {
  auto part = [](const char* unit, const char* ts) { return Call("extract", {T(unit), Ts(ts)}); };
  EXPECT_EQ(part("week", "2021-01-01 00:00:00"), D(53));  // Friday, belongs to 2020's last week
  EXPECT_EQ(part("isoyear", "2021-01-01 00:00:00"), D(2020));
  EXPECT_EQ(part("week", "2024-12-30 00:00:00"), D(1));
  EXPECT_EQ(part("isoyear", "2024-12-30 00:00:00"), D(2025));
  EXPECT_EQ(part("week", "2020-12-31 00:00:00"), D(53));
  EXPECT_EQ(part("doy", "2020-12-31 00:00:00"), D(366));
  EXPECT_EQ(part("century", "2000-12-31 00:00:00"), D(20));
  EXPECT_EQ(part("century", "2001-01-01 00:00:00"), D(21));
  EXPECT_EQ(part("millennium", "2000-06-01 00:00:00"), D(2));
  EXPECT_EQ(part("decade", "1999-06-01 00:00:00"), D(199));
  EXPECT_EQ(part("year", "0044-03-15 00:00:00 BC"), D(-44));
  EXPECT_EQ(part("century", "0044-03-15 00:00:00 BC"), D(-1));
  EXPECT_EQ(part("dow", "1970-01-01 00:00:00"), D(4));
  EXPECT_EQ(part("dow", "1969-12-28 00:00:00"), D(0));
}

TEST(DateFunctions, ExtractFromDate) {
  Value d = Date("2021-03-07");
  EXPECT_EQ(Call("extract", {T("year"), d}), D(2021));
  EXPECT_EQ(Call("extract", {T("doy"), d}), D(66));
  EXPECT_EQ(Call("extract", {T("epoch"), d}), D(1615075200));
  EXPECT_EQ(ErrorOf("extract", {T("hour"), d}), "0A000: unit \"hour\" not supported for type date");
  EXPECT_EQ(StateOf("extract", {T("bogus"), d}), "22023");
  // date_part has no DATE overload: the date becomes a timestamp at midnight.
  EXPECT_EQ(Call("date_part", {T("hour"), d}), D(0));
  EXPECT_EQ(Call("date_part", {T("day"), d}), D(7));
}

TEST(DateFunctions, ExtractMixedUnitsPerRow) {
  std::vector<Value> units = {T("year"), T("month"), T("month"), T("day"), T("year")};
  std::vector<Value> ts(5, Ts("2021-03-07 13:45:09"));
  std::vector<Value> out = CallRows("extract", {units, ts}, 5);
  EXPECT_EQ(out, (std::vector<Value>{D(2021), D(3), D(3), D(7), D(2021)}));
}

TEST(DateFunctions, DateTrunc) {
  Value ts = Ts("2021-08-18 13:45:09.123456");  // a Wednesday
  auto trunc = [&](const char* unit) { return Call("date_trunc", {T(unit), ts}); };
  EXPECT_EQ(trunc("microseconds"), ts);
  EXPECT_EQ(trunc("milliseconds"), Ts("2021-08-18 13:45:09.123"));
  EXPECT_EQ(trunc("second"), Ts("2021-08-18 13:45:09"));
  EXPECT_EQ(trunc("minute"), Ts("2021-08-18 13:45:00"));
  EXPECT_EQ(trunc("hour"), Ts("2021-08-18 13:00:00"));
  EXPECT_EQ(trunc("day"), Ts("2021-08-18 00:00:00"));
  EXPECT_EQ(trunc("week"), Ts("2021-08-16 00:00:00"));
  EXPECT_EQ(trunc("month"), Ts("2021-08-01 00:00:00"));
  EXPECT_EQ(trunc("quarter"), Ts("2021-07-01 00:00:00"));
  EXPECT_EQ(trunc("year"), Ts("2021-01-01 00:00:00"));
  EXPECT_EQ(trunc("decade"), Ts("2020-01-01 00:00:00"));
  EXPECT_EQ(trunc("century"), Ts("2001-01-01 00:00:00"));
  EXPECT_EQ(trunc("millennium"), Ts("2001-01-01 00:00:00"));
  EXPECT_EQ(Call("date_trunc", {T("century"), Ts("2000-12-31 00:00:00")}), Ts("1901-01-01 00:00:00"));
  EXPECT_EQ(Call("date_trunc", {T("second"), Ts("1969-12-31 23:59:59.5")}), Ts("1969-12-31 23:59:59"));
  EXPECT_EQ(Call("date_trunc", {T("day"), Ts("1969-12-31 23:59:59.5")}), Ts("1969-12-31 00:00:00"));
  EXPECT_EQ(Call("date_trunc", {T("month"), Date("2021-08-18")}), Ts("2021-08-01 00:00:00"));
  EXPECT_EQ(ErrorOf("date_trunc", {T("dow"), ts}), "0A000: unit \"dow\" not supported for type timestamp without time zone");
  EXPECT_EQ(StateOf("date_trunc", {T("xyz"), ts}), "22023");
}

TEST(DateFunctions, MakeDate) {
  EXPECT_EQ(Call("make_date", {I(2021), I(2), I(28)}), Date("2021-02-28"));
  EXPECT_EQ(Call("make_date", {I(2024), I(2), I(29)}), Date("2024-02-29"));
  EXPECT_EQ(Call("make_date", {I(-44), I(3), I(15)}), Date("0044-03-15 BC"));
  EXPECT_EQ(ErrorOf("make_date", {I(2021), I(2), I(29)}), "22008: date field value out of range: 2021-02-29");
  EXPECT_EQ(StateOf("make_date", {I(0), I(1), I(1)}), "22008");
  EXPECT_EQ(StateOf("make_date", {I(2021), I(13), I(1)}), "22008");
  EXPECT_EQ(StateOf("make_date", {I(std::numeric_limits<int32_t>::max()), I(1), I(1)}), "22008");
}

// ---------------------------------------------------------------------------------------------
// Misc

TEST(MiscFunctions, NullIf) {
  EXPECT_TRUE(Call("nullif", {I(1), I(1)}).is_null());
  EXPECT_EQ(Call("nullif", {I(1), I(2)}), I(1));
  EXPECT_TRUE(Call("nullif", {N(), I(1)}).is_null());
  EXPECT_EQ(Call("nullif", {I(1), N()}), I(1));
  EXPECT_TRUE(Call("nullif", {T("a"), T("a")}).is_null());
  EXPECT_EQ(Call("nullif", {T("a"), T("b")}), T("a"));
  EXPECT_TRUE(Call("nullif", {I(1), D(1.0)}).is_null());
  EXPECT_EQ(Call("nullif", {I(1), D(1.5)}), D(1));
  EXPECT_TRUE(Call("nullif", {D(NAN), D(NAN)}).is_null());
  EXPECT_THROW(Resolve("nullif", {LogicalType(TypeId::Integer)}), std::runtime_error);
  EXPECT_THROW(Resolve("nullif", {LogicalType(TypeId::Integer), LogicalType(TypeId::Date)}), std::runtime_error);
}

TEST(MiscFunctions, TypeOf) {
  EXPECT_EQ(Call("typeof", {I(1)}), T("INTEGER"));
  EXPECT_EQ(Call("typeof", {Value::Null(LogicalType(TypeId::Varchar, 3))}), T("VARCHAR(3)"));
  EXPECT_EQ(Call("typeof", {N()}), T("NULL"));
  EXPECT_EQ(Call("pg_typeof", {D(1.5)}), T("double precision"));
  EXPECT_EQ(Call("pg_typeof", {T("x")}), T("text"));
  EXPECT_EQ(Call("pg_typeof", {Ts("2020-01-01")}), T("timestamp without time zone"));
  EXPECT_EQ(Call("pg_typeof", {N()}), T("unknown"));
  EXPECT_THROW(Resolve("typeof", {}), std::runtime_error);
  EXPECT_EQ(Call("version", {}), T("LytDB 0.1.0"));
}

// ---------------------------------------------------------------------------------------------
// LIKE

bool Like(std::string_view text, std::string_view pattern, int escape = '\\') {
  return LikeMatch(text, pattern, escape, false);
}

TEST(LikeTest, Wildcards) {
  EXPECT_TRUE(Like("hello", "hello"));
  EXPECT_FALSE(Like("hello", "hell"));
  EXPECT_TRUE(Like("hello", "h%"));
  EXPECT_TRUE(Like("hello", "%o"));
  EXPECT_TRUE(Like("hello", "%ll%"));
  EXPECT_TRUE(Like("hello", "h_llo"));
  EXPECT_FALSE(Like("hello", "h_lo"));
  EXPECT_TRUE(Like("hello", "_____"));
  EXPECT_FALSE(Like("hello", "______"));
  EXPECT_TRUE(Like("", "%"));
  EXPECT_TRUE(Like("", ""));
  EXPECT_FALSE(Like("", "_"));
  EXPECT_FALSE(Like("a", ""));
  EXPECT_TRUE(Like("abc", "%%%"));
  EXPECT_TRUE(Like("abcabc", "%b%c"));
  EXPECT_TRUE(Like("mississippi", "%iss%ppi"));
  EXPECT_FALSE(Like("mississippi", "%iss%ppx"));
  EXPECT_TRUE(Like("aXbXc", "a%b%c"));
  EXPECT_TRUE(Like("ab", "a%_"));
  EXPECT_FALSE(Like("a", "a%_"));
  EXPECT_FALSE(Like("Hello", "hello"));
}

TEST(LikeTest, Utf8Underscore) {
  EXPECT_TRUE(Like("\xC3\xA9t\xC3\xA9", "_t_"));
  EXPECT_TRUE(Like("\xE2\x82\xAC", "_"));
  EXPECT_FALSE(Like("\xE2\x82\xAC", "__"));
  EXPECT_TRUE(Like("x\xF0\x9F\x98\x80y", "%_y"));
  EXPECT_TRUE(Like("\xC3\xA9\xC3\xA9", "%\xC3\xA9"));
}

TEST(LikeTest, Escapes) {
  EXPECT_TRUE(Like("100%", "100\\%"));
  EXPECT_FALSE(Like("1000", "100\\%"));
  EXPECT_TRUE(Like("a_b", "a\\_b"));
  EXPECT_FALSE(Like("axb", "a\\_b"));
  EXPECT_TRUE(Like("a\\b", "a\\\\b"));
  EXPECT_TRUE(Like("50% off", "%\\%%"));
  EXPECT_TRUE(Like("a#b", "a##b", '#'));
  EXPECT_TRUE(Like("a%", "a#%", '#'));
  EXPECT_TRUE(Like("a\\b", "a\\b", -1));  // no escape character
  EXPECT_TRUE(Like("a\\xyz", "a\\%", -1));
  EXPECT_TRUE(Like("a%", "a%%", '%'));  // with '%' as the escape, "%%" is a literal '%'
  EXPECT_FALSE(Like("ax", "a%%", '%'));
  try {
    Like("abc", "abc\\");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), "22025");
    EXPECT_STREQ(e.what(), "LIKE pattern must not end with escape character");
  }
  EXPECT_THROW(Like("x", "a\\"), Error);  // checked even when the text cannot match
}

TEST(LikeTest, CaseInsensitive) {
  EXPECT_TRUE(LikeMatch("Hello", "hello", '\\', true));
  EXPECT_TRUE(LikeMatch("HELLO", "h%O", '\\', true));
  EXPECT_TRUE(LikeMatch("abc", "A_C", '\\', true));
  EXPECT_FALSE(LikeMatch("abd", "A_C", '\\', true));
  EXPECT_FALSE(LikeMatch("\xC3\x89", "\xC3\xA9", '\\', true));  // ASCII folding only
}

TEST(LikeTest, PathologicalPatternsAreFast) {
  std::string text(200000, 'a');
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(Like(text, "%%%%%%%%%%b"));
  EXPECT_FALSE(Like(text, "%a%a%a%a%a%a%a%a%a%a%b"));
  EXPECT_TRUE(Like(text, "%a%a%a%a%a%a%a%a%a%a%"));
  EXPECT_FALSE(Like(text, "a%a%a%a%a%a%a%a%a%ab"));
  EXPECT_FALSE(Like(text, "%_%_%_%_%_%_%_%_b"));
  std::string ab;
  for (int i = 0; i < 20000; ++i) ab += "ab";
  EXPECT_TRUE(Like(ab, "%ab%ab%abab"));
  EXPECT_FALSE(Like(ab, "%abba%"));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 1000);
}

}  // namespace
}  // namespace lyt
