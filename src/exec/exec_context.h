// Per-statement execution state shared by all operators of one query.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "common/error.h"
#include "exec/interrupt.h"
#include "exec/scalar_function.h"
#include "storage/version.h"

namespace lyt {

struct SubqueryPlan;
class PhysicalOperator;

// Tracks bytes held by a statement's buffers (hash tables, sort runs, results) against the
// configured limit. Reserve throws 53200 when the limit would be exceeded. Thread-safe.
class MemoryTracker {
 public:
  explicit MemoryTracker(uint64_t limit) : limit_(limit) {}
  void Reserve(uint64_t bytes) {
    uint64_t now = used_.fetch_add(bytes) + bytes;
    if (limit_ && now > limit_) {
      used_.fetch_sub(bytes);
      throw Error(sqlstate::kOutOfMemory, "out of memory: query needs more than the memory limit of " +
                                              std::to_string(limit_ / (1024 * 1024)) + " MiB (SET memory_limit)");
    }
  }
  void Release(uint64_t bytes) { used_.fetch_sub(bytes); }
  uint64_t used() const { return used_.load(); }

 private:
  uint64_t limit_;
  std::atomic<uint64_t> used_{0};
};

// Memory reserved on a tracker for the lifetime of an owner (a hash table, a sort buffer).
class MemoryReservation {
 public:
  explicit MemoryReservation(MemoryTracker& tracker) : tracker_(&tracker) {}
  ~MemoryReservation() { tracker_->Release(bytes_); }
  MemoryReservation(const MemoryReservation&) = delete;
  MemoryReservation& operator=(const MemoryReservation&) = delete;
  // Grows (or shrinks) the reservation to `bytes`.
  void Resize(uint64_t bytes) {
    if (bytes > bytes_) tracker_->Reserve(bytes - bytes_);
    else tracker_->Release(bytes_ - bytes);
    bytes_ = bytes;
  }
  void Add(uint64_t bytes) { Resize(bytes_ + bytes); }

 private:
  MemoryTracker* tracker_;
  uint64_t bytes_ = 0;
};

// Runs the physical plans of subqueries; one per statement. Physical plans are built on first
// use and reused for every evaluation (correlated subqueries run once per distinct outer row).
class ExecContext {
 public:
  ExecContext(FunctionContext& functions, MemoryTracker& memory, const Snapshot& snapshot);
  ~ExecContext();

  FunctionContext& functions() { return functions_; }
  MemoryTracker& memory() { return memory_; }
  // The rows table scans see (the statement's transaction).
  const Snapshot& snapshot() const { return snapshot_; }
  // Throws 57014 when the statement was canceled or timed out; operators call it per batch.
  void CheckInterrupt() const {
    if (functions_.interrupt) functions_.interrupt->Check();
  }
  // Adds `rows` read from a table by a scan to the engine's count (FunctionContext::rows_scanned).
  void CountRowsScanned(uint64_t rows) const;

  // Values of the enclosing queries' current rows, innermost last; Column expressions with
  // depth d read outer_rows()[size - d].
  std::vector<const std::vector<Value>*>& outer_rows() { return outer_rows_; }

  // The physical plan of `plan`, built on first use.
  PhysicalOperator& SubqueryOperator(const SubqueryPlan& plan);
  // Slot for the result of an uncorrelated subquery, computed once per statement.
  std::shared_ptr<const void>& CachedSubqueryResult(const SubqueryPlan& plan) { return subquery_results_[&plan]; }

 private:
  FunctionContext& functions_;
  MemoryTracker& memory_;
  Snapshot snapshot_;
  std::vector<const std::vector<Value>*> outer_rows_;
  std::unordered_map<const SubqueryPlan*, std::unique_ptr<PhysicalOperator>> subqueries_;
  std::unordered_map<const SubqueryPlan*, std::shared_ptr<const void>> subquery_results_;
};

}  // namespace lyt
