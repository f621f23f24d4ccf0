#include "lyt/types.h"

#include "common/string_heap.h"

namespace lyt {

std::string LogicalType::ToString() const {
  switch (id) {
    case TypeId::Null: return "NULL";
    case TypeId::Boolean: return "BOOLEAN";
    case TypeId::SmallInt: return "SMALLINT";
    case TypeId::Integer: return "INTEGER";
    case TypeId::BigInt: return "BIGINT";
    case TypeId::Real: return "REAL";
    case TypeId::Double: return "DOUBLE PRECISION";
    case TypeId::Varchar:
      return max_length >= 0 ? "VARCHAR(" + std::to_string(max_length) + ")" : "TEXT";
    case TypeId::Blob: return "BLOB";
    case TypeId::Date: return "DATE";
    case TypeId::Timestamp: return "TIMESTAMP";
    case TypeId::Interval: return "INTERVAL";
  }
  return "UNKNOWN";
}

const char* LogicalType::SqlName() const {
  switch (id) {
    case TypeId::Null: return "unknown";
    case TypeId::Boolean: return "boolean";
    case TypeId::SmallInt: return "smallint";
    case TypeId::Integer: return "integer";
    case TypeId::BigInt: return "bigint";
    case TypeId::Real: return "real";
    case TypeId::Double: return "double precision";
    case TypeId::Varchar: return max_length >= 0 ? "character varying" : "text";
    case TypeId::Blob: return "bytea";
    case TypeId::Date: return "date";
    case TypeId::Timestamp: return "timestamp without time zone";
    case TypeId::Interval: return "interval";
  }
  return "unknown";
}

size_t PhysicalSize(TypeId id) {
  switch (id) {
    case TypeId::Null:
    case TypeId::Boolean: return 1;
    case TypeId::SmallInt: return 2;
    case TypeId::Integer:
    case TypeId::Date:
    case TypeId::Real: return 4;
    case TypeId::BigInt:
    case TypeId::Double:
    case TypeId::Timestamp: return 8;
    case TypeId::Interval: return sizeof(Interval);
    case TypeId::Varchar:
    case TypeId::Blob: return sizeof(StringRef);
  }
  return 8;
}

}  // namespace lyt
