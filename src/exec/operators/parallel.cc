// Parallel plans: copies of a plan share the segments of their table scan (ScanMorsels) and run
// on the WorkerPool; GatherOp concatenates their output, ParallelAggregateOp merges their groups.
#include <algorithm>

#include "exec/operators/operators.h"
#include "exec/worker_pool.h"

namespace lyt {

namespace {

// Ranges per scan when a table is large: enough that copies finishing at different speeds
// (other work on the machine, filters passing more rows in some parts) still end together.
constexpr idx_t kRangesPerScan = 16;
// The most segments in one range (64K rows): larger ranges would not save anything measurable.
constexpr idx_t kMaxRangeSegments = 32;

}  // namespace

void ScanMorsels::Reset(size_t scans) {
  end_ = (table_.slot_count() + kSegmentCapacity - 1) / kSegmentCapacity;
  range_ = std::clamp<idx_t>(end_ / (std::max<size_t>(scans, 1) * kRangesPerScan), 1, kMaxRangeSegments);
  next_.store(0);
}

bool ScanMorsels::Next(DataTable::ScanState& state) {
  idx_t first = next_.fetch_add(range_);
  if (first >= end_) return false;
  state.segment = first;
  state.offset = 0;
  state.end_segment = std::min(first + range_, end_);
  return true;
}

ParallelOp::ParallelOp(std::vector<std::unique_ptr<PhysicalOperator>> copies, std::shared_ptr<ScanMorsels> morsels)
    : PhysicalOperator(copies.at(0)->types()), morsels_(std::move(morsels)) {
  children_ = std::move(copies);
}

void ParallelOp::Open(ExecContext& ctx) {
  morsels_->Reset(children_.size());
  PhysicalOperator::Open(ctx);
  started_ = false;
}

std::vector<std::vector<const PhysicalOperator*>> ParallelOp::ExplainedChildren() const {
  std::vector<const PhysicalOperator*> copies;
  for (const auto& c : children_) copies.push_back(c.get());
  return {copies};
}

void ParallelOp::RunCopies(ExecContext& ctx, const std::function<void(size_t, ExecContext&)>& work) {
  started_ = true;
  size_t limit = ctx.functions().threads;
  size_t copies = limit == 0 ? children_.size() : std::min(children_.size(), limit);
  WorkerPool::Shared().Run(copies, [&](size_t i) {
    ExecContext own(ctx.functions(), ctx.memory(), ctx.snapshot());
    try {
      work(i, own);
    } catch (...) {
      morsels_->Stop();
      throw;
    }
  });
}

GatherOp::GatherOp(std::vector<std::unique_ptr<PhysicalOperator>> copies, std::shared_ptr<ScanMorsels> morsels)
    : ParallelOp(std::move(copies), std::move(morsels)) {}

bool GatherOp::Next(ExecContext& ctx, DataChunk& out) {
  if (!started_) {
    std::vector<std::vector<std::unique_ptr<DataChunk>>> parts(children_.size());
    RunCopies(ctx, [&](size_t i, ExecContext& own) { parts[i] = CollectAll(*children_[i], own); });
    rows_.clear();
    next_ = 0;
    for (auto& part : parts) {
      for (auto& chunk : part) rows_.push_back(std::move(chunk));
    }
  }
  if (next_ >= rows_.size()) return false;
  out.Reference(*rows_[next_++]);
  return true;
}

namespace {

std::vector<std::unique_ptr<PhysicalOperator>> AsOperators(std::vector<std::unique_ptr<HashAggregateOp>> copies) {
  std::vector<std::unique_ptr<PhysicalOperator>> out;
  for (auto& c : copies) out.push_back(std::move(c));
  return out;
}

}  // namespace

ParallelAggregateOp::ParallelAggregateOp(std::vector<std::unique_ptr<HashAggregateOp>> copies,
                                         std::shared_ptr<ScanMorsels> morsels)
    : ParallelOp(AsOperators(std::move(copies)), std::move(morsels)) {
  for (const auto& c : children_) copies_.push_back(static_cast<HashAggregateOp*>(c.get()));
}

std::vector<std::vector<const PhysicalOperator*>> ParallelAggregateOp::ExplainedChildren() const {
  // The copies' input, each child position as one group across the copies.
  std::vector<std::vector<const PhysicalOperator*>> groups(copies_[0]->children().size());
  for (const HashAggregateOp* copy : copies_) {
    for (size_t k = 0; k < groups.size(); ++k) groups[k].push_back(copy->children()[k].get());
  }
  return groups;
}

bool ParallelAggregateOp::Next(ExecContext& ctx, DataChunk& out) {
  if (!started_) {
    RunCopies(ctx, [&](size_t i, ExecContext& own) { copies_[i]->Consume(own); });
    for (size_t i = 1; i < copies_.size(); ++i) copies_[0]->Absorb(*copies_[i]);
  }
  return copies_[0]->Next(ctx, out);
}

}  // namespace lyt
