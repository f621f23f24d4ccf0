// The pull-based, batch-at-a-time operator interface of the executor.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/vector.h"
#include "exec/exec_context.h"

namespace lyt {

struct LogicalOp;

class PhysicalOperator {
 public:
  explicit PhysicalOperator(std::vector<LogicalType> types) : types_(std::move(types)) {}
  virtual ~PhysicalOperator() = default;

  // (Re)starts the operator and its children; may be called again after the output was read
  // (correlated subqueries rerun their plan per outer row).
  virtual void Open(ExecContext& ctx) {
    for (auto& c : children_) c->Open(ctx);
  }
  // Fills `out` (initialized with types()) with the next non-empty batch, or returns false at the
  // end. The batch stays valid until the next call; consumers that keep rows copy them.
  virtual bool Next(ExecContext& ctx, DataChunk& out) = 0;

  const std::vector<LogicalType>& types() const { return types_; }
  std::vector<std::unique_ptr<PhysicalOperator>>& children() { return children_; }
  const std::vector<std::unique_ptr<PhysicalOperator>>& children() const { return children_; }

  // The child whose batches this operator turns into output one at a time, each independently of
  // the others, so that running it over part of that child's rows yields the matching part of its
  // output (parallel plans split a table scan at the bottom of such a chain); null when none.
  virtual PhysicalOperator* StreamingInput() { return nullptr; }

  // For EXPLAIN (exec/explain.h): operator name and one line of details.
  virtual std::string Name() const = 0;
  virtual std::string Details() const { return ""; }
  // The operators EXPLAIN shows below this one, each as the group of operators it stands for: by
  // default every child alone; the copies of a parallel plan as one (EXPLAIN ANALYZE adds up
  // their counts).
  virtual std::vector<std::vector<const PhysicalOperator*>> ExplainedChildren() const;

  // The logical operator PlanPhysical built this one from; null for operators it added without
  // one (a top-N sort under a LIMIT, the inner aggregation of a DISTINCT aggregate ...). Valid
  // only while that logical plan lives. EXPLAIN estimates rows from it (exec/explain.h); queries
  // do not spend the time.
  const LogicalOp* logical() const { return logical_; }
  void set_logical(const LogicalOp* op) { logical_ = op; }

 protected:
  std::vector<LogicalType> types_;
  std::vector<std::unique_ptr<PhysicalOperator>> children_;
  const LogicalOp* logical_ = nullptr;
};

// Builds the physical operator tree of an (optimized) logical plan. Each operator points at the
// logical operator it was built from (logical()). The operators get copies of the plan's
// expressions: the plan can be planned again (subqueries, parallel copies) and estimated (EXPLAIN).
std::unique_ptr<PhysicalOperator> PlanPhysical(const LogicalOp& plan);
// The same for a plan that is run once and then dropped: the expressions of its scans, filters
// and projections are moved into the operators rather than copied, so that afterwards only the
// plan's types and shape may be read (not its expressions, nor its estimates through logical()).
std::unique_ptr<PhysicalOperator> PlanPhysicalOnce(LogicalOp& plan);

// Approximate bytes held by an owned batch, string bytes included (for memory accounting).
size_t OwnedBytes(const DataChunk& chunk);

// Runs `op` to the end, copying every row into owned batches. Reserves their memory.
std::vector<std::unique_ptr<DataChunk>> CollectAll(PhysicalOperator& op, ExecContext& ctx);

}  // namespace lyt
