// CREATE / DROP of tables, views, indexes and databases; USE.
#include "common/error.h"
#include "kv/store.h"
#include "main/ddl_support.h"
#include "plan/coercion.h"
#include "sql/parser.h"

namespace lyt {

namespace {

void CheckNameFree(DatabaseEntry& db, const std::string& name, int pos) {
  if (db.NameInUse(name)) throw Error(sqlstate::kDuplicateTable, "relation \"" + name + "\" already exists", pos);
}

std::vector<idx_t> ResolveColumns(const std::vector<ColumnEntry>& columns, const std::vector<std::string>& names, int pos) {
  std::vector<idx_t> out;
  for (const auto& n : names) {
    idx_t i = 0;
    while (i < columns.size() && columns[i].name != n) ++i;
    if (i == columns.size()) throw Error(sqlstate::kUndefinedColumn, "column \"" + n + "\" named in key does not exist", pos);
    out.push_back(i);
  }
  return out;
}

// Views of `db` (other than `name` itself) that would break if relation `name` went away.
std::vector<std::string> DependentViews(StatementContext& ctx, DatabaseEntry& db, const std::string& name) {
  if (db.FindTable(name)) {
    std::unique_ptr<TableEntry> held;
    return ViewsBrokenBy(
        ctx, db, [&] { held = std::move(db.tables().extract(name).mapped()); },
        [&] { db.tables()[name] = std::move(held); });
  }
  std::optional<ViewEntry> held;
  return ViewsBrokenBy(
      ctx, db, [&] { held = std::move(db.views().extract(name).mapped()); },
      [&] { db.views()[name] = std::move(*held); });
}

}  // namespace

void CheckNoOpenWriters(TableEntry& table, int pos) {
  if (table.storage().open_writers() > 0) {
    throw Error(sqlstate::kObjectInUse,
                "table \"" + table.name() + "\" has uncommitted changes in another transaction; retry after it ends", pos);
  }
}

ResultPtr ExecuteCreateTable(StatementContext& ctx, ast::CreateTableStmt& stmt) {
  DatabaseEntry& db = CreationDatabase(ctx, stmt.name, stmt.temporary);
  const std::string& name = stmt.name.name;
  if (db.NameInUse(name)) {
    if (stmt.if_not_exists) return QueryResult::MakeCommand("CREATE TABLE", 0);
    CheckNameFree(db, name, stmt.name.pos);
  }
  Binder binder = ctx.MakeBinder();
  std::vector<ColumnEntry> columns;
  LogicalOpPtr source;
  if (stmt.as_query) {
    source = binder.BindQuery(*stmt.as_query);
    for (size_t i = 0; i < source->types.size(); ++i) {
      LogicalType t = source->types[i].id == TypeId::Null ? LogicalType(TypeId::Varchar) : source->types[i];
      columns.push_back({source->names[i], t, false, nullptr, {}});
    }
  }
  std::vector<std::pair<std::vector<std::string>, bool>> keys;  // (columns, primary)
  for (auto& def : stmt.columns) {
    ColumnEntry c{def.name, def.type, def.not_null || def.primary_key, nullptr, {}};
    if (def.default_value) {
      BindNewDefault(binder, *def.default_value, def.type, def.name);
      c.default_expr = std::shared_ptr<const ast::Expr>(std::move(def.default_value));
      c.default_sql = def.default_text;
    }
    for (const auto& existing : columns) {
      if (existing.name == c.name) throw Error(sqlstate::kDuplicateColumn, "column \"" + c.name + "\" specified more than once", def.pos);
    }
    if (def.primary_key) keys.push_back({{def.name}, true});
    else if (def.unique) keys.push_back({{def.name}, false});
    columns.push_back(std::move(c));
  }
  for (const auto& tc : stmt.constraints) keys.push_back({tc.columns, tc.kind == ast::TableConstraint::Kind::PrimaryKey});
  int primaries = 0;
  for (const auto& k : keys) primaries += k.second;
  if (primaries > 1) throw Error("42P16", "multiple primary keys for table \"" + name + "\" are not allowed", stmt.pos);

  auto table = std::make_unique<TableEntry>(name, columns, ctx.catalog().NewTableId());
  table->set_database(db.name());
  for (const auto& [cols, primary] : keys) {
    auto idx = ResolveColumns(table->columns(), cols, stmt.pos);
    if (primary) {
      for (idx_t i : idx) table->mutable_columns()[i].not_null = true;
    }
    AddUniqueConstraint(*table, std::move(idx), primary, KeyConstraintName(name, cols, primary));
  }
  int64_t rows = 0;
  if (source) {
    // The query's rows in the table's column types (NULL-typed columns are TEXT), collected by
    // RunPlan: batches sized to their rows and counted against the statement's memory limit.
    auto rows_plan = std::make_unique<LogicalOp>(LogicalKind::Projection);
    for (idx_t c = 0; c < columns.size(); ++c) {
      rows_plan->exprs.push_back(binder.CoerceForAssignment(MakeColumn(c, source->types[c]), columns[c].type, columns[c].name,
                                                            stmt.as_query->pos));
      rows_plan->types.push_back(columns[c].type);
    }
    rows_plan->children.push_back(std::move(source));
    rows = InsertRows(ctx, *table, RunPlan(ctx, *rows_plan));
  }
  db.tables()[name] = std::move(table);
  return QueryResult::MakeCommand(stmt.as_query ? "SELECT " + std::to_string(rows) : "CREATE TABLE", rows);
}

ResultPtr ExecuteCreateDatabase(StatementContext& ctx, ast::CreateDatabaseStmt& stmt) {
  if (ctx.catalog().FindDatabase(stmt.name)) {
    if (stmt.if_not_exists) return QueryResult::MakeCommand("CREATE DATABASE", 0);
  }
  ctx.catalog().CreateDatabase(stmt.name);
  return QueryResult::MakeCommand("CREATE DATABASE", 0);
}

ResultPtr ExecuteCreateIndex(StatementContext& ctx, ast::CreateIndexStmt& stmt) {
  Binder binder = ctx.MakeBinder();
  TableEntry& table = binder.ResolveTable(stmt.table);
  DatabaseEntry& db = TargetDatabase(ctx, stmt.table);
  std::string name = stmt.name;
  std::vector<idx_t> columns;
  for (const auto& item : stmt.columns) {
    if (item.expr->kind != ast::ExprKind::ColumnRef) {
      throw Error(sqlstate::kFeatureNotSupported, "indexes on expressions are not supported yet", item.expr->pos);
    }
    const std::string& col = item.expr->As<ast::ColumnRef>().names.back();
    auto c = table.FindColumn(col);
    if (!c) throw Error(sqlstate::kUndefinedColumn, "column \"" + col + "\" does not exist", item.expr->pos);
    columns.push_back(*c);
    if (stmt.name.empty()) name += "_" + col;
  }
  if (stmt.name.empty()) name = table.name() + name + "_idx";
  if (db.NameInUse(name)) {
    if (stmt.if_not_exists) return QueryResult::MakeCommand("CREATE INDEX", 0);
    CheckNameFree(db, name, stmt.pos);
  }
  // Built from the committed rows: another transaction's uncommitted ones would be missed.
  CheckNoOpenWriters(table, stmt.pos);
  if (stmt.unique) {
    auto index = std::make_unique<UniqueIndex>(columns);
    index->Rebuild(table.storage(), name);
    UniqueConstraint uc;
    uc.name = name;
    uc.from_index = true;
    uc.index = std::move(index);
    table.constraints().push_back(std::move(uc));
  }
  db.indexes()[name] = IndexEntry{name, table.name(), columns, stmt.unique};
  SyncOrderedIndexes(db, table);
  return QueryResult::MakeCommand("CREATE INDEX", 0);
}

ResultPtr ExecuteCreateView(StatementContext& ctx, ast::CreateViewStmt& stmt) {
  DatabaseEntry& db = CreationDatabase(ctx, stmt.name, stmt.temporary);
  if (&db == &ctx.session.temp_tables()) throw Error(sqlstate::kFeatureNotSupported, "temporary views are not supported yet", stmt.pos);
  const std::string& name = stmt.name.name;
  bool replacing = stmt.or_replace && db.FindView(name);
  if (db.NameInUse(name) && !replacing) {
    if (stmt.if_not_exists) return QueryResult::MakeCommand("CREATE VIEW", 0);
    CheckNameFree(db, name, stmt.name.pos);
  }
  Binder binder = ctx.MakeBinder();
  auto plan = binder.BindQuery(*stmt.query);  // validates the query now
  if (binder.used_temp_tables()) {
    // PostgreSQL would make the view temporary; views here are bound on use and see no temporary tables.
    throw Error(sqlstate::kFeatureNotSupported, "views on temporary tables are not supported (temporary views are not supported yet)", stmt.pos);
  }
  if (stmt.column_names.size() > plan->types.size()) {
    throw Error(sqlstate::kSyntaxError, "CREATE VIEW specifies more column names than columns", stmt.pos);
  }
  db.views()[name] = ViewEntry{name, stmt.column_names, stmt.query_text};
  return QueryResult::MakeCommand("CREATE VIEW", 0);
}

ResultPtr ExecuteDrop(StatementContext& ctx, ast::DropStmt& stmt) {
  static const char* kTags[] = {"DROP TABLE", "DROP VIEW", "DROP INDEX", "DROP DATABASE"};
  const char* tag = kTags[static_cast<int>(stmt.object)];
  // Check every name first so a failing DROP a, b drops nothing.
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& qn : stmt.names) {
      if (stmt.object == ast::ObjectKind::Database) {
        if (!ctx.catalog().FindDatabase(qn.name)) {
          if (stmt.if_exists) continue;
          ctx.catalog().GetDatabase(qn.name);
        }
        if (qn.name == ctx.session.current_database()) {
          throw Error(sqlstate::kObjectInUse, "cannot drop the currently open database", qn.pos);
        }
        if (pass == 0) {
          for (auto& [name, table] : ctx.catalog().GetDatabase(qn.name).tables()) CheckNoOpenWriters(*table, qn.pos);
        } else {
          ctx.catalog().DropDatabase(qn.name);
          ctx.session.engine().users().DropDatabase(qn.name);  // its grants go with it
          ctx.session.engine().kv().Drop(qn.name);              // and its Redis keys
        }
        continue;
      }
      DatabaseEntry& db = TargetDatabase(ctx, qn);
      bool exists = stmt.object == ast::ObjectKind::Table ? db.FindTable(qn.name) != nullptr
                    : stmt.object == ast::ObjectKind::View ? db.FindView(qn.name) != nullptr
                                                             : db.FindIndex(qn.name) != nullptr;
      if (!exists && stmt.object != ast::ObjectKind::Index) {
        bool other_kind = stmt.object == ast::ObjectKind::Table ? db.FindView(qn.name) != nullptr : db.FindTable(qn.name) != nullptr;
        if (other_kind) {
          throw Error("42809", "\"" + qn.name + "\" is not a " + (stmt.object == ast::ObjectKind::Table ? "table" : "view"), qn.pos);
        }
      }
      if (!exists) {
        if (stmt.if_exists) continue;
        const char* what = stmt.object == ast::ObjectKind::Table ? "table" : stmt.object == ast::ObjectKind::View ? "view" : "index";
        throw Error(stmt.object == ast::ObjectKind::Index ? sqlstate::kUndefinedObject : sqlstate::kUndefinedTable,
                    std::string(what) + " \"" + qn.name + "\" does not exist", qn.pos);
      }
      if (stmt.object != ast::ObjectKind::Index) {
        std::vector<std::string> dependents = DependentViews(ctx, db, qn.name);
        if (!dependents.empty() && !stmt.cascade) {
          throw Error("2BP01", std::string("cannot drop ") + (stmt.object == ast::ObjectKind::Table ? "table " : "view ") + qn.name +
                                   " because other objects depend on it (view " + dependents[0] + "); use DROP ... CASCADE",
                      qn.pos);
        }
        if (pass == 1) {
          for (const auto& v : dependents) db.views().erase(v);
        }
      }
      if (pass == 0) {
        if (stmt.object == ast::ObjectKind::Table) CheckNoOpenWriters(*db.FindTable(qn.name), qn.pos);
        continue;
      }
      if (stmt.object == ast::ObjectKind::Table) {
        for (auto it = db.indexes().begin(); it != db.indexes().end();) {
          it = it->second.table == qn.name ? db.indexes().erase(it) : std::next(it);
        }
        db.tables().erase(qn.name);
      } else if (stmt.object == ast::ObjectKind::View) {
        db.views().erase(qn.name);
      } else {
        IndexEntry* index = db.FindIndex(qn.name);
        TableEntry* table = db.FindTable(index->table);
        if (table) {
          auto& cs = table->constraints();
          cs.erase(std::remove_if(cs.begin(), cs.end(), [&](const UniqueConstraint& uc) { return uc.from_index && uc.name == qn.name; }), cs.end());
        }
        db.indexes().erase(qn.name);
        if (table) SyncOrderedIndexes(db, *table);
      }
    }
  }
  return QueryResult::MakeCommand(tag, 0);
}

ResultPtr ExecuteUse(StatementContext& ctx, ast::UseStmt& stmt) {
  ctx.catalog().GetDatabase(stmt.database);
  ctx.session.set_current_database(stmt.database);
  return QueryResult::MakeCommand("USE", 0);
}

}  // namespace lyt
