// LytDB over the wire as the engine under test: a `lytdb` server started for the run (see
// lytdb_server.h) and one connection of the C++ client (include/lyt/client.h) over loopback TCP.
// Each result is read completely by the client (as the client always does) before its cells are
// visited, so a time means "answer at the client".
#pragma once

#include <memory>
#include <string>

#include "runner/bench_engine.h"

namespace lyt::bench {

// Starts `lytdb_binary` in `work_dir` (empty: a temporary directory; see LytdbServer::Start),
// with --worker-threads `threads` unless 0 (the server's default: one per core, which is also
// the engine's thread count), and connects as admin; on failure returns nullptr (and stops the
// server) and sets *error.
std::unique_ptr<BenchEngine> OpenLytwireEngine(const std::string& lytdb_binary, const std::string& work_dir,
                                               unsigned threads, std::string* error);

}  // namespace lyt::bench
