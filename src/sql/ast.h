// The typed syntax tree produced by the parser and consumed by the binder. Nodes own their
// children through unique_ptr; every node records the byte offset (`pos`) of its first token in
// the statement text so later stages can point errors at it. Names are stored as written for
// quoted identifiers and lower-cased for unquoted ones (PostgreSQL's folding).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lyt/types.h"
#include "lyt/value.h"

namespace lyt::ast {

// ---------------------------------------------------------------------------------------------
// Expressions

enum class ExprKind {
  Constant,        // Constant
  ColumnRef,       // ColumnRef
  Star,            // Star: `*` or `t.*` in a select list, or count(*)'s argument
  Parameter,       // Parameter: $n or ?
  Unary,           // Unary
  Binary,          // Binary
  IsNull,          // IsNull: x IS [NOT] NULL
  IsBool,          // IsBool: x IS [NOT] TRUE/FALSE, x IS [NOT] DISTINCT FROM y
  Between,         // Between
  InList,          // InList
  InSubquery,      // InSubquery
  Exists,          // Exists
  ScalarSubquery,  // ScalarSubquery
  Quantified,      // Quantified: x op ANY/ALL (subquery)
  Case,            // Case
  Cast,            // Cast: CAST(x AS t) and x::t
  Function,        // Function: calls, aggregates, window calls, EXTRACT, POSITION, SUBSTRING, TRIM
  Interval,        // Interval: INTERVAL '3 days' (reserved for date arithmetic)
};

struct Expr {
  explicit Expr(ExprKind k, int p) : kind(k), pos(p) {}
  virtual ~Expr() = default;
  ExprKind kind;
  int pos;  // byte offset of the first token

