// LytDB as the engine under test: an in-memory instance through the embedding API.
#pragma once

#include <memory>
#include <string>

#include "runner/bench_engine.h"

namespace lyt::bench {

// Opens an in-memory LytDB with `threads` workers (0: one per core); on failure returns nullptr
// and sets *error.
std::unique_ptr<BenchEngine> OpenLytdbEngine(unsigned threads, std::string* error);

}  // namespace lyt::bench
