// Columnar, multi-version storage of one table.
//
// Rows live in segments of kSegmentCapacity rows; row id = segment index * kSegmentCapacity +
// offset, stable until Truncate. A segment holds one fixed-capacity buffer per column (values,
// carved from per-column extents, plus null bytes once a NULL arrives) that never moves, so
// scans hand out views into storage while other transactions keep appending. Every row has an insert and a delete version
// (storage/version.h); a scan returns the rows its snapshot sees. An UPDATE is a delete plus an
// insert of the new row version.
//
// Thread safety:
//   - `latch_` guards the segment list, row counts, null-buffer allocation, the version arrays
//     and the string heaps. Scan/Fetch/FetchRow/GetVersions hold it shared for one call; every write
//     holds it exclusively for one call. No latch is held between calls.
//   - Cell values are written once, before their rows become reachable, and are not changed
//     afterwards, except by the DDL methods (marked below), which the engine runs with its
//     catalog lock held exclusively, i.e. with no statement running.
//   - `writer_mutex()` is not used here: DML statements on this table hold it for their whole
//     run so that constraint checks and writes of two statements do not interleave.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "common/large_buffer.h"
#include "common/vector.h"
#include "storage/column_strings.h"
#include "storage/version.h"

namespace lyt {

using row_t = int64_t;
inline constexpr idx_t kSegmentCapacity = kVectorSize;

struct Segment;

// A numeric reading of a value for zone maps: integers of every width, BOOLEAN, DATE and
// TIMESTAMP as `i`; REAL and DOUBLE as `d` (is_float). False for other types and for NaN, which
// zone maps do not track.
struct ZoneValue {
  bool is_float = false;
  int64_t i = 0;
  double d = 0;
  static bool Read(const Vector& column, idx_t row, ZoneValue* out);
};

// A condition on the rows a scan wants: the values of column `column` lie in [lower, upper]
// (both of one kind, is_float or not; a missing side is the type's extreme). Segments whose
// recorded minimum and maximum (the zone map, kept per segment and column as rows are written)
// rule every row out are skipped; a NULL meets no condition.
struct ZoneCondition {
  idx_t column = 0;
  ZoneValue lower, upper;
};

class DataTable {
 public:
  explicit DataTable(std::vector<LogicalType> types);
  ~DataTable();

  // Changes only through DDL.
  const std::vector<LogicalType>& types() const { return types_; }
  // Rows inserted and not deleted by committed transactions (for planning and statistics).
  idx_t live_rows() const { return static_cast<idx_t>(std::max<int64_t>(0, live_rows_.load(std::memory_order_relaxed))); }
  // Committed row inserts plus deletes (an UPDATE counts two) since the table was created, and
  // every row a TRUNCATE dropped: only grows. Planner statistics compare it with its value when
  // they were collected to tell how stale they are (plan/statistics.h).
  uint64_t committed_changes() const { return committed_changes_.load(std::memory_order_relaxed); }

  // Where a scan is; ranges of segments can be handed to different scanners.
  struct ScanState {
    idx_t segment = 0;
    idx_t offset = 0;
    idx_t end_segment = ~idx_t(0);  // exclusive; default: to the end
    // Segments whose zone maps rule out one of these are skipped (null: none); the scan's
    // filters must imply them.
    const std::vector<ZoneCondition>* zones = nullptr;
  };
  // Fills `out` (one column per entry of `column_ids`, in that order) with the next rows visible
  // to `snapshot` (at most kVectorSize, all from one segment), and their row ids into `row_ids`
  // when not null. Returns false when the scan is exhausted. The vectors may reference storage,
  // valid until the table is dropped, truncated or altered.
  bool Scan(const Snapshot& snapshot, ScanState& state, const std::vector<idx_t>& column_ids, DataChunk& out,
            std::vector<row_t>* row_ids) const;
  // Scan with Snapshot::Latest(), for DDL.
  bool Scan(ScanState& state, const std::vector<idx_t>& column_ids, DataChunk& out, std::vector<row_t>* row_ids) const {
    return Scan(Snapshot::Latest(), state, column_ids, out, row_ids);
  }
  // Copies the values of rows `ids` (at most kVectorSize, any visibility) into `out`, whose
  // columns are `column_ids`; strings are copied into out's heaps.
  void Fetch(const row_t* ids, idx_t n, const std::vector<idx_t>& column_ids, DataChunk& out) const;
  // Makes `out` one row: the values of row `id` (any visibility) in columns `column_ids`, as
  // read-only views of storage with the lifetime of Scan's (no copy, for point lookups).
  void FetchRow(row_t id, const std::vector<idx_t>& column_ids, DataChunk& out) const;

