#include "storage/data_table.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <type_traits>

#include "common/error.h"

namespace lyt {

namespace {

// The smallest and largest non-NULL value written to one column of a segment (any version,
// live or not), while every one of them was a ZoneValue.
struct Zone {
  bool has_values = false;
  bool tracked = true;  // false once a value zone maps cannot read (NaN, another type) arrived
  ZoneValue min, max;

  void Add(const ZoneValue& v) {
    if (!has_values) {
      min = max = v;
      has_values = true;
    } else if (v.is_float) {
      min.d = std::min(min.d, v.d);
      max.d = std::max(max.d, v.d);
    } else {
      min.i = std::min(min.i, v.i);
      max.i = std::max(max.i, v.i);
    }
  }
  // Adds rows [offset, offset+n) of `column`: one type dispatch per call, not per value.
  void Add(const Vector& column, idx_t offset, idx_t n) {
    if (!tracked) return;
    switch (column.type().id) {
      case TypeId::Boolean: AddInts<uint8_t>(column, offset, n); return;
      case TypeId::SmallInt: AddInts<int16_t>(column, offset, n); return;
      case TypeId::Integer:
      case TypeId::Date: AddInts<int32_t>(column, offset, n); return;
      case TypeId::BigInt:
      case TypeId::Timestamp: AddInts<int64_t>(column, offset, n); return;
      default:
        for (idx_t i = offset; i < offset + n && tracked; ++i) {
          ZoneValue v;
          if (column.IsNull(i)) continue;
          if (ZoneValue::Read(column, i, &v)) Add(v);
          else tracked = false;
        }
    }
  }
  template <typename T>
  void AddInts(const Vector& column, idx_t offset, idx_t n) {
    const T* values = column.data<T>();
    int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
    bool any = false;
    for (idx_t i = offset; i < offset + n; ++i) {
      if (column.IsNull(i)) continue;
      int64_t v = std::is_same_v<T, uint8_t> ? values[i] != 0 : static_cast<int64_t>(values[i]);
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      any = true;
    }
    if (!any) return;
    Add(ZoneValue{false, lo, 0});
    Add(ZoneValue{false, hi, 0});
  }
  // Whether a row of the segment may meet `c`.
  bool MayMeet(const ZoneCondition& c) const {
    if (!tracked) return true;
    if (!has_values) return false;  // only NULLs
    if (c.lower.is_float != min.is_float) return true;
    return min.is_float ? !(max.d < c.lower.d || min.d > c.upper.d) : !(max.i < c.lower.i || min.i > c.upper.i);
  }
};

}  // namespace

bool ZoneValue::Read(const Vector& column, idx_t row, ZoneValue* out) {
  switch (column.type().id) {
    case TypeId::Boolean: *out = {false, column.data<uint8_t>()[row] != 0, 0}; return true;
    case TypeId::SmallInt: *out = {false, column.data<int16_t>()[row], 0}; return true;
    case TypeId::Integer:
    case TypeId::Date: *out = {false, column.data<int32_t>()[row], 0}; return true;
    case TypeId::BigInt:
    case TypeId::Timestamp: *out = {false, column.data<int64_t>()[row], 0}; return true;
    case TypeId::Real:
    case TypeId::Double: {
      double d = column.type().id == TypeId::Real ? column.data<float>()[row] : column.data<double>()[row];
      if (d != d) return false;  // NaN
      *out = {true, 0, d};
      return true;
    }
    default: return false;
  }
}

// kSegmentCapacity rows of every column, plus their versions.
struct Segment {
  explicit Segment(idx_t columns) : values(columns), nulls(columns), zones(columns) {}

  idx_t count = 0;
  std::vector<uint8_t*> values;                    // per column: kSegmentCapacity * width bytes (in an extent)
  std::vector<std::unique_ptr<uint8_t[]>> nulls;   // per column: kSegmentCapacity bytes, null until the first NULL
  version_t insert_all = 0;                        // the insert version of every row while insert_rows is null
  std::unique_ptr<version_t[]> insert_rows;        // per-row insert versions, once rows of two versions share the segment
  std::unique_ptr<version_t[]> delete_rows;        // per-row delete versions, null while no row was ever deleted
  std::vector<Zone> zones;                         // per column

