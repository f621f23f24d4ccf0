// Hashing of column values for hash tables (aggregation, joins, DISTINCT).
#pragma once

#include <cstdint>
#include <cstring>

#include "common/vector.h"

namespace lyt {

inline uint64_t MixHash(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

inline uint64_t HashBytes(const char* p, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = MixHash(h ^ w);
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, p, n);
  return MixHash(h ^ tail ^ (n << 56));
}

// hashes[i] = combine(hashes[i], hash of column row i) for rows 0..count. NULL hashes to a
// constant, so NULL keys group together.
void CombineHashes(const Vector& column, idx_t count, uint64_t* hashes, bool first);

}  // namespace lyt
