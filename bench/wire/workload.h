// The two timed workloads of the wire benchmark, as one client connection runs them: a statement
// prepared once per connection, then one ExecutePrepared per query with fresh parameters. The
// same statements, parameter distributions and ids run on PostgreSQL through pgbench
// (bench/wire/pgbench_*.sql), so both servers see the same requests.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "lyt/client.h"

namespace lyt::bench::wire {

enum class WorkloadKind {
  PointSelect,  // SELECT id, balance, name FROM accounts WHERE id = $1, id uniform in 1..rows
  Insert,       // INSERT INTO events (id, account, amount) VALUES ($1, $2, $3), ids unique
};

// Parses "select" / "insert"; false for anything else.
bool ParseWorkload(const std::string& name, WorkloadKind* out);
const char* WorkloadName(WorkloadKind kind);

// Ids of INSERTs: client `c` (0-based) uses c * kIdStride + 1, + 2, ... so that clients never
// collide; pgbench_insert.sql computes the same from its :client_id (also 0-based).
constexpr int64_t kIdStride = int64_t{1} << 32;

// One connection's side of a workload. Not thread-safe: one per client thread.
class WorkloadClient {
 public:
  // `client` numbers the connection (0-based, for unique INSERT ids); `rows` is the number of
  // accounts (ids 1..rows exist); `seed` makes the random choices repeatable.
  WorkloadClient(WorkloadKind kind, int client, int64_t rows, uint64_t seed);

  // Prepares the workload's statement on `conn`; the server's error on failure.
  Status Prepare(client::Connection& conn);
  // Runs one query and reads every cell of its result. A SELECT that does not return exactly
  // the requested row, or an INSERT that does not insert one, fails with SQLSTATE XX000.
  Status RunOne(client::Connection& conn);

 private:
  Status CheckSelect(QueryResult& result, int64_t id) const;

  WorkloadKind kind_;
  int64_t rows_;
  int64_t next_id_;
  std::mt19937_64 rng_;
  std::vector<Value> params_;
};

}  // namespace lyt::bench::wire
