#include "runner/lyt_result_engine.h"

#include <vector>

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

}  // namespace

StatementOutcome LytResultEngine::Run(const std::string& sql, CellVisitor& cells) {
  std::unique_ptr<QueryResult> result = Query(sql);
  if (!result->ok()) return StatementOutcome::Failure(result->status().ToString());
  if (!result->returns_rows()) return {"", result->rows_affected()};
  return {"", VisitRows(*result, cells)};
}

StatementOutcome LytResultEngine::RunScript(const std::string& sql) {
  std::unique_ptr<QueryResult> result = Query(sql);
  if (!result->ok()) return StatementOutcome::Failure(result->status().ToString());
  return {"", result->rows_affected()};
}

StatementOutcome LytResultEngine::LoadCsv(const std::string& table, const std::string& absolute_path) {
  return RunScript("COPY " + table + " FROM " + SqlString(absolute_path) + " WITH (FORMAT csv, HEADER true)");
}

}  // namespace lyt::bench
