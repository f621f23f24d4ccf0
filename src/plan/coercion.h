// Type coercion used while binding: inserting casts and finding the common type of operands.
#pragma once

#include <vector>

#include "plan/bound_expr.h"

namespace lyt {

// `expr` converted to `target`: itself when the type already matches, a folded constant for
// constants (cast errors surface now), else a Cast node.
BoundExprPtr Coerce(BoundExprPtr expr, const LogicalType& target);

// The type a list of operands is unified to (CASE results, IN lists, UNION columns, COALESCE,
// comparison sides): the common type of the typed operands; untyped string literals and NULLs
// follow the others; all untyped gives TEXT. Throws 42804 naming `what` when there is none.
LogicalType UnifyTypes(const std::vector<const BoundExpr*>& operands, const char* what, int pos);
LogicalType UnifyTypes(const std::vector<LogicalType>& types, const char* what, int pos);

// Whether `expr` is an untyped string literal or NULL whose type is still open.
bool IsUntyped(const BoundExpr& expr);

}  // namespace lyt
