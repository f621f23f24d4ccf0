// The one writer of the write-ahead log, with group commit.
//
// Commits append their record under the transaction manager's commit lock (Append): the bytes
// go to the current segment file with pwrite before the commit becomes visible, so a failed
// write rolls the commit back cleanly. Durability is waited for afterwards, outside every lock
// (WaitDurable): one flusher thread runs fdatasync whenever unflushed records exist and wakes all
// commits it covered, so concurrent sessions share one flush.
//
// Fsync policies: kAlways (a commit waits for its flush), kBatch (the flusher flushes at most
// every batch_ms; commits do not wait), kOff (flushes only at segment switches, checkpoints and
// close).
//
// Staged commits (Stage, WriteStaged): a commit made under a lock that should not wait for the
// disk (an event loop's key-value batch) takes its place in the log under the commit lock, like
// Append, but its bytes stay in memory until the next WriteStaged or Append writes every staged
// commit in one write. The server calls WriteStaged once per event-loop pass, so one write covers
// the batches of all the connections the pass served (as Redis writes its append-only file
// before it sleeps). A staged commit counts as durable (WhenDurable) only once it is written,
// and flushed under kAlways; tickets follow log order, so an answered ticket never leaves an
// unwritten commit before it.
//
// Segments: wal/<16 hex digits>.wal, numbered consecutively, each preallocated to segment_bytes
// so that running out of disk space shows up as a failed commit (nothing written) rather than
// as a failed flush. A commit never spans two segments.
//
// Failures: a commit whose record cannot be written fails and leaves the log as it was. A
// failed flush cannot be undone (the commit is already visible): its waiters get an error, the
// log turns broken and refuses every later commit until a checkpoint (which writes everything
// in memory and starts a new segment) succeeds; the store retries checkpoints in the background.
//
// Thread safety: `mutex_` guards every member below it; Append and Stage are also serialized by
// the caller's commit lock. The flusher holds `mutex_` only to pick its target, not while
// flushing; WriteStaged releases it while writing (writer_active_ keeps other writes out, and
// writing_ is then its own).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "durability/file.h"
#include "lyt/database.h"

namespace lyt::metrics {
class Histogram;
}

namespace lyt::durability {

struct LogOptions {
  std::string dir;  // the wal/ directory
  DatabaseOptions::Fsync fsync = DatabaseOptions::Fsync::kAlways;
  uint32_t batch_ms = 10;
  uint64_t segment_bytes = 16ull << 20;
  FileSystem* fs = &FileSystem::Posix();
  // Observes the duration of each flush (seconds); null: not measured.
  metrics::Histogram* fsync_seconds = nullptr;
};

std::string SegmentFileName(uint64_t sequence);
// The sequence number of a segment file name, or 0 when `name` is not one.
uint64_t ParseSegmentFileName(const std::string& name);

class LogWriter {
 public:
  explicit LogWriter(LogOptions options);
  ~LogWriter();  // flushes what was written, then stops the flusher
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  // Creates segment `sequence` (which must not exist) and starts the flusher.
  Status Start(uint64_t sequence);

  // Appends the records of one commit (already framed: AppendRecord) and returns its ticket.
  // Writes the staged commits first. Throws lyt::Error (53100 disk full, 58030 I/O error, or the
  // broken log's error), having written nothing of this commit that a recovery would read (if
  // staged commits could not be written, the log turns broken).
  uint64_t Append(std::string_view records);
  // Places the records of one commit in the log after every commit before it, without writing
  // them, and returns its ticket. Called under the commit lock, like Append; the caller then
  // makes sure WriteStaged runs. Throws the broken log's error.
  uint64_t Stage(std::string_view records);
  // Writes every staged commit, in one write when they fit the segment; then answers the
  // WhenDurable waiters it can. Any thread, no lock held. When another thread is writing
  // staged commits, returns at once: that writer also writes what was staged before this call.
  // A failed write turns the log broken (the staged commits are in memory only) and is returned.
  Status WriteStaged();
  // The ticket of the last staged commit while it (or one before it) is not written yet; 0 once
  // every staged commit is written. Lock-free: a batch that only read waits for this ticket, so
  // that no reply shows a change that a crash could still take back.
  uint64_t unwritten_end() const { return unwritten_end_.load(std::memory_order_acquire); }
  // Returns once the commit with `ticket` is as durable as the policy asks; true when that meant
  // waiting for a flush (kAlways). Throws lyt::Error 58030 when the flush failed.
  bool WaitDurable(uint64_t ticket);
  // The asynchronous WaitDurable: calls `done` once the commit with `ticket` is durable (OK) or
  // its flush failed (the error). When no other commit waits, the caller flushes and `done` runs
  // on its thread before this returns; otherwise `done` runs later on the flusher's thread. The
  // server uses it so that no thread sits in a wait for a group's flush.
  void WhenDurable(uint64_t ticket, std::function<void(Status)> done);
  // Writes the staged commits and flushes everything appended so far now.
  Status Flush();

