// INSERT ... ON CONFLICT [(columns)] DO NOTHING | DO UPDATE SET ... [WHERE ...], with PostgreSQL's
// rules: the conflict target names the columns of a unique constraint (the arbiter); each proposed
// row either inserts, or meets an existing row holding its arbiter key, which DO NOTHING leaves
// alone and DO UPDATE rewrites from the existing row and the proposed one (`excluded`). A
// statement that would update one row twice fails with 21000.
//
// Also SQLite's INSERT OR REPLACE / REPLACE INTO (ConflictAction::Replace): every row conflicting
// with a proposed row on any unique constraint is deleted, then the proposed row is inserted.
#include <unordered_map>
#include <unordered_set>

#include "common/error.h"
#include "exec/expression_executor.h"
#include "main/row_writes.h"

namespace lyt {

namespace {

// The unique constraints that decide a conflict: the one whose columns are exactly the target's,
// or every one when DO NOTHING has no target.
std::vector<const UniqueConstraint*> Arbiters(const TableEntry& table, const ast::InsertStmt& stmt) {
  std::vector<const UniqueConstraint*> arbiters;
  if (stmt.conflict_columns.empty()) {
    if (stmt.on_conflict == ast::ConflictAction::DoUpdate) {
      throw Error(sqlstate::kSyntaxError, "ON CONFLICT DO UPDATE requires inference specification or constraint name", stmt.pos);
    }
    for (const auto& uc : table.constraints()) arbiters.push_back(&uc);
    return arbiters;
  }
  std::vector<idx_t> target;
  for (const auto& name : stmt.conflict_columns) {
    auto c = table.FindColumn(name);
    if (!c) throw Error(sqlstate::kUndefinedColumn, "column \"" + name + "\" does not exist", stmt.pos);
    target.push_back(*c);
  }
  std::sort(target.begin(), target.end());
  target.erase(std::unique(target.begin(), target.end()), target.end());
  for (const auto& uc : table.constraints()) {
    std::vector<idx_t> cols = uc.index->columns();
    std::sort(cols.begin(), cols.end());
    if (cols == target) return {&uc};
  }
  throw Error(sqlstate::kInvalidColumnReference, "there is no unique or exclusion constraint matching the ON CONFLICT specification",
              stmt.pos);
}

// Appends rows `sel[0..n)` of `chunk` to `out` as a new chunk owning its values.
void AppendSelected(Batches& out, const DataChunk& chunk, const sel_t* sel, idx_t n) {
  if (n == 0) return;
  auto copy = std::make_unique<DataChunk>(chunk.Types());
  copy->Append(chunk, sel, n);
  out.push_back(std::move(copy));
}

// The statement's result over the rows it wrote: the RETURNING rows, or the tag.
ResultPtr InsertResult(StatementContext& ctx, Binder& binder, const TableEntry& table, const ast::InsertStmt& stmt,
                       const Batches& written, int64_t count) {
  return ChangeResult(ctx, binder, TableScope(table, stmt.alias), stmt.returning, written,
                      "INSERT 0 " + std::to_string(count), count);
}

// What INSERT OR REPLACE writes: the proposed rows to insert and the ids of the existing rows
// they replace.
struct Replacement {
  Batches inserts;
  std::vector<row_t> deleted;
};

// SQLite's REPLACE over `rows` in order: a proposed row replaces every existing row and every
// earlier proposed row that holds one of its keys on any unique constraint (NULL keys never
// conflict). Throws 40001 (from FindLive) when a concurrent transaction holds such a key.
Replacement PlanReplace(StatementContext& ctx, const TableEntry& table, const Batches& rows) {
  const auto& constraints = table.constraints();
  std::vector<std::vector<std::optional<std::string>>> keys;
  for (const auto& uc : constraints) keys.push_back(KeysOf(uc, rows, 0));
  size_t total = 0;
  for (const auto& chunk : rows) total += chunk->size();
  // For each constraint, the key -> the (flat) proposed row that will insert it.
  std::vector<std::unordered_map<std::string, size_t>> pending(constraints.size());
  std::vector<bool> kept(total, false);
  std::vector<row_t> doomed;
  std::unordered_set<row_t> doomed_set;
  version_t horizon = ctx.session.engine().transactions().OldestActiveStart();
  for (size_t flat = 0; flat < total; ++flat) {
    for (size_t a = 0; a < constraints.size(); ++a) {
      const auto& key = keys[a][flat];
      if (!key) continue;
      auto earlier = pending[a].find(*key);
      if (earlier != pending[a].end()) {
        size_t dropped = earlier->second;
        kept[dropped] = false;
        for (size_t b = 0; b < constraints.size(); ++b) {
          if (keys[b][dropped]) pending[b].erase(*keys[b][dropped]);
        }
        continue;  // the key's existing holder, if any, was already replaced by `dropped`
      }
      row_t holder = constraints[a].index->FindLive(table.storage(), ctx.txn.snapshot(), horizon, *key);
      if (holder >= 0 && doomed_set.insert(holder).second) doomed.push_back(holder);
    }
    for (size_t a = 0; a < constraints.size(); ++a) {
      if (keys[a][flat]) pending[a][*keys[a][flat]] = flat;
    }
    kept[flat] = true;
  }

  Replacement plan;
  size_t flat = 0;
  for (const auto& chunk : rows) {
    sel_t sel[kVectorSize];
    idx_t n = 0;
    for (idx_t r = 0; r < chunk->size(); ++r, ++flat) {
      if (kept[flat]) sel[n++] = static_cast<sel_t>(r);
    }
    AppendSelected(plan.inserts, *chunk, sel, n);
  }
  plan.deleted = std::move(doomed);
  return plan;
}

ResultPtr ExecuteReplace(StatementContext& ctx, Binder& binder, TableEntry& table, const ast::InsertStmt& stmt,
                         const Batches& rows) {
  ctx.LockForWrite(table);
  Replacement plan = PlanReplace(ctx, table, rows);
  DeleteVersions(ctx, table, std::move(plan.deleted));
  int64_t count = AppendVersions(ctx, table, plan.inserts);
  return InsertResult(ctx, binder, table, stmt, plan.inserts, count);
}

struct Proposed {
  idx_t batch;
  sel_t row;
};

// The bound DO UPDATE clause: one expression per column (null: keep the existing value) and the
// optional WHERE, over the existing row's columns followed by the proposed row's (`excluded`).
struct UpdateClause {
  std::vector<BoundExprPtr> values;
  BoundExprPtr where;
};

UpdateClause BindUpdateClause(Binder& binder, const TableEntry& table, const ast::InsertStmt& stmt) {
  Scope scope = TableScope(table, stmt.alias);
  for (const auto& c : table.columns()) scope.columns.push_back({"excluded", c.name, c.type});
  ExprContext ectx{&scope, nullptr, "ON CONFLICT DO UPDATE"};
  UpdateClause clause;
  clause.values.resize(table.columns().size());
  for (const auto& s : stmt.conflict_set) {
    auto c = table.FindColumn(s.column);
    if (!c) throw Error(sqlstate::kUndefinedColumn, "column \"" + s.column + "\" of relation \"" + table.name() + "\" does not exist", s.pos);
    if (clause.values[*c]) throw Error(sqlstate::kSyntaxError, "multiple assignments to same column \"" + s.column + "\"", s.pos);
    const ColumnEntry& col = table.columns()[*c];
    clause.values[*c] = s.value ? binder.CoerceForAssignment(binder.BindExpr(*s.value, ectx), col.type, col.name, s.value->pos)
                                : BindDefault(binder, col);
  }
  if (stmt.conflict_where) clause.where = binder.BindCondition(*stmt.conflict_where, ExprContext{&scope, nullptr, "WHERE"});
  return clause;
}

// New versions (table columns, then the old row id) of the existing rows `existing` updated from
// the proposed rows `from`; rows the WHERE rejects are left out.
Batches UpdatedRows(StatementContext& ctx, const TableEntry& table, const UpdateClause& clause, const Batches& rows,
                    const std::vector<row_t>& existing, const std::vector<Proposed>& from) {
  std::vector<LogicalType> types = table.Types();
  std::vector<LogicalType> both = types;
  both.insert(both.end(), types.begin(), types.end());
  std::vector<LogicalType> out_types = types;
  out_types.push_back(TypeId::BigInt);
  std::vector<idx_t> all_columns(types.size());
  for (idx_t c = 0; c < types.size(); ++c) all_columns[c] = c;
  ExecContext exec(ctx.functions, ctx.memory, ctx.txn.snapshot());
  Batches out;
  for (size_t done = 0; done < existing.size(); done += kVectorSize) {
    idx_t n = std::min<idx_t>(kVectorSize, existing.size() - done);
    // The existing row's columns, then the proposed row's.
    DataChunk input(both);
    DataChunk current(types);
    table.storage().Fetch(existing.data() + done, n, all_columns, current);
    for (idx_t c = 0; c < types.size(); ++c) {
      input.column(c).CopyFrom(current.column(c), nullptr, n, 0);
      for (idx_t i = 0; i < n; ++i) {
        const Proposed& p = from[done + i];
        input.column(types.size() + c).CopyFrom(rows[p.batch]->column(c), &p.row, 1, i);
      }
    }
    input.SetSize(n);
    sel_t keep[kVectorSize];
    idx_t m = clause.where ? ExpressionExecutor::Select(*clause.where, input, nullptr, n, keep, exec) : n;
    if (m == 0) continue;
    DataChunk kept(both);
    kept.Append(input, clause.where ? keep : nullptr, m);
    DataChunk computed(out_types);
    for (idx_t c = 0; c < types.size(); ++c) {
      if (clause.values[c]) ExpressionExecutor::Execute(*clause.values[c], kept, nullptr, m, computed.column(c), exec);
      else computed.column(c).Reference(kept.column(c));
    }
    Vector& ids = computed.column(types.size());
    for (idx_t i = 0; i < m; ++i) {
      ids.data<int64_t>()[i] = existing[done + (clause.where ? keep[i] : i)];
      ids.SetNull(i, false);
    }
    computed.SetSize(m);
    auto chunk = std::make_unique<DataChunk>(out_types);  // owns its values, independent of `kept`
    chunk->Append(computed, nullptr, m);
    out.push_back(std::move(chunk));
  }
  return out;
}

}  // namespace

ResultPtr ExecuteUpsert(StatementContext& ctx, Binder& binder, TableEntry& table, const ast::InsertStmt& stmt,
                        const Batches& rows) {
  if (stmt.on_conflict == ast::ConflictAction::Replace) return ExecuteReplace(ctx, binder, table, stmt, rows);
  bool do_update = stmt.on_conflict == ast::ConflictAction::DoUpdate;
  std::vector<const UniqueConstraint*> arbiters = Arbiters(table, stmt);
  UpdateClause clause;
  if (do_update) clause = BindUpdateClause(binder, table, stmt);
  ctx.LockForWrite(table);

  std::vector<std::vector<std::optional<std::string>>> keys;
  for (const UniqueConstraint* uc : arbiters) keys.push_back(KeysOf(*uc, rows, 0));
  std::vector<std::unordered_set<std::string>> claimed(arbiters.size());  // keys this statement wrote
  version_t horizon = ctx.session.engine().transactions().OldestActiveStart();
  Batches inserts;
  std::vector<row_t> existing;
  std::vector<Proposed> from;
  size_t flat = 0;
  for (idx_t b = 0; b < rows.size(); ++b) {
    sel_t insert_rows[kVectorSize];
    idx_t ninsert = 0;
    for (idx_t r = 0; r < rows[b]->size(); ++r, ++flat) {
      bool seen_here = false;
      row_t holder = -1;
      for (size_t a = 0; a < arbiters.size() && holder < 0 && !seen_here; ++a) {
        const auto& key = keys[a][flat];
        if (!key) continue;  // NULLs never conflict
        seen_here = claimed[a].count(*key) > 0;
        if (!seen_here) holder = arbiters[a]->index->FindLive(table.storage(), ctx.txn.snapshot(), horizon, *key);
      }
      if (seen_here && do_update) {
        throw Error(sqlstate::kCardinalityViolation, "ON CONFLICT DO UPDATE command cannot affect row a second time", stmt.pos);
      }
      if (seen_here || (holder >= 0 && !do_update)) continue;
      for (size_t a = 0; a < arbiters.size(); ++a) {
        if (keys[a][flat]) claimed[a].insert(*keys[a][flat]);
      }
      if (holder >= 0) {
        existing.push_back(holder);
        from.push_back({b, static_cast<sel_t>(r)});
      } else {
        insert_rows[ninsert++] = static_cast<sel_t>(r);
      }
    }
    AppendSelected(inserts, *rows[b], insert_rows, ninsert);
  }

  Batches changed;
  if (!existing.empty()) {
    Batches updated = UpdatedRows(ctx, table, clause, rows, existing, from);
    DeleteVersions(ctx, table, updated, table.columns().size());
    for (auto& chunk : updated) changed.push_back(std::move(chunk));
  }
  for (auto& chunk : inserts) changed.push_back(std::move(chunk));
  int64_t count = AppendVersions(ctx, table, changed);
  return InsertResult(ctx, binder, table, stmt, changed, count);
}

}  // namespace lyt
