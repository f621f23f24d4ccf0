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

#include "sql/ast.h"
#include "storage/data_table.h"
#include "storage/unique_index.h"

namespace lyt {

struct ColumnEntry {
  std::string name;
  LogicalType type;
  bool not_null = false;
  std::shared_ptr<const ast::Expr> default_expr;  // the DEFAULT expression, or null
};

// A PRIMARY KEY, UNIQUE constraint or unique index, enforced through a hash index.
struct UniqueConstraint {
  std::string name;
  bool primary_key = false;
  bool from_index = false;  // created by CREATE UNIQUE INDEX (dropped with DROP INDEX)
  std::unique_ptr<UniqueIndex> index;
};

struct IndexEntry {
  std::string name;
  std::string table;
  std::vector<idx_t> columns;
  bool unique = false;
};

class TableEntry {
 public:
  TableEntry(std::string name, std::vector<ColumnEntry> columns);

  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  // The database holding the table (named in change sets).
  const std::string& database() const { return database_; }
  void set_database(std::string name) { database_ = std::move(name); }
  const std::vector<ColumnEntry>& columns() const { return columns_; }
  std::vector<ColumnEntry>& mutable_columns() { return columns_; }
  std::vector<LogicalType> Types() const;
  // Position of the column named `name` (exact, names are already folded), or nullopt.
  std::optional<idx_t> FindColumn(const std::string& name) const;

  DataTable& storage() { return *storage_; }
  const DataTable& storage() const { return *storage_; }
  std::vector<UniqueConstraint>& constraints() { return constraints_; }
  const std::vector<UniqueConstraint>& constraints() const { return constraints_; }

 private:
  std::string name_;
  std::string database_;
  std::vector<ColumnEntry> columns_;
  std::unique_ptr<DataTable> storage_;
  std::vector<UniqueConstraint> constraints_;
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

class Catalog {
 public:
  Catalog();
  static constexpr const char* kDefaultDatabase = "main";

  DatabaseEntry* FindDatabase(const std::string& name);
  // Throws 3D000 when missing.
  DatabaseEntry& GetDatabase(const std::string& name);
  // Throws 42P04 when it exists.
  DatabaseEntry& CreateDatabase(const std::string& name);
  void DropDatabase(const std::string& name);
  std::map<std::string, std::unique_ptr<DatabaseEntry>>& databases() { return databases_; }

 private:
  std::map<std::string, std::unique_ptr<DatabaseEntry>> databases_;
};

}  // namespace lyt
