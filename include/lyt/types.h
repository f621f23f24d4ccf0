// SQL types as LytDB sees them. Shared by the engine and by embedders reading results.
#pragma once

#include <cstdint>
#include <string>

namespace lyt {

// The logical type of a value or column. The physical representation in memory:
//   Boolean   uint8_t (0 or 1)        SmallInt int16_t      Integer int32_t
//   BigInt    int64_t                 Real     float        Double  double
//   Varchar   StringRef (UTF-8 bytes) Blob     StringRef (raw bytes)
//   Date      int32_t days since 1970-01-01
//   Timestamp int64_t microseconds since 1970-01-01 00:00:00 (no time zone)
//   Interval  Interval, 16 bytes {int32 months; int32 days; int64 micros}, as PostgreSQL: the
//             fields are kept apart because a month has no fixed number of days. Intervals
//             compare by the total with 30-day months and 24-hour days ('1 mon' = '30 days').
//   Null      the type of an untyped NULL literal; never stored in a table.
enum class TypeId : uint8_t {
  Null,
  Boolean,
  SmallInt,
  Integer,
  BigInt,
  Real,
  Double,
  Varchar,
  Blob,
  Date,
  Timestamp,
  Interval,
};

// The physical form of an INTERVAL value (see the table above). operator== compares the fields;
// SQL equality of intervals is on the normalized total instead.
struct Interval {
  int32_t months = 0;
  int32_t days = 0;
  int64_t micros = 0;

  bool operator==(const Interval& other) const = default;
};

// A type plus its modifier: for Varchar the maximum length in characters (VARCHAR(n)), -1 when
// unbounded (TEXT). Cheap to copy.
struct LogicalType {
  TypeId id = TypeId::Null;
  int32_t max_length = -1;

  constexpr LogicalType() = default;
  constexpr LogicalType(TypeId type_id, int32_t length = -1) : id(type_id), max_length(length) {}

  bool operator==(const LogicalType& other) const = default;

  bool IsInteger() const { return id == TypeId::SmallInt || id == TypeId::Integer || id == TypeId::BigInt; }
  bool IsFloat() const { return id == TypeId::Real || id == TypeId::Double; }
  bool IsNumeric() const { return IsInteger() || IsFloat(); }
  bool IsString() const { return id == TypeId::Varchar || id == TypeId::Blob; }
  bool IsTemporal() const { return id == TypeId::Date || id == TypeId::Timestamp; }

  // SQL spelling: "INTEGER", "VARCHAR(10)", "DOUBLE PRECISION", ...
  std::string ToString() const;
  // PostgreSQL's spelling, as pg_typeof and error messages print it: "integer", "text",
  // "character varying", "timestamp without time zone"; "unknown" for an untyped NULL.
  const char* SqlName() const;
};

// Size in bytes of one value of this type in a column vector.
size_t PhysicalSize(TypeId id);

}  // namespace lyt
