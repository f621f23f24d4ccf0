// SQLite as a benchmark peer: an in-memory database through the C API.
#pragma once

#include <memory>

#include "runner/bench_engine.h"

namespace lyt::bench {

// Opens ":memory:"; on failure returns nullptr and sets *error. With timeout_s > 0, a query
// (Run) still running after timeout_s seconds is interrupted and fails with an error starting
// "timeout:".
std::unique_ptr<BenchEngine> OpenSqliteEngine(int timeout_s, std::string* error);

}  // namespace lyt::bench
