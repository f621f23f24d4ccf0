#include "exec/group_hash_table.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "exec/expr_internal.h"
#include "exec/hash.h"

namespace lyt {

namespace {

// Bytes of an integer-like key column's values; 0 for other types.
unsigned IntegerKeyWidth(TypeId type) {
  switch (type) {
    case TypeId::Boolean:
    case TypeId::SmallInt:
    case TypeId::Integer:
    case TypeId::Date:
    case TypeId::BigInt:
    case TypeId::Timestamp: return static_cast<unsigned>(PhysicalSize(type));
    default: return 0;
  }
}

// Calls fn with the column's values as a typed array (widened by the caller).
template <class Fn>
void WithIntegers(const Vector& v, Fn&& fn) {
  switch (IntegerKeyWidth(v.type().id)) {
    case 1: return fn(v.data<uint8_t>());
    case 2: return fn(v.data<int16_t>());
    case 4: return fn(v.data<int32_t>());
    default: return fn(v.data<int64_t>());
  }
}

// Fibonacci hashing: the top bits of key * 2^64/phi spread keys well, sequential ones too.
inline uint64_t IntegerSlot(uint64_t key, int shift) { return (key * 0x9E3779B97F4A7C15ULL) >> shift; }

// Direct indexes span at most this many slots, and at most twice the hash table's bytes.
constexpr uint64_t kMaxDirectSlots = uint64_t(1) << 24;
// The direct index FindOrCreate uses spans at most this many slots (1 MiB): it stays in cache.
constexpr uint64_t kMaxBuildingDirectSlots = uint64_t(1) << 18;

// The smallest and largest of values[0..count) (count > 0). Eight running minima and maxima over
// fixed blocks of eight: loops of a known trip count that -O2 vectorizes.
template <class T>
std::pair<int64_t, int64_t> MinMax(const T* __restrict values, idx_t count) {
  constexpr idx_t kLanes = 8;
  T lo[kLanes], hi[kLanes];
  for (idx_t j = 0; j < kLanes; ++j) lo[j] = hi[j] = values[0];
  idx_t r = 0;
  for (; r + kLanes <= count; r += kLanes) {
    for (idx_t j = 0; j < kLanes; ++j) {
      lo[j] = std::min(lo[j], values[r + j]);
      hi[j] = std::max(hi[j], values[r + j]);
    }
  }
  for (; r < count; ++r) {
    lo[0] = std::min(lo[0], values[r]);
    hi[0] = std::max(hi[0], values[r]);
  }
  return {static_cast<int64_t>(*std::min_element(lo, lo + kLanes)), static_cast<int64_t>(*std::max_element(hi, hi + kLanes))};
}

// Sign-extends a key column's bits in a packed key back to its value.
int64_t UnpackColumn(uint64_t key, unsigned shift, uint64_t mask) {
  unsigned unused = static_cast<unsigned>(std::countl_zero(mask));
  return static_cast<int64_t>(((key >> shift) & mask) << unused) >> unused;
}

}  // namespace

GroupHashTable::GroupHashTable(std::vector<LogicalType> key_types, MemoryTracker& memory)
    : key_types_(std::move(key_types)), reservation_(memory) {
  unsigned bits = 0;
  bool integers = !key_types_.empty();
  for (const auto& t : key_types_) {
    unsigned width = IntegerKeyWidth(t.id);
    if (width == 0 || bits + 8 * width > 64) {
      integers = false;
      break;
    }
    IntColumn& c = int_columns_.emplace_back();
    c.shift = bits;
    c.mask = width == 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * width)) - 1;
    bits += 8 * width;
  }
  if (integers) {
    key_kind_ = KeyKind::Integer;
  } else {
    int_columns_.clear();
    if (key_types_.size() == 1 && (key_types_[0].id == TypeId::Varchar || key_types_[0].id == TypeId::Blob)) {
      key_kind_ = KeyKind::String;
    }
  }
  Clear();
}

