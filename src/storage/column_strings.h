// The bytes of one column's string values: a table column's (storage), a hash join's build side.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/string_heap.h"

namespace lyt {

// Append-only store of a column's string bytes that keeps each distinct short value once while
// the column looks low-cardinality (country codes, statuses, categories): repeated values then
// share their bytes, so the column takes less memory, hash tables and sorts over it read a few
// cache-resident strings instead of one scattered copy per row, and equal values compare by
// pointer. A column whose values turn out mostly distinct stops interning after a trial, and
// interning also stops past a bound on distinct values, so its cost stays small either way.
// StringRefs handed out stay valid until Reset(). Not thread-safe (the table's latch guards it).
class ColumnStrings {
 public:
  StringRef Add(std::string_view s);
  // Forgets every value (TRUNCATE); earlier StringRefs dangle.
  void Reset();
  size_t bytes_allocated() const;
  bool interning() const { return interning_; }

  // Values longer than this are stored plainly: they are rarely repeated keys.
  static constexpr size_t kMaxInternedSize = 32;
  // After this many interned adds, interning stops unless at least a quarter of them found an
  // existing value.
  static constexpr size_t kTrialAdds = 4096;
  // Interning stops when this many distinct values are held.
  static constexpr size_t kMaxDistinct = 1 << 16;

 private:
  struct Slot {
    uint64_t hash = 0;
    StringRef value;  // value.data == nullptr: empty slot
  };
  StringRef Intern(std::string_view s);
  void Grow();
  void StopInterning();

  StringHeap heap_;
  std::vector<Slot> slots_;  // open addressing, power-of-two size, at most half full
  size_t distinct_ = 0;
  size_t adds_ = 0;
  size_t hits_ = 0;
  bool interning_ = true;
};

}  // namespace lyt
