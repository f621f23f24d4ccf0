// Per-query latencies of a timed run: each client thread appends to its own vector (no sharing
// while the clock runs); Summarize merges them once the run is over.
#pragma once

#include <cstdint>
#include <vector>

namespace lyt::bench::wire {

struct LatencySummary {
  uint64_t count = 0;
  double p50_us = 0;
  double p99_us = 0;
  double max_us = 0;
  double mean_us = 0;
};

// Nanoseconds per completed query, one vector per thread. Empty input gives all zeros.
// Percentiles are nearest-rank over the merged samples.
LatencySummary Summarize(const std::vector<std::vector<int64_t>>& per_thread_ns);

}  // namespace lyt::bench::wire
