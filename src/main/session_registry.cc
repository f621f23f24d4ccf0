#include "main/session_registry.h"

#include <algorithm>

namespace lyt {

const char* SessionStateName(SessionState state) {
  switch (state) {
    case SessionState::Idle: return "idle";
    case SessionState::Active: return "active";
    case SessionState::IdleInTransaction: return "idle in transaction";
    case SessionState::IdleInTransactionAborted: return "idle in transaction (aborted)";
  }
  return "unknown";
}

SessionActivity::SessionActivity(std::string database, int64_t connected_at_us) {
  row_.database = std::move(database);
  row_.connected_at_us = connected_at_us;
}

void SessionActivity::SetInfo(const SessionInfo& info) {
  std::lock_guard lock(mutex_);
  row_.info = info;
}

void SessionActivity::SetDatabase(const std::string& database) {
  std::lock_guard lock(mutex_);
  row_.database = database;
}

void SessionActivity::StatementStarted(std::string_view text, int64_t now_us) {
  std::lock_guard lock(mutex_);
  row_.query.assign(text);  // reuses the buffer of the previous statement's text
  row_.query_start_us = now_us;
  row_.state = SessionState::Active;
}

void SessionActivity::StatementEnded(SessionState state) {
  std::lock_guard lock(mutex_);
  row_.state = state;
}

SessionActivityRow SessionActivity::Read() const {
  std::lock_guard lock(mutex_);
  return row_;
}

void SessionRegistry::Add(SessionActivity& activity) {
  std::lock_guard lock(mutex_);
  sessions_.push_back(&activity);
}

void SessionRegistry::Remove(SessionActivity& activity) {
  std::lock_guard lock(mutex_);
  sessions_.erase(std::remove(sessions_.begin(), sessions_.end(), &activity), sessions_.end());
}

std::vector<SessionActivityRow> SessionRegistry::Snapshot() const {
  std::vector<SessionActivityRow> rows;
  {
    std::lock_guard lock(mutex_);
    rows.reserve(sessions_.size());
    for (const SessionActivity* activity : sessions_) rows.push_back(activity->Read());
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.info.id < b.info.id; });
  return rows;
}

size_t SessionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace lyt
