// INSERT, UPDATE, DELETE and TRUNCATE. Each statement takes the table's writer mutex
// (StatementContext::LockForWrite), computes every change from its transaction's snapshot, then
// checks constraints and writes new row versions (an UPDATE deletes the old version and appends the new one), recording them in the
// transaction's undo log. A failing statement is undone with its transaction (or fails the open
// transaction block).
#include <unordered_set>

#include "common/error.h"
#include "exec/expression_executor.h"
#include "exec/physical_operator.h"
#include "main/row_writes.h"
#include "plan/coercion.h"
#include "plan/optimizer.h"
#include "storage/ordered_key.h"
#include "storage/unique_index.h"

namespace lyt {

namespace {

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

idx_t RowCount(const Batches& rows) {
  idx_t n = 0;
  for (const auto& chunk : rows) n += chunk->size();
  return n;
}

// The key columns of `index` in `chunk` (table columns offset by first_column), into `cols`.
template <typename Index>
void KeyColumns(const Index& index, const DataChunk& chunk, idx_t first_column, std::vector<const Vector*>& cols) {
  cols.clear();
  for (idx_t c : index.columns()) cols.push_back(&chunk.column(first_column + c));
}

// Throws 23505 when a key of `keys` (the rows to append) is held by a row version live for ctx's
// transaction or repeats among `keys`.
void CheckUnique(StatementContext& ctx, const DataTable& storage, version_t horizon, const UniqueConstraint& uc,
                 const std::vector<std::optional<std::string>>& keys) {
  std::unordered_set<std::string_view> seen;  // allocates once a second key arrives
  for (const auto& k : keys) {
    if (!k) continue;
    if (uc.index->FindLive(storage, ctx.txn.snapshot(), horizon, *k) >= 0) ThrowDuplicate(uc);
    if (keys.size() > 1 && !seen.insert(*k).second) ThrowDuplicate(uc);
  }
}

// Enters the `chunk.size()` rows of `chunk`, appended as rows first, first + 1, ..., into the
// table's ordered indexes and (with their keys from keys[i][offset...]) its unique indexes.
void IndexAppended(TableEntry& table, const DataChunk& chunk, row_t first,
                   std::vector<std::vector<std::optional<std::string>>>& keys, size_t offset) {
  std::vector<const Vector*> cols;
  for (auto& oi : table.ordered_indexes()) {
    KeyColumns(*oi.index, chunk, 0, cols);
    for (idx_t r = 0; r < chunk.size(); ++r) {
      std::string key;
      EncodeOrderedKey(cols, r, key);
      oi.index->Insert(std::move(key), first + static_cast<row_t>(r));
    }
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    for (idx_t r = 0; r < chunk.size(); ++r) {
      auto& key = keys[i][offset + r];
      if (key) table.constraints()[i].index->Insert(std::move(*key), first + static_cast<row_t>(r));
    }
  }
}

}  // namespace

std::vector<std::optional<std::string>> KeysOf(const UniqueConstraint& uc, const Batches& rows, idx_t first_column) {
  std::vector<std::optional<std::string>> keys;
  keys.reserve(RowCount(rows));
  std::vector<const Vector*> cols;
  for (const auto& chunk : rows) {
    KeyColumns(*uc.index, *chunk, first_column, cols);
    for (idx_t r = 0; r < chunk->size(); ++r) {
      std::string& key = keys.emplace_back(std::in_place).value();
      if (!EncodeKey(cols, r, key)) keys.back().reset();
    }
  }
  return keys;
}

int64_t AppendVersions(StatementContext& ctx, TableEntry& table, const Batches& rows) {
  CheckNotNull(table, rows);
  DataTable& storage = table.storage();
  std::vector<std::vector<std::optional<std::string>>> keys;
  keys.reserve(table.constraints().size());
  version_t horizon = table.constraints().empty() ? 0 : ctx.session.engine().transactions().OldestActiveStart();
  for (auto& uc : table.constraints()) {
    CheckUnique(ctx, storage, horizon, uc, keys.emplace_back(KeysOf(uc, rows, 0)));
  }
  size_t offset = 0;
  for (const auto& chunk : rows) {
    row_t first = storage.Append(*chunk, ctx.txn.id());
    ctx.txn.RecordInsert(table, first, chunk->size());
    IndexAppended(table, *chunk, first, keys, offset);
    offset += chunk->size();
  }
  return static_cast<int64_t>(offset);
}

void DeleteVersions(StatementContext& ctx, TableEntry& table, std::vector<row_t> ids) {
  if (ids.empty()) return;
  table.storage().Delete(ctx.txn.snapshot(), ids);
  ctx.txn.RecordDelete(table, std::move(ids));
}

void DeleteVersions(StatementContext& ctx, TableEntry& table, const Batches& rows, idx_t id_column) {
  std::vector<row_t> ids;
  for (const auto& chunk : rows) {
    const int64_t* col = chunk->column(id_column).data<int64_t>();
    ids.insert(ids.end(), col, col + chunk->size());
  }
  DeleteVersions(ctx, table, std::move(ids));
}

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

}  // namespace

