// The interface lyt_bench drives: one database engine under test, behind the same few calls.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace lyt::bench {

// Receives every cell of a result set in row order, then EndRow() after each row. Engines must
// read each cell from their own result representation before passing it on, so that an engine
// that computes lazily pays for every value the client asked for.
class CellVisitor {
 public:
  virtual ~CellVisitor() = default;
  virtual void Null() = 0;
  virtual void Int(int64_t value) = 0;
  virtual void Double(double value) = 0;
  virtual void Text(std::string_view value) = 0;
  virtual void EndRow() = 0;
};

// What one statement did. `error` is empty on success; `rows` counts the rows returned for row
// sets and the rows affected (inserted, copied) for other statements.
struct StatementOutcome {
  std::string error;
  int64_t rows = 0;

  bool ok() const { return error.empty(); }
  static StatementOutcome Failure(std::string message) { return {std::move(message), 0}; }
};

// One engine with one open, in-memory database. Calls never throw; a failing statement comes
// back as an outcome with an error. Not thread-safe.
class BenchEngine {
 public:
  virtual ~BenchEngine() = default;

  // Runs one statement, feeding every cell of its rows (if any) to `cells`.
  virtual StatementOutcome Run(const std::string& sql, CellVisitor& cells) = 0;
  // Runs a script of one or more ';'-separated statements whose rows are not needed.
  virtual StatementOutcome RunScript(const std::string& sql) = 0;
  // Loads the CSV file at `absolute_path` (header row first) into the existing `table`; on
  // success `rows` is the number of rows loaded.
  virtual StatementOutcome LoadCsv(const std::string& table, const std::string& absolute_path) = 0;
  // Engine name and library version, e.g. "SQLite 3.40.1", for the report.
  virtual std::string Version() const = 0;
};

}  // namespace lyt::bench
