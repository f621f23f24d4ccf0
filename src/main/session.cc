#include "main/session.h"

#include <unistd.h>

#include <chrono>
#include <mutex>
#include <thread>
#include <utility>

#include "auth/authorize.h"
#include "common/datetime.h"
#include "common/error.h"
#include "durability/backup.h"
#include "main/statement_context.h"
#include "sql/parser.h"
#include "sql/redact.h"

namespace lyt {

Session::Session(Engine& engine)
    : engine_(engine),
      activity_(Catalog::kDefaultDatabase, CurrentTimestampMicros()),
      temp_tables_(std::make_unique<DatabaseEntry>(Catalog::kTempSchema)),
      system_tables_(*this),
      current_database_(Catalog::kDefaultDatabase),
      rng_(std::random_device{}()),
      memory_limit_(engine.memory_limit()),
      threads_(engine.threads()) {
  info_.id = engine.sessions().NextId();
  activity_.SetInfo(info_);
  engine.sessions().Add(activity_);
}

// Temporary tables go with the session. No other session can reach them, and the open block
// (the only transaction that may hold their rows) is rolled back first, so no lock is needed.
Session::~Session() {
  if (block_) engine_.transactions().Rollback(*block_);
  temp_tables_.reset();
  engine_.sessions().Remove(activity_);
}

void Session::set_info(SessionInfo info) {
  if (info.id == 0) info.id = info_.id;
  info_ = std::move(info);
  activity_.SetInfo(info_);
}

void Session::set_current_database(std::string name) {
  current_database_ = std::move(name);
  activity_.SetDatabase(current_database_);
}

StatementContext::StatementContext(Session& s, const std::vector<Value>& p, Transaction& t)
    : session(s), txn(t), params(p), memory(s.memory_limit()) {
  functions.statement_time_us = CurrentTimestampMicros();
  functions.rng = &s.rng();
  functions.interrupt = &s.interrupt();
  functions.threads = s.threads();
  functions.rows_scanned = &s.engine().metrics().rows_scanned();
}

Binder StatementContext::MakeBinder() {
  Binder binder(catalog(), database(), params, functions, session.relations());
  if (!session.info().user.empty()) {
    binder.set_database_check([this](const std::string& name, int pos) {
      auth::CheckPrivilege(session.engine().users(), session.info().user, name, auth::Privilege::Read, pos);
    });
  }
  return binder;
}

void StatementContext::LockForWrite(TableEntry& table) {
  for (const auto& held : writer_locks) {
    if (held.first == &table) return;
  }
  writer_locks.emplace_back(&table, std::unique_lock(table.storage().writer_mutex()));
  if (!session.in_transaction_block() && !txn.has_changes()) session.engine().transactions().RefreshSnapshot(txn);
}

namespace {

// The command's name, for messages.
const char* CommandName(const ast::Statement& s) {
  using K = ast::StmtKind;
  switch (s.kind) {
    case K::Insert: return "INSERT";
    case K::Update: return "UPDATE";
    case K::Delete: return "DELETE";
    case K::Truncate: return "TRUNCATE";
    case K::Copy: return "COPY";
    case K::CreateTable: return "CREATE TABLE";
    case K::CreateDatabase: return "CREATE DATABASE";
    case K::CreateIndex: return "CREATE INDEX";
    case K::CreateView: return "CREATE VIEW";
    case K::Drop: return "DROP";
    case K::AlterTable: return "ALTER TABLE";
    case K::Explain: return "EXPLAIN";
    case K::CreateUser: return "CREATE USER";
    case K::AlterUser: return "ALTER USER";
    case K::DropUser: return "DROP USER";
    case K::Grant: return s.As<ast::GrantStmt>().revoke ? "REVOKE" : "GRANT";
    default: return "this statement";
  }
}

// Statements that change the catalog: they take the catalog lock exclusively and are refused
// inside transaction blocks.
bool ChangesSchema(const ast::Statement& s) {
  using K = ast::StmtKind;
  switch (s.kind) {
    case K::CreateTable:
    case K::CreateDatabase:
    case K::CreateIndex:
    case K::CreateView:
    case K::Drop:
    case K::AlterTable:
      return true;
    default:
      return false;
  }
}

// Statements that change users and privileges: the UserStore has no undo, so they too run only
// outside transaction blocks.
bool ChangesUsers(const ast::Statement& s) {
  using K = ast::StmtKind;
  return s.kind == K::CreateUser || s.kind == K::AlterUser || s.kind == K::DropUser || s.kind == K::Grant;
}

bool WritesRows(const ast::Statement& s) {
  using K = ast::StmtKind;
  switch (s.kind) {
    case K::Insert:
    case K::Update:
    case K::Delete:
    case K::Truncate:
      return true;
    case K::Copy: return s.As<ast::CopyStmt>().is_from;
    default: return ChangesSchema(s);
  }
}

ResultPtr Dispatch(StatementContext& ctx, ast::Statement& s) {
  using K = ast::StmtKind;
  switch (s.kind) {
    case K::Select: return ExecuteSelect(ctx, s.As<ast::SelectStmt>());
    case K::Insert: return ExecuteInsert(ctx, s.As<ast::InsertStmt>());
    case K::Update: return ExecuteUpdate(ctx, s.As<ast::UpdateStmt>());
    case K::Delete: return ExecuteDelete(ctx, s.As<ast::DeleteStmt>());
    case K::CreateTable: return ExecuteCreateTable(ctx, s.As<ast::CreateTableStmt>());
    case K::CreateDatabase: return ExecuteCreateDatabase(ctx, s.As<ast::CreateDatabaseStmt>());
    case K::CreateIndex: return ExecuteCreateIndex(ctx, s.As<ast::CreateIndexStmt>());
    case K::CreateView: return ExecuteCreateView(ctx, s.As<ast::CreateViewStmt>());
    case K::Drop: return ExecuteDrop(ctx, s.As<ast::DropStmt>());
    case K::Truncate: return ExecuteTruncate(ctx, s.As<ast::TruncateStmt>());
    case K::Use: return ExecuteUse(ctx, s.As<ast::UseStmt>());
    case K::Show: return ExecuteShow(ctx, s.As<ast::ShowStmt>());
    case K::Describe: return ExecuteDescribe(ctx, s.As<ast::DescribeStmt>());
    case K::Explain: return ExecuteExplain(ctx, s.As<ast::ExplainStmt>());
    case K::Copy: return ExecuteCopy(ctx, s.As<ast::CopyStmt>());
    case K::Set: return ExecuteSet(ctx, s.As<ast::SetStmt>());
    case K::AlterTable: return ExecuteAlterTable(ctx, s.As<ast::AlterTableStmt>());
    case K::CreateUser: return ExecuteCreateUser(ctx, s.As<ast::CreateUserStmt>());
    case K::AlterUser: return ExecuteAlterUser(ctx, s.As<ast::AlterUserStmt>());
    case K::DropUser: return ExecuteDropUser(ctx, s.As<ast::DropUserStmt>());
    case K::Grant: return ExecuteGrant(ctx, s.As<ast::GrantStmt>());
    case K::Analyze: return ExecuteAnalyze(ctx, s.As<ast::AnalyzeStmt>());
    case K::Transaction:  // handled by Session::RunTransactionControl
    case K::Checkpoint:
    case K::Backup: break;  // handled by Session::RunStatement
  }
  ThrowInternal("unknown statement");
}

}  // namespace

std::unique_ptr<QueryResult> Session::RunStatement(ast::Statement& statement, const std::vector<Value>& params) {
  if (statement.kind == ast::StmtKind::Transaction) return RunTransactionControl(statement.As<ast::TransactionStmt>());
  if (block_failed_) {
    throw Error(sqlstate::kInFailedSqlTransaction, "current transaction is aborted, commands ignored until end of transaction block");
  }
  if (statement.kind == ast::StmtKind::Checkpoint || statement.kind == ast::StmtKind::Backup) {
    return RunCheckpointOrBackup(statement);
  }
  bool schema = ChangesSchema(statement);
  bool users = ChangesUsers(statement);
  if ((schema || users) && in_block_) {
    throw Error(sqlstate::kActiveSqlTransaction,
                std::string(CommandName(statement)) +
                    " cannot run inside a transaction block (LytDB changes schemas, users and privileges outside transactions)",
                statement.pos);
  }
  std::shared_lock<std::shared_mutex> shared(engine_.catalog_lock(), std::defer_lock);
  std::unique_lock<std::shared_mutex> exclusive(engine_.catalog_lock(), std::defer_lock);
  // User statements too run alone: the log records the user list as it is at their commit.
  if (schema || users || statement.kind == ast::StmtKind::Truncate) exclusive.lock();
  else shared.lock();
  // The one authorization check (auth/authorize.h), under the catalog lock so that the databases
  // it looked at stay as they were for the statement.
  auth::Authorize(engine_.users(), engine_.catalog(), info_.user, statement, current_database_);

  if (in_block_) {
    Transaction& txn = BlockTransaction();
    if (txn.read_only() && WritesRows(statement)) {
      throw Error(sqlstate::kReadOnlySqlTransaction, std::string("cannot execute ") + CommandName(statement) + " in a read-only transaction",
                  statement.pos);
    }
    StatementContext ctx(*this, params, txn);
    return Dispatch(ctx, statement);
  }
  // Autocommit. A statement that met a row changed by a commit newer than its snapshot runs again
  // on a fresh snapshot (like PostgreSQL's READ COMMITTED re-check), a bounded number of times.
  TransactionManager& manager = engine_.transactions();
  constexpr int kMaxAttempts = 16;
  for (int attempt = 1;; ++attempt) {
    auto txn = manager.Begin();
    if (schema || users) txn->set_logs_catalog();
    StatementContext ctx(*this, params, *txn);  // outlives commit or rollback: it holds writer locks
    try {
      auto result = Dispatch(ctx, statement);
      commit_ticket_ = manager.Commit(*txn);
      return result;
    } catch (const StaleSnapshotError&) {
      manager.Rollback(*txn);
      if (attempt == kMaxAttempts) throw;
      std::this_thread::yield();
    } catch (...) {
      manager.Rollback(*txn);
      throw;
    }
  }
}

// CHECKPOINT and BACKUP take the catalog lock themselves (shared, for as long as they write), so
// they run outside the statement lock; the lock is held here only for the authorization check.
std::unique_ptr<QueryResult> Session::RunCheckpointOrBackup(const ast::Statement& statement) {
  {
    std::shared_lock<std::shared_mutex> shared(engine_.catalog_lock());
    auth::Authorize(engine_.users(), engine_.catalog(), info_.user, statement, current_database_);
  }
  bool backup = statement.kind == ast::StmtKind::Backup;
  durability::CheckpointInfo info;
  Status status = backup ? durability::WriteBackup(engine_, statement.As<ast::BackupStmt>().target, &info) : engine_.Checkpoint();
  if (!status.ok()) {
    const char* state = status.sqlstate() == sqlstate::kDiskFull ? sqlstate::kDiskFull : sqlstate::kIoError;
    throw Error(state, std::string(backup ? "backup" : "checkpoint") + " failed: " + status.message());
  }
  return QueryResult::MakeCommand(backup ? "BACKUP" : "CHECKPOINT", 0);
}

Transaction& Session::BlockTransaction() {
  if (!block_) {
    block_ = engine_.transactions().Begin();
    block_->set_read_only(block_read_only_);
  }
  return *block_;
}

void Session::EndBlock(bool commit) {
  in_block_ = false;
  block_failed_ = false;
  std::unique_ptr<Transaction> txn = std::move(block_);
  if (!txn) return;
  if (commit) commit_ticket_ = engine_.transactions().Commit(*txn);
  else engine_.transactions().Rollback(*txn);
}

std::unique_ptr<QueryResult> Session::RunTransactionControl(const ast::TransactionStmt& stmt) {
  using ast::TxnKind;
  auto require_block = [&](const char* command) {
    if (!in_block_) throw Error(sqlstate::kNoActiveSqlTransaction, std::string(command) + " can only be used in transaction blocks", stmt.pos);
  };
  auto find_savepoint = [&]() {
    int index = block_ ? block_->FindSavepoint(stmt.savepoint) : -1;
    if (index < 0) throw Error(sqlstate::kInvalidSavepoint, "savepoint \"" + stmt.savepoint + "\" does not exist", stmt.pos);
    return index;
  };
  auto refuse_if_failed = [&]() {
    if (block_failed_) {
      throw Error(sqlstate::kInFailedSqlTransaction, "current transaction is aborted, commands ignored until end of transaction block");
    }
  };
  switch (stmt.type) {
    case TxnKind::Begin:
      if (stmt.isolation == "serializable") {
        throw Error(sqlstate::kFeatureNotSupported,
                    "SERIALIZABLE isolation is not supported; LytDB provides REPEATABLE READ (snapshot isolation)", stmt.pos);
      }
      if (!in_block_) {  // BEGIN inside a block is a no-op (PostgreSQL warns)
        in_block_ = true;
        block_read_only_ = stmt.read_only;
      }
      return QueryResult::MakeCommand("BEGIN", 0);
    case TxnKind::Commit: {
      bool failed = block_failed_;
      EndBlock(!failed);
      return QueryResult::MakeCommand(failed ? "ROLLBACK" : "COMMIT", 0);
    }
    case TxnKind::Rollback:
      EndBlock(false);
      return QueryResult::MakeCommand("ROLLBACK", 0);
    case TxnKind::Savepoint:
      require_block("SAVEPOINT");
      refuse_if_failed();
      BlockTransaction().AddSavepoint(stmt.savepoint);
      return QueryResult::MakeCommand("SAVEPOINT", 0);
    case TxnKind::Release: {
      require_block("RELEASE SAVEPOINT");
      refuse_if_failed();
      int index = find_savepoint();  // throws when there is no block_
      block_->ReleaseSavepoint(index);
      return QueryResult::MakeCommand("RELEASE", 0);
    }
    case TxnKind::RollbackTo: {
      require_block("ROLLBACK TO SAVEPOINT");
      size_t position = block_->RewindToSavepoint(find_savepoint());
      engine_.transactions().RollbackTo(*block_, position);
      block_failed_ = false;
      return QueryResult::MakeCommand("ROLLBACK", 0);
    }
  }
  ThrowInternal("unknown transaction statement");
}

std::unique_ptr<QueryResult> Session::Run(std::string_view sql, const std::vector<Value>& params) {
  std::unique_ptr<QueryResult> last;
  RunEach(sql, params, [&](std::unique_ptr<QueryResult> result) { last = std::move(result); });
  return last ? std::move(last) : QueryResult::MakeCommand("", 0);
}

namespace {

// Runs `body`, turning whatever it throws into an error result (positions located in `sql`).
template <class Body>
std::unique_ptr<QueryResult> Catching(std::string_view sql, Body&& body) {
  try {
    return body();
  } catch (const Error& e) {
    return QueryResult::MakeError(ToStatus(e, sql));
  } catch (const std::bad_alloc&) {
    return QueryResult::MakeError(Status::Error(sqlstate::kOutOfMemory, "out of memory"));
  } catch (const std::exception& e) {
    return QueryResult::MakeError(Status::Error(sqlstate::kInternalError, std::string("internal error: ") + e.what()));
  }
}

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

SessionState Session::IdleState() const {
  if (!in_block_) return SessionState::Idle;
  return block_failed_ ? SessionState::IdleInTransactionAborted : SessionState::IdleInTransaction;
}

namespace {

EngineMetrics::Kind MetricsKind(const ast::Statement* statement) {
  using Kind = EngineMetrics::Kind;
  if (statement == nullptr) return Kind::kInvalid;
  switch (statement->kind) {
    case ast::StmtKind::Select: return Kind::kSelect;
    case ast::StmtKind::Insert: return Kind::kInsert;
    case ast::StmtKind::Update: return Kind::kUpdate;
    case ast::StmtKind::Delete: return Kind::kDelete;
    case ast::StmtKind::CreateTable:
    case ast::StmtKind::CreateDatabase:
    case ast::StmtKind::CreateIndex:
    case ast::StmtKind::CreateView:
    case ast::StmtKind::Drop:
    case ast::StmtKind::AlterTable:
    case ast::StmtKind::Truncate: return Kind::kDdl;
    case ast::StmtKind::Transaction: return Kind::kTransaction;
    default: return Kind::kUtility;
  }
}

}  // namespace

void Session::LogStatement(const ast::Statement* statement, std::string query, const std::string& database, int64_t started_ns,
                           const QueryResult& result) {
  QueryLogEntry entry;
  entry.finished_at_us = CurrentTimestampMicros();
  entry.session_id = info_.id;
  entry.user = info_.user;
  entry.database = database;
  entry.query = std::move(query);
  entry.duration_ms = static_cast<double>(SteadyNanos() - started_ns) / 1e6;
  engine_.metrics().RecordStatement(MetricsKind(statement), result.ok(), entry.duration_ms / 1e3);
  if (result.ok()) {
    entry.rows = result.rows_affected();
  } else {
    entry.sqlstate = result.status().sqlstate();
    entry.error = result.status().message();
  }
  engine_.query_log().Record(std::move(entry));
}

std::unique_ptr<QueryResult> Session::RunLogged(ast::Statement& statement, std::string_view sql, const std::vector<Value>& params) {
  int64_t started_ns = SteadyNanos();
  std::string database = current_database_;
  std::string text = QueryLog::TruncateQuery(sql::RedactPasswords(statement.text));
  activity_.StatementStarted(text, CurrentTimestampMicros());
  auto result = Catching(sql, [&] {
    interrupt_.Check();
    commit_ticket_ = 0;
    auto r = RunStatement(statement, params);
    // With every lock released, so that concurrent commits share one flush of the log.
    uint64_t ticket = std::exchange(commit_ticket_, 0);
    if (defer_flush_) deferred_flush_ = std::max(deferred_flush_, ticket);
    else engine_.WaitDurable(ticket);
    return r;
  });
  if (!result->ok() && in_block_) block_failed_ = true;
  activity_.StatementEnded(IdleState());
  LogStatement(&statement, std::move(text), database, started_ns, *result);
  return result;
}

void Session::RunEach(std::string_view sql, const std::vector<Value>& params,
                      const std::function<void(std::unique_ptr<QueryResult>)>& sink) {
  int64_t started_ns = SteadyNanos();
  std::vector<ast::StatementPtr> statements;
  auto parse_error = Catching(sql, [&]() -> std::unique_ptr<QueryResult> {
    statements = ParseSql(sql);
    // Fewer values than parameters fail in the binder ("there is no parameter $n"); more would
    // go unnoticed, so they fail here, before anything runs.
    if (!params.empty()) {
      int highest = HighestParameter(statements);
      if (params.size() > static_cast<size_t>(highest)) {
        throw Error(sqlstate::kUndefinedParameter, std::to_string(params.size()) + " parameter values were supplied, but the SQL takes " +
                                                      std::to_string(highest) + (highest == 1 ? " parameter" : " parameters"));
      }
    }
    return nullptr;
  });
  if (parse_error) {
    if (in_block_) block_failed_ = true;
    LogStatement(nullptr, QueryLog::TruncateQuery(sql::RedactPasswords(sql)), current_database_, started_ns, *parse_error);
    sink(std::move(parse_error));
    return;
  }
  RunParsed(statements, sql, params, sink);
}

void Session::RunParsed(const std::vector<ast::StatementPtr>& statements, std::string_view sql, const std::vector<Value>& params,
                        const std::function<void(std::unique_ptr<QueryResult>)>& sink) {
  interrupt_.Clear();
  for (const auto& s : statements) {
    auto result = RunLogged(*s, sql, params);
    bool ok = result->ok();
    sink(std::move(result));
    if (!ok) return;
  }
}

}  // namespace lyt
