// The timing rules of the workload (queries.sql header), applied to one engine.
#pragma once

#include "runner/bench_engine.h"
#include "runner/report.h"
#include "runner/workload.h"

namespace lyt::bench {

struct TimingRules {
  int min_runs = 5;         // timed runs of a @query at least ...
  double min_total_ms = 500;  // ... and until their total reaches this
};

// Runs `step` by its kind and returns its record (engine left empty for the caller):
//   @reset  once, untimed (median_ms unset);
//   @setup  once, timed once;
//   @query  one warm-up run (untimed; its result gives rows and result_json), then timed runs while
//           fewer than rules.min_runs or their total is under rules.min_total_ms; median of them.
// Every run reads every cell. The first failing run ends the step with an error record.
Record RunStep(BenchEngine& engine, const Step& step, const TimingRules& rules);

// Times loading one CSV file into `table` (kind "load", name "load_<table>").
Record TimeLoad(BenchEngine& engine, const std::string& table, const std::string& path);

// Times the schema script (kind "schema", name "create_schema").
Record TimeSchema(BenchEngine& engine, const std::string& sql);

}  // namespace lyt::bench
