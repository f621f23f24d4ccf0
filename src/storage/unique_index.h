// Hash index enforcing PRIMARY KEY and UNIQUE constraints: maps the encoded key of each live row
// to its row id. Rows with a NULL in any key column are not indexed (SQL: NULLs are distinct).
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "common/vector.h"
#include "storage/data_table.h"

namespace lyt {

// Appends a binary encoding of row `row` of `columns` to `out` such that two rows encode equal
// iff all their values are equal. Returns false (leaving `out` unspecified) when a value is NULL.
bool EncodeKey(const std::vector<const Vector*>& columns, idx_t row, std::string& out);

class UniqueIndex {
 public:
  explicit UniqueIndex(std::vector<idx_t> columns) : columns_(std::move(columns)) {}
  const std::vector<idx_t>& columns() const { return columns_; }

  // The row holding `key`, or -1.
  row_t Find(const std::string& key) const {
    auto it = map_.find(key);
    return it == map_.end() ? -1 : it->second;
  }
  void Insert(std::string key, row_t row) { map_[std::move(key)] = row; }
  void Erase(const std::string& key) { map_.erase(key); }
  void Clear() { map_.clear(); }
  size_t size() const { return map_.size(); }

  // Rebuilds from the table's live rows; throws lyt::Error 23505 when they hold duplicates.
  void Rebuild(const DataTable& table, const std::string& constraint_name);

 private:
  std::vector<idx_t> columns_;
  std::unordered_map<std::string, row_t> map_;
};

}  // namespace lyt
