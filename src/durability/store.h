// The durable side of an engine with a data directory: recovery at open, the commit sink that
// writes the log, checkpoints (on demand, by log size and age, at close, and to repair a broken
// log), and the lock that keeps a second process off the directory.
//
// Data directory layout:
//   lytdb.lock                  held (flock) while open; holds the owner's pid
//   checkpoint-<ts>.lyt         the newest checkpoint (older ones are removed after a new one)
//   wal/<sequence>.wal          log segments from the checkpoint's first segment on
//
// Recovery: the newest checkpoint, then every later segment in order; commits at or before the
// checkpoint's timestamp are skipped. A damaged record followed by nothing valid at the end of
// the last segment is a torn write: it is cut off with a warning. Any other damage, a missing
// segment or an unknown format version stops the open with an error that names the file and the
// byte offset.
//
// Thread safety: LogCommit runs under the transaction manager's commit lock (and the caller's
// catalog lock); WaitDurable from any thread; Checkpoint takes `checkpoint_mutex_` (one at a
// time) and the catalog lock shared, so it runs beside queries and DML but not beside DDL.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "durability/checkpoint.h"
#include "durability/file.h"
#include "durability/log_writer.h"
#include "lyt/database.h"
#include "txn/change_set.h"

namespace lyt {
class Engine;
}

namespace lyt::durability {

inline constexpr const char* kLogDir = "wal";  // the log segments' directory, inside the data directory

struct StoreOptions {
  std::string dir;
  DatabaseOptions::Fsync fsync = DatabaseOptions::Fsync::kAlways;
  uint32_t fsync_batch_ms = 10;
  uint64_t checkpoint_wal_bytes = 256ull << 20;
  uint32_t checkpoint_interval_seconds = 300;
  bool checkpoint_on_close = true;
  // Only read and verify (lytdb --check): no lock taken, nothing written, no log opened.
  bool check_only = false;
  uint64_t segment_bytes = 16ull << 20;
  FileSystem* fs = &FileSystem::Posix();
  // Warnings (a torn log tail cut off) and background checkpoint failures.
  std::function<void(const std::string&)> notice;
};

// The store's options for an engine opened with `options` (`fs`: nullptr for the real file system).
StoreOptions StoreOptionsFor(const DatabaseOptions& options, FileSystem* fs = nullptr);

// What recovery found (for logs, --check and the benchmarks).
struct RecoveryReport {
  bool had_checkpoint = false;
  CheckpointInfo checkpoint;
  uint64_t segments = 0;
  uint64_t commits_replayed = 0;
  uint64_t torn_bytes = 0;
  double seconds = 0;
};

class Store {
 public:
  // Recovers the directory's contents into `engine` (which must be empty) and, unless
  // check_only, opens the log and becomes the engine's commit sink.
  static Status Open(StoreOptions options, Engine& engine, std::unique_ptr<Store>* out);
  ~Store();  // checkpoints when asked to, flushes the log, releases the lock
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The commit sink (TransactionManager::SetCommitSink).
  uint64_t LogCommit(const ChangeSet& changes);
  bool WaitDurable(uint64_t ticket);  // LogWriter::WaitDurable
  void WhenDurable(uint64_t ticket, std::function<void(Status)> done) { log_->WhenDurable(ticket, std::move(done)); }
  // Writes the commits logged with ChangeSet::write_later (LogWriter::WriteStaged); a failure
  // turns the log broken and wakes the background checkpoint that repairs it.
  void WriteStagedLog();
  uint64_t unwritten_log_end() const { return log_->unwritten_end(); }  // LogWriter::unwritten_end
  // Writes a checkpoint now and drops the log segments and checkpoint it replaces.
  Status Checkpoint();
  // Flushes every commit appended so far (whatever the fsync policy).
  Status FlushLog();

  const RecoveryReport& recovery() const { return recovery_; }
  // Bytes logged since the last checkpoint began, and whether the log refuses commits (after a
  // failed write or flush, until a checkpoint): for /v1/status, /readyz and the metrics.
  uint64_t wal_bytes_since_checkpoint() { return log_ ? log_->bytes_since_checkpoint() : 0; }
  bool log_broken() { return log_ && log_->broken(); }

 private:
  Store(StoreOptions options, Engine& engine) : options_(std::move(options)), engine_(engine) {}
  Status Lock();
  Status Recover();
  Status ReplaySegment(const std::string& path, bool last, class Replayer& replayer, version_t* last_ts);
  void RemoveOldFiles(version_t keep_checkpoint, uint64_t first_segment);
  void CheckpointLoop();
  void Notice(const std::string& message) {
    if (options_.notice) options_.notice(message);
  }

  const StoreOptions options_;
  Engine& engine_;
  int lock_fd_ = -1;
  std::unique_ptr<LogWriter> log_;
  uint64_t next_segment_ = 1;
  bool have_checkpoint_ = false;
  RecoveryReport recovery_;

  std::mutex checkpoint_mutex_;  // one checkpoint at a time; guards last_checkpoint_
  std::chrono::steady_clock::time_point last_checkpoint_;
  std::mutex loop_mutex_;        // guards stop_ and checkpoint_soon_
  std::condition_variable loop_wake_;
  bool stop_ = false;
  bool checkpoint_soon_ = false;  // recovery replayed commits: checkpoint them at once
  std::thread checkpointer_;
};

}  // namespace lyt::durability