  bool MayMeet(const std::vector<ZoneCondition>& conditions) const {
    for (const auto& c : conditions) {
      if (!zones[c.column].MayMeet(c)) return false;
    }
    return true;
  }

  version_t InsertVersion(idx_t i) const { return insert_rows ? insert_rows[i] : insert_all; }
  version_t DeleteVersion(idx_t i) const { return delete_rows ? delete_rows[i] : kNever; }

  // The rows of [start, start+n) visible to `s`: returns n when all are (then `sel` is not
  // filled), else their count with their offsets in sel.
  idx_t Visible(const Snapshot& s, idx_t start, idx_t n, sel_t* sel) const {
    if (!insert_rows && !delete_rows) return s.Sees(insert_all) ? n : 0;
    idx_t m = 0;
    for (idx_t i = start; i < start + n; ++i) {
      if (s.SeesRow(InsertVersion(i), DeleteVersion(i))) sel[m++] = static_cast<sel_t>(i);
    }
    return m;
  }

  void MaterializeInsertVersions() {
    if (insert_rows) return;
    insert_rows = std::make_unique<version_t[]>(kSegmentCapacity);
    std::fill(insert_rows.get(), insert_rows.get() + count, insert_all);
  }
  version_t* DeleteVersions() {
    if (!delete_rows) {
      delete_rows = std::make_unique<version_t[]>(kSegmentCapacity);
      std::fill(delete_rows.get(), delete_rows.get() + kSegmentCapacity, kNever);
    }
    return delete_rows.get();
  }
  uint8_t* Nulls(idx_t column) {
    if (!nulls[column]) nulls[column] = std::make_unique<uint8_t[]>(kSegmentCapacity);  // zeroed: not NULL
    return nulls[column].get();
  }

