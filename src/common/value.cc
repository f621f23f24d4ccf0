#include "lyt/value.h"

#include "common/cast.h"
#include "common/datetime.h"
#include "common/interval.h"

namespace lyt {

std::string Value::ToString() const {
  if (is_null()) return "NULL";
  switch (type_.id) {
    case TypeId::Null: return "NULL";
    case TypeId::Boolean: return AsBool() ? "true" : "false";
    case TypeId::SmallInt:
    case TypeId::Integer:
    case TypeId::BigInt: return std::to_string(AsInt64());
    case TypeId::Real: return FormatReal(static_cast<float>(AsDouble()));
    case TypeId::Double: return FormatDouble(AsDouble());
    case TypeId::Varchar: return AsString();
    case TypeId::Blob: return FormatBlob(AsString());
    case TypeId::Date: return FormatDate(static_cast<int32_t>(AsInt64()));
    case TypeId::Timestamp: return FormatTimestamp(AsInt64());
    case TypeId::Interval: return FormatInterval(AsInterval());
  }
  return "?";
}

static std::string Quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string Value::ToSqlLiteral() const {
  if (is_null()) return type_.id == TypeId::Null ? "NULL" : "CAST(NULL AS " + type_.ToString() + ")";
  switch (type_.id) {
    case TypeId::Varchar: return Quote(AsString());
    case TypeId::Blob: return Quote(FormatBlob(AsString())) + "::BLOB";
    case TypeId::Date:
    case TypeId::Timestamp:
    case TypeId::Interval: return type_.ToString() + " " + Quote(ToString());
    case TypeId::Real:
    case TypeId::Double: {
      std::string text = ToString();
      if (text == "NaN" || text == "Infinity" || text == "-Infinity") return Quote(text) + "::" + type_.ToString();
      return type_.id == TypeId::Real ? "CAST(" + text + " AS REAL)" : text;
    }
    case TypeId::SmallInt: return "CAST(" + ToString() + " AS SMALLINT)";
    default: return ToString();
  }
}

}  // namespace lyt
