#include "result_printer.h"

#include <charconv>
#include <string>
#include <vector>

namespace lyt::shell {

namespace {

// Sets `cell` to the cell at (column, row), reusing its string's buffer.
void ReadCell(const ResultBatch& batch, size_t column, size_t row, const LogicalType& type,
              Cell* cell) {
  cell->is_null = batch.IsNull(column, row);
  cell->text.clear();
  if (cell->is_null) return;
  if (type.IsInteger()) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, batch.GetInt64(column, row));
    cell->text.assign(digits, end);
  } else if (type.id == TypeId::Boolean) {
    cell->text = batch.GetInt64(column, row) != 0 ? "true" : "false";
  } else if (type.id == TypeId::Varchar) {
    cell->text.assign(batch.GetString(column, row));
  } else {
    cell->text = batch.GetValue(column, row).ToString();
  }
}

}  // namespace

void PrintResult(QueryResult& result, ResultWriter& writer) {
  if (!result.returns_rows()) {
    writer.Command(result.command_tag());
    return;
  }
  const std::vector<ColumnInfo>& columns = result.columns();
  writer.Begin(columns);
  std::vector<Cell> cells(columns.size());
  result.Rewind();
  while (const ResultBatch* batch = result.NextBatch()) {
    for (size_t row = 0; row < batch->row_count(); ++row) {
      for (size_t c = 0; c < columns.size(); ++c) {
        ReadCell(*batch, c, row, columns[c].type, &cells[c]);
      }
      writer.Row(cells);
    }
  }
  writer.End();
}

}  // namespace lyt::shell
