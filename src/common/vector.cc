#include "common/vector.h"

#include "common/buffer_cache.h"
#include "common/error.h"

namespace lyt {

namespace {
// Shared all-zero null bytes for views of storage columns that hold no NULLs (and for vectors
// not written yet).
alignas(64) const uint8_t kNoNulls[kVectorSize] = {};
}  // namespace

// Room for a batch of the widest values.
alignas(64) const uint8_t Vector::kUnwritten[kVectorSize * sizeof(Interval)] = {};

Vector::Vector(LogicalType type, idx_t capacity)
    : type_(type),
      capacity_(capacity),
      data_(const_cast<uint8_t*>(kUnwritten)),
      nulls_(const_cast<uint8_t*>(kNoNulls)) {}

void Vector::MakeOwned() {
  if (owns_) return;
  ref_buffer_.reset();
  owns_ = true;
  if (buffer_) {
    data_ = buffer_.get();
    nulls_ = data_ + capacity_ * PhysicalSize(type_.id);
  } else {
    data_ = const_cast<uint8_t*>(kUnwritten);
    nulls_ = const_cast<uint8_t*>(kNoNulls);
  }
}

void Vector::AllocateOwned() {
  if (!buffer_) {
    size_t width = PhysicalSize(type_.id);
    // Values first (8-byte aligned by the allocator), then one null byte per row.
    buffer_ = std::allocate_shared_for_overwrite<uint8_t[]>(CachedBufferAllocator<uint8_t>(), capacity_ * width + capacity_);
  }
  data_ = buffer_.get();
  nulls_ = data_ + capacity_ * PhysicalSize(type_.id);
  ref_buffer_.reset();
  owns_ = true;
}

StringHeap& Vector::heap() {
  if (!heap_) heap_ = std::make_shared<StringHeap>();
  return *heap_;
}

void Vector::Reference(const Vector& other) {
  type_ = other.type_;
  data_ = other.data_;
  nulls_ = other.nulls_;
  ref_buffer_ = other.owns_ ? other.buffer_ : other.ref_buffer_;
  heap_ = other.heap_;
  owns_ = false;
}

void Vector::ReferenceExternal(const void* data, const uint8_t* nulls) {
  data_ = static_cast<uint8_t*>(const_cast<void*>(data));
  nulls_ = const_cast<uint8_t*>(nulls ? nulls : kNoNulls);
  ref_buffer_.reset();
  owns_ = false;
}

template <class T>
static void CopyFixed(const Vector& src, Vector& dst, const sel_t* sel, idx_t count, idx_t offset) {
  const T* in = src.data<T>();
  T* out = dst.data<T>() + offset;
  const uint8_t* in_nulls = src.nulls();
  uint8_t* out_nulls = dst.nulls() + offset;
  if (sel) {
    for (idx_t i = 0; i < count; ++i) {
      out[i] = in[sel[i]];
      out_nulls[i] = in_nulls[sel[i]];
    }
  } else {
    std::memcpy(out, in, count * sizeof(T));
    std::memcpy(out_nulls, in_nulls, count);
  }
}

// __restrict: the stores of null bytes (uint8_t aliases anything) must not force reloads.
template <class T>
static void GatherArrays(const T* __restrict in, const uint8_t* __restrict in_nulls, const sel_t* __restrict sel,
                         idx_t n, T* __restrict out, uint8_t* __restrict out_nulls) {
  for (idx_t i = 0; i < n; ++i) {
    sel_t row = sel[i];
    out[i] = in[row];
    out_nulls[i] = in_nulls[row];
  }
}

template <class T>
static void GatherTyped(const Vector& src, const sel_t* sel, idx_t n, Vector& dst) {
  GatherArrays(src.data<T>(), src.nulls(), sel, n, dst.data<T>(), dst.nulls());
}

void Vector::GatherRefs(const Vector& src, const sel_t* sel, idx_t n) {
  MakeOwned();
  EnsureBuffer();
  switch (type_.IsString() ? 0 : PhysicalSize(type_.id)) {
    case 1: return GatherTyped<uint8_t>(src, sel, n, *this);
    case 2: return GatherTyped<int16_t>(src, sel, n, *this);
    case 4: return GatherTyped<int32_t>(src, sel, n, *this);
    case 8: return GatherTyped<int64_t>(src, sel, n, *this);
    case 16: return GatherTyped<Interval>(src, sel, n, *this);
    default:
      heap_ = src.heap_;  // keep src's string arena alive while we point into it
      return GatherTyped<StringRef>(src, sel, n, *this);
  }
}

void Vector::CopyFrom(const Vector& src, const sel_t* sel, idx_t count, idx_t dst_offset) {
  MakeOwned();
  EnsureBuffer();
  switch (type_.IsString() ? 0 : PhysicalSize(type_.id)) {
    case 1: CopyFixed<uint8_t>(src, *this, sel, count, dst_offset); break;
    case 2: CopyFixed<int16_t>(src, *this, sel, count, dst_offset); break;
    case 4: CopyFixed<int32_t>(src, *this, sel, count, dst_offset); break;
    case 8: CopyFixed<int64_t>(src, *this, sel, count, dst_offset); break;
    case 16: CopyFixed<Interval>(src, *this, sel, count, dst_offset); break;
    default: {
      const StringRef* in = src.data<StringRef>();
      StringRef* out = data<StringRef>() + dst_offset;
      StringHeap& h = heap();
      for (idx_t i = 0; i < count; ++i) {
        idx_t r = sel ? sel[i] : i;
        bool null = src.nulls()[r] != 0;
        nulls_[dst_offset + i] = null;
        out[i] = null ? StringRef{} : h.Add(in[r].view());
      }
    }
  }
}

Value Vector::GetValue(idx_t row) const {
  if (IsNull(row)) return Value::Null(type_);
  switch (type_.id) {
    case TypeId::Null: return Value();
    case TypeId::Boolean: return Value::Boolean(data<uint8_t>()[row] != 0);
    case TypeId::SmallInt: return Value::SmallInt(data<int16_t>()[row]);
    case TypeId::Integer: return Value::Integer(data<int32_t>()[row]);
    case TypeId::BigInt: return Value::BigInt(data<int64_t>()[row]);
    case TypeId::Real: return Value::Real(data<float>()[row]);
    case TypeId::Double: return Value::Double(data<double>()[row]);
    case TypeId::Varchar: return Value::Varchar(std::string(data<StringRef>()[row].view()));
    case TypeId::Blob: return Value::Blob(std::string(data<StringRef>()[row].view()));
    case TypeId::Date: return Value::Date(data<int32_t>()[row]);
    case TypeId::Timestamp: return Value::Timestamp(data<int64_t>()[row]);
    case TypeId::Interval: return Value::Interval(data<Interval>()[row]);
  }
  return Value();
}

void Vector::SetValue(idx_t row, const Value& value) {
  EnsureBuffer();
  if (value.is_null() || type_.id == TypeId::Null) {
    nulls_[row] = 1;
    return;
  }
  nulls_[row] = 0;
  switch (type_.id) {
    case TypeId::Null: break;
    case TypeId::Boolean: data<uint8_t>()[row] = value.AsInt64() != 0; break;
    case TypeId::SmallInt: data<int16_t>()[row] = static_cast<int16_t>(value.AsInt64()); break;
    case TypeId::Integer:
    case TypeId::Date: data<int32_t>()[row] = static_cast<int32_t>(value.AsInt64()); break;
    case TypeId::BigInt:
    case TypeId::Timestamp: data<int64_t>()[row] = value.AsInt64(); break;
    case TypeId::Interval: data<Interval>()[row] = value.AsInterval(); break;
    case TypeId::Real: data<float>()[row] = static_cast<float>(value.AsDouble()); break;
    case TypeId::Double: data<double>()[row] = value.AsDouble(); break;
    case TypeId::Varchar:
    case TypeId::Blob: data<StringRef>()[row] = AddString(value.AsString()); break;
  }
}

void DataChunk::Initialize(const std::vector<LogicalType>& types, idx_t capacity) {
  columns_.clear();
  columns_.reserve(types.size());
  for (const auto& t : types) columns_.emplace_back(t, capacity);
  size_ = 0;
}

std::vector<LogicalType> DataChunk::Types() const {
  std::vector<LogicalType> types;
  for (const auto& c : columns_) types.push_back(c.type());
  return types;
}

void DataChunk::Reset() {
  for (auto& c : columns_) {
    c.MakeOwned();
    c.ResetHeap();
  }
  size_ = 0;
}

void DataChunk::Append(const DataChunk& src, const sel_t* sel, idx_t count) {
  for (idx_t c = 0; c < columns_.size(); ++c) columns_[c].CopyFrom(src.column(c), sel, count, size_);
  size_ += count;
}

void DataChunk::Reference(const DataChunk& src) {
  if (columns_.size() != src.ColumnCount()) Initialize(src.Types());
  for (idx_t c = 0; c < columns_.size(); ++c) columns_[c].Reference(src.column(c));
  size_ = src.size();
}

size_t DataChunk::MemoryUsage() const {
  size_t bytes = 0;
  for (const auto& c : columns_) bytes += c.capacity() * (PhysicalSize(c.type().id) + 1);
  return bytes;
}

}  // namespace lyt
