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
  // Whether `next_` (of the numeric kinds) or `next_ts_` is still within the series.
  bool Within() const;

  Value start_, stop_, step_;
  bool done_ = false;
  int64_t next_int_ = 0;
  double next_double_ = 0;
  uint64_t emitted_ = 0;  // doubles: next = start + emitted * step, so errors do not add up
};

}  // namespace lyt
