// GROUP BY with aggregates: groups get dense ids from a GroupHashTable; each aggregate keeps its
// states in arrays indexed by group id, updated a batch at a time.
#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "common/cast.h"
#include "common/error.h"
#include "common/interval.h"
#include "exec/expr_internal.h"
#include "exec/group_hash_table.h"
#include "exec/operators/operators.h"
#include "exec/operators/value_read.h"
#include "storage/unique_index.h"

namespace lyt {

namespace {

struct AggregateStates;
void UpdateRow(AggregateStates& s, uint32_t g, const Vector* arg, idx_t r, const std::string* separator);

// The rows of an aggregate with ORDER BY inside the call (string_agg(x, ',' ORDER BY y)),
// buffered until the input ends and then fed to the aggregate group by group in key order.
class OrderedInput {
 public:
  explicit OrderedInput(const AggregateCall& call) : call_(call) {
    types_.push_back(call.arg->type);
    for (const auto& o : call.order_by) types_.push_back(o.expr->type);
    scratch_.Initialize(types_);
  }

  // Buffers the argument values `arg` and the order keys of input rows rows[0..n), which belong
  // to groups gids[row]. Returns the bytes added, for memory accounting.
  size_t Add(const DataChunk& input, const Vector& arg, const sel_t* rows, idx_t n, const uint32_t* gids,
             ExecContext& ctx) {
    if (n == 0) return 0;
    scratch_.column(0).Reference(arg);
    for (size_t k = 0; k < call_.order_by.size(); ++k) {
      ExpressionExecutor::Execute(*call_.order_by[k].expr, input, rows, n, scratch_.column(k + 1), ctx);
    }
    auto batch = std::make_unique<DataChunk>(types_);
    batch->Append(scratch_, rows, n);
    auto b = static_cast<uint32_t>(batches_.size());
    for (idx_t i = 0; i < n; ++i) entries_.push_back(Entry{gids[rows[i]], b, static_cast<uint32_t>(i)});
    batches_.push_back(std::move(batch));
    return batches_.back()->MemoryUsage() + n * sizeof(Entry);
  }

  // Sorts the buffered rows by (group, order keys, arrival) and applies them to `s`.
  void Replay(AggregateStates& s, const std::string* separator) {
    std::sort(entries_.begin(), entries_.end(), [&](const Entry& a, const Entry& b) {
      if (a.group != b.group) return a.group < b.group;
      for (size_t k = 0; k < call_.order_by.size(); ++k) {
        const AggregateOrder& o = call_.order_by[k];
        int c = CompareSortKey(batches_[a.batch]->column(k + 1), a.row, batches_[b.batch]->column(k + 1), b.row,
                               o.descending, o.nulls_first);
        if (c != 0) return c < 0;
      }
      return a.batch != b.batch ? a.batch < b.batch : a.row < b.row;
    });
    for (const Entry& e : entries_) UpdateRow(s, e.group, &batches_[e.batch]->column(0), e.row, separator);
    entries_.clear();
    batches_.clear();
  }

 private:
  struct Entry {
    uint32_t group, batch, row;
  };
  const AggregateCall& call_;
  std::vector<LogicalType> types_;  // the argument, then the order keys
  DataChunk scratch_;
  std::vector<std::unique_ptr<DataChunk>> batches_;
  std::vector<Entry> entries_;
};

// The running state of one aggregate for every group.
struct AggregateStates {
  const AggregateCall* call = nullptr;
  std::vector<int64_t> counts;
  std::vector<__int128> int_sums;
  std::vector<double> double_sums;
  std::vector<uint8_t> has_value;
  std::vector<int64_t> int_values;     // MIN/MAX of integer-like types, BOOL_AND/OR
  std::vector<double> double_values;   // MIN/MAX of floats
  std::vector<std::string> strings;    // MIN/MAX of strings, STRING_AGG
  std::vector<Interval> intervals;     // SUM/AVG/MIN/MAX of intervals
  std::vector<std::unordered_set<std::string>> distinct;
  std::unique_ptr<OrderedInput> ordered;  // set when the call has ORDER BY

