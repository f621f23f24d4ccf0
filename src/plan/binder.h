// Name resolution and type checking: turns a parsed query into a logical plan whose expressions
// are typed and refer to columns by position. Throws lyt::Error (42P01, 42703, 42804, 42803, ...)
// pointing at the offending syntax.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "plan/logical_plan.h"
#include "plan/system_tables.h"
#include "sql/ast.h"

namespace lyt {

// A column visible to expressions: the table (alias) it came from and its name.
struct ScopeColumn {
  std::string table;
  std::string name;
  LogicalType type;
  // A column that a JOIN USING merged into one output column: only `table.name` reaches it, and
  // an unqualified * skips it.
  bool qualified_only = false;
  // The table's own name when `table` is an alias for it ("invalid reference" errors).
  std::string relation = {};
};

// The columns of a FROM clause (in the order of the plan's output), with a link to the scope of
// the enclosing query so correlated subqueries can see outer columns.
struct Scope {
  std::vector<ScopeColumn> columns;
  const Scope* outer = nullptr;
};

// Appends the columns `star` (* or t.*) selects from `scope`, with their names. binder_query.cc.
void ExpandStar(const ast::Star& star, const Scope& scope, std::vector<BoundExprPtr>& outputs, std::vector<std::string>& names);

// Throws 42P01 for a reference to `table`, which no column of `scope` (or its outer scopes) has.
[[noreturn]] void ThrowMissingTable(const Scope* scope, const std::string& table, int pos);

// Appends the columns of one FROM item to `scope`: types[i] named names[i] (else "column<i+1>"),
// of the table the alias names (else `default_table`), column aliases renaming the first ones.
// Throws 42P10 for too many column aliases.
void AddFromColumns(const ast::TableRef& ref, const std::string& default_table, const std::vector<LogicalType>& types,
                    const std::vector<std::string>& names, Scope& scope);

// Sets a variable back to its current value when the scope ends (also by an exception).
template <class T>
class RestoreOnExit {
 public:
  explicit RestoreOnExit(T& variable) : variable_(variable), saved_(variable) {}
  ~RestoreOnExit() { variable_ = std::move(saved_); }
  RestoreOnExit(const RestoreOnExit&) = delete;
  RestoreOnExit& operator=(const RestoreOnExit&) = delete;

 private:
  T& variable_;
  T saved_;
};

// Where an expression stands, which decides what it may contain.
struct ExprContext {
  const Scope* scope = nullptr;
  std::vector<AggregateCall>* aggregates = nullptr;  // set where aggregates are allowed
  const char* clause = "WHERE";                       // for "not allowed in" errors
  std::vector<WindowCall>* windows = nullptr;         // set where window functions are allowed
  const std::vector<ast::NamedWindow>* named_windows = nullptr;  // the SELECT's WINDOW clause
};

class Binder;

// What a session adds to the catalog's relations. Both may be null (no session: view checks, tests).
struct SessionRelations {
  DatabaseEntry* temp_tables = nullptr;         // the session's temporary tables (Catalog::kTempSchema)
  const SystemTables* system_tables = nullptr;  // lyt_sessions, lyt_query_log
};

// An aggregate call (count, sum, ...) bound into ctx.aggregates; returns the AggregateRef to it.
// Its arguments may contain aggregates only when `arg_aggregates` says where they go (a window
// aggregate over grouped rows: sum(sum(x)) OVER ()). binder_expr.cc.
BoundExprPtr BindAggregate(Binder& b, const ast::Function& f, const ExprContext& ctx,
                           std::vector<AggregateCall>* arg_aggregates = nullptr);

// A call with OVER (or a window-only function without it, which is an error): binds it into
// ctx.windows and returns the WindowRef to it. Throws 42P20 where windows are not allowed.
// binder_window.cc.
BoundExprPtr BindWindowFunction(Binder& b, const ast::Function& f, const ExprContext& ctx);
// row_number, rank, lag, ...: names that are only window functions.
bool IsWindowOnlyFunction(const std::string& name);

class Binder {
 public:
  // `database` is the session's current database; `params` are the values of $1, $2, ...;
  // `session` the session's temporary tables and system views.
  Binder(Catalog& catalog, DatabaseEntry& database, const std::vector<Value>& params, FunctionContext& context,
         SessionRelations session = {})
      : catalog_(catalog), database_(database), params_(params), function_context_(context), session_(session) {}

  // A query; `outer` is the enclosing query's scope for subqueries.
  LogicalOpPtr BindQuery(const ast::QueryNode& query, const Scope* outer = nullptr);

  // An expression over `scope`.
  BoundExprPtr BindExpr(const ast::Expr& expr, const ExprContext& ctx);
  // An expression that must be Boolean (or NULL): WHERE, HAVING, ON, CASE WHEN.
  BoundExprPtr BindCondition(const ast::Expr& expr, const ExprContext& ctx);

  // Casts `expr` to `target` for storing into a column (assignment rules), or throws 42804
  // naming `column`.
  BoundExprPtr CoerceForAssignment(BoundExprPtr expr, const LogicalType& target, const std::string& column,
                                   int pos);

