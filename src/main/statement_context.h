// What every statement handler gets, and the handlers themselves (one file per group).
#pragma once

#include <memory>

#include "exec/exec_context.h"
#include "lyt/database.h"
#include "main/session.h"
#include "plan/binder.h"

namespace lyt {

struct StatementContext {
  StatementContext(Session& s, const std::vector<Value>& p, Transaction& t);

  Session& session;
  Transaction& txn;  // the statement's transaction: its own (autocommit) or the open block's
  const std::vector<Value>& params;
  FunctionContext functions;
  MemoryTracker memory;
  std::vector<std::pair<TableEntry*, std::unique_lock<std::mutex>>> writer_locks;

  // Takes `table`'s writer mutex for the rest of the statement (for an autocommit statement:
  // through its commit), so constraint checks and writes of two statements do not interleave.
  // An autocommit statement that has not written yet moves its snapshot to the latest commit:
  // autocommit writers of one table then never conflict with each other. Call it before reading
  // the rows to change. Idempotent per table.
  void LockForWrite(TableEntry& table);

  Catalog& catalog() { return session.engine().catalog(); }
  DatabaseEntry& database() { return catalog().GetDatabase(session.current_database()); }
  // A binder for the current database that checks the session user's READ privilege on every
  // other database the statement names (auth/authorize.h).
  Binder MakeBinder();
  // The database holding relation `name`: the session's temporary tables first
  // (Catalog::RelationDatabase).
  DatabaseEntry& RelationDatabase(const ast::QualifiedName& name) {
    return catalog().RelationDatabase(database(), &session.temp_tables(), name);
  }
};

using ResultPtr = std::unique_ptr<QueryResult>;

// Runs a bound plan to completion, in the statement's snapshot. The plan is consumed
// (PlanPhysicalOnce): only its types may be read afterwards.
std::vector<std::unique_ptr<DataChunk>> RunPlan(StatementContext& ctx, LogicalOp& plan);
// Runs a bound plan to completion into a row result (consuming it, as RunPlan).
ResultPtr RunQueryPlan(StatementContext& ctx, LogicalOp& plan, const std::vector<std::string>& names);

ResultPtr ExecuteSelect(StatementContext& ctx, ast::SelectStmt& stmt);
ResultPtr ExecuteExplain(StatementContext& ctx, ast::ExplainStmt& stmt);
ResultPtr ExecuteInsert(StatementContext& ctx, ast::InsertStmt& stmt);
ResultPtr ExecuteUpdate(StatementContext& ctx, ast::UpdateStmt& stmt);
ResultPtr ExecuteDelete(StatementContext& ctx, ast::DeleteStmt& stmt);
ResultPtr ExecuteTruncate(StatementContext& ctx, ast::TruncateStmt& stmt);
ResultPtr ExecuteCreateTable(StatementContext& ctx, ast::CreateTableStmt& stmt);
ResultPtr ExecuteCreateDatabase(StatementContext& ctx, ast::CreateDatabaseStmt& stmt);
ResultPtr ExecuteCreateIndex(StatementContext& ctx, ast::CreateIndexStmt& stmt);
ResultPtr ExecuteCreateView(StatementContext& ctx, ast::CreateViewStmt& stmt);
ResultPtr ExecuteDrop(StatementContext& ctx, ast::DropStmt& stmt);
ResultPtr ExecuteAlterTable(StatementContext& ctx, ast::AlterTableStmt& stmt);
ResultPtr ExecuteUse(StatementContext& ctx, ast::UseStmt& stmt);
ResultPtr ExecuteShow(StatementContext& ctx, ast::ShowStmt& stmt);
ResultPtr ExecuteDescribe(StatementContext& ctx, ast::DescribeStmt& stmt);
ResultPtr ExecuteSet(StatementContext& ctx, ast::SetStmt& stmt);
ResultPtr ExecuteCopy(StatementContext& ctx, ast::CopyStmt& stmt);
ResultPtr ExecuteAnalyze(StatementContext& ctx, ast::AnalyzeStmt& stmt);  // execute_analyze.cc
// Users and privileges (execute_users.cc); SHOW USERS / SHOW GRANTS are answered by ShowUsers /
// ShowGrants from ExecuteShow.
ResultPtr ExecuteCreateUser(StatementContext& ctx, ast::CreateUserStmt& stmt);
ResultPtr ExecuteAlterUser(StatementContext& ctx, ast::AlterUserStmt& stmt);
ResultPtr ExecuteDropUser(StatementContext& ctx, ast::DropUserStmt& stmt);
ResultPtr ExecuteGrant(StatementContext& ctx, ast::GrantStmt& stmt);
ResultPtr ShowUsers(StatementContext& ctx);
ResultPtr ShowGrants(StatementContext& ctx, const ast::ShowStmt& stmt);

// Appends already-typed rows to a table after checking NOT NULL and UNIQUE for all of them
// (nothing is written when any row fails). Returns the number of rows.
int64_t InsertRows(StatementContext& ctx, TableEntry& table, const std::vector<std::unique_ptr<DataChunk>>& rows);

// Schema changes wait for no one: they refuse (55006) a table another transaction has
// uncommitted changes in. (They never run inside a transaction block themselves.)
void CheckNoOpenWriters(TableEntry& table, int pos);

// The DEFAULT of a column (NULL when it has none), bound and cast to the column's type.
BoundExprPtr BindDefault(Binder& binder, const ColumnEntry& column);

// A result of text rows, for SHOW / DESCRIBE / EXPLAIN.
ResultPtr MakeTextResult(const std::vector<std::string>& columns, const std::vector<std::vector<Value>>& rows);

}  // namespace lyt
