// Vectorized evaluation of bound expressions over batches.
#pragma once

#include "common/vector.h"
#include "exec/exec_context.h"
#include "plan/bound_expr.h"

namespace lyt {

class ExpressionExecutor {
 public:
  // Computes `expr` for rows sel[0..count) of `input` (0..count when sel is null) into the same
  // row positions of `out`, which has the expression's type and the input's capacity. Rows
  // outside the selection are left untouched. Throws lyt::Error on run-time errors (overflow,
  // division by zero, bad casts) of selected rows only.
  static void Execute(const BoundExpr& expr, const DataChunk& input, const sel_t* sel, idx_t count, Vector& out,
                      ExecContext& ctx);

  // Filters: writes to `out_sel` the selected rows for which the Boolean `expr` is true (NULL and
  // false drop the row), in order, and returns how many.
  static idx_t Select(const BoundExpr& expr, const DataChunk& input, const sel_t* sel, idx_t count, sel_t* out_sel,
                      ExecContext& ctx);

  // Evaluates an expression that reads no columns (constants, casts of constants, now()).
  static Value EvaluateScalar(const BoundExpr& expr, FunctionContext& functions);
  // The same within a running statement, so the expression may hold uncorrelated subqueries.
  static Value EvaluateScalar(const BoundExpr& expr, ExecContext& ctx);
};

}  // namespace lyt
