// The in-process database instance behind lyt::Database: catalog, data, transactions, settings.
#pragma once

#include <memory>
#include <shared_mutex>

#include "auth/user_store.h"
#include "catalog/catalog.h"
#include "lyt/database.h"
#include "main/engine_metrics.h"
#include "main/query_log.h"
#include "main/session_registry.h"
#include "txn/transaction_manager.h"

namespace lyt {

namespace durability {
class FileSystem;
class Store;
}  // namespace durability
namespace kv {
class Keyspace;
class Store;
}  // namespace kv

class Engine {
 public:
  explicit Engine(const DatabaseOptions& options);
  ~Engine();

  // Opens options.data_dir (nothing to do when empty): recovers its contents into this engine,
  // which must still be empty, then logs every commit there. `fs` replaces the file system under
  // the log (fault-injection tests).
  Status OpenStorage(const DatabaseOptions& options, durability::FileSystem* fs = nullptr);
  // Returns once the commit that returned `ticket` (TransactionManager::Commit) is as durable as
  // the fsync policy asks; true when that meant waiting for a flush of the log. Throws lyt::Error
  // when its log flush failed.
  bool WaitDurable(uint64_t ticket);
  // The same without blocking: `done` runs once the commit is durable or its flush failed, on a
  // background thread or, when there is nothing to wait for, at once on the caller's.
  void WhenDurable(uint64_t ticket, std::function<void(Status)> done);
  // Logs the catalog and users as they are (after changes made outside SQL, such as the server
  // creating its first user); returns once durable. A no-op in memory.
  Status PersistCatalog();
  // CHECKPOINT: writes every table to a new checkpoint file and trims the log (no-op in memory).
  Status Checkpoint();
  // Null for an engine without a data directory.
  durability::Store* store() { return store_.get(); }

  Catalog& catalog() { return catalog_; }
  // Guards the catalog (the set of databases, tables, views and indexes and their definitions):
  // held shared by every statement that only uses it (queries, DML, COPY), for the whole
  // statement including its commit; exclusively by DDL and TRUNCATE. Row data is not guarded by
  // it: concurrent statements read and write rows under multi-version concurrency control.
  std::shared_mutex& catalog_lock() { return catalog_lock_; }
  TransactionManager& transactions() { return transactions_; }
  uint64_t memory_limit() const { return memory_limit_; }
  // The default of each session's `threads` setting (DatabaseOptions::threads; 0: one per core).
  size_t threads() const { return threads_; }
  // The users and their privileges (thread-safe on its own; see auth/user_store.h). Empty at
  // start: the server creates its first superuser.
  auth::UserStore& users() { return users_; }
  // Every live session (lyt_sessions) and the last statements run (lyt_query_log). Thread-safe.
  SessionRegistry& sessions() { return sessions_; }
  QueryLog& query_log() { return query_log_; }
  // Statement counts and latencies, log flushes, checkpoints: the engine's Prometheus metrics.
  EngineMetrics& metrics() { return metrics_; }
  // What the data takes, by component (temporary tables excepted): the tables' row data
  // (DataTable::MemoryUsage), their indexes (UniqueIndex and OrderedIndex::MemoryBytes), and the
  // key-value store (Keyspace::MemoryBytes). Takes the catalog lock (shared), so it waits for
  // running DDL, and each keyspace's lock in turn. Thread-safe.
  struct MemoryUse {
    uint64_t tables = 0;
    uint64_t indexes = 0;
    uint64_t kv = 0;
  };
  MemoryUse MemoryByComponent();
  // The key-value store behind the Redis front end: a keyspace per database (kv/store.h).
  kv::Store& kv() { return *kv_; }
  // Logs `entries`, the encoded changes the key-value commands just made to `keyspace` (whose
  // mutex the caller holds), as one commit; returns its durability ticket (0 in memory). Throws
  // lyt::Error when the log refuses the write (the changes stay in effect; the log turns broken
  // until a checkpoint writes them).
  uint64_t LogKv(kv::Keyspace& keyspace, std::string_view entries);
  // LogKv without the write: the commit takes its place in the log, but its bytes wait in memory
  // for the next WriteStagedLog (LogWriter::Stage), which the caller sees to. Its ticket is
  // answered (WhenDurable) only once written. The event loops stage their batches and write once
  // per pass.
  uint64_t StageKv(kv::Keyspace& keyspace, std::string_view entries);
  void WriteStagedLog();
  // LogWriter::unwritten_end (0 in memory): the ticket a batch that only read waits for.
  uint64_t UnwrittenLogEnd() const;

 private:
  uint64_t CommitKv(kv::Keyspace& keyspace, std::string_view entries, bool write_later);
  Catalog catalog_;
  auth::UserStore users_;
  std::shared_mutex catalog_lock_;
  TransactionManager transactions_;
  uint64_t memory_limit_;
  size_t threads_;
  SessionRegistry sessions_;
  QueryLog query_log_;
  EngineMetrics metrics_;
  std::unique_ptr<kv::Store> kv_;
  std::unique_ptr<durability::Store> store_;  // last: closed before everything it writes out
};

}  // namespace lyt