  // Called by RelationDatabase with each database a statement or a view names explicitly
  // (db.table), once it is found: the session's authorization check. Unset: no check.
  void set_database_check(std::function<void(const std::string& database, int pos)> check) {
    database_check_ = std::move(check);
  }
  // The RETURNING list of INSERT/UPDATE/DELETE over `scope` (the table's columns); its output
  // names go to `names`.
  std::vector<BoundExprPtr> BindReturning(const std::vector<ast::SelectItem>& items, const Scope& scope,
                                          std::vector<std::string>& names);
  // A table (not a view), a temporary one first (Catalog::RelationDatabase); throws 42P01, and
  // 0A000 for a view or system view.
  TableEntry& ResolveTable(const ast::QualifiedName& name);
  // Whether `name` reads a view as SELECT would: a system view, or a view where no table has it.
  bool NamesView(const ast::QualifiedName& name);
  // UPDATE ... FROM and DELETE ... USING: `target`, the changed table's scan with its row ids
  // whose columns `scope` holds, joined with `from` and filtered by `where`. Appends to `scope`
  // a column for the row id that no name reaches, then `from`'s columns.
  LogicalOpPtr BindChangeJoin(LogicalOpPtr target, const ast::TableRef& from, const ast::Expr* where, Scope& scope);
  // A FROM item: its plan, its columns appended to `scope`.
  LogicalOpPtr BindTableRef(const ast::TableRef& ref, Scope& scope);
  // Whether binding resolved a name to a temporary table (CREATE VIEW refuses such queries).
  bool used_temp_tables() const { return used_temp_tables_; }
  // Evaluates a constant expression (LIMIT, DEFAULT, ...) now.
  Value EvaluateConstant(const BoundExpr& expr);

  FunctionContext& function_context() { return function_context_; }

 private:
  friend class ExprBinder;
  // FROM
  LogicalOpPtr BindBaseTable(const ast::BaseTable& ref, Scope& scope);
  LogicalOpPtr BindJoin(const ast::Join& join, Scope& scope);
  LogicalOpPtr MergeUsingColumns(LogicalOpPtr join, const std::vector<std::pair<idx_t, idx_t>>& pairs, Scope& scope,
                                 size_t left_start);
  LogicalOpPtr BindSubqueryRef(const ast::SubqueryRef& ref, Scope& scope);
  LogicalOpPtr BindValuesRef(const ast::ValuesRef& ref, Scope& scope);
  LogicalOpPtr BindFunctionRef(const ast::FunctionRef& ref, Scope& scope);
  LogicalOpPtr BindView(const ViewEntry& view, const ast::BaseTable& ref, Scope& scope);
  LogicalOpPtr BindSystemTable(SystemTableSnapshot snapshot, const ast::BaseTable& ref, Scope& scope);
  // The database holding relation `name` (Catalog::RelationDatabase with the session's temporary
  // tables); notes when that is the temporary tables.
  DatabaseEntry& RelationDatabase(const ast::QualifiedName& name);
  // Query nodes
  bool NamesSystemView(const ast::QualifiedName& name);
  LogicalOpPtr BindSelect(const ast::SelectNode& node, const Scope* outer, std::vector<std::string>& names);
  LogicalOpPtr BindSetOp(const ast::SetOpNode& node, const Scope* outer, std::vector<std::string>& names);
  LogicalOpPtr BindValues(const std::vector<std::vector<ast::ExprPtr>>& rows, const Scope* outer, int pos,
                          std::vector<std::string>& names);
  LogicalOpPtr BindQueryBody(const ast::QueryNode& query, const Scope* outer, std::vector<std::string>& names);
  LogicalOpPtr ApplyOrderLimit(const ast::QueryNode& query, LogicalOpPtr plan, const std::vector<std::string>& names,
                               const Scope* outer);
  LogicalOpPtr BindLimit(const ast::QueryNode& query, LogicalOpPtr plan);
  void BindLimitValue(const ast::Expr& expr, bool is_offset, int64_t& value, BoundExprPtr& deferred);

  Catalog& catalog_;
  DatabaseEntry& database_;
  const std::vector<Value>& params_;
  FunctionContext& function_context_;
  SessionRelations session_;  // temp_tables is null while a view's query binds: views see permanent tables only
  bool used_temp_tables_ = false;
  // Common table expressions in scope, innermost last.
  struct RecursiveTerm;
  struct CteBinding {
    std::string name;
    const ast::CommonTableExpr* cte;
    const Scope* outer;
    bool recursive = false;          // declared by WITH RECURSIVE
    RecursiveTerm* term = nullptr;   // set while its own query is bound: references read the work table
  };
  void PushCtes(const ast::QueryNode& query, const Scope* outer);
  LogicalOpPtr BindCte(size_t index);
  // WITH RECURSIVE (binder_cte.cc)
  LogicalOpPtr BindRecursiveCte(size_t index);
  LogicalOpPtr BindWorkTableRef(RecursiveTerm& term, const ast::BaseTable& ref, Scope& scope);
  std::vector<CteBinding> ctes_;
  // While binding a recursive term: why a reference to the recursive query may not stand here
  // ("an outer join", "EXCEPT", ...), or null where it may.
  const char* recursion_context_ = nullptr;
  int next_cte_id_ = 0;
  int view_depth_ = 0;
  std::function<void(const std::string& database, int pos)> database_check_;
};

}  // namespace lyt
