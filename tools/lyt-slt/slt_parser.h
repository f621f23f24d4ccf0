// Parser for sqllogictest files (SQLite's format, with DuckDB's common extensions).
//
// Header-only on purpose: it depends on nothing but the standard library, so unit tests can use
// it without linking the lyt-slt program.
//
// A file is a sequence of records separated by blank lines:
//   statement ok [CONNECTION] | statement error [CONNECTION] [expected message substring]
//   <SQL lines>                       (for `statement error`, an optional `----` line followed by
//                                      the expected message, as DuckDB writes it)
//
//   query <type letters> [nosort|rowsort|valuesort] [CONNECTION] [label]
//   <SQL lines>
//   ----
//   <expected values, one per line, one row per line, or `N values hashing to <md5>`>
//
//   hash-threshold N | halt | require X | loop VAR BEGIN END ... endloop
// CONNECTION is a name starting with "con" (con1, con2, ...; DuckDB's convention): the record runs
// on that connection to the same database, opened on first use; without one, on the default
// connection. Transaction isolation is tested this way.
// `skipif X` / `onlyif X` lines apply to the record right after them; `#` lines are comments.
// Lines may end in "\r\n". Keyword lines may carry a trailing `# comment`.
#pragma once

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lyt::slt {

// kInvalid stands for lines the parser could not read; it keeps their place in the file so the
// error is reported in order and `skipif`/`onlyif`/`halt` apply to it like to any record.
enum class RecordKind {
  kStatement,
  kQuery,
  kHashThreshold,
  kHalt,
  kRequire,
  kLoop,
  kEndLoop,
  kRestart,  // close the database and open it again from its data directory (recovery)
  kInvalid,
};
enum class SortMode { kNoSort, kRowSort, kValueSort };

// `onlyif X` (only_if = true) or `skipif X` (only_if = false).
struct Condition {
  bool only_if = false;
  std::string engine;
};

struct Record {
  RecordKind kind = RecordKind::kStatement;
  int line = 0;  // 1-based line of the record's keyword line
  std::vector<Condition> conditions;

  // kStatement and kQuery.
  std::string sql;         // the SQL lines joined with '\n'
  std::string connection;  // empty: the default connection

  // kStatement.
  bool expect_error = false;
  std::string expected_error;  // substring of the error message; empty: any error will do

  // kQuery.
  std::string column_types;  // one letter per column: I, R, T (anything else is read as T)
  SortMode sort_mode = SortMode::kNoSort;
  std::string label;                  // empty: none
  bool has_results = false;           // a `----` line was present; without one, only success
                                      // is checked
  std::vector<std::string> expected;  // the lines after `----`

  // kHashThreshold: the threshold. kLoop: the variable and the half-open range [begin, end).
  int64_t threshold = 0;
  std::string loop_variable;
  int64_t loop_begin = 0;
  int64_t loop_end = 0;

  // kRequire: what the file requires.
  std::string requirement;

  // kInvalid: what is wrong.
  std::string error;
};

namespace detail {

inline bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
}

inline std::string_view Trim(std::string_view s) {
  size_t begin = s.find_first_not_of(" \t\r\f\v");
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(" \t\r\f\v");
  return s.substr(begin, end - begin + 1);
}

// "con" followed by letters, digits or underscores: a connection name in a statement/query line.
inline bool IsConnectionName(std::string_view token) {
  if (token.size() < 4 || token.substr(0, 3) != "con") return false;
  for (char c : token.substr(3)) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

// Splits on runs of spaces and tabs.
inline std::vector<std::string_view> Tokenize(std::string_view line) {
  std::vector<std::string_view> tokens;
  size_t pos = 0;
  while (true) {
    pos = line.find_first_not_of(" \t", pos);
    if (pos == std::string_view::npos) break;
    size_t end = line.find_first_of(" \t", pos);
    if (end == std::string_view::npos) end = line.size();
    tokens.push_back(line.substr(pos, end - pos));
    pos = end;
  }
  return tokens;
}

// The tokens of a keyword line, up to a `#` token that starts a trailing comment.
inline std::vector<std::string_view> KeywordTokens(std::string_view line) {
  std::vector<std::string_view> tokens = Tokenize(line);
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].front() == '#') {
      tokens.resize(i);
      break;
    }
  }
  return tokens;
}