  template <class T> T& As() { return static_cast<T&>(*this); }
  template <class T> const T& As() const { return static_cast<const T&>(*this); }
};
using ExprPtr = std::unique_ptr<Expr>;

struct Constant : Expr {
  // Integer literals are Integer when they fit in int32, else BigInt, else Double (as
  // PostgreSQL: they become NUMERIC). Decimal literals (1.5, 1e3) are Double. String literals
  // are Varchar with `is_string_literal` set: their type is "unknown" until context decides
  // (PostgreSQL's rule, so '2024-01-01' compares with a DATE). TRUE/FALSE are Boolean, NULL is
  // the untyped null. X'..' literals are Blob.
  Constant(Value v, int p) : Expr(ExprKind::Constant, p), value(std::move(v)) {}
  Value value;
  bool is_string_literal = false;
};

struct ColumnRef : Expr {
  ColumnRef(std::vector<std::string> n, int p) : Expr(ExprKind::ColumnRef, p), names(std::move(n)) {}
  // [column], [table, column] or [database, table, column].
  std::vector<std::string> names;
};

struct Star : Expr {
  explicit Star(int p) : Expr(ExprKind::Star, p) {}
  std::string table;  // empty for a bare `*`
};

struct Parameter : Expr {
  Parameter(int i, int p) : Expr(ExprKind::Parameter, p), index(i) {}
  int index;  // 1-based; `?` placeholders are numbered left to right
};

enum class UnaryOp { Negate, Plus, Not };

struct Unary : Expr {
  Unary(UnaryOp o, ExprPtr a, int p) : Expr(ExprKind::Unary, p), op(o), operand(std::move(a)) {}
  UnaryOp op;
  ExprPtr operand;
};

enum class BinaryOp {
  Add, Subtract, Multiply, Divide, Modulo, Concat,  // + - * / % ||
  Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual,
  And, Or,
  Like, NotLike, ILike, NotILike,  // right side is the pattern; ESCAPE goes in Binary::escape
};

struct Binary : Expr {
  Binary(BinaryOp o, ExprPtr l, ExprPtr r, int p)
      : Expr(ExprKind::Binary, p), op(o), left(std::move(l)), right(std::move(r)) {}
  BinaryOp op;
  ExprPtr left, right;
  ExprPtr escape;  // LIKE ... ESCAPE 'c', else null
};

struct IsNull : Expr {
  IsNull(ExprPtr a, bool n, int p) : Expr(ExprKind::IsNull, p), operand(std::move(a)), negated(n) {}
  ExprPtr operand;
  bool negated;  // IS NOT NULL
};

// x IS [NOT] TRUE / FALSE (right == nullptr, `value` says which) or
// x IS [NOT] DISTINCT FROM y (right set).
struct IsBool : Expr {
  IsBool(int p) : Expr(ExprKind::IsBool, p) {}
  ExprPtr left;
  ExprPtr right;
  bool value = true;
  bool negated = false;
};

struct Between : Expr {
  Between(int p) : Expr(ExprKind::Between, p) {}
  ExprPtr operand, low, high;
  bool negated = false;
};

struct InList : Expr {
  InList(int p) : Expr(ExprKind::InList, p) {}
  ExprPtr operand;
  std::vector<ExprPtr> list;  // may be empty: `x IN ()` (SQLite accepts it; false)
  bool negated = false;
};

struct QueryNode;
using QueryPtr = std::unique_ptr<QueryNode>;

struct InSubquery : Expr {
  InSubquery(int p) : Expr(ExprKind::InSubquery, p) {}
  ExprPtr operand;
  QueryPtr query;
  bool negated = false;
};

struct Exists : Expr {
  Exists(int p) : Expr(ExprKind::Exists, p) {}
  QueryPtr query;
  bool negated = false;
};

struct ScalarSubquery : Expr {
  ScalarSubquery(int p) : Expr(ExprKind::ScalarSubquery, p) {}
  QueryPtr query;
};

struct Quantified : Expr {
  Quantified(int p) : Expr(ExprKind::Quantified, p) {}
  BinaryOp op = BinaryOp::Equal;  // a comparison operator
  bool all = false;               // ALL, else ANY/SOME
  ExprPtr operand;
  QueryPtr query;
};

struct Case : Expr {
  Case(int p) : Expr(ExprKind::Case, p) {}
  ExprPtr operand;  // CASE x WHEN ...; null for searched CASE
  struct When {
    ExprPtr condition;
    ExprPtr result;
  };
  std::vector<When> whens;
  ExprPtr else_result;  // null means ELSE NULL
};

struct Cast : Expr {
  Cast(ExprPtr a, LogicalType t, int p) : Expr(ExprKind::Cast, p), operand(std::move(a)), type(t) {}
  ExprPtr operand;
  LogicalType type;
};

struct OrderItem {
  ExprPtr expr;  // an expression, an output column alias, or an integer ordinal
  bool descending = false;
  // NULLS FIRST / LAST; unset means PostgreSQL's default (NULLS LAST for ASC, FIRST for DESC).
  std::optional<bool> nulls_first;
};

// A window frame: {ROWS | RANGE | GROUPS} BETWEEN start AND end (a lone start means AND CURRENT
// ROW). Offsets (`n PRECEDING`, `n FOLLOWING`) keep their expression; the binder checks them.
enum class FrameUnit { Rows, Range, Groups };
enum class FrameBoundKind { UnboundedPreceding, Preceding, CurrentRow, Following, UnboundedFollowing };

struct FrameBound {
  FrameBoundKind kind = FrameBoundKind::UnboundedPreceding;
  ExprPtr offset;  // Preceding / Following only
  int pos = 0;
};

struct WindowFrame {
  FrameUnit unit = FrameUnit::Range;
  FrameBound start;
  FrameBound end;
  int pos = 0;
};

// A window specification: OVER (PARTITION BY ... ORDER BY ... [frame]), OVER name, or
// OVER (name ORDER BY ... [frame]) building on a window of the SELECT's WINDOW clause.
struct WindowSpec {
  std::string base;       // the named window referred to; empty when none
  bool copy = false;      // OVER (name ...) rather than OVER name
  int pos = 0;
  std::vector<ExprPtr> partition_by;
  std::vector<OrderItem> order_by;
  // Null means the default frame: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (the whole
  // partition when there is no ORDER BY, since every row is then a peer of every other).
  std::unique_ptr<WindowFrame> frame;
};

// A function call. Lower-cased name. Special syntaxes are desugared by the parser:
//   count(*)                       -> name "count", star = true, no args
//   EXTRACT(field FROM x)          -> name "extract", args [Constant 'field' (lower-case), x]
//   POSITION(a IN b)               -> name "position", args [a, b]
//   SUBSTRING(x FROM a [FOR b])    -> name "substring", args [x, a] or [x, a, b]
//   TRIM([BOTH|LEADING|TRAILING] [c] FROM x) -> name "btrim"/"ltrim"/"rtrim", args [x] or [x, c]
//   COALESCE/NULLIF/GREATEST/LEAST -> ordinary calls with those names
//   CURRENT_DATE / CURRENT_TIMESTAMP / LOCALTIMESTAMP -> calls with those lower-case names, no args
struct Function : Expr {
  Function(std::string n, int p) : Expr(ExprKind::Function, p), name(std::move(n)) {}
  std::string name;
  std::vector<ExprPtr> args;
  bool distinct = false;             // count(DISTINCT x)
  bool star = false;                 // count(*)
  std::vector<OrderItem> order_by;   // string_agg(x, ',' ORDER BY y)
  ExprPtr filter;                    // agg(...) FILTER (WHERE ...)
  std::unique_ptr<WindowSpec> over;  // window call when set
};

// INTERVAL 'text' [unit], e.g. INTERVAL '3 days', INTERVAL '2' HOUR. The parser keeps the text
// and the optional unit keyword (lower-case); the binder interprets them.
struct Interval : Expr {
  Interval(std::string t, std::string u, int p) : Expr(ExprKind::Interval, p), text(std::move(t)), unit(std::move(u)) {}
  std::string text;
  std::string unit;
};

// ---------------------------------------------------------------------------------------------
// Queries

enum class TableRefKind { BaseTable, Join, Subquery, Values, Function };

struct TableRef {
  explicit TableRef(TableRefKind k, int p) : kind(k), pos(p) {}
  virtual ~TableRef() = default;
  TableRefKind kind;
  int pos;
  std::string alias;                      // empty when none
  std::vector<std::string> column_aliases;  // AS t(a, b, c)

