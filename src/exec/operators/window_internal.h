// Shared pieces of the window operator (window.cc) and its function evaluation
// (window_functions.cc).
#pragma once

#include "exec/operators/row_compare.h"
#include "plan/logical_plan.h"

namespace lyt {

// One partition of the rows in window order. Indices are partition-relative: row i is
// batches[RowBatch(rows[i])] at RowIndex(rows[i]); its peers (rows with equal ORDER BY keys; all
// rows without ORDER BY) are [peer_start[i], peer_end[i]).
struct WindowPartition {
  const Batches& batches;
  const RowId* rows;
  idx_t size;
  const idx_t* peer_start;
  const idx_t* peer_end;

  const Vector& Column(idx_t column, idx_t i) const { return batches[RowBatch(rows[i])]->column(column); }
  sel_t Row(idx_t i) const { return RowIndex(rows[i]); }
};

// Where one call's results go: column `column` of the result batches, which parallel the input
// batches row for row.
struct WindowResults {
  Batches& batches;
  idx_t column;

  Vector& At(RowId id) const { return batches[RowBatch(id)]->column(column); }
  void SetNull(RowId id) const { At(id).SetNull(RowIndex(id)); }
  template <class T>
  void Set(RowId id, T value) const {
    Vector& v = At(id);
    v.SetNull(RowIndex(id), false);
    v.data<T>()[RowIndex(id)] = value;
  }
  // Copies row i of the partition's `column` (NULL included) as the result of the row `id`.
  void CopyFrom(RowId id, const WindowPartition& p, idx_t column, idx_t i) const {
    sel_t src = p.Row(i);
    At(id).CopyFrom(p.Column(column, i), &src, 1, RowIndex(id));
  }
};

// Evaluates `call` (its expressions are columns of the batches) over one partition.
// Throws 22014/22016 for a non-positive ntile/nth_value argument, 22003 on SUM overflow.
void EvaluateWindowCall(const WindowCall& call, const WindowPartition& p, const WindowResults& out);

}  // namespace lyt
