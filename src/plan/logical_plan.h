// The logical plan: a tree of relational operators built by the binder, rewritten by the
// optimizer and turned into physical operators by the physical planner. Each node's output is a
// list of columns (types, names); expressions refer to their input by position: for a Join, the
// left child's columns followed by the right child's.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "plan/bound_expr.h"
#include "sql/ast.h"

namespace lyt {

class TableEntry;

enum class LogicalKind {
  Get,         // scan of a table: table, column_ids, filters (over the scanned columns)
  Filter,      // exprs[0] over child 0
  Projection,  // exprs over child 0
  Aggregate,   // groups, then aggregates, over child 0
  Order,       // order over child 0 (keys are child column positions), with optional limit
  Limit,       // limit / offset
  Distinct,    // distinct rows of child 0
  Join,        // join_type, condition over left ++ right
  Values,      // rows of constant-foldable exprs (0 columns, 1 row for SELECT without FROM)
  SetOp,       // set_op / set_all over children 0 and 1 (same column types)
  RecursiveCte,  // WITH RECURSIVE cte_name: child 0 (non-recursive term) UNION [set_all] child 1
                 // (recursive term, re-run over the rows of the previous round until none)
  WorkTable,     // in a recursive term: the rows of the previous round of RecursiveCte cte_id
  Window,      // child 0's columns followed by one column per window call
  Series,      // generate_series: series = {start, stop, step}, one column of types[0]
};

enum class AggregateKind { CountStar, Count, Sum, Avg, Min, Max, StringAgg, BoolAnd, BoolOr };

// One ORDER BY key inside an aggregate call: string_agg(x, ',' ORDER BY y DESC).
struct AggregateOrder {
  BoundExprPtr expr;  // over the aggregate's input
  bool descending = false;
  bool nulls_first = false;
};

struct AggregateCall {
  AggregateKind kind;
  bool distinct = false;
  BoundExprPtr arg;        // null for CountStar
  BoundExprPtr separator;  // StringAgg: constant separator
  // StringAgg: the order its values are concatenated in (empty: input order). The binder drops
  // ORDER BY for aggregates whose result does not depend on the order.
  std::vector<AggregateOrder> order_by;
  BoundExprPtr filter;     // FILTER (WHERE ...): only rows where it is true count
  LogicalType type;        // result type
  std::string name;

  AggregateCall Copy() const;
  std::string ToString() const;
};

struct OrderKey {
  idx_t column = 0;  // position in the child's output
  bool descending = false;
  bool nulls_first = false;
};

// The row count of a LIMIT (is_offset false) or OFFSET value: NULL means none (-1 for LIMIT, 0
// for OFFSET); a negative value throws 2201W / 2201X.
int64_t LimitCount(const Value& value, bool is_offset, int pos = -1);
enum class WindowKind {
  RowNumber, Rank, DenseRank, PercentRank, CumeDist, Ntile,
  Lag, Lead, FirstValue, LastValue, NthValue,
  Aggregate,  // `aggregate` over the frame
};

// One end of a window frame, resolved: offsets are constant non-negative row counts.
struct FrameEdge {
  ast::FrameBoundKind kind = ast::FrameBoundKind::UnboundedPreceding;
  int64_t offset = 0;  // Preceding / Following
};

// A window function call: its own partitioning, ordering and frame. Every expression is over the
// Window node's input. Frames matter only to Aggregate, FirstValue, LastValue and NthValue.
struct WindowCall {
  WindowKind kind = WindowKind::RowNumber;
  AggregateCall aggregate;          // Aggregate: kind, arg, filter and result type
  std::vector<BoundExprPtr> args;   // Lag/Lead: value, offset, default; First/Last: value;
                                    // NthValue: value, n; Ntile: n
  std::vector<BoundExprPtr> partitions;
  std::vector<BoundExprPtr> order_exprs;
  std::vector<OrderKey> order;      // descending / nulls_first of each order_exprs entry
  bool rows_frame = false;          // ROWS, else RANGE (peers share frame edges)
  FrameEdge frame_start;
  FrameEdge frame_end{ast::FrameBoundKind::CurrentRow, 0};
  LogicalType type;
  std::string name;

  WindowCall Copy() const;
  // Calls `fn` on every expression of the call (arguments, filter, keys).
  void ForEachExpr(const std::function<void(BoundExprPtr&)>& fn);
  // Whether both calls partition and order rows the same way (one sort serves both).
  bool SameOrdering(const WindowCall& other) const;
  std::string ToString() const;
};

struct LogicalOp;
using LogicalOpPtr = std::unique_ptr<LogicalOp>;

struct LogicalOp {
  explicit LogicalOp(LogicalKind k) : kind(k) {}
  LogicalKind kind;
  std::vector<LogicalOpPtr> children;
  std::vector<LogicalType> types;  // output columns
  std::vector<std::string> names;

  // Get
  TableEntry* table = nullptr;
  std::vector<idx_t> column_ids;
  std::vector<BoundExprPtr> filters;  // conjuncts over the scanned columns (pushed down)
  bool emit_row_ids = false;          // an extra last BigInt column with the row id (in `types` too)

  // Filter / Projection
  std::vector<BoundExprPtr> exprs;
  // Values
  std::vector<std::vector<BoundExprPtr>> rows;
  // Series
  std::vector<Value> series;
  // Aggregate
  std::vector<BoundExprPtr> groups;
  std::vector<AggregateCall> aggregates;
  // Order / Limit (limit < 0: none)
  std::vector<OrderKey> order;
  int64_t limit = -1;
  int64_t offset = 0;
  // Limit: a LIMIT / OFFSET that is not constant (an uncorrelated scalar subquery), evaluated when
  // the query runs; it then replaces `limit` / `offset`.
  BoundExprPtr limit_expr, offset_expr;
  // Join
  ast::JoinType join_type = ast::JoinType::Inner;
  BoundExprPtr condition;
  // The output columns as positions in left ++ right (set by column pruning). Empty: every column
  // of left ++ right, or of left alone for SEMI and ANTI joins.
  std::vector<idx_t> join_output;
  // Window
  std::vector<WindowCall> windows;
  // SetOp
  ast::SetOpType set_op = ast::SetOpType::Union;
  bool set_all = false;
  // RecursiveCte / WorkTable
  int cte_id = -1;
  std::string cte_name;

  // Indented tree for EXPLAIN (logical form).
  std::string ToString(int indent = 0) const;
};

}  // namespace lyt
