// Plans that read an ordered index in its order instead of sorting or aggregating a whole table
// (exec/operators/ordered_index_scan.h): LIMIT over ORDER BY on a prefix of an index's columns,
// and a lone MIN / MAX of an index column. The physical planner tries these first; each returns
// null when the query does not qualify (and the ordinary plan is built).
#pragma once

#include <memory>

#include "exec/physical_operator.h"

namespace lyt {

// `limit`: a Limit node with a constant LIMIT over an Order node over (optionally a Projection
// over) a Filter over / a table scan. Qualifies when, after dropping keys over columns the WHERE
// fixes with `=`, the ORDER BY keys are plain columns that continue an index's `=`-fixed leading
// columns in its order, all ASC (NULLS LAST) or all DESC (NULLS FIRST), other NULL placements
// only for columns that cannot be NULL (NOT NULL, or bounded by the WHERE). Streams the index
// range in order (backwards for DESC) and stops after OFFSET + LIMIT rows passed the filters.
std::unique_ptr<PhysicalOperator> PlanIndexOrderLimit(const LogicalOp& limit);

// `aggregate`: an Aggregate without GROUP BY whose only call is MIN(col) or MAX(col) (no FILTER)
// over (optionally a Projection over) a Filter over / a table scan. Qualifies when an index's
// leading columns are fixed with `=` by the WHERE up to `col`: reads its first (MIN) or last
// (MAX) non-NULL key passing the filters. Not for MAX of a REAL, DOUBLE or INTERVAL column, whose
// equal keys may print differently (-0.0 and 0.0; '1 day' and '24 hours'), as the aggregate keeps
// the first one of the scan.
std::unique_ptr<PhysicalOperator> PlanIndexMinMax(const LogicalOp& aggregate);

}  // namespace lyt
