// ANALYZE [table]: planner statistics (plan/statistics.h) from the rows the statement's snapshot
// sees. Statistics are published at once and are not part of the transaction: a rollback keeps
// them, and they live in memory only (a restart starts without them).
#include "main/statement_context.h"
#include "plan/statistics.h"

namespace lyt {

ResultPtr ExecuteAnalyze(StatementContext& ctx, ast::AnalyzeStmt& stmt) {
  const Snapshot& snapshot = ctx.txn.snapshot();
  if (stmt.all) {
    // Every table of the current database and the session's temporary tables, as PostgreSQL
    // analyzes every table the session may read.
    for (DatabaseEntry* db : {&ctx.database(), &ctx.session.temp_tables()}) {
      for (auto& [name, table] : db->tables()) AnalyzeTable(*table, snapshot);
    }
    return QueryResult::MakeCommand("ANALYZE", 0);
  }
  DatabaseEntry& db = ctx.RelationDatabase(stmt.table);
  TableEntry* table = db.FindTable(stmt.table.name);
  if (!table) {
    if (db.FindView(stmt.table.name)) {
      throw Error("42809", "\"" + stmt.table.name + "\" is not a table", stmt.table.pos);
    }
    throw Error(sqlstate::kUndefinedTable, "relation \"" + stmt.table.name + "\" does not exist", stmt.table.pos);
  }
  AnalyzeTable(*table, snapshot);
  return QueryResult::MakeCommand("ANALYZE", 0);
}

}  // namespace lyt
