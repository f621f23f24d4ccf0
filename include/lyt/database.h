// Embedding API: open an in-process LytDB, connect, run SQL, read typed results batch by batch.
//
//   std::unique_ptr<lyt::Database> db;
//   lyt::Status s = lyt::Database::Open({}, &db);
//   auto conn = db->Connect();
//   auto result = conn->Query("SELECT $1::INTEGER + 1", {lyt::Value::Integer(41)});
//   while (const lyt::ResultBatch* batch = result->NextBatch()) { ... batch->GetInt64(0, row) ... }
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lyt/status.h"
#include "lyt/types.h"
#include "lyt/value.h"

namespace lyt {

class Engine;      // internal: catalog, storage, settings
class DataChunk;   // internal: one batch of column vectors
class Session;     // internal: per-connection state

struct DatabaseOptions {
  // A query that would hold more than this many bytes of intermediate state (hash tables, sort
  // buffers, materialized results) fails with SQLSTATE 53200 instead of exhausting the machine.
  // 0 means 80% of physical memory.
  uint64_t memory_limit_bytes = 0;
  // The most threads one statement's parallel operators use (large scans, aggregates, joins'
  // probe sides, top-N sorts): the default of every session's `threads` setting (SET threads).
  // 0 means one per core.
  unsigned threads = 0;
  // How many finished statements the lyt_query_log view keeps (the oldest are dropped first).
  size_t query_log_capacity = 1000;

  // --- durability (docs/durability.md)
  // The data directory: every commit goes to its write-ahead log, and Open recovers what it
  // holds. Empty: everything lives in memory and is gone when the Database is destroyed.
  std::string data_dir;
  // When a commit counts as durable. kAlways: it returns only after its log record is flushed
  // to disk (fdatasync; concurrent commits share a flush). kBatch: the log is flushed at most
  // every fsync_batch_ms; a crash can lose the commits of that last interval. kOff: flushed only
  // at checkpoints and close; a crash can lose everything since the last checkpoint.
  enum class Fsync : uint8_t { kAlways, kBatch, kOff };
  Fsync fsync = Fsync::kAlways;
  uint32_t fsync_batch_ms = 10;
  // A checkpoint is written when the log has grown by this many bytes since the last one (and,
  // in the background, right after a recovery that replayed commits), or when the last one is
  // this old and something changed since. 0 turns the trigger off.
  uint64_t checkpoint_wal_bytes = 256ull << 20;
  uint32_t checkpoint_interval_seconds = 300;
  // Write a checkpoint when the Database is destroyed (false: leave everything to the log, as a
  // crash would; the next Open replays it).
  bool checkpoint_on_close = true;
  // Receives recovery warnings (a torn write at the end of the log) and background checkpoint
  // failures; may be called from a background thread.
  std::function<void(const std::string&)> notice;
};

struct ColumnInfo {
  std::string name;
  LogicalType type;
};

// One batch of result rows (up to about 2048), stored column by column. Valid until the next call
// to QueryResult::NextBatch or the destruction of its QueryResult. Row and column indexes must be
// in range; reading a NULL cell with a typed getter returns 0 / empty.
class ResultBatch {
 public:
  size_t row_count() const;
  size_t column_count() const;
  bool IsNull(size_t column, size_t row) const;
  // Booleans, integers of every width, dates (days) and timestamps (microseconds).
  int64_t GetInt64(size_t column, size_t row) const;
  // Reals and doubles; integers are converted.
  double GetDouble(size_t column, size_t row) const;
  // Varchar and blob bytes, without a copy.
  std::string_view GetString(size_t column, size_t row) const;
  // Intervals (months, days, microseconds); a zero interval for other types.
  Interval GetInterval(size_t column, size_t row) const;
  // Any cell as an owned Value.
  Value GetValue(size_t column, size_t row) const;
  // Internal (front ends encode it): the batch's column vectors.
  const DataChunk& data() const { return *chunk_; }

