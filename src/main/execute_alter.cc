// ALTER TABLE (PostgreSQL semantics): ADD / DROP / RENAME COLUMN, RENAME TO, and ALTER COLUMN
// SET/DROP DEFAULT, SET/DROP NOT NULL and TYPE. Every action checks everything (existing rows,
// keys, dependent views) before it changes the catalog or the data.
//
// Views are stored as SQL text and bound on use, so a change that would break a view (or change
// its columns) is refused instead of being followed as PostgreSQL does: RENAME and ALTER TYPE of
// something a view uses fail with 0A000; DROP COLUMN fails with 2BP01 unless CASCADE drops the
// views too.
#include "common/error.h"
#include "exec/physical_operator.h"
#include "main/ddl_support.h"
#include "main/row_writes.h"

namespace lyt {

namespace {

ResultPtr Done() { return QueryResult::MakeCommand("ALTER TABLE", 0); }

std::string Quoted(const std::string& name) { return "\"" + name + "\""; }

// Everything an action needs: the statement, its table and the table's database.
struct Alter {
  StatementContext& ctx;
  ast::AlterTableStmt& stmt;
  DatabaseEntry& db;
  TableEntry& table;

  // Position of column `name`; 42703 when missing.
  idx_t Column(const std::string& name) const {
    auto c = table.FindColumn(name);
    if (!c) {
      throw Error(sqlstate::kUndefinedColumn,
                  "column " + Quoted(name) + " of relation " + Quoted(table.name()) + " does not exist", stmt.pos);
    }
    return *c;
  }
};

// Rows of the table projected through `exprs` (bound over the table's columns), each batch ending
// with the rows' ids as an extra BIGINT column.
Batches ProjectRows(StatementContext& ctx, TableEntry& table, std::vector<BoundExprPtr> exprs) {
  auto proj = std::make_unique<LogicalOp>(LogicalKind::Projection);
  for (auto& e : exprs) {
    proj->types.push_back(e->type);
    proj->exprs.push_back(std::move(e));
  }
  proj->exprs.push_back(MakeColumn(table.columns().size(), TypeId::BigInt));
  proj->types.push_back(TypeId::BigInt);
  proj->children.push_back(ScanWithRowIds(table));
  return RunPlan(ctx, *proj);
}

// 23502 unless column `column` of every batch is free of NULLs.
void CheckNoNulls(const Batches& rows, idx_t column, const std::string& name, const TableEntry& table) {
  for (const auto& chunk : rows) {
    for (idx_t r = 0; r < chunk->size(); ++r) {
      if (chunk->column(column).IsNull(r)) {
        throw Error(sqlstate::kNotNullViolation,
                    "column " + Quoted(name) + " of relation " + Quoted(table.name()) + " contains null values");
      }
    }
  }
}

bool HasPrimaryKey(const TableEntry& table) {
  for (const auto& uc : table.constraints()) {
    if (uc.primary_key) return true;
  }
  return false;
}

// Views broken when column `column` is hidden from the catalog (i.e. the views that use it).
std::vector<std::string> ViewsUsingColumn(Alter& a, idx_t column) {
  auto& columns = a.table.mutable_columns();
  std::optional<ColumnEntry> held;
  return ViewsBrokenBy(
      a.ctx, a.db, [&] { held = columns[column]; columns.erase(columns.begin() + column); },
      [&] { columns.insert(columns.begin() + column, std::move(*held)); });
}

// 0A000 when `views` is not empty: LytDB cannot carry this change into a view's SQL text.
void RefuseForViews(const std::vector<std::string>& views, const std::string& what, int pos) {
  if (views.empty()) return;
  throw Error(sqlstate::kFeatureNotSupported,
              "cannot " + what + " because view " + Quoted(views[0]) + " depends on it (views are kept as SQL text; "
              "drop and re-create the view around the change)", pos);
}

// ADD [COLUMN] [IF NOT EXISTS] name type [NOT NULL] [DEFAULT e] [UNIQUE | PRIMARY KEY]. Existing
// rows get the default, evaluated once for a constant and once per row for a volatile one.
ResultPtr AddColumn(Alter& a) {
  ast::ColumnDef& def = a.stmt.column;
  if (a.table.FindColumn(def.name)) {
    if (a.stmt.if_not_exists) return Done();
    throw Error(sqlstate::kDuplicateColumn,
                "column " + Quoted(def.name) + " of relation " + Quoted(a.table.name()) + " already exists", def.pos);
  }
  if (def.primary_key && HasPrimaryKey(a.table)) {
    throw Error("42P16", "multiple primary keys for table " + Quoted(a.table.name()) + " are not allowed", def.pos);
  }
  ColumnEntry column{def.name, def.type, def.not_null || def.primary_key, nullptr, {}};
  Binder binder = a.ctx.MakeBinder();
  BoundExprPtr fill = def.default_value ? BindNewDefault(binder, *def.default_value, def.type, def.name)
                                        : MakeConstant(Value::Null(def.type));
  DataTable& storage = a.table.storage();
  idx_t index = a.table.columns().size();
  std::optional<Value> constant;
  Batches rows;
  if (fill->IsFoldable()) {
    constant = binder.EvaluateConstant(*fill);
    if (column.not_null && constant->is_null() && storage.live_rows() > 0) {
      throw Error(sqlstate::kNotNullViolation,
                  "column " + Quoted(def.name) + " of relation " + Quoted(a.table.name()) + " contains null values");
    }
  } else {
    std::vector<BoundExprPtr> exprs;
    exprs.push_back(std::move(fill));
    rows = ProjectRows(a.ctx, a.table, std::move(exprs));
    if (column.not_null) CheckNoNulls(rows, 0, def.name, a.table);
  }

  storage.AddColumn(def.type, constant ? *constant : Value::Null(def.type));
  a.ctx.txn.RecordRewrite(a.table);
  for (const auto& chunk : rows) {
    const int64_t* ids = chunk->column(1).data<int64_t>();
    storage.Update(std::vector<row_t>(ids, ids + chunk->size()), index, chunk->column(0));
  }
  if (def.primary_key || def.unique) {
    // A key needs distinct values; building its index is the check, undone on failure.
    auto key = std::make_unique<UniqueIndex>(std::vector<idx_t>{index});
    try {
      key->Rebuild(storage, KeyConstraintName(a.table.name(), {def.name}, def.primary_key));
    } catch (...) {
      storage.DropColumn(index);
      throw;
    }
    AddUniqueConstraint(a.table, {index}, def.primary_key, KeyConstraintName(a.table.name(), {def.name}, def.primary_key))
        .index = std::move(key);
  }
  if (def.default_value) {
    column.default_expr = std::shared_ptr<const ast::Expr>(std::move(def.default_value));
    column.default_sql = def.default_text;
  }
  a.table.mutable_columns().push_back(std::move(column));
  return Done();
}

// Positions after removing `dropped`, or nullopt when `columns` contains it.
std::optional<std::vector<idx_t>> WithoutColumn(const std::vector<idx_t>& columns, idx_t dropped) {
  std::vector<idx_t> out;
  for (idx_t c : columns) {
    if (c == dropped) return std::nullopt;
    out.push_back(c > dropped ? c - 1 : c);
  }
  return out;
}

// Drops the keys and indexes over column `dropped` of `a.table` and renumbers the others (their
// indexes are rebuilt over the shifted columns: the keys themselves do not change).
void DropColumnFromKeys(Alter& a, idx_t dropped) {
  std::vector<UniqueConstraint> kept;
  for (auto& uc : a.table.constraints()) {
    auto columns = WithoutColumn(uc.index->columns(), dropped);
    if (!columns) continue;
    uc.index = std::make_unique<UniqueIndex>(std::move(*columns));
    uc.index->Rebuild(a.table.storage(), uc.name);
    kept.push_back(std::move(uc));
  }
  a.table.constraints() = std::move(kept);
  auto& indexes = a.db.indexes();
  for (auto it = indexes.begin(); it != indexes.end();) {
    if (it->second.table != a.table.name()) {
      ++it;
      continue;
    }
    auto columns = WithoutColumn(it->second.columns, dropped);
    if (!columns) {
      it = indexes.erase(it);
      continue;
    }
    it->second.columns = std::move(*columns);
    ++it;
  }
}

// DROP [COLUMN] [IF EXISTS] c [CASCADE | RESTRICT]: drops the keys and indexes that include it,
// and with CASCADE the views that use it.
ResultPtr DropColumn(Alter& a) {
  auto found = a.table.FindColumn(a.stmt.name);
  if (!found && a.stmt.if_column_exists) return Done();
  idx_t column = a.Column(a.stmt.name);
  if (a.table.columns().size() == 1) {
    throw Error(sqlstate::kFeatureNotSupported,
                "cannot drop column " + Quoted(a.stmt.name) + ", the only column of table " + Quoted(a.table.name()) +
                    " (LytDB does not support tables without columns)", a.stmt.pos);
  }
  std::vector<std::string> views = ViewsUsingColumn(a, column);
  if (!views.empty() && !a.stmt.cascade) {
    throw Error("2BP01", "cannot drop column " + a.stmt.name + " of table " + a.table.name() +
                             " because other objects depend on it (view " + views[0] + "); use DROP ... CASCADE",
                a.stmt.pos);
  }
  for (const auto& v : views) a.db.views().erase(v);
  a.table.storage().DropColumn(column);
  a.ctx.txn.RecordRewrite(a.table);
  auto& columns = a.table.mutable_columns();
  columns.erase(columns.begin() + column);
  DropColumnFromKeys(a, column);
  SyncOrderedIndexes(a.db, a.table);
  return Done();
}

// RENAME [COLUMN] a TO b.
ResultPtr RenameColumn(Alter& a) {
  auto found = a.table.FindColumn(a.stmt.name);
  if (!found) throw Error(sqlstate::kUndefinedColumn, "column " + Quoted(a.stmt.name) + " does not exist", a.stmt.pos);
  if (a.table.FindColumn(a.stmt.new_name)) {
    throw Error(sqlstate::kDuplicateColumn,
                "column " + Quoted(a.stmt.new_name) + " of relation " + Quoted(a.table.name()) + " already exists", a.stmt.pos);
  }
  std::string& name = a.table.mutable_columns()[*found].name;
  const std::string old_name = name;
  RefuseForViews(ViewsBrokenBy(a.ctx, a.db, [&] { name = a.stmt.new_name; }, [&] { name = old_name; }),
                 "rename column " + Quoted(old_name), a.stmt.pos);
  name = a.stmt.new_name;
  return Done();
}

// RENAME TO n. Keys keep their names (as in PostgreSQL); indexes follow the table.
ResultPtr RenameTable(Alter& a) {
  const std::string old_name = a.table.name();
  const std::string& new_name = a.stmt.name;
  if (a.db.NameInUse(new_name)) {
    throw Error(sqlstate::kDuplicateTable, "relation " + Quoted(new_name) + " already exists", a.stmt.pos);
  }
  auto& tables = a.db.tables();
  auto move = [&](const std::string& from, const std::string& to) {
    auto node = tables.extract(from);
    node.key() = to;
    node.mapped()->set_name(to);
    tables.insert(std::move(node));
  };
  RefuseForViews(ViewsBrokenBy(a.ctx, a.db, [&] { move(old_name, new_name); }, [&] { move(new_name, old_name); }),
                 "rename table " + Quoted(old_name), a.stmt.pos);
  move(old_name, new_name);
  for (auto& [index_name, index] : a.db.indexes()) {
    if (index.table == old_name) index.table = new_name;
  }
  return Done();
}

// ALTER [COLUMN] c SET DEFAULT e | DROP DEFAULT: only later inserts see the change.
ResultPtr SetDefault(Alter& a) {
  idx_t column = a.Column(a.stmt.column.name);
  ColumnEntry& entry = a.table.mutable_columns()[column];
  if (a.stmt.action == ast::AlterKind::DropDefault) {
    entry.default_expr = nullptr;
    entry.default_sql.clear();
    return Done();
  }
  Binder binder = a.ctx.MakeBinder();
  BindNewDefault(binder, *a.stmt.column.default_value, entry.type, entry.name);
  entry.default_expr = std::shared_ptr<const ast::Expr>(std::move(a.stmt.column.default_value));
  entry.default_sql = a.stmt.column.default_text;
  return Done();
}

// ALTER [COLUMN] c SET NOT NULL (23502 when a row holds NULL) | DROP NOT NULL (42P16 for a
// primary key column).
ResultPtr SetNotNull(Alter& a) {
  idx_t column = a.Column(a.stmt.column.name);
  ColumnEntry& entry = a.table.mutable_columns()[column];
  if (a.stmt.action == ast::AlterKind::DropNotNull) {
    for (const auto& uc : a.table.constraints()) {
      const auto& key = uc.index->columns();
      if (uc.primary_key && std::find(key.begin(), key.end(), column) != key.end()) {
        throw Error("42P16", "column " + Quoted(entry.name) + " is in a primary key", a.stmt.pos);
      }
    }
    entry.not_null = false;
    return Done();
  }
  std::vector<BoundExprPtr> exprs;
  exprs.push_back(MakeColumn(column, entry.type));
  CheckNoNulls(ProjectRows(a.ctx, a.table, std::move(exprs)), 0, entry.name, a.table);
  entry.not_null = true;
  return Done();
}

// The expression computing column `column`'s new value: USING e, or the column itself, cast to
// the new type as an assignment would (42804 when no such cast exists).
BoundExprPtr ConvertedColumn(Alter& a, Binder& binder, idx_t column) {
  const ColumnEntry& entry = a.table.columns()[column];
  const LogicalType& type = a.stmt.column.type;
  BoundExprPtr value = MakeColumn(column, entry.type, entry.name);
  if (a.stmt.using_expr) {
    Scope scope;
    for (const auto& c : a.table.columns()) scope.columns.push_back({a.table.name(), c.name, c.type});
    value = binder.BindExpr(*a.stmt.using_expr, ExprContext{&scope, nullptr, "USING"});
  }
  try {
    return binder.CoerceForAssignment(std::move(value), type, entry.name, a.stmt.pos);
  } catch (const Error& e) {
    if (std::string(e.sqlstate()) != sqlstate::kDatatypeMismatch) throw;
    throw Error(sqlstate::kDatatypeMismatch,
                std::string(a.stmt.using_expr ? "result of USING clause for column " : "column ") + Quoted(entry.name) +
                    " cannot be cast automatically to type " + type.SqlName() +
                    (a.stmt.using_expr ? "" : " (use ALTER ... TYPE ... USING " + entry.name + "::" + type.SqlName() + ")"),
                a.stmt.using_expr ? a.stmt.using_expr->pos : a.stmt.column.pos);
  }
}

// ALTER [COLUMN] c [SET DATA] TYPE t [USING e]: rewrites the table into a new one with the
// converted column, rebuilding its keys (23505 when converted values collide), then swaps it in.
ResultPtr AlterColumnType(Alter& a) {
  idx_t column = a.Column(a.stmt.column.name);
  RefuseForViews(ViewsUsingColumn(a, column), "alter type of column " + Quoted(a.stmt.column.name), a.stmt.pos);
  Binder binder = a.ctx.MakeBinder();
  std::vector<ColumnEntry> columns = a.table.columns();
  ColumnEntry& entry = columns[column];
  entry.type = a.stmt.column.type;
  if (entry.default_expr) BindNewDefault(binder, *entry.default_expr, entry.type, entry.name);

  std::vector<BoundExprPtr> exprs;
  for (idx_t c = 0; c < columns.size(); ++c) {
    exprs.push_back(c == column ? ConvertedColumn(a, binder, c) : MakeColumn(c, columns[c].type));
  }
  Batches rows = ProjectRows(a.ctx, a.table, std::move(exprs));
  if (entry.not_null) CheckNoNulls(rows, column, entry.name, a.table);

  auto rewritten = std::make_unique<TableEntry>(a.table.name(), std::move(columns), a.table.id());
  rewritten->set_database(a.db.name());
  for (auto& chunk : rows) {
    chunk->columns().pop_back();  // the row id
    rewritten->storage().Append(*chunk, kVisibleToAll);
  }
  for (const auto& uc : a.table.constraints()) {
    UniqueConstraint& copy = AddUniqueConstraint(*rewritten, uc.index->columns(), uc.primary_key, uc.name);
    copy.from_index = uc.from_index;
    copy.index->Rebuild(rewritten->storage(), uc.name);
  }
  a.ctx.txn.RecordRewrite(*rewritten);
  TableEntry& table = *rewritten;
  a.db.tables()[a.table.name()] = std::move(rewritten);  // `a.table` is gone from here on
  SyncOrderedIndexes(a.db, table);
  return Done();
}

// The table the statement alters, or null when it is missing and IF EXISTS was given.
TableEntry* FindAlteredTable(DatabaseEntry& db, const ast::AlterTableStmt& stmt) {
  const ast::QualifiedName& name = stmt.table;
  if (TableEntry* table = db.FindTable(name.name)) return table;
  if (db.FindView(name.name)) throw Error("42809", Quoted(name.name) + " is not a table", name.pos);
  if (stmt.if_exists) return nullptr;
  throw Error(sqlstate::kUndefinedTable, "relation " + Quoted(name.name) + " does not exist", name.pos);
}

}  // namespace

ResultPtr ExecuteAlterTable(StatementContext& ctx, ast::AlterTableStmt& stmt) {
  DatabaseEntry& db = TargetDatabase(ctx, stmt.table);
  TableEntry* table = FindAlteredTable(db, stmt);
  if (!table) return Done();
  CheckNoOpenWriters(*table, stmt.pos);
  table->stats().Clear();  // column positions or values may change (plan/statistics.h)
  Alter a{ctx, stmt, db, *table};
  using K = ast::AlterKind;
  switch (stmt.action) {
    case K::AddColumn: return AddColumn(a);
    case K::DropColumn: return DropColumn(a);
    case K::RenameColumn: return RenameColumn(a);
    case K::RenameTable: return RenameTable(a);
    case K::SetDefault:
    case K::DropDefault: return SetDefault(a);
    case K::SetNotNull:
    case K::DropNotNull: return SetNotNull(a);
    case K::AlterColumnType: return AlterColumnType(a);
  }
  ThrowInternal("unknown ALTER TABLE action");
}

}  // namespace lyt
