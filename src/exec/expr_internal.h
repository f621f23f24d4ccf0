// Shared pieces of the expression executor's files.
#pragma once

#include "exec/expression_executor.h"

namespace lyt {

// Calls f(row) for every selected row; the dense branch lets the compiler vectorize.
template <class F>
inline void ForRows(const sel_t* sel, idx_t count, F&& f) {
  if (sel) {
    for (idx_t i = 0; i < count; ++i) f(sel[i]);
  } else {
    for (idx_t i = 0; i < count; ++i) f(i);
  }
}

void ExecuteArith(const BoundExpr& expr, const Vector& left, const Vector* right, const sel_t* sel, idx_t count,
                  Vector& out);
void ExecuteCompare(CompareOp op, const Vector& left, const Vector& right, const sel_t* sel, idx_t count, Vector& out);
// Rows where left op right is true (not NULL).
idx_t SelectCompare(CompareOp op, const Vector& left, const Vector& right, const sel_t* sel, idx_t count, sel_t* out);
// Rows where column op constant is true; `constant` is not NULL and has the column's type.
idx_t SelectCompareConstant(CompareOp op, const Vector& column, const Value& constant, const sel_t* sel, idx_t count,
                            sel_t* out);
void ExecuteSubquery(const BoundExpr& expr, const DataChunk& input, const sel_t* sel, idx_t count, Vector& out,
                     ExecContext& ctx);
// Three-way comparison of two non-NULL values of the same physical type at rows a and b.
int CompareValues(const Vector& va, idx_t a, const Vector& vb, idx_t b);
// Three-way order of rows a and b (either may be NULL) under one ORDER BY key: NULLs go first
// or last as `nulls_first` says, DESC reverses the order of values only.
int CompareSortKey(const Vector& va, idx_t a, const Vector& vb, idx_t b, bool descending, bool nulls_first);

}  // namespace lyt
