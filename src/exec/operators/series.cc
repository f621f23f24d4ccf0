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
  TypeId id = types()[0].id;
  double_ = id == TypeId::Double;
  if (double_) {
    start_double_ = next_double_ = start_.AsDouble();
    stop_double_ = stop_.AsDouble();
    step_double_ = step_.AsDouble();
    ascending_ = step_double_ > 0;
  } else {
    next_int_ = start_.AsInt64();
    stop_int_ = stop_.AsInt64();
    step_int_ = id == TypeId::Timestamp ? 0 : step_.AsInt64();
    ascending_ = id == TypeId::Timestamp ? IntervalTotal(step_.AsInterval()) > 0 : step_int_ > 0;
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
    if (double_) {
      next_double_ = start_double_ + static_cast<double>(++emitted_) * step_double_;
    } else if (id == TypeId::Timestamp) {
      try {
        next_int_ = AddToTimestamp(next_int_, step_.AsInterval());
      } catch (const Error&) {
        done_ = true;
      }
    } else if (__builtin_add_overflow(next_int_, step_int_, &next_int_) ||
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
