// GET /v1/databases, /v1/databases/{db}/tables, /v1/databases/{db}/tables/{table} and
// /v1/status (docs/http-api.md, "Browsing" and "Server state").
#include <chrono>
#include <cmath>
#include <shared_mutex>

#include "auth/authorize.h"
#include "common/error.h"
#include "common/process_memory.h"
#include "durability/store.h"
#include "frontend/http/http_internal.h"
#include "frontend/http/json_text.h"
#include "lyt/version.h"
#include "main/engine.h"
#include "main/session.h"
#include "sql/lexer.h"

namespace lyt::frontend::http {

namespace {

// The rows of each table (views: -1), counted in one session as `user`, under MVCC like any
// SELECT; a table that vanished meanwhile counts -1.
std::vector<int64_t> CountRows(net::ServerContext& server, const std::string& user, const std::string& database,
                               const std::vector<std::pair<std::string, bool>>& relations) {
  Session session(server.engine);
  session.set_info(SessionInfo{0, user, "", "http"});
  session.set_current_database(database);
  std::vector<int64_t> counts;
  for (const auto& [name, is_table] : relations) {
    int64_t count = -1;
    if (is_table) {
      auto result = session.Run("SELECT count(*) FROM " + sql::QuoteIdentifier(database) + "." + sql::QuoteIdentifier(name), {});
      const ResultBatch* batch = result->ok() ? result->NextBatch() : nullptr;
      if (batch != nullptr && batch->row_count() == 1) count = batch->GetInt64(0, 0);
    }
    counts.push_back(count);
  }
  return counts;
}

void AppendRows(std::string& out, int64_t rows) {
  if (rows < 0) out += "null";
  else AppendJsonInt(out, rows);
}

}  // namespace

HandlerResult ListDatabases(net::ServerContext& server, const Request&, const RouteArgs&, const Caller& caller) {
  std::string out = "{\"databases\":[";
  bool first = true;
  std::shared_lock lock(server.engine.catalog_lock());
  for (const auto& [name, entry] : server.engine.catalog().databases()) {
    auth::Privilege privilege = server.engine.users().PrivilegeOn(caller.user, name);
    if (privilege < auth::Privilege::Read) continue;
    if (!first) out.push_back(',');
    first = false;
    out += "{";
    AppendJsonKey(out, "name", true);
    AppendJsonString(out, name);
    AppendJsonKey(out, "privilege");
    AppendJsonString(out, auth::PrivilegeName(privilege));
    out += "}";
  }
  out += "]}";
  co_return JsonReply(std::move(out));
}

HandlerResult ListTables(net::ServerContext& server, const Request&, const RouteArgs& args, const Caller& caller) {
  const std::string& database = Arg(args, "db");
  Status status = server.CheckCanConnect(caller.user, database);
  if (!status.ok()) co_return ErrorReply(status);
  std::vector<std::pair<std::string, bool>> relations;  // name, is a table
  {
    std::shared_lock lock(server.engine.catalog_lock());
    DatabaseEntry* db = server.engine.catalog().FindDatabase(database);
    if (db == nullptr) co_return ErrorReply(404, sqlstate::kInvalidCatalogName, "database \"" + database + "\" does not exist");
    for (const auto& [name, table] : db->tables()) relations.emplace_back(name, true);
    for (const auto& [name, view] : db->views()) relations.emplace_back(name, false);
  }
  std::sort(relations.begin(), relations.end());
  auto counts = co_await OnWorker(server, [&] { return CountRows(server, caller.user, database, relations); });
  std::string out = "{\"tables\":[";
  for (size_t i = 0; i < relations.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += "{";
    AppendJsonKey(out, "name", true);
    AppendJsonString(out, relations[i].first);
    AppendJsonKey(out, "type");
    AppendJsonString(out, relations[i].second ? "table" : "view");
    AppendJsonKey(out, "rows");
    AppendRows(out, counts[i]);
    out += "}";
  }
  out += "]}";
  co_return JsonReply(std::move(out));
}

namespace {

void AppendColumnNames(std::string& out, const TableEntry& table, const std::vector<idx_t>& columns) {
  out += "[";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(out, table.columns()[columns[i]].name);
  }
  out += "]";
}

// The table's description without its row count, or empty when it is not a table.
std::string DescribeTableEntry(DatabaseEntry& db, TableEntry& table) {
  std::vector<idx_t> primary_key;
  for (const UniqueConstraint& c : table.constraints()) {
    if (c.primary_key) primary_key = c.index->columns();
  }
  std::string out = "\"columns\":[";
  for (size_t i = 0; i < table.columns().size(); ++i) {
    const ColumnEntry& column = table.columns()[i];
    if (i > 0) out.push_back(',');
    out += "{";
    AppendJsonKey(out, "name", true);
    AppendJsonString(out, column.name);
    AppendJsonKey(out, "type");
    AppendJsonString(out, column.type.ToString());
    AppendJsonKey(out, "nullable");
    out += column.not_null ? "false" : "true";
    AppendJsonKey(out, "default");
    if (column.default_sql.empty()) out += "null";
    else AppendJsonString(out, column.default_sql);
    AppendJsonKey(out, "primary_key");
    out += std::find(primary_key.begin(), primary_key.end(), i) != primary_key.end() ? "true" : "false";
    out += "}";
  }
  out += "],\"indexes\":[";
  bool first = true;
  auto index = [&](const std::string& name, const std::vector<idx_t>& columns, bool unique, bool is_primary_key) {
    if (!first) out.push_back(',');
    first = false;
    out += "{";
    AppendJsonKey(out, "name", true);
    AppendJsonString(out, name);
    AppendJsonKey(out, "columns");
    AppendColumnNames(out, table, columns);
    AppendJsonKey(out, "unique");
    out += unique ? "true" : "false";
    AppendJsonKey(out, "primary_key");
    out += is_primary_key ? "true" : "false";
    out += "}";
  };
  for (const UniqueConstraint& c : table.constraints()) {
    if (!c.from_index) index(c.name, c.index->columns(), true, c.primary_key);
  }
  for (const auto& [name, entry] : db.indexes()) {
    if (entry.table == table.name()) index(name, entry.columns, entry.unique, false);
  }
  out += "]";
  return out;
}

}  // namespace

