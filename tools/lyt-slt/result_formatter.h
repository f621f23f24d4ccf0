// Turning query results into sqllogictest's text form, sorting them, and comparing them with the
// expected lines of a record.
//
// Header-only so unit tests can use it without the lyt-slt program; it needs lyt::Value (from
// lyt_engine) and nothing else. Hashing lives in md5.cc because it needs OpenSSL.
#pragma once

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include "lyt/value.h"
#include "slt_parser.h"

namespace lyt::slt {

// C's (long long)d, made total: NaN gives 0, out-of-range values saturate.
inline int64_t TruncateToInt64(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
  if (d <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

// The integer SQLite reads from text: the leading [ws][sign]digits, 0 when there are none;
// saturates on overflow ("12abc" -> 12, "abc" -> 0, "-7.9" -> -7).
inline int64_t LeadingInteger(std::string_view text) {
  size_t i = text.find_first_not_of(" \t\n\r\f\v");
  if (i == std::string_view::npos) return 0;
  bool negative = false;
  if (text[i] == '-' || text[i] == '+') negative = text[i++] == '-';
  uint64_t magnitude = 0;
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    magnitude = magnitude * 10 + static_cast<uint64_t>(text[i] - '0');
    if (magnitude > limit) {
      magnitude = limit;
      break;
    }
  }
  if (negative) return magnitude == (uint64_t{1} << 63) ? std::numeric_limits<int64_t>::min()
                                                       : -static_cast<int64_t>(magnitude);
  return static_cast<int64_t>(magnitude);
}

// The real SQLite reads from text: the longest leading number strtod accepts, 0.0 when none.
inline double LeadingReal(std::string_view text) {
  std::string copy(text);  // strtod needs a terminated string
  return std::strtod(copy.c_str(), nullptr);
}

// "%.3f" as SQLite's own printf writes it, the form of R columns in the reference files: SQLite
// prints at most 16 significant digits and pads with zeros, so 2^63 is "9223372036854776000.000".
inline std::string FormatReal(double d) {
  char buffer[400];  // the widest double in %.3f is about 315 characters
  if (!std::isfinite(d) || std::fabs(d) < 1e13) {  // 16 digits or fewer: plain %.3f agrees
    int n = std::snprintf(buffer, sizeof buffer, "%.3f", d);
    return std::string(buffer, static_cast<size_t>(n));
  }
  // d.ddddddddddddddde+XX: 16 significant digits, then the decimal exponent (>= 13 here).
  std::snprintf(buffer, sizeof buffer, "%.15e", d);
  std::string_view text(buffer);
  std::string out;
  if (text.front() == '-') {
    out += '-';
    text.remove_prefix(1);
  }
  std::string digits;
  digits += text[0];
  digits.append(text.substr(2, 15));
  int exponent = std::atoi(std::string(text.substr(text.find('e') + 1)).c_str());
  size_t integer_digits = static_cast<size_t>(exponent) + 1;
  if (digits.size() < integer_digits) digits.append(integer_digits - digits.size(), '0');
  out.append(digits, 0, integer_digits);
  out += '.';
  std::string fraction = digits.substr(integer_digits);
  fraction.resize(3, '0');
  out += fraction;
  return out;
}

// T columns: "(empty)" for the empty string; bytes outside printable ASCII become '@'.
inline std::string SanitizeText(std::string text) {
  if (text.empty()) return "(empty)";
  for (char& c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) c = '@';
  }
  return text;
}

// Formats one result cell for its column's type letter: I integer, R real with three decimals,
// anything else text. NULL is "NULL" whatever the letter.
inline std::string FormatValue(const Value& value, char type_letter) {
  if (value.is_null()) return "NULL";
  const LogicalType& type = value.type();
  bool integral = type.IsInteger() || type.id == TypeId::Boolean;
  if (type_letter == 'I') {
    if (integral) return std::to_string(value.AsInt64());
    if (type.IsFloat()) return std::to_string(TruncateToInt64(value.AsDouble()));
    return std::to_string(LeadingInteger(value.ToString()));
  }
  if (type_letter == 'R') {
    if (integral) return FormatReal(static_cast<double>(value.AsInt64()));
    if (type.IsFloat()) return FormatReal(value.AsDouble());
    return FormatReal(LeadingReal(value.ToString()));
  }
  return SanitizeText(value.ToString());
}

// A formatted result: row-major cells, `columns` per row.
struct ResultTable {
  size_t columns = 0;
  std::vector<std::string> values;