void GroupHashTable::Clear() {
  entries_.assign(1024, Entry{0, kNoGroup});
  generic_count_ = 0;
  key_chunks_.clear();
  int_entries_.assign(key_kind_ == KeyKind::Integer ? 1024 : 0, IntEntry{0, kNoGroup});
  int_shift_ = 54;
  for (IntColumn& c : int_columns_) {
    c.min = INT64_MAX;
    c.max = INT64_MIN;
  }
  direct_.clear();
  string_cache_pays_ = true;
  building_direct_.clear();
  building_direct_off_ = false;
  string_keys_.clear();
  null_group_ = kNoGroup;
  group_count_ = 0;
  reservation_.Resize(entries_.size() * sizeof(Entry) + int_entries_.size() * sizeof(IntEntry));
}

bool GroupHashTable::KeysEqual(const std::vector<const Vector*>& keys, idx_t row, uint32_t group) const {
  const DataChunk& chunk = *key_chunks_[group / kVectorSize];
  idx_t g = group % kVectorSize;
  for (size_t c = 0; c < keys.size(); ++c) {
    const Vector& stored = chunk.column(c);
    bool a = keys[c]->IsNull(row), b = stored.IsNull(g);
    if (a != b) return false;
    if (!a && CompareValues(*keys[c], row, stored, g) != 0) return false;
  }
  return true;
}

uint32_t GroupHashTable::AddGroup(const std::vector<const Vector*>& keys, idx_t row) {
  if (group_count_ % kVectorSize == 0) {
    key_chunks_.push_back(std::make_unique<DataChunk>(key_types_));
    reservation_.Add(key_chunks_.back()->MemoryUsage());
  }
  DataChunk& chunk = *key_chunks_.back();
  sel_t sel = static_cast<sel_t>(row);
  for (size_t c = 0; c < keys.size(); ++c) chunk.column(c).CopyFrom(*keys[c], &sel, 1, chunk.size());
  chunk.SetSize(chunk.size() + 1);
  return static_cast<uint32_t>(group_count_++);
}

void GroupHashTable::Grow() {
  std::vector<Entry> old;
  old.swap(entries_);
  entries_.assign(old.size() * 2, Entry{0, kNoGroup});
  reservation_.Add(old.size() * sizeof(Entry));
  uint64_t mask = entries_.size() - 1;
  for (const Entry& e : old) {
    if (e.group == kNoGroup) continue;
    uint64_t slot = e.hash & mask;
    while (entries_[slot].group != kNoGroup) slot = (slot + 1) & mask;
    entries_[slot] = e;
  }
}

void GroupHashTable::GrowIntegers() {
  std::vector<IntEntry> old;
  old.swap(int_entries_);
  int_entries_.assign(old.size() * 2, IntEntry{0, kNoGroup});
  --int_shift_;
  reservation_.Add(old.size() * sizeof(IntEntry));
  uint64_t mask = int_entries_.size() - 1;
  for (const IntEntry& e : old) {
    if (e.group == kNoGroup) continue;
    uint64_t slot = IntegerSlot(e.key, int_shift_);
    while (int_entries_[slot].group != kNoGroup) slot = (slot + 1) & mask;
    int_entries_[slot] = e;
  }
}