HandlerResult DescribeTable(net::ServerContext& server, const Request&, const RouteArgs& args, const Caller& caller) {
  const std::string& database = Arg(args, "db");
  const std::string& name = Arg(args, "table");
  Status status = server.CheckCanConnect(caller.user, database);
  if (!status.ok()) co_return ErrorReply(status);
  std::string body;
  bool is_table = false;
  {
    std::shared_lock lock(server.engine.catalog_lock());
    DatabaseEntry* db = server.engine.catalog().FindDatabase(database);
    if (db == nullptr) co_return ErrorReply(404, sqlstate::kInvalidCatalogName, "database \"" + database + "\" does not exist");
    if (TableEntry* table = db->FindTable(name)) {
      is_table = true;
      body = DescribeTableEntry(*db, *table);
    } else if (const ViewEntry* view = db->FindView(name)) {
      body = "\"columns\":[],\"indexes\":[],\"sql\":";
      AppendJsonString(body, view->sql);
    } else {
      co_return ErrorReply(404, sqlstate::kUndefinedTable, "relation \"" + name + "\" does not exist");
    }
  }
  auto counts = co_await OnWorker(server, [&] { return CountRows(server, caller.user, database, {{name, is_table}}); });
  std::string out = "{";
  AppendJsonKey(out, "name", true);
  AppendJsonString(out, name);
  AppendJsonKey(out, "type");
  AppendJsonString(out, is_table ? "table" : "view");
  AppendJsonKey(out, "rows");
  AppendRows(out, counts[0]);
  out += "," + body + "}";
  co_return JsonReply(std::move(out));
}

// ---------------------------------------------------------------------------------------------
// Status

HandlerResult ServerStatus(net::ServerContext& server, const Request&, const RouteArgs&, const Caller&) {
  Engine& engine = server.engine;
  int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::string out = "{";
  AppendJsonKey(out, "version", true);
  AppendJsonString(out, LYT_VERSION);
  AppendJsonKey(out, "uptime_seconds");
  AppendJsonDouble(out, static_cast<double>(now_ms - server.started_ms) / 1000);
  AppendJsonKey(out, "started_at");
  AppendJsonString(out, IsoTime(std::chrono::system_clock::time_point(std::chrono::milliseconds(server.started_ms))));
  out += ",\"connections\":{\"lyt\":" + std::to_string(server.lyt_connections.load()) +
         ",\"redis\":" + std::to_string(server.resp.clients.load()) + ",\"http\":" + std::to_string(server.http.connections.load()) + "}";
  AppendJsonKey(out, "queries_total");
  AppendJsonInt(out, static_cast<int64_t>(engine.metrics().statements()));
  AppendJsonKey(out, "query_errors_total");
  AppendJsonInt(out, static_cast<int64_t>(engine.metrics().statement_errors()));
  metrics::HistogramSnapshot latency = engine.metrics().StatementLatency();
  out += ",\"query_latency_ms\":{\"bounds\":[";
  for (size_t i = 0; i <= latency.bounds.size(); ++i) {
    if (i > 0) out.push_back(',');
    if (i == latency.bounds.size()) out += "null";
    else AppendJsonDouble(out, latency.bounds[i] * 1000);
  }
  out += "],\"counts\":[";
  for (size_t i = 0; i < latency.cumulative.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonInt(out, static_cast<int64_t>(latency.cumulative[i]));
  }
  out += "]}";
  // Off the event loop: it takes the catalog lock.
  Engine::MemoryUse use = co_await OnWorker(server, [&] { return engine.MemoryByComponent(); });
  out += ",\"memory\":{\"resident_bytes\":" + std::to_string(ResidentBytes()) + ",\"heap_bytes\":" + std::to_string(HeapBytes()) +
         ",\"table_bytes\":" + std::to_string(use.tables) + ",\"index_bytes\":" + std::to_string(use.indexes) +
         ",\"kv_bytes\":" + std::to_string(use.kv) + "}";
  durability::Store* store = engine.store();
  out += ",\"wal\":{\"enabled\":";
  out += store != nullptr ? "true" : "false";
  if (store != nullptr) {
    out += ",\"bytes_since_checkpoint\":" + std::to_string(store->wal_bytes_since_checkpoint());
    out += ",\"broken\":";
    out += store->log_broken() ? "true" : "false";
    int64_t checkpoint_ms = engine.metrics().last_checkpoint_unix_ms();
    AppendJsonKey(out, "last_checkpoint_at");
    if (checkpoint_ms == 0) out += "null";
    else AppendJsonString(out, IsoTime(std::chrono::system_clock::time_point(std::chrono::milliseconds(checkpoint_ms))));
    AppendJsonKey(out, "last_checkpoint_duration_ms");
    AppendJsonDouble(out, std::round(engine.metrics().last_checkpoint_seconds() * 1e6) / 1000);
  }
  out += "}}";
  co_return JsonReply(std::move(out));
}

}  // namespace lyt::frontend::http