  template <class T> T& As() { return static_cast<T&>(*this); }
  template <class T> const T& As() const { return static_cast<const T&>(*this); }
};
using TableRefPtr = std::unique_ptr<TableRef>;

// A (possibly database-qualified) object name.
struct QualifiedName {
  std::string database;  // empty: the session's current database
  std::string name;
  int pos = 0;
};

struct BaseTable : TableRef {
  explicit BaseTable(int p) : TableRef(TableRefKind::BaseTable, p) {}
  QualifiedName name;
};

// Semi and Anti are never parsed: the optimizer makes them from EXISTS / IN subqueries. They
// output the left rows that have a matching right row (Semi) or none (Anti), each once.
enum class JoinType { Inner, Left, Right, Full, Cross, Semi, Anti };

// Comma-separated FROM items are parsed as Cross joins, left-deep.
struct Join : TableRef {
  explicit Join(int p) : TableRef(TableRefKind::Join, p) {}
  JoinType type = JoinType::Inner;
  TableRefPtr left, right;
  ExprPtr on;                       // ON condition, or null
  std::vector<std::string> using_columns;  // USING (a, b)
  bool natural = false;
};

struct SubqueryRef : TableRef {
  explicit SubqueryRef(int p) : TableRef(TableRefKind::Subquery, p) {}
  QueryPtr query;
};

// VALUES (1, 'a'), (2, 'b') used as a table or as a whole query.
struct ValuesRef : TableRef {
  explicit ValuesRef(int p) : TableRef(TableRefKind::Values, p) {}
  std::vector<std::vector<ExprPtr>> rows;
};

// A function in FROM: generate_series(1, 10) AS g(n).
struct FunctionRef : TableRef {
  explicit FunctionRef(int p) : TableRef(TableRefKind::Function, p) {}
  std::string name;
  std::vector<ExprPtr> args;
};

struct SelectItem {
  ExprPtr expr;       // may be a Star
  std::string alias;  // empty when none
};

enum class QueryKind { Select, SetOp, Values };

struct CommonTableExpr {
  std::string name;
  std::vector<std::string> column_names;
  QueryPtr query;
  int pos = 0;
};

// A query expression: a SELECT block, a set operation of two queries, or a VALUES list, with
// its own ORDER BY / LIMIT / OFFSET and WITH clause.
struct QueryNode {
  explicit QueryNode(QueryKind k, int p) : kind(k), pos(p) {}
  virtual ~QueryNode() = default;
  QueryKind kind;
  int pos;
  std::vector<CommonTableExpr> ctes;
  bool recursive_ctes = false;
  std::vector<OrderItem> order_by;
  ExprPtr limit;   // null when absent (LIMIT ALL too)
  ExprPtr offset;  // null when absent

