// Hands out transactions and makes their changes visible atomically: the heart of snapshot
// isolation. A transaction sees every commit with a timestamp up to its snapshot's start and
// its own changes. Two transactions that change the same row conflict: the storage layer marks
// a row deleted by at most one open transaction, and a writer whose snapshot cannot see the
// latest version of a row it touches gets 40001 (first updater wins, so of two transactions
// writing the same row, the one that would commit later fails).
//
// Thread safety: `mutex_` guards the clock, the id counter and the set of active snapshots, and is
// held across a whole commit (change set, stamping, publishing the new timestamp), so a snapshot
// taken by Begin never sees half of a commit.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <set>

#include "txn/change_set.h"
#include "txn/transaction.h"

namespace lyt {

class TransactionManager {
 public:
  // Records a change set (the write-ahead log) and returns a ticket for its durability (see
  // Commit), 0 when there is nothing to wait for.
  using CommitSink = std::function<uint64_t(const ChangeSet&)>;

  std::unique_ptr<Transaction> Begin();
  // Begin, calling `at_start` with the new snapshot's start under the commit lock: no commit
  // happens between the snapshot and the call (a checkpoint starts a new log file there).
  std::unique_ptr<Transaction> BeginWith(const std::function<void(version_t start)>& at_start);
  // Makes txn's changes visible to later snapshots at a new commit timestamp. When a sink is set,
  // it receives the change set first (under the commit lock, in commit order; none when only
  // temporary tables changed); if it throws, the transaction is rolled back and the exception
  // propagates. Returns the sink's durability ticket: the caller waits for it after releasing
  // its locks, so that concurrent commits share one flush of the log.
  uint64_t Commit(Transaction& txn);
  // Logs `entries` (already encoded log entries, durability/log_entries.h) as a commit of their
  // own at a new timestamp, returned in *commit_ts, with nothing else to publish: the key-value
  // store's changes, which are already in effect. Returns the sink's durability ticket (0 without
  // a sink). Throws what the sink throws. `write_later`: ChangeSet::write_later.
  uint64_t CommitEncoded(std::string_view entries, version_t* commit_ts, bool write_later = false);
  // Discards every change of txn.
  void Rollback(Transaction& txn);
  // Discards txn's changes made after undo-log position `position` (ROLLBACK TO SAVEPOINT).
  void RollbackTo(Transaction& txn, size_t position);

  // Moves txn's snapshot to the latest commit. Only for a transaction that has read and written
  // nothing yet (an autocommit statement that just got the writer mutex of its table).
  void RefreshSnapshot(Transaction& txn);
  // The oldest snapshot any open transaction still reads from.
  version_t OldestActiveStart();
  size_t ActiveCount();

  // Receives the change set of every transaction that commits changes (the write-ahead log).
  void SetCommitSink(CommitSink sink);
  // Recovery only: continues the clock after the newest replayed commit.
  void ResetClock(version_t last_commit);
  version_t last_commit();

 private:
  void Finish(Transaction& txn);  // with mutex_ held

  std::mutex mutex_;
  version_t last_commit_ = 0;
  version_t next_id_ = kFirstTransactionId;
  std::multiset<version_t> active_starts_;
  CommitSink sink_;
};

}  // namespace lyt
