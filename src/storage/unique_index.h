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

// Maps encoded keys to the rows holding them. Several row versions may carry the same key (an
// updated row's old and new version, a rolled-back insert); FindLive decides which one holds it.
// Stale entries (rolled-back inserts, rows whose delete every open snapshot sees) are dropped as
// they are met.
//
// Thread safety: none inside; guarded by the table's writer mutex (every DML statement on the
// table holds it) or by the catalog lock held exclusively (DDL).
class UniqueIndex {
 public:
  explicit UniqueIndex(std::vector<idx_t> columns) : columns_(std::move(columns)) {}
  const std::vector<idx_t>& columns() const { return columns_; }

  // The row version that holds `key` for a writer with `snapshot` (a live row it sees, or one it
  // inserted itself), or -1 when the key is free. Throws 40001 when another transaction holds the
  // key with an uncommitted insert or delete, or changed it after the snapshot was taken (then a
  // StaleSnapshotError). `horizon` is the oldest snapshot still open (deletes committed at or
  // before it are seen by everyone).
  row_t FindLive(const DataTable& table, const Snapshot& snapshot, version_t horizon, const std::string& key);
  void Insert(std::string key, row_t row) { map_.emplace(std::move(key), row); }
  void Clear() { map_.clear(); }
  size_t size() const { return map_.size(); }

  // Rebuilds from the table's committed live rows; throws lyt::Error 23505 when they hold
  // duplicates.
  void Rebuild(const DataTable& table, const std::string& constraint_name);

 private:
  std::vector<idx_t> columns_;
  std::unordered_multimap<std::string, row_t> map_;
};

}  // namespace lyt
