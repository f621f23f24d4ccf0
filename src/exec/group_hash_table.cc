#include "exec/group_hash_table.h"

#include "exec/expr_internal.h"
#include "exec/hash.h"

namespace lyt {

GroupHashTable::GroupHashTable(std::vector<LogicalType> key_types, MemoryTracker& memory)
    : key_types_(std::move(key_types)), reservation_(memory) {
  if (key_types_.size() == 1) {
    switch (key_types_[0].id) {
      case TypeId::Boolean:
      case TypeId::SmallInt:
      case TypeId::Integer:
      case TypeId::BigInt:
      case TypeId::Date:
      case TypeId::Timestamp: key_kind_ = KeyKind::Integer; break;
      case TypeId::Varchar:
      case TypeId::Blob: key_kind_ = KeyKind::String; break;
      default: break;
    }
  }
  Clear();
}

void GroupHashTable::Clear() {
  entries_.assign(1024, Entry{0, kNoGroup});
  key_chunks_.clear();
  int_entries_.assign(key_kind_ == KeyKind::Integer ? 1024 : 0, IntEntry{0, kNoGroup});
  int_shift_ = 54;
  string_keys_.clear();
  null_group_ = kNoGroup;
  group_count_ = 0;
  reservation_.Resize(entries_.size() * sizeof(Entry));
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
    uint64_t slot = (static_cast<uint64_t>(e.key) * 0x9E3779B97F4A7C15ULL) >> int_shift_;
    while (int_entries_[slot].group != kNoGroup) slot = (slot + 1) & mask;
    int_entries_[slot] = e;
  }
}

template <bool kCreate>
void GroupHashTable::LookupIntegers(const Vector& keys, idx_t count, uint32_t* group_ids) {
  int64_t values[kVectorSize];
  switch (keys.type().id) {
    case TypeId::Boolean: for (idx_t i = 0; i < count; ++i) values[i] = keys.data<uint8_t>()[i]; break;
    case TypeId::SmallInt: for (idx_t i = 0; i < count; ++i) values[i] = keys.data<int16_t>()[i]; break;
    case TypeId::Integer:
    case TypeId::Date: for (idx_t i = 0; i < count; ++i) values[i] = keys.data<int32_t>()[i]; break;
    default: for (idx_t i = 0; i < count; ++i) values[i] = keys.data<int64_t>()[i]; break;
  }
  // Room for every row of the batch to be a new group, so the loop never grows the table.
  if constexpr (kCreate) {
    while ((group_count_ + count + 1) * 2 > int_entries_.size()) GrowIntegers();
  }
  const uint8_t* nulls = keys.nulls();
  std::vector<const Vector*> one{&keys};
  uint64_t mask = int_entries_.size() - 1;
  for (idx_t r = 0; r < count; ++r) {
    if (nulls[r]) {
      if (kCreate && null_group_ == kNoGroup) null_group_ = AddGroup(one, r);
      group_ids[r] = null_group_;
      continue;
    }
    int64_t key = values[r];
    // Fibonacci hashing: the top bits of key * 2^64/phi spread keys well, sequential ones too.
    uint64_t slot = (static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ULL) >> int_shift_;
    while (true) {
      IntEntry& e = int_entries_[slot];
      if (e.group == kNoGroup) {
        if constexpr (kCreate) {
          e.key = key;
          e.group = AddGroup(one, r);
        }
        group_ids[r] = e.group;
        break;
      }
      if (e.key == key) {
        group_ids[r] = e.group;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
}

template <bool kCreate>
void GroupHashTable::LookupStrings(const Vector& keys, idx_t count, uint32_t* group_ids) {
  uint64_t hashes[kVectorSize];
  CombineHashes(keys, count, hashes, true);
  const StringRef* values = keys.data<StringRef>();
  const uint8_t* nulls = keys.nulls();
  std::vector<const Vector*> one{&keys};
  for (idx_t r = 0; r < count; ++r) {
    if (nulls[r]) {
      if (kCreate && null_group_ == kNoGroup) {
        null_group_ = AddGroup(one, r);
        string_keys_.push_back(StringRef{});
      }
      group_ids[r] = null_group_;
      continue;
    }
    if (kCreate && (group_count_ + 1) * 2 > entries_.size()) Grow();
    uint64_t mask = entries_.size() - 1;
    uint64_t slot = hashes[r] & mask;
    while (true) {
      Entry& e = entries_[slot];
      if (e.group == kNoGroup) {
        if constexpr (kCreate) {
          e.hash = hashes[r];
          e.group = AddGroup(one, r);
          // The stored copy of the key lives in the key chunk's arena.
          const DataChunk& chunk = *key_chunks_[e.group / kVectorSize];
          string_keys_.push_back(chunk.column(0).data<StringRef>()[e.group % kVectorSize]);
          group_ids[r] = e.group;
        } else {
          group_ids[r] = kNoGroup;
        }
        break;
      }
      if (e.hash == hashes[r] && string_keys_[e.group] == values[r]) {
        group_ids[r] = e.group;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
}

void GroupHashTable::FindOrCreate(const std::vector<const Vector*>& keys, idx_t count, uint32_t* group_ids) {
  if (key_kind_ == KeyKind::Integer) return LookupIntegers<true>(*keys[0], count, group_ids);
  if (key_kind_ == KeyKind::String) return LookupStrings<true>(*keys[0], count, group_ids);
  uint64_t hashes[kVectorSize];
  for (size_t c = 0; c < keys.size(); ++c) CombineHashes(*keys[c], count, hashes, c == 0);
  if (keys.empty()) std::fill(hashes, hashes + count, 0);
  for (idx_t r = 0; r < count; ++r) {
    if ((group_count_ + 1) * 2 > entries_.size()) Grow();
    uint64_t mask = entries_.size() - 1;
    uint64_t slot = hashes[r] & mask;
    while (true) {
      Entry& e = entries_[slot];
      if (e.group == kNoGroup) {
        e.hash = hashes[r];
        e.group = AddGroup(keys, r);
        group_ids[r] = e.group;
        break;
      }
      if (e.hash == hashes[r] && KeysEqual(keys, r, e.group)) {
        group_ids[r] = e.group;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
}

void GroupHashTable::Find(const std::vector<const Vector*>& keys, idx_t count, uint32_t* group_ids) const {
  auto* self = const_cast<GroupHashTable*>(this);  // the lookups only write when creating
  if (key_kind_ == KeyKind::Integer) return self->LookupIntegers<false>(*keys[0], count, group_ids);
  if (key_kind_ == KeyKind::String) return self->LookupStrings<false>(*keys[0], count, group_ids);
  uint64_t hashes[kVectorSize];
  for (size_t c = 0; c < keys.size(); ++c) CombineHashes(*keys[c], count, hashes, c == 0);
  if (keys.empty()) std::fill(hashes, hashes + count, 0);
  uint64_t mask = entries_.size() - 1;
  for (idx_t r = 0; r < count; ++r) {
    uint64_t slot = hashes[r] & mask;
    group_ids[r] = kNoGroup;
    while (entries_[slot].group != kNoGroup) {
      const Entry& e = entries_[slot];
      if (e.hash == hashes[r] && KeysEqual(keys, r, e.group)) {
        group_ids[r] = e.group;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
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
