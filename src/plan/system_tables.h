// System views (lyt_sessions, lyt_query_log): read-only relations whose rows the engine produces
// when a statement binds. The binder turns a reference to one into a VALUES node over that
// snapshot, so WHERE, ORDER BY, joins and aggregates treat it like any table.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lyt/types.h"
#include "lyt/value.h"

namespace lyt {

// One system view's contents at one moment.
struct SystemTableSnapshot {
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  std::vector<std::vector<Value>> rows;  // each row holds one value per column, of its type (or NULL)
};

// Produces system views for one viewer (a session: what it may see decides the rows).
// Implemented in main/system_views.h.
class SystemTables {
 public:
  virtual ~SystemTables() = default;
  // Whether `name` (folded) is a system view.
  virtual bool IsSystemView(const std::string& name) const = 0;
  // The view's rows now, or nullopt when `name` is no system view. Thread-safe with respect to
  // other sessions (it reads shared engine state under its own locks).
  virtual std::optional<SystemTableSnapshot> Snapshot(const std::string& name) const = 0;
};

}  // namespace lyt
