// The engine's Prometheus metrics (docs/metrics.md) and the registry they live in, which the
// server adds its own families to (net/server.cc). Thread-safe: see common/metrics.h.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "common/metrics.h"

namespace lyt {

class EngineMetrics {
 public:
  EngineMetrics();
  EngineMetrics(const EngineMetrics&) = delete;
  EngineMetrics& operator=(const EngineMetrics&) = delete;

  metrics::Registry& registry() { return registry_; }

  // The kinds statements are counted by (the label `kind`); kInvalid: it did not parse.
  enum class Kind { kSelect, kInsert, kUpdate, kDelete, kDdl, kTransaction, kUtility, kInvalid, kCount };
  // One finished statement (every front end's, and embedded use). Lock-free.
  void RecordStatement(Kind kind, bool ok, double seconds);
  // Totals over every kind, read from the counters (for /v1/status).
  uint64_t statements() const;
  uint64_t statement_errors() const;
  metrics::HistogramSnapshot StatementLatency() const { return statement_seconds_.Snapshot(); }
  // Rows read from tables by scans and index lookups, before filtering (FunctionContext).
  metrics::Counter& rows_scanned() { return rows_scanned_; }

  // The write-ahead log's flushes and the checkpoints (src/durability).
  metrics::Histogram& wal_fsync_seconds() { return wal_fsync_seconds_; }
  void RecordCheckpoint(double seconds, int64_t finished_unix_ms);
  int64_t last_checkpoint_unix_ms() const { return last_checkpoint_unix_ms_.load(std::memory_order_relaxed); }
  double last_checkpoint_seconds() const { return last_checkpoint_seconds_.load(std::memory_order_relaxed); }

 private:
  metrics::Registry registry_;
  // [kind * 2 + (ok ? 0 : 1)], created up front so that counting takes no lock.
  std::array<metrics::Counter*, 2 * static_cast<size_t>(Kind::kCount)> statements_by_kind_{};
  metrics::Histogram& statement_seconds_;
  metrics::Counter& rows_scanned_;
  metrics::Histogram& wal_fsync_seconds_;
  metrics::Histogram& checkpoint_seconds_;
  std::atomic<int64_t> last_checkpoint_unix_ms_{0};
  std::atomic<double> last_checkpoint_seconds_{0};
};

}  // namespace lyt
