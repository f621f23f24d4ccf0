// Decorrelation: correlated subqueries of common shapes become joins, so their inner query runs
// once per statement instead of once per distinct outer row.
#pragma once

#include "plan/logical_plan.h"

namespace lyt {

// Rewrites, in Filter and Projection nodes of `plan` (not inside subquery plans, which are
// decorrelated when they are optimized themselves):
//  * a top-level WHERE conjunct [NOT] EXISTS (SELECT ... FROM q WHERE inner = outer [AND ...])
//    into a semi (anti) join of the filter's input with q on the equality correlations;
//  * a top-level conjunct x [NOT] IN (SELECT k FROM q WHERE ...) likewise, with x = k a join key
//    (IN) or, for NOT IN, the residual (x = k OR x IS NULL OR k IS NULL), which keeps the SQL
//    NULL semantics (a NULL on either side makes NOT IN unknown, so the row is dropped);
//  * a top-level conjunct x [NOT] IN (SELECT k ...) with an uncorrelated subquery and an x that
//    reads the filter's input: a semi (anti) join with the whole subquery on x = k (IN) or the
//    NOT IN residual above, which JoinOp runs as a null-aware hash join;
//  * a scalar (SELECT f(aggregates) FROM q WHERE inner = outer [AND ...]) without GROUP BY into
//    a left join with q grouped by the inner keys; COUNT of an empty group reads as 0.
// Correlated conjuncts other than equalities become residual join conditions (semi and anti
// joins only, and only next to at least one equality key). Anything else keeps per-row
// execution. In a filter with a subquery to rewrite, the conjuncts before the first one with a
// subquery become a filter below the joins. The plan's output columns are unchanged.
// Replaces `plan` when its root itself is rewritten.
void DecorrelateSubqueries(LogicalOpPtr& plan);

}  // namespace lyt