namespace {

// One key column's part of GroupHashTable::Pack; kFirst stores, later columns add to it. Plain
// parameters and __restrict, so the loop keeps them in registers.
template <bool kFirst, class T>
void PackColumn(const T* __restrict values, const uint8_t* __restrict nulls, idx_t count, uint64_t mask,
                unsigned shift, uint64_t* __restrict out, uint8_t* __restrict null_rows) {
  for (idx_t r = 0; r < count; ++r) {
    uint64_t word = (static_cast<uint64_t>(static_cast<int64_t>(values[r])) & mask) << shift;
    auto null = static_cast<uint8_t>(nulls[r] != 0);
    out[r] = kFirst ? word : out[r] | word;
    null_rows[r] = kFirst ? null : null_rows[r] | null;
  }
}

// Narrows the rows (sel[0..n), or 0..n without sel) to those whose value lies in
// [min, min + last] and, with nulls, is not NULL; returns how many, listed in out (may be sel).
template <class T>
idx_t SelectInRange(const T* __restrict values, const uint8_t* nulls, const sel_t* sel, idx_t n, uint64_t min,
                     uint64_t last, sel_t* out) {
  idx_t kept = 0;
  for (idx_t i = 0; i < n; ++i) {
    sel_t r = sel ? sel[i] : static_cast<sel_t>(i);
    out[kept] = r;
    bool in = static_cast<uint64_t>(static_cast<int64_t>(values[r])) - min <= last;
    kept += nulls ? in && !nulls[r] : in;
  }
  return kept;
}

// Adds the column's part of the key (kDirect: of the direct_ slot) of rows sel[0..n) to out[i].
template <bool kDirect, class T>
void PackSelected(const T* __restrict values, const sel_t* __restrict sel, idx_t n, uint64_t mask, unsigned shift,
                  uint64_t min, uint64_t stride, uint64_t* __restrict out) {
  for (idx_t i = 0; i < n; ++i) {
    auto v = static_cast<uint64_t>(static_cast<int64_t>(values[sel[i]]));
    out[i] += kDirect ? (v - min) * stride : (v & mask) << shift;
  }
}

// FindIntegers for one sealed column without NULLs: group_ids[r] = slots[values[r] - min], or
// the last slot (kNoGroup) for values outside [min, min + last].
template <class T>
void DirectLookup(const T* __restrict values, idx_t count, uint64_t min, uint64_t last,
                  const uint32_t* __restrict slots, uint32_t* __restrict group_ids) {
  for (idx_t r = 0; r < count; ++r) {
    uint64_t slot = static_cast<uint64_t>(static_cast<int64_t>(values[r])) - min;  // wraps below min
    group_ids[r] = slots[slot > last ? last + 1 : slot];
  }
}

// Whether any of rows 0..count is NULL (any nonzero null byte), eight bytes at a time.
bool HasNull(const Vector& v, idx_t count) {
  const uint8_t* nulls = v.nulls();
  uint64_t any = 0;
  idx_t i = 0;
  for (; i + 8 <= count; i += 8) {
    uint64_t word;
    std::memcpy(&word, nulls + i, 8);
    any |= word;
  }
  for (; i < count; ++i) any |= nulls[i];
  return any != 0;
}

}  // namespace

void GroupHashTable::Pack(const std::vector<const Vector*>& keys, idx_t count, uint64_t* out, uint8_t* null_rows) const {
  for (size_t c = 0; c < int_columns_.size(); ++c) {
    const IntColumn& col = int_columns_[c];
    const uint8_t* nulls = keys[c]->nulls();
    WithIntegers(*keys[c], [&](const auto* values) {
      if (c == 0) {
        PackColumn<true>(values, nulls, count, col.mask, col.shift, out, null_rows);
      } else {
        PackColumn<false>(values, nulls, count, col.mask, col.shift, out, null_rows);
      }
    });
  }
}

inline uint64_t GroupHashTable::IntegerSlotOf(uint64_t key) const {
  uint64_t mask = int_entries_.size() - 1;
  uint64_t slot = IntegerSlot(key, int_shift_);
  const IntEntry* entries = int_entries_.data();
  while (entries[slot].group != kNoGroup && entries[slot].key != key) slot = (slot + 1) & mask;
  return slot;
}

uint32_t GroupHashTable::AddIntegerGroup(uint64_t key, const std::vector<const Vector*>& keys, idx_t row) {
  for (IntColumn& col : int_columns_) {
    int64_t v = UnpackColumn(key, col.shift, col.mask);
    col.min = std::min(col.min, v);
    col.max = std::max(col.max, v);
  }
  return AddGroup(keys, row);
}

