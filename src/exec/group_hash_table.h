// Assigns dense ids (0, 1, 2, ...) to the distinct key rows it is shown, keeping one copy of
// each distinct key. Used by GROUP BY, DISTINCT and set operations. NULLs are equal to each other
// here (grouping semantics). Not thread-safe.
#pragma once

#include <memory>
#include <vector>

#include "common/vector.h"
#include "exec/exec_context.h"

namespace lyt {

class GroupHashTable {
 public:
  static constexpr uint32_t kNoGroup = UINT32_MAX;

  GroupHashTable(std::vector<LogicalType> key_types, MemoryTracker& memory);

  // Writes the group id of each row 0..count of `keys` into group_ids, creating groups for keys
  // not seen before.
  void FindOrCreate(const std::vector<const Vector*>& keys, idx_t count, uint32_t* group_ids);
  // Like FindOrCreate but never creates: unknown keys get kNoGroup.
  void Find(const std::vector<const Vector*>& keys, idx_t count, uint32_t* group_ids) const;

  idx_t group_count() const { return group_count_; }
  // Copies the keys of groups [start, start+n) into columns 0.. of `out` (n <= kVectorSize).
  void GetKeys(idx_t start, idx_t n, DataChunk& out) const;
  void Clear();

 private:
  struct Entry {
    uint64_t hash;
    uint32_t group;
  };
  // One integer-like or one string key column: keys are compared directly, without the
  // generic per-column comparison.
  enum class KeyKind { Generic, Integer, String };
  template <bool kCreate>
  void LookupIntegers(const Vector& keys, idx_t count, uint32_t* group_ids);
  template <bool kCreate>
  void LookupStrings(const Vector& keys, idx_t count, uint32_t* group_ids);
  bool KeysEqual(const std::vector<const Vector*>& keys, idx_t row, uint32_t group) const;
  uint32_t AddGroup(const std::vector<const Vector*>& keys, idx_t row);
  void Grow();

  std::vector<LogicalType> key_types_;
  KeyKind key_kind_ = KeyKind::Generic;
  struct IntEntry {
    int64_t key;
    uint32_t group;  // kNoGroup: empty slot
  };
  std::vector<IntEntry> int_entries_;    // Integer: open addressing on the key itself
  int int_shift_ = 54;                   // 64 - log2(int_entries_.size())
  void GrowIntegers();
  std::vector<StringRef> string_keys_;   // String: key of each group (bytes in key_chunks_)
  uint32_t null_group_ = kNoGroup;       // Integer/String: the group of the NULL key
  std::vector<Entry> entries_;
  std::vector<std::unique_ptr<DataChunk>> key_chunks_;  // kVectorSize groups each
  idx_t group_count_ = 0;
  MemoryReservation reservation_;
};

}  // namespace lyt
