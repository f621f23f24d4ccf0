// RETURNING of INSERT, UPDATE and DELETE.
#include "exec/expression_executor.h"
#include "main/row_writes.h"

namespace lyt {

Scope TableScope(const TableEntry& table, const std::string& alias) {
  Scope scope;
  const std::string& name = alias.empty() ? table.name() : alias;
  scope.columns.reserve(table.columns().size());
  for (const auto& c : table.columns()) {
    ScopeColumn& column = scope.columns.emplace_back();
    column.table = name;
    column.name = c.name;
    column.type = c.type;
  }
  return scope;
}

ResultPtr ChangeResult(StatementContext& ctx, Binder& binder, const Scope& scope, const std::vector<ast::SelectItem>& items,
                       const Batches& rows, std::string tag, int64_t count) {
  if (items.empty()) return QueryResult::MakeCommand(std::move(tag), count);
  std::vector<std::string> names;
  std::vector<BoundExprPtr> exprs = binder.BindReturning(items, scope, names);
  std::vector<LogicalType> types;
  std::vector<ColumnInfo> columns;
  for (size_t i = 0; i < exprs.size(); ++i) {
    LogicalType t = exprs[i]->type.id == TypeId::Null ? LogicalType(TypeId::Varchar) : exprs[i]->type;
    types.push_back(exprs[i]->type);
    columns.push_back({names[i], t});
  }
  ExecContext exec(ctx.functions, ctx.memory, ctx.txn.snapshot());
  Batches out;
  DataChunk values(types);
  for (const auto& chunk : rows) {
    values.Reset();
    for (size_t i = 0; i < exprs.size(); ++i) {
      ExpressionExecutor::Execute(*exprs[i], *chunk, nullptr, chunk->size(), values.column(i), exec);
    }
    values.SetSize(chunk->size());
    auto owned = std::make_unique<DataChunk>(types);  // independent of the rows' buffers
    owned->Append(values, nullptr, values.size());
    out.push_back(std::move(owned));
  }
  return QueryResult::MakeRows(std::move(columns), std::move(out), std::move(tag));
}

}  // namespace lyt
