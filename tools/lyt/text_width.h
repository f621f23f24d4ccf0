// Terminal display width of UTF-8 text, for aligning table columns and error carets.
// Header-only: pure functions, used by unit tests without the lyt program.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace lyt::shell {

// Decodes the code point starting at text[*pos] and advances *pos past it. A byte that does not
// start a valid sequence counts as one code point of its own (so widths stay defined for any
// bytes).
inline uint32_t NextCodePoint(std::string_view text, size_t* pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(*pos);
  size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xe ? 3
                                   : (lead >> 3) == 0x1e ? 4 : 0;
  if (length <= 1 || *pos + length > text.size()) {
    ++*pos;
    return lead;
  }
  uint32_t code = lead & (0x7f >> length);
  for (size_t i = 1; i < length; ++i) {
    unsigned char next = byte(*pos + i);
    if ((next & 0xc0) != 0x80) {
      ++*pos;
      return lead;
    }
    code = (code << 6) | (next & 0x3f);
  }
  *pos += length;
  return code;
}

// Columns a code point takes in a terminal: 0 for combining marks, 2 for East Asian wide and
// emoji ranges, 1 otherwise. An approximation of wcwidth that does not depend on the locale.
inline int CodePointWidth(uint32_t code) {
  if ((code >= 0x0300 && code <= 0x036f) || (code >= 0x200b && code <= 0x200f) ||
      (code >= 0xfe00 && code <= 0xfe0f)) {
    return 0;
  }
  bool wide = (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) ||
              (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) ||
              (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) ||
              (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1f300 && code <= 0x1f64f) ||
              (code >= 0x1f900 && code <= 0x1f9ff) || (code >= 0x20000 && code <= 0x3fffd);
  return wide ? 2 : 1;
}

inline size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (size_t pos = 0; pos < text.size();) width += CodePointWidth(NextCodePoint(text, &pos));
  return width;
}

}  // namespace lyt::shell
