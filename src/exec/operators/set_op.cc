// UNION / INTERSECT / EXCEPT, with or without ALL. Distinct rows are found with a
// GroupHashTable over the left input (and the right one for UNION); per-row counts give the
// ALL variants their multiplicities.
#include "exec/group_hash_table.h"
#include "exec/operators/operators.h"

namespace lyt {

struct SetOpOp::State {
  State(const std::vector<LogicalType>& types, MemoryTracker& memory) : table(types, memory) {}
  GroupHashTable table;
  std::vector<int64_t> left_count, right_count;
  bool built = false;
  bool streaming_right = false;  // UNION ALL
  idx_t next_group = 0;
  int64_t repeat_done = 0;
};

SetOpOp::SetOpOp(std::unique_ptr<PhysicalOperator> left, std::unique_ptr<PhysicalOperator> right, ast::SetOpType op,
                 bool all)
    : PhysicalOperator(left->types()), op_(op), all_(all) {
  children_.push_back(std::move(left));
  children_.push_back(std::move(right));
}

SetOpOp::~SetOpOp() = default;

std::string SetOpOp::Name() const {
  std::string name = op_ == ast::SetOpType::Union ? "UNION" : op_ == ast::SetOpType::Intersect ? "INTERSECT" : "EXCEPT";
  return all_ ? name + " ALL" : name;
}

void SetOpOp::Open(ExecContext& ctx) {
  PhysicalOperator::Open(ctx);
  state_ = std::make_unique<State>(types_, ctx.memory());
}

bool SetOpOp::Next(ExecContext& ctx, DataChunk& out) {
  State& st = *state_;
  if (op_ == ast::SetOpType::Union && all_) {
    if (!st.streaming_right) {
      if (children_[0]->Next(ctx, out)) return true;
      st.streaming_right = true;
    }
    return children_[1]->Next(ctx, out);
  }
  if (!st.built) {
    DataChunk input(types_);
    uint32_t gids[kVectorSize];
    std::vector<const Vector*> cols;
    for (idx_t c = 0; c < types_.size(); ++c) cols.push_back(&input.column(c));
    while (children_[0]->Next(ctx, input)) {
      st.table.FindOrCreate(cols, input.size(), gids);
      st.left_count.resize(st.table.group_count(), 0);
      for (idx_t r = 0; r < input.size(); ++r) ++st.left_count[gids[r]];
    }
    while (children_[1]->Next(ctx, input)) {
      if (op_ == ast::SetOpType::Union) {
        st.table.FindOrCreate(cols, input.size(), gids);
      } else {
        st.table.Find(cols, input.size(), gids);
      }
      st.right_count.resize(st.table.group_count(), 0);
      for (idx_t r = 0; r < input.size(); ++r) {
        if (gids[r] != GroupHashTable::kNoGroup) ++st.right_count[gids[r]];
      }
    }
    st.left_count.resize(st.table.group_count(), 0);
    st.right_count.resize(st.table.group_count(), 0);
    st.built = true;
  }
  // How many copies of group g the result holds.
  auto copies = [&](idx_t g) -> int64_t {
    int64_t l = st.left_count[g], r = st.right_count[g];
    switch (op_) {
      case ast::SetOpType::Union: return 1;
      case ast::SetOpType::Intersect: return all_ ? std::min(l, r) : (l > 0 && r > 0);
      case ast::SetOpType::Except: return all_ ? std::max<int64_t>(l - r, 0) : (l > 0 && r == 0);
    }
    return 0;
  };
  out.Reset();
  DataChunk one(types_, 1);
  idx_t n = 0;
  while (st.next_group < st.table.group_count() && n < kVectorSize) {
    idx_t g = st.next_group;
    int64_t want = copies(g);
    if (st.repeat_done >= want) {
      ++st.next_group;
      st.repeat_done = 0;
      continue;
    }
    one.Reset();
    st.table.GetKeys(g, 1, one);
    one.SetSize(1);
    out.Append(one, nullptr, 1);
    ++st.repeat_done;
    ++n;
  }
  return n > 0;
}

}  // namespace lyt
