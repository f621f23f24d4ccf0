// Parallel plans: copies of a plan share the segments of their table scan (ScanMorsels) and run
// on the WorkerPool; ParallelSortOp sorts their rows together, ParallelAggregateOp merges their
// groups.
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

// The copies as the children of a ParallelOp.
template <typename Copy>
std::vector<std::unique_ptr<PhysicalOperator>> AsOperators(std::vector<std::unique_ptr<Copy>> copies) {
  std::vector<std::unique_ptr<PhysicalOperator>> out;
  for (auto& c : copies) out.push_back(std::move(c));
  return out;
}

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

struct ParallelSortOp::State {
  Batches batches;           // every copy's rows
  std::vector<RowId> order;  // their ids into `batches`, sorted
  size_t next = 0;           // the first row of `order` not returned yet
};

ParallelSortOp::ParallelSortOp(std::vector<std::unique_ptr<SortOp>> sorts, std::shared_ptr<ScanMorsels> morsels)
    : ParallelOp(AsOperators(std::move(sorts)), std::move(morsels)) {
  for (const auto& c : children_) sorts_.push_back(static_cast<SortOp*>(c.get()));
}

ParallelSortOp::~ParallelSortOp() = default;

void ParallelSortOp::Open(ExecContext& ctx) {
  ParallelOp::Open(ctx);
  state_ = std::make_unique<State>();
}

std::vector<std::vector<const PhysicalOperator*>> ParallelSortOp::ExplainedChildren() const {
  std::vector<const PhysicalOperator*> inputs;
  for (const SortOp* sort : sorts_) inputs.push_back(sort->children()[0].get());
  return {inputs};
}

// Collects on every copy's thread, then gathers the copies' batches into one list (each copy's
// ids renumbered to it) and sorts all the rows (on several threads when they are many).
void ParallelSortOp::SortAll(ExecContext& ctx) {
  std::vector<Batches> parts(sorts_.size());
  std::vector<std::vector<RowId>> ids(sorts_.size());
  RunCopies(ctx, [&](size_t i, ExecContext& own) { parts[i] = sorts_[i]->TakeRows(own, ids[i]); });
  State& st = *state_;
  for (size_t i = 0; i < parts.size(); ++i) {
    uint64_t first_batch = st.batches.size();
    for (RowId id : ids[i]) st.order.push_back(MakeRowId(RowBatch(id) + first_batch, RowIndex(id)));
    for (auto& batch : parts[i]) st.batches.push_back(std::move(batch));
  }
  SortRows(st.batches, sorts_[0]->keys(), st.order, ctx.memory(), ctx.functions().threads);
  // A top-N returns its first `limit` rows only, as one SortOp would; each copy kept that many.
  int64_t limit = sorts_[0]->limit();
  if (limit >= 0 && st.order.size() > static_cast<size_t>(limit)) st.order.resize(static_cast<size_t>(limit));
}

bool ParallelSortOp::Next(ExecContext& ctx, DataChunk& out) {
  if (!started_) SortAll(ctx);
  return NextSortedBatch(state_->batches, state_->order, state_->next, out);
}

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
