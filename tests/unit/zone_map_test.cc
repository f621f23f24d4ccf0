// Zone maps (storage/data_table.h ZoneCondition): a scan skips exactly the segments whose
// recorded minimum and maximum rule a condition out, and never one holding a row that meets it.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>

#include "storage/data_table.h"

namespace lyt {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A table (BIGINT, DOUBLE) of `segments` full segments: row r holds (r, value(r)).
template <class F>
std::unique_ptr<DataTable> MakeTable(idx_t segments, F value) {
  auto table_ptr = std::make_unique<DataTable>(std::vector<LogicalType>{TypeId::BigInt, TypeId::Double});
  DataTable& table = *table_ptr;
  DataChunk chunk;
  chunk.Initialize(table.types());
  for (idx_t s = 0; s < segments; ++s) {
    for (idx_t r = 0; r < kSegmentCapacity; ++r) {
      int64_t row = static_cast<int64_t>(s * kSegmentCapacity + r);
      chunk.column(0).SetValue(r, Value::BigInt(row));
      chunk.column(1).SetValue(r, value(row));
    }
    chunk.SetSize(kSegmentCapacity);
    table.Append(chunk, kVisibleToAll);
  }
  return table_ptr;
}

ZoneValue Int(int64_t i) { return ZoneValue{false, i, 0}; }
ZoneValue Float(double d) { return ZoneValue{true, 0, d}; }

// The first column of the rows a scan with `conditions` returns, and how many chunks it took.
std::vector<int64_t> ScanWith(const DataTable& table, std::vector<ZoneCondition> conditions, int* chunks) {
  DataTable::ScanState state;
  state.zones = &conditions;
  DataChunk out;
  out.Initialize(table.types());
  std::vector<int64_t> ids;
  *chunks = 0;
  while (table.Scan(Snapshot::Latest(), state, {0}, out, nullptr)) {
    ++*chunks;
    for (idx_t r = 0; r < out.size(); ++r) ids.push_back(out.column(0).data<int64_t>()[r]);
  }
  return ids;
}

TEST(ZoneMap, SkipsSegmentsOutsideTheRange) {
  auto table_ptr = MakeTable(4, [](int64_t r) { return Value::Double(static_cast<double>(r) / 2); });
  DataTable& table = *table_ptr;
  int chunks = 0;
  int64_t probe = static_cast<int64_t>(2 * kSegmentCapacity + 7);
  auto ids = ScanWith(table, {{0, Int(probe), Int(probe)}}, &chunks);
  EXPECT_EQ(chunks, 1);
  EXPECT_EQ(ids.size(), kSegmentCapacity);  // the whole third segment: filters do the rest
  EXPECT_EQ(ids.front(), static_cast<int64_t>(2 * kSegmentCapacity));
  // A range over the last two segments, on the DOUBLE column.
  ScanWith(table, {{1, Float(static_cast<double>(kSegmentCapacity) * 1.25), Float(1e300)}}, &chunks);
  EXPECT_EQ(chunks, 2);
  // Nothing can match: no segment read.
  ScanWith(table, {{0, Int(-10), Int(-1)}}, &chunks);
  EXPECT_EQ(chunks, 0);
  // No condition: every segment.
  ScanWith(table, {}, &chunks);
  EXPECT_EQ(chunks, 4);
}

TEST(ZoneMap, NullOnlySegmentsMeetNothingAndNaNStopsTheSkipping) {
  // Segment 0: all NULL; segment 1: values 0.5..; segment 2: one NaN among small values.
  auto table_ptr = MakeTable(3, [](int64_t r) {
    idx_t s = static_cast<idx_t>(r) / kSegmentCapacity;
    if (s == 0) return Value::Null(TypeId::Double);
    if (s == 2 && r % kSegmentCapacity == 5) return Value::Double(kNaN);
    return Value::Double(s == 1 ? 0.5 : -1.0);
  });
  DataTable& table = *table_ptr;
  int chunks = 0;
  auto ids = ScanWith(table, {{1, Float(0), Float(1)}}, &chunks);
  EXPECT_EQ(chunks, 2);  // segment 1, and segment 2 whose NaN leaves its zone untracked
  EXPECT_EQ(ids.front(), static_cast<int64_t>(kSegmentCapacity));
}

TEST(ZoneMap, InPlaceUpdatesWidenTheZone) {
  auto table_ptr = MakeTable(2, [](int64_t r) { return Value::Double(static_cast<double>(r)); });
  DataTable& table = *table_ptr;
  Vector value(TypeId::Double, 1);
  value.SetValue(0, Value::Double(-100));
  table.Update({static_cast<row_t>(kSegmentCapacity + 3)}, 1, value);
  int chunks = 0;
  auto ids = ScanWith(table, {{1, Float(-200), Float(-50)}}, &chunks);
  EXPECT_EQ(chunks, 1);
  EXPECT_EQ(ids.front(), static_cast<int64_t>(kSegmentCapacity));
}

}  // namespace
}  // namespace lyt
