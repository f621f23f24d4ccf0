// Logical rewrites applied to a bound query before physical planning.
#pragma once

#include "plan/logical_plan.h"

namespace lyt {

// Turns correlated subqueries of common shapes into joins (decorrelate.h), moves filters down
// to the tables and into join conditions (filter_pushdown.h), then removes table columns no
// operator reads (projection pushdown), in the query and in its subqueries. The plan's own
// output columns are unchanged. The rewrites may replace the root node of `plan`.
void OptimizePlan(LogicalOpPtr& plan);

}  // namespace lyt
