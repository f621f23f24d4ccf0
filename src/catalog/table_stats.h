// Planner statistics of one table: its row count and, per column, the fraction of NULLs, the
// number of distinct values and the range of numeric values, as ANALYZE (or the planner's lazy
// refresh) last saw them (collected by plan/statistics.h, read by plan/cardinality.cc).
//
// Statistics live in memory only: a restart, recovery or backup starts every table without
// them (ANALYZE collects them again). They are estimates that guide plans, never results.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/vector.h"

namespace lyt {

struct ColumnStats {
  double null_fraction = 0;  // of the rows
  double distinct = 0;       // distinct non-NULL values (>= 1 when any value is not NULL)
  // Numeric, DATE and TIMESTAMP columns: the smallest and largest value seen, read as numbers
  // (dates in days, timestamps in microseconds; storage/data_table.h ZoneValue).
  bool has_range = false;
  double min = 0, max = 0;
};

struct TableStats {
  double rows = 0;                  // visible rows when collected
  uint64_t changes = 0;             // DataTable::committed_changes() when collected
  bool sampled = false;             // read a sample of the rows, not all of them
  std::vector<std::string> names;   // the table's columns when collected: the statistics
  std::vector<LogicalType> types;   // describe the table only while these still match
  std::vector<ColumnStats> columns;  // one per column, in table order
};

// Where a table keeps its statistics. Thread safety: every method may be called from any thread
// at any time; `mutex_` guards `stats_` (the pointer only: a TableStats is immutable once
// published, so readers keep using the one they got while ANALYZE publishes a newer one).
class TableStatsSlot {
 public:
  // The latest statistics, or null when none were collected since the table was created,
  // altered or loaded.
  std::shared_ptr<const TableStats> Get() const;
  void Set(std::shared_ptr<const TableStats> stats);
  void Clear() { Set(nullptr); }
  // Held (try_lock) by the one planner thread that refreshes stale statistics, so concurrent
  // statements do not all collect them at once; the others plan with the old ones.
  std::mutex& refresh_mutex() { return refresh_mutex_; }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const TableStats> stats_;
  std::mutex refresh_mutex_;
};

}  // namespace lyt
