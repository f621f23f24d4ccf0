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

#include "exec/interrupt.h"
#include "lyt/database.h"
#include "main/engine.h"
#include "sql/ast.h"

namespace lyt {

// Who a session is, for authorization and for the lyt_sessions view. Embedded connections leave
// `user` empty: they act with every privilege (whoever holds the process holds the data).
struct SessionInfo {
  uint64_t id = 0;               // unique per engine, assigned by the front end (0: embedded)
  std::string user;              // authenticated user name; empty: embedded, all privileges
  std::string client_address;    // "127.0.0.1:50312"; empty: embedded
  std::string application_name;  // from the client's HELLO
};

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

  const SessionInfo& info() const { return info_; }
  void set_info(SessionInfo info) { info_ = std::move(info); }
  // Raised by another thread (CANCEL, statement timeout, shutdown) to stop the running statement.
  InterruptFlag& interrupt() { return interrupt_; }

  Engine& engine() { return engine_; }
  const std::string& current_database() const { return current_database_; }
  void set_current_database(std::string name) { current_database_ = std::move(name); }
  std::mt19937_64& rng() { return rng_; }

  // Whether a transaction block is open (BEGIN without COMMIT/ROLLBACK yet), and whether it failed.
  bool in_transaction_block() const { return in_block_; }
  bool transaction_block_failed() const { return block_failed_; }

  // Session settings (SET / SHOW): memory_limit in bytes.
  uint64_t memory_limit() const { return memory_limit_; }
  void set_memory_limit(uint64_t bytes) { memory_limit_ = bytes; }

 private:
  std::unique_ptr<QueryResult> RunStatement(ast::Statement& statement, const std::vector<Value>& params);
  std::unique_ptr<QueryResult> RunTransactionControl(const ast::TransactionStmt& stmt);
  // The open block's transaction, begun on first use.
  Transaction& BlockTransaction();
  // Commits (or rolls back) the open block and leaves it.
  void EndBlock(bool commit);

  Engine& engine_;
  SessionInfo info_;
  InterruptFlag interrupt_;
  std::string current_database_;
  std::mt19937_64 rng_;
  uint64_t memory_limit_;
  bool in_block_ = false;
  bool block_failed_ = false;
  bool block_read_only_ = false;
  std::unique_ptr<Transaction> block_;  // null until the block's first statement
};

}  // namespace lyt
