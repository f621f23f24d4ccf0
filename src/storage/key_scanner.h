// The key columns of a table's live rows at the latest commit, a chunk at a time, with their row
// ids: what index rebuilds read.
#pragma once

#include <vector>

#include "storage/data_table.h"

namespace lyt {

class KeyScanner {
 public:
  KeyScanner(const DataTable& table, const std::vector<idx_t>& columns) : table_(table), columns_(columns) {
    std::vector<LogicalType> types;
    for (idx_t c : columns_) types.push_back(table.types()[c]);
    chunk_.Initialize(types);
    for (idx_t i = 0; i < columns_.size(); ++i) keys_.push_back(&chunk_.column(i));
  }
  // Reads the next chunk; false at the end.
  bool Next() { return table_.Scan(state_, columns_, chunk_, &row_ids_); }
  idx_t size() const { return chunk_.size(); }
  // The chunk's key columns, in the order given.
  const std::vector<const Vector*>& keys() const { return keys_; }
  const std::vector<row_t>& row_ids() const { return row_ids_; }

 private:
  const DataTable& table_;
  const std::vector<idx_t>& columns_;
  DataTable::ScanState state_;
  DataChunk chunk_;
  std::vector<const Vector*> keys_;
  std::vector<row_t> row_ids_;
};

}  // namespace lyt
