// Per-connection state and the statement loop: parse, lock, run in a transaction, turn errors into
// results. Outside a transaction block every statement is its own transaction (autocommit);
// BEGIN opens a block whose transaction takes its snapshot at its first statement (as PostgreSQL
// does). An error inside a block fails the block: later statements get 25P02 until ROLLBACK (or
// ROLLBACK TO SAVEPOINT). Schema changes run only outside blocks (25001).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>
#include <utility>

#include "exec/interrupt.h"
#include "lyt/database.h"
#include "main/engine.h"
#include "main/session_info.h"
#include "main/system_views.h"
#include "plan/binder.h"
#include "sql/ast.h"

namespace lyt {

// A session is listed in its engine's SessionRegistry from construction to destruction, with a
// fresh id (info().id). Its temporary tables live in a DatabaseEntry of its own, visible to it
// alone and from every database; destruction (a client disconnecting, however) drops them.
class Session {
 public:
  explicit Session(Engine& engine);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Runs the statements of `sql` in order; see Connection::Query.
  std::unique_ptr<QueryResult> Run(std::string_view sql, const std::vector<Value>& params);
  // Runs the statements of `sql` in order and hands each result to `sink`, stopping after the
  // first error (also handed to `sink`). Front ends use it to answer statement by statement.
  void RunEach(std::string_view sql, const std::vector<Value>& params,
               const std::function<void(std::unique_ptr<QueryResult>)>& sink);
  // RunEach for statements already parsed from `sql` (ParseSql), as a prepared statement keeps
  // them: running does not change them, so they may run again.
  void RunParsed(const std::vector<ast::StatementPtr>& statements, std::string_view sql, const std::vector<Value>& params,
                 const std::function<void(std::unique_ptr<QueryResult>)>& sink);

  // With `defer`, statements do not wait for their commits' log flush: the caller takes the
  // ticket of the last commit (TakeDeferredFlush, 0: none) and must not answer before
  // Engine::WhenDurable says it is durable. The server does so, so that no thread sits in a wait.
  void set_defer_flush(bool defer) { defer_flush_ = defer; }
  uint64_t TakeDeferredFlush() { return std::exchange(deferred_flush_, 0); }

  const SessionInfo& info() const { return info_; }
  // Replaces who the session is (lyt_sessions shows it at once). An `info.id` of 0 keeps the id
  // the engine gave the session.
  void set_info(SessionInfo info);
  // Raised by another thread (CANCEL, statement timeout, shutdown) to stop the running statement.
  InterruptFlag& interrupt() { return interrupt_; }

  Engine& engine() const { return engine_; }
  const std::string& current_database() const { return current_database_; }
  void set_current_database(std::string name);
  // The session's temporary tables (Catalog::kTempSchema) and system views, for binders.
  DatabaseEntry& temp_tables() { return *temp_tables_; }
  SessionRelations relations() { return {temp_tables_.get(), &system_tables_}; }
  std::mt19937_64& rng() { return rng_; }

  // Whether a transaction block is open (BEGIN without COMMIT/ROLLBACK yet), and whether it failed.
  bool in_transaction_block() const { return in_block_; }
  bool transaction_block_failed() const { return block_failed_; }

  // Session settings (SET / SHOW): memory_limit in bytes; threads, the most threads one
  // statement's parallel operators use (0: one per core).
  uint64_t memory_limit() const { return memory_limit_; }
  void set_memory_limit(uint64_t bytes) { memory_limit_ = bytes; }
  size_t threads() const { return threads_; }
  void set_threads(size_t threads) { threads_ = threads; }

 private:
  std::unique_ptr<QueryResult> RunStatement(ast::Statement& statement, const std::vector<Value>& params);
  // RunStatement, published in the session registry and recorded in the query log; never throws.
  std::unique_ptr<QueryResult> RunLogged(ast::Statement& statement, std::string_view sql, const std::vector<Value>& params);
  // Records one finished statement (`statement` null: a text that failed to parse), its text
  // already cut by QueryLog::TruncateQuery, in the engine's query log and metrics.
  void LogStatement(const ast::Statement* statement, std::string query, const std::string& database, int64_t started_ns,
                    const QueryResult& result);
  // What the session is doing between statements.
  SessionState IdleState() const;
  std::unique_ptr<QueryResult> RunTransactionControl(const ast::TransactionStmt& stmt);
  std::unique_ptr<QueryResult> RunCheckpointOrBackup(const ast::Statement& statement);
  // The open block's transaction, begun on first use.
  Transaction& BlockTransaction();
  // Commits (or rolls back) the open block and leaves it.
  void EndBlock(bool commit);

  Engine& engine_;
  SessionInfo info_;
  SessionActivity activity_;  // what lyt_sessions shows; registered in engine_.sessions()
  std::unique_ptr<DatabaseEntry> temp_tables_;
  SessionSystemTables system_tables_;
  InterruptFlag interrupt_;
  std::string current_database_;
  std::mt19937_64 rng_;
  uint64_t memory_limit_;
  size_t threads_;
  bool in_block_ = false;
  bool block_failed_ = false;
  bool block_read_only_ = false;
  std::unique_ptr<Transaction> block_;  // null until the block's first statement
  bool defer_flush_ = false;
  uint64_t deferred_flush_ = 0;
  uint64_t commit_ticket_ = 0;          // of the statement's commit, waited for once its locks are released
};

}  // namespace lyt