  // A read-only vector over rows [start, count) of `column`.
  void View(idx_t column, const LogicalType& type, idx_t start, Vector& out) const {
    size_t width = PhysicalSize(type.id);
    out.ReferenceExternal(values[column] + start * width, nulls[column] ? nulls[column].get() + start : nullptr);
  }
};

static bool IsStringType(const LogicalType& t) { return t.id == TypeId::Varchar || t.id == TypeId::Blob; }

DataTable::DataTable(std::vector<LogicalType> types)
    : types_(std::move(types)), strings_(types_.size()), extents_(types_.size()) {}
DataTable::~DataTable() = default;

uint8_t* DataTable::AllocateSegmentValues(idx_t column) {
  ColumnExtents& e = extents_[column];
  size_t segment_bytes = kSegmentCapacity * PhysicalSize(types_[column].id);
  if (e.free_segments == 0) {
    // Blocks of 1, 4, 16, 64 segments, then of at least a huge page: small tables stay small,
    // big ones fill huge pages.
    idx_t huge = (LargeBuffer::kHugePage + segment_bytes - 1) / segment_bytes;
    e.last_size = e.last_size == 0 ? 1 : e.last_size < 64 ? e.last_size * 4 : std::max<idx_t>(64, huge);
    e.blocks.emplace_back(e.last_size * segment_bytes);
    e.next = e.blocks.back().data();
    e.free_segments = e.last_size;
    e.bytes += e.last_size * segment_bytes;
  }
  uint8_t* p = e.next;
  e.next += segment_bytes;
  --e.free_segments;
  return p;
}

Segment& DataTable::SegmentOf(row_t id) const { return *segments_[static_cast<idx_t>(id) / kSegmentCapacity]; }

bool DataTable::Scan(const Snapshot& snapshot, ScanState& state, const std::vector<idx_t>& column_ids, DataChunk& out,
                     std::vector<row_t>* row_ids) const {
  out.Reset();
  std::shared_lock guard(latch_);
  idx_t end = std::min<idx_t>(state.end_segment, segments_.size());
  sel_t sel[kVectorSize];
  while (state.segment < end) {
    const Segment& seg = *segments_[state.segment];
    if (state.offset >= seg.count) {
      ++state.segment;
      state.offset = 0;
      continue;
    }
    idx_t start = state.offset, n = seg.count - start;
    state.offset = seg.count;
    if (state.zones && !seg.MayMeet(*state.zones)) continue;
    idx_t m = seg.Visible(snapshot, start, n, sel);
    if (m == 0) continue;
    row_t base = static_cast<row_t>(state.segment * kSegmentCapacity);
    if (m == n) {
      for (idx_t c = 0; c < column_ids.size(); ++c) seg.View(column_ids[c], types_[column_ids[c]], start, out.column(c));
      if (row_ids) {
        row_ids->resize(n);
        for (idx_t i = 0; i < n; ++i) (*row_ids)[i] = base + static_cast<row_t>(start + i);
      }
    } else {
      for (idx_t c = 0; c < column_ids.size(); ++c) {
        Vector view(types_[column_ids[c]], 1);
        seg.View(column_ids[c], types_[column_ids[c]], 0, view);
        out.column(c).GatherRefs(view, sel, m);
      }
      if (row_ids) {
        row_ids->resize(m);
        for (idx_t i = 0; i < m; ++i) (*row_ids)[i] = base + sel[i];
      }
    }
    out.SetSize(m);
    return true;
  }
  return false;
}

void DataTable::Fetch(const row_t* ids, idx_t n, const std::vector<idx_t>& column_ids, DataChunk& out) const {
  out.Reset();
  std::shared_lock guard(latch_);
  for (idx_t c = 0; c < column_ids.size(); ++c) {
    const LogicalType& type = types_[column_ids[c]];
    Vector view(type, 1);
    for (idx_t i = 0; i < n; ++i) {
      const Segment& seg = SegmentOf(ids[i]);
      sel_t offset = static_cast<sel_t>(static_cast<idx_t>(ids[i]) % kSegmentCapacity);
      seg.View(column_ids[c], type, 0, view);
      out.column(c).CopyFrom(view, &offset, 1, i);
    }
  }
  out.SetSize(n);
}

void DataTable::FetchRow(row_t id, const std::vector<idx_t>& column_ids, DataChunk& out) const {
  out.Reset();
  std::shared_lock guard(latch_);
  const Segment& seg = SegmentOf(id);
  idx_t offset = static_cast<idx_t>(id) % kSegmentCapacity;
  for (idx_t c = 0; c < column_ids.size(); ++c) seg.View(column_ids[c], types_[column_ids[c]], offset, out.column(c));
  out.SetSize(1);
}

DataTable::RowVersions DataTable::GetVersions(row_t id) const {
  std::shared_lock guard(latch_);
  const Segment& seg = SegmentOf(id);
  idx_t offset = static_cast<idx_t>(id) % kSegmentCapacity;
  return {seg.InsertVersion(offset), seg.DeleteVersion(offset)};
}

void DataTable::KeepVisible(const Snapshot& snapshot, std::vector<row_t>& ids, size_t from) const {
  std::shared_lock guard(latch_);
  size_t kept = from;
  for (size_t i = from; i < ids.size(); ++i) {
    const Segment& seg = SegmentOf(ids[i]);
    idx_t offset = static_cast<idx_t>(ids[i]) % kSegmentCapacity;
    if (snapshot.SeesRow(seg.InsertVersion(offset), seg.DeleteVersion(offset))) ids[kept++] = ids[i];
  }
  ids.resize(kept);
}

version_t DataTable::LatestCommittedDelete() const {
  std::shared_lock guard(latch_);
  version_t latest = 0;
  for (const auto& seg : segments_) {
    if (!seg->delete_rows) continue;
    for (idx_t i = 0; i < seg->count; ++i) {
      if (IsCommitted(seg->delete_rows[i])) latest = std::max(latest, seg->delete_rows[i]);
    }
  }
  return latest;
}

void DataTable::CopyValues(Segment& seg, idx_t start, const DataChunk& chunk, idx_t offset, idx_t n) {
  for (idx_t c = 0; c < types_.size(); ++c) {
    const Vector& src = chunk.column(c);
    size_t width = PhysicalSize(types_[c].id);
    if (!seg.values[c]) seg.values[c] = AllocateSegmentValues(c);
    uint8_t* dst = seg.values[c] + start * width;
    if (IsStringType(types_[c])) {
      auto* out = reinterpret_cast<StringRef*>(dst);
      const StringRef* in = src.data<StringRef>() + offset;
      for (idx_t i = 0; i < n; ++i) out[i] = src.IsNull(offset + i) ? StringRef{} : strings_[c].Add(in[i].view());
    } else {
      std::memcpy(dst, src.data<uint8_t>() + offset * width, n * width);
    }
    const uint8_t* nulls = src.nulls() + offset;
    bool any_null = false;
    for (idx_t i = 0; i < n; ++i) any_null |= nulls[i] != 0;
    if (any_null || seg.nulls[c]) std::memcpy(seg.Nulls(c) + start, nulls, n);
    seg.zones[c].Add(src, offset, n);
  }
}

void DataTable::AppendToSegment(Segment& seg, const DataChunk& chunk, idx_t offset, idx_t n, version_t version) {
  CopyValues(seg, seg.count, chunk, offset, n);
  if (seg.count == 0) {
    seg.insert_all = version;
  } else if (seg.insert_rows || seg.insert_all != version) {
    seg.MaterializeInsertVersions();
    std::fill(seg.insert_rows.get() + seg.count, seg.insert_rows.get() + seg.count + n, version);
  }
  seg.count += n;
}

idx_t DataTable::SlotCountLocked() const {
  return segments_.empty() ? 0 : (segments_.size() - 1) * kSegmentCapacity + segments_.back()->count;
}

idx_t DataTable::slot_count() const {
  std::shared_lock guard(latch_);
  return SlotCountLocked();
}

row_t DataTable::Append(const DataChunk& chunk, version_t version) {
  std::unique_lock guard(latch_);
  row_t first = static_cast<row_t>(SlotCountLocked());
  idx_t done = 0;
  while (done < chunk.size()) {
    if (segments_.empty() || segments_.back()->count == kSegmentCapacity) {
      segments_.push_back(std::make_unique<Segment>(types_.size()));
    }
    Segment& seg = *segments_.back();
    idx_t n = std::min<idx_t>(chunk.size() - done, kSegmentCapacity - seg.count);
    AppendToSegment(seg, chunk, done, n, version);
    done += n;
  }
  AdjustLiveRows(version, static_cast<int64_t>(chunk.size()));
  return first;
}

void DataTable::AppendEmptySlots(idx_t n) {
  while (n > 0) {
    if (segments_.empty() || segments_.back()->count == kSegmentCapacity) {
      segments_.push_back(std::make_unique<Segment>(types_.size()));
    }
    Segment& seg = *segments_.back();
    for (idx_t c = 0; c < types_.size(); ++c) {
      if (!seg.values[c]) seg.values[c] = AllocateSegmentValues(c);
    }
    idx_t take = std::min<idx_t>(n, kSegmentCapacity - seg.count);
    if (seg.count == 0) {
      seg.insert_all = kNever;
    } else if (seg.insert_rows || seg.insert_all != kNever) {
      seg.MaterializeInsertVersions();
      std::fill(seg.insert_rows.get() + seg.count, seg.insert_rows.get() + seg.count + take, kNever);
    }
    seg.count += take;
    n -= take;
  }
}

void DataTable::OverwriteSlots(row_t first, const DataChunk& chunk, idx_t offset, idx_t n, version_t version) {
  Segment& seg = SegmentOf(first);
  idx_t start = static_cast<idx_t>(first) % kSegmentCapacity;
  for (idx_t i = 0; i < n; ++i) {
    if (seg.InsertVersion(start + i) != kNever) ThrowInternal("recovery placed two rows at one row id");
  }
  CopyValues(seg, start, chunk, offset, n);
  seg.MaterializeInsertVersions();
  std::fill(seg.insert_rows.get() + start, seg.insert_rows.get() + start + n, version);
}

void DataTable::PlaceRows(row_t first, const DataChunk& chunk, idx_t offset, idx_t n, version_t version) {
  std::unique_lock guard(latch_);
  idx_t begin = static_cast<idx_t>(first);
  idx_t slots = SlotCountLocked();
  if (begin > slots) AppendEmptySlots(begin - slots);
  idx_t done = 0;
  // The part inside existing slots, segment by segment; the rest is appended.
  while (done < n && begin + done < SlotCountLocked()) {
    idx_t at = begin + done;
    idx_t in_segment = std::min<idx_t>(kSegmentCapacity - at % kSegmentCapacity, SlotCountLocked() - at);
    idx_t take = std::min<idx_t>(n - done, in_segment);
    OverwriteSlots(static_cast<row_t>(at), chunk, offset + done, take, version);
    done += take;
  }
  while (done < n) {
    if (segments_.empty() || segments_.back()->count == kSegmentCapacity) {
      segments_.push_back(std::make_unique<Segment>(types_.size()));
    }
    Segment& seg = *segments_.back();
    idx_t take = std::min<idx_t>(n - done, kSegmentCapacity - seg.count);
    AppendToSegment(seg, chunk, offset + done, take, version);
    done += take;
  }
  AdjustLiveRows(version, static_cast<int64_t>(n));
}

void DataTable::Delete(const Snapshot& snapshot, const std::vector<row_t>& ids) {
  std::unique_lock guard(latch_);
  for (row_t id : ids) {
    version_t del = SegmentOf(id).DeleteVersion(static_cast<idx_t>(id) % kSegmentCapacity);
    if (del == kNever) continue;
    if (IsCommitted(del)) throw StaleSnapshotError();
    throw Error(sqlstate::kSerializationFailure, "could not serialize access due to concurrent update");
  }
  for (row_t id : ids) SegmentOf(id).DeleteVersions()[static_cast<idx_t>(id) % kSegmentCapacity] = snapshot.txn_id;
}

void DataTable::SetInsertVersion(row_t first, idx_t count, version_t version) {
  std::unique_lock guard(latch_);
  idx_t begin = static_cast<idx_t>(first), end = begin + count;
  while (begin < end) {
    Segment& seg = *segments_[begin / kSegmentCapacity];
    idx_t lo = begin % kSegmentCapacity, hi = std::min<idx_t>(seg.count, lo + (end - begin));
    if (!seg.insert_rows && lo == 0 && hi == seg.count) {
      seg.insert_all = version;
    } else {
      seg.MaterializeInsertVersions();
      std::fill(seg.insert_rows.get() + lo, seg.insert_rows.get() + hi, version);
    }
    begin += hi - lo;
  }
  AdjustLiveRows(version, static_cast<int64_t>(count));
}

void DataTable::SetDeleteVersion(const std::vector<row_t>& ids, version_t version) {
  std::unique_lock guard(latch_);
  for (row_t id : ids) SegmentOf(id).DeleteVersions()[static_cast<idx_t>(id) % kSegmentCapacity] = version;
  AdjustLiveRows(version, -static_cast<int64_t>(ids.size()));
}

void DataTable::AdjustLiveRows(version_t version, int64_t delta) {
  if (!IsCommitted(version)) return;
  live_rows_.fetch_add(delta, std::memory_order_relaxed);
  committed_changes_.fetch_add(static_cast<uint64_t>(delta < 0 ? -delta : delta), std::memory_order_relaxed);
}

void DataTable::Truncate() {
  std::unique_lock guard(latch_);
  segments_.clear();
  for (auto& strings : strings_) strings.Reset();
  for (auto& e : extents_) e = ColumnExtents{};
  committed_changes_.fetch_add(live_rows(), std::memory_order_relaxed);
  live_rows_ = 0;
}

void DataTable::AddColumn(const LogicalType& type, const Value& fill) {
  std::unique_lock guard(latch_);
  types_.push_back(type);
  strings_.emplace_back();
  extents_.emplace_back();
  idx_t column = types_.size() - 1;
  Vector one(type, 1);
  one.SetValue(0, fill);
  if (IsStringType(type) && !fill.is_null()) one.data<StringRef>()[0] = strings_.back().Add(fill.AsString());
  size_t width = PhysicalSize(type.id);
  for (auto& seg : segments_) {
    seg->values.push_back(AllocateSegmentValues(column));
    seg->nulls.emplace_back();
    seg->zones.emplace_back();
    if (seg->count > 0) seg->zones.back().Add(one, 0, 1);
    for (idx_t i = 0; i < seg->count; ++i) std::memcpy(seg->values[column] + i * width, one.data<uint8_t>(), width);
    if (fill.is_null()) std::memset(seg->Nulls(column), 1, seg->count);
  }
}

void DataTable::DropColumn(idx_t column) {
  std::unique_lock guard(latch_);
  types_.erase(types_.begin() + static_cast<ptrdiff_t>(column));
  strings_.erase(strings_.begin() + static_cast<ptrdiff_t>(column));
  extents_.erase(extents_.begin() + static_cast<ptrdiff_t>(column));
  for (auto& seg : segments_) {
    seg->values.erase(seg->values.begin() + static_cast<ptrdiff_t>(column));
    seg->nulls.erase(seg->nulls.begin() + static_cast<ptrdiff_t>(column));
    seg->zones.erase(seg->zones.begin() + static_cast<ptrdiff_t>(column));
  }
}

void DataTable::Update(const std::vector<row_t>& ids, idx_t column, const Vector& values) {
  std::unique_lock guard(latch_);
  size_t width = PhysicalSize(types_[column].id);
  for (idx_t i = 0; i < ids.size(); ++i) {
    Segment& seg = SegmentOf(ids[i]);
    idx_t row = static_cast<idx_t>(ids[i]) % kSegmentCapacity;
    bool is_null = values.IsNull(i);
    if (is_null || seg.nulls[column]) seg.Nulls(column)[row] = is_null ? 1 : 0;
    if (is_null) continue;
    seg.zones[column].Add(values, i, 1);  // the old value stays counted: the zone only widens
    uint8_t* dst = seg.values[column] + row * width;
    if (IsStringType(types_[column])) {
      *reinterpret_cast<StringRef*>(dst) = strings_[column].Add(values.data<StringRef>()[i].view());
    } else {
      std::memcpy(dst, values.data<uint8_t>() + i * width, width);
    }
  }
}

Value DataTable::GetValue(row_t row, idx_t column) const {
  std::shared_lock guard(latch_);
  Vector v(types_[column], 1);
  SegmentOf(row).View(column, types_[column], static_cast<idx_t>(row) % kSegmentCapacity, v);
  return v.GetValue(0);
}

size_t DataTable::MemoryUsage() const {
  std::shared_lock guard(latch_);
  size_t bytes = 0;
  for (const auto& e : extents_) bytes += e.bytes;
  for (const auto& seg : segments_) {
    for (idx_t c = 0; c < types_.size(); ++c) {
      if (seg->nulls[c]) bytes += kSegmentCapacity;
    }
    if (seg->insert_rows) bytes += kSegmentCapacity * sizeof(version_t);
    if (seg->delete_rows) bytes += kSegmentCapacity * sizeof(version_t);
  }
  for (const auto& strings : strings_) bytes += strings.bytes_allocated();
  return bytes;
}

}  // namespace lyt
