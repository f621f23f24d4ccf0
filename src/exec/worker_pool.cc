#include "exec/worker_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>

#include <malloc.h>

namespace lyt {

namespace {

constexpr auto kSpinBeforeSleep = std::chrono::microseconds(500);

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

}  // namespace

// One Run call: tasks claimed through `next`; `mutex` guards finished and error.
struct WorkerPool::Job {
  const std::function<void(size_t)>* task;
  size_t count;
  std::atomic<size_t> next{0};
  std::mutex mutex;
  std::condition_variable all_done;
  size_t finished = 0;
  std::exception_ptr error;

  // Runs unclaimed tasks until none is left.
  void Work() {
    for (size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) {
      std::exception_ptr failure;
      try {
        (*task)(i);
      } catch (...) {
        failure = std::current_exception();
      }
      std::lock_guard lock(mutex);
      if (failure && !error) error = failure;
      if (++finished == count) all_done.notify_all();
    }
  }
};

WorkerPool& WorkerPool::Shared() {
  static WorkerPool pool([] {
    unsigned cores = std::thread::hardware_concurrency();
    return cores > 2 ? cores - 1 : 1;
  }());
  return pool;
}

WorkerPool::WorkerPool(size_t threads) {
  // glibc hands the free memory at the top of a thread's heap back to the system once 128 KiB
  // are free, so every parallel statement would fault its buffers in again on the workers (page
  // faults measured at a third of a 1M-row top-N); keep up to 64 MiB.
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void WorkerPool::Loop() {
  for (;;) {
    // Waking a sleeping thread takes hundreds of microseconds on some virtual machines, longer
    // than many parallel statements: a pool thread watches the queue for a while before it
    // sleeps, so statements run back to back find it awake.
    auto spin_until = std::chrono::steady_clock::now() + kSpinBeforeSleep;
    while (queued_.load(std::memory_order_acquire) == 0 && std::chrono::steady_clock::now() < spin_until) {
      for (int i = 0; i < 64; ++i) CpuRelax();
    }
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping
      job = std::move(queue_.front());
      queue_.pop_front();
      queued_.fetch_sub(1, std::memory_order_relaxed);
    }
    job->Work();
  }
}

void WorkerPool::Run(size_t n, const std::function<void(size_t)>& task) {
  if (n == 0) return;
  auto job = std::make_shared<Job>();
  job->task = &task;
  job->count = n;
  size_t helpers = std::min(n - 1, threads_.size());
  if (helpers > 0) {
    {
      std::lock_guard lock(mutex_);
      for (size_t i = 0; i < helpers; ++i) queue_.push_back(job);
      queued_.fetch_add(helpers, std::memory_order_release);
    }
    if (helpers == 1) wake_.notify_one();
    else wake_.notify_all();
  }
  job->Work();
  std::unique_lock lock(job->mutex);
  job->all_done.wait(lock, [&] { return job->finished == n; });
  if (job->error) std::rethrow_exception(job->error);
}

}  // namespace lyt
