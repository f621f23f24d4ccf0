// How the shell writes result sets: psql-like aligned tables, RFC 4180 CSV, or JSON.
//
// Header-only on purpose: writers see only column descriptions and cell texts, never the engine,
// so unit tests can drive them without the lyt program. result_printer.cc feeds them from a
// QueryResult.
#pragma once

#include <algorithm>
#include <cstdio>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "lyt/database.h"
#include "text_width.h"

namespace lyt::shell {

enum class OutputFormat { kTable, kCsv, kJson };

inline bool ParseOutputFormat(std::string_view name, OutputFormat* out) {
  if (name == "table") {
    *out = OutputFormat::kTable;
  } else if (name == "csv") {
    *out = OutputFormat::kCsv;
  } else if (name == "json") {
    *out = OutputFormat::kJson;
  } else {
    return false;
  }
  return true;
}

inline const char* OutputFormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kTable: return "table";
    case OutputFormat::kCsv: return "csv";
    case OutputFormat::kJson: return "json";
  }
  return "table";
}

// One result cell as text (Value::ToString's form); `text` is ignored when is_null.
struct Cell {
  bool is_null = false;
  std::string text;
};

// Writes the outcome of statements in one format. For a row set: Begin, Row for each row, End.
// For a statement without rows: Command with its tag ("INSERT 0 3").
class ResultWriter {
 public:
  virtual ~ResultWriter() = default;
  virtual void Begin(const std::vector<ColumnInfo>& columns) = 0;
  // `cells` has one entry per column.
  virtual void Row(const std::vector<Cell>& cells) = 0;
  virtual void End() = 0;
  virtual void Command(const std::string& tag) = 0;
};

// ---------------------------------------------------------------------------------------------
// Table: psql's aligned format. Header names centred, numbers right-aligned, text left-aligned,
// NULL empty, cells with newlines over several lines with '+' marking the continuation, footer
// "(N rows)" and a blank line. Trailing spaces are trimmed from every line.

namespace detail {

enum class Align { kLeft, kRight, kCenter };

inline std::vector<std::string_view> SplitCellLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (true) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      return lines;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

inline void Pad(std::string* out, size_t n) { out->append(n, ' '); }

inline void AppendAligned(std::string* out, std::string_view text, size_t width, Align align) {
  size_t used = DisplayWidth(text);
  size_t slack = width > used ? width - used : 0;
  size_t left = align == Align::kRight ? slack : align == Align::kCenter ? slack / 2 : 0;
  Pad(out, left);
  out->append(text);
  Pad(out, slack - left);
}

inline void TrimTrailingSpaces(std::string* line) {
  size_t end = line->find_last_not_of(' ');
  line->resize(end == std::string::npos ? 0 : end + 1);
}

}  // namespace detail

// Keeps a whole row set until End (an aligned layout needs every width before its first line).
class BufferingWriter : public ResultWriter {
 public:
  explicit BufferingWriter(std::ostream& out) : out_(out) {}

  void Begin(const std::vector<ColumnInfo>& columns) override {
    columns_ = columns;
    cells_.clear();
    rows_ = 0;
  }

  void Row(const std::vector<Cell>& cells) override {
    for (const Cell& cell : cells) cells_.push_back(cell.is_null ? std::string() : cell.text);
    ++rows_;
  }

  void Command(const std::string& tag) override {
    if (!tag.empty()) out_ << tag << '\n';
  }

 protected:
  std::ostream& out_;
  std::vector<ColumnInfo> columns_;
  std::vector<std::string> cells_;  // row-major, NULL as ""
  size_t rows_ = 0;
};

class TableWriter : public BufferingWriter {
 public:
  explicit TableWriter(std::ostream& out) : BufferingWriter(out) {}

  void End() override {
    if (!columns_.empty()) WriteGrid();
    out_ << '(' << rows_ << (rows_ == 1 ? " row)" : " rows)") << "\n\n";
  }

 private:
  void WriteGrid() {
    const size_t n = columns_.size();
    std::vector<size_t> widths(n);
    for (size_t c = 0; c < n; ++c) widths[c] = DisplayWidth(columns_[c].name);
    for (size_t i = 0; i < cells_.size(); ++i) {
      for (std::string_view line : detail::SplitCellLines(cells_[i])) {
        widths[i % n] = std::max(widths[i % n], DisplayWidth(line));
      }
    }
    std::vector<std::string_view> header;
    for (const ColumnInfo& column : columns_) header.push_back(column.name);
    WriteRow(header, widths, /*header=*/true);
    std::string rule;
    for (size_t c = 0; c < n; ++c) {
      if (c > 0) rule += '+';
      rule.append(widths[c] + 2, '-');
    }
    out_ << rule << '\n';
    std::vector<std::string_view> row(n);
    for (size_t r = 0; r < rows_; ++r) {
      for (size_t c = 0; c < n; ++c) row[c] = cells_[r * n + c];
      WriteRow(row, widths, /*header=*/false);
    }
  }

