// What log records and checkpoints say: a stream of entries, each a change applied in order.
//
//   kCatalog     every database with its tables (id, name, columns, keys), views and indexes,
//                then every user and grant: the state after a schema or user change
//   kResetTable  table id: the table's rows are all dropped (a rewrite or TRUNCATE follows)
//   kRows        table id, row-id ranges, then the rows column by column
//   kDelete      table id, row ids deleted
//   kKvCommand   database, the words of a key-value command that changed its keyspace
//   kKvImage     database, commit timestamp: a keyspace's image follows (kKvCommand entries)
//
// A commit record's payload is the commit timestamp followed by its entries; a checkpoint is a
// kCatalog entry followed by kRows entries for every table. Encodings: docs/durability.md.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/data_table.h"
#include "txn/change_set.h"

namespace lyt {
class Catalog;
class TableEntry;
namespace auth {
class UserStore;
}
namespace kv {
class Store;
}
}  // namespace lyt

namespace lyt::durability {

enum class EntryKind : uint8_t { kCatalog = 1, kResetTable = 2, kRows = 3, kDelete = 4, kKvCommand = 5, kKvImage = 6 };

// A key-value command (kv/command.h): database, then the command's words.
void AppendKvCommand(std::string& out, std::string_view database, std::span<const std::string_view> args);
// The start of a checkpoint's image of a keyspace, taken when its last logged change had commit
// timestamp `last_commit_ts`: recovery clears the keyspace and then replays only the keyspace's
// later commands.
void AppendKvImage(std::string& out, std::string_view database, uint64_t last_commit_ts);

// At most this many rows in one kRows entry.
inline constexpr uint32_t kMaxRowsPerEntry = 65536;

// Appends entries to a byte string.
class EntryWriter {
 public:
  explicit EntryWriter(std::string& out) : out_(out) {}

  void CatalogImage(const Catalog& catalog, const auth::UserStore& users);
  void ResetTable(uint64_t table_id);
  // Rows [offset, offset+n) of `chunk`, which hold row ids `ids` (ascending).
  void Rows(uint64_t table_id, const row_t* ids, const DataChunk& chunk, idx_t offset, idx_t n);
  // The same for consecutive row ids first, first+1, ...
  void RowRun(uint64_t table_id, row_t first, const DataChunk& chunk, idx_t offset, idx_t n);
  void Delete(uint64_t table_id, const std::vector<row_t>& ids);
  // kResetTable, then every row of `table` visible to `snapshot` with its row id. Calls
  // `after_chunk` after each chunk (a checkpoint compresses and writes out there).
  void TableImage(const TableEntry& table, const Snapshot& snapshot, const std::function<void()>& after_chunk = {});

  std::string& buffer() { return out_; }

 private:
  void RowsWithRanges(uint64_t table_id, const std::vector<std::pair<row_t, uint32_t>>& ranges, const DataChunk& chunk,
                      idx_t offset, idx_t n);
  std::string& out_;
};

// The payload of the commit record of `changes`: its timestamp, then (when the change set says
// so) the catalog image and the rewritten tables' rows, then its row changes. `catalog` and
// `users` are the engine's (read under the caller's catalog lock).
void EncodeCommit(const ChangeSet& changes, const Catalog& catalog, const auth::UserStore& users, std::string& out);

// Applies entries to an engine's catalog and users during recovery (single-threaded, before any
// session exists). Rows get insert version kVisibleToAll and deletes delete version
// kVisibleToAll: after recovery there is no older snapshot to keep. Malformed input throws
// lyt::Error XX001 (data_corrupted) and may leave the catalog half-changed: recovery stops then
// (the catalog stays well-formed, so going on, as the fuzz target does, is safe).
class Replayer {
 public:
  // `kv` (may be null: key-value entries are then refused as corrupt) receives the key-value
  // store's entries.
  Replayer(Catalog& catalog, auth::UserStore& users, kv::Store* kv);

  // Applies a stream of entries.
  void Apply(std::string_view entries);
  // Applies a commit payload and returns its timestamp.
  version_t ApplyCommit(std::string_view payload);
  // Rebuilds every unique index from the recovered rows (after the last Apply).
  void Finish();

  // Row ids at or above this are refused as corrupt (bounds the memory a damaged or hostile
  // file can make recovery allocate; the fuzz target lowers it).
  void set_max_row_id(row_t limit) { max_row_id_ = limit; }

 private:
  void ApplyCatalog(class EntryReader& in);
  void ApplyRows(class EntryReader& in);
  void ApplyDelete(class EntryReader& in);
  void ApplyReset(class EntryReader& in);
  void ApplyKvCommand(class EntryReader& in);
  void ApplyKvImage(class EntryReader& in);
  TableEntry& Table(uint64_t id);
  void IndexTables();

  Catalog& catalog_;
  auth::UserStore& users_;
  kv::Store* kv_;
  uint64_t commit_ts_ = 0;  // of the commit being applied; 0 in a checkpoint
  std::vector<std::string_view> kv_args_;
  std::unordered_map<uint64_t, TableEntry*> tables_;
  row_t max_row_id_ = row_t(1) << 40;
};

}  // namespace lyt::durability