  template <class T> T& As() { return static_cast<T&>(*this); }
  template <class T> const T& As() const { return static_cast<const T&>(*this); }
};

// WINDOW name AS (spec)
struct NamedWindow {
  std::string name;
  std::unique_ptr<WindowSpec> spec;
  int pos = 0;
};

struct SelectNode : QueryNode {
  explicit SelectNode(int p) : QueryNode(QueryKind::Select, p) {}
  bool distinct = false;  // SELECT DISTINCT (SELECT ALL is the default)
  std::vector<SelectItem> select_list;
  TableRefPtr from;  // null for SELECT without FROM
  ExprPtr where;
  std::vector<ExprPtr> group_by;  // expressions, output aliases or ordinals
  ExprPtr having;
  std::vector<NamedWindow> windows;  // WINDOW clause
};

enum class SetOpType { Union, Intersect, Except };

struct SetOpNode : QueryNode {
  explicit SetOpNode(int p) : QueryNode(QueryKind::SetOp, p) {}
  SetOpType op = SetOpType::Union;
  bool all = false;
  QueryPtr left, right;
};

struct ValuesNode : QueryNode {
  explicit ValuesNode(int p) : QueryNode(QueryKind::Values, p) {}
  std::vector<std::vector<ExprPtr>> rows;
};

// ---------------------------------------------------------------------------------------------
// Statements

enum class StmtKind {
  Select, Insert, Update, Delete,
  CreateTable, CreateDatabase, CreateIndex, CreateView,
  Drop, AlterTable, Truncate,
  Use, Show, Describe, Explain, Copy, Set,
  Transaction,
  CreateUser, AlterUser, DropUser, Grant,
  Checkpoint, Backup, Analyze,
};

struct Statement {
  explicit Statement(StmtKind k, int p) : kind(k), pos(p) {}
  virtual ~Statement() = default;
  StmtKind kind;
  int pos;
  // The statement's own text (from its first token to before its ';'), filled by the parser.
  std::string text;
  // The highest parameter number ($n, or the count of `?` so far) in that text; 0 without any.
  int highest_param = 0;