void GroupHashTable::FindOrCreateIntegers(const std::vector<const Vector*>& keys, idx_t count, uint32_t* group_ids) {
  // Room for every row of the batch to be a new group, so the loop never grows the table.
  while ((group_count_ + count + 1) * 2 > int_entries_.size()) GrowIntegers();
  direct_.clear();
  bool any_null = false;
  for (const Vector* k : keys) any_null |= HasNull(*k, count);
  uint64_t hashes[kVectorSize];
  if (any_null) {
    for (size_t c = 0; c < keys.size(); ++c) CombineHashes(*keys[c], count, hashes, c == 0);
  }
  // key_of(r): row r's packed key; null_rows[r]: whether it has a NULL.
  auto lookup = [&](auto key_of, const uint8_t* null_rows) {
    for (idx_t r = 0; r < count; ++r) {
      if (any_null && null_rows[r]) {
        group_ids[r] = LookupGeneric<true>(keys, r, hashes[r]);
        continue;
      }
      uint64_t key = key_of(r);
      IntEntry& e = int_entries_[IntegerSlotOf(key)];
      if (e.group == kNoGroup) e = IntEntry{key, AddIntegerGroup(key, keys, r)};
      group_ids[r] = e.group;
    }
  };
  if (int_columns_.size() == 1) {
    if (!any_null && FindOrCreateDirect(keys, count, group_ids)) return;
    // One column is its own packed key (Pack without the extra pass).
    uint64_t mask = int_columns_[0].mask;
    WithIntegers(*keys[0], [&](const auto* values) {
      lookup([values, mask](idx_t r) { return static_cast<uint64_t>(static_cast<int64_t>(values[r])) & mask; },
             keys[0]->nulls());
    });
    return;
  }
  uint64_t packed[kVectorSize];
  uint8_t null_rows[kVectorSize];
  Pack(keys, count, packed, null_rows);
  lookup([&packed](idx_t r) { return packed[r]; }, null_rows);
}

bool GroupHashTable::FindOrCreateDirect(const std::vector<const Vector*>& keys, idx_t count, uint32_t* group_ids) {
  if (building_direct_off_ || count == 0) return false;
  bool done = false;
  WithIntegers(*keys[0], [&](const auto* values) {
    auto [lo, hi] = MinMax(values, count);
    if (!CoverDirect(lo, hi)) return;
    uint64_t mask = int_columns_[0].mask;
    auto base = static_cast<uint64_t>(building_base_);
    uint32_t* slots = building_direct_.data();
    for (idx_t r = 0; r < count; ++r) {
      auto v = static_cast<uint64_t>(static_cast<int64_t>(values[r]));
      uint32_t& group = slots[v - base];
      if (group == kNoGroup) {
        uint64_t key = v & mask;
        IntEntry& e = int_entries_[IntegerSlotOf(key)];
        if (e.group == kNoGroup) e = IntEntry{key, AddIntegerGroup(key, keys, r)};
        group = e.group;
      }
      group_ids[r] = group;
    }
    done = true;
  });
  return done;
}

bool GroupHashTable::CoverDirect(int64_t lo, int64_t hi) {
  bool any = !building_direct_.empty();
  int64_t top = building_base_ + static_cast<int64_t>(building_direct_.size()) - 1;
  if (any && lo >= building_base_ && hi <= top) return true;
  const IntColumn& col = int_columns_[0];
  if (group_count_ > generic_count_) {  // the keys already grouped must stay covered
    lo = std::min(lo, col.min);
    hi = std::max(hi, col.max);
  }
  uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (span >= kMaxBuildingDirectSlots) {
    building_direct_off_ = true;
    std::vector<uint32_t>().swap(building_direct_);
    return false;
  }
  // Keys arriving in order (a build side sorted by its key) widen the range batch after batch:
  // at least doubling it, towards where it grew, keeps the rebuilds few.
  uint64_t wanted = std::min<uint64_t>(kMaxBuildingDirectSlots, 2 * building_direct_.size()) - 1;
  if (any && span < wanted) {
    if (lo < building_base_ && static_cast<uint64_t>(hi) - static_cast<uint64_t>(INT64_MIN) >= wanted) {
      lo = static_cast<int64_t>(static_cast<uint64_t>(hi) - wanted);
    } else if (lo >= building_base_ && static_cast<uint64_t>(INT64_MAX) - static_cast<uint64_t>(lo) >= wanted) {
      hi = static_cast<int64_t>(static_cast<uint64_t>(lo) + wanted);
    }
    span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  }
  reservation_.Add((span + 1 - building_direct_.size()) * sizeof(uint32_t));  // the new range holds the old
  building_direct_.assign(span + 1, kNoGroup);
  building_base_ = lo;
  for (const IntEntry& e : int_entries_) {
    if (e.group == kNoGroup) continue;
    building_direct_[static_cast<uint64_t>(UnpackColumn(e.key, col.shift, col.mask)) - static_cast<uint64_t>(lo)] = e.group;
  }
  return true;
}

