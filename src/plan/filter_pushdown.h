// Predicate pushdown: WHERE and ON conditions move as close to the tables as their meaning allows,
// so rows are dropped before they are joined and a WHERE equality between two FROM items becomes
// a hash join key instead of a filter over their cross product.
#pragma once

#include "plan/logical_plan.h"

namespace lyt {

// Rewrites `plan` (not inside subquery plans, which are optimized on their own). A conjunct moves:
//  * from a filter over a join into the join's input when it reads only that input and the join
//    keeps every row of that input it is given (either input of INNER / CROSS, the left of LEFT,
//    SEMI and ANTI, the right of RIGHT);
//  * from a filter over an INNER or CROSS join into the join condition when it reads both inputs
//    (a CROSS join then becomes an INNER one);
//  * from an ON condition into the input it alone reads, when that input's rows can only be
//    dropped by it (either input of INNER, the right of LEFT, SEMI and ANTI, the left of RIGHT,
//    and the left of SEMI);
//  * into a filter directly below, merging with it.
// Conjuncts that hold subqueries, aggregate or window references, or volatile calls stay put, as
// do those that read no column. Conjuncts keep their relative order at each place. The plan's
// output columns are unchanged.
// Replaces `plan` when its root itself is rewritten.
void PushDownFilters(LogicalOpPtr& plan);

}  // namespace lyt
