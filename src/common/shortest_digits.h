// The shortest decimal form of a floating-point number, as digits and an exponent: shared by the
// number formatter (casts to text) and by decimal rounding (round(x, n)).
#pragma once

#include <charconv>
#include <cstddef>

namespace lyt {

struct ShortestDigits {
  char scientific[48];  // [-]d[.ddd]e(+|-)XX, the shortest text that reads back exactly
  size_t scientific_length = 0;
  char digits[32];      // significant digits, without sign or decimal point
  int count = 0;        // how many digits
  int exponent = 0;     // value = d.ddd * 10^exponent
  bool negative = false;
};

// `v` must be finite and non-zero.
template <class T>
ShortestDigits ToShortestDigits(T v) {
  ShortestDigits d;
  char* end = std::to_chars(d.scientific, d.scientific + sizeof d.scientific, v, std::chars_format::scientific).ptr;
  d.scientific_length = static_cast<size_t>(end - d.scientific);
  const char* p = d.scientific;
  d.negative = *p == '-';
  if (d.negative) ++p;
  for (; *p != 'e'; ++p) {
    if (*p != '.') d.digits[d.count++] = *p;
  }
  std::from_chars(p + (p[1] == '+' ? 2 : 1), end, d.exponent);
  return d;
}

}  // namespace lyt
