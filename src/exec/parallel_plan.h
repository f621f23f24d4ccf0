// Parallel plans. When the rows of part of a plan stream from one scan of a large table (through
// filters, projections and the probe side of joins: PhysicalOperator::StreamingInput), the
// physical planner makes one copy of that part per thread (each worker of the WorkerPool and the
// statement's own), splits the table's segments between the copies' scans, and combines their
// results above: hash aggregations merge their groups, sorts sort the copies' rows together.
#pragma once

#include <memory>
#include <vector>

#include "exec/operators/operators.h"
#include "plan/logical_plan.h"

namespace lyt {

// Tables with fewer live rows are scanned by one thread: handing work to another costs more than
// it saves.
inline constexpr idx_t kParallelScanMinRows = 65536;

struct PipelineCopies {
  std::vector<std::unique_ptr<PhysicalOperator>> copies;  // one, or one per thread
  std::shared_ptr<ScanMorsels> morsels;                    // shared by the copies' scans; null for one
};

// The physical plan of `plan`, as several copies splitting its table scan when its rows stream
// from the scan of a table of at least kParallelScanMinRows live rows, the inputs each copy
// reads whole (join build sides) read at most a quarter as many rows, and none of its
// expressions holds a subquery, a volatile function or a column of an enclosing query; else one.
PipelineCopies PlanPipelineCopies(const LogicalOp& plan);

// GROUP BY / aggregates / DISTINCT over `input`: a ParallelAggregateOp when the input splits and
// the aggregates' states merge (HashAggregateOp::Mergeable), else one HashAggregateOp.
std::unique_ptr<PhysicalOperator> PlanHashAggregate(const LogicalOp& input, std::vector<BoundExprPtr> groups,
                                                    std::vector<AggregateCall> aggregates, std::vector<LogicalType> types);

// The rows of `input` in `keys` order (only the first `limit` when limit >= 0: top-N). When the
// input splits, each copy collects its rows (a top-N its best ones) and a ParallelSortOp sorts
// them together.
std::unique_ptr<PhysicalOperator> PlanSort(const LogicalOp& input, const std::vector<OrderKey>& keys, int64_t limit);

}  // namespace lyt
