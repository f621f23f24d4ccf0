// Column vectors and batches: the unit every operator consumes and produces.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "common/buffer_cache.h"
#include "common/string_heap.h"
#include "lyt/types.h"
#include "lyt/value.h"

namespace lyt {

using idx_t = uint64_t;
using sel_t = uint32_t;

// Rows per batch. Operators never produce more than this many rows in one DataChunk.
inline constexpr idx_t kVectorSize = 2048;

// A list of row positions into a batch, used by filters to pass on the surviving rows without
// copying them. Owns room for kVectorSize entries.
class SelectionVector {
 public:
  SelectionVector() : data_(static_cast<sel_t*>(AllocateBuffer(kBytes))) {}
  sel_t* data() { return data_.get(); }
  const sel_t* data() const { return data_.get(); }
  sel_t& operator[](idx_t i) { return data_[i]; }
  sel_t operator[](idx_t i) const { return data_[i]; }
  // Fills 0..count-1.
  void SetIdentity(idx_t count) {
    for (idx_t i = 0; i < count; ++i) data_[i] = static_cast<sel_t>(i);
  }

 private:
  static constexpr size_t kBytes = kVectorSize * sizeof(sel_t);
  struct Free {
    void operator()(sel_t* p) const { FreeBuffer(p, kBytes); }
  };
  std::unique_ptr<sel_t[], Free> data_;
};

// One column of up to `capacity` values of a single LogicalType, with one null byte per row
// (1 = NULL). A vector either owns its buffers or references memory owned elsewhere (storage, or
// another vector); a referencing vector must be treated as read-only. String values point into
// `heap()` or into storage that outlives the vector.
//
// Owned buffers are allocated on the first write access (the non-const data(), nulls(),
// SetNull, ClearNulls, SetValue, CopyFrom, GatherRefs): a vector that only ever references
// others (a scan's or a projection's output columns) never allocates. Until then the const
// accessors see zero bytes (no NULLs), so reading an unwritten vector stays memory-safe.
class Vector {
 public:
  explicit Vector(LogicalType type, idx_t capacity = kVectorSize);
  Vector(Vector&&) noexcept = default;
  Vector& operator=(Vector&&) noexcept = default;

  const LogicalType& type() const { return type_; }
  idx_t capacity() const { return capacity_; }

  template <class T> T* data() {
    EnsureBuffer();
    return reinterpret_cast<T*>(data_);
  }
  template <class T> const T* data() const { return reinterpret_cast<const T*>(data_); }
  uint8_t* nulls() {
    EnsureBuffer();
    return nulls_;
  }
  const uint8_t* nulls() const { return nulls_; }
  bool IsNull(idx_t row) const { return nulls_[row] != 0; }
  void SetNull(idx_t row, bool is_null = true) { nulls()[row] = is_null ? 1 : 0; }
  // Marks the first `count` rows not-null.
  void ClearNulls(idx_t count) { std::memset(nulls(), 0, count); }

  // Arena for string bytes of this vector's values (created on first use, shared with vectors
  // that reference this one).
  StringHeap& heap();
  StringRef AddString(std::string_view s) { return heap().Add(s); }
  // Detaches this vector from its string arena (views taken earlier keep it alive).
  void ResetHeap() { heap_.reset(); }

  // Makes this vector a read-only view of `other`'s buffers (no copy); keeps them alive.
  void Reference(const Vector& other);
  // Makes this vector a read-only view of external memory that outlives it (storage). `nulls` may
  // be nullptr, meaning no NULLs.
  void ReferenceExternal(const void* data, const uint8_t* nulls);
  // Back to owned, writable buffers (contents undefined; allocated on the first write). Cheap.
  void MakeOwned();
  bool is_reference() const { return !owns_; }

  // Copies `count` rows from `src` (rows sel[0..count) or 0..count) when sel is null) into rows
  // dst_offset.. of this vector, copying string bytes into this vector's heap. Types must match.
  void CopyFrom(const Vector& src, const sel_t* sel, idx_t count, idx_t dst_offset);

  // Rows 0..n of this vector become src's rows sel[0..n): values and null bytes are copied, but
  // strings keep pointing at src's bytes (src's strings must outlive this vector's use).
  void GatherRefs(const Vector& src, const sel_t* sel, idx_t n);

  // Slow, per-value access for tests, constants and result printing.
  Value GetValue(idx_t row) const;
  // Sets a value; `value` must already have this vector's type (or be NULL).
  void SetValue(idx_t row, const Value& value);

 private:
  // data_ of an owned vector whose buffer is not allocated yet: zero bytes, never written.
  static const uint8_t kUnwritten[];
  void EnsureBuffer() {
    if (data_ == kUnwritten) [[unlikely]] AllocateOwned();
  }
  // Allocates (or takes back) this vector's own buffer: it becomes owned and writable.
  void AllocateOwned();

  LogicalType type_;
  idx_t capacity_;
  bool owns_ = true;
  uint8_t* data_;
  uint8_t* nulls_;
  std::shared_ptr<uint8_t[]> buffer_;       // owned values and null bytes
  std::shared_ptr<uint8_t[]> ref_buffer_;   // keeps a referenced vector's buffer alive
  std::shared_ptr<StringHeap> heap_;
};

// A batch of rows stored as one Vector per column, all of the same row count.
class DataChunk {
 public:
  DataChunk() = default;
  explicit DataChunk(const std::vector<LogicalType>& types, idx_t capacity = kVectorSize) {
    Initialize(types, capacity);
  }
  void Initialize(const std::vector<LogicalType>& types, idx_t capacity = kVectorSize);

  idx_t size() const { return size_; }
  void SetSize(idx_t n) { size_ = n; }
  idx_t capacity() const { return columns_.empty() ? kVectorSize : columns_[0].capacity(); }
  idx_t ColumnCount() const { return columns_.size(); }
  Vector& column(idx_t i) { return columns_[i]; }
  const Vector& column(idx_t i) const { return columns_[i]; }
  std::vector<Vector>& columns() { return columns_; }
  std::vector<LogicalType> Types() const;

  // Empties the batch and makes every column owned and writable again.
  void Reset();
  // Appends rows of `src` (selected by `sel`, or its first `count` rows) copying values; the
  // caller guarantees size() + count <= capacity().
  void Append(const DataChunk& src, const sel_t* sel, idx_t count);
  // This chunk becomes a view of `src`'s rows (no copy).
  void Reference(const DataChunk& src);

  Value GetValue(idx_t column, idx_t row) const { return columns_[column].GetValue(row); }
  // Approximate bytes held, for memory accounting.
  size_t MemoryUsage() const;

 private:
  std::vector<Vector> columns_;
  idx_t size_ = 0;
};

}  // namespace lyt