  template <class T> T& As() { return static_cast<T&>(*this); }
  template <class T> const T& As() const { return static_cast<const T&>(*this); }
};
using StatementPtr = std::unique_ptr<Statement>;

struct SelectStmt : Statement {
  explicit SelectStmt(int p) : Statement(StmtKind::Select, p) {}
  QueryPtr query;
};

// Replace is SQLite's INSERT OR REPLACE / REPLACE INTO: every row conflicting on any unique
// constraint is deleted before the proposed row is inserted.
enum class ConflictAction { None, DoNothing, DoUpdate, Replace };

struct SetClause {
  std::string column;
  ExprPtr value;  // null means DEFAULT
  int pos = 0;
};

struct InsertStmt : Statement {
  explicit InsertStmt(int p) : Statement(StmtKind::Insert, p) {}
  QualifiedName table;
  std::string alias;
  std::vector<std::string> columns;  // empty: all columns in order
  // Exactly one source: VALUES rows (a null ExprPtr in a row stands for DEFAULT), a query, or
  // DEFAULT VALUES.
  std::vector<std::vector<ExprPtr>> values;
  QueryPtr query;
  bool default_values = false;
  // ON CONFLICT (cols) DO NOTHING | DO UPDATE SET ... [WHERE ...]; also SQLite's INSERT OR IGNORE
  // (DoNothing without columns) and INSERT OR REPLACE / REPLACE INTO (Replace).
  ConflictAction on_conflict = ConflictAction::None;
  std::vector<std::string> conflict_columns;
  std::vector<SetClause> conflict_set;
  ExprPtr conflict_where;
  std::vector<SelectItem> returning;
};

struct UpdateStmt : Statement {
  explicit UpdateStmt(int p) : Statement(StmtKind::Update, p) {}
  QualifiedName table;
  std::string alias;
  std::vector<SetClause> set;
  TableRefPtr from;  // UPDATE ... FROM: other tables the SET and WHERE expressions may read
  ExprPtr where;
  std::vector<SelectItem> returning;
};

struct DeleteStmt : Statement {
  explicit DeleteStmt(int p) : Statement(StmtKind::Delete, p) {}
  QualifiedName table;
  std::string alias;
  TableRefPtr from;  // DELETE ... USING: other tables the WHERE expression may read
  ExprPtr where;
  std::vector<SelectItem> returning;
};

struct ColumnDef {
  std::string name;
  LogicalType type;
  bool not_null = false;
  bool primary_key = false;
  bool unique = false;
  ExprPtr default_value;  // null when none
  std::string default_text;  // default_value as written (what the catalog keeps and the log stores)
  int pos = 0;
};

struct TableConstraint {
  enum class Kind { PrimaryKey, Unique } kind = Kind::PrimaryKey;
  std::vector<std::string> columns;
  int pos = 0;
};

struct CreateTableStmt : Statement {
  explicit CreateTableStmt(int p) : Statement(StmtKind::CreateTable, p) {}
  QualifiedName name;
  bool if_not_exists = false;
  bool temporary = false;
  std::vector<ColumnDef> columns;
  std::vector<TableConstraint> constraints;
  QueryPtr as_query;  // CREATE TABLE t AS SELECT ...
};

struct CreateDatabaseStmt : Statement {
  explicit CreateDatabaseStmt(int p) : Statement(StmtKind::CreateDatabase, p) {}
  std::string name;
  bool if_not_exists = false;
};

struct CreateIndexStmt : Statement {
  explicit CreateIndexStmt(int p) : Statement(StmtKind::CreateIndex, p) {}
  std::string name;  // may be empty: generated
  QualifiedName table;
  std::vector<OrderItem> columns;  // column expressions (plain column refs for now)
  bool unique = false;
  bool if_not_exists = false;
};

struct CreateViewStmt : Statement {
  explicit CreateViewStmt(int p) : Statement(StmtKind::CreateView, p) {}
  QualifiedName name;
  std::vector<std::string> column_names;
  QueryPtr query;
  std::string query_text;  // the view's SELECT as written, for SHOW/describe and persistence
  bool or_replace = false;
  bool if_not_exists = false;
  bool temporary = false;
};

enum class ObjectKind { Table, View, Index, Database };

struct DropStmt : Statement {
  explicit DropStmt(int p) : Statement(StmtKind::Drop, p) {}
  ObjectKind object = ObjectKind::Table;
  std::vector<QualifiedName> names;
  bool if_exists = false;
  bool cascade = false;
};

enum class AlterKind {
  AddColumn, DropColumn, RenameColumn, RenameTable, AlterColumnType,
  SetDefault, DropDefault, SetNotNull, DropNotNull,
};

struct AlterTableStmt : Statement {
  explicit AlterTableStmt(int p) : Statement(StmtKind::AlterTable, p) {}
  QualifiedName table;
  AlterKind action = AlterKind::AddColumn;
  // AddColumn: the new column. AlterColumnType: column.name and column.type. SetDefault:
  // column.name and column.default_value. DropDefault / SetNotNull / DropNotNull: column.name.
  ColumnDef column;
  std::string name;            // DropColumn / RenameColumn: the column; RenameTable: new name
  std::string new_name;        // RenameColumn
  ExprPtr using_expr;          // AlterColumnType ... USING expr (null: the column itself)
  bool if_exists = false;         // ALTER TABLE IF EXISTS
  bool if_column_exists = false;  // DROP COLUMN IF EXISTS
  bool if_not_exists = false;     // ADD COLUMN IF NOT EXISTS
  bool cascade = false;           // DROP COLUMN ... CASCADE
};

struct TruncateStmt : Statement {
  explicit TruncateStmt(int p) : Statement(StmtKind::Truncate, p) {}
  std::vector<QualifiedName> tables;
};

// CHECKPOINT: write every table to a new checkpoint file and trim the write-ahead log.
struct CheckpointStmt : Statement {
  explicit CheckpointStmt(int p) : Statement(StmtKind::Checkpoint, p) {}
};

// BACKUP TO 'dir': write a consistent copy of every database into a new data directory.
struct BackupStmt : Statement {
  explicit BackupStmt(int p) : Statement(StmtKind::Backup, p) {}
  std::string target;
};

struct UseStmt : Statement {
  explicit UseStmt(int p) : Statement(StmtKind::Use, p) {}
  std::string database;
};

// SHOW DATABASES | SHOW TABLES | SHOW <setting> | SHOW ALL | SHOW USERS | SHOW GRANTS [FOR user]
struct ShowStmt : Statement {
  explicit ShowStmt(int p) : Statement(StmtKind::Show, p) {}
  enum class What { Databases, Tables, Setting, All, Users, Grants } what = What::Tables;
  std::string setting;
  std::string user;  // SHOW GRANTS FOR user; empty without FOR
};

// DESCRIBE t / DESC t
// ANALYZE [table]: collect the planner statistics of one table, or of every table of the current
// database when `all`.
struct AnalyzeStmt : Statement {
  explicit AnalyzeStmt(int p) : Statement(StmtKind::Analyze, p) {}
  bool all = true;
  QualifiedName table;
};

struct DescribeStmt : Statement {
  explicit DescribeStmt(int p) : Statement(StmtKind::Describe, p) {}
  QualifiedName table;
};

// EXPLAIN [ANALYZE] statement | EXPLAIN (option [boolean] [, ...]) statement; the parser checks
// the options (ANALYZE, COSTS, TIMING, SUMMARY) and their values.
struct ExplainStmt : Statement {
  explicit ExplainStmt(int p) : Statement(StmtKind::Explain, p) {}
  bool analyze = false;  // run the statement and show actual rows and times
  bool costs = true;     // show each operator's estimated rows
  bool timing = true;    // ANALYZE: show each operator's time
  bool summary = true;   // ANALYZE: end with the statement's execution time
  StatementPtr statement;
};

// COPY t [(cols)] FROM 'file' | TO 'file' [WITH] (FORMAT csv, HEADER [true], DELIMITER ',',
// NULL '', QUOTE '"', ESCAPE '"'); also COPY (query) TO 'file'. Options are kept as written
// (lower-cased names; values as text, "true" when given without a value) and checked by the
// executor.
struct CopyStmt : Statement {
  explicit CopyStmt(int p) : Statement(StmtKind::Copy, p) {}
  QualifiedName table;
  std::vector<std::string> columns;
  QueryPtr query;  // COPY (query) TO
  bool is_from = true;
  std::string filename;  // STDIN/STDOUT are not supported (yet): the parser rejects them
  std::vector<std::pair<std::string, std::string>> options;
};

// SET name = value / SET name TO value / RESET name
struct SetStmt : Statement {
  explicit SetStmt(int p) : Statement(StmtKind::Set, p) {}
  std::string name;
  std::string value;  // as text; empty with `reset`
  bool reset = false;
};

enum class TxnKind { Begin, Commit, Rollback, Savepoint, Release, RollbackTo };

struct TransactionStmt : Statement {
  explicit TransactionStmt(int p) : Statement(StmtKind::Transaction, p) {}
  TxnKind type = TxnKind::Begin;
  std::string savepoint;
  std::string isolation;   // BEGIN ISOLATION LEVEL ...: "serializable", "repeatable read", ...; empty if not given
  bool read_only = false;  // BEGIN READ ONLY
};

// Users and privileges (docs/security.md). Passwords are kept as written until the handler turns
// them into verifiers; nothing prints them.

// CREATE USER name [WITH] PASSWORD 'pw' [SUPERUSER | NOSUPERUSER]
struct CreateUserStmt : Statement {
  explicit CreateUserStmt(int p) : Statement(StmtKind::CreateUser, p) {}
  std::string name;
  std::string password;  // clear text or a "SCRAM-SHA-256$..." verifier
  bool superuser = false;
};

// ALTER USER name [WITH] PASSWORD 'pw' | SUPERUSER | NOSUPERUSER | RENAME TO new_name
struct AlterUserStmt : Statement {
  explicit AlterUserStmt(int p) : Statement(StmtKind::AlterUser, p) {}
  enum class Action { Password, Superuser, NoSuperuser, Rename };
  std::string name;
  Action action = Action::Password;
  std::string password;  // Password
  std::string new_name;  // Rename
};

// DROP USER [IF EXISTS] name [, ...]
struct DropUserStmt : Statement {
  explicit DropUserStmt(int p) : Statement(StmtKind::DropUser, p) {}
  std::vector<std::string> names;
  bool if_exists = false;
};

// GRANT level ON DATABASE d TO user | REVOKE level ON DATABASE d FROM user
struct GrantStmt : Statement {
  explicit GrantStmt(int p) : Statement(StmtKind::Grant, p) {}
  bool revoke = false;
  std::string privilege;  // "read", "write" or "admin" (auth::PrivilegeFromName reads it)
  std::string database;
  std::string user;
};

}  // namespace lyt::ast
