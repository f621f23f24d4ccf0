#include "storage/ordered_key.h"

#include <cmath>
#include <cstring>

#include "common/interval.h"

namespace lyt {

namespace {

template <typename U>
void AppendBigEndian(U value, std::string& out) {
  for (int shift = static_cast<int>(sizeof(U) * 8) - 8; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>(static_cast<uint8_t>(value >> shift)));
  }
}

void AppendInt(int64_t v, std::string& out) { AppendBigEndian<uint64_t>(static_cast<uint64_t>(v) ^ (uint64_t(1) << 63), out); }

void AppendDouble(double d, std::string& out) {
  if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
  if (d == 0) d = 0;  // -0.0 equals 0.0
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof(bits));
  // A positive NaN's bits lie above +Infinity's once the sign bit is flipped.
  bits = (bits >> 63) ? ~bits : bits ^ (uint64_t(1) << 63);
  AppendBigEndian(bits, out);
}

// The bytes, 0x00 written 0x00 0xFF (no terminator).
void AppendEscaped(std::string_view s, std::string& out) {
  for (char c : s) {
    out.push_back(c);
    if (c == 0) out.push_back(static_cast<char>(0xFF));
  }
}

void AppendBytes(StringRef s, std::string& out) {
  AppendEscaped(s.view(), out);
  out.push_back(0);
  out.push_back(1);
}

}  // namespace

void EncodeOrderedValue(const Vector& column, idx_t row, std::string& out) {
  if (column.IsNull(row)) {
    out.push_back(kNullMarker);
    return;
  }
  out.push_back(kValueMarker);
  switch (column.type().id) {
    case TypeId::Null:
      return;
    case TypeId::Boolean:
      AppendInt(column.data<uint8_t>()[row] != 0, out);
      return;
    case TypeId::SmallInt:
      AppendInt(column.data<int16_t>()[row], out);
      return;
    case TypeId::Integer:
    case TypeId::Date:
      AppendInt(column.data<int32_t>()[row], out);
      return;
    case TypeId::BigInt:
    case TypeId::Timestamp:
      AppendInt(column.data<int64_t>()[row], out);
      return;
    case TypeId::Real:
      AppendDouble(column.data<float>()[row], out);
      return;
    case TypeId::Double:
      AppendDouble(column.data<double>()[row], out);
      return;
    case TypeId::Interval: {
      __int128 total = IntervalTotal(column.data<Interval>()[row]);
      AppendBigEndian<unsigned __int128>(static_cast<unsigned __int128>(total) ^ (static_cast<unsigned __int128>(1) << 127), out);
      return;
    }
    case TypeId::Varchar:
    case TypeId::Blob:
      AppendBytes(column.data<StringRef>()[row], out);
      return;
  }
}

void EncodeOrderedKey(const std::vector<const Vector*>& columns, idx_t row, std::string& out) {
  for (const Vector* v : columns) EncodeOrderedValue(*v, row, out);
}

std::string PastPrefix(std::string prefix) {
  prefix.push_back(static_cast<char>(0xFF));
  return prefix;
}

void EncodeTextPrefix(std::string_view prefix, std::string& out) {
  out.push_back(kValueMarker);
  AppendEscaped(prefix, out);
}

std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<uint8_t>(prefix.back()) == 0xFF) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(static_cast<uint8_t>(prefix.back()) + 1);
  return prefix;
}

}  // namespace lyt
