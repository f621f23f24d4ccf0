#include "main/session.h"

#include <unistd.h>

#include <mutex>

#include "common/datetime.h"
#include "common/error.h"
#include "main/statement_context.h"
#include "sql/parser.h"

namespace lyt {

Engine::Engine(const DatabaseOptions& options) : memory_limit_(options.memory_limit_bytes) {
  if (memory_limit_ == 0) {
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    memory_limit_ = pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) / 10 * 8 : (8ULL << 30);
  }
}

Session::Session(Engine& engine)
    : engine_(engine), current_database_(Catalog::kDefaultDatabase), rng_(std::random_device{}()), memory_limit_(engine.memory_limit()) {}

StatementContext::StatementContext(Session& s, const std::vector<Value>& p)
    : session(s), params(p), memory(s.memory_limit()) {
  functions.statement_time_us = CurrentTimestampMicros();
  functions.rng = &s.rng();
}

namespace {

bool OnlyReads(const ast::Statement& s) {
  switch (s.kind) {
    case ast::StmtKind::Select:
    case ast::StmtKind::Show:
    case ast::StmtKind::Describe:
    case ast::StmtKind::Use:
    case ast::StmtKind::Set:
      return true;
    case ast::StmtKind::Explain: return !s.As<ast::ExplainStmt>().analyze;
    case ast::StmtKind::Copy: return !s.As<ast::CopyStmt>().is_from;
    default: return false;
  }
}

ResultPtr Dispatch(StatementContext& ctx, ast::Statement& s) {
  using K = ast::StmtKind;
  switch (s.kind) {
    case K::Select: return ExecuteSelect(ctx, s.As<ast::SelectStmt>());
    case K::Insert: return ExecuteInsert(ctx, s.As<ast::InsertStmt>());
    case K::Update: return ExecuteUpdate(ctx, s.As<ast::UpdateStmt>());
    case K::Delete: return ExecuteDelete(ctx, s.As<ast::DeleteStmt>());
    case K::CreateTable: return ExecuteCreateTable(ctx, s.As<ast::CreateTableStmt>());
    case K::CreateDatabase: return ExecuteCreateDatabase(ctx, s.As<ast::CreateDatabaseStmt>());
    case K::CreateIndex: return ExecuteCreateIndex(ctx, s.As<ast::CreateIndexStmt>());
    case K::CreateView: return ExecuteCreateView(ctx, s.As<ast::CreateViewStmt>());
    case K::Drop: return ExecuteDrop(ctx, s.As<ast::DropStmt>());
    case K::Truncate: return ExecuteTruncate(ctx, s.As<ast::TruncateStmt>());
    case K::Use: return ExecuteUse(ctx, s.As<ast::UseStmt>());
    case K::Show: return ExecuteShow(ctx, s.As<ast::ShowStmt>());
    case K::Describe: return ExecuteDescribe(ctx, s.As<ast::DescribeStmt>());
    case K::Explain: return ExecuteExplain(ctx, s.As<ast::ExplainStmt>());
    case K::Copy: return ExecuteCopy(ctx, s.As<ast::CopyStmt>());
    case K::Set: return ExecuteSet(ctx, s.As<ast::SetStmt>());
    case K::AlterTable: return ExecuteAlterTable(ctx, s.As<ast::AlterTableStmt>());
    case K::Transaction:
      throw Error(sqlstate::kFeatureNotSupported,
                  "transactions (BEGIN/COMMIT/ROLLBACK) are not supported yet; every statement commits on its own",
                  s.pos);
  }
  ThrowInternal("unknown statement");
}

}  // namespace

std::unique_ptr<QueryResult> Session::RunStatement(ast::Statement& statement, const std::vector<Value>& params) {
  StatementContext ctx(*this, params);
  if (OnlyReads(statement)) {
    std::shared_lock lock(engine_.statement_lock());
    return Dispatch(ctx, statement);
  }
  std::unique_lock lock(engine_.statement_lock());
  return Dispatch(ctx, statement);
}

std::unique_ptr<QueryResult> Session::Run(std::string_view sql, const std::vector<Value>& params) {
  try {
    auto statements = ParseSql(sql);
    if (statements.empty()) return QueryResult::MakeCommand("", 0);
    std::unique_ptr<QueryResult> result;
    for (auto& s : statements) {
      result = RunStatement(*s, params);
      if (!result->ok()) break;
    }
    return result;
  } catch (const Error& e) {
    return QueryResult::MakeError(ToStatus(e, sql));
  } catch (const std::bad_alloc&) {
    return QueryResult::MakeError(Status::Error(sqlstate::kOutOfMemory, "out of memory"));
  } catch (const std::exception& e) {
    return QueryResult::MakeError(Status::Error(sqlstate::kInternalError, std::string("internal error: ") + e.what()));
  }
}

}  // namespace lyt