void GroupHashTable::FindIntegers(const std::vector<const Vector*>& keys, idx_t count, uint32_t* group_ids) const {
  auto* self = const_cast<GroupHashTable*>(this);  // the lookups only write when creating
  bool any_null = false;
  for (const Vector* k : keys) any_null |= HasNull(*k, count);
  if (!any_null && !direct_.empty() && int_columns_.size() == 1) {
    // One column: its value less the minimum is the slot.
    auto min = static_cast<uint64_t>(int_columns_[0].min);
    uint64_t last = direct_.size() - 2;  // the largest slot of a key; the one after is kNoGroup
    WithIntegers(*keys[0], [&](const auto* values) { DirectLookup(values, count, min, last, direct_.data(), group_ids); });
    return;
  }
  // Only rows without a NULL whose every column lies within the range of the keys can find a
  // packed key: select them column by column, then pack and look up just those.
  sel_t sel[kVectorSize];
  idx_t n = count;
  for (size_t c = 0; c < int_columns_.size() && n > 0; ++c) {
    auto min = static_cast<uint64_t>(int_columns_[c].min);
    uint64_t last = static_cast<uint64_t>(int_columns_[c].max) - min;
    const uint8_t* nulls = any_null ? keys[c]->nulls() : nullptr;
    WithIntegers(*keys[c], [&](const auto* values) {
      n = SelectInRange(values, nulls, c == 0 ? nullptr : sel, n, min, last, sel);
    });
  }
  std::fill(group_ids, group_ids + count, kNoGroup);
  uint64_t words[kVectorSize];
  std::fill(words, words + n, 0);
  bool direct = !direct_.empty();
  for (size_t c = 0; c < int_columns_.size(); ++c) {
    const IntColumn& col = int_columns_[c];
    auto min = static_cast<uint64_t>(col.min);
    WithIntegers(*keys[c], [&](const auto* values) {
      if (direct) {
        PackSelected<true>(values, sel, n, col.mask, col.shift, min, col.stride, words);
      } else {
        PackSelected<false>(values, sel, n, col.mask, col.shift, min, col.stride, words);
      }
    });
  }
  if (direct) {
    for (idx_t i = 0; i < n; ++i) group_ids[sel[i]] = direct_[words[i]];
  } else {
    for (idx_t i = 0; i < n; ++i) group_ids[sel[i]] = int_entries_[IntegerSlotOf(words[i])].group;
  }
  if (!any_null) return;
  // Keys with a NULL live in the generic table.
  uint64_t hashes[kVectorSize];
  for (size_t c = 0; c < keys.size(); ++c) CombineHashes(*keys[c], count, hashes, c == 0);
  for (idx_t r = 0; r < count; ++r) {
    bool null = false;
    for (const Vector* k : keys) null |= k->IsNull(r);
    if (null) group_ids[r] = self->LookupGeneric<false>(keys, r, hashes[r]);
  }
}

