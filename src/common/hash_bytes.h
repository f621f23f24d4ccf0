// Hashing of byte strings and 64-bit words, shared by storage (string interning) and the
// executor's hash tables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace lyt {

inline uint64_t MixHash(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

inline uint64_t Load64(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

inline uint32_t Load32(const char* p) {
  uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}

// Hash of a byte string. Short strings (the common case for keys) are read with two overlapping
// fixed-width loads instead of a byte loop.
inline uint64_t HashBytes(const char* p, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xff51afd7ed558ccdULL);
  if (n <= 16) {
    uint64_t a, b;
    if (n >= 8) {
      a = Load64(p);
      b = Load64(p + n - 8);
    } else if (n >= 4) {
      a = Load32(p);
      b = Load32(p + n - 4);
    } else if (n > 0) {
      a = (uint64_t(uint8_t(p[0])) << 16) | (uint64_t(uint8_t(p[n / 2])) << 8) | uint8_t(p[n - 1]);
      b = 0;
    } else {
      a = b = 0;
    }
    return MixHash(h ^ a ^ MixHash(b + n));
  }
  while (n > 8) {
    h = MixHash(h ^ Load64(p));
    p += 8;
    n -= 8;
  }
  return MixHash(h ^ Load64(p + n - 8));
}

}  // namespace lyt
