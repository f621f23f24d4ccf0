#include "catalog/table_stats.h"

namespace lyt {

std::shared_ptr<const TableStats> TableStatsSlot::Get() const {
  std::lock_guard guard(mutex_);
  return stats_;
}

void TableStatsSlot::Set(std::shared_ptr<const TableStats> stats) {
  std::lock_guard guard(mutex_);
  stats_ = std::move(stats);
}

}  // namespace lyt
