// Joins. The right input is materialized; with equality conjuncts between the two sides it is
// hashed on them (hash join), otherwise every right row is a candidate (nested loops). Candidate
// pairs are assembled a batch at a time and filtered by the remaining conditions. The planner
// puts the smaller input on the right (build_left when it swapped them).

#include "common/error.h"
#include "exec/expression_executor.h"
#include "exec/group_hash_table.h"
#include "exec/operators/operators.h"
#include "storage/column_strings.h"

namespace lyt {

namespace {

// Whether `c` is `left expr = right expr` (either way round).
bool IsEquiKey(const BoundExpr& c, idx_t left_width) {
  if (c.kind != BoundKind::Compare || c.compare != CompareOp::Equal) return false;
  ExprSide l = SideOf(*c.children[0], left_width), r = SideOf(*c.children[1], left_width);
  return (l == ExprSide::Left && r == ExprSide::Right) || (l == ExprSide::Right && r == ExprSide::Left);
}

// Whether `c` is `l = r OR l IS NULL OR r IS NULL` with l over the left and r over the right
// columns (NOT IN's condition, plan/decorrelate.h): true when the two are equal or either is NULL.
bool IsNullAwareKey(const BoundExpr& c, idx_t left_width) {
  if (c.kind != BoundKind::Or || c.children.size() != 3) return false;
  const BoundExpr& eq = *c.children[0];
  if (!IsEquiKey(eq, left_width)) return false;
  for (int i = 1; i < 3; ++i) {
    const BoundExpr& test = *c.children[i];
    if (test.kind != BoundKind::IsNull || test.negated || !test.children[0]->Equals(*eq.children[i - 1])) return false;
  }
  return true;
}

// Appends the rows of `src` to `dst` (which has room), storing string values through `strings`
// (one per column): a value repeated on the build side (a country, a status) is kept once, so
// every probe gathers the same pointer for it and the hashing and grouping of joined rows read a
// few cache-resident strings (equal ones compare by pointer) instead of one copy per build row.
void AppendInterned(const DataChunk& src, DataChunk& dst, std::vector<ColumnStrings>& strings) {
  idx_t offset = dst.size();
  for (idx_t c = 0; c < src.ColumnCount(); ++c) {
    const Vector& in = src.column(c);
    Vector& out = dst.column(c);
    if (!in.type().IsString()) {
      out.CopyFrom(in, nullptr, src.size(), offset);
      continue;
    }
    out.MakeOwned();
    const StringRef* values = in.data<StringRef>();
    StringRef* copies = out.data<StringRef>() + offset;
    for (idx_t r = 0; r < src.size(); ++r) {
      bool null = in.IsNull(r);
      out.SetNull(offset + r, null);
      copies[r] = null ? StringRef{} : strings[c].Add(values[r].view());
    }
  }
  dst.SetSize(offset + src.size());
}

}  // namespace

// The right side is materialized into one batch of all its rows (`right`), so a pair's right row
// is a plain index.
struct JoinOp::State {
  State(const std::vector<LogicalType>& key_types, MemoryTracker& memory) : table(key_types, memory), reservation(memory) {}
  DataChunk right;                                // every right row
  std::vector<ColumnStrings> right_strings;       // per column of `right`: its string values
  std::vector<sel_t> right_rows;                  // every right row (nested loops) or the chained ones
  // Hash join: build keys -> group ids; each group's right rows form a chain through `next`.
  GroupHashTable table;
  std::vector<int64_t> first;  // group -> index into right_rows, -1 when none
  std::vector<int64_t> next;   // index into right_rows -> next index of the same key, -1 at the end
  MemoryReservation reservation;
  bool built = false;
  bool right_null_key = false;  // some right row has a NULL key

