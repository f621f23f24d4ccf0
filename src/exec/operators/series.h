// generate_series(start, stop [, step]) in FROM: the rows of a LogicalKind::Series.
#pragma once

#include <string>
#include <vector>

#include "exec/physical_operator.h"
#include "lyt/value.h"

namespace lyt {

// The values start, start + step, ... up to and including stop (down to it for a negative
// step), as PostgreSQL's generate_series gives them: INTEGER, BIGINT or DOUBLE PRECISION with a
// numeric step, TIMESTAMP with an INTERVAL step (added again and again, so month steps keep
// PostgreSQL's day-of-month clamping). No rows when an argument is NULL. The binder checks the
// step is not zero.
class SeriesOp : public PhysicalOperator {
 public:
  SeriesOp(LogicalType type, Value start, Value stop, Value step);
  void Open(ExecContext& ctx) override;
  bool Next(ExecContext& ctx, DataChunk& out) override;
  std::string Name() const override { return "GENERATE_SERIES"; }
  std::string Details() const override;

 private:
  // Whether the next value (next_double_ for DOUBLE PRECISION, else next_int_) is still within
  // the series.
  bool Within() const {
    if (double_) return ascending_ ? next_double_ <= stop_double_ : next_double_ >= stop_double_;
    return ascending_ ? next_int_ <= stop_int_ : next_int_ >= stop_int_;
  }

  Value start_, stop_, step_;
  // The arguments as Open reads them once, for the loop of Next.
  bool double_ = false;
  bool ascending_ = true;
  int64_t stop_int_ = 0, step_int_ = 0;
  double start_double_ = 0, stop_double_ = 0, step_double_ = 0;
  bool done_ = false;
  int64_t next_int_ = 0;
  double next_double_ = 0;
  uint64_t emitted_ = 0;  // doubles: next = start + emitted * step, so errors do not add up
};

}  // namespace lyt