int64_t InsertRows(StatementContext& ctx, TableEntry& table, const Batches& rows) {
  ctx.LockForWrite(table);
  return AppendVersions(ctx, table, rows);
}

ResultPtr ExecuteInsert(StatementContext& ctx, ast::InsertStmt& stmt) {
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
  ctx.LockForWrite(table);
  Batches rows = RunPlan(ctx, *plan);
  if (stmt.on_conflict != ast::ConflictAction::None) return ExecuteUpsert(ctx, binder, table, stmt, rows);
  int64_t count = AppendVersions(ctx, table, rows);
  return ChangeResult(ctx, binder, TableScope(table, stmt.alias), stmt.returning, rows, "INSERT 0 " + std::to_string(count), count);
}

LogicalOpPtr ScanWithRowIds(TableEntry& table) {
  auto get = std::make_unique<LogicalOp>(LogicalKind::Get);
  get->table = &table;
  idx_t ncols = table.columns().size();
  get->column_ids.reserve(ncols);
  get->types.reserve(ncols);
  for (idx_t i = 0; i < ncols; ++i) {
    get->column_ids.push_back(i);
    get->types.push_back(table.columns()[i].type);
  }
  get->emit_row_ids = true;
  get->types.push_back(TypeId::BigInt);
  return get;
}

// A scan of `table` (named `alias`, columns in `scope`) with the row id as the last column,
// keeping the rows `where` holds for: its conjuncts are the scan's filters, so that a key
// equality becomes an index lookup.
static LogicalOpPtr ScanForChange(Binder& binder, TableEntry& table, const std::string& alias, const ast::Expr* where,
                                  Scope& scope) {
  scope = TableScope(table, alias);
  LogicalOpPtr get = ScanWithRowIds(table);
  if (where) SplitConjuncts(binder.BindCondition(*where, ExprContext{&scope, nullptr, "WHERE"}), get->filters);
  return get;
}

