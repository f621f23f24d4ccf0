// An open-addressing multimap from short keys (at most 8 bytes) to row ids: what a unique index
// over integer, date, timestamp or short text keys holds, in 16 bytes per entry instead of an
// allocated node per entry (which made rebuilding a 10-million-row index, at every recovery, take
// seconds). Linear probing with backward-shift deletion: no tombstones, so probes stay short
// after many deletes.
//
// Not thread-safe: UniqueIndex guards it.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

#include "common/large_buffer.h"
#include "storage/data_table.h"

namespace lyt {

class SmallKeyMap {
 public:
  static constexpr size_t kMaxKeySize = 8;
  static bool Fits(std::string_view key) { return key.size() <= kMaxKeySize; }

  // Calls f(row) for every entry of `key` (which must fit).
  template <typename F>
  void ForEach(std::string_view key, F&& f) const {
    if (capacity_ == 0) return;
    Slot probe = Make(key, 0);
    for (size_t i = Home(probe); slots_[i].tagged != 0; i = (i + 1) & mask()) {
      if (SameKey(slots_[i], probe)) f(RowOf(slots_[i]));
    }
  }
  bool Contains(std::string_view key) const;
  void Insert(std::string_view key, row_t row);
  // Inserts unless `key` is present already; returns whether it inserted.
  bool InsertIfAbsent(std::string_view key, row_t row);
  // Hints that `key` is about to be looked up or inserted: a bulk load (an index rebuild)
  // prefetches a batch of keys' slots first, so that their cache misses overlap.
  void Prefetch(std::string_view key) const {
    if (capacity_ != 0) __builtin_prefetch(&slots_[Home(Make(key, 0))]);
  }
  void Erase(std::string_view key, row_t row);  // one entry, if present
  void Clear();
  void Reserve(size_t entries);
  size_t size() const { return size_; }
  size_t MemoryBytes() const { return capacity_ * sizeof(Slot); }

 private:
  // `tagged` is 0 for an empty slot, else (key length + 1) << 56 | row id.
  struct Slot {
    uint64_t key;
    uint64_t tagged;
  };
  static constexpr int kTagShift = 56;

  static Slot Make(std::string_view key, row_t row) {
    Slot slot{0, (uint64_t(key.size()) + 1) << kTagShift | uint64_t(row)};
    std::memcpy(&slot.key, key.data(), key.size());
    return slot;
  }
  static bool SameKey(const Slot& a, const Slot& b) {
    return a.key == b.key && (a.tagged >> kTagShift) == (b.tagged >> kTagShift);
  }
  static row_t RowOf(const Slot& s) { return static_cast<row_t>(s.tagged & ((uint64_t(1) << kTagShift) - 1)); }
  size_t mask() const { return capacity_ - 1; }
  size_t Home(const Slot& s) const;
  void Place(const Slot& s);  // into a table with room, without growing
  bool Add(std::string_view key, row_t row, bool unique);
  void Grow(size_t capacity);

  Slot* slots_ = nullptr;  // in memory_, zero-filled (all empty) when allocated
  LargeBuffer memory_;
  size_t capacity_ = 0;  // a power of two, or 0
  size_t size_ = 0;
};

}  // namespace lyt
