// One transaction: its snapshot, its id (the version its uncommitted changes carry) and its undo
// log, the ordered record of every row it inserted or deleted. Commit stamps the logged rows with
// the commit timestamp; rollback (whole, or back to a savepoint) restamps them as never
// inserted / not deleted; the change set handed to the commit sink is built from the same log.
//
// Thread safety: a transaction belongs to one session and is used by one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/data_table.h"

namespace lyt {

class TableEntry;

struct UndoEntry {
  // Stays valid while the transaction is open: DDL refuses to touch a table with uncommitted
  // changes of another transaction, and refuses to run inside a transaction block.
  TableEntry* table = nullptr;
  bool is_insert = false;
  row_t first = 0;             // insert: rows [first, first + count)
  idx_t count = 0;
  std::vector<row_t> deleted;  // delete: these rows
};

class Transaction {
 public:
  Transaction(version_t id, version_t start) : snapshot_{start, id} {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  version_t id() const { return snapshot_.txn_id; }
  const Snapshot& snapshot() const { return snapshot_; }
  // Moves the snapshot forward (TransactionManager::RefreshSnapshot only).
  void set_snapshot_start(version_t start) { snapshot_.start = start; }
  // READ ONLY transactions refuse to write (25006).
  bool read_only() const { return read_only_; }
  void set_read_only(bool value) { read_only_ = value; }

  void RecordInsert(TableEntry& table, row_t first, idx_t count);
  void RecordDelete(TableEntry& table, std::vector<row_t> rows);
  const std::vector<UndoEntry>& undo_log() const { return undo_; }
  bool has_changes() const { return !undo_.empty(); }

  // Changes the log records other than row versions, made by statements that run alone (schema
  // and user statements, TRUNCATE): the commit logs the whole catalog and user list when
  // `logs_catalog`, and every row of each rewritten table (by id).
  void set_logs_catalog() { logs_catalog_ = true; }
  bool logs_catalog() const { return logs_catalog_; }
  void RecordRewrite(const TableEntry& table);
  const std::vector<uint64_t>& rewritten_tables() const { return rewritten_; }
  // Whether committing has anything to make visible or to log.
  bool has_work() const { return !undo_.empty() || logs_catalog_ || !rewritten_.empty(); }

  // Savepoints: positions in the undo log, innermost last. Names may repeat (the newest wins).
  void AddSavepoint(std::string name) { savepoints_.push_back({std::move(name), undo_.size()}); }
  // The index of the newest savepoint called `name`, or -1.
  int FindSavepoint(const std::string& name) const;
  // Forgets savepoint `index` and every newer one.
  void ReleaseSavepoint(int index) { savepoints_.resize(static_cast<size_t>(index)); }
  // Forgets every savepoint newer than `index` and returns the log position of `index`.
  size_t RewindToSavepoint(int index);
  // Removes the log entries from `position` on (after the manager undid them).
  void TruncateLog(size_t position) { undo_.resize(position); }

  // Set once the manager committed or rolled it back.
  bool finished() const { return finished_; }
  void set_finished() { finished_ = true; }

  // Tables this transaction changed (each counted once in its open_writers()).
  const std::vector<TableEntry*>& tables() const { return tables_; }
  void ForgetTables();

 private:
  void Touch(TableEntry& table);
  UndoEntry& NewEntry();

  Snapshot snapshot_;
  bool read_only_ = false;
  bool finished_ = false;
  bool logs_catalog_ = false;
  std::vector<uint64_t> rewritten_;
  std::vector<UndoEntry> undo_;
  std::vector<TableEntry*> tables_;
  struct SavepointMark {
    std::string name;
    size_t log_position;
  };
  std::vector<SavepointMark> savepoints_;
};

}  // namespace lyt
