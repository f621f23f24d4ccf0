#include "wire/timed_run.h"

#include <atomic>
#include <chrono>
#include <latch>
#include <mutex>
#include <thread>

namespace lyt::bench::wire {
namespace {

using Clock = std::chrono::steady_clock;

enum Phase : int { kWarmup, kMeasure, kStop };

// What the client threads share: the phase the main thread advances, and the error tally.
struct Shared {
  std::atomic<int> phase{kWarmup};
  std::atomic<uint64_t> errors{0};
  std::mutex error_mutex;
  std::string first_error;

  void NoteError(const Status& status) {
    if (errors.fetch_add(1) > 0) return;
    std::lock_guard<std::mutex> lock(error_mutex);
    first_error = status.ToString();
  }
};

// One client thread: runs queries until the phase is kStop, keeping the latency of those that
// complete while it is kMeasure.
void ClientLoop(client::Connection& conn, WorkloadClient& workload, Shared& shared, std::latch& start,
                std::vector<int64_t>& latencies_ns) {
  start.arrive_and_wait();
  while (shared.phase.load(std::memory_order_acquire) != kStop) {
    Clock::time_point begin = Clock::now();
    Status s = workload.RunOne(conn);
    Clock::time_point end = Clock::now();
    if (!s.ok()) {
      shared.NoteError(s);
      if (conn.is_broken()) return;
      continue;
    }
    if (shared.phase.load(std::memory_order_acquire) == kMeasure) {
      latencies_ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(end - begin).count());
    }
  }
}

std::chrono::duration<double> Seconds(double s) { return std::chrono::duration<double>(s); }

}  // namespace

RunStats RunTimed(const std::vector<std::unique_ptr<client::Connection>>& connections, const RunSpec& spec) {
  Shared shared;
  std::vector<WorkloadClient> workloads;
  std::vector<client::Connection*> ready;
  for (size_t i = 0; i < connections.size(); ++i) {
    WorkloadClient workload(spec.kind, static_cast<int>(i), spec.rows, spec.seed);
    Status s = workload.Prepare(*connections[i]);
    if (!s.ok()) {
      shared.NoteError(s);
      continue;
    }
    workloads.push_back(std::move(workload));
    ready.push_back(connections[i].get());
  }

  std::vector<std::vector<int64_t>> latencies(ready.size());
  std::latch start(static_cast<std::ptrdiff_t>(ready.size()) + 1);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < ready.size(); ++i) {
    latencies[i].reserve(1 << 16);
    threads.emplace_back(ClientLoop, std::ref(*ready[i]), std::ref(workloads[i]), std::ref(shared),
                         std::ref(start), std::ref(latencies[i]));
  }
  start.arrive_and_wait();
  std::this_thread::sleep_for(Seconds(spec.warmup_s));
  Clock::time_point window_begin = Clock::now();
  shared.phase.store(kMeasure, std::memory_order_release);
  std::this_thread::sleep_for(Seconds(spec.duration_s));
  shared.phase.store(kStop, std::memory_order_release);
  Clock::time_point window_end = Clock::now();
  for (std::thread& t : threads) t.join();

  RunStats stats;
  stats.seconds = std::chrono::duration<double>(window_end - window_begin).count();
  stats.latency = Summarize(latencies);
  stats.qps = stats.seconds > 0 ? static_cast<double>(stats.latency.count) / stats.seconds : 0;
  stats.errors = shared.errors.load();
  stats.first_error = shared.first_error;
  return stats;
}

}  // namespace lyt::bench::wire