  DataChunk left;
  bool have_left = false;
  idx_t left_row = 0;
  int64_t cursor = -1;          // hash join: next chain index for left_row; nested loops: next right row
  std::vector<uint32_t> left_groups;
  std::vector<int64_t> left_first;  // hash join: each left row's first chain index, -1 when none
  std::vector<uint8_t> left_matched;
  // FULL JOIN, and SEMI / ANTI with build_left: which right rows found a partner; after the left
  // input ends, the wanted ones are emitted from `right_emit` on.
  std::vector<uint8_t> right_matched;
  idx_t right_emit = 0;
  std::vector<Vector> left_keys;              // computed probe keys
  std::vector<const Vector*> left_key_ptrs;   // the probe keys: into left_keys or st.left
  DataChunk joined;
};

JoinOp::JoinOp(std::unique_ptr<PhysicalOperator> left, std::unique_ptr<PhysicalOperator> right, ast::JoinType type,
               BoundExprPtr condition, std::vector<idx_t> output, bool build_left)
    : PhysicalOperator({}), type_(type), build_left_(build_left), condition_(std::move(condition)), output_(std::move(output)) {
  children_.push_back(std::move(left));
  children_.push_back(std::move(right));
  idx_t left_width = children_[0]->types().size();
  std::vector<LogicalType> pair_types = children_[0]->types();
  pair_types.insert(pair_types.end(), children_[1]->types().begin(), children_[1]->types().end());
  bool semi_anti = type_ == ast::JoinType::Semi || type_ == ast::JoinType::Anti;
  std::vector<LogicalType> types;
  for (idx_t c : output_) types.push_back(pair_types[c]);
  types_ = std::move(types);
  condition_columns_.assign(pair_types.size(), false);
  if (!condition_) return;
  if (semi_anti && !build_left_ && IsNullAwareKey(*condition_, left_width)) {
    // Hashed on l = r; MarkNullMatches adds the pairs that match through a NULL.
    null_aware_ = true;
    condition_ = std::move(condition_->children[0]);
  }
  std::vector<BoundExprPtr> conjuncts;
  SplitConjuncts(std::move(condition_), conjuncts);
  std::vector<BoundExprPtr> residual;
  for (auto& c : conjuncts) {
    if (IsEquiKey(*c, left_width)) {
      bool left_first = SideOf(*c->children[0], left_width) == ExprSide::Left;
      BoundExprPtr lk = std::move(c->children[left_first ? 0 : 1]);
      BoundExprPtr rk = std::move(c->children[left_first ? 1 : 0]);
      ShiftColumns(*rk, left_width);
      left_keys_.push_back(std::move(lk));
      right_keys_.push_back(std::move(rk));
      continue;
    }
    residual.push_back(std::move(c));
  }
  condition_ = MakeAnd(std::move(residual));
  if (condition_) MarkColumns(*condition_, condition_columns_);
}

JoinOp::~JoinOp() = default;

bool JoinOp::HasEquiKey(const BoundExpr& condition, idx_t left_width) {
  if (condition.kind != BoundKind::And) return IsEquiKey(condition, left_width);
  for (const auto& c : condition.children) {
    if (HasEquiKey(*c, left_width)) return true;
  }
  return false;
}

bool JoinOp::TracksRight() const {
  return type_ == ast::JoinType::Full || (build_left_ && (type_ == ast::JoinType::Semi || type_ == ast::JoinType::Anti));
}

std::string JoinOp::Name() const {
  const char* kind = type_ == ast::JoinType::Left    ? "LEFT"
                     : type_ == ast::JoinType::Full  ? "FULL"
                     : type_ == ast::JoinType::Cross ? "CROSS"
                     : type_ == ast::JoinType::Semi  ? "SEMI"
                     : type_ == ast::JoinType::Anti  ? "ANTI"
                                                     : "INNER";
  return std::string(left_keys_.empty() ? "NESTED_LOOP_JOIN " : "HASH_JOIN ") + kind + (build_left_ ? " (build left)" : "") +
         (null_aware_ ? " (null-aware)" : "");
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
  std::vector<LogicalType> key_types;
  for (const auto& k : right_keys_) key_types.push_back(k->type);
  state_ = std::make_unique<State>(key_types, ctx.memory());
  state_->left.Initialize(children_[0]->types());
  // Pairs are left ++ right columns (for semi and anti joins more than the output).
  std::vector<LogicalType> pair_types = children_[0]->types();
  pair_types.insert(pair_types.end(), children_[1]->types().begin(), children_[1]->types().end());
  state_->joined.Initialize(pair_types);
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
  uint32_t groups[kVectorSize];
  std::vector<std::unique_ptr<DataChunk>> chunks;
  sel_t base = 0;
  while (right.Next(ctx, input)) {
    auto copy = std::make_unique<DataChunk>(right.types());
    copy->Append(input, nullptr, input.size());
    st.reservation.Add(2 * copy->MemoryUsage() + input.size() * 16);
    if (static_cast<uint64_t>(base) + copy->size() > UINT32_MAX) {
      throw Error(sqlstate::kProgramLimitExceeded, "join build side has more than 4 billion rows");
    }
    if (right_keys_.empty()) {
      for (idx_t r = 0; r < copy->size(); ++r) st.right_rows.push_back(base + static_cast<sel_t>(r));
    } else {
      for (size_t k = 0; k < right_keys_.size(); ++k) {
        ExpressionExecutor::Execute(*right_keys_[k], *copy, nullptr, copy->size(), keys[k], ctx);
      }
      st.table.FindOrCreate(key_ptrs, copy->size(), groups);
      st.first.resize(st.table.group_count(), -1);
      for (idx_t r = 0; r < copy->size(); ++r) {
        bool null_key = false;
        for (const auto& k : keys) null_key |= k.IsNull(r);
        if (null_key) {  // NULL never equals anything
          st.right_null_key = true;
          continue;
        }
        int64_t index = static_cast<int64_t>(st.right_rows.size());
        st.right_rows.push_back(base + static_cast<sel_t>(r));
        st.next.push_back(st.first[groups[r]]);
        st.first[groups[r]] = index;
      }
    }
    base += static_cast<sel_t>(copy->size());
    chunks.push_back(std::move(copy));
  }
  if (!right_keys_.empty()) {
    GroupChains();
    st.table.Seal();
    st.first.push_back(-1);  // for kNoGroup (ProbeLeft)
  }
  st.right.Initialize(right.types(), std::max<idx_t>(base, 1));
  st.right_strings.resize(right.types().size());
  for (const auto& c : chunks) AppendInterned(*c, st.right, st.right_strings);
  if (TracksRight()) st.right_matched.assign(base, 0);
  st.built = true;
}

void JoinOp::GroupChains() {
  State& st = *state_;
  std::vector<sel_t> rows;
  std::vector<int64_t> next;
  rows.reserve(st.right_rows.size());
  next.reserve(st.next.size());
  for (int64_t& head : st.first) {
    int64_t i = head;
    if (i < 0) continue;
    head = static_cast<int64_t>(rows.size());
    for (; i >= 0; i = st.next[i]) {
      rows.push_back(st.right_rows[i]);
      next.push_back(st.next[i] < 0 ? -1 : static_cast<int64_t>(rows.size()));
    }
  }
  st.right_rows.swap(rows);
  st.next.swap(next);
}

bool JoinOp::Next(ExecContext& ctx, DataChunk& out) {
  bool semi_anti = type_ == ast::JoinType::Semi || type_ == ast::JoinType::Anti;
  if (semi_anti && !build_left_) return NextSemiAnti(ctx, out);
  if (!state_->built) Build(ctx);
  State& st = *state_;
  // Nothing to pair with and no left row to keep: the left input (maybe failing) never runs.
  if (st.right.size() == 0 && type_ != ast::JoinType::Left && type_ != ast::JoinType::Full) return false;
  sel_t pair_left[kVectorSize];
  sel_t pair_right[kVectorSize];
  sel_t passed[kVectorSize];
  while (true) {
    // Per batch of pairs: a join whose pairs all fail the condition may loop here for long
    // without its inputs (which check too) producing anything.
    ctx.CheckInterrupt();
    if (!st.have_left) {
      if (!children_[0]->Next(ctx, st.left)) return TracksRight() && EmitRight(out, type_ == ast::JoinType::Semi);
      st.have_left = true;
      st.left_row = 0;
      st.cursor = -1;
      ProbeLeft(ctx);
    }
    idx_t npairs = 0;
    while (st.left_row < st.left.size() && npairs < kVectorSize) {
      if (st.cursor < 0) {
        st.cursor = FirstCandidate(st.left_row);
        if (st.cursor < 0) {
          ++st.left_row;
          continue;
        }
      }
      while (st.cursor >= 0 && npairs < kVectorSize) {
        sel_t right_row = st.right_rows[st.cursor];
        // SEMI / ANTI with build_left only need to know whether a right row matched at all.
        if (!semi_anti || !st.right_matched[right_row]) {
          pair_left[npairs] = static_cast<sel_t>(st.left_row);
          pair_right[npairs] = right_row;
          ++npairs;
        }
        st.cursor = NextCandidate(st.cursor);
      }
      if (st.cursor < 0) ++st.left_row;
    }
    if (npairs > 0) {
      const sel_t* sel = nullptr;
      idx_t n = FilterPairs(ctx, pair_left, pair_right, npairs, passed, sel);
      if (n == 0 || semi_anti) continue;
      if (sel) {
        for (idx_t i = 0; i < n; ++i) {
          pair_left[i] = pair_left[sel[i]];
          pair_right[i] = pair_right[sel[i]];
        }
      }
      EmitRows(out, pair_left, pair_right, n);
      return true;
    }
    // This left batch is done: LEFT and FULL JOIN add its unmatched rows, padded with NULLs.
    st.have_left = false;
    if (type_ == ast::JoinType::Left || type_ == ast::JoinType::Full) {
      sel_t unmatched[kVectorSize];
      idx_t m = 0;
      for (idx_t r = 0; r < st.left.size(); ++r) {
        if (!st.left_matched[r]) unmatched[m++] = static_cast<sel_t>(r);
      }
      if (m > 0) {
        EmitRows(out, unmatched, nullptr, m);
        return true;
      }
    }
  }
}

bool JoinOp::EmitRight(DataChunk& out, bool matched) {
  State& st = *state_;
  sel_t wanted[kVectorSize];
  idx_t m = 0;
  for (; st.right_emit < st.right_matched.size() && m < kVectorSize; ++st.right_emit) {
    if ((st.right_matched[st.right_emit] != 0) == matched) wanted[m++] = static_cast<sel_t>(st.right_emit);
  }
  if (m == 0) return false;
  EmitRows(out, nullptr, wanted, m);
  return true;
}

bool JoinOp::IsLeftBatch(const sel_t* left_rows, idx_t n) const {
  if (!left_rows || n != state_->left.size()) return false;
  for (idx_t i = 0; i < n; ++i) {
    if (left_rows[i] != i) return false;
  }
  return true;
}

void JoinOp::PairColumn(Vector& dst, idx_t p, const sel_t* left_rows, const sel_t* right_rows, idx_t n,
                        bool left_as_is) const {
  const State& st = *state_;
  idx_t left_width = children_[0]->types().size();
  const sel_t* rows = p < left_width ? left_rows : right_rows;
  if (!rows) {
    std::memset(dst.nulls(), 1, n);
  } else if (p >= left_width) {
    dst.GatherRefs(st.right.column(p - left_width), rows, n);
  } else if (left_as_is) {
    dst.Reference(st.left.column(p));
  } else {
    dst.GatherRefs(st.left.column(p), rows, n);
  }
}

void JoinOp::EmitRows(DataChunk& out, const sel_t* left_rows, const sel_t* right_rows, idx_t n) {
  bool left_as_is = IsLeftBatch(left_rows, n);
  out.Reset();
  for (size_t c = 0; c < output_.size(); ++c) PairColumn(out.column(c), output_[c], left_rows, right_rows, n, left_as_is);
  out.SetSize(n);
}

void JoinOp::ProbeLeft(ExecContext& ctx) {
  State& st = *state_;
  st.left_matched.assign(st.left.size(), 0);
  if (left_keys_.empty()) return;
  std::vector<const Vector*>& key_ptrs = st.left_key_ptrs;
  key_ptrs.clear();
  for (size_t k = 0; k < left_keys_.size(); ++k) {
    const BoundExpr& key = *left_keys_[k];
    if (key.kind == BoundKind::Column && key.depth == 0) {
      key_ptrs.push_back(&st.left.column(key.column));  // a plain column: no copy
    } else {
      ExpressionExecutor::Execute(key, st.left, nullptr, st.left.size(), st.left_keys[k], ctx);
      key_ptrs.push_back(&st.left_keys[k]);
    }
  }
  idx_t n = st.left.size();
  st.left_groups.resize(n);
  st.left_first.resize(n);
  st.table.Find(key_ptrs, n, st.left_groups.data());
  // A key with a NULL finds its build-side group, if any, but that group has no chain (Build
  // skips such rows): NULL never equals anything.
  const int64_t* first = st.first.data();
  auto no_group = static_cast<uint32_t>(st.first.size() - 1);  // its -1 stands for kNoGroup
  for (idx_t r = 0; r < n; ++r) st.left_first[r] = first[std::min(st.left_groups[r], no_group)];
}

int64_t JoinOp::FirstCandidate(idx_t left_row) const {
  const State& st = *state_;
  if (left_keys_.empty()) return st.right_rows.empty() ? -1 : 0;
  return st.left_first[left_row];
}

int64_t JoinOp::NextCandidate(int64_t cursor) const {
  const State& st = *state_;
  if (!left_keys_.empty()) return st.next[cursor];
  return cursor + 1 < static_cast<int64_t>(st.right_rows.size()) ? cursor + 1 : -1;
}

idx_t JoinOp::FilterPairs(ExecContext& ctx, const sel_t* pair_left, const sel_t* pair_right, idx_t npairs,
                          sel_t* passed, const sel_t*& sel) {
  State& st = *state_;
  idx_t n = npairs;
  sel = nullptr;
  if (condition_) {
    // The pairs' batch holds just the columns the condition reads.
    DataChunk& joined = st.joined;
    joined.Reset();
    bool left_as_is = IsLeftBatch(pair_left, npairs);
    for (idx_t c = 0; c < condition_columns_.size(); ++c) {
      if (condition_columns_[c]) PairColumn(joined.column(c), c, pair_left, pair_right, npairs, left_as_is);
    }
    joined.SetSize(npairs);
    n = ExpressionExecutor::Select(*condition_, joined, nullptr, npairs, passed, ctx);
    sel = passed;
  }
  for (idx_t i = 0; i < n; ++i) st.left_matched[pair_left[sel ? sel[i] : i]] = 1;
  if (TracksRight()) {
    for (idx_t i = 0; i < n; ++i) st.right_matched[pair_right[sel ? sel[i] : i]] = 1;
  }
  return n;
}

// Sets left_matched for the current left batch. Without a residual condition a candidate is a
// match; with one, candidate pairs are tested a batch at a time and a row's remaining
// candidates are skipped once it has matched.
void JoinOp::MarkMatches(ExecContext& ctx) {
  State& st = *state_;
  idx_t rows = st.left.size();
  if (!condition_) {
    for (idx_t r = 0; r < rows; ++r) st.left_matched[r] = FirstCandidate(r) >= 0;
    if (null_aware_) MarkNullMatches();
    return;
  }
  sel_t pair_left[kVectorSize];
  sel_t pair_right[kVectorSize];
  sel_t passed[kVectorSize];
  idx_t row = 0;
  int64_t cursor = -1;
  while (row < rows) {
    ctx.CheckInterrupt();  // one left batch against a large right side is many pair batches
    idx_t npairs = 0;
    while (row < rows && npairs < kVectorSize) {
      if (st.left_matched[row]) cursor = -1;
      if (cursor < 0) cursor = st.left_matched[row] ? -1 : FirstCandidate(row);
      while (cursor >= 0 && npairs < kVectorSize) {
        pair_left[npairs] = static_cast<sel_t>(row);
        pair_right[npairs] = st.right_rows[cursor];
        ++npairs;
        cursor = NextCandidate(cursor);
      }
      if (cursor < 0) ++row;
    }
    const sel_t* sel = nullptr;
    if (npairs > 0) FilterPairs(ctx, pair_left, pair_right, npairs, passed, sel);
  }
}

void JoinOp::MarkNullMatches() {
  State& st = *state_;
  if (st.right.size() == 0) return;  // no right row: nothing matches, not even a NULL
  const Vector& key = *st.left_key_ptrs[0];
  for (idx_t r = 0; r < st.left.size(); ++r) {
    if (st.right_null_key || key.IsNull(r)) st.left_matched[r] = 1;
  }
}

bool JoinOp::NextSemiAnti(ExecContext& ctx, DataChunk& out) {
  State& st = *state_;
  bool want = type_ == ast::JoinType::Semi;
  while (children_[0]->Next(ctx, st.left)) {
    // Built once a left row exists: without one, the subquery side (maybe failing) never runs.
    if (st.left.size() == 0) continue;
    if (!st.built) Build(ctx);
    ProbeLeft(ctx);
    sel_t keep[kVectorSize];
    idx_t n = 0;
    if (!condition_ && !null_aware_) {
      // Every candidate is a match: a row matches when it has one.
      for (idx_t r = 0; r < st.left.size(); ++r) {
        keep[n] = static_cast<sel_t>(r);
        n += (st.left_first[r] >= 0) == want;
      }
    } else {
      MarkMatches(ctx);
      for (idx_t r = 0; r < st.left.size(); ++r) {
        keep[n] = static_cast<sel_t>(r);
        n += (st.left_matched[r] != 0) == want;
      }
    }
    if (n == 0) continue;
    EmitRows(out, keep, nullptr, n);
    return true;
  }
  return false;
}

}  // namespace lyt
