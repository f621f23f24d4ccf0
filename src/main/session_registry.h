// Every live session of an engine and what it is doing: the source of the lyt_sessions view.
//
// Locks. `SessionRegistry::mutex_` guards the list of sessions: taken when a session starts or
// ends and while a snapshot is copied. Each session's `SessionActivity::mutex_` guards what that
// session publishes: taken by the session itself at each statement's start and end (a short,
// normally uncontended critical section that copies the statement text and nothing else heavy),
// and by readers copying it. Lock order: the registry's mutex, then an activity's mutex; no other
// lock is taken, and nothing is called, under either.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "main/session_info.h"

namespace lyt {

// PostgreSQL's pg_stat_activity.state values that LytDB sessions take.
enum class SessionState { Idle, Active, IdleInTransaction, IdleInTransactionAborted };

// "idle", "active", "idle in transaction", "idle in transaction (aborted)".
const char* SessionStateName(SessionState state);

// One session as lyt_sessions shows it (a copy, consistent for that session).
struct SessionActivityRow {
  SessionInfo info;
  int64_t connected_at_us = 0;   // wall clock, microseconds since the epoch (UTC)
  std::string database;          // the session's current database
  SessionState state = SessionState::Idle;
  std::string query;             // the running statement; when not active, the last one ("" before any);
                                 // cut like the query log's (QueryLog::TruncateQuery)
  int64_t query_start_us = 0;    // when `query` started; 0 before any statement
};

// What one session publishes about itself. The owning session's thread writes it; any thread may
// Read() it. Thread-safe.
class SessionActivity {
 public:
  SessionActivity(std::string database, int64_t connected_at_us);

  void SetInfo(const SessionInfo& info);
  void SetDatabase(const std::string& database);
  // The session starts running `text` (state active).
  void StatementStarted(std::string_view text, int64_t now_us);
  // The statement ended; the session is now in `state` (idle, or idle in a transaction block).
  void StatementEnded(SessionState state);
  SessionActivityRow Read() const;

 private:
  mutable std::mutex mutex_;
  SessionActivityRow row_;
};

class SessionRegistry {
 public:
  // A new session id, unique in this engine (1, 2, ...). Thread-safe.
  uint64_t NextId() { return next_id_.fetch_add(1, std::memory_order_relaxed); }
  // Lists `activity` until Remove(activity); it must stay alive until then. Thread-safe.
  void Add(SessionActivity& activity);
  void Remove(SessionActivity& activity);
  // Every listed session, by id. Thread-safe.
  std::vector<SessionActivityRow> Snapshot() const;
  size_t size() const;

 private:
  std::atomic<uint64_t> next_id_{1};
  mutable std::mutex mutex_;
  std::vector<SessionActivity*> sessions_;  // guarded by mutex_
};

}  // namespace lyt
