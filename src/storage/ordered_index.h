// Ordered (b-tree) index of CREATE INDEX: the order-preserving keys (ordered_key.h) of a table's
// row versions, in key order, for equality and range conditions on a prefix of its columns.
//
// Like UniqueIndex it holds every row version appended since it was built (an updated row's old
// and new version, rolled-back inserts); a scan returns the versions the caller's snapshot sees.
// Entries of dead versions stay until the next Rebuild (the table keeps their rows as well).
//
// Thread safety: Insert, Clear and Rebuild run under the table's writer mutex or the catalog
// lock held exclusively (DDL); Scan runs without either. `mutex_` (in the implementation) guards
// the tree: held exclusively by every change, shared by Scan for one run of up to a batch of
// entries, so a long scan never holds writers up for more than one batch.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/data_table.h"

namespace lyt {

class OrderedIndex {
 public:
  explicit OrderedIndex(std::vector<idx_t> columns);
  ~OrderedIndex();
  const std::vector<idx_t>& columns() const { return columns_; }

  void Insert(std::string key, row_t row);
  void Clear();
  size_t size() const;
  // The bytes its entries and keys take (an estimate: the allocator's overhead is not counted).
  size_t MemoryBytes() const;
  // Rebuilds from the table's live rows at the latest commit.
  void Rebuild(const DataTable& table);

  // Appends to `out`, in key order, the row versions `snapshot` sees whose keys lie in
  // [lower, upper) (an empty `upper`: no upper bound). Returns false, with `out` unspecified,
  // when more than `max_rows` entries lie in the range, or when `snapshot` is older than the
  // last Rebuild can answer (the caller scans the table instead).
  [[nodiscard]] bool Scan(const DataTable& table, const Snapshot& snapshot, const std::string& lower, const std::string& upper,
                          size_t max_rows, std::vector<row_t>& out) const;

  // A resumable walk through the entries of [lower, upper) (an empty `upper`: no upper bound),
  // in key order, or backwards when `reverse`.
  struct Cursor {
    Cursor() = default;
    Cursor(std::string from, std::string to, bool backwards = false)
        : lower(std::move(from)), upper(std::move(to)), reverse(backwards) {}
    std::string lower, upper;
    bool reverse = false;
    // Progress, kept by Read: whether it is over, the entries read, the last one read.
    bool done = false;
    size_t read = 0;
    std::string key;
    row_t row = 0;
  };
  // Reads up to `batch` (> 0) more entries of the cursor's range and appends, in the cursor's
  // order, the row versions among them that `snapshot` sees to `out`; sets `cursor.done` once
  // the range is exhausted. Returns false, reading nothing, when `snapshot` is older than the
  // last Rebuild can answer. Holds the tree's lock for this batch only: entries inserted between
  // two calls are found when they lie ahead of the cursor.
  [[nodiscard]] bool Read(const DataTable& table, const Snapshot& snapshot, Cursor& cursor, size_t batch,
                          std::vector<row_t>& out) const;

 private:
  struct Tree;
  std::vector<idx_t> columns_;
  std::unique_ptr<Tree> tree_;
};

}  // namespace lyt
