// Range scans through an ordered index.
#include <algorithm>
#include <utility>

#include "exec/expression_executor.h"
#include "exec/like.h"
#include "exec/operators/operators.h"
#include "exec/operators/ordered_index_scan.h"
#include "storage/ordered_key.h"

namespace lyt {

namespace {

// Ranges holding more than this share of the table's row slots are read by a scan instead.
constexpr size_t kMaxRangeShare = 32;
constexpr size_t kMinRangeRows = 256;

// Appends the encoding of `e`'s value (evaluated now); false when it is NULL (no row compares
// true with NULL).
bool AppendBound(const BoundExpr& e, ExecContext& ctx, std::string& key) {
  Value v = ExpressionExecutor::EvaluateScalar(e, ctx);
  if (v.is_null()) return false;
  Vector one(e.type, 1);
  one.SetValue(0, v);
  EncodeOrderedValue(one, 0, key);
  return true;
}

// The key range of the values LIKE `pattern` after `prefix`: those starting with its fixed text.
// None for a NULL pattern (LIKE NULL is never true); every non-NULL value for one whose fixed
// text is empty, or that ends with its escape character (the filter rejects it as a scan would).
std::vector<std::pair<std::string, std::string>> LikeRange(const IndexRange& range, std::string prefix, ExecContext& ctx) {
  Value pattern = ExpressionExecutor::EvaluateScalar(*range.like_pattern, ctx);
  if (pattern.is_null()) return {};
  EncodeTextPrefix(LikePrefix(pattern.AsString(), range.like_escape).value_or(""), prefix);
  std::string upper = PrefixEnd(prefix);
  return {{std::move(prefix), std::move(upper)}};
}

}  // namespace

std::vector<std::pair<std::string, std::string>> IndexRangeKeys(const IndexRange& range, ExecContext& ctx) {
  std::string prefix;
  for (const auto& e : range.equal) {
    if (!AppendBound(*e, ctx, prefix)) return {};
  }
  std::vector<std::pair<std::string, std::string>> ranges;
  if (!range.in_values.empty()) {
    std::vector<std::string> keys;
    for (const auto& e : range.in_values) {
      std::string key = prefix;
      if (AppendBound(*e, ctx, key)) keys.push_back(std::move(key));  // x IN (NULL, ...) never matches NULL
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (auto& key : keys) ranges.emplace_back(key, PastPrefix(key));
    return ranges;
  }
  if (range.like_pattern) return LikeRange(range, std::move(prefix), ctx);
  std::string lower = prefix, upper;
  if (range.lower) {
    if (!AppendBound(*range.lower, ctx, lower)) return {};
    if (!range.lower_inclusive) lower = PastPrefix(std::move(lower));
  }
  if (range.upper) {
    upper = prefix;
    if (!AppendBound(*range.upper, ctx, upper)) return {};
    if (range.upper_inclusive) upper = PastPrefix(std::move(upper));
  } else if (range.lower || range.not_null) {
    upper = prefix + kNullMarker;  // NULLs sort last and compare true with nothing
  } else {
    upper = prefix.empty() ? std::string() : PastPrefix(prefix);
  }
  ranges.emplace_back(std::move(lower), std::move(upper));
  return ranges;
}

IndexScanOp::IndexScanOp(const TableEntry& table, IndexRange range, std::vector<idx_t> column_ids, bool emit_row_ids,
                         std::vector<LogicalType> types)
    : PhysicalOperator(std::move(types)),
      table_(table),
      range_(std::move(range)),
      column_ids_(std::move(column_ids)),
      emit_row_ids_(emit_row_ids) {
  fetched_.Initialize(table_.Types(column_ids_));
}

void IndexScanOp::Open(ExecContext& ctx) {
  rows_.clear();
  next_ = 0;
  scan_.reset();
  const DataTable& storage = table_.storage();
  size_t max_rows = std::max(kMinRangeRows, storage.slot_count() / kMaxRangeShare);
  bool usable = true;
  for (const auto& [lower, upper] : IndexRangeKeys(range_, ctx)) {
    usable = rows_.size() <= max_rows && range_.index->index->Scan(storage, ctx.snapshot(), lower, upper, max_rows - rows_.size(), rows_);
    if (!usable) break;
  }
  if (usable) return;
  rows_.clear();
  scan_ = std::make_unique<TableScanOp>(table_, column_ids_, CopyExprs(range_.filters), emit_row_ids_, types_);
  scan_->Open(ctx);
}

bool IndexScanOp::Next(ExecContext& ctx, DataChunk& out) {
  if (scan_) return scan_->Next(ctx, out);
  out.Reset();
  while (next_ < rows_.size()) {
    ctx.CheckInterrupt();
    idx_t n = static_cast<idx_t>(std::min<size_t>(kVectorSize, rows_.size() - next_));
    const row_t* ids = rows_.data() + next_;
    next_ += n;
    table_.storage().Fetch(ids, n, column_ids_, fetched_);
    if (EmitFilteredRows(range_.filters, fetched_, ids, emit_row_ids_, out, ctx) > 0) return true;
  }
  return false;
}

std::string IndexRangeConditions(const TableEntry& table, const IndexRange& range) {
  const std::vector<idx_t>& columns = range.index->index->columns();
  auto column = [&](size_t i) { return table.name() + "." + table.columns()[columns[i]].name; };
  std::string out, sep;
  for (size_t i = 0; i < range.equal.size(); ++i, sep = ", ") out += sep + column(i) + " = " + range.equal[i]->ToString();
  size_t next = range.equal.size();
  if (next == columns.size()) return out;
  if (!range.in_values.empty()) out += sep + column(next) + " IN (" + JoinExprs(range.in_values, ", ") + ")";
  if (range.like_pattern) out += sep + column(next) + " LIKE " + range.like_pattern->ToString();
  if (range.lower) out += sep + column(next) + (range.lower_inclusive ? " >= " : " > ") + range.lower->ToString(), sep = ", ";
  if (range.upper) out += sep + column(next) + (range.upper_inclusive ? " <= " : " < ") + range.upper->ToString(), sep = ", ";
  if (range.not_null && range.in_values.empty() && !range.like_pattern && !range.lower && !range.upper) {
    out += sep + column(next) + " IS NOT NULL";
  }
  return out;
}

std::string IndexScanOp::Details() const {
  return table_.name() + " USING " + range_.index->name + " (" + IndexRangeConditions(table_, range_) + ") WHERE " +
         JoinExprs(range_.filters, " AND ");
}

}  // namespace lyt
