#include "storage/data_table.h"

#include <cstring>

namespace lyt {

RowGroup::RowGroup(const std::vector<LogicalType>& types) : types_(types), columns_(types.size()) {}

static bool IsStringType(const LogicalType& t) { return t.id == TypeId::Varchar || t.id == TypeId::Blob; }

void RowGroup::Append(const DataChunk& chunk, idx_t offset, idx_t n) {
  for (idx_t c = 0; c < columns_.size(); ++c) {
    ColumnData& col = columns_[c];
    const Vector& src = chunk.column(c);
    size_t width = PhysicalSize(types_[c].id);
    size_t old_bytes = col.values.size();
    col.values.resize(old_bytes + n * width);
    if (IsStringType(types_[c])) {
      auto* out = reinterpret_cast<StringRef*>(col.values.data() + old_bytes);
      const StringRef* in = src.data<StringRef>() + offset;
      for (idx_t i = 0; i < n; ++i) out[i] = src.IsNull(offset + i) ? StringRef{} : col.strings.Add(in[i].view());
    } else {
      std::memcpy(col.values.data() + old_bytes, src.data<uint8_t>() + offset * width, n * width);
    }
    const uint8_t* nulls = src.nulls() + offset;
    bool any_null = false;
    for (idx_t i = 0; i < n; ++i) any_null |= nulls[i] != 0;
    if (any_null || !col.nulls.empty()) {
      col.nulls.resize(count_, 0);  // first NULL: materialize the bytes of earlier rows
      col.nulls.insert(col.nulls.end(), nulls, nulls + n);
    }
  }
  if (!deleted_.empty()) deleted_.resize(count_ + n, 0);
  count_ += n;
}

void RowGroup::Delete(idx_t row) {
  if (deleted_.empty()) deleted_.resize(count_, 0);
  if (!deleted_[row]) {
    deleted_[row] = 1;
    ++deleted_count_;
  }
}

void RowGroup::Update(idx_t row, idx_t column, const Vector& values, idx_t src_row) {
  ColumnData& col = columns_[column];
  bool is_null = values.IsNull(src_row);
  if (is_null && col.nulls.empty()) col.nulls.assign(count_, 0);
  if (!col.nulls.empty()) col.nulls[row] = is_null;
  if (is_null) return;
  size_t width = PhysicalSize(types_[column].id);
  if (IsStringType(types_[column])) {
    reinterpret_cast<StringRef*>(col.values.data())[row] = col.strings.Add(values.data<StringRef>()[src_row].view());
  } else {
    std::memcpy(col.values.data() + row * width, values.data<uint8_t>() + src_row * width, width);
  }
}

void RowGroup::View(idx_t column, idx_t start, Vector& out) const {
  const ColumnData& col = columns_[column];
  size_t width = PhysicalSize(types_[column].id);
  out.ReferenceExternal(col.values.data() + start * width, col.nulls.empty() ? nullptr : col.nulls.data() + start);
}

void RowGroup::Gather(idx_t column, const sel_t* rows, idx_t n, Vector& out) const {
  // A view of the whole group's column; strings keep pointing into storage.
  Vector view(types_[column], 1);
  View(column, 0, view);
  out.GatherRefs(view, rows, n);
}

void RowGroup::AddColumn(const LogicalType& type, const Value& fill) {
  types_.push_back(type);
  columns_.emplace_back();
  if (count_ == 0) return;
  Vector v(type, 1);
  v.SetValue(0, fill);
  ColumnData& col = columns_.back();
  size_t width = PhysicalSize(type.id);
  col.values.resize(count_ * width);
  if (fill.is_null()) {
    col.nulls.assign(count_, 1);
    return;
  }
  if (IsStringType(type)) {
    StringRef s = col.strings.Add(fill.AsString());
    for (idx_t i = 0; i < count_; ++i) reinterpret_cast<StringRef*>(col.values.data())[i] = s;
  } else {
    for (idx_t i = 0; i < count_; ++i) std::memcpy(col.values.data() + i * width, v.data<uint8_t>(), width);
  }
}

void RowGroup::DropColumn(idx_t column) {
  types_.erase(types_.begin() + column);
  columns_.erase(columns_.begin() + column);
}

DataTable::DataTable(std::vector<LogicalType> types) : types_(std::move(types)) {}

bool DataTable::Scan(ScanState& state, const std::vector<idx_t>& column_ids, DataChunk& out,
                     std::vector<row_t>* row_ids) const {
  out.Reset();
  idx_t end = std::min<idx_t>(state.end_row_group, row_groups_.size());
  while (state.row_group < end) {
    const RowGroup& rg = *row_groups_[state.row_group];
    if (state.offset >= rg.count()) {
      ++state.row_group;
      state.offset = 0;
      continue;
    }
    idx_t start = state.offset;
    idx_t n = std::min<idx_t>(kVectorSize, rg.count() - start);
    state.offset += n;
    row_t base = static_cast<row_t>((state.row_group) * kRowGroupCapacity + start);
    if (rg.deleted_count() == 0) {
      for (idx_t c = 0; c < column_ids.size(); ++c) rg.View(column_ids[c], start, out.column(c));
      if (row_ids) {
        row_ids->resize(n);
        for (idx_t i = 0; i < n; ++i) (*row_ids)[i] = base + static_cast<row_t>(i);
      }
      out.SetSize(n);
      return true;
    }
    sel_t live[kVectorSize];
    idx_t m = 0;
    for (idx_t i = 0; i < n; ++i) {
      if (!rg.IsDeleted(start + i)) live[m++] = static_cast<sel_t>(start + i);
    }
    if (m == 0) continue;
    for (idx_t c = 0; c < column_ids.size(); ++c) rg.Gather(column_ids[c], live, m, out.column(c));
    if (row_ids) {
      row_ids->resize(m);
      for (idx_t i = 0; i < m; ++i) (*row_ids)[i] = base - static_cast<row_t>(start) + live[i];
    }
    out.SetSize(m);
    return true;
  }
  return false;
}

void DataTable::Append(const DataChunk& chunk) {
  idx_t done = 0;
  while (done < chunk.size()) {
    if (row_groups_.empty() || row_groups_.back()->count() == kRowGroupCapacity) {
      row_groups_.push_back(std::make_unique<RowGroup>(types_));
    }
    RowGroup& rg = *row_groups_.back();
    idx_t n = std::min<idx_t>(chunk.size() - done, kRowGroupCapacity - rg.count());
    rg.Append(chunk, done, n);
    done += n;
  }
  live_rows_ += chunk.size();
}

row_t DataTable::NextRowId() const {
  if (row_groups_.empty()) return 0;
  return static_cast<row_t>((row_groups_.size() - 1) * kRowGroupCapacity + row_groups_.back()->count());
}

void DataTable::Delete(const std::vector<row_t>& row_ids) {
  for (row_t id : row_ids) {
    RowGroup& rg = *row_groups_[id / kRowGroupCapacity];
    idx_t before = rg.deleted_count();
    rg.Delete(id % kRowGroupCapacity);
    live_rows_ -= rg.deleted_count() - before;
  }
}

void DataTable::Update(const std::vector<row_t>& row_ids, idx_t column, const Vector& values) {
  for (idx_t i = 0; i < row_ids.size(); ++i) {
    row_groups_[row_ids[i] / kRowGroupCapacity]->Update(row_ids[i] % kRowGroupCapacity, column, values, i);
  }
}

Value DataTable::GetValue(row_t row, idx_t column) const {
  const RowGroup& rg = *row_groups_[row / kRowGroupCapacity];
  Vector v(types_[column], 1);
  rg.View(column, row % kRowGroupCapacity, v);
  return v.GetValue(0);
}

void DataTable::Truncate() {
  row_groups_.clear();
  live_rows_ = 0;
}

void DataTable::AddColumn(const LogicalType& type, const Value& fill) {
  types_.push_back(type);
  for (auto& rg : row_groups_) rg->AddColumn(type, fill);
}

void DataTable::DropColumn(idx_t column) {
  types_.erase(types_.begin() + column);
  for (auto& rg : row_groups_) rg->DropColumn(column);
}

size_t DataTable::MemoryUsage() const {
  size_t bytes = 0;
  for (idx_t c = 0; c < types_.size(); ++c) bytes += live_rows_ * (PhysicalSize(types_[c].id) + 1);
  return bytes;
}

}  // namespace lyt
