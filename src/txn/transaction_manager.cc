#include "txn/transaction_manager.h"

#include "catalog/catalog.h"

namespace lyt {

std::unique_ptr<Transaction> TransactionManager::Begin() {
  std::lock_guard guard(mutex_);
  active_starts_.insert(last_commit_);
  return std::make_unique<Transaction>(next_id_++, last_commit_);
}

std::unique_ptr<Transaction> TransactionManager::BeginWith(const std::function<void(version_t start)>& at_start) {
  std::lock_guard guard(mutex_);
  at_start(last_commit_);
  active_starts_.insert(last_commit_);
  return std::make_unique<Transaction>(next_id_++, last_commit_);
}

// Restamps the log entries from `from` on: inserts as never made, deletes as not made.
static void Undo(const std::vector<UndoEntry>& log, size_t from) {
  for (size_t i = log.size(); i-- > from;) {
    const UndoEntry& e = log[i];
    if (e.is_insert) e.table->storage().SetInsertVersion(e.first, e.count, kNever);
    else e.table->storage().SetDeleteVersion(e.deleted, kNever);
  }
}

uint64_t TransactionManager::Commit(Transaction& txn) {
  std::lock_guard guard(mutex_);
  uint64_t ticket = 0;
  if (txn.has_work()) {
    version_t ts = last_commit_ + 1;
    if (sink_) {
      try {
        ChangeSet changes = BuildChangeSet(txn, ts);
        if (!changes.empty()) ticket = sink_(changes);  // empty: only temporary tables changed
      } catch (...) {
        Undo(txn.undo_log(), 0);
        Finish(txn);
        throw;
      }
    }
    for (const UndoEntry& e : txn.undo_log()) {
      if (e.is_insert) e.table->storage().SetInsertVersion(e.first, e.count, ts);
      else e.table->storage().SetDeleteVersion(e.deleted, ts);
    }
    last_commit_ = ts;
  }
  Finish(txn);
  return ticket;
}

uint64_t TransactionManager::CommitEncoded(std::string_view entries, version_t* commit_ts, bool write_later) {
  std::lock_guard guard(mutex_);
  version_t ts = last_commit_ + 1;
  uint64_t ticket = 0;
  if (sink_) {
    ChangeSet changes;
    changes.commit_ts = ts;
    changes.encoded_entries = entries;
    changes.write_later = write_later;
    ticket = sink_(changes);
  }
  last_commit_ = ts;
  *commit_ts = ts;
  return ticket;
}

void TransactionManager::Rollback(Transaction& txn) {
  Undo(txn.undo_log(), 0);
  std::lock_guard guard(mutex_);
  Finish(txn);
}

void TransactionManager::RollbackTo(Transaction& txn, size_t position) {
  Undo(txn.undo_log(), position);
  txn.TruncateLog(position);
}

void TransactionManager::Finish(Transaction& txn) {
  if (txn.finished()) return;
  txn.set_finished();
  auto it = active_starts_.find(txn.snapshot().start);
  if (it != active_starts_.end()) active_starts_.erase(it);
  txn.TruncateLog(0);
  txn.ForgetTables();
}

void TransactionManager::RefreshSnapshot(Transaction& txn) {
  std::lock_guard guard(mutex_);
  auto it = active_starts_.find(txn.snapshot().start);
  // Moves the transaction's entry (reusing its node: no allocation) to the new start.
  auto node = it != active_starts_.end() ? active_starts_.extract(it) : decltype(active_starts_)::node_type();
  txn.set_snapshot_start(last_commit_);
  if (node) {
    node.value() = last_commit_;
    active_starts_.insert(std::move(node));
  } else {
    active_starts_.insert(last_commit_);
  }
}

version_t TransactionManager::OldestActiveStart() {
  std::lock_guard guard(mutex_);
  return active_starts_.empty() ? last_commit_ : *active_starts_.begin();
}

size_t TransactionManager::ActiveCount() {
  std::lock_guard guard(mutex_);
  return active_starts_.size();
}

void TransactionManager::ResetClock(version_t last_commit) {
  std::lock_guard guard(mutex_);
  last_commit_ = last_commit;
}

version_t TransactionManager::last_commit() {
  std::lock_guard guard(mutex_);
  return last_commit_;
}

void TransactionManager::SetCommitSink(CommitSink sink) {
  std::lock_guard guard(mutex_);
  sink_ = std::move(sink);
}

}  // namespace lyt
