// Joins. The right input is materialized; with equality conjuncts between the two sides it is
// hashed on them (hash join), otherwise every right row is a candidate (nested loops). Candidate
// pairs are assembled a batch at a time and filtered by the remaining conditions.
#include <unordered_map>

#include "common/error.h"
#include "exec/expression_executor.h"
#include "exec/operators/operators.h"
#include "storage/unique_index.h"

namespace lyt {

namespace {

void Flatten(BoundExprPtr e, std::vector<BoundExprPtr>& out) {
  if (e->kind == BoundKind::And) {
    for (auto& c : e->children) Flatten(std::move(c), out);
  } else {
    out.push_back(std::move(e));
  }
}

// -1: reads no columns; 0: only left; 1: only right; 2: both or something that must not move.
int Side(const BoundExpr& e, idx_t left_width) {
  if (e.kind == BoundKind::Subquery || e.kind == BoundKind::AggregateRef) return 2;
  if (e.kind == BoundKind::Function && e.function && e.function->is_volatile) return 2;
  int side = -1;
  if (e.kind == BoundKind::Column && e.depth == 0) side = e.column < left_width ? 0 : 1;
  for (const auto& c : e.children) {
    int s = Side(*c, left_width);
    if (s == -1) continue;
    if (side == -1) side = s;
    else if (s != side) return 2;
  }
  return side;
}

void ShiftColumns(BoundExpr& e, idx_t shift) {
  if (e.kind == BoundKind::Column && e.depth == 0) e.column -= shift;
  for (auto& c : e.children) ShiftColumns(*c, shift);
}

}  // namespace

struct JoinOp::State {
  explicit State(MemoryTracker& memory) : reservation(memory) {}
  std::vector<std::unique_ptr<DataChunk>> right;  // materialized right input
  std::vector<uint64_t> all_right;                // (chunk << 32) | row, for nested loops
  std::unordered_map<std::string, std::vector<uint64_t>> hash;
  MemoryReservation reservation;
  bool built = false;

