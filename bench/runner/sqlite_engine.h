// SQLite as a benchmark peer: an in-memory database through the C API.
#pragma once

#include <memory>

#include "runner/bench_engine.h"

namespace lyt::bench {

// Opens ":memory:"; on failure returns nullptr and sets *error.
std::unique_ptr<BenchEngine> OpenSqliteEngine(std::string* error);

}  // namespace lyt::bench