namespace {

// One SET clause: the column it assigns and its value, bound over the scanned row.
struct Assignment {
  idx_t column;
  BoundExprPtr value;
};

std::vector<Assignment> BindAssignments(Binder& binder, const TableEntry& table, const std::vector<ast::SetClause>& set,
                                        const Scope& scope) {
  std::vector<Assignment> out;
  out.reserve(set.size());
  ExprContext ectx{&scope, nullptr, "UPDATE"};
  for (const auto& s : set) {
    auto c = table.FindColumn(s.column);
    if (!c) throw Error(sqlstate::kUndefinedColumn, "column \"" + s.column + "\" of relation \"" + table.name() + "\" does not exist", s.pos);
    for (const auto& a : out) {
      if (a.column == *c) throw Error(sqlstate::kSyntaxError, "multiple assignments to same column \"" + s.column + "\"", s.pos);
    }
    const ColumnEntry& col = table.columns()[*c];
    out.push_back({*c, s.value ? binder.CoerceForAssignment(binder.BindExpr(*s.value, ectx), col.type, col.name, s.value->pos)
                               : BindDefault(binder, col)});
  }
  return out;
}

// Turns each scanned row of `rows` (the old version's columns, then its row id) into the new
// version (then the same row id): every assignment is evaluated over the old values before any
// column is replaced. The replaced columns move to `old_columns`, which must outlive `rows`:
// new string values may point at their bytes.
void ApplyAssignments(StatementContext& ctx, const std::vector<Assignment>& assignments, Batches& rows,
                      std::vector<Vector>& old_columns) {
  ExecContext exec(ctx.functions, ctx.memory, ctx.txn.snapshot());
  old_columns.reserve(old_columns.size() + assignments.size() * rows.size());
  for (auto& chunk : rows) {
    size_t first = old_columns.size();
    for (const auto& a : assignments) {
      Vector& v = old_columns.emplace_back(chunk->column(a.column).type(), chunk->size());
      ExpressionExecutor::Execute(*a.value, *chunk, nullptr, chunk->size(), v, exec);
    }
    for (size_t i = 0; i < assignments.size(); ++i) std::swap(chunk->column(assignments[i].column), old_columns[first + i]);
  }
}

// Keeps the first row of each row id (column `id_column`) of `rows`. The set of row ids seen
// counts against the statement's memory limit while it lives.
void KeepFirstOfEachRow(Batches& rows, idx_t id_column, MemoryTracker& memory) {
  std::unordered_set<int64_t> seen;
  MemoryReservation seen_memory(memory);
  std::vector<sel_t> keep;
  for (auto& chunk : rows) {
    // Charged before the set grows, at most: a node per id (the id and a next pointer, rounded up
    // by the allocator) and two bucket pointers (the table at most doubles as it grows).
    seen_memory.Resize((seen.size() + chunk->size()) * (32 + 2 * sizeof(void*)));
    const int64_t* ids = chunk->column(id_column).data<int64_t>();
    keep.clear();
    for (idx_t r = 0; r < chunk->size(); ++r) {
      if (seen.insert(ids[r]).second) keep.push_back(static_cast<sel_t>(r));
    }
    if (keep.size() == chunk->size()) continue;
    auto kept = std::make_unique<DataChunk>(chunk->Types(), std::max<idx_t>(keep.size(), 1));
    kept->Append(*chunk, keep.data(), keep.size());
    chunk = std::move(kept);
  }
}

// The scan of UPDATE ... FROM and DELETE ... USING: `table` (under `alias`) joined with `from`
// under `where`, as ScanForChange is for a lone table; `scope` gets the columns.
LogicalOpPtr JoinForChange(Binder& binder, TableEntry& table, const std::string& alias, const ast::TableRef& from,
                           const ast::Expr* where, Scope& scope) {
  scope = TableScope(table, alias);
  return binder.BindChangeJoin(ScanWithRowIds(table), from, where, scope);
}

// UPDATE ... FROM and DELETE ... USING: runs `joined` (JoinForChange) and gives, for
// each row of `table` it holds, the row's new version (its columns with `assignments` applied,
// which may read the other tables' columns) then its row id, then, with `keep_others` (for
// RETURNING), the other tables' columns as `joined` gives them. A row joined to several rows of
// the other tables changes once, with the first of them (PostgreSQL, too, leaves which
// unspecified).
Batches RunChangeJoin(StatementContext& ctx, TableEntry& table, LogicalOpPtr joined, std::vector<Assignment> assignments,
                      bool keep_others) {
  idx_t n = table.columns().size();
  auto project = std::make_unique<LogicalOp>(LogicalKind::Projection);
  idx_t width = keep_others ? joined->types.size() : n + 1;
  for (idx_t c = 0; c < width; ++c) {
    auto assigned = std::find_if(assignments.begin(), assignments.end(), [c](const Assignment& a) { return a.column == c; });
    LogicalType type = joined->types[c];
    project->exprs.push_back(assigned != assignments.end() ? std::move(assigned->value) : MakeColumn(c, type));
    project->types.push_back(type);
  }
  project->children.push_back(std::move(joined));
  LogicalOpPtr plan = std::move(project);
  OptimizePlan(plan);
  ctx.LockForWrite(table);
  Batches rows = RunPlan(ctx, *plan);
  KeepFirstOfEachRow(rows, n, ctx.memory);
  return rows;
}

}  // namespace

