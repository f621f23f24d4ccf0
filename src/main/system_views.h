// The system views lyt_sessions and lyt_query_log (docs/sql.md "System views"): snapshots of the
// engine's session registry and query log, filtered by what the viewing session may see; and
// lyt_kv, the Redis protocol's keys of the session's current database.
#pragma once

#include "plan/system_tables.h"

namespace lyt {

class Session;

// Whether `viewer` sees the rows of every session in the system views; otherwise it sees only the
// rows of its own user. The one place that visibility rule is decided.
bool SeesAllSessions(const Session& viewer);

// The system views as one session sees them (the Binder's SystemTables).
class SessionSystemTables : public SystemTables {
 public:
  explicit SessionSystemTables(const Session& viewer) : viewer_(viewer) {}
  bool IsSystemView(const std::string& name) const override;
  std::optional<SystemTableSnapshot> Snapshot(const std::string& name) const override;

 private:
  const Session& viewer_;
};

}  // namespace lyt
