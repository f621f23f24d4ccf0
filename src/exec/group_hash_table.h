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
  // Call when the groups are complete and many Finds follow (a join's build side): when the
  // integer keys span a small range, Find then reads group ids from an array indexed by the key
  // instead of probing. A later FindOrCreate drops the array.
  void Seal();

  idx_t group_count() const { return group_count_; }
  // Copies the keys of groups [start, start+n) into columns 0.. of `out` (n <= kVectorSize).
  void GetKeys(idx_t start, idx_t n, DataChunk& out) const;
  void Clear();

 private:
  struct Entry {
    uint64_t hash;
    uint32_t group;
  };
  // Integer: integer-like key columns whose widths add up to at most 8 bytes, packed into one
  // 64-bit word per row (Pack); rows with a NULL key go through the generic table. String: one
  // string column, compared directly. Generic: anything else, hashed and compared per column.
  enum class KeyKind { Generic, Integer, String };
  struct IntColumn {
    unsigned shift = 0;           // the column's bits in the packed word: [shift, shift + bits)
    uint64_t mask = 0;            // (1 << bits) - 1
    int64_t min = INT64_MAX;      // the range of the column's non-NULL keys so far; Find rejects
    int64_t max = INT64_MIN;      // rows outside it without probing
    uint64_t stride = 0;          // Seal: the column's weight in the direct index
  };
  struct IntEntry {
    uint64_t key;
    uint32_t group;  // kNoGroup: empty slot
  };
  // Packs each row 0..count of the key columns into its key in `out`; null_rows[r] = 1 when the
  // row has a NULL key.
  void Pack(const std::vector<const Vector*>& keys, idx_t count, uint64_t* out, uint8_t* null_rows) const;
  // The slot of `key` in int_entries_, or the empty slot where it would go.
  uint64_t IntegerSlotOf(uint64_t key) const;
  // A new group for the packed `key` (row `row` of keys); widens the column ranges.
  uint32_t AddIntegerGroup(uint64_t key, const std::vector<const Vector*>& keys, idx_t row);
  void FindOrCreateIntegers(const std::vector<const Vector*>& keys, idx_t count, uint32_t* group_ids);
  // FindOrCreateIntegers for one key column without NULLs in the batch, through building_direct_;
  // false (nothing done) when the keys spread too wide for it.
  bool FindOrCreateDirect(const std::vector<const Vector*>& keys, idx_t count, uint32_t* group_ids);
  // Makes building_direct_ cover [lo, hi] and the keys so far; false when that is too wide.
  bool CoverDirect(int64_t lo, int64_t hi);
  void FindIntegers(const std::vector<const Vector*>& keys, idx_t count, uint32_t* group_ids) const;
  template <bool kCreate>
  void LookupStrings(const Vector& keys, idx_t count, uint32_t* group_ids);
  // The group of the NULL string key (row `row` of keys is NULL).
  template <bool kCreate>
  uint32_t NullStringGroup(const Vector& keys, idx_t row);
  // The group of row `row` of a string key column (not NULL) whose hash is `hash`.
  template <bool kCreate>
  uint32_t LookupString(const Vector& keys, idx_t row, uint64_t hash);
  // The generic table, one row at a time.
  template <bool kCreate>
  uint32_t LookupGeneric(const std::vector<const Vector*>& keys, idx_t row, uint64_t hash);
  bool KeysEqual(const std::vector<const Vector*>& keys, idx_t row, uint32_t group) const;
  uint32_t AddGroup(const std::vector<const Vector*>& keys, idx_t row);
  void Grow();
  void GrowIntegers();

  std::vector<LogicalType> key_types_;
  KeyKind key_kind_ = KeyKind::Generic;
  std::vector<IntColumn> int_columns_;
  std::vector<IntEntry> int_entries_;    // Integer: open addressing on the packed key
  int int_shift_ = 54;                   // 64 - log2(int_entries_.size())
  std::vector<uint32_t> direct_;         // Seal: group id per direct index (kNoGroup: none)
  // One integer key column: while its keys span few values, the group id of key k is
  // building_direct_[k - building_base_] (kNoGroup: not seen), kept in step with int_entries_,
  // so FindOrCreate reads one array slot per row instead of probing.
  std::vector<uint32_t> building_direct_;
  int64_t building_base_ = 0;
  bool building_direct_off_ = false;     // the keys spread too wide: the hash table only
  std::vector<StringRef> string_keys_;   // String: key of each group (bytes in key_chunks_)
  uint32_t null_group_ = kNoGroup;       // String: the group of the NULL key
  bool string_cache_pays_ = true;        // String: most rows of the last cached batch hit
  uint64_t string_batches_ = 0;          // String: batches looked up without the cache
  std::vector<Entry> entries_;           // Generic (and Integer rows with a NULL key), String
  idx_t generic_count_ = 0;              // groups in entries_
  std::vector<std::unique_ptr<DataChunk>> key_chunks_;  // kVectorSize groups each
  idx_t group_count_ = 0;
  MemoryReservation reservation_;
};

}  // namespace lyt
