#include "catalog/catalog.h"

#include <algorithm>

#include "common/error.h"

namespace lyt {

static std::vector<LogicalType> TypesOf(const std::vector<ColumnEntry>& columns) {
  std::vector<LogicalType> types;
  for (const auto& c : columns) types.push_back(c.type);
  return types;
}

TableEntry::TableEntry(std::string name, std::vector<ColumnEntry> columns, uint64_t id)
    : id_(id), name_(std::move(name)), columns_(std::move(columns)), storage_(std::make_unique<DataTable>(TypesOf(columns_))) {}

void TableEntry::ResetStorage() {
  storage_ = std::make_unique<DataTable>(TypesOf(columns_));
  stats_.Clear();
}

std::vector<LogicalType> TableEntry::Types() const { return TypesOf(columns_); }

std::vector<LogicalType> TableEntry::Types(const std::vector<idx_t>& column_ids) const {
  std::vector<LogicalType> types;
  types.reserve(column_ids.size());
  for (idx_t c : column_ids) types.push_back(columns_[c].type);
  return types;
}

bool TableEntry::temporary() const { return database_ == Catalog::kTempSchema; }

std::optional<idx_t> TableEntry::FindColumn(const std::string& name) const {
  for (idx_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == name) return i;
  }
  return std::nullopt;
}

TableEntry* DatabaseEntry::FindTable(const std::string& name) {
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : it->second.get();
}

const ViewEntry* DatabaseEntry::FindView(const std::string& name) const {
  auto it = views_.find(name);
  return it == views_.end() ? nullptr : &it->second;
}

IndexEntry* DatabaseEntry::FindIndex(const std::string& name) {
  auto it = indexes_.find(name);
  return it == indexes_.end() ? nullptr : &it->second;
}

bool DatabaseEntry::NameInUse(const std::string& name) const {
  return tables_.count(name) || views_.count(name) || indexes_.count(name);
}

Catalog::Catalog() { CreateDatabase(kDefaultDatabase); }

DatabaseEntry* Catalog::FindDatabase(const std::string& name) {
  auto it = databases_.find(name);
  return it == databases_.end() ? nullptr : it->second.get();
}

DatabaseEntry& Catalog::GetDatabase(const std::string& name) {
  DatabaseEntry* db = FindDatabase(name);
  if (!db) throw Error(sqlstate::kInvalidCatalogName, "database \"" + name + "\" does not exist");
  return *db;
}

DatabaseEntry& Catalog::CreateDatabase(const std::string& name) {
  if (name == kTempSchema) throw Error("42939", "database name \"" + name + "\" is reserved for temporary tables");
  if (FindDatabase(name)) throw Error(sqlstate::kDuplicateDatabase, "database \"" + name + "\" already exists");
  auto& slot = databases_[name];
  slot = std::make_unique<DatabaseEntry>(name);
  return *slot;
}

DatabaseEntry& Catalog::RelationDatabase(DatabaseEntry& current, DatabaseEntry* temp, const ast::QualifiedName& name) {
  if (name.database.empty()) return temp && temp->NameInUse(name.name) ? *temp : current;
  if (temp && name.database == kTempSchema) return *temp;
  DatabaseEntry* db = FindDatabase(name.database);
  if (!db) throw Error(sqlstate::kInvalidCatalogName, "database \"" + name.database + "\" does not exist", name.pos);
  return *db;
}

void Catalog::DropDatabase(const std::string& name) {
  GetDatabase(name);
  databases_.erase(name);
}

void SyncOrderedIndexes(DatabaseEntry& db, TableEntry& table) {
  std::vector<TableIndex> kept;
  for (auto& [name, entry] : db.indexes()) {
    if (entry.table != table.name()) continue;
    auto& current = table.ordered_indexes();
    auto it = std::find_if(current.begin(), current.end(), [&entry = entry](const TableIndex& t) { return t.name == entry.name; });
    if (it != current.end() && it->index->columns() == entry.columns) {
      kept.push_back(std::move(*it));
      continue;
    }
    TableIndex built{name, std::make_unique<OrderedIndex>(entry.columns)};
    built.index->Rebuild(table.storage());
    kept.push_back(std::move(built));
  }
  table.ordered_indexes() = std::move(kept);
}

}  // namespace lyt
