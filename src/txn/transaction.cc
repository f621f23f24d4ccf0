#include "txn/transaction.h"

#include <algorithm>

#include "catalog/catalog.h"

namespace lyt {

Transaction::~Transaction() { ForgetTables(); }

void Transaction::Touch(TableEntry& table) {
  if (std::find(tables_.begin(), tables_.end(), &table) != tables_.end()) return;
  tables_.push_back(&table);
  table.storage().open_writers().fetch_add(1);
}

void Transaction::ForgetTables() {
  for (TableEntry* t : tables_) t->storage().open_writers().fetch_sub(1);
  tables_.clear();
}

UndoEntry& Transaction::NewEntry() {
  // An UPDATE logs a delete and an insert: room for a few entries at once saves the regrowth.
  if (undo_.capacity() == 0) undo_.reserve(4);
  return undo_.emplace_back();
}

void Transaction::RecordInsert(TableEntry& table, row_t first, idx_t count) {
  if (count == 0) return;
  Touch(table);
  bool after_savepoint = !savepoints_.empty() && savepoints_.back().log_position == undo_.size();
  if (!undo_.empty() && !after_savepoint) {
    UndoEntry& last = undo_.back();
    if (last.table == &table && last.is_insert && last.first + static_cast<row_t>(last.count) == first) {
      last.count += count;  // one entry per run of consecutive rows (bulk loads)
      return;
    }
  }
  UndoEntry& e = NewEntry();
  e.table = &table;
  e.is_insert = true;
  e.first = first;
  e.count = count;
}

void Transaction::RecordDelete(TableEntry& table, std::vector<row_t> rows) {
  if (rows.empty()) return;
  Touch(table);
  UndoEntry& e = NewEntry();
  e.table = &table;
  e.deleted = std::move(rows);
}

void Transaction::RecordRewrite(const TableEntry& table) {
  if (table.temporary()) return;  // session-private: never logged
  if (std::find(rewritten_.begin(), rewritten_.end(), table.id()) == rewritten_.end()) rewritten_.push_back(table.id());
}

int Transaction::FindSavepoint(const std::string& name) const {
  for (size_t i = savepoints_.size(); i-- > 0;) {
    if (savepoints_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

size_t Transaction::RewindToSavepoint(int index) {
  savepoints_.resize(static_cast<size_t>(index) + 1);
  return savepoints_.back().log_position;
}

}  // namespace lyt