 private:
  friend class QueryResult;
  const DataChunk* chunk_ = nullptr;
};

// The outcome of one statement: an error, a row set, or a count of affected rows.
// Not thread-safe; owned by the caller; independent of the Connection once returned.
class QueryResult {
 public:
  ~QueryResult();
  QueryResult(const QueryResult&) = delete;
  QueryResult& operator=(const QueryResult&) = delete;

  const Status& status() const { return status_; }
  bool ok() const { return status_.ok(); }
  // True for statements that produce a row set (SELECT, SHOW, EXPLAIN, ...), even an empty one.
  bool returns_rows() const { return returns_rows_; }
  const std::vector<ColumnInfo>& columns() const { return columns_; }
  // Rows inserted, updated, deleted or copied; for row sets the number of rows.
  int64_t rows_affected() const { return rows_affected_; }
  // PostgreSQL-style command tag: "SELECT 3", "INSERT 0 5", "CREATE TABLE", ...
  const std::string& command_tag() const { return command_tag_; }

  // The next batch of rows, or nullptr after the last one.
  const ResultBatch* NextBatch();
  // Restart reading from the first batch.
  void Rewind() { next_batch_ = 0; }

  // Internal constructors, used by the engine.
  static std::unique_ptr<QueryResult> MakeError(Status status);
  static std::unique_ptr<QueryResult> MakeCommand(std::string tag, int64_t rows_affected);
  // `tag` defaults to "SELECT <rows>".
  static std::unique_ptr<QueryResult> MakeRows(std::vector<ColumnInfo> columns,
                                               std::vector<std::unique_ptr<DataChunk>> batches, std::string tag = {});

 private:
  QueryResult();
  Status status_;
  bool returns_rows_ = false;
  std::vector<ColumnInfo> columns_;
  int64_t rows_affected_ = 0;
  std::string command_tag_;
  std::vector<std::unique_ptr<DataChunk>> batches_;
  size_t next_batch_ = 0;
  ResultBatch current_;
};

// A session: current database, settings, later transaction state. Not thread-safe (Interrupt
// aside): use one Connection per thread. Must not outlive its Database.
class Connection {
 public:
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs every statement in `sql` in order, each atomically (autocommit). Stops at the first
  // failing statement and returns its error; otherwise returns the last statement's result.
  // `params` bind to $1, $2, ... (or to ? in order). Never throws.
  std::unique_ptr<QueryResult> Query(std::string_view sql, const std::vector<Value>& params = {});

  // Query() for statements whose rows are not needed.
  Status Execute(std::string_view sql, const std::vector<Value>& params = {});

  // The database statements run in (changed with USE name or \c name in the shell).
  const std::string& current_database() const;

  // Stops the statement running in this connection, which fails with 57014 ("canceling
  // statement due to user request"), as sqlite3_interrupt does: the one call another thread may
  // make. Does nothing when no statement runs (the next one starts afresh).
  void Interrupt();

 private:
  friend class Database;
  explicit Connection(Engine& engine);
  std::unique_ptr<Session> session_;
};

// An in-process LytDB instance holding any number of named SQL databases; the first one is
// called "main". Thread-safe: many Connections may run at once.
class Database {
 public:
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Opens an in-memory instance. Fails only on invalid options.
  static Status Open(const DatabaseOptions& options, std::unique_ptr<Database>* out);

  std::unique_ptr<Connection> Connect();

 private:
  Database();
  std::unique_ptr<Engine> engine_;
};

// Statement boundaries in SQL text, following the lexer's rules for quotes and comments.
// Splits `sql` into its statements (without the terminating ';', empty ones dropped).
std::vector<std::string> SplitStatements(std::string_view sql);
// True when `sql` holds at least one statement and ends with a ';' outside quotes and comments;
// the shell uses it to know when a multi-line statement is complete.
bool IsCompleteStatement(std::string_view sql);

}  // namespace lyt
