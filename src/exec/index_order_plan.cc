#include "exec/index_order_plan.h"

#include <algorithm>
#include <limits>
#include <optional>

#include "exec/operators/ordered_index_scan.h"
#include "plan/logical_plan.h"

namespace lyt {

namespace {

// A table scan under an optional Projection and an optional Filter: where a plan reads its rows.
struct ScanSource {
  const LogicalOp* get = nullptr;
  const LogicalOp* projection = nullptr;
  std::vector<BoundExprPtr> filters;  // the Filter's conjuncts, then the scan's (as PlanScan takes them)
};

std::optional<ScanSource> FindScan(const LogicalOp& op) {
  ScanSource source;
  const LogicalOp* at = &op;
  if (at->kind == LogicalKind::Projection) {
    source.projection = at;
    at = at->children[0].get();
  }
  if (at->kind == LogicalKind::Filter) {
    SplitConjuncts(at->exprs[0]->Copy(), source.filters);
    at = at->children[0].get();
  }
  if (at->kind != LogicalKind::Get || !at->table || at->table->ordered_indexes().empty()) return std::nullopt;
  for (const auto& f : at->filters) source.filters.push_back(f->Copy());
  source.get = at;
  return source;
}

// The scanned column (position in the scan's output) that output column `column` of the source
// passes on unchanged, if any.
std::optional<idx_t> ScannedColumn(const ScanSource& source, idx_t column) {
  if (source.projection) {
    const BoundExpr& e = *source.projection->exprs[column];
    if (e.kind != BoundKind::Column || e.depth != 0) return std::nullopt;
    column = e.column;
  }
  if (column >= source.get->column_ids.size()) return std::nullopt;  // the row id
  return column;
}

// Whether the range's next column (after those fixed with `=`) is bounded, so never NULL.
bool NextBounded(const IndexRange& range) {
  return !range.in_values.empty() || range.like_pattern || range.lower || range.upper || range.not_null;
}

// How well the range narrows the index: as MatchIndexRange ranks indexes.
size_t RangeScore(const IndexRange& range) {
  bool has_next = range.equal.size() < range.index->index->columns().size();
  return 2 * range.equal.size() + (has_next && NextBounded(range) ? 1 : 0);
}

// The best range the source's filters give of an index for which `serves` holds; nullopt when
// there is none, or when another index narrows the scan better (it then reads fewer rows).
template <typename Serves>
std::optional<IndexRange> ChooseRange(const ScanSource& source, Serves serves) {
  const LogicalOp& get = *source.get;
  std::optional<IndexRange> best;
  for (const auto& ti : get.table->ordered_indexes()) {
    std::vector<BoundExprPtr> filters = CopyExprs(source.filters);
    IndexRange range = MatchIndexRangeOn(ti, *get.table, get.column_ids, filters);
    if (serves(range) && (!best || RangeScore(range) > RangeScore(*best))) best = std::move(range);
  }
  if (!best) return std::nullopt;
  std::vector<BoundExprPtr> filters = CopyExprs(source.filters);
  auto narrowest = MatchIndexRange(*get.table, get.column_ids, filters);
  if (narrowest && RangeScore(*narrowest) > RangeScore(*best)) return std::nullopt;
  return best;
}

// The rows of `range` in index order, through the source's projection.
std::unique_ptr<PhysicalOperator> ReadInOrder(const ScanSource& source, IndexRange range, bool descending,
                                              std::vector<OrderKey> fallback_order, int64_t rows) {
  const LogicalOp& get = *source.get;
  std::unique_ptr<PhysicalOperator> scan = std::make_unique<OrderedIndexScanOp>(
      *get.table, std::move(range), descending, std::move(fallback_order), rows, get.column_ids, get.emit_row_ids, get.types);
  if (!source.projection) return scan;
  return std::make_unique<ProjectionOp>(std::move(scan), CopyExprs(source.projection->exprs), source.projection->types);
}

// An ORDER BY key as a table column.
struct KeyColumn {
  idx_t table_column;
  bool nulls_first;
};

// Whether reading `range` in index order (backwards when `descending`) yields rows ordered by
// `keys`: skipping the columns fixed with `=`, they are the index's next columns, and their NULLs
// come where the keys want them (after the values ascending, before them descending) or cannot
// occur.
bool ServesOrder(const IndexRange& range, const TableEntry& table, const std::vector<KeyColumn>& keys, bool descending) {
  const std::vector<idx_t>& columns = range.index->index->columns();
  auto fixed_end = columns.begin() + static_cast<std::ptrdiff_t>(range.equal.size());
  size_t next = range.equal.size();
  for (const KeyColumn& k : keys) {
    if (std::find(columns.begin(), fixed_end, k.table_column) != fixed_end) continue;
    if (next == columns.size() || columns[next] != k.table_column) return false;
    bool never_null = table.columns()[k.table_column].not_null || (next == range.equal.size() && NextBounded(range));
    if (k.nulls_first != descending && !never_null) return false;
    ++next;
  }
  return true;
}

}  // namespace

std::unique_ptr<PhysicalOperator> PlanIndexOrderLimit(const LogicalOp& limit) {
  if (limit.limit_expr || limit.offset_expr || limit.limit < 0) return nullptr;
  if (limit.limit > std::numeric_limits<int64_t>::max() - limit.offset) return nullptr;
  const LogicalOp& order = *limit.children[0];
  if (order.kind != LogicalKind::Order || order.limit >= 0 || order.order.empty()) return nullptr;
  auto source = FindScan(*order.children[0]);
  if (!source) return nullptr;
  const TableEntry& table = *source->get->table;
  bool descending = order.order[0].descending;
  std::vector<KeyColumn> keys;
  std::vector<OrderKey> fallback_order;
  for (const OrderKey& k : order.order) {
    auto column = ScannedColumn(*source, k.column);
    if (!column || k.descending != descending) return nullptr;
    keys.push_back(KeyColumn{source->get->column_ids[*column], k.nulls_first});
    fallback_order.push_back(OrderKey{*column, k.descending, k.nulls_first});
  }
  auto range = ChooseRange(*source, [&](const IndexRange& r) { return ServesOrder(r, table, keys, descending); });
  if (!range) return nullptr;
  auto scan = ReadInOrder(*source, std::move(*range), descending, std::move(fallback_order), limit.limit + limit.offset);
  return std::make_unique<LimitOp>(std::move(scan), limit.limit, limit.offset);
}

std::unique_ptr<PhysicalOperator> PlanIndexMinMax(const LogicalOp& aggregate) {
  if (!aggregate.groups.empty() || aggregate.aggregates.size() != 1) return nullptr;
  const AggregateCall& call = aggregate.aggregates[0];
  bool is_max = call.kind == AggregateKind::Max;
  if ((!is_max && call.kind != AggregateKind::Min) || call.filter || !call.arg) return nullptr;
  if (call.arg->kind != BoundKind::Column || call.arg->depth != 0) return nullptr;
  auto source = FindScan(*aggregate.children[0]);
  if (!source) return nullptr;
  auto column = ScannedColumn(*source, call.arg->column);
  if (!column) return nullptr;
  idx_t table_column = source->get->column_ids[*column];
  TypeId type = source->get->table->columns()[table_column].type.id;
  if (is_max && (type == TypeId::Real || type == TypeId::Double || type == TypeId::Interval)) return nullptr;
  auto range = ChooseRange(*source, [&](const IndexRange& r) {
    const std::vector<idx_t>& columns = r.index->index->columns();
    return r.equal.size() < columns.size() && columns[r.equal.size()] == table_column;
  });
  if (!range) return nullptr;
  range->not_null = true;
  // The fallback sorts NULLs last either way: its first row is NULL only when all are.
  auto scan = ReadInOrder(*source, std::move(*range), is_max, {OrderKey{*column, is_max, false}}, 1);
  std::vector<AggregateCall> calls;
  calls.push_back(call.Copy());
  return std::make_unique<HashAggregateOp>(std::make_unique<LimitOp>(std::move(scan), 1, 0), std::vector<BoundExprPtr>{},
                                           std::move(calls), aggregate.types);
}

}  // namespace lyt
