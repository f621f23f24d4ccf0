// INSERT, UPDATE, DELETE and TRUNCATE. Each statement first computes every change and checks
// every constraint, then applies the changes: a failing statement leaves the table untouched.
#include <unordered_set>

#include "common/error.h"
#include "exec/physical_operator.h"
#include "main/statement_context.h"
#include "plan/coercion.h"
#include "storage/unique_index.h"

namespace lyt {

namespace {

using Batches = std::vector<std::unique_ptr<DataChunk>>;

Batches RunPlan(StatementContext& ctx, const LogicalOp& plan) {
  auto op = PlanPhysical(plan);
  ExecContext exec(ctx.functions, ctx.memory);
  op->Open(exec);
  return CollectAll(*op, exec);
}

void CheckNotNull(const TableEntry& table, const Batches& rows, idx_t first_column = 0) {
  for (idx_t c = 0; c < table.columns().size(); ++c) {
    if (!table.columns()[c].not_null) continue;
    for (const auto& chunk : rows) {
      const Vector& v = chunk->column(first_column + c);
      for (idx_t r = 0; r < chunk->size(); ++r) {
        if (v.IsNull(r)) {
          throw Error(sqlstate::kNotNullViolation, "null value in column \"" + table.columns()[c].name +
                                                       "\" of relation \"" + table.name() + "\" violates not-null constraint");
        }
      }
    }
  }
}

[[noreturn]] void ThrowDuplicate(const UniqueConstraint& uc) {
  throw Error(sqlstate::kUniqueViolation, "duplicate key value violates unique constraint \"" + uc.name + "\"");
}

// Encoded keys of `uc` for every row of `rows` (columns offset by first_column); rows with a NULL
// key get an empty optional.
std::vector<std::optional<std::string>> KeysOf(const UniqueConstraint& uc, const Batches& rows, idx_t first_column) {
  std::vector<std::optional<std::string>> keys;
  for (const auto& chunk : rows) {
    std::vector<const Vector*> cols;
    for (idx_t c : uc.index->columns()) cols.push_back(&chunk->column(first_column + c));
    for (idx_t r = 0; r < chunk->size(); ++r) {
      std::string key;
      if (EncodeKey(cols, r, key)) keys.emplace_back(std::move(key));
      else keys.emplace_back();
    }
  }
  return keys;
}

}  // namespace

BoundExprPtr BindDefault(Binder& binder, const ColumnEntry& column) {
  if (!column.default_expr) return MakeConstant(Value::Null(column.type));
  Scope empty;
  auto e = binder.BindExpr(*column.default_expr, ExprContext{&empty, nullptr, "DEFAULT"});
  return binder.CoerceForAssignment(std::move(e), column.type, column.name, column.default_expr->pos);
}

namespace {

// The positions of the named target columns (all columns when `names` is empty).
std::vector<idx_t> TargetColumns(const TableEntry& table, const std::vector<std::string>& names, int pos) {
  std::vector<idx_t> targets;
  if (names.empty()) {
    for (idx_t i = 0; i < table.columns().size(); ++i) targets.push_back(i);
    return targets;
  }
  for (const auto& n : names) {
    auto c = table.FindColumn(n);
    if (!c) throw Error(sqlstate::kUndefinedColumn, "column \"" + n + "\" of relation \"" + table.name() + "\" does not exist", pos);
    if (std::find(targets.begin(), targets.end(), *c) != targets.end()) {
      throw Error(sqlstate::kDuplicateColumn, "column \"" + n + "\" specified more than once", pos);
    }
    targets.push_back(*c);
  }
  return targets;
}

void RejectReturning(const std::vector<ast::SelectItem>& returning, int pos) {
  if (!returning.empty()) throw Error(sqlstate::kFeatureNotSupported, "RETURNING is not supported yet", pos);
}

}  // namespace

int64_t InsertRows(TableEntry& table, const Batches& rows) {
  CheckNotNull(table, rows);
  std::vector<std::vector<std::optional<std::string>>> keys;
  for (const auto& uc : table.constraints()) {
    keys.push_back(KeysOf(uc, rows, 0));
    std::unordered_set<std::string> seen;
    for (const auto& k : keys.back()) {
      if (!k) continue;
      if (uc.index->Find(*k) >= 0 || !seen.insert(*k).second) ThrowDuplicate(uc);
    }
  }
  row_t next = table.storage().NextRowId();
  int64_t count = 0;
  for (const auto& chunk : rows) {
    table.storage().Append(*chunk);
    count += static_cast<int64_t>(chunk->size());
  }
  for (size_t i = 0; i < table.constraints().size(); ++i) {
    row_t id = next;
    for (auto& k : keys[i]) {
      if (k) table.constraints()[i].index->Insert(std::move(*k), id);
      ++id;
    }
  }
  return count;
}

ResultPtr ExecuteInsert(StatementContext& ctx, ast::InsertStmt& stmt) {
  RejectReturning(stmt.returning, stmt.pos);
  if (stmt.on_conflict != ast::ConflictAction::None) {
    throw Error(sqlstate::kFeatureNotSupported, "ON CONFLICT is not supported yet", stmt.pos);
  }
  Binder binder = ctx.MakeBinder();
  TableEntry& table = binder.ResolveTable(stmt.table);
  std::vector<idx_t> targets = TargetColumns(table, stmt.columns, stmt.pos);
  const auto& columns = table.columns();
  if (stmt.columns.empty()) {
    // Without a column list, a shorter row fills the leading columns (PostgreSQL).
    size_t width = stmt.query ? 0 : (stmt.values.empty() ? 0 : stmt.values[0].size());
    if (width > 0 && width < targets.size()) targets.resize(width);
  }

  // A plan producing complete rows of the table, in column order.
  LogicalOpPtr plan;
  if (stmt.query) {
    auto source = binder.BindQuery(*stmt.query);
    if (stmt.columns.empty() && source->types.size() < targets.size()) targets.resize(source->types.size());
    if (source->types.size() != targets.size()) {
      throw Error(sqlstate::kSyntaxError, source->types.size() > targets.size() ? "INSERT has more expressions than target columns"
                                                                                : "INSERT has more target columns than expressions", stmt.query->pos);
    }
    auto proj = std::make_unique<LogicalOp>(LogicalKind::Projection);
    for (idx_t c = 0; c < columns.size(); ++c) {
      auto it = std::find(targets.begin(), targets.end(), c);
      if (it == targets.end()) {
        proj->exprs.push_back(BindDefault(binder, columns[c]));
      } else {
        idx_t i = static_cast<idx_t>(it - targets.begin());
        proj->exprs.push_back(binder.CoerceForAssignment(MakeColumn(i, source->types[i]), columns[c].type, columns[c].name, stmt.query->pos));
      }
      proj->types.push_back(columns[c].type);
    }
    proj->children.push_back(std::move(source));
    plan = std::move(proj);
  } else {
    plan = std::make_unique<LogicalOp>(LogicalKind::Values);
    for (const auto& c : columns) plan->types.push_back(c.type);
    Scope empty;
    ExprContext ectx{&empty, nullptr, "VALUES"};
    size_t nrows = stmt.default_values ? 1 : stmt.values.size();
    for (size_t r = 0; r < nrows; ++r) {
      if (!stmt.default_values && stmt.values[r].size() != targets.size()) {
        throw Error(sqlstate::kSyntaxError, stmt.values[r].size() > targets.size() ? "INSERT has more expressions than target columns"
                                                                                   : "INSERT has more target columns than expressions", stmt.pos);
      }
      std::vector<BoundExprPtr> row;
      for (idx_t c = 0; c < columns.size(); ++c) {
        auto it = std::find(targets.begin(), targets.end(), c);
        const ast::Expr* e = (stmt.default_values || it == targets.end()) ? nullptr : stmt.values[r][it - targets.begin()].get();
        if (!e) {
          row.push_back(BindDefault(binder, columns[c]));
        } else {
          row.push_back(binder.CoerceForAssignment(binder.BindExpr(*e, ectx), columns[c].type, columns[c].name, e->pos));
        }
      }
      plan->rows.push_back(std::move(row));
    }
  }
  Batches rows = RunPlan(ctx, *plan);
  int64_t count = InsertRows(table, rows);
  return QueryResult::MakeCommand("INSERT 0 " + std::to_string(count), count);
}

// A scan of `table` filtered by `where`, with the row id as the last column.
static LogicalOpPtr ScanForChange(Binder& binder, TableEntry& table, const std::string& alias, const ast::Expr* where,
                                  Scope& scope) {
  auto get = std::make_unique<LogicalOp>(LogicalKind::Get);
  get->table = &table;
  for (idx_t i = 0; i < table.columns().size(); ++i) {
    get->column_ids.push_back(i);
    get->types.push_back(table.columns()[i].type);
    scope.columns.push_back({alias.empty() ? table.name() : alias, table.columns()[i].name, table.columns()[i].type});
  }
  get->emit_row_ids = true;
  LogicalOpPtr plan = std::move(get);
  if (where) {
    auto filter = std::make_unique<LogicalOp>(LogicalKind::Filter);
    filter->exprs.push_back(binder.BindCondition(*where, ExprContext{&scope, nullptr, "WHERE"}));
    filter->types = plan->types;
    // The scan passes the row id through as an extra last column.
    filter->types.push_back(TypeId::BigInt);
    filter->children.push_back(std::move(plan));
    plan = std::move(filter);
  }
  return plan;
}

ResultPtr ExecuteUpdate(StatementContext& ctx, ast::UpdateStmt& stmt) {
  RejectReturning(stmt.returning, stmt.pos);
  if (stmt.from) throw Error(sqlstate::kFeatureNotSupported, "UPDATE ... FROM is not supported yet", stmt.pos);
  Binder binder = ctx.MakeBinder();
  TableEntry& table = binder.ResolveTable(stmt.table);
  Scope scope;
  auto scan = ScanForChange(binder, table, stmt.alias, stmt.where.get(), scope);
  idx_t ncols = table.columns().size();

  // New row (all columns), old row, row id.
  std::vector<BoundExprPtr> new_values(ncols);
  std::vector<idx_t> set_columns;
  ExprContext ectx{&scope, nullptr, "UPDATE"};
  for (const auto& s : stmt.set) {
    auto c = table.FindColumn(s.column);
    if (!c) throw Error(sqlstate::kUndefinedColumn, "column \"" + s.column + "\" of relation \"" + table.name() + "\" does not exist", s.pos);
    if (new_values[*c]) throw Error(sqlstate::kSyntaxError, "multiple assignments to same column \"" + s.column + "\"", s.pos);
    const ColumnEntry& col = table.columns()[*c];
    new_values[*c] = s.value ? binder.CoerceForAssignment(binder.BindExpr(*s.value, ectx), col.type, col.name, s.value->pos)
                             : BindDefault(binder, col);
    set_columns.push_back(*c);
  }
  auto proj = std::make_unique<LogicalOp>(LogicalKind::Projection);
  for (idx_t c = 0; c < ncols; ++c) {
    proj->exprs.push_back(new_values[c] ? std::move(new_values[c]) : MakeColumn(c, table.columns()[c].type));
    proj->types.push_back(table.columns()[c].type);
  }
  for (idx_t c = 0; c < ncols; ++c) {
    proj->exprs.push_back(MakeColumn(c, table.columns()[c].type));
    proj->types.push_back(table.columns()[c].type);
  }
  proj->exprs.push_back(MakeColumn(ncols, TypeId::BigInt));
  proj->types.push_back(TypeId::BigInt);
  proj->children.push_back(std::move(scan));
  Batches rows = RunPlan(ctx, *proj);

  CheckNotNull(table, rows);
  std::unordered_set<row_t> updated;
  for (const auto& chunk : rows) {
    for (idx_t r = 0; r < chunk->size(); ++r) updated.insert(chunk->column(2 * ncols).data<int64_t>()[r]);
  }
  // Unique constraints over changed columns: new keys must not collide with rows left alone or
  // with each other.
  std::vector<size_t> touched;
  std::vector<std::vector<std::optional<std::string>>> new_keys, old_keys;
  for (size_t i = 0; i < table.constraints().size(); ++i) {
    const UniqueConstraint& uc = table.constraints()[i];
    bool affected = false;
    for (idx_t c : uc.index->columns()) affected |= std::find(set_columns.begin(), set_columns.end(), c) != set_columns.end();
    if (!affected) continue;
    touched.push_back(i);
    new_keys.push_back(KeysOf(uc, rows, 0));
    old_keys.push_back(KeysOf(uc, rows, ncols));
    std::unordered_set<std::string> seen;
    for (const auto& k : new_keys.back()) {
      if (!k) continue;
      row_t holder = uc.index->Find(*k);
      if ((holder >= 0 && !updated.count(holder)) || !seen.insert(*k).second) ThrowDuplicate(uc);
    }
  }
  // Apply.
  for (size_t t = 0; t < touched.size(); ++t) {
    UniqueIndex& index = *table.constraints()[touched[t]].index;
    for (const auto& k : old_keys[t]) {
      if (k) index.Erase(*k);
    }
    size_t i = 0;
    for (const auto& chunk : rows) {
      for (idx_t r = 0; r < chunk->size(); ++r, ++i) {
        if (new_keys[t][i]) index.Insert(*new_keys[t][i], chunk->column(2 * ncols).data<int64_t>()[r]);
      }
    }
  }
  int64_t count = 0;
  for (const auto& chunk : rows) {
    std::vector<row_t> ids(chunk->column(2 * ncols).data<int64_t>(), chunk->column(2 * ncols).data<int64_t>() + chunk->size());
    for (idx_t c : set_columns) table.storage().Update(ids, c, chunk->column(c));
    count += static_cast<int64_t>(chunk->size());
  }
  return QueryResult::MakeCommand("UPDATE " + std::to_string(count), count);
}

ResultPtr ExecuteDelete(StatementContext& ctx, ast::DeleteStmt& stmt) {
  RejectReturning(stmt.returning, stmt.pos);
  Binder binder = ctx.MakeBinder();
  TableEntry& table = binder.ResolveTable(stmt.table);
  Scope scope;
  auto scan = ScanForChange(binder, table, stmt.alias, stmt.where.get(), scope);
  Batches rows = RunPlan(ctx, *scan);
  idx_t ncols = table.columns().size();
  for (auto& uc : table.constraints()) {
    for (const auto& k : KeysOf(uc, rows, 0)) {
      if (k) uc.index->Erase(*k);
    }
  }
  int64_t count = 0;
  for (const auto& chunk : rows) {
    std::vector<row_t> ids(chunk->column(ncols).data<int64_t>(), chunk->column(ncols).data<int64_t>() + chunk->size());
    table.storage().Delete(ids);
    count += static_cast<int64_t>(chunk->size());
  }
  return QueryResult::MakeCommand("DELETE " + std::to_string(count), count);
}

ResultPtr ExecuteTruncate(StatementContext& ctx, ast::TruncateStmt& stmt) {
  Binder binder = ctx.MakeBinder();
  std::vector<TableEntry*> tables;
  for (const auto& name : stmt.tables) tables.push_back(&binder.ResolveTable(name));
  for (TableEntry* t : tables) {
    t->storage().Truncate();
    for (auto& uc : t->constraints()) uc.index->Clear();
  }
  return QueryResult::MakeCommand("TRUNCATE TABLE", 0);
}

}  // namespace lyt
