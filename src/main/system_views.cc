#include "main/system_views.h"

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
