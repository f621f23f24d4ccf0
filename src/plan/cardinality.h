// Row count estimates for logical plans, used by the physical planner to choose join build sides
// and shown by EXPLAIN.
#pragma once

#include "plan/logical_plan.h"

namespace lyt {

// A rough estimate of how many rows `op` produces (heuristics in cardinality.cc). Only relative
// sizes matter to the planner (EXPLAIN shows them as they are); it never reads table data beyond
// the live row counts.
double EstimateRows(const LogicalOp& op);

}  // namespace lyt
