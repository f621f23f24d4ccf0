#include "slt_runner.h"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <utility>

#include "crash_context.h"
#include "failure_report.h"
#include "lyt/database.h"
#include "md5.h"
#include "result_formatter.h"
#include "slt_parser.h"

namespace lyt::slt {

namespace {

constexpr size_t kReportLines = 10;  // result lines shown per side in a mismatch report
constexpr const char* kIndent = "    ";

bool ReadWholeFile(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *text = std::move(buffer).str();
  return !in.bad();
}

// One cell in sqllogictest form; reads integers and strings straight from the batch.
std::string FormatCell(const ResultBatch& batch, size_t column, size_t row,
                       const LogicalType& type, char letter) {
  if (batch.IsNull(column, row)) return "NULL";
  if (type.IsInteger() && letter != 'R') return std::to_string(batch.GetInt64(column, row));
  if (type.id == TypeId::Varchar && letter != 'I' && letter != 'R') {
    return SanitizeText(std::string(batch.GetString(column, row)));
  }
  return FormatValue(batch.GetValue(column, row), letter);
}

// All rows of `result`, formatted by the record's type letters.
ResultTable FormatResult(QueryResult& result, const std::string& letters) {
  ResultTable table;
  table.columns = result.columns().size();
  const std::vector<ColumnInfo>& columns = result.columns();
  while (const ResultBatch* batch = result.NextBatch()) {
    for (size_t row = 0; row < batch->row_count(); ++row) {
      for (size_t c = 0; c < table.columns; ++c) {
        char letter = c < letters.size() ? letters[c] : 'T';
        table.values.push_back(FormatCell(*batch, c, row, columns[c].type, letter));
      }
    }
  }
  return table;
}

// "1 row", "3 rows".
std::string Count(size_t n, const std::string& unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

std::string HashLine(size_t count, const std::string& md5) {
  return std::to_string(count) + " values hashing to " + md5;
}

class FileRunner {
 public:
  FileRunner(const std::string& path, const RunnerOptions& options, std::ostream& out)
      : path_(path), options_(options), out_(out) {}

  Tally Run(bool* stop) {
    std::string text;
    if (!ReadWholeFile(path_, &text)) {
      FailOutsideRecord(0, "cannot read file");
      *stop = options_.stop_on_fail;
      return tally_;
    }
    std::vector<Record> records = ParseSlt(text);
    // A file that restarts needs its database in a data directory (a fresh temporary one).
    bool restarts = std::any_of(records.begin(), records.end(), [](const Record& r) { return r.kind == RecordKind::kRestart; });
    if (restarts) {
      std::string pattern = (std::filesystem::temp_directory_path() / "lyt-slt-XXXXXX").string();
      if (!mkdtemp(pattern.data())) {
        FailOutsideRecord(0, "cannot create a temporary data directory");
        *stop = options_.stop_on_fail;
        return tally_;
      }
      data_dir_ = pattern;
    }
    Status status = OpenDatabase();
    if (!status.ok()) {
      FailOutsideRecord(0, "cannot open a database: " + status.ToString());
    } else {
      records_ = &records;
      RunRange(0, records.size(), {});
      CloseDatabase();
    }
    if (!data_dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(data_dir_, ignored);
    }
    *stop = stopped_ || (options_.stop_on_fail && tally_.failed > 0);
    return tally_;
  }

 private:
  using Bindings = std::vector<std::pair<std::string, std::string>>;  // loop variable = value

  Status OpenDatabase() {
    DatabaseOptions options;
    if (!data_dir_.empty()) {
      options.data_dir = data_dir_;
      options.fsync = DatabaseOptions::Fsync::kOff;  // the process does not crash: no flush needed
      options.checkpoint_on_close = false;          // a restart replays the log, as after a crash
    }
    Status status = Database::Open(options, &database_);
    if (status.ok()) connection_ = database_->Connect();
    return status;
  }

  void CloseDatabase() {
    named_connections_.clear();
    connection_.reset();
    database_.reset();
  }

  // Runs records [begin, end); returns early once the file halts or a failure stops the run.
  void RunRange(size_t begin, size_t end, const Bindings& bindings) {
    for (size_t i = begin; i < end && !halted_ && !stopped_; ++i) {
      const Record& record = (*records_)[i];
      if (record.kind == RecordKind::kLoop) {
        size_t close = MatchingEndLoop(i, end);
        if (close == end) {
          FailOutsideRecord(record.line, "loop without endloop");
          return;
        }
        for (int64_t v = record.loop_begin; v < record.loop_end && !halted_ && !stopped_; ++v) {
          Bindings inner = bindings;
          inner.emplace_back(record.loop_variable, std::to_string(v));
          RunRange(i + 1, close, inner);
        }
        i = close;
        continue;
      }
      RunRecord(record, bindings);
    }
  }

  // Index of the endloop closing the loop at `open`, or `end` when there is none.
  size_t MatchingEndLoop(size_t open, size_t end) const {
    int depth = 0;
    for (size_t i = open; i < end; ++i) {
      RecordKind kind = (*records_)[i].kind;
      if (kind == RecordKind::kLoop) ++depth;
      if (kind == RecordKind::kEndLoop && --depth == 0) return i;
    }
    return end;
  }

  bool AppliesToUs(const Record& record) const {
    for (const Condition& condition : record.conditions) {
      bool ours = std::find(options_.labels.begin(), options_.labels.end(), condition.engine) !=
                  options_.labels.end();
      if (condition.only_if != ours) return false;
    }
    return true;
  }

  void RunRecord(const Record& record, const Bindings& bindings) {
    bool runnable = record.kind == RecordKind::kStatement || record.kind == RecordKind::kQuery;
    if (!AppliesToUs(record)) {
      if (runnable) ++tally_.skipped;
      return;
    }
    switch (record.kind) {
      case RecordKind::kHashThreshold:
        hash_threshold_ = record.threshold;
        return;
      case RecordKind::kHalt:
        halted_ = true;
        return;
      case RecordKind::kRequire:
        if (options_.verbose) {
          Note(record.line, "skipping the rest: requires " + record.requirement);
        }
        halted_ = true;
        return;
      case RecordKind::kEndLoop:
        FailOutsideRecord(record.line, "endloop without loop");
        return;
      case RecordKind::kLoop:
        return;  // handled by RunRange
      case RecordKind::kRestart: {
        CloseDatabase();
        Status status = OpenDatabase();
        if (!status.ok()) {
          Fail(record.line, "restart: cannot open the database again: " + status.ToString(), "");
          ++tally_.failed;
          stopped_ = true;
        }
        return;
      }
      case RecordKind::kInvalid:
        FailOutsideRecord(record.line, "parse error: " + record.error);
        return;
      case RecordKind::kStatement:
      case RecordKind::kQuery:
        break;
    }
    std::optional<Record> bound;
    if (!bindings.empty()) bound = Bind(record, bindings);
    const Record& r = bound ? *bound : record;
    SetCrashContext(path_, r.line, r.sql);
    if (options_.verbose) Note(r.line, CollapseSql(r.sql));
    try {
      bool passed = r.kind == RecordKind::kStatement ? RunStatement(r) : RunQuery(r);
      ++(passed ? tally_.passed : tally_.failed);
    } catch (const std::exception& e) {
      Fail(r.line, std::string("exception from the engine: ") + e.what(), r.sql);
      ++tally_.failed;
    }
    if (tally_.failed > 0 && options_.stop_on_fail) stopped_ = true;
  }

  // The record with every ${variable} replaced by its loop value.
  static Record Bind(const Record& record, const Bindings& bindings) {
    Record bound = record;
    for (const auto& [name, value] : bindings) {
      bound.sql = Substitute(std::move(bound.sql), name, value);
      bound.expected_error = Substitute(std::move(bound.expected_error), name, value);
      for (std::string& line : bound.expected) line = Substitute(std::move(line), name, value);
    }
    return bound;
  }

  // The record's connection: the default one, or a named one opened on first use.
  Connection& ConnectionFor(const Record& record) {
    if (record.connection.empty()) return *connection_;
    auto& named = named_connections_[record.connection];
    if (!named) named = database_->Connect();
    return *named;
  }

  bool RunStatement(const Record& record) {
    std::unique_ptr<QueryResult> result = ConnectionFor(record).Query(record.sql);
    const Status& status = result->status();
    if (!record.expect_error) {
      if (status.ok()) return true;
      return Fail(record.line, "statement failed: " + status.ToString(), record.sql);
    }
    if (status.ok()) {
      return Fail(record.line, "statement succeeded but an error was expected", record.sql);
    }
    const std::string& want = record.expected_error;
    if (want.empty() || status.message().find(want) != std::string::npos ||
        status.ToString().find(want) != std::string::npos) {
      return true;
    }
    return Fail(record.line, "error message differs", record.sql,
                std::string(kIndent) + "expected error containing: " + want + "\n" + kIndent +
                    "got: " + status.ToString() + "\n");
  }

  bool RunQuery(const Record& record) {
    std::unique_ptr<QueryResult> result = ConnectionFor(record).Query(record.sql);
    if (!result->ok()) {
      return Fail(record.line, "query failed: " + result->status().ToString(), record.sql);
    }
    if (!result->returns_rows()) {
      return Fail(record.line, "query returned no rows (" + result->command_tag() + ")",
                  record.sql);
    }
    if (result->columns().size() != record.column_types.size()) {
      return Fail(record.line,
                  "expected " + std::to_string(record.column_types.size()) + " columns (" +
                      record.column_types + "), got " + std::to_string(result->columns().size()),
                  record.sql);
    }
    ResultTable table = FormatResult(*result, record.column_types);
    SortResult(record.sort_mode, &table);
    std::string md5;  // computed at most once, when needed
    if (!CheckExpected(record, table, &md5)) return false;
    return CheckLabel(record, table, &md5);
  }

  bool CheckExpected(const Record& record, const ResultTable& table, std::string* md5) {
    if (!record.has_results) return true;
    ExpectedHash hash;
    if (IsHashedExpectation(record.expected, &hash)) {
      *md5 = HashValues(table.values);
      if (hash.count == table.values.size() && hash.md5 == *md5) return true;
      size_t shown = std::min(table.values.size(), kReportLines);
      std::vector<std::string> first(table.values.begin(), table.values.begin() + shown);
      std::string detail = std::string(kIndent) + "expected: " + record.expected[0] + "\n" +
                           kIndent + "got:      " + HashLine(table.values.size(), *md5) + "\n";
      if (!first.empty()) detail += std::string(kIndent) + "first values got:\n";
      detail += IndentedLines(first, std::string(kIndent) + kIndent, kReportLines);
      return Fail(record.line, "result hash differs", record.sql, detail);
    }
    if (MatchesExpected(table, record.expected)) return true;
    bool row_layout = ExpectsRowLayout(table, record.expected);
    std::vector<std::string> got = ResultLines(table, row_layout);
    size_t at = FirstDifference(got, record.expected);
    const char* unit = row_layout ? "row" : "value";
    std::string reason = "result differs: expected " + Count(record.expected.size(), unit) +
                         ", got " + Count(got.size(), unit) + "; first difference at " + unit +
                         " " + std::to_string(at + 1);
    std::string deeper = std::string(kIndent) + kIndent;
    std::string detail = std::string(kIndent) + "expected:\n" +
                         IndentedLines(record.expected, deeper, kReportLines) + kIndent + "got:\n" +
                         IndentedLines(got, deeper, kReportLines);
    if (hash_threshold_ > 0 && table.values.size() > static_cast<size_t>(hash_threshold_)) {
      std::string hash = HashLine(table.values.size(), HashValues(table.values));
      detail += std::string(kIndent) + "got: " + hash + "\n";
    }
    return Fail(record.line, reason, record.sql, detail);
  }

  // Queries sharing a label must give the same hash; the first passing one sets it.
  bool CheckLabel(const Record& record, const ResultTable& table, std::string* md5) {
    if (record.label.empty()) return true;
    if (md5->empty()) *md5 = HashValues(table.values);
    auto [it, inserted] =
        label_hashes_.try_emplace(record.label, LabelHash{*md5, table.values.size(), record.line});
    if (inserted || (it->second.md5 == *md5 && it->second.count == table.values.size())) {
      return true;
    }
    return Fail(record.line,
                "result differs from the query with the same label " + record.label + " at line " +
                    std::to_string(it->second.line),
                record.sql,
                std::string(kIndent) + "that one: " + HashLine(it->second.count, it->second.md5) +
                    "\n" + kIndent + "this one: " +
                    HashLine(table.values.size(), *md5) + "\n");
  }

  // Prints `FILE:LINE: reason`, the SQL and details; returns false so callers can return it.
  bool Fail(int line, const std::string& reason, const std::string& sql = {},
            const std::string& detail = {}) {
    out_ << path_ << ':' << line << ": " << reason << '\n';
    if (!sql.empty()) out_ << kIndent << "SQL: " << CollapseSql(sql) << '\n';
    out_ << detail;
    out_.flush();
    return false;
  }

  // A failure that is not a statement's or a query's (unreadable file, parse error, ...): it is
  // reported the same way and counted on its own.
  void FailOutsideRecord(int line, const std::string& reason) {
    Fail(line, reason);
    ++tally_.failed;
    if (options_.stop_on_fail) stopped_ = true;
  }

  void Note(int line, const std::string& text) {
    out_ << path_ << ':' << line << ": " << text << '\n';
    out_.flush();
  }

  struct LabelHash {
    std::string md5;
    size_t count = 0;
    int line = 0;
  };

  const std::string& path_;
  const RunnerOptions& options_;
  std::ostream& out_;
  std::string data_dir_;  // empty: the database lives in memory
  std::unique_ptr<Database> database_;
  std::unique_ptr<Connection> connection_;
  std::map<std::string, std::unique_ptr<Connection>> named_connections_;
  const std::vector<Record>* records_ = nullptr;
  Tally tally_;
  // Results with more values than this are written as hashes in the files. Comparing the values
  // themselves is equivalent, so it only decides whether a mismatch report shows the hash too.
  int64_t hash_threshold_ = 0;
  bool halted_ = false;
  bool stopped_ = false;
  std::map<std::string, LabelHash> label_hashes_;
};

}  // namespace

Tally RunFile(const std::string& path, const RunnerOptions& options, std::ostream& out,
              bool* stop) {
  return FileRunner(path, options, out).Run(stop);
}

}  // namespace lyt::slt
