#include "runner/sqlite_engine.h"

#include <sqlite3.h>

#include <cctype>
#include <charconv>
#include <chrono>
#include <memory>
#include <string_view>
#include <vector>

#include "runner/csv_reader.h"

namespace lyt::bench {
namespace {

// How a CSV field is bound, from the column's declared type (SQLite's affinity rules).
enum class BindAs { kInt, kDouble, kText };

BindAs BindAsFor(std::string declared) {
  for (char& c : declared) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (declared.find("INT") != std::string::npos) return BindAs::kInt;
  for (const char* real : {"REAL", "FLOA", "DOUB"}) {
    if (declared.find(real) != std::string::npos) return BindAs::kDouble;
  }
  return BindAs::kText;
}

// Finalizes a prepared statement when it goes out of scope.
struct StatementCloser {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementCloser>;

class SqliteEngine final : public BenchEngine {
 public:
  SqliteEngine(sqlite3* db, int timeout_s) : db_(db), timeout_s_(timeout_s) {
    if (timeout_s_ > 0) sqlite3_progress_handler(db_, 10000, &SqliteEngine::PastDeadline, this);
  }
  ~SqliteEngine() override { sqlite3_close(db_); }

  StatementOutcome Run(const std::string& sql, CellVisitor& cells) override;
  StatementOutcome RunScript(const std::string& sql) override;
  StatementOutcome LoadCsv(const std::string& table, const std::string& absolute_path) override;
  std::string Version() const override { return std::string("SQLite ") + sqlite3_libversion(); }

 private:
  StatementPtr Prepare(const std::string& sql, std::string* error);
  std::string LastError() const { return sqlite3_errmsg(db_); }
  // Declared type of each column of `table`, by name.
  bool ColumnTypes(const std::string& table, const std::vector<std::string_view>& names,
                   std::vector<BindAs>* types, std::string* error);
  bool BindField(sqlite3_stmt* insert, int index, BindAs type, std::string_view field,
                 std::string* error);
  StatementOutcome InsertRecords(CsvReader& csv, sqlite3_stmt* insert,
                                 const std::vector<BindAs>& types);

  // Progress handler: a nonzero return interrupts the running statement.
  static int PastDeadline(void* self) {
    auto* engine = static_cast<SqliteEngine*>(self);
    return engine->deadline_set_ && std::chrono::steady_clock::now() > engine->deadline_ ? 1 : 0;
  }

  sqlite3* db_;
  int timeout_s_;  // Run() interrupts a query after this many seconds; 0: never
  bool deadline_set_ = false;
  std::chrono::steady_clock::time_point deadline_;
};

StatementPtr SqliteEngine::Prepare(const std::string& sql, std::string* error) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &statement, nullptr) !=
      SQLITE_OK) {
    *error = LastError();
  }
  return StatementPtr(statement);
}

void VisitColumn(sqlite3_stmt* statement, int column, CellVisitor& cells) {
  switch (sqlite3_column_type(statement, column)) {
    case SQLITE_NULL:
      cells.Null();
      break;
    case SQLITE_INTEGER:
      cells.Int(sqlite3_column_int64(statement, column));
      break;
    case SQLITE_FLOAT:
      cells.Double(sqlite3_column_double(statement, column));
      break;
    default: {
      auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
      cells.Text(std::string_view(text, sqlite3_column_bytes(statement, column)));
    }
  }
}

StatementOutcome SqliteEngine::Run(const std::string& sql, CellVisitor& cells) {
  std::string error;
  StatementPtr statement = Prepare(sql, &error);
  if (!statement) return StatementOutcome::Failure(error.empty() ? "empty statement" : error);
  int columns = sqlite3_column_count(statement.get());
  sqlite3_int64 changes_before = sqlite3_total_changes64(db_);
  int64_t rows = 0;
  int rc;
  deadline_set_ = timeout_s_ > 0;
  deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s_);
  while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {
    for (int c = 0; c < columns; ++c) VisitColumn(statement.get(), c, cells);
    cells.EndRow();
    ++rows;
  }
  deadline_set_ = false;
  if (rc == SQLITE_INTERRUPT && timeout_s_ > 0) {
    return StatementOutcome::Failure("timeout: stopped after " + std::to_string(timeout_s_) + " s");
  }
  if (rc != SQLITE_DONE) return StatementOutcome::Failure(LastError());
  return {"", columns > 0 ? rows : sqlite3_total_changes64(db_) - changes_before};
}

StatementOutcome SqliteEngine::RunScript(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK) return {};
  std::string error = message != nullptr ? message : LastError();
  sqlite3_free(message);
  return StatementOutcome::Failure(error);
}