  DataChunk left;
  bool have_left = false;
  idx_t left_row = 0;
  size_t match_pos = 0;
  const std::vector<uint64_t>* matches = nullptr;
  std::vector<uint8_t> left_matched;
  bool left_done_emitted = false;
  std::vector<Vector> left_keys;
  DataChunk joined;
};

JoinOp::JoinOp(std::unique_ptr<PhysicalOperator> left, std::unique_ptr<PhysicalOperator> right, ast::JoinType type,
               BoundExprPtr condition, std::vector<LogicalType> types)
    : PhysicalOperator(std::move(types)), type_(type), condition_(std::move(condition)) {
  children_.push_back(std::move(left));
  children_.push_back(std::move(right));
  idx_t left_width = children_[0]->types().size();
  if (!condition_) return;
  std::vector<BoundExprPtr> conjuncts;
  Flatten(std::move(condition_), conjuncts);
  std::vector<BoundExprPtr> residual;
  for (auto& c : conjuncts) {
    if (c->kind == BoundKind::Compare && c->compare == CompareOp::Equal) {
      int l = Side(*c->children[0], left_width), r = Side(*c->children[1], left_width);
      if ((l == 0 && r == 1) || (l == 1 && r == 0)) {
        BoundExprPtr lk = std::move(c->children[l == 0 ? 0 : 1]);
        BoundExprPtr rk = std::move(c->children[l == 0 ? 1 : 0]);
        ShiftColumns(*rk, left_width);
        left_keys_.push_back(std::move(lk));
        right_keys_.push_back(std::move(rk));
        continue;
      }
    }
    residual.push_back(std::move(c));
  }
  for (auto& r : residual) {
    if (!condition_) {
      condition_ = std::move(r);
    } else {
      auto both = std::make_unique<BoundExpr>(BoundKind::And, TypeId::Boolean);
      both->children.push_back(std::move(condition_));
      both->children.push_back(std::move(r));
      condition_ = std::move(both);
    }
  }
}

JoinOp::~JoinOp() = default;

std::string JoinOp::Name() const {
  const char* kind = type_ == ast::JoinType::Left ? "LEFT" : (type_ == ast::JoinType::Cross ? "CROSS" : "INNER");
  return std::string(left_keys_.empty() ? "NESTED_LOOP_JOIN " : "HASH_JOIN ") + kind;
}

std::string JoinOp::Details() const {
  std::string out;
  for (size_t i = 0; i < left_keys_.size(); ++i) {
    out += (i ? " AND " : "") + left_keys_[i]->ToString() + " = right." + right_keys_[i]->ToString();
  }
  if (condition_) out += (out.empty() ? "" : " AND ") + condition_->ToString();
  return out;
}

void JoinOp::Open(ExecContext& ctx) {
  PhysicalOperator::Open(ctx);
  state_ = std::make_unique<State>(ctx.memory());
  state_->left.Initialize(children_[0]->types());
  state_->joined.Initialize(types_);
  for (const auto& k : left_keys_) state_->left_keys.emplace_back(k->type);
}

void JoinOp::Build(ExecContext& ctx) {
  State& st = *state_;
  PhysicalOperator& right = *children_[1];
  DataChunk input(right.types());
  std::vector<Vector> keys;
  for (const auto& k : right_keys_) keys.emplace_back(k->type);
  std::vector<const Vector*> key_ptrs;
  for (const auto& k : keys) key_ptrs.push_back(&k);
  std::string key;
  while (right.Next(ctx, input)) {
    auto copy = std::make_unique<DataChunk>(right.types());
    copy->Append(input, nullptr, input.size());
    st.reservation.Add(copy->MemoryUsage() + input.size() * 48);
    uint64_t c = st.right.size();
    if (right_keys_.empty()) {
      for (idx_t r = 0; r < copy->size(); ++r) st.all_right.push_back((c << 32) | r);
    } else {
      for (size_t k = 0; k < right_keys_.size(); ++k) {
        ExpressionExecutor::Execute(*right_keys_[k], *copy, nullptr, copy->size(), keys[k], ctx);
      }
      for (idx_t r = 0; r < copy->size(); ++r) {
        key.clear();
        if (EncodeKey(key_ptrs, r, key)) st.hash[key].push_back((c << 32) | r);
      }
    }
    st.right.push_back(std::move(copy));
  }
  st.built = true;
}

bool JoinOp::Next(ExecContext& ctx, DataChunk& out) {
  if (!state_->built) Build(ctx);
  State& st = *state_;
  idx_t left_width = children_[0]->types().size();
  idx_t right_width = children_[1]->types().size();
  std::vector<const Vector*> key_ptrs;
  for (const auto& k : st.left_keys) key_ptrs.push_back(&k);
  std::string key;
  sel_t pair_left[kVectorSize];
  uint64_t pair_right[kVectorSize];
  sel_t passed[kVectorSize];
  while (true) {
    if (!st.have_left) {
      if (!children_[0]->Next(ctx, st.left)) return false;
      st.have_left = true;
      st.left_row = 0;
      st.match_pos = 0;
      st.matches = nullptr;
      st.left_matched.assign(st.left.size(), 0);
      st.left_done_emitted = false;
      for (size_t k = 0; k < left_keys_.size(); ++k) {
        ExpressionExecutor::Execute(*left_keys_[k], st.left, nullptr, st.left.size(), st.left_keys[k], ctx);
      }
    }
    idx_t npairs = 0;
    while (st.left_row < st.left.size() && npairs < kVectorSize) {
      if (!st.matches) {
        if (left_keys_.empty()) {
          st.matches = &st.all_right;
        } else {
          key.clear();
          static const std::vector<uint64_t> kNone;
          st.matches = &kNone;
          if (EncodeKey(key_ptrs, st.left_row, key)) {
            auto it = st.hash.find(key);
            if (it != st.hash.end()) st.matches = &it->second;
          }
        }
        st.match_pos = 0;
      }
      while (st.match_pos < st.matches->size() && npairs < kVectorSize) {
        pair_left[npairs] = static_cast<sel_t>(st.left_row);
        pair_right[npairs] = (*st.matches)[st.match_pos++];
        ++npairs;
      }
      if (st.match_pos >= st.matches->size()) {
        ++st.left_row;
        st.matches = nullptr;
      }
    }
    if (npairs > 0) {
      DataChunk& joined = st.joined;
      joined.Reset();
      for (idx_t c = 0; c < left_width; ++c) joined.column(c).CopyFrom(st.left.column(c), pair_left, npairs, 0);
      for (idx_t i = 0; i < npairs; ++i) {
        const DataChunk& rc = *st.right[pair_right[i] >> 32];
        sel_t row = static_cast<sel_t>(pair_right[i] & 0xffffffff);
        for (idx_t c = 0; c < right_width; ++c) joined.column(left_width + c).CopyFrom(rc.column(c), &row, 1, i);
      }
      joined.SetSize(npairs);
      idx_t n = npairs;
      const sel_t* sel = nullptr;
      if (condition_) {
        n = ExpressionExecutor::Select(*condition_, joined, nullptr, npairs, passed, ctx);
        sel = passed;
      }
      for (idx_t i = 0; i < n; ++i) st.left_matched[pair_left[sel ? sel[i] : i]] = 1;
      if (n > 0) {
        out.Reset();
        out.Append(joined, sel, n);
        return true;
      }
      continue;
    }
    // This left batch is done: LEFT JOIN adds its unmatched rows, padded with NULLs.
    st.have_left = false;
    if (type_ == ast::JoinType::Left) {
      sel_t unmatched[kVectorSize];
      idx_t m = 0;
      for (idx_t r = 0; r < st.left.size(); ++r) {
        if (!st.left_matched[r]) unmatched[m++] = static_cast<sel_t>(r);
      }
      if (m > 0) {
        out.Reset();
        for (idx_t c = 0; c < left_width; ++c) out.column(c).CopyFrom(st.left.column(c), unmatched, m, 0);
        for (idx_t c = 0; c < right_width; ++c) std::memset(out.column(left_width + c).nulls(), 1, m);
        out.SetSize(m);
        return true;
      }
    }
  }
}

}  // namespace lyt
