// Expressions after name resolution and type checking. Column references are positions in the
// input batch of the operator that evaluates them (or, with depth > 0, in the row of an
// enclosing query for correlated subqueries). Every node has a concrete result type; the binder
// has inserted the casts operators need, so evaluation never decides types.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/vector.h"
#include "exec/scalar_function.h"

namespace lyt {

struct LogicalOp;

enum class BoundKind {
  Constant,    // value
  Column,      // column, depth
  Cast,        // children[0] -> type; `explicit_cast` truncates VARCHAR(n) instead of failing
  Function,    // function(children...)
  Arith,       // arith(children[0], children[1]) or Negate(children[0])
  Compare,     // compare(children[0], children[1]) -> Boolean
  And,         // children... (3-valued)
  Or,          // children... (3-valued)
  Not,         // children[0]
  IsNull,      // children[0] IS NULL (negated: IS NOT NULL)
  IsDistinct,  // children[0] IS DISTINCT FROM children[1] (negated: IS NOT DISTINCT FROM)
  Like,        // children[0] LIKE children[1] [ESCAPE escape] (negated, case_insensitive)
  Case,        // children: when0, then0, when1, then1, ..., else
  InList,      // children[0] IN (children[1..]) (negated)
  Coalesce,    // first non-null of children
  Concat,      // children[0] || children[1] (both Varchar or both Blob)
  Subquery,    // subquery_kind over `subplan`; IN/ANY/ALL compare children[0]
  AggregateRef,  // binder-internal: the index'th aggregate of the enclosing SELECT
  WindowRef,     // binder-internal: the index'th window call of the enclosing SELECT
};

enum class ArithOp { Add, Subtract, Multiply, Divide, Modulo, Negate };
enum class CompareOp { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual };
enum class SubqueryKind { Scalar, Exists, In, Any, All };

struct BoundExpr;
using BoundExprPtr = std::unique_ptr<BoundExpr>;

// The plan of a subquery, shared by copies of the expression. `correlated` when it reads columns
// of enclosing queries (Column nodes with depth >= 1 inside it).
struct SubqueryPlan {
  std::unique_ptr<LogicalOp> plan;
  bool correlated = false;
  bool optimized = false;  // OptimizePlan already ran on `plan`
};

struct BoundExpr {
  BoundKind kind;
  LogicalType type;
  std::vector<BoundExprPtr> children;

  Value value;                       // Constant
  bool untyped_literal = false;      // Constant: a string literal whose type is still open
  idx_t column = 0;                  // Column / AggregateRef / WindowRef index
  int depth = 0;                     // Column: 0 = this query, n = n levels out
  ArithOp arith = ArithOp::Add;
  CompareOp compare = CompareOp::Equal;
  const ScalarFunction* function = nullptr;
  bool negated = false;
  bool case_insensitive = false;     // ILIKE
  bool explicit_cast = false;
  int escape = -1;                   // LIKE ... ESCAPE
  SubqueryKind subquery_kind = SubqueryKind::Scalar;
  std::shared_ptr<SubqueryPlan> subplan;
  std::string name;                  // column name / function name, for EXPLAIN

  BoundExpr(BoundKind k, LogicalType t) : kind(k), type(t) {}

  BoundExprPtr Copy() const;
  // Structural equality (same kinds, types, values, columns and children).
  bool Equals(const BoundExpr& other) const;
  std::string ToString() const;
  // Whether the expression reads no column of its own query and calls no volatile function
  // (so it can be folded to a constant).
  bool IsFoldable() const;
  // Whether any Column node (at any depth below this query) refers `levels` or more levels out.
  bool ReferencesOuter(int levels = 1) const;
};

// Whether any expression of the plan (or of its subqueries) reads a column `levels` or more
// levels out of the plan's own query.
bool PlanReferencesOuter(const LogicalOp& op, int levels);
// Whether `pred` holds for any expression (tree root) of the plan's operators: filters,
// expressions, groups, join condition, VALUES rows, aggregate arguments, orders and filters.
bool AnyPlanExpr(const LogicalOp& op, const std::function<bool(const BoundExpr&)>& pred);

// Which inputs of a join an expression over its left ++ right columns reads (left_width: how many
// left columns). Pinned: it holds a subquery, an aggregate or window reference, or a volatile
// function call, so it must stay where it is evaluated.
enum class ExprSide { None, Left, Right, Both, Pinned };
ExprSide SideOf(const BoundExpr& e, idx_t left_width);
// Subtracts `shift` from every depth-0 column (an expression over a join's right columns, made
// one over the right input itself).
void ShiftColumns(BoundExpr& e, idx_t shift);

// Sets used[c] for every depth-0 column c (below used.size()) the expression reads.
void MarkColumns(const BoundExpr& e, std::vector<bool>& used);

// The conjuncts of an AND tree (moved out of it), and back: null when there are none.
void SplitConjuncts(BoundExprPtr e, std::vector<BoundExprPtr>& out);
BoundExprPtr MakeAnd(std::vector<BoundExprPtr> conjuncts);
// Copies of every expression, in order.
std::vector<BoundExprPtr> CopyExprs(const std::vector<BoundExprPtr>& exprs);

BoundExprPtr MakeConstant(Value v);
// A node of `kind` and `type` over one or two children.
BoundExprPtr MakeNode(BoundKind kind, LogicalType type, BoundExprPtr a, BoundExprPtr b = nullptr);
BoundExprPtr MakeColumn(idx_t column, LogicalType type, std::string name = "");
BoundExprPtr MakeCast(BoundExprPtr child, LogicalType type);

const char* CompareOpSymbol(CompareOp op);
CompareOp FlipCompare(CompareOp op);  // a < b  <=>  b > a

}  // namespace lyt
