// A single SQL value, used for parameters, constants and reading results one cell at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "lyt/types.h"

namespace lyt {

// An owned, typed SQL value or NULL. Copyable; strings and blobs own their bytes.
class Value {
 public:
  Value() = default;  // untyped NULL
  static Value Null(LogicalType type = TypeId::Null) { Value v; v.type_ = type; return v; }
  static Value Boolean(bool b) { return Value(TypeId::Boolean, int64_t(b)); }
  static Value SmallInt(int16_t i) { return Value(TypeId::SmallInt, int64_t(i)); }
  static Value Integer(int32_t i) { return Value(TypeId::Integer, int64_t(i)); }
  static Value BigInt(int64_t i) { return Value(TypeId::BigInt, i); }
  static Value Real(float f) { return Value(TypeId::Real, double(f)); }
  static Value Double(double d) { return Value(TypeId::Double, d); }
  static Value Varchar(std::string s) { return Value(TypeId::Varchar, std::move(s)); }
  static Value Blob(std::string bytes) { return Value(TypeId::Blob, std::move(bytes)); }
  static Value Date(int32_t days) { return Value(TypeId::Date, int64_t(days)); }
  static Value Timestamp(int64_t micros) { return Value(TypeId::Timestamp, micros); }
  static Value Interval(lyt::Interval iv) { Value v; v.type_ = TypeId::Interval; v.data_ = iv; return v; }

  const LogicalType& type() const { return type_; }
  bool is_null() const { return std::holds_alternative<std::monostate>(data_); }

  // Accessors; the caller checks type() first. Integers, booleans, dates and timestamps are read
  // with AsInt64, floats with AsDouble, strings and blobs with AsString, intervals with
  // AsInterval.
  int64_t AsInt64() const { return std::get<int64_t>(data_); }
  double AsDouble() const { return std::get<double>(data_); }
  bool AsBool() const { return std::get<int64_t>(data_) != 0; }
  const std::string& AsString() const { return std::get<std::string>(data_); }
  const lyt::Interval& AsInterval() const { return std::get<lyt::Interval>(data_); }

  // Text form as a SQL client shows it: NULL as "NULL", booleans as "true"/"false", doubles in
  // the shortest form that reads back exactly, dates as YYYY-MM-DD, blobs as \x hex, intervals
  // as PostgreSQL prints them ('1 year 2 mons 3 days 04:05:06').
  std::string ToString() const;

  // SQL literal that reads back to this value (strings quoted, blobs as '\x..'::BLOB).
  std::string ToSqlLiteral() const;

  // Same type and same contents (NULL equals NULL here; this is not SQL equality).
  bool operator==(const Value& other) const { return type_ == other.type_ && data_ == other.data_; }

 private:
  Value(LogicalType t, int64_t i) : type_(t), data_(i) {}
  Value(LogicalType t, double d) : type_(t), data_(d) {}
  Value(LogicalType t, std::string s) : type_(t), data_(std::move(s)) {}

  LogicalType type_;
  std::variant<std::monostate, int64_t, double, std::string, lyt::Interval> data_;
};

}  // namespace lyt