  // Closes the current segment (flushed) and starts the next one; returns its number. Called
  // under the commit lock by a checkpoint, whose snapshot then precedes every record in it.
  Status StartNewSegment(uint64_t* sequence);
  // Bytes appended since the last StartNewSegment (what the store's checkpoint trigger watches).
  uint64_t bytes_since_checkpoint();
  // Refuses commits with `error` until Repaired() (a failed flush, or a change that was made in
  // memory but could not be logged).
  void MarkBroken(const Status& error);
  void Repaired();
  bool broken();

 private:
  Status OpenSegment(uint64_t sequence);  // with mutex_ held
  // With mutex_ held and no writer active: makes room for `size` more bytes in the current
  // segment (switching to the next segment or growing this one).
  Status MakeRoom(uint64_t size);
  // With mutex_ held and no writer active: writes `bytes` at the end of the log, or, failing,
  // zeroes what may have reached the file (turning the log broken if even that fails).
  Status WriteLocked(std::string_view bytes);
  // With mutex_ held and no writer active: writes the staged commits and then `records` (one
  // commit, or nothing) in one write. On failure `records` is not written and the staged commits
  // are lost (DropStaged).
  Status WriteStagedAnd(std::string_view records);
  // With mutex_ held: the staged commits were lost (a failed write): the log turns broken with
  // `error` and their tickets fail.
  void DropStaged(const Status& error);
  // With mutex_ held: how far commits count as durable under the policy.
  uint64_t durable_upto() const;
  void FlushLoop();
  bool WaitersReady() const;  // with mutex_ held
  void ReleaseWaiters();      // calls the callbacks of WhenDurable that can be answered
  // With mutex_ held (released during the fdatasync): flushes everything written so far.
  void FlushLocked(std::unique_lock<std::mutex>& lock);
  Status FlushFailure() const;  // with mutex_ held: what a commit whose flush failed is told

  const LogOptions options_;
  std::mutex mutex_;
  std::condition_variable work_;     // the flusher waits here for records or stop
  std::condition_variable flushed_;  // commits wait here for their flush
  std::shared_ptr<File> file_;
  uint64_t sequence_ = 0;
  uint64_t offset_ = 0;          // where the next record goes in the current segment
  uint64_t allocated_ = 0;       // bytes preallocated in the current segment
  uint64_t written_ = 0;         // tickets: bytes appended, ever (and staged bytes lost to a failed write)
  std::string staged_;           // staged commits, not yet written; their tickets follow written_ + in_flight_
  std::string writing_;          // the staged commits WriteStaged is writing (mutex_ released)
  uint64_t in_flight_ = 0;       // writing_.size() while it is written
  bool writer_active_ = false;   // a WriteStaged runs: Append and StartNewSegment wait for it
  std::condition_variable writer_done_;
  uint64_t flushed_upto_ = 0;    // bytes known durable
  uint64_t segment_start_ = 0;   // written_ when the current segment began
  uint64_t checkpoint_start_ = 0;
  Status broken_;                // not ok: commits are refused
  uint64_t failed_from_ = ~uint64_t(0);  // tickets above this wait in vain: their flush failed
  bool stop_ = false;
  bool flushing_ = false;        // a flush runs (its leader has released mutex_)
  std::multimap<uint64_t, std::function<void(Status)>> waiters_;  // WhenDurable, by ticket
  std::atomic<uint64_t> unwritten_end_{0};  // written under mutex_, read without it
  std::thread flusher_;
};

}  // namespace lyt::durability
