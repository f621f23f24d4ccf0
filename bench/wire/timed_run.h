// A timed run: one thread per connection runs a workload flat out (each waits for its answer
// before sending the next query: no pipelining), first for a warm-up, then for the measured
// window. Queries that complete inside the window are counted and their latencies kept.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lyt/client.h"
#include "wire/latency.h"
#include "wire/workload.h"

namespace lyt::bench::wire {

struct RunSpec {
  WorkloadKind kind = WorkloadKind::PointSelect;
  int64_t rows = 100000;
  uint64_t seed = 42;
  double warmup_s = 2;
  double duration_s = 10;
};

struct RunStats {
  double seconds = 0;  // length of the measured window
  double qps = 0;      // queries completed in the window / seconds
  LatencySummary latency;
  uint64_t errors = 0;  // failed queries (warm-up included); a broken connection stops its thread
  std::string first_error;
};

// Prepares the statement on every connection (before the clock starts), then runs. Connection i
// is client i of the workload (its INSERT ids). A failed Prepare counts as an error and leaves
// that connection out.
RunStats RunTimed(const std::vector<std::unique_ptr<client::Connection>>& connections, const RunSpec& spec);

}  // namespace lyt::bench::wire
