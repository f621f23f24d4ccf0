// The catalog: named databases, each holding tables, views and indexes.
//
// Thread safety: none inside. The Engine's catalog lock guards the whole catalog: held shared by
// every statement that only uses it (queries, DML), exclusively by DDL. Table data has its own
// synchronization (storage/data_table.h) and multi-version concurrency control (txn/).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/table_stats.h"
#include "sql/ast.h"
#include "storage/data_table.h"
#include "storage/ordered_index.h"
#include "storage/unique_index.h"

namespace lyt {

struct ColumnEntry {
  std::string name;
  LogicalType type;
  bool not_null = false;
  std::shared_ptr<const ast::Expr> default_expr;  // the DEFAULT expression, or null
  std::string default_sql;                        // default_expr as written (kept by the log)
};

// A PRIMARY KEY, UNIQUE constraint or unique index, enforced through a hash index.
struct UniqueConstraint {
  std::string name;
  bool primary_key = false;
  bool from_index = false;  // created by CREATE UNIQUE INDEX (dropped with DROP INDEX)
  std::unique_ptr<UniqueIndex> index;
};

// The ordered index built for an IndexEntry (CREATE INDEX), on its table.
struct TableIndex {
  std::string name;
  std::unique_ptr<OrderedIndex> index;
};

struct IndexEntry {
  std::string name;
  std::string table;
  std::vector<idx_t> columns;
  bool unique = false;
};

class TableEntry {
 public:
  TableEntry(std::string name, std::vector<ColumnEntry> columns, uint64_t id);

  // Never changes and is never reused within a catalog (Catalog::NewTableId): what the
  // write-ahead log names the table by, so a rename needs no rewrite of older records.
  uint64_t id() const { return id_; }
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  // The database holding the table (named in change sets).
  const std::string& database() const { return database_; }
  void set_database(std::string name) { database_ = std::move(name); }
  // A session's temporary table (it lives in the session's Catalog::kTempSchema entry): never
  // written to change sets, dropped with its session.
  bool temporary() const;
  const std::vector<ColumnEntry>& columns() const { return columns_; }
  std::vector<ColumnEntry>& mutable_columns() { return columns_; }
  std::vector<LogicalType> Types() const;
  // The types of columns `column_ids`, in that order.
  std::vector<LogicalType> Types(const std::vector<idx_t>& column_ids) const;
  // Position of the column named `name` (exact, names are already folded), or nullopt.
  std::optional<idx_t> FindColumn(const std::string& name) const;

  DataTable& storage() { return *storage_; }
  // Recovery only: replaces the rows with an empty table of the current column types.
  void ResetStorage();
  const DataTable& storage() const { return *storage_; }
  std::vector<UniqueConstraint>& constraints() { return constraints_; }
  const std::vector<UniqueConstraint>& constraints() const { return constraints_; }
  // Kept in step with the database's IndexEntry list by SyncOrderedIndexes.
  std::vector<TableIndex>& ordered_indexes() { return ordered_indexes_; }
  const std::vector<TableIndex>& ordered_indexes() const { return ordered_indexes_; }
  // Planner statistics (catalog/table_stats.h): thread-safe on their own, unlike the rest of the
  // entry, because ANALYZE publishes them while other statements plan.
  TableStatsSlot& stats() const { return stats_; }

 private:
  uint64_t id_;
  std::string name_;
  std::string database_;
  std::vector<ColumnEntry> columns_;
  std::unique_ptr<DataTable> storage_;
  std::vector<UniqueConstraint> constraints_;
  std::vector<TableIndex> ordered_indexes_;
  mutable TableStatsSlot stats_;
};

struct ViewEntry {
  std::string name;
  std::vector<std::string> column_names;  // empty: the query's own names
  std::string sql;                        // the SELECT
};

// One named database.
class DatabaseEntry {
 public:
  explicit DatabaseEntry(std::string name) : name_(std::move(name)) {}
  const std::string& name() const { return name_; }

  TableEntry* FindTable(const std::string& name);
  const ViewEntry* FindView(const std::string& name) const;
  IndexEntry* FindIndex(const std::string& name);
  // Whether any table, view or index already uses `name`.
  bool NameInUse(const std::string& name) const;

  std::map<std::string, std::unique_ptr<TableEntry>>& tables() { return tables_; }
  std::map<std::string, ViewEntry>& views() { return views_; }
  std::map<std::string, IndexEntry>& indexes() { return indexes_; }

 private:
  std::string name_;
  std::map<std::string, std::unique_ptr<TableEntry>> tables_;
  std::map<std::string, ViewEntry> views_;
  std::map<std::string, IndexEntry> indexes_;
};

// Makes `table`'s ordered indexes the ones `db`'s IndexEntry list names for it, with their
// columns: builds the missing or changed ones from its rows and drops the others. Every DDL that
// changes a table's indexes, columns or storage, and recovery, ends with it (DDL holds the
// catalog lock exclusively).
void SyncOrderedIndexes(DatabaseEntry& db, TableEntry& table);

class Catalog {
 public:
  Catalog();
  static constexpr const char* kDefaultDatabase = "main";
  // The name of a session's own DatabaseEntry of temporary tables (owned by the Session, never in
  // databases()); as a qualifier it names that entry ("pg_temp.t"), so no database may take it.
  static constexpr const char* kTempSchema = "pg_temp";

  DatabaseEntry* FindDatabase(const std::string& name);
  // Throws 3D000 when missing.
  DatabaseEntry& GetDatabase(const std::string& name);
  // Throws 42P04 when it exists, 42939 for kTempSchema.
  DatabaseEntry& CreateDatabase(const std::string& name);
  // The database holding the relation (table, view or index) `name` refers to: the one look-up
  // every statement resolves existing relation names with. `current` is the session's current
  // database, `temp` its temporary tables (null: none visible, e.g. inside a view's query).
  // An unqualified name means `temp` when `temp` has a relation of that name (temporary tables
  // shadow the current database's relations, as pg_temp comes first in PostgreSQL's search path)
  // and `current` otherwise; "pg_temp.name" means `temp`; "db.name" means database db. Throws
  // 3D000 for an unknown database. The relation itself need not exist.
  DatabaseEntry& RelationDatabase(DatabaseEntry& current, DatabaseEntry* temp, const ast::QualifiedName& name);
  void DropDatabase(const std::string& name);
  std::map<std::string, std::unique_ptr<DatabaseEntry>>& databases() { return databases_; }

  // A fresh table id (TableEntry::id); the counter is part of what the log and checkpoints keep.
  uint64_t NewTableId() { return next_table_id_++; }
  uint64_t next_table_id() const { return next_table_id_; }
  void set_next_table_id(uint64_t id) { next_table_id_ = id; }

 private:
  std::map<std::string, std::unique_ptr<DatabaseEntry>> databases_;
  uint64_t next_table_id_ = 1;
};

}  // namespace lyt
