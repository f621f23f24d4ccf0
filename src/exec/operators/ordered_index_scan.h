// Ordered index scans that keep the index's order (storage/ordered_index.h): what ORDER BY ...
// LIMIT and MIN / MAX read instead of sorting or aggregating a whole table (exec/index_order_plan.h
// decides when), and the key ranges every index scan reads.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "exec/operators/operators.h"
#include "storage/ordered_index.h"

namespace lyt {

// The key ranges [lower, upper) of `range` (its values evaluated now), in key order; none when a
// NULL value makes it empty.
std::vector<std::pair<std::string, std::string>> IndexRangeKeys(const IndexRange& range, ExecContext& ctx);

// `range`'s conditions as SQL, for EXPLAIN (`t.a = 1, t.b >= 2`; empty without conditions).
std::string IndexRangeConditions(const TableEntry& table, const IndexRange& range);

// The row versions of `range` that the statement's snapshot sees (selected columns, filtered by
// range.filters), in index key order, or backwards when `descending` (NULLs, which sort last,
// then come first). Entries are read lazily, a batch at a time, the first one about `rows` long:
// a LIMIT above stops the reading. For a snapshot older than the index can answer it runs the
// plan it replaces instead: the equivalent TableScanOp, sorted by `order` (over its output
// columns) into its first `rows` rows.
class OrderedIndexScanOp : public PhysicalOperator {
 public:
  OrderedIndexScanOp(const TableEntry& table, IndexRange range, bool descending, std::vector<OrderKey> order, int64_t rows,
                     std::vector<idx_t> column_ids, bool emit_row_ids, std::vector<LogicalType> types);
  void Open(ExecContext& ctx) override;
  bool Next(ExecContext& ctx, DataChunk& out) override;
  std::string Name() const override { return "INDEX_SCAN"; }
  std::string Details() const override;

 private:
  // Refills rows_ with the next visible row versions (empty at the end); false when the snapshot
  // is too old for the index.
  bool ReadBatch(ExecContext& ctx);

  const TableEntry& table_;
  IndexRange range_;
  bool descending_;
  std::vector<OrderKey> order_;
  int64_t rows_wanted_;
  std::vector<idx_t> column_ids_;
  bool emit_row_ids_;
  std::vector<std::pair<std::string, std::string>> ranges_;  // in reading order (Open)
  size_t range_at_ = 0;
  OrderedIndex::Cursor cursor_;
  size_t batch_ = 0;
  std::vector<row_t> rows_;
  size_t next_ = 0;
  DataChunk fetched_;
  std::unique_ptr<PhysicalOperator> fallback_;  // the sorted scan, when Open found the index unusable
};

}  // namespace lyt
