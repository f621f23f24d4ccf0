// Casts: implicit-cast rules, common types, value and vector casts with their errors.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "common/cast.h"
#include "common/datetime.h"
#include "common/error.h"

namespace lyt {
namespace {

const LogicalType kBool(TypeId::Boolean), kSmall(TypeId::SmallInt), kInt(TypeId::Integer), kBig(TypeId::BigInt),
    kReal(TypeId::Real), kDouble(TypeId::Double), kText(TypeId::Varchar), kBlob(TypeId::Blob), kDate(TypeId::Date),
    kTs(TypeId::Timestamp), kNull(TypeId::Null);

// The SQLSTATE of the error `f` throws, or "" when it does not throw.
template <class F>
std::string StateOf(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.sqlstate();
  }
  return "";
}

std::string CastErrorState(const Value& v, const LogicalType& to) {
  return StateOf([&] { CastValue(v, to); });
}

std::string CastErrorMessage(const Value& v, const LogicalType& to) {
  try {
    CastValue(v, to);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

Value Text(const char* s) { return Value::Varchar(s); }

TEST(ImplicitCast, WideningAndNull) {
  EXPECT_EQ(ImplicitCastCost(kInt, kInt), 0);
  EXPECT_GT(ImplicitCastCost(kSmall, kInt), 0);
  EXPECT_LT(ImplicitCastCost(kSmall, kInt), ImplicitCastCost(kSmall, kBig));
  EXPECT_GT(ImplicitCastCost(kInt, kDouble), 0);
  EXPECT_GT(ImplicitCastCost(kBig, kReal), 0);
  EXPECT_GT(ImplicitCastCost(kReal, kDouble), 0);
  EXPECT_GT(ImplicitCastCost(kNull, kDate), 0);
  EXPECT_GT(ImplicitCastCost(kDate, kTs), 0);
  // PostgreSQL prefers double precision for integers.
  EXPECT_LT(ImplicitCastCost(kInt, kDouble), ImplicitCastCost(kInt, kReal));
  EXPECT_EQ(ImplicitCastCost(LogicalType(TypeId::Varchar, 5), kText), 0);
}

TEST(ImplicitCast, NotImplicit) {
  EXPECT_EQ(ImplicitCastCost(kBig, kInt), -1);
  EXPECT_EQ(ImplicitCastCost(kDouble, kReal), -1);
  EXPECT_EQ(ImplicitCastCost(kText, kInt), -1);
  EXPECT_EQ(ImplicitCastCost(kInt, kText), -1);
  EXPECT_EQ(ImplicitCastCost(kTs, kDate), -1);
  EXPECT_EQ(ImplicitCastCost(kBool, kInt), -1);
  EXPECT_EQ(ImplicitCastCost(kText, kBlob), -1);
  EXPECT_EQ(ImplicitCastCost(kInt, kNull), -1);
}

TEST(CommonTypeTest, Rules) {
  EXPECT_EQ(CommonType(kSmall, kBig), kBig);
  EXPECT_EQ(CommonType(kInt, kDouble), kDouble);
  EXPECT_EQ(CommonType(kInt, kReal), kDouble);
  EXPECT_EQ(CommonType(kReal, kBig), kDouble);
  EXPECT_EQ(CommonType(kReal, kReal), kReal);
  EXPECT_EQ(CommonType(kReal, kDouble), kDouble);
  EXPECT_EQ(CommonType(LogicalType(TypeId::Varchar, 3), LogicalType(TypeId::Varchar, 7)), kText);
  EXPECT_EQ(CommonType(LogicalType(TypeId::Varchar, 3), LogicalType(TypeId::Varchar, 3)),
            LogicalType(TypeId::Varchar, 3));
  EXPECT_EQ(CommonType(kDate, kTs), kTs);
  EXPECT_EQ(CommonType(kNull, kDate), kDate);
  EXPECT_EQ(CommonType(kText, kNull), kText);
  EXPECT_EQ(CommonType(kNull, kNull), kNull);
  EXPECT_FALSE(CommonType(kInt, kDate).has_value());
  EXPECT_FALSE(CommonType(kInt, kText).has_value());
  EXPECT_FALSE(CommonType(kBool, kInt).has_value());
  EXPECT_FALSE(CommonType(kText, kBlob).has_value());
}

TEST(ExplicitCast, Allowed) {
  EXPECT_TRUE(CanCastExplicitly(kDouble, kSmall));
  EXPECT_TRUE(CanCastExplicitly(kDate, kText));
  EXPECT_TRUE(CanCastExplicitly(kText, kTs));
  EXPECT_TRUE(CanCastExplicitly(kText, kBlob));
  EXPECT_TRUE(CanCastExplicitly(kBlob, kText));
  EXPECT_TRUE(CanCastExplicitly(kBool, kInt));
  EXPECT_TRUE(CanCastExplicitly(kBig, kBool));
  EXPECT_TRUE(CanCastExplicitly(kTs, kDate));
  EXPECT_TRUE(CanCastExplicitly(kNull, kBlob));
  EXPECT_FALSE(CanCastExplicitly(kBool, kDouble));
  EXPECT_FALSE(CanCastExplicitly(kInt, kDate));
  EXPECT_FALSE(CanCastExplicitly(kBlob, kInt));
  EXPECT_FALSE(CanCastExplicitly(kDate, kInt));
  EXPECT_EQ(CastErrorState(Value::Integer(1), kDate), "42846");
}

TEST(CastText, ToInteger) {
  EXPECT_EQ(CastValue(Text("42"), kInt), Value::Integer(42));
  EXPECT_EQ(CastValue(Text("  -17  "), kInt), Value::Integer(-17));
  EXPECT_EQ(CastValue(Text("+5"), kSmall), Value::SmallInt(5));
  EXPECT_EQ(CastValue(Text("-2147483648"), kInt), Value::Integer(std::numeric_limits<int32_t>::min()));
  EXPECT_EQ(CastValue(Text("9223372036854775807"), kBig), Value::BigInt(std::numeric_limits<int64_t>::max()));
  EXPECT_EQ(CastValue(Text("-9223372036854775808"), kBig), Value::BigInt(std::numeric_limits<int64_t>::min()));
  EXPECT_EQ(CastValue(Text("007"), kInt), Value::Integer(7));
}

TEST(CastText, ToIntegerErrors) {
  EXPECT_EQ(CastErrorMessage(Text("abc"), kInt), "invalid input syntax for type integer: \"abc\"");
  EXPECT_EQ(CastErrorState(Text(""), kInt), "22P02");
  EXPECT_EQ(CastErrorState(Text("   "), kInt), "22P02");
  EXPECT_EQ(CastErrorState(Text("-"), kInt), "22P02");
  EXPECT_EQ(CastErrorState(Text("1.5"), kInt), "22P02");
  EXPECT_EQ(CastErrorState(Text("1 2"), kInt), "22P02");
  EXPECT_EQ(CastErrorState(Text("--1"), kBig), "22P02");
  EXPECT_EQ(CastErrorState(Text("2147483648"), kInt), "22003");
  EXPECT_EQ(CastErrorState(Text("-2147483649"), kInt), "22003");
  EXPECT_EQ(CastErrorState(Text("32768"), kSmall), "22003");
  EXPECT_EQ(CastErrorState(Text("9223372036854775808"), kBig), "22003");
  EXPECT_EQ(CastErrorState(Text("99999999999999999999999"), kBig), "22003");
  EXPECT_EQ(CastErrorState(Text("18446744073709551620"), kBig), "22003");  // would wrap in uint64
  EXPECT_EQ(CastErrorState(Text("4294967297"), kInt), "22003");
  EXPECT_EQ(CastErrorState(Text("99999999999abc"), kInt), "22P02");
  EXPECT_EQ(CastErrorMessage(Text("32768"), kSmall), "value \"32768\" is out of range for type smallint");
}

TEST(CastNumeric, IntegerNarrowing) {
  EXPECT_EQ(CastValue(Value::BigInt(32767), kSmall), Value::SmallInt(32767));
  EXPECT_EQ(CastErrorMessage(Value::BigInt(32768), kSmall), "smallint out of range");
  EXPECT_EQ(CastErrorMessage(Value::BigInt(int64_t{1} << 31), kInt), "integer out of range");
  EXPECT_EQ(CastValue(Value::Integer(-5), kBig), Value::BigInt(-5));
}

TEST(CastNumeric, FloatToIntegerRoundsHalfEven) {
  EXPECT_EQ(CastValue(Value::Double(2.5), kInt), Value::Integer(2));
  EXPECT_EQ(CastValue(Value::Double(3.5), kInt), Value::Integer(4));
  EXPECT_EQ(CastValue(Value::Double(-2.5), kInt), Value::Integer(-2));
  EXPECT_EQ(CastValue(Value::Double(-0.4), kInt), Value::Integer(0));
  EXPECT_EQ(CastValue(Value::Double(1.7), kSmall), Value::SmallInt(2));
  EXPECT_EQ(CastValue(Value::Real(2.5f), kBig), Value::BigInt(2));
  EXPECT_EQ(CastValue(Value::Double(2147483647.4), kInt), Value::Integer(2147483647));
  EXPECT_EQ(CastValue(Value::Double(-9223372036854775808.0), kBig), Value::BigInt(std::numeric_limits<int64_t>::min()));
}

TEST(CastNumeric, FloatToIntegerErrors) {
  EXPECT_EQ(CastErrorMessage(Value::Double(2147483647.5), kInt), "integer out of range");
  EXPECT_EQ(CastErrorState(Value::Double(9223372036854775808.0), kBig), "22003");
  EXPECT_EQ(CastErrorState(Value::Double(std::nan("")), kInt), "22003");
  EXPECT_EQ(CastErrorState(Value::Double(INFINITY), kBig), "22003");
  EXPECT_EQ(CastErrorState(Value::Double(-INFINITY), kSmall), "22003");
  EXPECT_EQ(CastErrorState(Value::Real(40000.0f), kSmall), "22003");
}

TEST(CastNumeric, FloatConversions) {
  EXPECT_EQ(CastValue(Value::Integer(7), kDouble), Value::Double(7));
  EXPECT_EQ(CastValue(Value::BigInt(16777217), kReal), Value::Real(16777216.0f));
  EXPECT_EQ(CastValue(Value::Double(0.5), kReal), Value::Real(0.5f));
  EXPECT_EQ(CastErrorMessage(Value::Double(1e300), kReal), "value out of range: overflow");
  EXPECT_EQ(CastErrorMessage(Value::Double(1e-300), kReal), "value out of range: underflow");
  EXPECT_TRUE(std::isinf(CastValue(Value::Double(INFINITY), kReal).AsDouble()));
}

TEST(CastText, ToFloat) {
  EXPECT_EQ(CastValue(Text("1.5"), kDouble), Value::Double(1.5));
  EXPECT_EQ(CastValue(Text(" -2.5e3 "), kDouble), Value::Double(-2500));
  EXPECT_EQ(CastValue(Text("+.5"), kDouble), Value::Double(0.5));
  EXPECT_EQ(CastValue(Text("1E-2"), kDouble), Value::Double(0.01));
  EXPECT_EQ(CastValue(Text("Infinity"), kDouble), Value::Double(INFINITY));
  EXPECT_EQ(CastValue(Text("-infinity"), kDouble), Value::Double(-INFINITY));
  EXPECT_EQ(CastValue(Text("inf"), kReal), Value::Real(INFINITY));
  EXPECT_TRUE(std::isnan(CastValue(Text("NaN"), kDouble).AsDouble()));
  EXPECT_EQ(CastValue(Text("0.1"), kReal), Value::Real(0.1f));
  EXPECT_EQ(CastErrorMessage(Text("1.2.3"), kDouble), "invalid input syntax for type double precision: \"1.2.3\"");
  EXPECT_EQ(CastErrorState(Text(""), kDouble), "22P02");
  EXPECT_EQ(CastErrorState(Text("+-1"), kDouble), "22P02");
  EXPECT_EQ(CastErrorState(Text("abc"), kReal), "22P02");
  EXPECT_EQ(CastErrorMessage(Text("1e400"), kDouble), "\"1e400\" is out of range for type double precision");
  EXPECT_EQ(CastErrorState(Text("1e39"), kReal), "22003");
}

TEST(FormatDoubleTest, ShortestRoundTrip) {
  EXPECT_EQ(FormatDouble(0.1), "0.1");
  EXPECT_EQ(FormatDouble(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(FormatDouble(100), "100");
  EXPECT_EQ(FormatDouble(-2.5), "-2.5");
  EXPECT_EQ(FormatDouble(1e15), "1e+15");
  EXPECT_EQ(FormatDouble(123456789012345.0), "123456789012345");
  EXPECT_EQ(FormatDouble(1234567.0), "1234567");
  EXPECT_EQ(FormatDouble(0.0001), "0.0001");
  EXPECT_EQ(FormatDouble(0.00001), "1e-05");
  EXPECT_EQ(FormatDouble(1.5e-7), "1.5e-07");
  EXPECT_EQ(FormatDouble(1e100), "1e+100");
  EXPECT_EQ(FormatDouble(0.0), "0");
  EXPECT_EQ(FormatDouble(-0.0), "-0");
  EXPECT_EQ(FormatDouble(INFINITY), "Infinity");
  EXPECT_EQ(FormatDouble(-INFINITY), "-Infinity");
  EXPECT_EQ(FormatDouble(std::nan("")), "NaN");
  EXPECT_EQ(FormatDouble(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
  for (double d : {0.1, 1e-300, 2.0 / 3, 123.456, 9007199254740993.0, 5e-324}) {
    EXPECT_EQ(CastValue(Value::Varchar(FormatDouble(d)), kDouble), Value::Double(d)) << d;
  }
}

TEST(CastToText, Numbers) {
  EXPECT_EQ(CastValue(Value::Integer(-42), kText), Text("-42"));
  EXPECT_EQ(CastValue(Value::BigInt(std::numeric_limits<int64_t>::min()), kText), Text("-9223372036854775808"));
  EXPECT_EQ(CastValue(Value::SmallInt(7), kText), Text("7"));
  EXPECT_EQ(CastValue(Value::Double(0.1), kText), Text("0.1"));
  EXPECT_EQ(CastValue(Value::Double(-INFINITY), kText), Text("-Infinity"));
  // Reals print their own shortest form, with exponents from 1e6 on (PostgreSQL's float4out).
  EXPECT_EQ(CastValue(Value::Real(0.1f), kText), Text("0.1"));
  EXPECT_EQ(CastValue(Value::Real(100000.0f), kText), Text("100000"));
  EXPECT_EQ(CastValue(Value::Real(1000000.0f), kText), Text("1e+06"));
  EXPECT_EQ(CastValue(Value::Real(1.25f), kText), Text("1.25"));
}

TEST(CastBool, TextForms) {
  for (const char* t : {"t", "true", "TRUE", "True", "yes", "y", "on", "1", " true ", "tr"}) {
    EXPECT_EQ(CastValue(Text(t), kBool), Value::Boolean(true)) << t;
  }
  for (const char* f : {"f", "false", "FALSE", "no", "n", "off", "OFF", "0", "fal"}) {
    EXPECT_EQ(CastValue(Text(f), kBool), Value::Boolean(false)) << f;
  }
  for (const char* bad : {"", "o", "2", "truex", "yess", "maybe", "-1"}) {
    EXPECT_EQ(CastErrorState(Text(bad), kBool), "22P02") << bad;
  }
  EXPECT_EQ(CastErrorMessage(Text("maybe"), kBool), "invalid input syntax for type boolean: \"maybe\"");
  EXPECT_EQ(CastValue(Value::Boolean(true), kText), Text("true"));
  EXPECT_EQ(CastValue(Value::Boolean(false), kText), Text("false"));
  EXPECT_EQ(CastValue(Value::Boolean(true), kInt), Value::Integer(1));
  EXPECT_EQ(CastValue(Value::Boolean(false), kBig), Value::BigInt(0));
  EXPECT_EQ(CastValue(Value::Integer(-3), kBool), Value::Boolean(true));
  EXPECT_EQ(CastValue(Value::SmallInt(0), kBool), Value::Boolean(false));
}

TEST(CastVarchar, LengthLimit) {
  const LogicalType v3(TypeId::Varchar, 3);
  EXPECT_EQ(CastValue(Text("abc"), v3), Text("abc"));
  EXPECT_EQ(CastValue(Text("ab"), v3), Text("ab"));
  EXPECT_EQ(CastErrorMessage(Text("abcd"), v3), "value too long for type character varying(3)");
  EXPECT_EQ(CastErrorState(Text("abcd"), v3), "22001");
  // Characters, not bytes.
  EXPECT_EQ(CastValue(Text("\xC3\xA9t\xC3\xA9"), v3), Text("\xC3\xA9t\xC3\xA9"));
  EXPECT_EQ(CastErrorState(Text("\xC3\xA9t\xC3\xA9s"), v3), "22001");
  // Excess trailing spaces are cut silently, as in PostgreSQL.
  EXPECT_EQ(CastValue(Text("abc   "), v3), Text("abc"));
  EXPECT_EQ(CastErrorState(Text("ab  x"), v3), "22001");
  EXPECT_EQ(CastErrorState(Value::Integer(12345), v3), "22001");
  EXPECT_EQ(CastValue(Value::Integer(123), v3), Text("123"));
}

TEST(CastVarchar, LengthLimitZero) {
  EXPECT_EQ(CastValue(Text(""), LogicalType(TypeId::Varchar, 0)), Text(""));
  EXPECT_EQ(CastErrorState(Text("a"), LogicalType(TypeId::Varchar, 0)), "22001");
}

TEST(TruncateToLengthTest, CutsByCharacters) {
  Vector v(kText, 4);
  v.SetValue(0, Text("abcdef"));
  v.SetValue(1, Text("ab"));
  v.SetValue(2, Value::Null(kText));
  v.SetValue(3, Text("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"));
  TruncateToLength(v, nullptr, 4, 3);
  EXPECT_EQ(v.GetValue(0), Text("abc"));
  EXPECT_EQ(v.GetValue(1), Text("ab"));
  EXPECT_TRUE(v.GetValue(2).is_null());
  EXPECT_EQ(v.GetValue(3), Text("\xC3\xA9\xC3\xA9\xC3\xA9"));
}

TEST(CastBlob, HexForms) {
  EXPECT_EQ(FormatBlob(std::string("\x00\x0a\xff", 3)), "\\x000aff");
  EXPECT_EQ(FormatBlob(""), "\\x");
  EXPECT_EQ(CastValue(Value::Blob(std::string("\x01\xab", 2)), kText), Text("\\x01ab"));
  EXPECT_EQ(CastValue(Text("\\x01AB"), kBlob), Value::Blob(std::string("\x01\xab", 2)));
  EXPECT_EQ(CastValue(Text("\\x01 ab"), kBlob), Value::Blob(std::string("\x01\xab", 2)));
  EXPECT_EQ(CastValue(Text("\\x"), kBlob), Value::Blob(""));
  EXPECT_EQ(CastValue(Text("raw bytes"), kBlob), Value::Blob("raw bytes"));
  EXPECT_EQ(CastErrorState(Text("\\x0"), kBlob), "22P02");
  EXPECT_EQ(CastErrorMessage(Text("\\xzz"), kBlob), "invalid hexadecimal digit: \"z\"");
}

TEST(CastDate, TextRoundTrip) {
  for (const char* s : {"1970-01-01", "2000-02-29", "1999-12-31", "0001-01-01", "9999-12-31", "1900-03-01",
                        "2024-02-29", "0044-03-15 BC"}) {
    Value d = CastValue(Text(s), kDate);
    EXPECT_EQ(CastValue(d, kText), Text(s)) << s;
  }
  EXPECT_EQ(CastValue(Text("1970-01-02"), kDate), Value::Date(1));
  EXPECT_EQ(CastValue(Text("1969-12-31"), kDate), Value::Date(-1));
  EXPECT_EQ(CastValue(Text(" 2021-3-7 "), kDate), CastValue(Text("2021-03-07"), kDate));
  EXPECT_EQ(CastValue(Text("2021-03-07 13:45:00"), kDate), CastValue(Text("2021-03-07"), kDate));
}

TEST(CastDate, Errors) {
  EXPECT_EQ(CastErrorMessage(Text("hello"), kDate), "invalid input syntax for type date: \"hello\"");
  EXPECT_EQ(CastErrorState(Text("2021/01/01"), kDate), "22007");
  EXPECT_EQ(CastErrorState(Text("2021-01-01x"), kDate), "22007");
  EXPECT_EQ(CastErrorState(Text(""), kDate), "22007");
  EXPECT_EQ(CastErrorMessage(Text("2021-13-01"), kDate), "date/time field value out of range: \"2021-13-01\"");
  EXPECT_EQ(CastErrorState(Text("2021-02-29"), kDate), "22008");  // not a leap year
  EXPECT_EQ(CastErrorState(Text("1900-02-29"), kDate), "22008");  // centuries are not leap years...
  EXPECT_EQ(CastValue(Text("2000-02-29"), kDate).is_null(), false);  // ...unless divisible by 400
  EXPECT_EQ(CastErrorState(Text("2021-04-31"), kDate), "22008");
  EXPECT_EQ(CastErrorState(Text("2021-00-10"), kDate), "22008");
  EXPECT_EQ(CastErrorState(Text("0000-01-01"), kDate), "22008");
}

TEST(CastTimestamp, TextRoundTrip) {
  for (const char* s : {"1970-01-01 00:00:00", "2021-03-07 13:45:09.5", "1969-12-31 23:59:59.999999",
                        "2000-02-29 12:00:00.000001", "0001-01-01 00:00:00", "9999-12-31 23:59:59"}) {
    Value t = CastValue(Text(s), kTs);
    EXPECT_EQ(CastValue(t, kText), Text(s)) << s;
  }
  EXPECT_EQ(CastValue(Text("1970-01-01 00:00:01"), kTs), Value::Timestamp(1000000));
  EXPECT_EQ(CastValue(Text("1969-12-31 23:59:59"), kTs), Value::Timestamp(-1000000));
  EXPECT_EQ(CastValue(Text("2021-03-07T13:45"), kTs), CastValue(Text("2021-03-07 13:45:00"), kTs));
  EXPECT_EQ(CastValue(Text("2021-03-07"), kTs), CastValue(Text("2021-03-07 00:00:00"), kTs));
  EXPECT_EQ(CastErrorMessage(Text("2021-03-07 25:00"), kTs), "date/time field value out of range: \"2021-03-07 25:00\"");
  EXPECT_EQ(CastErrorMessage(Text("yesterday-ish"), kTs), "invalid input syntax for type timestamp: \"yesterday-ish\"");
  EXPECT_EQ(CastErrorState(Text("2021-03-07 12:60"), kTs), "22008");
  EXPECT_EQ(CastErrorState(Text("2021-03-07 12:"), kTs), "22007");
}

TEST(CastTemporal, DateAndTimestamp) {
  EXPECT_EQ(CastValue(Value::Date(1), kTs), Value::Timestamp(kMicrosPerDay));
  EXPECT_EQ(CastValue(Value::Date(-1), kTs), Value::Timestamp(-kMicrosPerDay));
  EXPECT_EQ(CastValue(Value::Timestamp(kMicrosPerDay + 5), kDate), Value::Date(1));
  EXPECT_EQ(CastValue(Value::Timestamp(-1), kDate), Value::Date(-1));  // floors, not truncates
  EXPECT_EQ(CastValue(Value::Timestamp(-kMicrosPerDay), kDate), Value::Date(-1));
  EXPECT_EQ(CastErrorState(Value::Date(std::numeric_limits<int32_t>::max()), kTs), "22008");
  EXPECT_EQ(CastValue(Value::Timestamp(1500000), kText), Text("1970-01-01 00:00:01.5"));
  EXPECT_EQ(CastValue(Value::Date(0), kText), Text("1970-01-01"));
}

TEST(CastValueTest, Nulls) {
  EXPECT_EQ(CastValue(Value(), kInt), Value::Null(kInt));
  EXPECT_EQ(CastValue(Value::Null(kText), kDate), Value::Null(kDate));
  EXPECT_EQ(CastValue(Value::Integer(5), kInt), Value::Integer(5));
}

TEST(CastVectorTest, SelectionAndNulls) {
  Vector src(kText, 5);
  src.SetValue(0, Text("1"));
  src.SetValue(1, Text("bad"));  // not selected: must not be looked at
  src.SetValue(2, Value::Null(kText));
  src.SetValue(3, Text("3"));
  src.SetValue(4, Text("4"));
  Vector dst(kInt, 5);
  dst.SetValue(4, Value::Integer(99));
  sel_t sel[] = {0, 2, 3};
  CastVector(src, dst, sel, 3);
  EXPECT_EQ(dst.GetValue(0), Value::Integer(1));
  EXPECT_TRUE(dst.IsNull(2));
  EXPECT_EQ(dst.GetValue(3), Value::Integer(3));
  EXPECT_EQ(dst.GetValue(4), Value::Integer(99));  // untouched

  Vector nulls(kNull, 3);
  for (idx_t i = 0; i < 3; ++i) nulls.SetNull(i);
  Vector out(kDate, 3);
  CastVector(nulls, out, nullptr, 3);
  for (idx_t i = 0; i < 3; ++i) EXPECT_TRUE(out.IsNull(i));
}

TEST(CastVectorTest, StringsAreCopiedIntoTheTargetHeap) {
  Value result;
  {
    Vector src(kText, 1);
    src.SetValue(0, Text("hello"));
    Vector dst(LogicalType(TypeId::Varchar, 10), 1);
    CastVector(src, dst, nullptr, 1);
    src.heap().Reset();
    result = dst.GetValue(0);
  }
  EXPECT_EQ(result, Text("hello"));
}

TEST(CastVectorTest, ManyRows) {
  Vector src(kDouble);
  Vector dst(kBig);
  for (idx_t i = 0; i < kVectorSize; ++i) src.SetValue(i, Value::Double(static_cast<double>(i) + 0.5));
  CastVector(src, dst, nullptr, kVectorSize);
  for (idx_t i = 0; i < kVectorSize; ++i) {
    int64_t expected = static_cast<int64_t>(i) + (i % 2 == 1 ? 1 : 0);  // half to even
    ASSERT_EQ(dst.GetValue(i), Value::BigInt(expected)) << i;
  }
}

}  // namespace
}  // namespace lyt
