// Reading numeric values of any integer-like or floating type out of a vector, for operators that
// accumulate them (aggregates, window aggregates).
#pragma once

#include "common/vector.h"

namespace lyt {

// Types stored as integers that MIN/MAX compare as integers.
inline bool IsIntegerLike(TypeId id) {
  return id == TypeId::Boolean || id == TypeId::SmallInt || id == TypeId::Integer || id == TypeId::BigInt ||
         id == TypeId::Date || id == TypeId::Timestamp;
}

// Row r of an integer-like vector, widened.
inline int64_t ReadInt(const Vector& v, idx_t r) {
  switch (v.type().id) {
    case TypeId::Boolean: return v.data<uint8_t>()[r];
    case TypeId::SmallInt: return v.data<int16_t>()[r];
    case TypeId::Integer:
    case TypeId::Date: return v.data<int32_t>()[r];
    default: return v.data<int64_t>()[r];
  }
}

// Row r of a numeric vector as a double.
inline double ReadDouble(const Vector& v, idx_t r) {
  return v.type().id == TypeId::Real     ? v.data<float>()[r]
         : v.type().id == TypeId::Double ? v.data<double>()[r]
                                         : static_cast<double>(ReadInt(v, r));
}

}  // namespace lyt
