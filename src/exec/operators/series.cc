#include "exec/operators/series.h"

#include "common/error.h"
#include "common/interval.h"
#include "exec/exec_context.h"

namespace lyt {

SeriesOp::SeriesOp(LogicalType type, Value start, Value stop, Value step)
    : PhysicalOperator({type}), start_(std::move(start)), stop_(std::move(stop)), step_(std::move(step)) {}

void SeriesOp::Open(ExecContext&) {
  done_ = start_.is_null() || stop_.is_null() || step_.is_null();
  emitted_ = 0;
  if (done_) return;
  if (types()[0].id == TypeId::Double) next_double_ = start_.AsDouble();
  else next_int_ = start_.AsInt64();
}

bool SeriesOp::Within() const {
  switch (types()[0].id) {
    case TypeId::Double: {
      double step = step_.AsDouble();
      return step > 0 ? next_double_ <= stop_.AsDouble() : next_double_ >= stop_.AsDouble();
    }
    case TypeId::Timestamp: {
      bool up = IntervalTotal(step_.AsInterval()) > 0;
      return up ? next_int_ <= stop_.AsInt64() : next_int_ >= stop_.AsInt64();
    }
    default: {
      int64_t step = step_.AsInt64();
      return step > 0 ? next_int_ <= stop_.AsInt64() : next_int_ >= stop_.AsInt64();
    }
  }
}

bool SeriesOp::Next(ExecContext& ctx, DataChunk& out) {
  if (done_) return false;
  ctx.CheckInterrupt();
  out.Reset();
  Vector& column = out.column(0);
  TypeId id = types()[0].id;
  idx_t n = 0;
  while (n < kVectorSize && Within()) {
    switch (id) {
      case TypeId::Integer: column.data<int32_t>()[n] = static_cast<int32_t>(next_int_); break;
      case TypeId::Double: column.data<double>()[n] = next_double_; break;
      default: column.data<int64_t>()[n] = next_int_; break;
    }
    ++n;
    // The next value, or the end when it would leave the type (the series stops there, as
    // PostgreSQL's does, instead of failing).
    if (id == TypeId::Double) {
      next_double_ = start_.AsDouble() + static_cast<double>(++emitted_) * step_.AsDouble();
    } else if (id == TypeId::Timestamp) {
      try {
        next_int_ = AddToTimestamp(next_int_, step_.AsInterval());
      } catch (const Error&) {
        done_ = true;
      }
    } else if (__builtin_add_overflow(next_int_, step_.AsInt64(), &next_int_) ||
               (id == TypeId::Integer && (next_int_ > INT32_MAX || next_int_ < INT32_MIN))) {
      done_ = true;
    }
    if (done_) break;
  }
  if (n == 0) {
    done_ = true;
    return false;
  }
  column.ClearNulls(n);
  out.SetSize(n);
  if (!Within()) done_ = true;
  return true;
}

std::string SeriesOp::Details() const {
  return start_.ToString() + " to " + stop_.ToString() + " by " + step_.ToString();
}

}  // namespace lyt
