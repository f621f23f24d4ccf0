#include "storage/small_key_map.h"

#include <bit>
#include <utility>

#include "common/error.h"

namespace lyt {

size_t SmallKeyMap::Home(const Slot& s) const {
  // A 64-bit finalizer (splitmix64): sequential ids spread over the whole table.
  uint64_t h = s.key ^ ((s.tagged >> kTagShift) * 0x9e3779b97f4a7c15ull);
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  h ^= h >> 31;
  return static_cast<size_t>(h) & mask();
}

bool SmallKeyMap::Contains(std::string_view key) const {
  bool found = false;
  ForEach(key, [&](row_t) { found = true; });
  return found;
}

void SmallKeyMap::Place(const Slot& s) {
  size_t i = Home(s);
  while (slots_[i].tagged != 0) i = (i + 1) & mask();
  slots_[i] = s;
}

void SmallKeyMap::Grow(size_t capacity) {
  LargeBuffer old_memory = std::exchange(memory_, LargeBuffer(capacity * sizeof(Slot)));
  Slot* old = std::exchange(slots_, reinterpret_cast<Slot*>(memory_.data()));
  size_t old_capacity = capacity_;
  capacity_ = capacity;
  for (size_t i = 0; i < old_capacity; ++i) {
    if (old[i].tagged != 0) Place(old[i]);
  }
}

void SmallKeyMap::Reserve(size_t entries) {
  // At most 3/4 full.
  size_t needed = std::bit_ceil(std::max<size_t>(16, entries + entries / 3 + 1));
  if (needed > capacity_) Grow(needed);
}

void SmallKeyMap::Insert(std::string_view key, row_t row) { (void)Add(key, row, false); }

bool SmallKeyMap::InsertIfAbsent(std::string_view key, row_t row) { return Add(key, row, true); }

// One probe run: to the first empty slot, which takes the entry, unless `unique` and an entry
// of the same key comes first.
bool SmallKeyMap::Add(std::string_view key, row_t row, bool unique) {
  if (row < 0 || uint64_t(row) >> kTagShift != 0) throw Error(sqlstate::kInternalError, "row id out of the index's range");
  if ((size_ + 1) * 4 > capacity_ * 3) Grow(std::max<size_t>(16, capacity_ * 2));
  Slot slot = Make(key, row);
  size_t i = Home(slot);
  for (; slots_[i].tagged != 0; i = (i + 1) & mask()) {
    if (unique && SameKey(slots_[i], slot)) return false;
  }
  slots_[i] = slot;
  ++size_;
  return true;
}

void SmallKeyMap::Erase(std::string_view key, row_t row) {
  if (capacity_ == 0) return;
  Slot target = Make(key, row);
  size_t i = Home(target);
  while (slots_[i].tagged != target.tagged || slots_[i].key != target.key) {
    if (slots_[i].tagged == 0) return;
    i = (i + 1) & mask();
  }
  // Backward shift: pull later entries of the probe run into the hole when their home allows,
  // so that every entry stays reachable from its home without crossing an empty slot.
  for (size_t j = (i + 1) & mask(); slots_[j].tagged != 0; j = (j + 1) & mask()) {
    size_t home = Home(slots_[j]);
    bool home_in_hole_to_j = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (home_in_hole_to_j) continue;
    slots_[i] = slots_[j];
    i = j;
  }
  slots_[i].tagged = 0;
  --size_;
}

void SmallKeyMap::Clear() {
  memory_ = LargeBuffer();
  slots_ = nullptr;
  capacity_ = 0;
  size_ = 0;
}

}  // namespace lyt
