// JSON string literals for lyt_bench's output.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace lyt::bench {

// `text` as a JSON string literal: quotes, backslashes and control characters escaped; other
// bytes (UTF-8 included) copied as they are.
inline std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", byte);
      out += escape;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace lyt::bench