  size_t row_count() const { return columns == 0 ? 0 : values.size() / columns; }
};

// rowsort: rows ordered by their cells compared as strings, left to right; valuesort: every
// cell ordered on its own; nosort: unchanged.
inline void SortResult(SortMode mode, ResultTable* table) {
  if (mode == SortMode::kValueSort) {
    std::sort(table->values.begin(), table->values.end());
    return;
  }
  if (mode != SortMode::kRowSort || table->columns == 0) return;
  const size_t width = table->columns;
  const std::vector<std::string>& v = table->values;
  std::vector<size_t> order(table->row_count());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::lexicographical_compare(v.begin() + a * width, v.begin() + (a + 1) * width,
                                        v.begin() + b * width, v.begin() + (b + 1) * width);
  });
  std::vector<std::string> sorted;
  sorted.reserve(v.size());
  for (size_t row : order) {
    for (size_t c = 0; c < width; ++c) sorted.push_back(std::move(table->values[row * width + c]));
  }
  table->values = std::move(sorted);
}

// `N values hashing to <32 hex digits>`.
struct ExpectedHash {
  size_t count = 0;
  std::string md5;
};

inline bool ParseHashLine(std::string_view line, ExpectedHash* out) {
  std::vector<std::string_view> tokens = detail::Tokenize(line);
  if (tokens.size() != 5 || tokens[1] != "values" || tokens[2] != "hashing" || tokens[3] != "to") {
    return false;
  }
  int64_t count = 0;
  if (!detail::ParseInt64(tokens[0], &count) || count < 0) return false;
  if (tokens[4].size() != 32) return false;
  out->count = static_cast<size_t>(count);
  out->md5.clear();
  for (char c : tokens[4]) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    out->md5 += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return true;
}

// The expected results are a single hash line.
inline bool IsHashedExpectation(const std::vector<std::string>& expected, ExpectedHash* out) {
  return expected.size() == 1 && ParseHashLine(expected[0], out);
}

namespace detail {

// Whether `line` is the cells of row `row` joined by `separator`.
inline bool RowEqualsLine(const ResultTable& table, size_t row, std::string_view line,
                          char separator) {
  size_t pos = 0;
  for (size_t c = 0; c < table.columns; ++c) {
    const std::string& cell = table.values[row * table.columns + c];
    if (c > 0) {
      if (pos >= line.size() || line[pos] != separator) return false;
      ++pos;
    }
    if (line.compare(pos, cell.size(), cell) != 0) return false;
    pos += cell.size();
  }
  return pos == line.size();
}

inline bool RowsEqualLines(const ResultTable& table, const std::vector<std::string>& lines,
                           char separator) {
  for (size_t row = 0; row < lines.size(); ++row) {
    if (!RowEqualsLine(table, row, lines[row], separator)) return false;
  }
  return true;
}

}  // namespace detail

// True when `table` (already sorted) equals the expected lines in one of the accepted layouts:
// one value per line (SQLite), or one row per line with cells separated by tabs (DuckDB) or by
// single spaces. Hash lines are not handled here (see IsHashedExpectation).
inline bool MatchesExpected(const ResultTable& table, const std::vector<std::string>& expected) {
  if (expected == table.values) return true;
  if (table.columns < 2 || expected.size() != table.row_count()) return false;
  return detail::RowsEqualLines(table, expected, '\t') ||
         detail::RowsEqualLines(table, expected, ' ');
}

// True when the expected lines are written one row per line rather than one value per line.
inline bool ExpectsRowLayout(const ResultTable& table, const std::vector<std::string>& expected) {
  return table.columns > 1 && expected.size() != table.values.size() &&
         expected.size() == table.row_count() && !expected.empty() &&
         expected[0].find('\t') != std::string::npos;
}

// The result as lines in the layout the expected lines use, for failure reports.
inline std::vector<std::string> ResultLines(const ResultTable& table, bool row_layout) {
  if (!row_layout) return table.values;
  std::vector<std::string> lines;
  for (size_t row = 0; row < table.row_count(); ++row) {
    std::string line;
    for (size_t c = 0; c < table.columns; ++c) {
      if (c > 0) line += '\t';
      line += table.values[row * table.columns + c];
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

// Index of the first line where `got` and `expected` differ (the shorter length when one is a
// prefix of the other).
inline size_t FirstDifference(const std::vector<std::string>& got,
                              const std::vector<std::string>& expected) {
  size_t n = std::min(got.size(), expected.size());
  for (size_t i = 0; i < n; ++i) {
    if (got[i] != expected[i]) return i;
  }
  return n;
}

}  // namespace lyt::slt
