// Join reordering: a tree of three or more relations joined by INNER (or CROSS) joins is rebuilt
// as a left-deep tree in the order estimated cheapest (plan/cardinality.h), greedily:
//   1. start from the relation with the fewest estimated rows (after its filters);
//   2. repeatedly join the relation that an equality connects to those joined so far and whose
//      join is estimated to yield the fewest rows; only when none is connected, the smallest
//      relation (a cross product);
//   3. every join condition conjunct goes to the lowest join that has all the relations it reads.
// The relations are the inputs of the maximal INNER / CROSS join tree (any other operator, an
// outer, semi or anti join included, is one relation, reordered inside on its own). A tree whose
// conditions hold subqueries or volatile calls is left as written. When the order changes, the
// top join outputs the columns in their written order (join_output), so the plan's output is
// unchanged. Runs after filter pushdown (conditions already sit on the joins) and before column
// pruning.
#pragma once

#include "plan/logical_plan.h"

namespace lyt {

// Replaces `plan` when its root itself is rewritten.
void ReorderJoins(LogicalOpPtr& plan);

}  // namespace lyt