  // One logical row, over as many physical lines as its tallest cell needs.
  void WriteRow(const std::vector<std::string_view>& texts, const std::vector<size_t>& widths,
                bool header) {
    const size_t n = texts.size();
    std::vector<std::vector<std::string_view>> lines(n);
    size_t height = 1;
    for (size_t c = 0; c < n; ++c) {
      lines[c] = detail::SplitCellLines(texts[c]);
      height = std::max(height, lines[c].size());
    }
    std::string line;
    for (size_t k = 0; k < height; ++k) {
      line.clear();
      for (size_t c = 0; c < n; ++c) {
        if (c > 0) line += '|';
        line += ' ';
        std::string_view text = k < lines[c].size() ? lines[c][k] : std::string_view();
        detail::AppendAligned(&line, text, widths[c], AlignmentOf(c, header));
        line += k + 1 < lines[c].size() ? '+' : ' ';
      }
      detail::TrimTrailingSpaces(&line);
      out_ << line << '\n';
    }
  }

  detail::Align AlignmentOf(size_t column, bool header) const {
    if (header) return detail::Align::kCenter;
    return columns_[column].type.IsNumeric() ? detail::Align::kRight : detail::Align::kLeft;
  }
};

// ---------------------------------------------------------------------------------------------
// Expanded (psql's \x): per row a rule "-[ RECORD n ]---+----" and a "column | value" line per
// column, names padded to the widest, values left-aligned, a value of several lines over as
// many lines with '+' marking the continuation; a blank line after the last row, "(0 rows)"
// when there is none.

namespace detail {

// psql's record rule for border 1: the label, then dashes to the name column's width, "-+-"
// where the label has not covered it yet, and dashes to the value column's width.
inline std::string RecordRule(size_t record, size_t name_width, size_t value_width) {
  std::string rule = "-[ RECORD " + std::to_string(record) + " ]";
  size_t label = rule.size();
  if (label < name_width) rule.append(name_width - label, '-');
  long rest = static_cast<long>(label) - static_cast<long>(name_width);
  for (char c : {'-', '+', '-'}) {
    if (rest-- <= 0) rule += c;
  }
  size_t covered = rest > 0 ? static_cast<size_t>(rest) : 0;
  if (covered < value_width) rule.append(value_width - covered, '-');
  return rule;
}

}  // namespace detail

class ExpandedWriter : public BufferingWriter {
 public:
  explicit ExpandedWriter(std::ostream& out) : BufferingWriter(out) {}

  void End() override {
    if (rows_ == 0) {
      out_ << "(0 rows)\n\n";
      return;
    }
    const size_t n = columns_.size();
    size_t name_width = 0, value_width = 0;
    for (const ColumnInfo& column : columns_) name_width = std::max(name_width, DisplayWidth(column.name));
    for (const std::string& cell : cells_) {
      for (std::string_view line : detail::SplitCellLines(cell)) {
        value_width = std::max(value_width, DisplayWidth(line));
      }
    }
    for (size_t r = 0; r < rows_; ++r) {
      out_ << detail::RecordRule(r + 1, name_width, value_width) << '\n';
      for (size_t c = 0; c < n; ++c) WriteField(columns_[c].name, cells_[r * n + c], name_width, value_width);
    }
    out_ << '\n';
  }

 private:
  void WriteField(std::string_view name, std::string_view value, size_t name_width, size_t value_width) {
    std::vector<std::string_view> lines = detail::SplitCellLines(value);
    std::string line;
    for (size_t k = 0; k < lines.size(); ++k) {
      line.clear();
      detail::AppendAligned(&line, k == 0 ? name : std::string_view(), name_width, detail::Align::kLeft);
      line += " | ";
      bool more = k + 1 < lines.size();
      detail::AppendAligned(&line, lines[k], more ? value_width : 0, detail::Align::kLeft);
      if (more) line += '+';
      detail::TrimTrailingSpaces(&line);
      out_ << line << '\n';
    }
  }
};

// ---------------------------------------------------------------------------------------------
// CSV: RFC 4180 with a header line and "\n" line ends. NULL is an empty field; an empty string
// is "" so the two stay distinct (as psql --csv does). Statements without rows write nothing.

