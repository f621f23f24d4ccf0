// Hash index enforcing PRIMARY KEY and UNIQUE constraints: maps the encoded key of each live row
// to its row id. Rows with a NULL in any key column are not indexed (SQL: NULLs are distinct).
#pragma once

#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/vector.h"
#include "storage/data_table.h"
#include "storage/small_key_map.h"

namespace lyt {

// Appends a binary encoding of row `row` of `columns` to `out` such that two rows encode equal
// iff all their values are equal. Returns false (leaving `out` unspecified) when a value is NULL.
bool EncodeKey(const std::vector<const Vector*>& columns, idx_t row, std::string& out);

// Maps encoded keys to the rows holding them. Several row versions may carry the same key (an
// updated row's old and new version, a rolled-back insert); FindLive decides which one holds it.
// Stale entries (rolled-back inserts, rows whose delete every open snapshot sees) are dropped as
// they are met (only entries no open snapshot can see: see Lookup).
//
// Thread safety: the writer-side methods (FindLive, Insert, Clear, Rebuild) run under the table's
// writer mutex (every DML statement on the table holds it) or the catalog lock held exclusively
// (DDL), so a statement's checks and inserts do not interleave with another's. Lookup runs
// without it (readers never take the writer mutex: a DML statement holds it while reading rows,
// and a query must not wait for another statement's commit); `mutex_` guards the map against that
// overlap: held shared by Lookup for one probe, exclusively by every change to the map.
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
  void Insert(std::string key, row_t row);
  void Clear();
  size_t size() const;
  // The bytes its tables and keys take (an estimate: the allocator's overhead is not counted).
  size_t MemoryBytes() const;

  // Appends to `out` the ids of the row versions holding `key` that `snapshot` sees (a committed
  // live row, or one its transaction wrote): at most one for a key of a snapshot's consistent
  // state. Never misses one: every appended row version with a non-NULL key is inserted, and
  // FindLive drops only entries no open snapshot can see (rolled back, or deleted at or before
  // the oldest open snapshot's start). Returns false, appending nothing, for a snapshot older
  // than the index's last Rebuild can answer (see complete_from_): the caller scans instead.
  // Takes `mutex_` shared and the table's latch per entry; the row values can be read after it
  // returns (they never change while the rows exist).
  [[nodiscard]] bool Lookup(const DataTable& table, const Snapshot& snapshot, const std::string& key,
                            std::vector<row_t>& out) const;

  // Rebuilds from the table's committed live rows; throws lyt::Error 23505 when they hold
  // duplicates.
  void Rebuild(const DataTable& table, const std::string& constraint_name);

 private:
  std::vector<idx_t> columns_;
  mutable std::shared_mutex mutex_;
  // Rebuild indexes the rows live at the latest commit only, not the versions a still-open older
  // snapshot sees after their delete: Lookup answers snapshots taken at or after the newest such
  // delete (0: every snapshot).
  version_t complete_from_ = 0;
  // Keys of at most 8 bytes (integers, dates, timestamps, short text) live in `small_`, longer
  // ones in `large_`.
  SmallKeyMap small_;
  std::unordered_multimap<std::string, row_t> large_;
  size_t large_key_heap_bytes_ = 0;  // the heap blocks of large_'s keys
  // FindLive's list of entries to drop (kept to reuse its buffer; guarded by `mutex_`).
  std::vector<row_t> stale_;

  template <typename F>
  void ForEachRow(const std::string& key, F&& f) const {
    if (SmallKeyMap::Fits(key)) {
      small_.ForEach(key, f);
    } else {
      for (auto [it, end] = large_.equal_range(key); it != end; ++it) f(it->second);
    }
  }
  void Erase(const std::string& key, row_t row);
  bool InsertLargeIfAbsent(const std::string& key, row_t row);
  void EmplaceLarge(std::string key, row_t row);
};

}  // namespace lyt
