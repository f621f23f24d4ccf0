// A request, from another thread, that a running statement stop: CANCEL from another connection,
// the statement timeout, a server shutdown. The statement polls it at batch boundaries (table
// scans, recursive CTE rounds, join probes) and fails with SQLSTATE 57014.
#pragma once

#include <atomic>

namespace lyt {

class InterruptFlag {
 public:
  enum class Reason { None, Cancel, Timeout, Shutdown };

  // Thread-safe; the first reason set wins until Clear().
  void Raise(Reason reason) {
    int expected = 0;
    reason_.compare_exchange_strong(expected, static_cast<int>(reason), std::memory_order_relaxed);
  }
  // Called by the session before each statement.
  void Clear() { reason_.store(0, std::memory_order_relaxed); }
  Reason reason() const { return static_cast<Reason>(reason_.load(std::memory_order_relaxed)); }
  // Throws 57014 with PostgreSQL's wording when a reason is set.
  void Check() const {
    if (reason_.load(std::memory_order_relaxed) != 0) ThrowInterrupted();
  }

 private:
  [[noreturn]] void ThrowInterrupted() const;
  std::atomic<int> reason_{0};
};

}  // namespace lyt
