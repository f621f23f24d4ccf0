#include "exec/hash.h"

#include <cmath>

#include "common/interval.h"

namespace lyt {

template <class T>
static void HashFixed(const Vector& v, idx_t count, uint64_t* hashes, bool first) {
  const T* data = v.data<T>();
  const uint8_t* nulls = v.nulls();
  for (idx_t i = 0; i < count; ++i) {
    uint64_t bits = 0;
    if constexpr (std::is_floating_point_v<T>) {
      double d = static_cast<double>(data[i]);
      if (d == 0) d = 0;  // -0.0 and 0.0 are one key
      std::memcpy(&bits, &d, sizeof(d));
    } else {
      bits = static_cast<uint64_t>(static_cast<int64_t>(data[i]));
    }
    uint64_t h = nulls[i] ? 0x5bd1e995ULL : MixHash(bits);
    hashes[i] = first ? h : MixHash(hashes[i] * 31 + h);
  }
}

void CombineHashes(const Vector& column, idx_t count, uint64_t* hashes, bool first) {
  switch (column.type().id) {
    case TypeId::Null:
    case TypeId::Boolean: return HashFixed<uint8_t>(column, count, hashes, first);
    case TypeId::SmallInt: return HashFixed<int16_t>(column, count, hashes, first);
    case TypeId::Integer:
    case TypeId::Date: return HashFixed<int32_t>(column, count, hashes, first);
    case TypeId::BigInt:
    case TypeId::Timestamp: return HashFixed<int64_t>(column, count, hashes, first);
    case TypeId::Real: return HashFixed<float>(column, count, hashes, first);
    case TypeId::Double: return HashFixed<double>(column, count, hashes, first);
    case TypeId::Interval: {
      // Equal intervals ('1 day', '24 hours') hash alike: hash the normalized total.
      const Interval* data = column.data<Interval>();
      for (idx_t i = 0; i < count; ++i) {
        auto total = static_cast<unsigned __int128>(IntervalTotal(data[i]));
        uint64_t h = column.nulls()[i] ? 0x5bd1e995ULL : MixHash(static_cast<uint64_t>(total) ^ MixHash(static_cast<uint64_t>(total >> 64)));
        hashes[i] = first ? h : MixHash(hashes[i] * 31 + h);
      }
      return;
    }
    case TypeId::Varchar:
    case TypeId::Blob: {
      const StringRef* data = column.data<StringRef>();
      for (idx_t i = 0; i < count; ++i) {
        uint64_t h = column.nulls()[i] ? 0x5bd1e995ULL : HashBytes(data[i].data, data[i].size);
        hashes[i] = first ? h : MixHash(hashes[i] * 31 + h);
      }
      return;
    }
  }
}

}  // namespace lyt
