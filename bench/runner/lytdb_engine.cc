#include "runner/lytdb_engine.h"

#include <vector>

#include "lyt/database.h"

namespace lyt::bench {
namespace {

void VisitCell(const ResultBatch& batch, size_t column, size_t row, TypeId type,
               CellVisitor& cells) {
  if (batch.IsNull(column, row)) {
    cells.Null();
  } else if (type == TypeId::Real || type == TypeId::Double) {
    cells.Double(batch.GetDouble(column, row));
  } else if (type == TypeId::Varchar || type == TypeId::Blob) {
    cells.Text(batch.GetString(column, row));
  } else {
    cells.Int(batch.GetInt64(column, row));  // booleans, integers, dates, timestamps
  }
}

int64_t VisitRows(QueryResult& result, CellVisitor& cells) {
  std::vector<TypeId> types;
  for (const ColumnInfo& column : result.columns()) types.push_back(column.type.id);
  int64_t rows = 0;
  while (const ResultBatch* batch = result.NextBatch()) {
    for (size_t row = 0; row < batch->row_count(); ++row) {
      for (size_t column = 0; column < types.size(); ++column) {
        VisitCell(*batch, column, row, types[column], cells);
      }
      cells.EndRow();
    }
    rows += static_cast<int64_t>(batch->row_count());
  }
  return rows;
}

// 'text' with embedded quotes doubled.
std::string SqlString(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

class LytdbEngine final : public BenchEngine {
 public:
  explicit LytdbEngine(std::unique_ptr<Database> db)
      : db_(std::move(db)), connection_(db_->Connect()) {}

  StatementOutcome Run(const std::string& sql, CellVisitor& cells) override {
    std::unique_ptr<QueryResult> result = connection_->Query(sql);
    if (!result->ok()) return StatementOutcome::Failure(result->status().ToString());
    if (!result->returns_rows()) return {"", result->rows_affected()};
    return {"", VisitRows(*result, cells)};
  }

  StatementOutcome RunScript(const std::string& sql) override {
    std::unique_ptr<QueryResult> result = connection_->Query(sql);
    if (!result->ok()) return StatementOutcome::Failure(result->status().ToString());
    return {"", result->rows_affected()};
  }

  StatementOutcome LoadCsv(const std::string& table, const std::string& absolute_path) override {
    return RunScript("COPY " + table + " FROM " + SqlString(absolute_path) +
                     " WITH (FORMAT csv, HEADER true)");
  }

  std::string Version() const override {
    // The engine executes each query on one thread today; DatabaseOptions::threads is reserved.
    return "LytDB (single-threaded execution)";
  }

 private:
  std::unique_ptr<Database> db_;  // outlives connection_ (declared first, destroyed last)
  std::unique_ptr<Connection> connection_;
};

}  // namespace

std::unique_ptr<BenchEngine> OpenLytdbEngine(unsigned threads, std::string* error) {
  DatabaseOptions options;
  options.threads = threads;
  std::unique_ptr<Database> db;
  Status status = Database::Open(options, &db);
  if (!status.ok()) {
    *error = status.ToString();
    return nullptr;
  }
  return std::make_unique<LytdbEngine>(std::move(db));
}

}  // namespace lyt::bench
