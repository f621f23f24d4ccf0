#include "main/engine_metrics.h"

#include <iterator>

namespace lyt {
namespace {

// Statement latencies from 50 µs to 30 s: point queries land in the low buckets.
std::vector<double> LatencyBounds() {
  return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

}  // namespace

EngineMetrics::EngineMetrics()
    : statement_seconds_(registry_.AddHistogram("lytdb_statement_duration_seconds",
                                                "Time from a statement's start to its result (its log flush excluded).",
                                                LatencyBounds())),
      rows_scanned_(registry_.AddCounter("lytdb_rows_scanned_total",
                                         "Rows read from tables by scans and index lookups, before filtering.")),
      wal_fsync_seconds_(registry_.AddHistogram("lytdb_wal_fsync_duration_seconds", "Time of each flush of the write-ahead log.",
                                                {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1})),
      checkpoint_seconds_(registry_.AddHistogram("lytdb_checkpoint_duration_seconds", "Time to write each checkpoint.",
                                                 {0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300})) {
  static constexpr const char* kKindNames[] = {"select", "insert", "update", "delete", "ddl", "transaction", "utility", "invalid"};
  static_assert(std::size(kKindNames) == static_cast<size_t>(Kind::kCount));
  auto& family = registry_.AddCounterFamily("lytdb_statements_total", "Statements run, by kind and outcome.", {"kind", "outcome"});
  for (size_t k = 0; k < std::size(kKindNames); ++k) {
    statements_by_kind_[2 * k] = &family.With({kKindNames[k], "ok"});
    statements_by_kind_[2 * k + 1] = &family.With({kKindNames[k], "error"});
  }
}

void EngineMetrics::RecordStatement(Kind kind, bool ok, double seconds) {
  statements_by_kind_[2 * static_cast<size_t>(kind) + (ok ? 0 : 1)]->Inc();
  statement_seconds_.Observe(seconds);
}

uint64_t EngineMetrics::statements() const {
  uint64_t total = 0;
  for (const metrics::Counter* counter : statements_by_kind_) total += counter->Value();
  return total;
}

uint64_t EngineMetrics::statement_errors() const {
  uint64_t total = 0;
  for (size_t i = 1; i < statements_by_kind_.size(); i += 2) total += statements_by_kind_[i]->Value();
  return total;
}

void EngineMetrics::RecordCheckpoint(double seconds, int64_t finished_unix_ms) {
  checkpoint_seconds_.Observe(seconds);
  last_checkpoint_seconds_.store(seconds, std::memory_order_relaxed);
  last_checkpoint_unix_ms_.store(finished_unix_ms, std::memory_order_relaxed);
}

}  // namespace lyt