inline void AppendCsvField(std::string* out, std::string_view text, bool is_null) {
  if (is_null) return;
  bool quote = text.empty() || text.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out->append(text);
    return;
  }
  *out += '"';
  for (char c : text) {
    if (c == '"') *out += '"';
    *out += c;
  }
  *out += '"';
}

class CsvWriter : public ResultWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {}

  void Begin(const std::vector<ColumnInfo>& columns) override {
    line_.clear();
    for (size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) line_ += ',';
      AppendCsvField(&line_, columns[c].name, false);
    }
    out_ << line_ << '\n';
  }

  void Row(const std::vector<Cell>& cells) override {
    line_.clear();
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) line_ += ',';
      AppendCsvField(&line_, cells[c].text, cells[c].is_null);
    }
    out_ << line_ << '\n';
  }

  void End() override {}
  void Command(const std::string&) override {}

 private:
  std::ostream& out_;
  std::string line_;
};

// ---------------------------------------------------------------------------------------------
// JSON: one array of objects per row set, a row per line:
//   [{"id":1,"name":"a"},
//   {"id":2,"name":null}]
// Numbers stay numbers (NaN and infinities become strings), booleans stay booleans, everything
// else is a string. Invalid UTF-8 bytes become U+FFFD so the output is always valid JSON.
// Statements without rows write nothing.

// Appends `text` as a JSON string literal.
inline void AppendJsonString(std::string* out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  *out += '"';
  for (size_t pos = 0; pos < text.size();) {
    size_t start = pos;
    uint32_t code = NextCodePoint(text, &pos);
    bool invalid = pos - start == 1 && static_cast<unsigned char>(text[start]) >= 0x80;
    if (invalid) {
      out->append("\\ufffd");
    } else if (code == '"' || code == '\\') {
      *out += '\\';
      *out += static_cast<char>(code);
    } else if (code == '\n') {
      out->append("\\n");
    } else if (code == '\r') {
      out->append("\\r");
    } else if (code == '\t') {
      out->append("\\t");
    } else if (code == '\b') {
      out->append("\\b");
    } else if (code == '\f') {
      out->append("\\f");
    } else if (code < 0x20 || code == 0x7f) {
      out->append("\\u00");
      *out += kHex[code >> 4];
      *out += kHex[code & 0xf];
    } else {
      out->append(text.substr(start, pos - start));
    }
  }
  *out += '"';
}

// True when `text` is a number in JSON's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
inline bool IsJsonNumber(std::string_view text) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i > start;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

// Appends one cell as a JSON value of the kind its column type calls for.
inline void AppendJsonValue(std::string* out, const Cell& cell, const LogicalType& type) {
  if (cell.is_null) {
    out->append("null");
  } else if (type.IsNumeric() && IsJsonNumber(cell.text)) {
    out->append(cell.text);
  } else if (type.id == TypeId::Boolean && (cell.text == "true" || cell.text == "false")) {
    out->append(cell.text);
  } else {
    AppendJsonString(out, cell.text);
  }
}

class JsonWriter : public ResultWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) {}

  void Begin(const std::vector<ColumnInfo>& columns) override {
    columns_ = columns;
    keys_.clear();
    for (const ColumnInfo& column : columns) {
      std::string key;
      AppendJsonString(&key, column.name);
      keys_.push_back(key + ':');
    }
    first_row_ = true;
    out_ << '[';
  }

  void Row(const std::vector<Cell>& cells) override {
    line_.clear();
    if (!first_row_) line_ += ",\n";
    first_row_ = false;
    line_ += '{';
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) line_ += ',';
      line_ += keys_[c];
      AppendJsonValue(&line_, cells[c], columns_[c].type);
    }
    line_ += '}';
    out_ << line_;
  }

  void End() override { out_ << "]\n"; }
  void Command(const std::string&) override {}

 private:
  std::ostream& out_;
  std::vector<ColumnInfo> columns_;
  std::vector<std::string> keys_;  // each column's name as a JSON string plus ':'
  std::string line_;
  bool first_row_ = true;
};

// `expanded` (\x) applies to the table format only: CSV and JSON have one layout.
inline std::unique_ptr<ResultWriter> MakeResultWriter(OutputFormat format, std::ostream& out,
                                                      bool expanded = false) {
  switch (format) {
    case OutputFormat::kCsv: return std::make_unique<CsvWriter>(out);
    case OutputFormat::kJson: return std::make_unique<JsonWriter>(out);
    case OutputFormat::kTable: break;
  }
  if (expanded) return std::make_unique<ExpandedWriter>(out);
  return std::make_unique<TableWriter>(out);
}

}  // namespace lyt::shell