// Parses a whole decimal integer with an optional sign; false when `text` is anything else.
inline bool ParseInt64(std::string_view text, int64_t* out) {
  if (text.empty()) return false;
  bool negative = text.front() == '-';
  if (text.front() == '-' || text.front() == '+') text.remove_prefix(1);
  if (text.empty() || text.size() > 18) return false;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = negative ? -value : value;
  return true;
}

// Splits text into lines without their "\n" or "\r\n". A final line without "\n" counts.
inline std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    pos = end + 1;
  }
  return lines;
}

// Walks the lines of one file, producing records.
class Parser {
 public:
  explicit Parser(std::string_view text) : lines_(SplitLines(text)) {}

  std::vector<Record> Parse() {
    std::vector<Condition> pending;  // conditions waiting for their record
    while (next_ < lines_.size()) {
      std::string_view line = lines_[next_];
      int line_number = static_cast<int>(next_) + 1;
      ++next_;
      if (IsBlank(line) || Trim(line).front() == '#') continue;
      std::vector<std::string_view> tokens = KeywordTokens(line);
      if (tokens.empty()) continue;
      if ((tokens[0] == "skipif" || tokens[0] == "onlyif") && tokens.size() >= 2) {
        pending.push_back(Condition{tokens[0] == "onlyif", std::string(tokens[1])});
        continue;
      }
      Record record;
      record.line = line_number;
      record.conditions = std::move(pending);
      pending.clear();
      if (!ParseRecord(line, tokens, &record)) {
        record.kind = RecordKind::kInvalid;
        record.error = std::move(error_);
      }
      records_.push_back(std::move(record));
    }
    return std::move(records_);
  }

 private:
  // Fills `record` from its keyword line and body; false (with an error noted) when invalid.
  bool ParseRecord(std::string_view line, const std::vector<std::string_view>& tokens,
                   Record* record) {
    std::string_view keyword = tokens[0];
    if (keyword == "statement") return ParseStatement(line, tokens, record);
    if (keyword == "query") return ParseQuery(tokens, record);
    if (keyword == "hash-threshold") {
      record->kind = RecordKind::kHashThreshold;
      if (tokens.size() >= 2 && ParseInt64(tokens[1], &record->threshold)) return true;
      return Error("hash-threshold needs an integer");
    }
    if (keyword == "halt") {
      record->kind = RecordKind::kHalt;
      return true;
    }
    if (keyword == "require") {
      record->kind = RecordKind::kRequire;
      if (tokens.size() >= 2) record->requirement = std::string(tokens[1]);
      return true;
    }
    if (keyword == "loop") return ParseLoop(tokens, record);
    if (keyword == "skipif" || keyword == "onlyif") {
      return Error("missing engine name after " + std::string(keyword));
    }
    if (keyword == "endloop") {
      record->kind = RecordKind::kEndLoop;
      return true;
    }
    if (keyword == "restart") {
      record->kind = RecordKind::kRestart;
      return true;
    }
    SkipBody();
    return Error("unknown record type '" + std::string(keyword) + "'");
  }

  bool ParseStatement(std::string_view line, const std::vector<std::string_view>& tokens,
                      Record* record) {
    record->kind = RecordKind::kStatement;
    if (tokens.size() < 2 || (tokens[1] != "ok" && tokens[1] != "error")) {
      SkipBody();
      return Error("expected 'statement ok' or 'statement error'");
    }
    record->expect_error = tokens[1] == "error";
    size_t rest = line.find(tokens[1]) + tokens[1].size();  // after "ok" / "error"
    if (tokens.size() >= 3 && IsConnectionName(tokens[2])) {
      record->connection = std::string(tokens[2]);
      rest = line.find(tokens[2], rest) + tokens[2].size();
    }
    if (record->expect_error) {
      // Everything after the word "error" (and connection), verbatim: messages may contain '#'
      // and spaces.
      record->expected_error = std::string(Trim(line.substr(rest)));
      if (!record->expected_error.empty() && record->expected_error.front() == '#') {
        record->expected_error.clear();  // a trailing comment, not a message
      }
    }
    std::vector<std::string_view> after_marker;
    bool has_marker = ReadSqlAndResults(&record->sql, &after_marker);
    if (has_marker && record->expect_error && !after_marker.empty()) {
      record->expected_error = Join(after_marker);
    }
    if (record->sql.empty()) return Error("statement without SQL");
    return true;
  }