bool SqliteEngine::ColumnTypes(const std::string& table, const std::vector<std::string_view>& names,
                               std::vector<BindAs>* types, std::string* error) {
  StatementPtr info = Prepare("SELECT type FROM pragma_table_info(?1) WHERE name = ?2", error);
  if (!info) return false;
  types->clear();
  for (std::string_view name : names) {
    sqlite3_reset(info.get());
    sqlite3_bind_text(info.get(), 1, table.data(), static_cast<int>(table.size()), SQLITE_STATIC);
    sqlite3_bind_text(info.get(), 2, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
    if (sqlite3_step(info.get()) != SQLITE_ROW) {
      *error = "table " + table + " has no column " + std::string(name) + " (from the CSV header)";
      return false;
    }
    auto* declared = reinterpret_cast<const char*>(sqlite3_column_text(info.get(), 0));
    types->push_back(BindAsFor(declared != nullptr ? declared : ""));
  }
  return true;
}

template <typename T>
bool ParseNumber(std::string_view field, T* value) {
  auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), *value);
  return ec == std::errc() && end == field.data() + field.size();
}

bool SqliteEngine::BindField(sqlite3_stmt* insert, int index, BindAs type, std::string_view field,
                             std::string* error) {
  int rc = SQLITE_OK;
  int64_t integer;
  double real;
  if (type == BindAs::kInt && ParseNumber(field, &integer)) {
    rc = sqlite3_bind_int64(insert, index, integer);
  } else if (type == BindAs::kDouble && ParseNumber(field, &real)) {
    rc = sqlite3_bind_double(insert, index, real);
  } else if (type != BindAs::kText) {
    *error = "not a number: '" + std::string(field) + "'";
    return false;
  } else {
    // SQLITE_STATIC: the field's bytes stay put until sqlite3_step has copied them.
    rc = sqlite3_bind_text(insert, index, field.data(), static_cast<int>(field.size()),
                           SQLITE_STATIC);
  }
  if (rc != SQLITE_OK) *error = LastError();
  return rc == SQLITE_OK;
}

StatementOutcome SqliteEngine::InsertRecords(CsvReader& csv, sqlite3_stmt* insert,
                                             const std::vector<BindAs>& types) {
  std::vector<std::string_view> fields;
  std::string error;
  int64_t rows = 0;
  while (csv.Next(&fields)) {
    if (fields.size() != types.size()) {
      return StatementOutcome::Failure("record " + std::to_string(rows + 1) + " has " +
                                       std::to_string(fields.size()) + " fields");
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      if (!BindField(insert, static_cast<int>(i) + 1, types[i], fields[i], &error)) {
        return StatementOutcome::Failure("record " + std::to_string(rows + 1) + ": " + error);
      }
    }
    if (sqlite3_step(insert) != SQLITE_DONE) return StatementOutcome::Failure(LastError());
    sqlite3_reset(insert);
    ++rows;
  }
  if (!csv.ok()) return StatementOutcome::Failure(csv.error());
  return {"", rows};
}

std::string InsertSql(const std::string& table, const std::vector<std::string_view>& names) {
  std::string columns, marks;
  for (std::string_view name : names) {
    columns += (columns.empty() ? "" : ", ") + std::string(name);
    marks += marks.empty() ? "?" : ", ?";
  }
  return "INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")";
}

// The fastest honest bulk load through the public API: one transaction, one prepared INSERT
// reused for every record, values bound with their column's type.
StatementOutcome SqliteEngine::LoadCsv(const std::string& table, const std::string& absolute_path) {
  CsvReader csv(absolute_path);
  std::vector<std::string_view> header;
  if (!csv.Next(&header)) return StatementOutcome::Failure(csv.ok() ? "empty CSV" : csv.error());
  std::vector<std::string> names(header.begin(), header.end());  // header views die on Next()
  std::vector<std::string_view> name_views(names.begin(), names.end());
  std::vector<BindAs> types;
  std::string error;
  if (!ColumnTypes(table, name_views, &types, &error)) return StatementOutcome::Failure(error);
  StatementPtr insert = Prepare(InsertSql(table, name_views), &error);
  if (!insert) return StatementOutcome::Failure(error);
  if (StatementOutcome begin = RunScript("BEGIN"); !begin.ok()) return begin;
  StatementOutcome loaded = InsertRecords(csv, insert.get(), types);
  StatementOutcome end = RunScript(loaded.ok() ? "COMMIT" : "ROLLBACK");
  return loaded.ok() && !end.ok() ? end : loaded;
}

}  // namespace

std::unique_ptr<BenchEngine> OpenSqliteEngine(int timeout_s, std::string* error) {
  sqlite3* db = nullptr;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    *error = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return nullptr;
  }
  return std::make_unique<SqliteEngine>(db, timeout_s);
}

}  // namespace lyt::bench