  struct RowVersions {
    version_t insert;
    version_t del;
  };
  RowVersions GetVersions(row_t id) const;
  // Drops from ids[from, end) the rows `snapshot` does not see (order kept), under one hold of
  // the latch.
  void KeepVisible(const Snapshot& snapshot, std::vector<row_t>& ids, size_t from) const;
  // The newest commit timestamp that deleted a row still stored (0 when none): snapshots taken
  // at or after it see none of the stored deleted rows.
  version_t LatestCommittedDelete() const;

  // Appends all rows of `chunk` (values already of the column types and validated) with insert
  // version `version`; they get consecutive row ids, the first of which is returned.
  row_t Append(const DataChunk& chunk, version_t version);
  // Marks rows `ids` (visible to `snapshot`) deleted by snapshot.txn_id. Throws 40001, marking
  // nothing, when another transaction deleted or updated one of them and has not committed, or
  // committed after the snapshot was taken (then a StaleSnapshotError).
  void Delete(const Snapshot& snapshot, const std::vector<row_t>& ids);
  // Recovery only (single-threaded, before the table is shared): writes rows [offset,
  // offset+n) of `chunk` into row ids [first, first+n) with insert version `version`, as the
  // log or a checkpoint recorded them. Ids past the end first get never-inserted slots (a
  // rolled-back or not yet replayed insert); ids inside must be such never-inserted slots.
  void PlaceRows(row_t first, const DataChunk& chunk, idx_t offset, idx_t n, version_t version);
  // Row slots in use (the id the next Append gets).
  idx_t slot_count() const;

  // Restamps the insert versions of rows [first, first+count) / the delete versions of `ids`:
  // with a commit timestamp at commit, with kNever at rollback.
  void SetInsertVersion(row_t first, idx_t count, version_t version);
  void SetDeleteVersion(const std::vector<row_t>& ids, version_t version);

  std::mutex& writer_mutex() { return writer_mutex_; }
  // Open transactions holding uncommitted changes to this table (DDL refuses to run while any).
  std::atomic<int>& open_writers() { return open_writers_; }

  // DDL only (see the thread-safety note): drop every row; add a column holding `fill` in every
  // existing row; drop a column; overwrite column `column` of rows `ids` in place.
  void Truncate();
  void AddColumn(const LogicalType& type, const Value& fill);
  void DropColumn(idx_t column);
  void Update(const std::vector<row_t>& ids, idx_t column, const Vector& values);
  Value GetValue(row_t row, idx_t column) const;

  size_t MemoryUsage() const;

 private:
  Segment& SegmentOf(row_t id) const;
  // Room for one segment of column `column`, carved from the column's current extent.
  uint8_t* AllocateSegmentValues(idx_t column);
  // Writes rows [offset, offset+n) of `chunk` into slots [start, start+n) of `seg` (values,
  // strings into the column's heap, NULL flags); versions are the caller's.
  void CopyValues(Segment& seg, idx_t start, const DataChunk& chunk, idx_t offset, idx_t n);
  void AppendToSegment(Segment& seg, const DataChunk& chunk, idx_t offset, idx_t n, version_t version);
  // Appends `n` never-inserted slots (values left unwritten: no snapshot sees them).
  void AppendEmptySlots(idx_t n);
  // Writes rows [offset, offset+n) of `chunk` over the never-inserted slots [first, first+n)
  // of one segment.
  void OverwriteSlots(row_t first, const DataChunk& chunk, idx_t offset, idx_t n, version_t version);
  idx_t SlotCountLocked() const;
  void AdjustLiveRows(version_t version, int64_t delta);

  std::vector<LogicalType> types_;
  std::vector<std::unique_ptr<Segment>> segments_;
  std::vector<ColumnStrings> strings_;  // one per column: the bytes of its string values
  // Per column, the memory of its segments' values: extents of 1, 4, 16, then 64 segments, so a
  // small table stays small and a large one is scanned through long contiguous runs.
  struct ColumnExtents {
    std::vector<LargeBuffer> blocks;
    uint8_t* next = nullptr;
    idx_t free_segments = 0;
    idx_t last_size = 0;  // segments in the newest block
    size_t bytes = 0;
  };
  std::vector<ColumnExtents> extents_;
  std::atomic<int64_t> live_rows_{0};
  std::atomic<uint64_t> committed_changes_{0};
  mutable std::shared_mutex latch_;
  std::mutex writer_mutex_;
  std::atomic<int> open_writers_{0};
};

}  // namespace lyt
