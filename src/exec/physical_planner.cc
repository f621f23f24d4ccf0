// Logical plan to physical operators: filters directly over a table scan are pushed into it (a
// scan whose filters fix a unique key becomes an index lookup), LIMIT over ORDER BY becomes a
// top-N sort, and a hash join builds on its smaller input. Aggregations and top-N sorts over a
// large table scan run on several threads (exec/parallel_plan.h).
#include "common/error.h"
#include "exec/index_order_plan.h"
#include "exec/operators/operators.h"
#include "exec/operators/series.h"
#include "exec/parallel_plan.h"
#include "plan/cardinality.h"
#include "plan/logical_plan.h"

namespace lyt {

namespace {

void RemapForSwap(BoundExpr& e, idx_t left_width, idx_t right_width) {
  if (e.kind == BoundKind::Column && e.depth == 0) e.column = e.column < left_width ? e.column + right_width : e.column - left_width;
  for (auto& c : e.children) RemapForSwap(*c, left_width, right_width);
}

// A scan of `get`'s table keeping the rows `filters` (get.filters among them) hold for.
std::unique_ptr<PhysicalOperator> PlanScan(const LogicalOp& get, std::vector<BoundExprPtr> filters) {
  const std::vector<LogicalType>& types = get.types;
  if (auto lookup = MatchKeyLookup(*get.table, get.column_ids, filters)) {
    return std::make_unique<IndexLookupOp>(*get.table, std::move(*lookup), get.column_ids, get.emit_row_ids, types);
  }
  if (auto range = MatchIndexRange(*get.table, get.column_ids, filters)) {
    return std::make_unique<IndexScanOp>(*get.table, std::move(*range), get.column_ids, get.emit_row_ids, types);
  }
  return std::make_unique<TableScanOp>(*get.table, get.column_ids, std::move(filters), get.emit_row_ids, types);
}

// The join's output columns as positions in left ++ right (LogicalOp::join_output, spelled out).
std::vector<idx_t> JoinOutput(const LogicalOp& op) {
  if (!op.join_output.empty()) return op.join_output;
  bool semi_anti = op.join_type == ast::JoinType::Semi || op.join_type == ast::JoinType::Anti;
  idx_t width = op.children[0]->types.size() + (semi_anti ? 0 : op.children[1]->types.size());
  std::vector<idx_t> all(width);
  for (idx_t i = 0; i < width; ++i) all[i] = i;
  return all;
}

// `type` join of `build` (the query's left input) and `probe` with the children swapped: `build`
// becomes the build (right) side of the JoinOp, whose output columns are the query's. `labelled`:
// EXPLAIN says "(build left)" (not for a RIGHT JOIN run as a LEFT one).
std::unique_ptr<PhysicalOperator> SwappedJoin(std::unique_ptr<PhysicalOperator> build, std::unique_ptr<PhysicalOperator> probe,
                                              ast::JoinType type, BoundExprPtr condition, std::vector<idx_t> output,
                                              bool labelled = true) {
  idx_t lw = build->types().size(), rw = probe->types().size();
  if (condition) RemapForSwap(*condition, lw, rw);
  for (idx_t& c : output) c = c < lw ? c + rw : c - lw;
  return std::make_unique<JoinOp>(std::move(probe), std::move(build), type, std::move(condition), std::move(output), labelled);
}

// Semi and anti joins build on the left input only when the right one is this many times larger:
// the left rows are then held until the right input ends, so a close call stays streaming.
constexpr double kSemiBuildLeftRatio = 4;

// Whether the hash table goes on the query's left input (estimates in plan/cardinality.h). Only
// equi-joins are considered: nested loops keep their order.
bool BuildOnLeft(const LogicalOp& op) {
  if (!op.condition || !JoinOp::HasEquiKey(*op.condition, op.children[0]->types.size())) return false;
  double left = EstimateRows(*op.children[0]), right = EstimateRows(*op.children[1]);
  switch (op.join_type) {
    case ast::JoinType::Inner: return left < right;
    case ast::JoinType::Semi:
    case ast::JoinType::Anti: return left * kSemiBuildLeftRatio < right;
    default: return false;
  }
}

std::unique_ptr<PhysicalOperator> PlanJoin(const LogicalOp& op) {
  auto left = PlanPhysical(*op.children[0]);
  auto right = PlanPhysical(*op.children[1]);
  BoundExprPtr condition = op.condition ? op.condition->Copy() : nullptr;
  if (BuildOnLeft(op)) return SwappedJoin(std::move(left), std::move(right), op.join_type, std::move(condition), JoinOutput(op));
  switch (op.join_type) {
    case ast::JoinType::Inner:
    case ast::JoinType::Cross:
    case ast::JoinType::Left:
    case ast::JoinType::Full:
    case ast::JoinType::Semi:
    case ast::JoinType::Anti:
      return std::make_unique<JoinOp>(std::move(left), std::move(right), op.join_type, std::move(condition), JoinOutput(op));
    case ast::JoinType::Right:
      // a RIGHT JOIN b == b LEFT JOIN a, with the columns put back in order.
      return SwappedJoin(std::move(left), std::move(right), ast::JoinType::Left, std::move(condition), JoinOutput(op), false);
  }
  ThrowInternal("unknown join type");
}

// When every aggregate is DISTINCT over the same argument (COUNT(DISTINCT x), SUM(DISTINCT x)
// ...), dedupe (groups, x) with one hash aggregation, then aggregate the distinct rows with
// another: no per-group sets of seen values.
std::unique_ptr<PhysicalOperator> PlanDistinctAggregate(const LogicalOp& op) {
  if (op.aggregates.empty()) return nullptr;
  const BoundExpr* arg = op.aggregates[0].arg.get();
  for (const auto& a : op.aggregates) {
    bool simple = a.kind == AggregateKind::Count || a.kind == AggregateKind::Sum || a.kind == AggregateKind::Avg ||
                  a.kind == AggregateKind::Min || a.kind == AggregateKind::Max;
    if (!a.distinct || a.filter || !simple || !a.arg || !a.arg->Equals(*arg)) return nullptr;
  }
  std::vector<BoundExprPtr> inner_groups = CopyExprs(op.groups);
  inner_groups.push_back(arg->Copy());
  std::vector<LogicalType> inner_types;
  for (const auto& g : inner_groups) inner_types.push_back(g->type);
  auto inner = PlanHashAggregate(*op.children[0], std::move(inner_groups), {}, inner_types);
  std::vector<BoundExprPtr> outer_groups;
  for (idx_t i = 0; i < op.groups.size(); ++i) outer_groups.push_back(MakeColumn(i, inner_types[i]));
  std::vector<AggregateCall> aggs;
  for (const auto& a : op.aggregates) {
    AggregateCall c = a.Copy();
    c.distinct = false;
    c.arg = MakeColumn(op.groups.size(), arg->type);
    aggs.push_back(std::move(c));
  }
  return std::make_unique<HashAggregateOp>(std::move(inner), std::move(outer_groups), std::move(aggs), op.types);
}

// Window: WindowOp reads only plain columns, so the calls' other expressions are computed by a
// projection below it (each distinct one once) and dropped again above it.
std::unique_ptr<PhysicalOperator> PlanWindow(const LogicalOp& op) {
  auto child = PlanPhysical(*op.children[0]);
  std::vector<LogicalType> types = child->types();
  idx_t width = types.size();
  std::vector<BoundExprPtr> computed;
  std::vector<WindowCall> calls;
  std::string description;
  for (const auto& w : op.windows) {
    description += (description.empty() ? "" : ", ") + w.ToString();
    WindowCall call = w.Copy();
    call.ForEachExpr([&](BoundExprPtr& e) {
      if (e->kind == BoundKind::Column && e->depth == 0) return;
      size_t k = 0;
      while (k < computed.size() && !computed[k]->Equals(*e)) ++k;
      if (k == computed.size()) {
        types.push_back(e->type);
        computed.push_back(std::move(e));
      }
      e = MakeColumn(width + k, types[width + k]);
    });
    calls.push_back(std::move(call));
  }
  if (!computed.empty()) {
    std::vector<BoundExprPtr> exprs;
    for (idx_t i = 0; i < width; ++i) exprs.push_back(MakeColumn(i, types[i]));
    for (auto& e : computed) exprs.push_back(std::move(e));
    child = std::make_unique<ProjectionOp>(std::move(child), std::move(exprs), types);
  }
  for (const auto& c : calls) types.push_back(c.type);
  auto window = std::make_unique<WindowOp>(std::move(child), std::move(calls), types, std::move(description));
  if (computed.empty()) return window;
  std::vector<BoundExprPtr> keep;
  for (idx_t i = 0; i < width; ++i) keep.push_back(MakeColumn(i, types[i]));
  for (idx_t i = 0; i < op.windows.size(); ++i) {
    idx_t column = width + computed.size() + i;
    keep.push_back(MakeColumn(column, types[column]));
  }
  return std::make_unique<ProjectionOp>(std::move(window), std::move(keep), op.types);
}

}  // namespace

// The operators of `op` (PlanPhysical notes `op` in the top one).
static std::unique_ptr<PhysicalOperator> PlanOperators(const LogicalOp& op) {
  switch (op.kind) {
    case LogicalKind::Get: return PlanScan(op, CopyExprs(op.filters));
    case LogicalKind::Filter: {
      if (op.children[0]->kind == LogicalKind::Get) {
        std::vector<BoundExprPtr> filters;
        SplitConjuncts(op.exprs[0]->Copy(), filters);
        for (const auto& f : op.children[0]->filters) filters.push_back(f->Copy());
        return PlanScan(*op.children[0], std::move(filters));
      }
      return std::make_unique<FilterOp>(PlanPhysical(*op.children[0]), op.exprs[0]->Copy());
    }
    case LogicalKind::Projection:
      return std::make_unique<ProjectionOp>(PlanPhysical(*op.children[0]), CopyExprs(op.exprs), op.types);
    case LogicalKind::Aggregate: {
      if (auto by_index = PlanIndexMinMax(op)) return by_index;
      if (auto two_phase = PlanDistinctAggregate(op)) return two_phase;
      std::vector<AggregateCall> aggs;
      for (const auto& a : op.aggregates) aggs.push_back(a.Copy());
      return PlanHashAggregate(*op.children[0], CopyExprs(op.groups), std::move(aggs), op.types);
    }
    case LogicalKind::Distinct: {
      std::vector<BoundExprPtr> groups;
      for (idx_t i = 0; i < op.types.size(); ++i) groups.push_back(MakeColumn(i, op.types[i]));
      return PlanHashAggregate(*op.children[0], std::move(groups), {}, op.types);
    }
    case LogicalKind::Order: return PlanSort(*op.children[0], op.order, op.limit);
    case LogicalKind::Limit: {
      if (auto by_index = PlanIndexOrderLimit(op)) return by_index;
      const LogicalOp& child = *op.children[0];
      auto copy = [](const BoundExprPtr& e) { return e ? e->Copy() : nullptr; };
      if (op.limit_expr || op.offset_expr) {
        return std::make_unique<LimitOp>(PlanPhysical(child), op.limit, op.offset, copy(op.limit_expr), copy(op.offset_expr));
      }
      if (child.kind == LogicalKind::Order && op.limit >= 0) {
        auto sort = PlanSort(*child.children[0], child.order, op.limit + op.offset);
        return std::make_unique<LimitOp>(std::move(sort), op.limit, op.offset);
      }
      return std::make_unique<LimitOp>(PlanPhysical(child), op.limit, op.offset);
    }
    case LogicalKind::Join: return PlanJoin(op);
    case LogicalKind::Values: {
      std::vector<std::vector<BoundExprPtr>> rows;
      for (const auto& r : op.rows) rows.push_back(CopyExprs(r));
      return std::make_unique<ValuesOp>(std::move(rows), op.types);
    }
    case LogicalKind::Window: return PlanWindow(op);
    case LogicalKind::SetOp:
      return std::make_unique<SetOpOp>(PlanPhysical(*op.children[0]), PlanPhysical(*op.children[1]), op.set_op, op.set_all);
    case LogicalKind::RecursiveCte:
      return std::make_unique<RecursiveCteOp>(PlanPhysical(*op.children[0]), PlanPhysical(*op.children[1]), op.set_all,
                                              op.cte_id, op.cte_name);
    case LogicalKind::WorkTable: return std::make_unique<WorkTableScanOp>(op.types, op.cte_id, op.cte_name);
    case LogicalKind::Series: return std::make_unique<SeriesOp>(op.types[0], op.series[0], op.series[1], op.series[2]);
  }
  ThrowInternal("unknown logical operator");
}

std::unique_ptr<PhysicalOperator> PlanPhysical(const LogicalOp& op) {
  auto physical = PlanOperators(op);
  physical->set_logical(&op);
  return physical;
}

// The operators of `op`, moving the expressions of scans, filters and projections out of it
// (PlanPhysicalOnce); the other operators are planned from copies, as by PlanPhysical.
static std::unique_ptr<PhysicalOperator> PlanOperatorsOnce(LogicalOp& op) {
  switch (op.kind) {
    case LogicalKind::Get: return PlanScan(op, std::move(op.filters));
    case LogicalKind::Filter: {
      LogicalOp& child = *op.children[0];
      if (child.kind != LogicalKind::Get) return std::make_unique<FilterOp>(PlanPhysicalOnce(child), std::move(op.exprs[0]));
      std::vector<BoundExprPtr> filters;
      SplitConjuncts(std::move(op.exprs[0]), filters);
      for (auto& f : child.filters) filters.push_back(std::move(f));
      return PlanScan(child, std::move(filters));
    }
    case LogicalKind::Projection:
      return std::make_unique<ProjectionOp>(PlanPhysicalOnce(*op.children[0]), std::move(op.exprs), op.types);
    default: return PlanOperators(op);
  }
}

std::unique_ptr<PhysicalOperator> PlanPhysicalOnce(LogicalOp& op) {
  auto physical = PlanOperatorsOnce(op);
  physical->set_logical(&op);
  return physical;
}

size_t OwnedBytes(const DataChunk& chunk) {
  size_t bytes = chunk.MemoryUsage();
  for (idx_t i = 0; i < chunk.ColumnCount(); ++i) {
    const Vector& c = chunk.column(i);
    if (c.type().IsString()) {
      for (idx_t r = 0; r < chunk.size(); ++r) bytes += c.data<StringRef>()[r].size;
    }
  }
  return bytes;
}

std::vector<std::unique_ptr<DataChunk>> CollectAll(PhysicalOperator& op, ExecContext& ctx) {
  std::vector<std::unique_ptr<DataChunk>> out;
  // Kept sized to their rows: a short result (a point lookup's one row) holds a few bytes, not
  // a full batch per column.
  auto keep = [&](const DataChunk& rows) {
    auto copy = std::make_unique<DataChunk>(op.types(), rows.size());
    copy->Append(rows, nullptr, rows.size());
    ctx.memory().Reserve(OwnedBytes(*copy));
    out.push_back(std::move(copy));
  };
  // Small batches (a recursive CTE's one row per step) are gathered into full ones first:
  // a million one-row batches would otherwise cost a million chunks' overhead.
  constexpr idx_t kSmall = kVectorSize / 8;
  DataChunk chunk(op.types());
  DataChunk small(op.types());
  while (op.Next(ctx, chunk)) {
    // In order: the gathered rows go first whenever a batch does not join them.
    bool joins = chunk.size() < kSmall && small.size() + chunk.size() <= small.capacity();
    if (!joins && small.size() > 0) {
      keep(small);
      small.Reset();
    }
    if (chunk.size() < kSmall) small.Append(chunk, nullptr, chunk.size());
    else keep(chunk);
  }
  if (small.size() > 0) keep(small);
  return out;
}

}  // namespace lyt
