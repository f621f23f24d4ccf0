// Parallel plans: copies of a plan share the segments of their table scan (ScanMorsels) and run
// on the WorkerPool; MergeSortOp merges their sorted rows, ParallelAggregateOp their groups.
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

struct MergeSortOp::State {
  Batches batches;                       // every copy's sorted rows
  std::vector<std::vector<RowId>> runs;  // per copy that ran, its rows' ids into `batches`, in order
  std::vector<SortKeys> keys;            // per run, its rows' normalized keys
  std::vector<size_t> next;              // per run, its first row not yet returned
  std::vector<size_t> heap;              // runs with rows left, as a heap on their next row (least on top)

  // The heap's order: whether run a's next row sorts after run b's (on their normalized keys,
  // then their columns when those keys were cut short, then their ids).
  auto Later(const std::vector<OrderKey>& order) {
    return [this, &order](size_t a, size_t b) {
      size_t i = next[a], j = next[b];
      int c = CompareSortWords(keys[a], i, keys[b], j);
      if (c == 0 && !(keys[a].exact && keys[b].exact)) c = CompareRows(batches, order, runs[a][i], runs[b][j]);
      return c != 0 ? c > 0 : runs[a][i] > runs[b][j];
    };
  }
};

MergeSortOp::MergeSortOp(std::vector<std::unique_ptr<SortOp>> sorts, std::shared_ptr<ScanMorsels> morsels)
    : ParallelOp(AsOperators(std::move(sorts)), std::move(morsels)) {
  for (const auto& c : children_) sorts_.push_back(static_cast<SortOp*>(c.get()));
}

MergeSortOp::~MergeSortOp() = default;

void MergeSortOp::Open(ExecContext& ctx) {
  ParallelOp::Open(ctx);
  state_ = std::make_unique<State>();
}

std::vector<std::vector<const PhysicalOperator*>> MergeSortOp::ExplainedChildren() const {
  std::vector<const PhysicalOperator*> inputs;
  for (const SortOp* sort : sorts_) inputs.push_back(sort->children()[0].get());
  return {inputs};
}

// Sorts on every copy's thread, then gathers the copies' batches into one list (each run's ids
// renumbered to it) and heaps up the runs that have rows.
void MergeSortOp::StartMerge(ExecContext& ctx) {
  std::vector<Batches> parts(sorts_.size());
  std::vector<std::vector<RowId>> orders(sorts_.size());
  std::vector<SortKeys> keys(sorts_.size());
  RunCopies(ctx, [&](size_t i, ExecContext& own) { parts[i] = sorts_[i]->TakeSorted(own, orders[i], keys[i]); });
  State& st = *state_;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (orders[i].empty()) continue;
    uint64_t first_batch = st.batches.size();
    for (RowId& id : orders[i]) id = MakeRowId(RowBatch(id) + first_batch, RowIndex(id));
    for (auto& batch : parts[i]) st.batches.push_back(std::move(batch));
    st.runs.push_back(std::move(orders[i]));
    st.keys.push_back(std::move(keys[i]));
  }
  st.next.assign(st.runs.size(), 0);
  for (size_t r = 0; r < st.runs.size(); ++r) st.heap.push_back(r);
  std::make_heap(st.heap.begin(), st.heap.end(), st.Later(sorts_[0]->keys()));
}

bool MergeSortOp::Next(ExecContext& ctx, DataChunk& out) {
  if (!started_) StartMerge(ctx);
  State& st = *state_;
  if (st.heap.empty()) return false;
  auto later = st.Later(sorts_[0]->keys());
  RowId ids[kVectorSize];
  idx_t n = 0;
  while (n < kVectorSize && !st.heap.empty()) {
    size_t run = st.heap.front();
    if (st.heap.size() == 1) {
      // The last run with rows left: the rest of it is in order already.
      size_t take = std::min<size_t>(kVectorSize - n, st.runs[run].size() - st.next[run]);
      std::copy_n(st.runs[run].begin() + static_cast<std::ptrdiff_t>(st.next[run]), take, ids + n);
      n += take;
      st.next[run] += take;
      if (st.next[run] == st.runs[run].size()) st.heap.clear();
      break;
    }
    std::pop_heap(st.heap.begin(), st.heap.end(), later);
    ids[n++] = st.runs[run][st.next[run]++];
    if (st.next[run] < st.runs[run].size()) {
      std::push_heap(st.heap.begin(), st.heap.end(), later);
    } else {
      st.heap.pop_back();
    }
  }
  out.Reset();
  GatherRows(st.batches, ids, n, out);
  out.SetSize(n);
  return true;
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
