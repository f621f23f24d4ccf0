// Window functions: the input is buffered, then for each distinct (PARTITION BY, ORDER BY) of the
// calls a permutation of the rows is sorted by partition keys then order keys (the comparison
// ORDER BY uses), cut into partitions and peer groups, and every call with that ordering is
// evaluated partition by partition (window_functions.cc). Results go into batches parallel to the
// input batches; rows leave in the last permutation's order.
#include <algorithm>

#include "exec/operators/operators.h"
#include "exec/operators/window_internal.h"

namespace lyt {

struct WindowOp::State {
  explicit State(MemoryTracker& memory) : reservation(memory) {}
  Batches input;
  Batches results;         // one column per call, row for row with `input`
  std::vector<RowId> order;  // output order
  MemoryReservation reservation;
  size_t next = 0;
  bool built = false;
};

WindowOp::WindowOp(std::unique_ptr<PhysicalOperator> child, std::vector<WindowCall> calls, std::vector<LogicalType> types,
                   std::string description)
    : PhysicalOperator(std::move(types)), calls_(std::move(calls)), description_(std::move(description)) {
  children_.push_back(std::move(child));
}

WindowOp::~WindowOp() = default;

void WindowOp::Open(ExecContext& ctx) {
  PhysicalOperator::Open(ctx);
  state_ = std::make_unique<State>(ctx.memory());
}

namespace {

std::vector<OrderKey> KeyColumns(const std::vector<BoundExprPtr>& exprs, const std::vector<OrderKey>* directions) {
  std::vector<OrderKey> keys;
  for (size_t i = 0; i < exprs.size(); ++i) {
    OrderKey k = directions ? (*directions)[i] : OrderKey{};
    k.column = exprs[i]->column;
    keys.push_back(k);
  }
  return keys;
}

// Fills peer_start/peer_end for the partition rows[0, n).
void FindPeers(const Batches& batches, const std::vector<OrderKey>& order, const RowId* rows, idx_t n,
               std::vector<idx_t>& peer_start, std::vector<idx_t>& peer_end) {
  peer_start.resize(n);
  peer_end.resize(n);
  idx_t start = 0;
  for (idx_t i = 1; i <= n; ++i) {
    if (i < n && CompareRows(batches, order, rows[i - 1], rows[i]) == 0) continue;
    for (idx_t j = start; j < i; ++j) {
      peer_start[j] = start;
      peer_end[j] = i;
    }
    start = i;
  }
}

}  // namespace

// Sorts the rows for the calls sharing one ordering and evaluates them.
void WindowOp::EvaluateOrdering(State& st, const std::vector<size_t>& calls, ExecContext& ctx) {
  const WindowCall& first = calls_[calls[0]];
  std::vector<OrderKey> partition = KeyColumns(first.partitions, nullptr);
  std::vector<OrderKey> order = KeyColumns(first.order_exprs, &first.order);
  std::vector<OrderKey> all = partition;
  all.insert(all.end(), order.begin(), order.end());
  std::vector<RowId>& rows = st.order;
  rows.clear();
  for (size_t b = 0; b < st.input.size(); ++b) {
    for (idx_t r = 0; r < st.input[b]->size(); ++r) rows.push_back(MakeRowId(b, r));
  }
  SortRows(st.input, all, rows, ctx.memory(), ctx.functions().threads);
  std::vector<idx_t> peer_start, peer_end;
  for (idx_t start = 0; start < rows.size();) {
    idx_t end = start + 1;
    while (end < rows.size() && CompareRows(st.input, partition, rows[end - 1], rows[end]) == 0) ++end;
    FindPeers(st.input, order, rows.data() + start, end - start, peer_start, peer_end);
    WindowPartition part{st.input, rows.data() + start, end - start, peer_start.data(), peer_end.data()};
    for (size_t c : calls) EvaluateWindowCall(calls_[c], part, WindowResults{st.results, c});
    start = end;
  }
}

void WindowOp::Build(ExecContext& ctx) {
  State& st = *state_;
  st.input = CollectAll(*children_[0], ctx);
  std::vector<LogicalType> result_types;
  for (const auto& c : calls_) result_types.push_back(c.type);
  for (const auto& batch : st.input) {
    auto results = std::make_unique<DataChunk>(result_types);
    results->SetSize(batch->size());
    st.reservation.Add(results->MemoryUsage() + batch->size() * sizeof(RowId));
    st.results.push_back(std::move(results));
  }
  // Calls with the same PARTITION BY and ORDER BY share one sort.
  std::vector<bool> done(calls_.size(), false);
  for (size_t i = 0; i < calls_.size(); ++i) {
    if (done[i]) continue;
    std::vector<size_t> same;
    for (size_t j = i; j < calls_.size(); ++j) {
      if (!done[j] && calls_[j].SameOrdering(calls_[i])) {
        same.push_back(j);
        done[j] = true;
      }
    }
    EvaluateOrdering(st, same, ctx);
  }
  st.built = true;
}

bool WindowOp::Next(ExecContext& ctx, DataChunk& out) {
  if (!state_->built) Build(ctx);
  State& st = *state_;
  if (st.next >= st.order.size()) return false;
  out.Reset();
  idx_t width = children_[0]->types().size();
  idx_t n = std::min<idx_t>(kVectorSize, st.order.size() - st.next);
  GatherRows(st.input, &st.order[st.next], n, out, 0);
  GatherRows(st.results, &st.order[st.next], n, out, width);
  st.next += n;
  out.SetSize(n);
  return true;
}

}  // namespace lyt
