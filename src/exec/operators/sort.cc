// ORDER BY: rows are copied into owned batches, then a permutation is sorted (by normalized keys,
// row_compare.h). With a limit, the buffer is cut back to the best offset+limit rows whenever it
// grows large (top-N).
#include <algorithm>
#include <cstring>
#include <optional>

#include "exec/expr_internal.h"
#include "exec/operators/operators.h"
#include "exec/operators/row_compare.h"

namespace lyt {

struct SortOp::State {
  explicit State(MemoryTracker& memory) : reservation(memory) {}
  Batches chunks;
  std::vector<RowId> order;
  MemoryReservation reservation;
  size_t next = 0;
  bool built = false;
};

SortOp::SortOp(std::unique_ptr<PhysicalOperator> child, std::vector<OrderKey> keys, int64_t limit)
    : PhysicalOperator(child->types()), keys_(std::move(keys)), limit_(limit) {
  children_.push_back(std::move(child));
}

SortOp::~SortOp() = default;

std::string SortOp::Details() const {
  std::string out;
  for (size_t i = 0; i < keys_.size(); ++i) {
    out += (i ? ", #" : "#") + std::to_string(keys_[i].column) + (keys_[i].descending ? " DESC" : " ASC") +
           (keys_[i].nulls_first ? " NULLS FIRST" : " NULLS LAST");
  }
  if (limit_ >= 0) out += " LIMIT " + std::to_string(limit_);
  return out;
}

void SortOp::Open(ExecContext& ctx) {
  PhysicalOperator::Open(ctx);
  state_ = std::make_unique<State>(ctx.memory());
}

void SortOp::Build(ExecContext& ctx, bool sort) {
  State& st = *state_;
  PhysicalOperator& child = *children_[0];
  DataChunk input(child.types());
  size_t keep = limit_ >= 0 ? static_cast<size_t>(limit_) : 0;
  // Compacting early sets the threshold below early: from then on few rows are copied at all.
  size_t compact_at = std::max<size_t>(keep * 2, kVectorSize);
  RowLess less{st.chunks, keys_};
  auto compact = [&] {
    // Keep only the best `keep` rows, re-copied into fresh batches.
    size_t n = std::min(keep, st.order.size());
    std::partial_sort(st.order.begin(), st.order.begin() + n, st.order.end(), less);
    Batches kept;
    for (size_t i = 0; i < n; ++i) {
      if (kept.empty() || kept.back()->size() == kVectorSize) kept.push_back(std::make_unique<DataChunk>(types_));
      sel_t row = RowIndex(st.order[i]);
      kept.back()->Append(*st.chunks[RowBatch(st.order[i])], &row, 1);
    }
    st.chunks.swap(kept);
    st.order.clear();
    for (size_t c = 0; c < st.chunks.size(); ++c) {
      for (idx_t r = 0; r < st.chunks[c]->size(); ++r) st.order.push_back(MakeRowId(c, r));
    }
  };
  // Top-N: once `keep` rows are buffered, a row can only matter if its first key is at least as
  // good as the worst kept row's; batches are prefiltered on that with a vectorized compare.
  std::optional<Value> threshold;
  const OrderKey& first = keys_[0];
  auto update_threshold = [&] {
    if (st.order.size() < keep || keep == 0) return;
    RowId worst = st.order[keep - 1];
    Value v = st.chunks[RowBatch(worst)]->GetValue(first.column, RowIndex(worst));
    if (!v.is_null()) threshold = v;
  };
  sel_t sel[kVectorSize];
  while (child.Next(ctx, input)) {
    const sel_t* rows = nullptr;
    idx_t n = input.size();
    if (threshold) {
      const Vector& key = input.column(first.column);
      n = SelectCompareConstant(first.descending ? CompareOp::GreaterEqual : CompareOp::LessEqual, key, *threshold,
                                nullptr, input.size(), sel);
      if (first.nulls_first && std::memchr(key.nulls(), 1, input.size())) {
        // NULLs sort before every value here: they always qualify.
        for (idx_t r = 0; r < input.size(); ++r) {
          if (key.IsNull(r)) sel[n++] = static_cast<sel_t>(r);
        }
      }
      if (n == 0) continue;
      rows = sel;
    }
    // Rows go into the last buffered batch while it has room: a top-N keeps few rows of each batch.
    size_t before = 0;
    if (st.chunks.empty() || st.chunks.back()->size() + n > kVectorSize) {
      st.chunks.push_back(std::make_unique<DataChunk>(types_));
    } else {
      before = st.chunks.back()->MemoryUsage();
    }
    DataChunk& dst = *st.chunks.back();
    idx_t first_row = dst.size();
    dst.Append(input, rows, n);
    st.reservation.Add(dst.MemoryUsage() - before + n * sizeof(uint64_t));
    uint64_t c = st.chunks.size() - 1;
    for (idx_t r = first_row; r < dst.size(); ++r) st.order.push_back(MakeRowId(c, r));
    if (limit_ >= 0 && st.order.size() >= compact_at) {
      compact();
      update_threshold();
    }
  }
  if (limit_ >= 0) {
    compact();
  } else if (sort) {
    SortRows(st.chunks, keys_, st.order, ctx.memory(), ctx.functions().threads);
  }
  st.built = true;
}

Batches SortOp::TakeRows(ExecContext& ctx, std::vector<RowId>& ids) {
  State& st = *state_;
  if (st.built) ThrowInternal("SortOp::TakeRows after its rows were read");
  Build(ctx, false);
  ids = std::move(st.order);
  st.order.clear();
  st.next = 0;
  return std::move(st.chunks);
}

bool SortOp::Next(ExecContext& ctx, DataChunk& out) {
  if (!state_->built) Build(ctx);
  return NextSortedBatch(state_->chunks, state_->order, state_->next, out);
}

}  // namespace lyt
