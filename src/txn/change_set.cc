#include "txn/change_set.h"

#include "catalog/catalog.h"
#include "txn/transaction.h"

namespace lyt {

static void CopyInsertedRows(const UndoEntry& e, ChangeSet::Change& change) {
  const DataTable& storage = e.table->storage();
  std::vector<idx_t> all_columns(storage.types().size());
  for (idx_t c = 0; c < all_columns.size(); ++c) all_columns[c] = c;
  std::vector<row_t> ids(kVectorSize);
  for (idx_t done = 0; done < e.count;) {
    idx_t n = std::min<idx_t>(kVectorSize, e.count - done);
    for (idx_t i = 0; i < n; ++i) ids[i] = e.first + static_cast<row_t>(done + i);
    auto chunk = std::make_unique<DataChunk>(storage.types());
    storage.Fetch(ids.data(), n, all_columns, *chunk);
    change.rows.push_back(std::move(chunk));
    done += n;
  }
}

ChangeSet BuildChangeSet(const Transaction& txn, version_t commit_ts) {
  ChangeSet set;
  set.commit_ts = commit_ts;
  set.catalog = txn.logs_catalog();
  set.rewritten_tables = txn.rewritten_tables();
  for (const UndoEntry& e : txn.undo_log()) {
    if (e.table->temporary()) continue;  // session-private: not logged, not replicated
    ChangeSet::Change& change = set.changes.emplace_back();
    change.table_id = e.table->id();
    change.database = e.table->database();
    change.table = e.table->name();
    change.is_insert = e.is_insert;
    if (e.is_insert) {
      change.first_row = e.first;
      CopyInsertedRows(e, change);
    } else {
      change.deleted = e.deleted;
    }
  }
  return set;
}

}  // namespace lyt
