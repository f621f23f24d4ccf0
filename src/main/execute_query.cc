// SELECT and EXPLAIN.
#include "common/error.h"
#include "exec/explain.h"
#include "exec/physical_operator.h"
#include "main/statement_context.h"
#include "plan/logical_plan.h"
#include "plan/optimizer.h"

namespace lyt {

std::vector<std::unique_ptr<DataChunk>> RunPlan(StatementContext& ctx, LogicalOp& plan) {
  auto op = PlanPhysicalOnce(plan);
  ExecContext exec(ctx.functions, ctx.memory, ctx.txn.snapshot());
  op->Open(exec);
  return CollectAll(*op, exec);
}

ResultPtr RunQueryPlan(StatementContext& ctx, LogicalOp& plan, const std::vector<std::string>& names) {
  auto batches = RunPlan(ctx, plan);
  std::vector<ColumnInfo> columns;
  for (size_t i = 0; i < plan.types.size(); ++i) {
    LogicalType t = plan.types[i].id == TypeId::Null ? LogicalType(TypeId::Varchar) : plan.types[i];
    columns.push_back({i < names.size() ? names[i] : "?column?", t});
  }
  return QueryResult::MakeRows(std::move(columns), std::move(batches));
}

ResultPtr ExecuteSelect(StatementContext& ctx, ast::SelectStmt& stmt) {
  Binder binder = ctx.MakeBinder();
  auto plan = binder.BindQuery(*stmt.query);
  std::vector<std::string> names = plan->names;
  OptimizePlan(plan);
  return RunQueryPlan(ctx, *plan, names);
}

ResultPtr MakeTextResult(const std::vector<std::string>& columns, const std::vector<std::vector<Value>>& rows) {
  std::vector<ColumnInfo> infos;
  std::vector<LogicalType> types;
  for (size_t c = 0; c < columns.size(); ++c) {
    LogicalType t = TypeId::Varchar;
    for (const auto& r : rows) {
      if (!r[c].is_null()) {
        t = r[c].type();
        break;
      }
    }
    infos.push_back({columns[c], t});
    types.push_back(t);
  }
  std::vector<std::unique_ptr<DataChunk>> batches;
  for (const auto& row : rows) {
    if (batches.empty() || batches.back()->size() == kVectorSize) batches.push_back(std::make_unique<DataChunk>(types));
    DataChunk& chunk = *batches.back();
    for (size_t c = 0; c < row.size(); ++c) chunk.column(c).SetValue(chunk.size(), row[c]);
    chunk.SetSize(chunk.size() + 1);
  }
  return QueryResult::MakeRows(std::move(infos), std::move(batches));
}

ResultPtr ExecuteExplain(StatementContext& ctx, ast::ExplainStmt& stmt) {
  if (stmt.statement->kind != ast::StmtKind::Select) {
    // EXPLAIN ANALYZE would have to run the statement: refused rather than run unexplained.
    throw Error(sqlstate::kFeatureNotSupported,
                stmt.analyze ? "EXPLAIN ANALYZE supports SELECT statements only" : "EXPLAIN supports SELECT statements only",
                stmt.pos);
  }
  Binder binder = ctx.MakeBinder();
  auto plan = binder.BindQuery(*stmt.statement->As<ast::SelectStmt>().query);
  OptimizePlan(plan);
  auto op = PlanPhysical(*plan);
  ExplainOptions options{stmt.costs, stmt.timing, stmt.summary};
  std::vector<std::string> lines;
  if (stmt.analyze) {
    ExecContext exec(ctx.functions, ctx.memory, ctx.txn.snapshot());
    lines = ExplainAnalyze(std::move(op), exec, options);
  } else {
    lines = ExplainPlan(*op, options);
  }
  std::vector<std::vector<Value>> rows;
  for (auto& line : lines) rows.push_back({Value::Varchar(std::move(line))});
  return MakeTextResult({"QUERY PLAN"}, rows);
}

}  // namespace lyt
