// Threads for the parallel parts of statements (exec/operators/parallel.cc).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace lyt {

class WorkerPool {
 public:
  // The process's pool: one thread per core but one, since the thread running a statement works
  // on it too (at least one). Created on first use, joined at exit.
  static WorkerPool& Shared();

  explicit WorkerPool(size_t threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  size_t threads() const { return threads_.size(); }

  // Runs task(0), ..., task(n - 1), each once, on the calling thread and on pool threads that
  // are free, and returns when all have finished. Tasks are claimed in order by whoever is free:
  // the caller runs every task no pool thread has started, so a busy pool (or a task that itself
  // calls Run) never makes it wait for a thread. The first exception a task throws is rethrown
  // here once every task has finished.
  void Run(size_t n, const std::function<void(size_t)>& task);

 private:
  struct Job;
  void Loop();

  // Whether a job is queued, read without the mutex by threads spinning before they sleep.
  std::atomic<size_t> queued_{0};
  // mutex_ guards queue_ and stopping_; a queued job is run by the pool thread that pops it.
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Job>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace lyt
