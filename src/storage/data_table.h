// Columnar storage of one table: row groups of up to kRowGroupCapacity rows, each holding one
// typed array plus null bytes per column. Rows are addressed by row ids (row group index *
// kRowGroupCapacity + offset), stable until TRUNCATE.
//
// Thread safety: none inside; the engine's statement lock serializes writers against readers.
#pragma once

#include <memory>
#include <vector>

#include "common/vector.h"

namespace lyt {

using row_t = int64_t;
inline constexpr idx_t kRowGroupCapacity = 60 * kVectorSize;  // 122,880 rows

// One column of one row group.
struct ColumnData {
  std::vector<uint8_t> values;  // count * PhysicalSize(type) bytes
  std::vector<uint8_t> nulls;   // empty until the first NULL; then one byte per row
  StringHeap strings;           // bytes of Varchar/Blob values
};

class RowGroup {
 public:
  RowGroup(const std::vector<LogicalType>& types);
  idx_t count() const { return count_; }
  idx_t deleted_count() const { return deleted_count_; }
  bool IsDeleted(idx_t row) const { return !deleted_.empty() && deleted_[row] != 0; }

  // Appends rows [offset, offset+n) of `chunk` (types match the table's).
  void Append(const DataChunk& chunk, idx_t offset, idx_t n);
  void Delete(idx_t row);
  // Sets one cell from `values[src_row]`.
  void Update(idx_t row, idx_t column, const Vector& values, idx_t src_row);

  // Points `out` at rows [start, start+n) of `column` (no copy).
  void View(idx_t column, idx_t start, Vector& out) const;
  // Copies `n` rows listed in `rows` (offsets into this group) of `column` into out[0..n).
  void Gather(idx_t column, const sel_t* rows, idx_t n, Vector& out) const;

  void AddColumn(const LogicalType& type, const Value& fill);
  void DropColumn(idx_t column);

 private:
  std::vector<LogicalType> types_;
  std::vector<ColumnData> columns_;
  std::vector<uint8_t> deleted_;  // empty until the first delete
  idx_t count_ = 0;
  idx_t deleted_count_ = 0;
};

class DataTable {
 public:
  explicit DataTable(std::vector<LogicalType> types);

  const std::vector<LogicalType>& types() const { return types_; }
  idx_t live_rows() const { return live_rows_; }
  idx_t row_group_count() const { return row_groups_.size(); }
  const RowGroup& row_group(idx_t i) const { return *row_groups_[i]; }

  // Where a scan is; row groups can be handed to different scanners (parallel scans).
  struct ScanState {
    idx_t row_group = 0;
    idx_t offset = 0;
    idx_t end_row_group = ~idx_t(0);  // exclusive; default: to the end
  };
  // Fills `out` (one column per entry of `column_ids`, in that order) with the next up to
  // kVectorSize live rows, and their row ids into `row_ids` when not null. Returns false when the
  // scan is exhausted (and out is empty). The vectors may reference storage: valid until the next
  // write to the table.
  bool Scan(ScanState& state, const std::vector<idx_t>& column_ids, DataChunk& out,
            std::vector<row_t>* row_ids) const;

  // Appends all rows of `chunk`; values are already of the column types and validated. The rows
  // get consecutive row ids starting at NextRowId().
  void Append(const DataChunk& chunk);
  row_t NextRowId() const;
  void Delete(const std::vector<row_t>& row_ids);
  // Sets column `column` of each row_ids[i] to values[i].
  void Update(const std::vector<row_t>& row_ids, idx_t column, const Vector& values);
  Value GetValue(row_t row, idx_t column) const;
  void Truncate();
  void AddColumn(const LogicalType& type, const Value& fill);
  void DropColumn(idx_t column);
  size_t MemoryUsage() const;

 private:
  std::vector<LogicalType> types_;
  std::vector<std::unique_ptr<RowGroup>> row_groups_;
  idx_t live_rows_ = 0;
};

}  // namespace lyt
