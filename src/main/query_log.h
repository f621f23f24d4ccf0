// The engine's query log: the last N statements of every session, with their outcome (the source
// of the lyt_query_log view), and a hook through which the server writes its own logs.
//
// Locks. `mutex_` guards the ring and the observer pointer; Record() holds it only to store one
// entry and to copy the observer pointer, and calls the observer after releasing it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace lyt {

struct QueryLogEntry {
  int64_t finished_at_us = 0;  // wall clock, microseconds since the epoch (UTC)
  uint64_t session_id = 0;
  std::string user;            // empty: embedded session
  std::string database;        // the session's current database when the statement started
  std::string query;           // the statement's text, cut to QueryLog::kMaxQueryBytes
  double duration_ms = 0;
  int64_t rows = 0;            // rows returned or affected (0 after an error)
  std::string sqlstate;        // empty when the statement succeeded
  std::string error;           // the error message; empty when it succeeded
};

class QueryLog {
 public:
  using Observer = std::function<void(const QueryLogEntry&)>;
  // Statement texts longer than this are cut (at a UTF-8 character boundary) and end in "...".
  static constexpr size_t kMaxQueryBytes = 4096;

  // Keeps the last `capacity` entries (0: none; the observer still sees every statement).
  explicit QueryLog(size_t capacity) : capacity_(capacity) {}

  // Stores `entry` (dropping the oldest when full), then hands it to the observer, if any, on the
  // calling thread and outside the lock. Thread-safe. Exceptions from the observer are ignored.
  void Record(QueryLogEntry entry);
  // The stored entries, oldest first. Thread-safe.
  std::vector<QueryLogEntry> Snapshot() const;
  // Calls `observer` after every statement of every session from now on (an empty function: no
  // one). Thread-safe; a Record() already past its lock may still call the previous observer.
  // The observer must itself be thread-safe: sessions call it concurrently.
  void set_query_observer(Observer observer);
  size_t capacity() const { return capacity_; }

  // `text`, cut to kMaxQueryBytes as described above.
  static std::string TruncateQuery(std::string text);

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::vector<QueryLogEntry> ring_;  // guarded by mutex_; grows to capacity_, then wraps
  size_t next_ = 0;                  // guarded by mutex_: where the next entry goes once full
  std::shared_ptr<const Observer> observer_;  // guarded by mutex_ (the pointer, not the call)
};

}  // namespace lyt
