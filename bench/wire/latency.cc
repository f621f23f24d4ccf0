#include "wire/latency.h"

#include <algorithm>
#include <cmath>

namespace lyt::bench::wire {
namespace {

// Nearest-rank percentile of sorted samples (q in (0, 1]).
int64_t Percentile(const std::vector<int64_t>& sorted, double q) {
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

LatencySummary Summarize(const std::vector<std::vector<int64_t>>& per_thread_ns) {
  std::vector<int64_t> all;
  for (const auto& v : per_thread_ns) all.insert(all.end(), v.begin(), v.end());
  LatencySummary s;
  if (all.empty()) return s;
  std::sort(all.begin(), all.end());
  double sum = 0;
  for (int64_t ns : all) sum += static_cast<double>(ns);
  s.count = all.size();
  s.p50_us = static_cast<double>(Percentile(all, 0.50)) / 1e3;
  s.p99_us = static_cast<double>(Percentile(all, 0.99)) / 1e3;
  s.max_us = static_cast<double>(all.back()) / 1e3;
  s.mean_us = sum / static_cast<double>(all.size()) / 1e3;
  return s;
}

}  // namespace lyt::bench::wire
