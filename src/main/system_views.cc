#include "main/system_views.h"

#include "kv/store.h"
#include "main/engine.h"
#include "main/session.h"

namespace lyt {

// Embedded sessions and superusers see everyone, like pg_stat_activity for superusers; other
// users see their own sessions and statements only.
bool SeesAllSessions(const Session& viewer) {
  const std::string& user = viewer.info().user;
  return user.empty() || viewer.engine().users().IsSuperuser(user);
}

namespace {

Value Text(const std::string& s) { return Value::Varchar(s); }
// Empty means "not applicable" (an embedded session has no user or client address): NULL.
Value TextOrNull(const std::string& s) { return s.empty() ? Value::Null(TypeId::Varchar) : Value::Varchar(s); }
Value TimestampOrNull(int64_t us) { return us == 0 ? Value::Null(TypeId::Timestamp) : Value::Timestamp(us); }
Value Id(uint64_t id) { return Value::BigInt(static_cast<int64_t>(id)); }

void SessionRows(const Session& viewer, SystemTableSnapshot& out) {
  bool all = SeesAllSessions(viewer);
  for (const SessionActivityRow& s : viewer.engine().sessions().Snapshot()) {
    if (!all && s.info.user != viewer.info().user) continue;
    out.rows.push_back({Id(s.info.id), TextOrNull(s.info.user), TextOrNull(s.info.client_address),
                        Text(s.info.application_name), Text(s.database), Text(SessionStateName(s.state)), Text(s.query),
                        TimestampOrNull(s.query_start_us), Value::Timestamp(s.connected_at_us)});
  }
}

void QueryLogRows(const Session& viewer, SystemTableSnapshot& out) {
  bool all = SeesAllSessions(viewer);
  for (const QueryLogEntry& e : viewer.engine().query_log().Snapshot()) {
    if (!all && e.user != viewer.info().user) continue;
    out.rows.push_back({Value::Timestamp(e.finished_at_us), Id(e.session_id), TextOrNull(e.user), Text(e.database),
                        Text(e.query), Value::Double(e.duration_ms), Value::BigInt(e.rows), TextOrNull(e.sqlstate),
                        TextOrNull(e.error)});
  }
}

// The keys of the Redis protocol's keyspace of the viewer's current database (which the viewer
// may read: a session runs in a database it holds READ on). Expired keys not yet deleted are left
// out, as Redis's commands leave them out.
void KvRows(const Session& viewer, SystemTableSnapshot& out) {
  std::shared_ptr<kv::Keyspace> ks = viewer.engine().kv().Find(viewer.current_database());
  if (!ks) return;
  int64_t now = kv::NowMillis();
  std::lock_guard lock(ks->mutex);
  ks->ForEach([&](const kv::Entry* e) {
    bool ttl = e->has_ttl();
    if (ttl && e->expire_at() <= now) return;
    out.rows.push_back({Value::Varchar(std::string(e->key())), Text(kv::TypeName(e->type())),
                        ttl ? Value::BigInt(e->expire_at() - now) : Value::Null(TypeId::BigInt),
                        ttl ? Value::Timestamp(e->expire_at() * 1000) : Value::Null(TypeId::Timestamp),
                        Value::BigInt(static_cast<int64_t>(kv::EntryLength(e))),
                        e->type() == kv::Type::kString ? Value::Varchar(std::string(e->string_value())) : Value::Null(TypeId::Varchar)});
  });
}

// Each system view: its name, its columns and what fills its rows.
struct SystemView {
  const char* name;
  std::vector<std::pair<const char*, TypeId>> columns;
  void (*rows)(const Session& viewer, SystemTableSnapshot& out);
};

const std::vector<SystemView>& SystemViews() {
  static const std::vector<SystemView> views = {
      {"lyt_sessions",
       {{"session_id", TypeId::BigInt}, {"user_name", TypeId::Varchar}, {"client_address", TypeId::Varchar},
        {"application_name", TypeId::Varchar}, {"database", TypeId::Varchar}, {"state", TypeId::Varchar},
        {"query", TypeId::Varchar}, {"query_start", TypeId::Timestamp}, {"connected_at", TypeId::Timestamp}},
       SessionRows},
      {"lyt_query_log",
       {{"finished_at", TypeId::Timestamp}, {"session_id", TypeId::BigInt}, {"user_name", TypeId::Varchar},
        {"database", TypeId::Varchar}, {"query", TypeId::Varchar}, {"duration_ms", TypeId::Double},
        {"rows", TypeId::BigInt}, {"sqlstate", TypeId::Varchar}, {"error", TypeId::Varchar}},
       QueryLogRows},
      {"lyt_kv",
       {{"key", TypeId::Varchar}, {"type", TypeId::Varchar}, {"ttl_ms", TypeId::BigInt}, {"expires_at", TypeId::Timestamp},
        {"length", TypeId::BigInt}, {"value", TypeId::Varchar}},
       KvRows},
  };
  return views;
}

const SystemView* FindSystemView(const std::string& name) {
  for (const SystemView& view : SystemViews()) {
    if (name == view.name) return &view;
  }
  return nullptr;
}

}  // namespace

bool SessionSystemTables::IsSystemView(const std::string& name) const { return FindSystemView(name) != nullptr; }

std::optional<SystemTableSnapshot> SessionSystemTables::Snapshot(const std::string& name) const {
  const SystemView* view = FindSystemView(name);
  if (!view) return std::nullopt;
  SystemTableSnapshot snapshot;
  for (const auto& [column, type] : view->columns) {
    snapshot.names.push_back(column);
    snapshot.types.push_back(type);
  }
  view->rows(viewer_, snapshot);
  return snapshot;
}

}  // namespace lyt
