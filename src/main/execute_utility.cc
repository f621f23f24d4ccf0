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

std::string Lowered(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// SET TIME ZONE: timestamps have no time zone and the clock functions give UTC, so UTC (under
// any of its names) is the only zone; clients that set it on connecting keep working.
void CheckTimeZone(const std::string& value) {
  static const char* const kUtcNames[] = {"utc", "gmt", "z", "zulu", "etc/utc", "etc/gmt", "etc/zulu", "universal",
                                          "utc0", "gmt0", "+00:00", "00:00", "+00", "0", "local"};
  std::string zone = Lowered(value);
  for (const char* name : kUtcNames) {
    if (zone == name) return;
  }
  throw Error(sqlstate::kInvalidParameterValue,
              "time zone \"" + value + "\" is not supported: LytDB's timestamps have no time zone and its clock is UTC (SET TIME ZONE 'UTC')");
}

// The session settings SHOW, SET and RESET know, in SHOW ALL's order. `reset` is null for a
// setting RESET leaves alone (the current database: USE changes it).
struct Setting {
  const char* name;
  std::string (*show)(StatementContext& ctx);
  void (*set)(StatementContext& ctx, const std::string& value);
  void (*reset)(StatementContext& ctx);
};

const Setting kSettings[] = {
    {"database", [](StatementContext& ctx) { return ctx.session.current_database(); },
     [](StatementContext& ctx, const std::string& value) {
       ctx.catalog().GetDatabase(value);
       ctx.session.set_current_database(value);
     },
     nullptr},
    {"memory_limit", [](StatementContext& ctx) { return FormatBytes(ctx.session.memory_limit()); },
     [](StatementContext& ctx, const std::string& value) { ctx.session.set_memory_limit(ParseBytes(value)); },
     [](StatementContext& ctx) { ctx.session.set_memory_limit(ctx.session.engine().memory_limit()); }},
    {"threads", [](StatementContext& ctx) { return ThreadsSetting(ctx.session); },
     [](StatementContext& ctx, const std::string& value) { ctx.session.set_threads(ParseThreads(value)); },
     [](StatementContext& ctx) { ctx.session.set_threads(ctx.session.engine().threads()); }},
    {"timezone", [](StatementContext&) { return std::string("UTC"); },
     [](StatementContext&, const std::string& value) { CheckTimeZone(value); }, [](StatementContext&) {}},
};

const Setting& FindSetting(const std::string& name, int pos) {
  std::string lowered = Lowered(name);
  for (const Setting& s : kSettings) {
    if (lowered == s.name) return s;
  }
  throw Error(sqlstate::kUndefinedObject, "unrecognized configuration parameter \"" + name + "\"", pos);
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
      for (const Setting& s : kSettings) rows.push_back({Value::Varchar(s.name), Value::Varchar(s.show(ctx))});
      return MakeTextResult({"name", "setting"}, rows);
    case ast::ShowStmt::What::Setting: {
      const Setting& setting = FindSetting(stmt.setting, stmt.pos);
      rows.push_back({Value::Varchar(setting.show(ctx))});
      return MakeTextResult({setting.name}, rows);
    }
  }
  ThrowInternal("unknown SHOW");
}

// DESCRIBE of a view or system view: the columns it gives as a FROM item, all nullable.
ResultPtr DescribeView(Binder& binder, const ast::QualifiedName& name) {
  ast::BaseTable ref(name.pos);
  ref.name = name;
  Scope scope;
  auto plan = binder.BindTableRef(ref, scope);
  std::vector<std::vector<Value>> rows;
  for (size_t c = 0; c < plan->types.size(); ++c) {
    rows.push_back({Value::Varchar(scope.columns[c].name), Value::Varchar(plan->types[c].ToString()), Value::Varchar("YES"),
                    Value::Null(TypeId::Varchar), Value::Null(TypeId::Varchar)});
  }
  return MakeTextResult({"column_name", "column_type", "null", "default", "key"}, rows);
}

ResultPtr ExecuteDescribe(StatementContext& ctx, ast::DescribeStmt& stmt) {
  Binder binder = ctx.MakeBinder();
  if (binder.NamesView(stmt.table)) return DescribeView(binder, stmt.table);
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
  if (stmt.reset && stmt.name == "all") {
    for (const Setting& s : kSettings) {
      if (s.reset) s.reset(ctx);
    }
    return QueryResult::MakeCommand("RESET", 0);
  }
  const Setting& setting = FindSetting(stmt.name, stmt.pos);
  if (stmt.reset || Lowered(stmt.value) == "default") {  // SET x = DEFAULT is RESET x
    if (setting.reset) setting.reset(ctx);
  } else {
    setting.set(ctx, stmt.value);
  }
  return QueryResult::MakeCommand(stmt.reset ? "RESET" : "SET", 0);
}

}  // namespace lyt