void GroupHashTable::Seal() {
  direct_.clear();
  if (key_kind_ != KeyKind::Integer || group_count_ == generic_count_) return;
  uint64_t slots = 1;
  uint64_t limit = std::min<uint64_t>(kMaxDirectSlots, int_entries_.size() * sizeof(IntEntry) * 2 / sizeof(uint32_t));
  for (IntColumn& col : int_columns_) {
    uint64_t span = static_cast<uint64_t>(col.max) - static_cast<uint64_t>(col.min) + 1;  // 0: all 2^64 values
    if (span == 0 || span > limit || slots * span > limit) return;
    col.stride = slots;
    slots *= span;
  }
  reservation_.Add((slots + 1) * sizeof(uint32_t));
  direct_.assign(slots + 1, kNoGroup);  // + the slot for rows that skip the lookup
  for (const IntEntry& e : int_entries_) {
    if (e.group == kNoGroup) continue;
    uint64_t index = 0;
    for (const IntColumn& col : int_columns_) {
      int64_t v = UnpackColumn(e.key, col.shift, col.mask);
      index += (static_cast<uint64_t>(v) - static_cast<uint64_t>(col.min)) * col.stride;
    }
    direct_[index] = e.group;
  }
}

namespace {

// Within one batch, every StringRef points at bytes that stay put until the batch is done, so a
// pointer seen twice in it is the same string. Rows of a low-cardinality column (whose values
// storage interns, so equal values share one pointer) then skip hashing and probing.
class BatchStringCache {
 public:
  // The cached group of `s`, or null.
  const uint32_t* Find(const StringRef& s) const {
    const Slot& slot = slots_[SlotOf(s)];
    return s.data != nullptr && slot.data == s.data && slot.size == s.size ? &slot.group : nullptr;
  }
  void Put(const StringRef& s, uint32_t group) { slots_[SlotOf(s)] = Slot{s.data, s.size, group}; }

 private:
  struct Slot {
    const char* data = nullptr;
    uint32_t size = 0;
    uint32_t group = 0;
  };
  static size_t SlotOf(const StringRef& s) { return (reinterpret_cast<uintptr_t>(s.data) * 0x9E3779B97F4A7C15ULL) >> 56; }
  std::array<Slot, 256> slots_{};
};

}  // namespace

template <bool kCreate>
[[gnu::always_inline]] inline uint32_t GroupHashTable::LookupString(const Vector& keys, idx_t row, uint64_t hash) {
  if (kCreate && (generic_count_ + 1) * 2 > entries_.size()) Grow();
  const StringRef& value = keys.data<StringRef>()[row];
  uint64_t mask = entries_.size() - 1;
  for (uint64_t slot = hash & mask;; slot = (slot + 1) & mask) {
    Entry& e = entries_[slot];
    if (e.group == kNoGroup) {
      if constexpr (!kCreate) return kNoGroup;
      e.hash = hash;
      e.group = AddGroup({&keys}, row);
      ++generic_count_;
      // The stored copy of the key lives in the key chunk's arena.
      const DataChunk& chunk = *key_chunks_[e.group / kVectorSize];
      string_keys_.push_back(chunk.column(0).data<StringRef>()[e.group % kVectorSize]);
      return e.group;
    }
    if (e.hash == hash && string_keys_[e.group] == value) return e.group;
  }
}

template <bool kCreate>
uint32_t GroupHashTable::NullStringGroup(const Vector& keys, idx_t row) {
  if (kCreate && null_group_ == kNoGroup) {
    null_group_ = AddGroup({&keys}, row);
    string_keys_.push_back(StringRef{});
  }
  return null_group_;
}

