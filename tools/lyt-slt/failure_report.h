// Text helpers for lyt-slt's failure reports. Header-only and dependency-free for unit tests.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lyt::slt {

// SQL on one line: whitespace runs become one space; longer than `limit` bytes is cut with "...".
inline std::string CollapseSql(std::string_view sql, size_t limit = 240) {
  std::string out;
  bool pending_space = false;
  for (char c : sql) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (space) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
    if (out.size() > limit) {
      out.resize(limit);
      out += "...";
      break;
    }
  }
  return out;
}

// Up to `max_lines` of `lines`, each indented by `indent`, then "... (N more)" when cut.
inline std::string IndentedLines(const std::vector<std::string>& lines, std::string_view indent,
                                 size_t max_lines) {
  std::string out;
  for (size_t i = 0; i < lines.size() && i < max_lines; ++i) {
    out.append(indent).append(lines[i]).append("\n");
  }
  if (lines.size() > max_lines) {
    out.append(indent).append("... (" + std::to_string(lines.size() - max_lines) + " more)\n");
  }
  return out;
}

// Replaces every "${name}" in `text` by `value`.
inline std::string Substitute(std::string text, std::string_view name, std::string_view value) {
  std::string pattern = "${" + std::string(name) + "}";
  for (size_t pos = text.find(pattern); pos != std::string::npos;
       pos = text.find(pattern, pos + value.size())) {
    text.replace(pos, pattern.size(), value);
  }
  return text;
}

}  // namespace lyt::slt
