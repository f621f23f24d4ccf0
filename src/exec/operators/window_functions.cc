// Window functions over one sorted partition. Every function is linear in the partition's size:
// ranks walk peer groups, aggregates over frames use prefix
// sums (COUNT, SUM, AVG) or a monotonic queue (MIN, MAX), which works because every supported
// frame's start and end only move forward from row to row.
#include <algorithm>
#include <deque>
#include <optional>

#include "common/error.h"
#include "exec/expr_internal.h"
#include "exec/operators/value_read.h"
#include "exec/operators/window_internal.h"

namespace lyt {

namespace {

using ast::FrameBoundKind;

struct Frame {
  idx_t start, end;  // [start, end), partition-relative; empty when start == end
};

idx_t Clamp(__int128 v, idx_t n) { return v < 0 ? 0 : v > static_cast<__int128>(n) ? n : static_cast<idx_t>(v); }

// Row i's frame: ROWS frames count rows, RANGE frames (no offsets) extend CURRENT ROW to the
// row's peers.
Frame FrameOf(const WindowCall& call, const WindowPartition& p, idx_t i) {
  __int128 row = i;
  idx_t n = p.size;
  idx_t start = 0, end = n;
  switch (call.frame_start.kind) {
    case FrameBoundKind::UnboundedPreceding: start = 0; break;
    case FrameBoundKind::Preceding: start = Clamp(row - call.frame_start.offset, n); break;
    case FrameBoundKind::CurrentRow: start = call.rows_frame ? i : p.peer_start[i]; break;
    case FrameBoundKind::Following: start = Clamp(row + call.frame_start.offset, n); break;
    case FrameBoundKind::UnboundedFollowing: start = n; break;
  }
  switch (call.frame_end.kind) {
    case FrameBoundKind::UnboundedPreceding: end = 0; break;
    case FrameBoundKind::Preceding: end = Clamp(row - call.frame_end.offset + 1, n); break;
    case FrameBoundKind::CurrentRow: end = call.rows_frame ? i + 1 : p.peer_end[i]; break;
    case FrameBoundKind::Following: end = Clamp(row + call.frame_end.offset + 1, n); break;
    case FrameBoundKind::UnboundedFollowing: end = n; break;
  }
  return {start, std::max(start, end)};
}

// An integer argument of row i (an offset or a count); nullopt when NULL.
std::optional<int64_t> IntArg(const WindowCall& call, size_t arg, const WindowPartition& p, idx_t i) {
  const Vector& v = p.Column(call.args[arg]->column, i);
  if (v.IsNull(p.Row(i))) return std::nullopt;
  return v.data<int64_t>()[p.Row(i)];
}

void Ranks(const WindowCall& call, const WindowPartition& p, const WindowResults& out) {
  int64_t dense = 0;
  double n = static_cast<double>(p.size);
  for (idx_t i = 0; i < p.size; ++i) {
    RowId id = p.rows[i];
    idx_t first_peer = p.peer_start[i];
    if (first_peer == i) ++dense;
    switch (call.kind) {
      case WindowKind::RowNumber: out.Set<int64_t>(id, static_cast<int64_t>(i) + 1); break;
      case WindowKind::Rank: out.Set<int64_t>(id, static_cast<int64_t>(first_peer) + 1); break;
      case WindowKind::DenseRank: out.Set<int64_t>(id, dense); break;
      case WindowKind::PercentRank: out.Set<double>(id, p.size > 1 ? static_cast<double>(first_peer) / (n - 1) : 0.0); break;
      case WindowKind::CumeDist: out.Set<double>(id, static_cast<double>(p.peer_end[i]) / n); break;
      default: ThrowInternal("not a ranking window function");
    }
  }
}

// ntile(n): n taken from the partition's first row; buckets differ in size by at most one, the
// larger ones first.
void Ntile(const WindowCall& call, const WindowPartition& p, const WindowResults& out) {
  std::optional<int64_t> buckets = IntArg(call, 0, p, 0);
  if (buckets && *buckets <= 0) throw Error("22014", "argument of ntile must be greater than zero");
  idx_t n = p.size;
  idx_t k = buckets ? static_cast<idx_t>(*buckets) : 1;
  idx_t size = n / k, large = n % k;  // `large` buckets of size + 1, then buckets of `size`
  for (idx_t i = 0; i < n; ++i) {
    if (!buckets) {
      out.SetNull(p.rows[i]);
      continue;
    }
    idx_t in_large = large * (size + 1);
    idx_t bucket = i < in_large ? i / (size + 1) : large + (i - in_large) / size;
    out.Set<int32_t>(p.rows[i], static_cast<int32_t>(bucket + 1));
  }
}

// lag/lead(value, offset, default): offset and default are read at the current row.
void LagLead(const WindowCall& call, const WindowPartition& p, const WindowResults& out) {
  idx_t value = call.args[0]->column;
  for (idx_t i = 0; i < p.size; ++i) {
    RowId id = p.rows[i];
    std::optional<int64_t> offset = IntArg(call, 1, p, i);
    if (!offset) {
      out.SetNull(id);
      continue;
    }
    __int128 target = call.kind == WindowKind::Lag ? __int128(i) - *offset : __int128(i) + *offset;
    if (target >= 0 && target < static_cast<__int128>(p.size)) {
      out.CopyFrom(id, p, value, static_cast<idx_t>(target));
    } else if (call.args.size() == 3) {
      out.CopyFrom(id, p, call.args[2]->column, i);
    } else {
      out.SetNull(id);
    }
  }
}

// first_value / last_value / nth_value: a row of the frame, NULL when the frame is too short.
void FrameValue(const WindowCall& call, const WindowPartition& p, const WindowResults& out) {
  idx_t value = call.args[0]->column;
  for (idx_t i = 0; i < p.size; ++i) {
    RowId id = p.rows[i];
    Frame f = FrameOf(call, p, i);
    std::optional<idx_t> pick;
    if (call.kind == WindowKind::NthValue) {
      std::optional<int64_t> nth = IntArg(call, 1, p, i);
      if (nth && *nth <= 0) throw Error("22016", "argument of nth_value must be greater than zero");
      if (nth && static_cast<uint64_t>(*nth) <= f.end - f.start) pick = f.start + static_cast<idx_t>(*nth) - 1;
    } else if (f.end > f.start) {
      pick = call.kind == WindowKind::FirstValue ? f.start : f.end - 1;
    }
    if (pick) {
      out.CopyFrom(id, p, value, *pick);
    } else {
      out.SetNull(id);
    }
  }
}

// Whether row i feeds the aggregate: FILTER true and, except for count(*), a non-NULL argument.
bool Counts(const AggregateCall& agg, const WindowPartition& p, idx_t i) {
  if (agg.filter) {
    const Vector& f = p.Column(agg.filter->column, i);
    if (f.IsNull(p.Row(i)) || !f.data<uint8_t>()[p.Row(i)]) return false;
  }
  return !agg.arg || !p.Column(agg.arg->column, i).IsNull(p.Row(i));
}

// COUNT, SUM and AVG: a frame's total is the difference of two prefix sums.
template <class Sum>
void SumFrames(const WindowCall& call, const WindowPartition& p, const WindowResults& out) {
  const AggregateCall& agg = call.aggregate;
  std::vector<int64_t> counts(p.size + 1, 0);
  std::vector<Sum> sums(agg.kind == AggregateKind::Sum || agg.kind == AggregateKind::Avg ? p.size + 1 : 0, 0);
  for (idx_t i = 0; i < p.size; ++i) {
    bool counted = Counts(agg, p, i);
    counts[i + 1] = counts[i] + counted;
    if (sums.empty()) continue;
    Sum x = 0;
    if (counted) {
      const Vector& v = p.Column(agg.arg->column, i);
      if constexpr (std::is_same_v<Sum, double>) {
        x = ReadDouble(v, p.Row(i));
      } else {
        x = ReadInt(v, p.Row(i));
      }
    }
    sums[i + 1] = sums[i] + x;
  }
  for (idx_t i = 0; i < p.size; ++i) {
    RowId id = p.rows[i];
    Frame f = FrameOf(call, p, i);
    int64_t n = counts[f.end] - counts[f.start];
    if (agg.kind == AggregateKind::Count || agg.kind == AggregateKind::CountStar) {
      out.Set<int64_t>(id, n);
      continue;
    }
    if (n == 0) {
      out.SetNull(id);
      continue;
    }
    Sum total = sums[f.end] - sums[f.start];
    if (agg.kind == AggregateKind::Avg) {
      out.Set<double>(id, static_cast<double>(total) / static_cast<double>(n));
    } else if constexpr (std::is_same_v<Sum, __int128>) {
      if (total > INT64_MAX || total < INT64_MIN) throw Error(sqlstate::kNumericOutOfRange, "bigint out of range");
      out.Set<int64_t>(id, static_cast<int64_t>(total));
    } else {
      out.Set<double>(id, static_cast<double>(total));
    }
  }
}

// MIN / MAX: a queue of the frame's candidate rows whose values get worse from front to back;
// rows enter as the frame end passes them and leave as the frame start does.
void MinMaxFrames(const WindowCall& call, const WindowPartition& p, const WindowResults& out) {
  const AggregateCall& agg = call.aggregate;
  idx_t column = agg.arg->column;
  int sign = agg.kind == AggregateKind::Min ? 1 : -1;
  auto no_worse = [&](idx_t a, idx_t b) {  // a's value is at least as good as b's
    return sign * CompareValues(p.Column(column, a), p.Row(a), p.Column(column, b), p.Row(b)) <= 0;
  };
  std::deque<idx_t> queue;
  idx_t next = 0;
  for (idx_t i = 0; i < p.size; ++i) {
    Frame f = FrameOf(call, p, i);
    for (; next < f.end; ++next) {
      if (!Counts(agg, p, next)) continue;
      while (!queue.empty() && no_worse(next, queue.back())) queue.pop_back();
      queue.push_back(next);
    }
    while (!queue.empty() && queue.front() < f.start) queue.pop_front();
    if (queue.empty()) {
      out.SetNull(p.rows[i]);
    } else {
      out.CopyFrom(p.rows[i], p, column, queue.front());
    }
  }
}

void AggregateFrames(const WindowCall& call, const WindowPartition& p, const WindowResults& out) {
  const AggregateCall& agg = call.aggregate;
  switch (agg.kind) {
    case AggregateKind::Min:
    case AggregateKind::Max: return MinMaxFrames(call, p, out);
    case AggregateKind::CountStar:
    case AggregateKind::Count: return SumFrames<__int128>(call, p, out);
    case AggregateKind::Sum:
    case AggregateKind::Avg:
      if (agg.arg->type.IsInteger()) return SumFrames<__int128>(call, p, out);
      return SumFrames<double>(call, p, out);
    default: throw Error(sqlstate::kFeatureNotSupported, agg.name + " is not supported as a window function");
  }
}

}  // namespace

void EvaluateWindowCall(const WindowCall& call, const WindowPartition& p, const WindowResults& out) {
  switch (call.kind) {
    case WindowKind::RowNumber:
    case WindowKind::Rank:
    case WindowKind::DenseRank:
    case WindowKind::PercentRank:
    case WindowKind::CumeDist: return Ranks(call, p, out);
    case WindowKind::Ntile: return Ntile(call, p, out);
    case WindowKind::Lag:
    case WindowKind::Lead: return LagLead(call, p, out);
    case WindowKind::FirstValue:
    case WindowKind::LastValue:
    case WindowKind::NthValue: return FrameValue(call, p, out);
    case WindowKind::Aggregate: return AggregateFrames(call, p, out);
  }
}

}  // namespace lyt