template <bool kCreate>
void GroupHashTable::LookupStrings(const Vector& keys, idx_t count, uint32_t* group_ids) {
  const StringRef* values = keys.data<StringRef>();
  const uint8_t* nulls = keys.nulls();
  // The pointer cache pays when few rows of a batch bring a pointer it has not seen (interned
  // low-cardinality values); otherwise hashing the batch in one pass, which overlaps the loads of
  // many strings, is faster. Each batch follows what the last cached one found; every 16th
  // batch without the cache tries it again.
  if (string_cache_pays_ || ++string_batches_ % 16 == 0) {
    BatchStringCache cache;
    idx_t missed = 0;
    for (idx_t r = 0; r < count; ++r) {
      if (nulls[r]) {
        group_ids[r] = NullStringGroup<kCreate>(keys, r);
      } else if (const uint32_t* cached = cache.Find(values[r])) {
        group_ids[r] = *cached;
      } else {
        group_ids[r] = LookupString<kCreate>(keys, r, HashBytes(values[r].data, values[r].size));
        cache.Put(values[r], group_ids[r]);
        ++missed;
      }
    }
    string_cache_pays_ = missed <= std::max<idx_t>(count / 4, 64);
    return;
  }
  uint64_t hashes[kVectorSize];
  CombineHashes(keys, count, hashes, true);
  for (idx_t r = 0; r < count; ++r) {
    group_ids[r] = nulls[r] ? NullStringGroup<kCreate>(keys, r) : LookupString<kCreate>(keys, r, hashes[r]);
  }
}

template <bool kCreate>
uint32_t GroupHashTable::LookupGeneric(const std::vector<const Vector*>& keys, idx_t row, uint64_t hash) {
  if (kCreate && (generic_count_ + 1) * 2 > entries_.size()) Grow();
  uint64_t mask = entries_.size() - 1;
  for (uint64_t slot = hash & mask;; slot = (slot + 1) & mask) {
    Entry& e = entries_[slot];
    if (e.group == kNoGroup) {
      if constexpr (kCreate) {
        e.hash = hash;
        e.group = AddGroup(keys, row);
        ++generic_count_;
      }
      return e.group;
    }
    if (e.hash == hash && KeysEqual(keys, row, e.group)) return e.group;
  }
}

void GroupHashTable::FindOrCreate(const std::vector<const Vector*>& keys, idx_t count, uint32_t* group_ids) {
  if (key_kind_ == KeyKind::Integer) return FindOrCreateIntegers(keys, count, group_ids);
  if (key_kind_ == KeyKind::String) return LookupStrings<true>(*keys[0], count, group_ids);
  uint64_t hashes[kVectorSize];
  for (size_t c = 0; c < keys.size(); ++c) CombineHashes(*keys[c], count, hashes, c == 0);
  if (keys.empty()) std::fill(hashes, hashes + count, 0);
  for (idx_t r = 0; r < count; ++r) group_ids[r] = LookupGeneric<true>(keys, r, hashes[r]);
}

void GroupHashTable::Find(const std::vector<const Vector*>& keys, idx_t count, uint32_t* group_ids) const {
  if (key_kind_ == KeyKind::Integer) return FindIntegers(keys, count, group_ids);
  auto* self = const_cast<GroupHashTable*>(this);  // the lookups only write when creating
  if (key_kind_ == KeyKind::String) return self->LookupStrings<false>(*keys[0], count, group_ids);
  uint64_t hashes[kVectorSize];
  for (size_t c = 0; c < keys.size(); ++c) CombineHashes(*keys[c], count, hashes, c == 0);
  if (keys.empty()) std::fill(hashes, hashes + count, 0);
  for (idx_t r = 0; r < count; ++r) group_ids[r] = self->LookupGeneric<false>(keys, r, hashes[r]);
}

void GroupHashTable::GetKeys(idx_t start, idx_t n, DataChunk& out) const {
  idx_t done = 0;
  while (done < n) {
    idx_t g = start + done;
    const DataChunk& chunk = *key_chunks_[g / kVectorSize];
    idx_t offset = g % kVectorSize;
    idx_t take = std::min<idx_t>(n - done, chunk.size() - offset);
    sel_t sel[kVectorSize];
    for (idx_t i = 0; i < take; ++i) sel[i] = static_cast<sel_t>(offset + i);
    for (size_t c = 0; c < key_types_.size(); ++c) out.column(c).CopyFrom(chunk.column(c), sel, take, done);
    done += take;
  }
}

}  // namespace lyt
