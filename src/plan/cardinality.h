// Row count estimates for logical plans, used by the physical planner to choose join build sides.
#pragma once

#include "plan/logical_plan.h"

namespace lyt {

// A rough estimate of how many rows `op` produces (heuristics in cardinality.cc). Only relative
// sizes matter to its callers; it never reads table data beyond the live row counts.
double EstimateRows(const LogicalOp& op);

}  // namespace lyt
