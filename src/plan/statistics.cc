#include "plan/statistics.h"

#include <algorithm>
#include <unordered_map>

#include "exec/hash.h"

namespace lyt {

namespace {

// Running statistics of one column over the rows read.
struct ColumnCollector {
  idx_t rows = 0, nulls = 0;
  std::unordered_map<uint64_t, uint32_t> seen;  // value hash -> times seen
  bool has_range = false;
  double min = 0, max = 0;
  std::vector<uint64_t> hashes;

  void Add(const Vector& column, idx_t count) {
    hashes.assign(count, 0);
    CombineHashes(column, count, hashes.data(), true);
    rows += count;
    for (idx_t i = 0; i < count; ++i) {
      if (column.IsNull(i)) {
        ++nulls;
        continue;
      }
      ++seen[hashes[i]];
      AddToRange(column, i);
    }
  }

  void AddToRange(const Vector& column, idx_t row) {
    if (column.type().id == TypeId::Boolean) return;
    ZoneValue v;
    if (!ZoneValue::Read(column, row, &v)) return;
    double x = v.is_float ? v.d : static_cast<double>(v.i);
    min = has_range ? std::min(min, x) : x;
    max = has_range ? std::max(max, x) : x;
    has_range = true;
  }

  // `fraction`: the share of the table's rows that were read (1: all of them).
  ColumnStats Finish(double fraction) const {
    ColumnStats s;
    s.null_fraction = rows ? static_cast<double>(nulls) / static_cast<double>(rows) : 0;
    s.distinct = EstimateDistinct(fraction);
    s.has_range = has_range;
    s.min = min;
    s.max = max;
    return s;
  }

  double EstimateDistinct(double fraction) const {
    double d = static_cast<double>(seen.size());
    if (fraction >= 1 || d == 0) return d;
    double n = static_cast<double>(rows - nulls), total = n / fraction, f1 = 0;
    for (const auto& [hash, times] : seen) f1 += times == 1;
    double estimate = n * d / (n - f1 + f1 * n / total);
    return std::clamp(estimate, d, total);
  }
};

// The segments to read: all, or kStatsSampleSegments spread evenly.
std::vector<idx_t> SampleSegments(idx_t segments) {
  std::vector<idx_t> out;
  idx_t take = std::min(segments, kStatsSampleSegments);
  for (idx_t i = 0; i < take; ++i) out.push_back(i * segments / take);
  return out;
}

}  // namespace

std::shared_ptr<const TableStats> CollectTableStats(const TableEntry& table, const Snapshot& snapshot) {
  const DataTable& storage = table.storage();
  auto stats = std::make_shared<TableStats>();
  stats->changes = storage.committed_changes();
  for (const auto& c : table.columns()) {
    stats->names.push_back(c.name);
    stats->types.push_back(c.type);
  }
  std::vector<idx_t> column_ids(table.columns().size());
  for (idx_t c = 0; c < column_ids.size(); ++c) column_ids[c] = c;
  std::vector<ColumnCollector> collectors(column_ids.size());
  idx_t segments = (storage.slot_count() + kSegmentCapacity - 1) / kSegmentCapacity;
  std::vector<idx_t> sample = SampleSegments(segments);
  DataChunk chunk(storage.types());
  idx_t rows = 0;
  for (idx_t segment : sample) {
    DataTable::ScanState state;
    state.segment = segment;
    state.end_segment = segment + 1;
    while (storage.Scan(snapshot, state, column_ids, chunk, nullptr)) {
      rows += chunk.size();
      for (idx_t c = 0; c < column_ids.size(); ++c) collectors[c].Add(chunk.column(c), chunk.size());
    }
  }
  stats->sampled = sample.size() < segments;
  double fraction = 1;
  if (stats->sampled) {
    stats->rows = static_cast<double>(std::max(storage.live_rows(), rows));
    fraction = stats->rows > 0 ? static_cast<double>(rows) / stats->rows : 1;
  } else {
    stats->rows = static_cast<double>(rows);
  }
  for (const auto& c : collectors) stats->columns.push_back(c.Finish(fraction));
  return stats;
}

void AnalyzeTable(TableEntry& table, const Snapshot& snapshot) { table.stats().Set(CollectTableStats(table, snapshot)); }

namespace {

bool MatchesColumns(const TableStats& stats, const TableEntry& table) {
  if (stats.names.size() != table.columns().size()) return false;
  for (idx_t c = 0; c < stats.names.size(); ++c) {
    if (stats.names[c] != table.columns()[c].name || !(stats.types[c] == table.columns()[c].type)) return false;
  }
  return true;
}

bool IsStale(const TableStats& stats, const DataTable& storage) {
  uint64_t now = storage.committed_changes();
  if (now < stats.changes) return true;  // a different storage (recovery)
  return static_cast<double>(now - stats.changes) > kStaleMinChanges + kStaleFraction * stats.rows;
}

}  // namespace

std::shared_ptr<const TableStats> PlannerStats(const TableEntry& table) {
  std::shared_ptr<const TableStats> stats = table.stats().Get();
  if (!stats || !MatchesColumns(*stats, table)) return nullptr;
  if (!IsStale(*stats, table.storage())) return stats;
  std::unique_lock refresh(table.stats().refresh_mutex(), std::try_to_lock);
  if (!refresh.owns_lock()) return stats;
  stats = CollectTableStats(table, Snapshot::Latest());
  table.stats().Set(stats);
  return stats;
}

}  // namespace lyt
