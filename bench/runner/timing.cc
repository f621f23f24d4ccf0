#include "runner/timing.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "runner/result_capture.h"

namespace lyt::bench {
namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

Record Started(const Step& step) {
  Record record;
  record.name = step.name;
  record.kind = StepKindName(step.kind);
  return record;
}

Record Failed(Record record, const std::string& error) {
  record.error = error;
  return record;
}

// One untimed (reset) or timed-once (setup) execution.
Record RunOnce(BenchEngine& engine, const Step& step, bool timed) {
  Record record = Started(step);
  ConsumingVisitor cells;
  Clock::time_point start = Clock::now();
  StatementOutcome outcome = engine.Run(step.sql, cells);
  double ms = MsSince(start);
  if (!outcome.ok()) return Failed(record, outcome.error);
  if (timed) record.median_ms = ms;
  record.runs = 1;
  record.rows = outcome.rows;
  return record;
}

Record TimeQuery(BenchEngine& engine, const Step& step, const TimingRules& rules) {
  Record record = Started(step);
  CapturingVisitor result;
  StatementOutcome warm_up = engine.Run(step.sql, result);
  if (!warm_up.ok()) return Failed(record, warm_up.error);
  record.rows = warm_up.rows;
  record.result_truncated = result.truncated();
  if (!result.truncated()) record.result_json = result.Json();

  std::vector<double> times;
  double total = 0;
  ConsumingVisitor cells;
  while (static_cast<int>(times.size()) < rules.min_runs || total < rules.min_total_ms) {
    Clock::time_point start = Clock::now();
    StatementOutcome outcome = engine.Run(step.sql, cells);
    double ms = MsSince(start);
    if (!outcome.ok()) {
      return Failed(record, "run " + std::to_string(times.size() + 1) + ": " + outcome.error);
    }
    times.push_back(ms);
    total += ms;
  }
  record.median_ms = Median(times);
  record.runs = static_cast<int>(times.size());
  return record;
}

}  // namespace

Record RunStep(BenchEngine& engine, const Step& step, const TimingRules& rules) {
  switch (step.kind) {
    case StepKind::kReset: return RunOnce(engine, step, /*timed=*/false);
    case StepKind::kSetup: return RunOnce(engine, step, /*timed=*/true);
    case StepKind::kQuery: break;
  }
  return TimeQuery(engine, step, rules);
}

Record TimeLoad(BenchEngine& engine, const std::string& table, const std::string& path) {
  Record record;
  record.name = "load_" + table;
  record.kind = "load";
  Clock::time_point start = Clock::now();
  StatementOutcome outcome = engine.LoadCsv(table, path);
  double ms = MsSince(start);
  if (!outcome.ok()) return Failed(record, outcome.error);
  record.median_ms = ms;
  record.runs = 1;
  record.rows = outcome.rows;
  return record;
}

Record TimeSchema(BenchEngine& engine, const std::string& sql) {
  Record record;
  record.name = "create_schema";
  record.kind = "schema";
  Clock::time_point start = Clock::now();
  StatementOutcome outcome = engine.RunScript(sql);
  double ms = MsSince(start);
  if (!outcome.ok()) return Failed(record, outcome.error);
  record.median_ms = ms;
  record.runs = 1;
  return record;
}

}  // namespace lyt::bench
