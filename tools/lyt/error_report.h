// psql-style error text for a failed statement (psql's VERBOSITY verbose first line, with the
// SQLSTATE, so scripts and people can tell errors apart without parsing messages):
//   ERROR:  42601: syntax error at or near "FORM"
//   LINE 1: SELECT * FORM t
//                    ^
// Header-only: pure text work, unit-tested without the lyt program.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "lyt/status.h"
#include "text_width.h"

namespace lyt::shell {

namespace detail {

// Line `number` (1-based) of `text`, without its line end; empty when there is no such line.
inline std::string_view NthLine(std::string_view text, int number) {
  size_t start = 0;
  for (int i = 1; i < number; ++i) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) return {};
    start = end + 1;
  }
  size_t end = text.find('\n', start);
  size_t length = end == std::string_view::npos ? std::string_view::npos : end - start;
  std::string_view line = text.substr(start, length);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// The lines wider than this are cut to a window around the error, marked with "...".
inline constexpr size_t kMaxShownWidth = 72;

// The byte range of `line` to show so that byte `caret` (<= line.size()) stays inside.
inline std::pair<size_t, size_t> ShownRange(std::string_view line, size_t caret) {
  if (DisplayWidth(line) <= kMaxShownWidth) return {0, line.size()};
  // Walk back from the caret about half the window, then forward the rest, on code points.
  size_t begin = caret;
  size_t width = 0;
  while (begin > 0 && width < kMaxShownWidth / 2) {
    --begin;
    while (begin > 0 && (static_cast<unsigned char>(line[begin]) & 0xc0) == 0x80) --begin;
    width += 1;
  }
  size_t end = begin;
  width = 0;
  while (end < line.size() && width < kMaxShownWidth) {
    size_t next = end;
    width += CodePointWidth(NextCodePoint(line, &next));
    end = next;
  }
  return {begin, std::max(end, std::min(caret, line.size()))};
}

}  // namespace detail

// The report for a failed statement: "ERROR:  <sqlstate>: <message>", and when the status has a
// line and column inside `statement` (the text that was run), that line and a caret under the column.
// The column counts bytes from 1, as the lexer does; the caret lands on the character there.
// Tabs before the column are repeated in the caret line so it stays aligned. Every line ends
// with '\n'.
inline std::string FormatError(const Status& status, std::string_view statement) {
  std::string out = "ERROR:  " + status.sqlstate() + ": " + status.message() + "\n";
  if (status.line() <= 0 || status.column() <= 0) return out;
  std::string_view line = detail::NthLine(statement, status.line());
  size_t caret = std::min(static_cast<size_t>(status.column() - 1), line.size());
  auto [begin, end] = detail::ShownRange(line, caret);
  std::string prefix = "LINE " + std::to_string(status.line()) + ": ";
  std::string shown = prefix;
  if (begin > 0) shown += "...";
  shown.append(line.substr(begin, end - begin));
  if (end < line.size()) shown += "...";
  std::string marker(prefix.size() + (begin > 0 ? 3 : 0), ' ');
  for (size_t pos = begin; pos < caret;) {
    if (line[pos] == '\t') {
      marker += '\t';
      ++pos;
    } else {
      marker.append(static_cast<size_t>(CodePointWidth(NextCodePoint(line, &pos))), ' ');
    }
  }
  out += shown + "\n" + marker + "^\n";
  return out;
}

}  // namespace lyt::shell
