// The connection pool: several threads borrow connections from one ConnectionPool, each runs a
// few statements, and the handles give the connections back when they go out of scope. Run
// (docs/client.md):
//   build/dev/examples/client_pool_example 'lyt://alice:secret@localhost/main' [threads]
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "lyt/client.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s lyt://user:password@host[:port][/database] [threads]\n", argv[0]);
    return 2;
  }
  int threads = argc == 3 ? std::atoi(argv[2]) : 8;
  lyt::client::PoolOptions options;
  options.max_size = 4;  // fewer connections than threads: some wait for a connection to come back
  std::unique_ptr<lyt::client::ConnectionPool> pool;
  lyt::Status status = lyt::client::ConnectionPool::Create(argv[1], options, &pool);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  std::atomic<int> failures{0};
  std::atomic<int64_t> total{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        lyt::client::PooledConnection conn;
        lyt::Status s = pool->Acquire(&conn, std::chrono::seconds(30));
        if (!s.ok()) {
          std::fprintf(stderr, "thread %d: %s\n", t, s.ToString().c_str());
          ++failures;
          return;
        }
        auto result = conn->Query("SELECT $1::BIGINT * 10 + $2", {lyt::Value::BigInt(t), lyt::Value::BigInt(i)});
        const lyt::ResultBatch* batch = result->ok() ? result->NextBatch() : nullptr;
        if (batch == nullptr) {
          std::fprintf(stderr, "thread %d: %s\n", t, result->status().ToString().c_str());
          ++failures;
          return;
        }
        total += batch->GetInt64(0, 0);
      }  // `conn` goes back to the pool here
    });
  }
  for (auto& w : workers) w.join();
  std::printf("%d threads, %zu connections opened, sum %lld, %d failures\n", threads, pool->size(),
              static_cast<long long>(total.load()), failures.load());
  return failures == 0 ? 0 : 1;
}
