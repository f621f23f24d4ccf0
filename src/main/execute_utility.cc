// SHOW, DESCRIBE and SET.
#include <cctype>

#include "common/error.h"
#include "exec/worker_pool.h"
#include "main/statement_context.h"

namespace lyt {

namespace {

std::string FormatBytes(uint64_t bytes) {
  if (bytes % (1ULL << 30) == 0) return std::to_string(bytes >> 30) + "GB";
  if (bytes % (1ULL << 20) == 0) return std::to_string(bytes >> 20) + "MB";
  if (bytes % (1ULL << 10) == 0) return std::to_string(bytes >> 10) + "kB";
  return std::to_string(bytes) + "B";
}

// "512MB", "2 GB", "1048576" -> bytes.
uint64_t ParseBytes(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0) throw Error(sqlstate::kInvalidParameterValue, "invalid value for memory_limit: \"" + text + "\"");
  uint64_t n = std::stoull(text.substr(0, i));
  std::string unit;
  for (; i < text.size(); ++i) {
    if (!std::isspace(static_cast<unsigned char>(text[i]))) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  }
  uint64_t mult = unit.empty() || unit == "b" ? 1 : unit == "kb" ? 1ULL << 10 : unit == "mb" ? 1ULL << 20 : unit == "gb" ? 1ULL << 30 : unit == "tb" ? 1ULL << 40 : 0;
  if (mult == 0) throw Error(sqlstate::kInvalidParameterValue, "invalid unit for memory_limit: \"" + unit + "\" (use B, kB, MB, GB or TB)");
  return n * mult;
}

// "4" -> 4: a whole number of threads, at least 1.
size_t ParseThreads(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits != text.size() || digits > 6 || std::stoul(text) == 0) {
    throw Error(sqlstate::kInvalidParameterValue, "invalid value for threads: \"" + text + "\" (a whole number, at least 1)");
  }
  return std::stoul(text);
}

// SHOW threads: the setting, or when unset the threads a statement gets (one per core).
std::string ThreadsSetting(const Session& session) {
  return std::to_string(session.threads() ? session.threads() : WorkerPool::Shared().threads() + 1);
}

}  // namespace

ResultPtr ExecuteShow(StatementContext& ctx, ast::ShowStmt& stmt) {
  std::vector<std::vector<Value>> rows;
  switch (stmt.what) {
    case ast::ShowStmt::What::Databases:
      for (const auto& [name, db] : ctx.catalog().databases()) rows.push_back({Value::Varchar(name)});
      return MakeTextResult({"name"}, rows);
    case ast::ShowStmt::What::Tables: {
      DatabaseEntry& db = ctx.database();
      std::vector<std::pair<std::string, std::string>> items;
      for (const auto& [name, t] : db.tables()) items.push_back({name, "table"});
      for (const auto& [name, v] : db.views()) items.push_back({name, "view"});
      for (const auto& [name, t] : ctx.session.temp_tables().tables()) items.push_back({name, "temp table"});
      std::sort(items.begin(), items.end());
      for (const auto& [name, kind] : items) rows.push_back({Value::Varchar(name), Value::Varchar(kind)});
      return MakeTextResult({"name", "type"}, rows);
    }
    case ast::ShowStmt::What::Users: return ShowUsers(ctx);
    case ast::ShowStmt::What::Grants: return ShowGrants(ctx, stmt);
    case ast::ShowStmt::What::All:
      rows.push_back({Value::Varchar("database"), Value::Varchar(ctx.session.current_database())});
      rows.push_back({Value::Varchar("memory_limit"), Value::Varchar(FormatBytes(ctx.session.memory_limit()))});
      rows.push_back({Value::Varchar("threads"), Value::Varchar(ThreadsSetting(ctx.session))});
      return MakeTextResult({"name", "setting"}, rows);
    case ast::ShowStmt::What::Setting:
      if (stmt.setting == "memory_limit") {
        rows.push_back({Value::Varchar(FormatBytes(ctx.session.memory_limit()))});
      } else if (stmt.setting == "database") {
        rows.push_back({Value::Varchar(ctx.session.current_database())});
      } else if (stmt.setting == "threads") {
        rows.push_back({Value::Varchar(ThreadsSetting(ctx.session))});
      } else {
        throw Error(sqlstate::kUndefinedObject, "unrecognized configuration parameter \"" + stmt.setting + "\"", stmt.pos);
      }
      return MakeTextResult({stmt.setting}, rows);
  }
  ThrowInternal("unknown SHOW");
}

ResultPtr ExecuteDescribe(StatementContext& ctx, ast::DescribeStmt& stmt) {
  Binder binder = ctx.MakeBinder();
  TableEntry& table = binder.ResolveTable(stmt.table);
  std::vector<std::vector<Value>> rows;
  for (idx_t c = 0; c < table.columns().size(); ++c) {
    const ColumnEntry& col = table.columns()[c];
    std::string key;
    for (const auto& uc : table.constraints()) {
      if (std::find(uc.index->columns().begin(), uc.index->columns().end(), c) == uc.index->columns().end()) continue;
      if (uc.primary_key) key = "PRI";
      else if (key.empty()) key = "UNI";
    }
    std::string def;
    if (col.default_expr) {
      Scope empty;
      def = binder.BindExpr(*col.default_expr, ExprContext{&empty, nullptr, "DEFAULT"})->ToString();
    }
    rows.push_back({Value::Varchar(col.name), Value::Varchar(col.type.ToString()),
                    Value::Varchar(col.not_null ? "NO" : "YES"), def.empty() ? Value::Null(TypeId::Varchar) : Value::Varchar(def),
                    key.empty() ? Value::Null(TypeId::Varchar) : Value::Varchar(key)});
  }
  return MakeTextResult({"column_name", "column_type", "null", "default", "key"}, rows);
}

ResultPtr ExecuteSet(StatementContext& ctx, ast::SetStmt& stmt) {
  std::string lowered = stmt.value;
  for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool reset = stmt.reset || lowered == "default";  // SET x = DEFAULT is RESET x
  if (stmt.name == "memory_limit") {
    ctx.session.set_memory_limit(reset ? ctx.session.engine().memory_limit() : ParseBytes(stmt.value));
  } else if (stmt.name == "threads") {
    ctx.session.set_threads(reset ? ctx.session.engine().threads() : ParseThreads(stmt.value));
  } else if (stmt.name == "database") {
    if (!reset) {
      ctx.catalog().GetDatabase(stmt.value);
      ctx.session.set_current_database(stmt.value);
    }
  } else {
    throw Error(sqlstate::kUndefinedObject, "unrecognized configuration parameter \"" + stmt.name + "\"", stmt.pos);
  }
  return QueryResult::MakeCommand(stmt.reset ? "RESET" : "SET", 0);
}

}  // namespace lyt
