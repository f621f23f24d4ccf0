// Collection and freshness of planner statistics (catalog/table_stats.h).
//
// Collection reads the rows a snapshot sees: all of them when the table has at most
// kStatsSampleSegments segments (kVectorSize rows each), else that many segments spread evenly
// over the table. Null fractions and ranges come from the rows read; distinct counts are exact
// over the rows read (64-bit hashes of the values) and, for a sample, scaled up to the table
// with the Haas-Stokes "Duj1" estimator PostgreSQL's ANALYZE uses:
//   n * d / (n - f1 + f1 * n / N)
// (n values read, d distinct among them, f1 seen exactly once, N values in the table).
//
// Freshness: statistics describe the table while fewer than kStaleMinChanges +
// kStaleFraction * rows committed inserts and deletes happened since they were collected
// (DataTable::committed_changes). Stale statistics are collected again, from a sample, by the
// first statement that plans with them (PlannerStats). A table never analyzed keeps the
// planner's heuristics: statistics appear only through ANALYZE, and stay in memory only.
#pragma once

#include <memory>

#include "catalog/catalog.h"
#include "storage/version.h"

namespace lyt {

inline constexpr idx_t kStatsSampleSegments = 16;
inline constexpr double kStaleFraction = 0.2;
inline constexpr double kStaleMinChanges = 50;

// The statistics of `table`'s rows visible to `snapshot`. Reads the table's storage only
// (shared latch per batch): safe while other statements read and write it.
std::shared_ptr<const TableStats> CollectTableStats(const TableEntry& table, const Snapshot& snapshot);

// Collects and publishes `table`'s statistics (ANALYZE).
void AnalyzeTable(TableEntry& table, const Snapshot& snapshot);

// The statistics the planner may use for `table`, or null when it has none or they no longer
// match its columns. Stale ones are first collected again from the latest committed rows (by
// one thread at a time; the others get the stale ones).
std::shared_ptr<const TableStats> PlannerStats(const TableEntry& table);

}  // namespace lyt