  bool ParseQuery(const std::vector<std::string_view>& tokens, Record* record) {
    record->kind = RecordKind::kQuery;
    if (tokens.size() < 2) {
      SkipBody();
      return Error("query without column types");
    }
    record->column_types = std::string(tokens[1]);
    size_t next = 2;
    if (tokens.size() > next && !IsConnectionName(tokens[next])) {
      if (tokens[next] == "nosort") {
        record->sort_mode = SortMode::kNoSort;
      } else if (tokens[next] == "rowsort") {
        record->sort_mode = SortMode::kRowSort;
      } else if (tokens[next] == "valuesort") {
        record->sort_mode = SortMode::kValueSort;
      } else {
        SkipBody();
        return Error("unknown sort mode '" + std::string(tokens[next]) + "'");
      }
      ++next;
    }
    if (tokens.size() > next && IsConnectionName(tokens[next])) record->connection = std::string(tokens[next++]);
    if (tokens.size() > next) record->label = std::string(tokens[next]);
    std::vector<std::string_view> results;
    record->has_results = ReadSqlAndResults(&record->sql, &results);
    record->expected.assign(results.begin(), results.end());
    if (record->sql.empty()) return Error("query without SQL");
    return true;
  }

  bool ParseLoop(const std::vector<std::string_view>& tokens, Record* record) {
    record->kind = RecordKind::kLoop;
    if (tokens.size() == 4 && ParseInt64(tokens[2], &record->loop_begin) &&
        ParseInt64(tokens[3], &record->loop_end)) {
      record->loop_variable = std::string(tokens[1]);
      return true;
    }
    return Error("expected 'loop VARIABLE BEGIN END'");
  }

  // Reads SQL lines up to a blank line or `----`; after `----`, the result lines up to a blank
  // line. Returns whether a `----` line was seen.
  bool ReadSqlAndResults(std::string* sql, std::vector<std::string_view>* results) {
    std::vector<std::string_view> sql_lines;
    bool has_marker = false;
    while (next_ < lines_.size() && !IsBlank(lines_[next_])) {
      std::string_view line = lines_[next_++];
      if (line == "----") {
        has_marker = true;
        break;
      }
      sql_lines.push_back(line);
    }
    *sql = Join(sql_lines);
    if (!has_marker) return false;
    while (next_ < lines_.size() && !IsBlank(lines_[next_])) results->push_back(lines_[next_++]);
    return true;
  }

  // Skips the rest of an unusable record.
  void SkipBody() {
    while (next_ < lines_.size() && !IsBlank(lines_[next_])) ++next_;
  }

  static std::string Join(const std::vector<std::string_view>& lines) {
    std::string out;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i > 0) out += '\n';
      out += lines[i];
    }
    return out;
  }

  // Notes why the current record is invalid; returns false for ParseRecord's callers.
  bool Error(std::string message) {
    error_ = std::move(message);
    return false;
  }

  std::vector<std::string_view> lines_;
  size_t next_ = 0;
  std::vector<Record> records_;
  std::string error_;  // why the record being parsed is invalid
};

}  // namespace detail

// Parses the text of one sqllogictest file. Never fails as a whole: a record it cannot read
// becomes a kInvalid record and parsing resumes after the next blank line.
inline std::vector<Record> ParseSlt(std::string_view text) { return detail::Parser(text).Parse(); }

}  // namespace lyt::slt
