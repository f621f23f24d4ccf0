// EXPLAIN and EXPLAIN ANALYZE text. ANALYZE measures without touching the operators: every
// operator of the plan is wrapped in a MeasuredOp that forwards Open and Next to it and counts;
// the text shows each wrapped operator as itself, with the counts.
#include "exec/explain.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "plan/cardinality.h"

namespace lyt {

namespace {

using Clock = std::chrono::steady_clock;

std::string FormatMs(Clock::duration elapsed) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", std::chrono::duration<double, std::milli>(elapsed).count());
  return buf;
}

// Estimates are shown rounded, and as at least 1 when not zero (PostgreSQL's habit too).
std::string FormatRows(double rows) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.0f", rows > 0 ? std::max(1.0, std::round(rows)) : 0.0);
  return buf;
}

// Forwards Open and Next to the one operator it wraps (its only child), counting Open calls
// (loops) and rows produced and, with `timing`, adding up the wall time spent in them, the
// children's included. The counters are atomic: an operator may be read by several threads.
class MeasuredOp : public PhysicalOperator {
 public:
  MeasuredOp(std::unique_ptr<PhysicalOperator> op, bool timing) : PhysicalOperator(op->types()), timing_(timing) {
    children_.push_back(std::move(op));
  }

  void Open(ExecContext& ctx) override {
    loops_.fetch_add(1, std::memory_order_relaxed);
    Timed([&] {
      children_[0]->Open(ctx);
      return true;
    });
  }

  bool Next(ExecContext& ctx, DataChunk& out) override {
    bool more = Timed([&] { return children_[0]->Next(ctx, out); });
    if (more) rows_.fetch_add(out.size(), std::memory_order_relaxed);
    return more;
  }

  std::string Name() const override { return measured().Name(); }
  std::string Details() const override { return measured().Details(); }

  const PhysicalOperator& measured() const { return *children_[0]; }

  struct Counts {
    uint64_t loops = 0, rows = 0, nanos = 0;
    // "(actual rows=N loops=L time=X.XXX ms)"; without timing no time.
    std::string ToString(bool timing) const {
      std::string out = "(actual rows=" + std::to_string(rows) + " loops=" + std::to_string(loops);
      if (timing) out += " time=" + FormatMs(std::chrono::nanoseconds(nanos));
      return out + ")";
    }
  };
  void AddTo(Counts& counts) const {
    counts.loops += loops_.load();
    counts.rows += rows_.load();
    counts.nanos += nanos_.load();
  }

 private:
  template <typename F>
  bool Timed(F&& call) {
    if (!timing_) return call();
    auto start = Clock::now();
    bool result = call();
    nanos_.fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count(),
                     std::memory_order_relaxed);
    return result;
  }

  bool timing_;
  std::atomic<uint64_t> loops_{0}, rows_{0}, nanos_{0};
};

// Wraps `op` and every operator below it.
std::unique_ptr<PhysicalOperator> Measure(std::unique_ptr<PhysicalOperator> op, bool timing) {
  for (auto& c : op->children()) c = Measure(std::move(c), timing);
  return std::make_unique<MeasuredOp>(std::move(op), timing);
}

// The planner's estimate of the rows `op` produces (plan/cardinality.h). Operators built without a
// logical counterpart (the top-N sort under a LIMIT, the first aggregation of a DISTINCT
// aggregate, the projections around a window, MeasuredOp) take their input's estimate: they pass
// on at most the rows they read.
double EstimatedRows(const PhysicalOperator& op) {
  if (op.logical()) return EstimateRows(*op.logical());
  return op.children().empty() ? 0 : EstimatedRows(*op.children().front());
}

const PhysicalOperator& Unwrapped(const PhysicalOperator& op) {
  const auto* measured = dynamic_cast<const MeasuredOp*>(&op);
  return measured ? measured->measured() : op;
}

// One line for `group` (operators EXPLAIN shows as one: a plan's copies on several threads; the
// first stands for all, their counts add up), then the lines of the groups below it.
void Render(const std::vector<const PhysicalOperator*>& group, int depth, const ExplainOptions& options,
            std::vector<std::string>& lines) {
  const PhysicalOperator& shown = Unwrapped(*group[0]);
  std::string line(depth * 2, ' ');
  line += shown.Name();
  std::string details = shown.Details();
  if (!details.empty()) line += " [" + details + "]";
  if (options.costs) line += " (rows=" + FormatRows(EstimatedRows(shown)) + ")";
  MeasuredOp::Counts counts;
  bool measured = false;
  for (const PhysicalOperator* op : group) {
    if (const auto* m = dynamic_cast<const MeasuredOp*>(op)) {
      m->AddTo(counts);
      measured = true;
    }
  }
  if (measured) line += " " + counts.ToString(options.timing);
  lines.push_back(std::move(line));
  std::vector<std::vector<const PhysicalOperator*>> below;
  for (const PhysicalOperator* op : group) {
    auto children = Unwrapped(*op).ExplainedChildren();
    below.resize(std::max(below.size(), children.size()));
    for (size_t k = 0; k < children.size(); ++k) below[k].insert(below[k].end(), children[k].begin(), children[k].end());
  }
  for (const auto& child : below) Render(child, depth + 1, options, lines);
}

}  // namespace

std::vector<std::vector<const PhysicalOperator*>> PhysicalOperator::ExplainedChildren() const {
  std::vector<std::vector<const PhysicalOperator*>> out;
  for (const auto& c : children_) out.push_back({c.get()});
  return out;
}

std::vector<std::string> ExplainPlan(const PhysicalOperator& root, const ExplainOptions& options) {
  std::vector<std::string> lines;
  Render({&root}, 0, options, lines);
  return lines;
}

std::vector<std::string> ExplainAnalyze(std::unique_ptr<PhysicalOperator> root, ExecContext& ctx,
                                        const ExplainOptions& options) {
  auto start = Clock::now();
  auto plan = Measure(std::move(root), options.timing);
  plan->Open(ctx);
  DataChunk chunk(plan->types());
  while (plan->Next(ctx, chunk)) {
  }
  auto elapsed = Clock::now() - start;
  std::vector<std::string> lines = ExplainPlan(*plan, options);
  if (options.summary) lines.push_back("Execution Time: " + FormatMs(elapsed));
  return lines;
}

}  // namespace lyt
