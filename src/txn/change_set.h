// The effect of one committed transaction in a self-contained form: tables named, values copied,
// changes in the order they were made. What the write-ahead log records and replication ships.
// Row ids are part of it so that a replay reproduces the same ids (inserted rows take ids
// first_row, first_row + 1, ...; ids left unused by rolled-back inserts are simply skipped).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/data_table.h"

namespace lyt {

class Transaction;

struct ChangeSet {
  struct Change {
    uint64_t table_id = 0;
    std::string database;
    std::string table;
    bool is_insert = false;
    row_t first_row = 0;                            // insert: id of the first row
    std::vector<std::unique_ptr<DataChunk>> rows;   // insert: every column, in batches
    std::vector<row_t> deleted;                     // delete: ids of the deleted rows
  };
  version_t commit_ts = 0;
  // Set by statements that run alone (Transaction::logs_catalog / rewritten_tables): the log
  // then records the catalog and users as they are at commit, and every row of these tables,
  // before `changes`.
  bool catalog = false;
  std::vector<uint64_t> rewritten_tables;
  std::vector<Change> changes;
  // Log entries already encoded outside the table engine (the key-value store's commands),
  // logged after everything else.
  std::string_view encoded_entries;
  // The log may keep this commit's records in memory until its next WriteStaged
  // (LogWriter::Stage): the caller then sees to it that WriteStaged runs.
  bool write_later = false;

  bool empty() const { return !catalog && rewritten_tables.empty() && changes.empty() && encoded_entries.empty(); }
};

// Gathers `txn`'s changes (reading inserted values from storage), leaving out temporary tables.
ChangeSet BuildChangeSet(const Transaction& txn, version_t commit_ts);

}  // namespace lyt
