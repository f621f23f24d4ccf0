#include "durability/log_entries.h"

#include <cstring>

#include "auth/user_store.h"
#include "catalog/catalog.h"
#include "common/error.h"
#include "kv/store.h"
#include "protocol/wire.h"
#include "sql/parser.h"

namespace lyt::durability {

using protocol::PutFixed;

namespace {

void PutString(std::string& out, std::string_view s) {
  PutFixed<uint32_t>(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

bool IsString(const LogicalType& t) { return t.id == TypeId::Varchar || t.id == TypeId::Blob; }

// Rows [offset, offset+n) of `v`: a flags byte (1: NULL flags follow), the NULL flags (one byte
// per row), then the values: fixed-width values as they are in memory, strings as n u32 lengths
// followed by their bytes. NULL rows carry zero bytes / length 0.
void PutColumn(std::string& out, const Vector& v, idx_t offset, idx_t n) {
  const uint8_t* nulls = v.nulls() + offset;
  bool any_null = false;
  for (idx_t i = 0; i < n; ++i) any_null |= nulls[i] != 0;
  PutFixed<uint8_t>(out, any_null ? 1 : 0);
  if (any_null) out.append(reinterpret_cast<const char*>(nulls), n);
  if (IsString(v.type())) {
    const StringRef* s = v.data<StringRef>() + offset;
    for (idx_t i = 0; i < n; ++i) PutFixed<uint32_t>(out, nulls[i] ? 0 : s[i].size);
    for (idx_t i = 0; i < n; ++i) {
      if (!nulls[i]) out.append(s[i].data, s[i].size);
    }
    return;
  }
  size_t width = PhysicalSize(v.type().id);
  size_t start = out.size();
  out.append(reinterpret_cast<const char*>(v.data<uint8_t>() + offset * width), n * width);
  if (any_null) {
    for (idx_t i = 0; i < n; ++i) {
      if (nulls[i]) std::memset(out.data() + start + i * width, 0, width);  // no stray bytes in files
    }
  }
}

}  // namespace

// The reading side: bounds-checked (protocol::PayloadReader), every failure a corruption error.
class EntryReader {
 public:
  explicit EntryReader(std::string_view bytes) : in_(bytes) {}
  uint8_t U8() { return in_.U8(); }
  uint32_t U32() { return in_.U32(); }
  int32_t I32() { return in_.I32(); }
  uint64_t U64() { return in_.U64(); }
  std::string_view String() { return in_.String(); }
  std::string_view Raw(size_t n) { return in_.Raw(n); }
  size_t remaining() const { return in_.remaining(); }
  // A count of items each at least `min_bytes` long: refused when the rest cannot hold them.
  uint32_t Count(size_t min_bytes, const char* what) {
    uint32_t n = U32();
    if (static_cast<uint64_t>(n) * std::max<size_t>(min_bytes, 1) > remaining()) Corrupt(std::string("count of ") + what + " exceeds the entry");
    return n;
  }
  [[noreturn]] static void Corrupt(const std::string& what) { throw Error(sqlstate::kDataCorrupted, what); }

 private:
  protocol::PayloadReader in_;
};

namespace {

void ReadColumn(EntryReader& in, Vector& v, idx_t n) {
  uint8_t flags = in.U8();
  if (flags > 1) EntryReader::Corrupt("bad column flags");
  if (flags & 1) {
    std::string_view nulls = in.Raw(n);
    for (idx_t i = 0; i < n; ++i) v.SetNull(i, nulls[i] != 0);
  } else {
    v.ClearNulls(n);
  }
  if (IsString(v.type())) {
    std::string_view lengths = in.Raw(n * 4);
    auto* out = v.data<StringRef>();
    for (idx_t i = 0; i < n; ++i) {
      uint32_t length;
      std::memcpy(&length, lengths.data() + i * 4, 4);
      std::string_view bytes = in.Raw(length);
      out[i] = StringRef{bytes.data(), length};
    }
    return;
  }
  size_t width = PhysicalSize(v.type().id);
  std::string_view values = in.Raw(n * width);
  std::memcpy(v.data<uint8_t>(), values.data(), n * width);
}

LogicalType ReadType(EntryReader& in) {
  uint8_t id = in.U8();
  int32_t length = in.I32();
  if (id == 0 || id > static_cast<uint8_t>(TypeId::Interval)) EntryReader::Corrupt("unknown column type " + std::to_string(id));
  return LogicalType(static_cast<TypeId>(id), length);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Writing

void EntryWriter::CatalogImage(const Catalog& const_catalog, const auth::UserStore& users) {
  Catalog& catalog = const_cast<Catalog&>(const_catalog);  // the entries' accessors are not const
  PutFixed<uint8_t>(out_, static_cast<uint8_t>(EntryKind::kCatalog));
  PutFixed<uint64_t>(out_, catalog.next_table_id());
  PutFixed<uint32_t>(out_, static_cast<uint32_t>(catalog.databases().size()));
  for (auto& [db_name, db] : catalog.databases()) {
    PutString(out_, db_name);
    PutFixed<uint32_t>(out_, static_cast<uint32_t>(db->tables().size()));
    for (auto& [name, table] : db->tables()) {
      PutFixed<uint64_t>(out_, table->id());
      PutString(out_, name);
      PutFixed<uint32_t>(out_, static_cast<uint32_t>(table->columns().size()));
      for (const ColumnEntry& c : table->columns()) {
        PutString(out_, c.name);
        PutFixed<uint8_t>(out_, static_cast<uint8_t>(c.type.id));
        PutFixed<int32_t>(out_, c.type.max_length);
        PutFixed<uint8_t>(out_, c.not_null ? 1 : 0);
        PutString(out_, c.default_expr ? c.default_sql : "");
      }
      PutFixed<uint32_t>(out_, static_cast<uint32_t>(table->constraints().size()));
      for (const UniqueConstraint& uc : table->constraints()) {
        PutString(out_, uc.name);
        PutFixed<uint8_t>(out_, uc.primary_key ? 1 : 0);
        PutFixed<uint8_t>(out_, uc.from_index ? 1 : 0);
        PutFixed<uint32_t>(out_, static_cast<uint32_t>(uc.index->columns().size()));
        for (idx_t c : uc.index->columns()) PutFixed<uint32_t>(out_, static_cast<uint32_t>(c));
      }
    }
    PutFixed<uint32_t>(out_, static_cast<uint32_t>(db->views().size()));
    for (auto& [name, view] : db->views()) {
      PutString(out_, name);
      PutFixed<uint32_t>(out_, static_cast<uint32_t>(view.column_names.size()));
      for (const auto& c : view.column_names) PutString(out_, c);
      PutString(out_, view.sql);
    }
    PutFixed<uint32_t>(out_, static_cast<uint32_t>(db->indexes().size()));
    for (auto& [name, index] : db->indexes()) {
      PutString(out_, name);
      PutString(out_, index.table);
      PutFixed<uint32_t>(out_, static_cast<uint32_t>(index.columns.size()));
      for (idx_t c : index.columns) PutFixed<uint32_t>(out_, static_cast<uint32_t>(c));
      PutFixed<uint8_t>(out_, index.unique ? 1 : 0);
    }
  }
  std::vector<auth::UserRecord> user_list;
  users.ForEachUser([&](const auth::UserRecord& u) { user_list.push_back(u); });
  PutFixed<uint32_t>(out_, static_cast<uint32_t>(user_list.size()));
  for (const auto& u : user_list) {
    PutString(out_, u.name);
    PutString(out_, u.verifier.ToString());
    PutFixed<uint8_t>(out_, u.superuser ? 1 : 0);
  }
  std::vector<auth::GrantRecord> grants;
  users.ForEachGrant([&](const auth::GrantRecord& g) { grants.push_back(g); });
  PutFixed<uint32_t>(out_, static_cast<uint32_t>(grants.size()));
  for (const auto& g : grants) {
    PutString(out_, g.user);
    PutString(out_, g.database);
    PutFixed<uint8_t>(out_, static_cast<uint8_t>(g.privilege));
  }
}

void EntryWriter::ResetTable(uint64_t table_id) {
  PutFixed<uint8_t>(out_, static_cast<uint8_t>(EntryKind::kResetTable));
  PutFixed<uint64_t>(out_, table_id);
}

void EntryWriter::RowsWithRanges(uint64_t table_id, const std::vector<std::pair<row_t, uint32_t>>& ranges,
                                 const DataChunk& chunk, idx_t offset, idx_t n) {
  PutFixed<uint8_t>(out_, static_cast<uint8_t>(EntryKind::kRows));
  PutFixed<uint64_t>(out_, table_id);
  PutFixed<uint32_t>(out_, static_cast<uint32_t>(ranges.size()));
  for (const auto& [first, count] : ranges) {
    PutFixed<uint64_t>(out_, static_cast<uint64_t>(first));
    PutFixed<uint32_t>(out_, count);
  }
  PutFixed<uint32_t>(out_, static_cast<uint32_t>(n));
  for (idx_t c = 0; c < chunk.ColumnCount(); ++c) PutColumn(out_, chunk.column(c), offset, n);
}

void EntryWriter::Rows(uint64_t table_id, const row_t* ids, const DataChunk& chunk, idx_t offset, idx_t n) {
  for (idx_t done = 0; done < n;) {
    idx_t take = std::min<idx_t>(n - done, kMaxRowsPerEntry);
    std::vector<std::pair<row_t, uint32_t>> ranges;
    for (idx_t i = done; i < done + take; ++i) {
      if (!ranges.empty() && ranges.back().first + ranges.back().second == ids[i]) ++ranges.back().second;
      else ranges.emplace_back(ids[i], 1);
    }
    RowsWithRanges(table_id, ranges, chunk, offset + done, take);
    done += take;
  }
}

void EntryWriter::RowRun(uint64_t table_id, row_t first, const DataChunk& chunk, idx_t offset, idx_t n) {
  for (idx_t done = 0; done < n;) {
    idx_t take = std::min<idx_t>(n - done, kMaxRowsPerEntry);
    RowsWithRanges(table_id, {{first + static_cast<row_t>(done), static_cast<uint32_t>(take)}}, chunk, offset + done, take);
    done += take;
  }
}

void EntryWriter::Delete(uint64_t table_id, const std::vector<row_t>& ids) {
  PutFixed<uint8_t>(out_, static_cast<uint8_t>(EntryKind::kDelete));
  PutFixed<uint64_t>(out_, table_id);
  PutFixed<uint32_t>(out_, static_cast<uint32_t>(ids.size()));
  for (row_t id : ids) PutFixed<uint64_t>(out_, static_cast<uint64_t>(id));
}

void EntryWriter::TableImage(const TableEntry& table, const Snapshot& snapshot, const std::function<void()>& after_chunk) {
  ResetTable(table.id());
  const DataTable& storage = table.storage();
  std::vector<idx_t> columns(storage.types().size());
  for (idx_t c = 0; c < columns.size(); ++c) columns[c] = c;
  DataChunk chunk(storage.types());
  std::vector<row_t> ids;
  DataTable::ScanState state;
  while (storage.Scan(snapshot, state, columns, chunk, &ids)) {
    Rows(table.id(), ids.data(), chunk, 0, chunk.size());
    if (after_chunk) after_chunk();
  }
}

namespace {

TableEntry* FindTableById(Catalog& catalog, uint64_t id) {
  for (auto& [db_name, db] : catalog.databases()) {
    for (auto& [name, table] : db->tables()) {
      if (table->id() == id) return table.get();
    }
  }
  return nullptr;
}

}  // namespace

void EncodeCommit(const ChangeSet& changes, const Catalog& catalog, const auth::UserStore& users, std::string& out) {
  PutFixed<uint64_t>(out, changes.commit_ts);
  EntryWriter w(out);
  if (changes.catalog) w.CatalogImage(catalog, users);
  for (uint64_t id : changes.rewritten_tables) {
    if (TableEntry* table = FindTableById(const_cast<Catalog&>(catalog), id)) w.TableImage(*table, Snapshot::Latest());
  }
  for (const ChangeSet::Change& c : changes.changes) {
    if (!c.is_insert) {
      w.Delete(c.table_id, c.deleted);
      continue;
    }
    row_t next = c.first_row;
    for (const auto& chunk : c.rows) {
      w.RowRun(c.table_id, next, *chunk, 0, chunk->size());
      next += static_cast<row_t>(chunk->size());
    }
  }
  out.append(changes.encoded_entries);
}

void AppendKvCommand(std::string& out, std::string_view database, std::span<const std::string_view> args) {
  PutFixed<uint8_t>(out, static_cast<uint8_t>(EntryKind::kKvCommand));
  PutString(out, database);
  PutFixed<uint32_t>(out, static_cast<uint32_t>(args.size()));
  for (std::string_view a : args) PutString(out, a);
}

void AppendKvImage(std::string& out, std::string_view database, uint64_t last_commit_ts) {
  PutFixed<uint8_t>(out, static_cast<uint8_t>(EntryKind::kKvImage));
  PutString(out, database);
  PutFixed<uint64_t>(out, last_commit_ts);
}

// ---------------------------------------------------------------------------------------------
// Replaying

Replayer::Replayer(Catalog& catalog, auth::UserStore& users, kv::Store* kv) : catalog_(catalog), users_(users), kv_(kv) {
  IndexTables();
}

void Replayer::IndexTables() {
  tables_.clear();
  for (auto& [db_name, db] : catalog_.databases()) {
    for (auto& [name, table] : db->tables()) tables_[table->id()] = table.get();
  }
}

TableEntry& Replayer::Table(uint64_t id) {
  auto it = tables_.find(id);
  if (it == tables_.end()) EntryReader::Corrupt("change to table id " + std::to_string(id) + ", which does not exist");
  return *it->second;
}

version_t Replayer::ApplyCommit(std::string_view payload) {
  if (payload.size() < 8) EntryReader::Corrupt("commit record shorter than its timestamp");
  version_t ts;
  std::memcpy(&ts, payload.data(), 8);
  if (ts == 0 || ts >= kFirstTransactionId) EntryReader::Corrupt("commit timestamp " + std::to_string(ts) + " out of range");
  commit_ts_ = ts;
  Apply(payload.substr(8));
  commit_ts_ = 0;
  return ts;
}

void Replayer::Apply(std::string_view entries) {
  EntryReader in(entries);
  try {
    while (in.remaining() > 0) {
      uint8_t kind = in.U8();
      switch (static_cast<EntryKind>(kind)) {
        case EntryKind::kCatalog: ApplyCatalog(in); break;
        case EntryKind::kResetTable: ApplyReset(in); break;
        case EntryKind::kRows: ApplyRows(in); break;
        case EntryKind::kDelete: ApplyDelete(in); break;
        case EntryKind::kKvCommand: ApplyKvCommand(in); break;
        case EntryKind::kKvImage: ApplyKvImage(in); break;
        default: EntryReader::Corrupt("unknown entry kind " + std::to_string(kind));
      }
    }
  } catch (const Error& e) {
    IndexTables();  // a malformed catalog image may have dropped tables the index points at
    if (std::string(e.sqlstate()) == sqlstate::kDataCorrupted) throw;
    throw Error(sqlstate::kDataCorrupted, std::string("damaged entry: ") + e.what());
  }
}

void Replayer::ApplyKvCommand(EntryReader& in) {
  if (!kv_) EntryReader::Corrupt("key-value entry where none is expected");
  std::string_view database = in.String();
  uint32_t argc = in.Count(4, "command words");
  if (argc == 0) EntryReader::Corrupt("empty key-value command");
  kv_args_.clear();
  for (uint32_t i = 0; i < argc; ++i) kv_args_.push_back(in.String());
  std::string error;
  if (!kv_->Replay(database, kv_args_, commit_ts_, &error)) {
    EntryReader::Corrupt("key-value command " + std::string(kv_args_[0].substr(0, 32)) + " on database \"" + std::string(database) +
                         "\" failed: " + error);
  }
}

void Replayer::ApplyKvImage(EntryReader& in) {
  if (!kv_) EntryReader::Corrupt("key-value entry where none is expected");
  std::string_view database = in.String();
  uint64_t ts = in.U64();
  if (ts >= kFirstTransactionId) EntryReader::Corrupt("key-value image timestamp out of range");
  kv_->BeginImage(database, ts);
}

void Replayer::ApplyCatalog(EntryReader& in) {
  // Where each current table is: taken out of its database only when the image reuses it, so
  // that an image that turns out malformed leaves no empty slots in the catalog.
  std::unordered_map<uint64_t, std::pair<DatabaseEntry*, std::string>> old_tables;
  for (auto& [db_name, db] : catalog_.databases()) {
    for (auto& [name, table] : db->tables()) old_tables[table->id()] = {db.get(), name};
  }
  uint64_t next_table_id = in.U64();
  std::map<std::string, std::unique_ptr<DatabaseEntry>> databases;
  uint32_t db_count = in.Count(12, "databases");
  for (uint32_t d = 0; d < db_count; ++d) {
    std::string db_name(in.String());
    auto db = std::make_unique<DatabaseEntry>(db_name);
    uint32_t table_count = in.Count(20, "tables");
    for (uint32_t t = 0; t < table_count; ++t) {
      uint64_t id = in.U64();
      if (id >= next_table_id) EntryReader::Corrupt("table id " + std::to_string(id) + " not below the next id");
      std::string name(in.String());
      std::vector<ColumnEntry> columns;
      uint32_t column_count = in.Count(14, "columns");
      for (uint32_t c = 0; c < column_count; ++c) {
        ColumnEntry column;
        column.name = in.String();
        column.type = ReadType(in);
        column.not_null = in.U8() != 0;
        column.default_sql = in.String();
        if (!column.default_sql.empty()) column.default_expr = ParseExpression(column.default_sql);
        columns.push_back(std::move(column));
      }
      std::vector<LogicalType> types;
      for (const auto& c : columns) types.push_back(c.type);
      std::unique_ptr<TableEntry> table;
      if (auto old = old_tables.find(id); old != old_tables.end()) {
        auto& slots = old->second.first->tables();
        auto slot = slots.find(old->second.second);
        if (slot->second->storage().types() == types) table = std::move(slot->second);  // else its rows come again
        slots.erase(slot);
        old_tables.erase(old);
      }
      if (table) {
        table->set_name(name);
        table->mutable_columns() = std::move(columns);
      } else {
        table = std::make_unique<TableEntry>(name, std::move(columns), id);
      }
      table->set_database(db_name);
      table->constraints().clear();
      uint32_t constraint_count = in.Count(10, "keys");
      for (uint32_t k = 0; k < constraint_count; ++k) {
        UniqueConstraint uc;
        uc.name = in.String();
        uc.primary_key = in.U8() != 0;
        uc.from_index = in.U8() != 0;
        std::vector<idx_t> key_columns;
        uint32_t key_count = in.Count(4, "key columns");
        for (uint32_t i = 0; i < key_count; ++i) {
          uint32_t c = in.U32();
          if (c >= table->columns().size()) EntryReader::Corrupt("key column " + std::to_string(c) + " out of range");
          key_columns.push_back(c);
        }
        uc.index = std::make_unique<UniqueIndex>(std::move(key_columns));
        table->constraints().push_back(std::move(uc));
      }
      db->tables()[name] = std::move(table);
    }
    uint32_t view_count = in.Count(12, "views");
    for (uint32_t v = 0; v < view_count; ++v) {
      ViewEntry view;
      view.name = in.String();
      uint32_t names = in.Count(4, "view columns");
      for (uint32_t i = 0; i < names; ++i) view.column_names.emplace_back(in.String());
      view.sql = in.String();
      db->views()[view.name] = std::move(view);
    }
    uint32_t index_count = in.Count(13, "indexes");
    for (uint32_t i = 0; i < index_count; ++i) {
      IndexEntry index;
      index.name = in.String();
      index.table = in.String();
      TableEntry* table = db->FindTable(index.table);
      if (!table) EntryReader::Corrupt("index \"" + index.name + "\" on missing table \"" + index.table + "\"");
      uint32_t n = in.Count(4, "index columns");
      if (n == 0) EntryReader::Corrupt("index \"" + index.name + "\" has no columns");
      for (uint32_t c = 0; c < n; ++c) {
        uint32_t column = in.U32();
        if (column >= table->columns().size()) EntryReader::Corrupt("index column " + std::to_string(column) + " out of range");
        index.columns.push_back(column);
      }
      index.unique = in.U8() != 0;
      db->indexes()[index.name] = std::move(index);
    }
    databases[db_name] = std::move(db);
  }
  catalog_.databases() = std::move(databases);
  catalog_.set_next_table_id(next_table_id);
  if (kv_) {
    std::set<std::string> names;
    for (auto& [name, db] : catalog_.databases()) names.insert(name);
    kv_->RetainDatabases(names);
  }

  users_.Clear();
  uint32_t user_count = in.Count(9, "users");
  for (uint32_t u = 0; u < user_count; ++u) {
    std::string name(in.String());
    std::string verifier(in.String());
    bool superuser = in.U8() != 0;
    Status s = users_.CreateUser(name, verifier, superuser);
    if (!s.ok()) EntryReader::Corrupt("user \"" + name + "\": " + s.message());
  }
  uint32_t grant_count = in.Count(9, "grants");
  for (uint32_t g = 0; g < grant_count; ++g) {
    std::string user(in.String());
    std::string database(in.String());
    uint8_t level = in.U8();
    if (level == 0 || level > static_cast<uint8_t>(auth::Privilege::Admin)) EntryReader::Corrupt("bad privilege level");
    Status s = users_.Grant(user, database, static_cast<auth::Privilege>(level));
    if (!s.ok()) EntryReader::Corrupt("grant to \"" + user + "\": " + s.message());
  }
  IndexTables();
}

void Replayer::ApplyReset(EntryReader& in) { Table(in.U64()).ResetStorage(); }

void Replayer::ApplyRows(EntryReader& in) {
  TableEntry& table = Table(in.U64());
  uint32_t range_count = in.Count(12, "row ranges");
  std::vector<std::pair<row_t, uint32_t>> ranges;
  uint64_t total = 0;
  for (uint32_t r = 0; r < range_count; ++r) {
    uint64_t first = in.U64();
    uint32_t count = in.U32();
    if (first >= static_cast<uint64_t>(max_row_id_) || count > static_cast<uint64_t>(max_row_id_) - first) {
      EntryReader::Corrupt("row id " + std::to_string(first) + " out of range");
    }
    ranges.emplace_back(static_cast<row_t>(first), count);
    total += count;
  }
  uint32_t n = in.U32();
  if (n != total || n > kMaxRowsPerEntry) EntryReader::Corrupt("row count does not match the row ranges");
  std::vector<LogicalType> types = table.storage().types();
  DataChunk chunk(types, std::max<idx_t>(n, 1));
  for (idx_t c = 0; c < types.size(); ++c) ReadColumn(in, chunk.column(c), n);
  chunk.SetSize(n);
  idx_t offset = 0;
  for (const auto& [first, count] : ranges) {
    table.storage().PlaceRows(first, chunk, offset, count, kVisibleToAll);
    offset += count;
  }
}

void Replayer::ApplyDelete(EntryReader& in) {
  TableEntry& table = Table(in.U64());
  uint32_t n = in.Count(8, "deleted rows");
  std::vector<row_t> ids(n);
  idx_t slots = table.storage().slot_count();
  for (uint32_t i = 0; i < n; ++i) {
    uint64_t id = in.U64();
    if (id >= slots || table.storage().GetVersions(static_cast<row_t>(id)).insert == kNever) {
      EntryReader::Corrupt("delete of row " + std::to_string(id) + ", which was never inserted");
    }
    ids[i] = static_cast<row_t>(id);
  }
  table.storage().SetDeleteVersion(ids, kVisibleToAll);
}

void Replayer::Finish() {
  for (auto& [db_name, db] : catalog_.databases()) {
    for (auto& [name, table] : db->tables()) {
      for (auto& uc : table->constraints()) {
        try {
          uc.index->Rebuild(table->storage(), uc.name);
        } catch (const Error& e) {
          throw Error(sqlstate::kDataCorrupted, "table \"" + name + "\" of database \"" + db_name + "\": " + e.what());
        }
      }
      SyncOrderedIndexes(*db, *table);
    }
  }
}

}  // namespace lyt::durability
