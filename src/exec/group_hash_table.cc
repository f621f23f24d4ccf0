#include "exec/group_hash_table.h"

#include "exec/expr_internal.h"
#include "exec/hash.h"

namespace lyt {

GroupHashTable::GroupHashTable(std::vector<LogicalType> key_types, MemoryTracker& memory)
    : key_types_(std::move(key_types)), reservation_(memory) {
  Clear();
}

void GroupHashTable::Clear() {
  entries_.assign(1024, Entry{0, kNoGroup});
  key_chunks_.clear();
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

void GroupHashTable::FindOrCreate(const std::vector<const Vector*>& keys, idx_t count, uint32_t* group_ids) {
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
