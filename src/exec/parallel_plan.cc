#include "exec/parallel_plan.h"

#include <algorithm>

#include "exec/worker_pool.h"

namespace lyt {

namespace {

// Whether copies on several threads may each evaluate `e`: no subquery (each copy would run it
// again), no volatile function (they share the session's random generator), no column of an
// enclosing query (the copies' contexts hold no outer rows).
bool ParallelSafe(const BoundExpr& e) {
  if (e.kind == BoundKind::Subquery || (e.kind == BoundKind::Column && e.depth > 0)) return false;
  if (e.kind == BoundKind::Function && e.function && e.function->is_volatile) return false;
  return std::all_of(e.children.begin(), e.children.end(), [](const BoundExprPtr& c) { return ParallelSafe(*c); });
}

bool AllParallelSafe(const std::vector<BoundExprPtr>& exprs) {
  return std::all_of(exprs.begin(), exprs.end(), [](const BoundExprPtr& e) { return !e || ParallelSafe(*e); });
}

// The table scan the rows of `op` stream from, if any.
TableScanOp* PipelineSource(PhysicalOperator& op) {
  PhysicalOperator* p = &op;
  while (PhysicalOperator* input = p->StreamingInput()) p = input;
  return dynamic_cast<TableScanOp*>(p);
}

// Rows the table scans under `op` read: roughly what it costs to run it once more.
double ScannedRows(PhysicalOperator& op) {
  double rows = 0;
  if (auto* scan = dynamic_cast<TableScanOp*>(&op)) rows += static_cast<double>(scan->table().storage().live_rows());
  for (auto& c : op.children()) rows += ScannedRows(*c);
  return rows;
}

// Rows read by the inputs of the operators along the streaming chain from `op` other than the
// streaming one (a join's build side): every copy reads those whole.
double ReplicatedRows(PhysicalOperator& op) {
  double rows = 0;
  for (PhysicalOperator* p = &op; p; p = p->StreamingInput()) {
    PhysicalOperator* streaming = p->StreamingInput();
    for (auto& c : p->children()) {
      if (c.get() != streaming) rows += ScannedRows(*c);
    }
  }
  return rows;
}

// Copies pay off when the rows they split outweigh what each copy repeats: a join building on
// a table as large as the one split (a correlated COUNT(*) per user turned into a join with the
// events' counts) would be built once per copy for a small saving.
constexpr double kMaxReplicatedShare = 0.25;

}  // namespace

PipelineCopies PlanPipelineCopies(const LogicalOp& plan) {
  PipelineCopies out;
  out.copies.push_back(PlanPhysical(plan));
  TableScanOp* source = PipelineSource(*out.copies[0]);
  if (!source || source->table().storage().live_rows() < kParallelScanMinRows) return out;
  if (ReplicatedRows(*out.copies[0]) > kMaxReplicatedShare * static_cast<double>(source->table().storage().live_rows())) return out;
  if (AnyPlanExpr(plan, [](const BoundExpr& e) { return !ParallelSafe(e); })) return out;
  out.morsels = std::make_shared<ScanMorsels>(source->table().storage());
  source->SplitWith(out.morsels);
  size_t threads = WorkerPool::Shared().threads() + 1;
  while (out.copies.size() < threads) {
    out.copies.push_back(PlanPhysical(plan));
    PipelineSource(*out.copies.back())->SplitWith(out.morsels);
  }
  return out;
}

std::unique_ptr<PhysicalOperator> PlanHashAggregate(const LogicalOp& input, std::vector<BoundExprPtr> groups,
                                                    std::vector<AggregateCall> aggregates, std::vector<LogicalType> types) {
  bool mergeable = HashAggregateOp::Mergeable(aggregates) && AllParallelSafe(groups);
  for (const auto& a : aggregates) mergeable = mergeable && (!a.arg || ParallelSafe(*a.arg)) && (!a.filter || ParallelSafe(*a.filter));
  PipelineCopies plan = mergeable ? PlanPipelineCopies(input) : PipelineCopies{};
  if (plan.copies.size() <= 1) {
    auto child = plan.copies.empty() ? PlanPhysical(input) : std::move(plan.copies[0]);
    return std::make_unique<HashAggregateOp>(std::move(child), std::move(groups), std::move(aggregates), std::move(types));
  }
  std::vector<std::unique_ptr<HashAggregateOp>> partials;
  for (auto& copy : plan.copies) {
    std::vector<AggregateCall> calls;
    for (const auto& a : aggregates) calls.push_back(a.Copy());
    partials.push_back(std::make_unique<HashAggregateOp>(std::move(copy), CopyExprs(groups), std::move(calls), types));
  }
  return std::make_unique<ParallelAggregateOp>(std::move(partials), std::move(plan.morsels));
}

std::unique_ptr<PhysicalOperator> PlanSort(const LogicalOp& input, const std::vector<OrderKey>& keys, int64_t limit) {
  PipelineCopies plan = PlanPipelineCopies(input);
  if (plan.copies.size() == 1) return std::make_unique<SortOp>(std::move(plan.copies[0]), keys, limit);
  std::vector<std::unique_ptr<SortOp>> sorts;
  for (auto& copy : plan.copies) sorts.push_back(std::make_unique<SortOp>(std::move(copy), keys, limit));
  return std::make_unique<ParallelSortOp>(std::move(sorts), std::move(plan.morsels));
}

}  // namespace lyt
