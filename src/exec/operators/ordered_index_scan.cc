#include "exec/operators/ordered_index_scan.h"

#include <algorithm>

#include "common/error.h"

namespace lyt {

namespace {

// Entries read per batch at most; the first batch reads about as many as the query wants.
constexpr size_t kMaxBatch = 1024;
constexpr size_t kBatchSlack = 16;

}  // namespace

OrderedIndexScanOp::OrderedIndexScanOp(const TableEntry& table, IndexRange range, bool descending, std::vector<OrderKey> order,
                                       int64_t rows, std::vector<idx_t> column_ids, bool emit_row_ids,
                                       std::vector<LogicalType> types)
    : PhysicalOperator(std::move(types)),
      table_(table),
      range_(std::move(range)),
      descending_(descending),
      order_(std::move(order)),
      rows_wanted_(rows),
      column_ids_(std::move(column_ids)),
      emit_row_ids_(emit_row_ids) {
  fetched_.Initialize(table_.Types(column_ids_));
}

void OrderedIndexScanOp::Open(ExecContext& ctx) {
  fallback_.reset();
  rows_.clear();
  next_ = 0;
  ranges_ = IndexRangeKeys(range_, ctx);
  if (descending_) std::reverse(ranges_.begin(), ranges_.end());
  range_at_ = 0;
  if (!ranges_.empty()) cursor_ = OrderedIndex::Cursor{ranges_[0].first, ranges_[0].second, descending_};
  batch_ = static_cast<size_t>(std::clamp<int64_t>(rows_wanted_, 0, kMaxBatch - kBatchSlack)) + kBatchSlack;
  if (ReadBatch(ctx)) return;
  auto scan = std::make_unique<TableScanOp>(table_, column_ids_, CopyExprs(range_.filters), emit_row_ids_, types_);
  fallback_ = std::make_unique<SortOp>(std::move(scan), order_, rows_wanted_);
  fallback_->Open(ctx);
}

bool OrderedIndexScanOp::ReadBatch(ExecContext& ctx) {
  rows_.clear();
  next_ = 0;
  while (rows_.empty() && range_at_ < ranges_.size()) {
    if (cursor_.done) {
      if (++range_at_ < ranges_.size()) {
        cursor_ = OrderedIndex::Cursor{ranges_[range_at_].first, ranges_[range_at_].second, descending_};
      }
      continue;
    }
    ctx.CheckInterrupt();
    if (!range_.index->index->Read(table_.storage(), ctx.snapshot(), cursor_, batch_, rows_)) return false;
    batch_ = std::min(2 * batch_, kMaxBatch);
  }
  return true;
}

bool OrderedIndexScanOp::Next(ExecContext& ctx, DataChunk& out) {
  if (fallback_) return fallback_->Next(ctx, out);
  out.Reset();
  while (true) {
    if (next_ == rows_.size()) {
      // Only a rebuild makes the index refuse a snapshot, and it waits for every statement.
      if (!ReadBatch(ctx)) ThrowInternal("ordered index rebuilt during a scan");
      if (rows_.empty()) return false;
    }
    idx_t n = static_cast<idx_t>(std::min<size_t>(kVectorSize, rows_.size() - next_));
    const row_t* ids = rows_.data() + next_;
    next_ += n;
    table_.storage().Fetch(ids, n, column_ids_, fetched_);
    if (EmitFilteredRows(range_.filters, fetched_, ids, emit_row_ids_, out, ctx) > 0) return true;
  }
}

std::string OrderedIndexScanOp::Details() const {
  std::string out = table_.name() + " USING " + range_.index->name;
  std::string conditions = IndexRangeConditions(table_, range_);
  if (!conditions.empty()) out += " (" + conditions + ")";
  out += descending_ ? " ORDER DESC" : " ORDER ASC";
  if (!range_.filters.empty()) out += " WHERE " + JoinExprs(range_.filters, " AND ");
  return out;
}

}  // namespace lyt
