// What the embedded and the wire LytDB engines share: both hand back a lyt::QueryResult (the C++
// client returns the same type as the embedding API), so running statements, reading every cell
// and loading CSV files with COPY are written once here.
#pragma once

#include <memory>
#include <string>

#include "lyt/database.h"
#include "runner/bench_engine.h"

namespace lyt::bench {

class LytResultEngine : public BenchEngine {
 public:
  StatementOutcome Run(const std::string& sql, CellVisitor& cells) final;
  StatementOutcome RunScript(const std::string& sql) final;
  // COPY table FROM 'path' WITH (FORMAT csv, HEADER true): the file is read where the engine
  // runs (the embedded engine's process, or the server, which must be on this machine).
  StatementOutcome LoadCsv(const std::string& table, const std::string& absolute_path) final;

 protected:
  // Runs `sql` (one or more statements) and returns the whole result; never null.
  virtual std::unique_ptr<QueryResult> Query(const std::string& sql) = 0;
};

}  // namespace lyt::bench