  void Resize(idx_t n) {
    counts.resize(n, 0);
    has_value.resize(n, 0);
    LogicalType in = call->arg ? call->arg->type : LogicalType(TypeId::BigInt);
    switch (call->kind) {
      case AggregateKind::Sum:
      case AggregateKind::Avg:
        if (in.IsInteger()) int_sums.resize(n, 0);
        else if (in.id == TypeId::Interval) intervals.resize(n);
        else double_sums.resize(n, 0);
        break;
      case AggregateKind::Min:
      case AggregateKind::Max:
        if (in.id == TypeId::Interval) intervals.resize(n);
        else if (IsIntegerLike(in.id)) int_values.resize(n, 0);
        else if (in.IsFloat()) double_values.resize(n, 0);
        else strings.resize(n);
        break;
      case AggregateKind::StringAgg: strings.resize(n); break;
      case AggregateKind::BoolAnd:
      case AggregateKind::BoolOr: int_values.resize(n, 0); break;
      default: break;
    }
    if (call->distinct) distinct.resize(n);
  }
};

// Whether `v` comes before `cur` in MIN/MAX order: NaN sorts above every other double, as in
// PostgreSQL; intervals compare by their normalized total.
inline bool SortsBefore(double v, double cur) { return std::isnan(cur) ? !std::isnan(v) : v < cur; }
inline bool SortsBefore(int64_t v, int64_t cur) { return v < cur; }
inline bool SortsBefore(std::string_view v, std::string_view cur) { return v < cur; }
inline bool SortsBefore(const Interval& v, const Interval& cur) { return CompareIntervals(v, cur) < 0; }

// MIN / MAX: makes `v` group g's value when it has none yet or `v` beats it.
template <class V, class Slot>
void KeepExtreme(AggregateStates& s, uint32_t g, const V& v, std::vector<Slot>& values) {
  bool is_min = s.call->kind == AggregateKind::Min;
  Slot& cur = values[g];
  if (s.has_value[g] && !(is_min ? SortsBefore(v, cur) : SortsBefore(cur, v))) return;
  if constexpr (std::is_same_v<Slot, std::string>) cur.assign(v);
  else cur = v;
  s.has_value[g] = 1;
}

void UpdateRow(AggregateStates& s, uint32_t g, const Vector* arg, idx_t r, const std::string* separator) {
  const AggregateCall& call = *s.call;
  switch (call.kind) {
    case AggregateKind::CountStar:
    case AggregateKind::Count: ++s.counts[g]; return;
    case AggregateKind::Sum:
    case AggregateKind::Avg:
      ++s.counts[g];
      s.has_value[g] = 1;
      if (arg->type().IsInteger()) s.int_sums[g] += ReadInt(*arg, r);
      else if (arg->type().id == TypeId::Interval) s.intervals[g] = AddIntervals(s.intervals[g], arg->data<Interval>()[r]);
      else s.double_sums[g] += ReadDouble(*arg, r);
      return;
    case AggregateKind::Min:
    case AggregateKind::Max: {
      TypeId id = arg->type().id;
      if (id == TypeId::Interval) KeepExtreme(s, g, arg->data<Interval>()[r], s.intervals);
      else if (IsIntegerLike(id)) KeepExtreme(s, g, ReadInt(*arg, r), s.int_values);
      else if (id == TypeId::Real || id == TypeId::Double) KeepExtreme(s, g, ReadDouble(*arg, r), s.double_values);
      else KeepExtreme(s, g, arg->data<StringRef>()[r].view(), s.strings);
      return;
    }
    case AggregateKind::StringAgg:
      if (s.has_value[g]) s.strings[g] += *separator;
      s.strings[g] += arg->data<StringRef>()[r].view();
      s.has_value[g] = 1;
      return;
    case AggregateKind::BoolAnd:
    case AggregateKind::BoolOr: {
      int64_t v = arg->data<uint8_t>()[r];
      if (!s.has_value[g]) s.int_values[g] = v;
      else s.int_values[g] = call.kind == AggregateKind::BoolAnd ? (s.int_values[g] & v) : (s.int_values[g] | v);
      s.has_value[g] = 1;
      return;
    }
  }
}

// The bytes that identify the value at row r for DISTINCT: equal intervals ('1 day', '24 hours')
// get one key, their normalized total.
void DistinctKey(const std::vector<const Vector*>& arg, idx_t r, std::string& key) {
  key.clear();
  if (arg[0]->type().id != TypeId::Interval) {
    EncodeKey(arg, r, key);
    return;
  }
  __int128 total = IntervalTotal(arg[0]->data<Interval>()[r]);
  key.assign(reinterpret_cast<const char*>(&total), sizeof total);
}

// string_agg's separator (a NULL separator joins with nothing); null for other aggregates.
const std::string* Separator(const AggregateCall& call) {
  static const std::string kEmpty;
  if (!call.separator) return nullptr;
  return call.separator->value.is_null() ? &kEmpty : &call.separator->value.AsString();
}

template <class T, class F>
void ForArgRows(const Vector& arg, const uint32_t* gids, const sel_t* rows, idx_t m, F&& f) {
  const T* v = arg.data<T>();
  const uint8_t* nulls = arg.nulls();
  if (rows) {
    for (idx_t i = 0; i < m; ++i) {
      idx_t r = rows[i];
      if (!nulls[r]) f(gids[r], v[r]);
    }
  } else {
    for (idx_t r = 0; r < m; ++r) {
      if (!nulls[r]) f(gids[r], v[r]);
    }
  }
}

template <class T>
bool UpdateTyped(AggregateStates& s, const Vector& arg, const uint32_t* gids, const sel_t* rows, idx_t m) {
  switch (s.call->kind) {
    case AggregateKind::Count:
      ForArgRows<T>(arg, gids, rows, m, [&](uint32_t g, T) { ++s.counts[g]; });
      return true;
    case AggregateKind::Sum:
    case AggregateKind::Avg:
      if constexpr (std::is_floating_point_v<T>) {
        ForArgRows<T>(arg, gids, rows, m, [&](uint32_t g, T x) {
          ++s.counts[g];
          s.has_value[g] = 1;
          s.double_sums[g] += x;
        });
      } else {
        ForArgRows<T>(arg, gids, rows, m, [&](uint32_t g, T x) {
          ++s.counts[g];
          s.has_value[g] = 1;
          s.int_sums[g] += x;
        });
      }
      return true;
    case AggregateKind::Min:
    case AggregateKind::Max: {
      if constexpr (std::is_floating_point_v<T>) {
        return false;  // NaN ordering: the general path handles it
      } else {
        bool is_min = s.call->kind == AggregateKind::Min;
        ForArgRows<T>(arg, gids, rows, m, [&](uint32_t g, T x) {
          int64_t v = static_cast<int64_t>(x);
          int64_t& cur = s.int_values[g];
          if (!s.has_value[g] || (is_min ? v < cur : v > cur)) cur = v;
          s.has_value[g] = 1;
        });
        return true;
      }
    }
    default: return false;
  }
}

// Updates a whole batch with a loop specialized for the argument's type; false when the
// aggregate needs the general per-row path.
bool UpdateBatch(AggregateStates& s, const Vector& arg, const uint32_t* gids, const sel_t* rows, idx_t m) {
  if (s.call->distinct) return false;
  switch (arg.type().id) {
    case TypeId::SmallInt: return UpdateTyped<int16_t>(s, arg, gids, rows, m);
    case TypeId::Integer:
    case TypeId::Date: return UpdateTyped<int32_t>(s, arg, gids, rows, m);
    case TypeId::BigInt:
    case TypeId::Timestamp: return UpdateTyped<int64_t>(s, arg, gids, rows, m);
    case TypeId::Real: return UpdateTyped<float>(s, arg, gids, rows, m);
    case TypeId::Double: return UpdateTyped<double>(s, arg, gids, rows, m);
    default: return false;
  }
}

void Finalize(const AggregateStates& s, uint32_t g, Vector& out, idx_t row) {
  const AggregateCall& call = *s.call;
  switch (call.kind) {
    case AggregateKind::CountStar:
    case AggregateKind::Count:
      out.SetNull(row, false);
      out.data<int64_t>()[row] = s.counts[g];
      return;
    case AggregateKind::Sum:
      if (!s.has_value[g]) return out.SetNull(row);
      out.SetNull(row, false);
      if (call.type.id == TypeId::Interval) {
        out.data<Interval>()[row] = s.intervals[g];
      } else if (call.type.id == TypeId::BigInt) {
        __int128 v = s.int_sums[g];
        if (v > INT64_MAX || v < INT64_MIN) throw Error(sqlstate::kNumericOutOfRange, "bigint out of range");
        out.data<int64_t>()[row] = static_cast<int64_t>(v);
      } else {
        out.data<double>()[row] = s.int_sums.empty() ? s.double_sums[g] : static_cast<double>(s.int_sums[g]);
      }
      return;
    case AggregateKind::Avg: {
      if (!s.has_value[g]) return out.SetNull(row);
      if (call.type.id == TypeId::Interval) {
        out.SetNull(row, false);
        out.data<Interval>()[row] = DivideInterval(s.intervals[g], static_cast<double>(s.counts[g]));
        return;
      }
      double sum = s.int_sums.empty() ? s.double_sums[g] : static_cast<double>(s.int_sums[g]);
      out.SetNull(row, false);
      out.data<double>()[row] = sum / static_cast<double>(s.counts[g]);
      return;
    }
    case AggregateKind::Min:
    case AggregateKind::Max: {
      if (!s.has_value[g]) return out.SetNull(row);
      TypeId id = call.type.id;
      if (id == TypeId::Interval) {
        out.SetValue(row, Value::Interval(s.intervals[g]));
      } else if (IsIntegerLike(id)) {
        int64_t v = s.int_values[g];
        out.SetValue(row, id == TypeId::Boolean ? Value::Boolean(v) : id == TypeId::SmallInt ? Value::SmallInt(static_cast<int16_t>(v))
                                : id == TypeId::Integer ? Value::Integer(static_cast<int32_t>(v)) : id == TypeId::Date ? Value::Date(static_cast<int32_t>(v))
                                : id == TypeId::Timestamp ? Value::Timestamp(v) : Value::BigInt(v));
      } else if (id == TypeId::Real) {
        out.SetValue(row, Value::Real(static_cast<float>(s.double_values[g])));
      } else if (id == TypeId::Double) {
        out.SetValue(row, Value::Double(s.double_values[g]));
      } else if (id == TypeId::Null) {
        out.SetNull(row);
      } else {
        out.SetNull(row, false);
        out.data<StringRef>()[row] = out.AddString(s.strings[g]);
      }
      return;
    }
    case AggregateKind::StringAgg:
      if (!s.has_value[g]) return out.SetNull(row);
      out.SetNull(row, false);
      out.data<StringRef>()[row] = out.AddString(s.strings[g]);
      return;
    case AggregateKind::BoolAnd:
    case AggregateKind::BoolOr:
      if (!s.has_value[g]) return out.SetNull(row);
      out.SetNull(row, false);
      out.data<uint8_t>()[row] = s.int_values[g] != 0;
      return;
  }
}

// Folds state fg of `from` (the same aggregate over other rows) into state g of `to`.
void MergeState(AggregateStates& to, uint32_t g, const AggregateStates& from, uint32_t fg) {
  AggregateKind kind = to.call->kind;
  if (kind == AggregateKind::CountStar || kind == AggregateKind::Count) {
    to.counts[g] += from.counts[fg];
    return;
  }
  if (!from.has_value[fg]) return;
  switch (kind) {
    case AggregateKind::Sum:
    case AggregateKind::Avg:
      to.counts[g] += from.counts[fg];
      if (!to.int_sums.empty()) to.int_sums[g] += from.int_sums[fg];
      else if (!to.intervals.empty()) to.intervals[g] = AddIntervals(to.intervals[g], from.intervals[fg]);
      else to.double_sums[g] += from.double_sums[fg];
      to.has_value[g] = 1;
      return;
    case AggregateKind::Min:
    case AggregateKind::Max:
      if (!to.intervals.empty()) KeepExtreme(to, g, from.intervals[fg], to.intervals);
      else if (!to.int_values.empty()) KeepExtreme(to, g, from.int_values[fg], to.int_values);
      else if (!to.double_values.empty()) KeepExtreme(to, g, from.double_values[fg], to.double_values);
      else KeepExtreme(to, g, std::string_view(from.strings[fg]), to.strings);
      return;
    case AggregateKind::BoolAnd:
    case AggregateKind::BoolOr: {
      int64_t v = from.int_values[fg];
      int64_t& cur = to.int_values[g];
      cur = !to.has_value[g] ? v : kind == AggregateKind::BoolAnd ? (cur & v) : (cur | v);
      to.has_value[g] = 1;
      return;
    }
    default: ThrowInternal("the states of " + to.call->ToString() + " cannot be merged");
  }
}

}  // namespace

struct HashAggregateOp::State {
  State(const std::vector<LogicalType>& key_types, MemoryTracker& memory) : table(key_types, memory), reservation(memory) {}
  // Makes room in the aggregate states for every group of the table (growing by doubling).
  void FitStates() {
    if (table.group_count() <= capacity) return;
    capacity = std::max<idx_t>(table.group_count(), capacity * 2);
    for (auto& s : aggregates) s.Resize(capacity);
    reservation.Resize(capacity * 16 * (aggregates.size() + 1));
  }
  GroupHashTable table;
  std::vector<AggregateStates> aggregates;
  idx_t capacity = 0;  // groups the states have room for
  MemoryReservation reservation;
  idx_t next_output = 0;
  bool built = false;
};

HashAggregateOp::HashAggregateOp(std::unique_ptr<PhysicalOperator> child, std::vector<BoundExprPtr> groups,
                                 std::vector<AggregateCall> aggregates, std::vector<LogicalType> types)
    : PhysicalOperator(std::move(types)), groups_(std::move(groups)), aggregates_(std::move(aggregates)) {
  children_.push_back(std::move(child));
}

HashAggregateOp::~HashAggregateOp() = default;

std::string HashAggregateOp::Details() const {
  std::string out;
  for (size_t i = 0; i < groups_.size(); ++i) out += (i ? ", " : "") + groups_[i]->ToString();
  for (size_t i = 0; i < aggregates_.size(); ++i) out += ((i || !groups_.empty()) ? ", " : "") + aggregates_[i].ToString();
  return out;
}

void HashAggregateOp::Open(ExecContext& ctx) {
  PhysicalOperator::Open(ctx);
  std::vector<LogicalType> key_types;
  for (const auto& g : groups_) key_types.push_back(g->type);
  state_ = std::make_unique<State>(key_types, ctx.memory());
  for (const auto& a : aggregates_) {
    AggregateStates& s = state_->aggregates.emplace_back();
    s.call = &a;
    if (!a.order_by.empty()) s.ordered = std::make_unique<OrderedInput>(a);
  }
}

void HashAggregateOp::Build(ExecContext& ctx) {
  State& st = *state_;
  PhysicalOperator& child = *children_[0];
  DataChunk input(child.types());
  std::vector<Vector> keys;
  for (const auto& g : groups_) keys.emplace_back(g->type);
  std::vector<const Vector*> key_ptrs;
  for (const auto& k : keys) key_ptrs.push_back(&k);
  std::vector<Vector> args;
  for (const auto& a : aggregates_) args.emplace_back(a.arg ? a.arg->type : LogicalType(TypeId::Boolean));
  uint32_t gids[kVectorSize];
  sel_t sel[kVectorSize];
  sel_t ordered_rows[kVectorSize];
  std::string key;
  if (groups_.empty()) {
    // A global aggregate has exactly one group, even over no rows.
    st.table.FindOrCreate(key_ptrs, 1, gids);
    st.FitStates();
  }
  while (child.Next(ctx, input)) {
    idx_t n = input.size();
    for (size_t k = 0; k < groups_.size(); ++k) {
      const BoundExpr& g = *groups_[k];
      if (g.kind == BoundKind::Column && g.depth == 0) {
        key_ptrs[k] = &input.column(g.column);  // group by a plain column: no copy
      } else {
        key_ptrs[k] = &keys[k];
        ExpressionExecutor::Execute(g, input, nullptr, n, keys[k], ctx);
      }
    }
    if (groups_.empty()) {
      std::fill(gids, gids + n, 0);
    } else {
      st.table.FindOrCreate(key_ptrs, n, gids);
    }
    st.FitStates();
    for (size_t a = 0; a < aggregates_.size(); ++a) {
      const AggregateCall& call = aggregates_[a];
      AggregateStates& s = st.aggregates[a];
      idx_t m = n;
      const sel_t* rows = nullptr;
      if (call.filter) {
        m = ExpressionExecutor::Select(*call.filter, input, nullptr, n, sel, ctx);
        rows = sel;
      }
      if (call.kind == AggregateKind::CountStar) {
        for (idx_t i = 0; i < m; ++i) ++s.counts[gids[rows ? rows[i] : i]];
        continue;
      }
      Vector& arg = args[a];
      const Vector* arg_values = &arg;
      if (call.arg->kind == BoundKind::Column && call.arg->depth == 0) {
        arg_values = &input.column(call.arg->column);  // read the input directly
      } else {
        ExpressionExecutor::Execute(*call.arg, input, rows, m, arg, ctx);
      }
      if (UpdateBatch(s, *arg_values, gids, rows, m)) continue;
      if (arg_values != &arg) ExpressionExecutor::Execute(*call.arg, input, rows, m, arg, ctx);
      std::vector<const Vector*> one{&arg};
      idx_t kept = 0;
      for (idx_t i = 0; i < m; ++i) {
        idx_t r = rows ? rows[i] : i;
        if (arg.IsNull(r)) continue;
        uint32_t g = gids[r];
        if (call.distinct) {
          DistinctKey(one, r, key);
          if (!s.distinct[g].insert(key).second) continue;
          st.reservation.Add(key.size() + 32);
        }
        if (s.ordered) ordered_rows[kept++] = static_cast<sel_t>(r);
        else UpdateRow(s, g, &arg, r, Separator(call));
      }
      if (s.ordered) st.reservation.Add(s.ordered->Add(input, arg, ordered_rows, kept, gids, ctx));
    }
  }
  st.capacity = st.table.group_count();
  for (auto& s : st.aggregates) {
    s.Resize(st.capacity);
    if (s.ordered) s.ordered->Replay(s, Separator(*s.call));
  }
  st.built = true;
}

bool HashAggregateOp::Mergeable(const std::vector<AggregateCall>& aggregates) {
  for (const auto& a : aggregates) {
    if (a.kind == AggregateKind::StringAgg || a.distinct || !a.order_by.empty()) return false;
  }
  return true;
}

void HashAggregateOp::Consume(ExecContext& ctx) {
  if (!state_->built) Build(ctx);
}

void HashAggregateOp::Absorb(const HashAggregateOp& other) {
  State& st = *state_;
  const State& from = *other.state_;
  if (!from.built) return;  // a copy the statement's thread limit left unused
  if (!st.built) ThrowInternal("HashAggregateOp::Absorb before Consume");
  std::vector<LogicalType> key_types;
  for (const auto& g : groups_) key_types.push_back(g->type);
  DataChunk keys(key_types);
  std::vector<const Vector*> key_ptrs;
  for (idx_t c = 0; c < keys.ColumnCount(); ++c) key_ptrs.push_back(&keys.column(c));
  uint32_t gids[kVectorSize];
  idx_t total = from.table.group_count();
  for (idx_t start = 0; start < total; start += kVectorSize) {
    idx_t n = std::min<idx_t>(kVectorSize, total - start);
    if (groups_.empty()) {
      std::fill(gids, gids + n, 0);
    } else {
      keys.Reset();
      from.table.GetKeys(start, n, keys);
      keys.SetSize(n);
      st.table.FindOrCreate(key_ptrs, n, gids);
      st.FitStates();
    }
    for (size_t a = 0; a < aggregates_.size(); ++a) {
      for (idx_t i = 0; i < n; ++i) MergeState(st.aggregates[a], gids[i], from.aggregates[a], static_cast<uint32_t>(start + i));
    }
  }
}

bool HashAggregateOp::Next(ExecContext& ctx, DataChunk& out) {
  if (!state_->built) Build(ctx);
  State& st = *state_;
  idx_t total = st.table.group_count();
  if (st.next_output >= total) return false;
  idx_t n = std::min<idx_t>(kVectorSize, total - st.next_output);
  out.Reset();
  st.table.GetKeys(st.next_output, n, out);
  for (size_t a = 0; a < aggregates_.size(); ++a) {
    Vector& col = out.column(groups_.size() + a);
    for (idx_t i = 0; i < n; ++i) Finalize(st.aggregates[a], static_cast<uint32_t>(st.next_output + i), col, i);
  }
  st.next_output += n;
  out.SetSize(n);
  return true;
}

}  // namespace lyt