ResultPtr ExecuteUpdate(StatementContext& ctx, ast::UpdateStmt& stmt) {
  Binder binder = ctx.MakeBinder();
  TableEntry& table = binder.ResolveTable(stmt.table);
  Scope scope;
  Batches rows;
  std::vector<Vector> old_columns;
  if (stmt.from) {
    auto joined = JoinForChange(binder, table, stmt.alias, *stmt.from, stmt.where.get(), scope);
    rows = RunChangeJoin(ctx, table, std::move(joined), BindAssignments(binder, table, stmt.set, scope), !stmt.returning.empty());
  } else {
    auto scan = ScanForChange(binder, table, stmt.alias, stmt.where.get(), scope);
    std::vector<Assignment> assignments = BindAssignments(binder, table, stmt.set, scope);
    ctx.LockForWrite(table);
    rows = RunPlan(ctx, *scan);
    ApplyAssignments(ctx, assignments, rows, old_columns);
  }
  DeleteVersions(ctx, table, rows, table.columns().size());
  int64_t count = AppendVersions(ctx, table, rows);
  // RETURNING sees what the scan or join saw: with FROM, the other tables' columns too, as in
  // PostgreSQL.
  return ChangeResult(ctx, binder, scope, stmt.returning, rows, "UPDATE " + std::to_string(count), count);
}

ResultPtr ExecuteDelete(StatementContext& ctx, ast::DeleteStmt& stmt) {
  Binder binder = ctx.MakeBinder();
  TableEntry& table = binder.ResolveTable(stmt.table);
  Scope scope;
  Batches rows;
  if (stmt.from) {
    rows = RunChangeJoin(ctx, table, JoinForChange(binder, table, stmt.alias, *stmt.from, stmt.where.get(), scope), {},
                         !stmt.returning.empty());
  } else {
    auto scan = ScanForChange(binder, table, stmt.alias, stmt.where.get(), scope);
    ctx.LockForWrite(table);
    rows = RunPlan(ctx, *scan);
  }
  int64_t count = 0;
  for (const auto& chunk : rows) count += static_cast<int64_t>(chunk->size());
  DeleteVersions(ctx, table, rows, table.columns().size());
  return ChangeResult(ctx, binder, scope, stmt.returning, rows, "DELETE " + std::to_string(count), count);
}

// Drops every row at once when no other transaction is open (TRUNCATE holds the catalog lock
// exclusively, so no statement runs either); otherwise deletes the visible rows as a DELETE would,
// which keeps other snapshots intact.
ResultPtr ExecuteTruncate(StatementContext& ctx, ast::TruncateStmt& stmt) {
  Binder binder = ctx.MakeBinder();
  std::vector<TableEntry*> tables;
  for (const auto& name : stmt.tables) tables.push_back(&binder.ResolveTable(name));
  bool alone = !ctx.session.in_transaction_block() && ctx.session.engine().transactions().ActiveCount() == 1;
  for (TableEntry* t : tables) {
    if (alone && t->storage().open_writers() == 0) {
      t->storage().Truncate();
      for (auto& uc : t->constraints()) uc.index->Clear();
      for (auto& oi : t->ordered_indexes()) oi.index->Clear();
      ctx.txn.RecordRewrite(*t);
      continue;
    }
    Scope scope;
    auto scan = ScanForChange(binder, *t, "", nullptr, scope);
    ctx.LockForWrite(*t);
    Batches rows = RunPlan(ctx, *scan);
    DeleteVersions(ctx, *t, rows, t->columns().size());
  }
  return QueryResult::MakeCommand("TRUNCATE TABLE", 0);
}

}  // namespace lyt
