#include "kv/keyspace.h"

#include <algorithm>

namespace lyt::kv {

namespace {

uint64_t NextRandom(uint64_t& state) {
  // splitmix64: enough for picking keys, no need for a secure source.
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

Keyspace::~Keyspace() { Clear(); }

void Keyspace::Insert(Entry* entry) {
  table_.Insert(entry);
  entry_bytes_ += EntryBytes(entry);
  if (entry->has_ttl()) IndexTtl(entry);
}

void Keyspace::Delete(Entry* entry) {
  if (entry->has_ttl()) UnindexTtl(entry);
  table_.Remove(entry->key());
  entry_bytes_ -= EntryBytes(entry);
  FreeEntry(entry);
}

void Keyspace::Replace(Entry* old, Entry* fresh) {
  if (old->has_ttl()) UnindexTtl(old);
  table_.Replace(old, fresh);
  if (fresh->has_ttl()) IndexTtl(fresh);
  entry_bytes_ = entry_bytes_ - EntryBytes(old) + EntryBytes(fresh);
  FreeEntry(old);
}

Entry* Keyspace::SetExpiry(Entry* entry, int64_t expire_at_ms) {
  if (entry->has_ttl() && expire_at_ms != 0) {
    entry->set_expire_at(expire_at_ms);
    return entry;
  }
  if (!entry->has_ttl() && expire_at_ms == 0) return entry;
  Entry* fresh = MoveEntry(entry, entry->key(), expire_at_ms);
  if (entry->has_ttl()) UnindexTtl(entry);
  table_.Replace(entry, fresh);
  if (fresh->has_ttl()) IndexTtl(fresh);
  entry_bytes_ = entry_bytes_ - EntryBytes(entry) + EntryBytes(fresh);
  FreeEntryHeader(entry);
  return fresh;
}

Entry* Keyspace::Rename(Entry* entry, std::string_view new_key, int64_t expire_at_ms) {
  Entry* fresh = MoveEntry(entry, new_key, expire_at_ms);
  if (entry->has_ttl()) UnindexTtl(entry);
  table_.Remove(entry->key());
  entry_bytes_ -= EntryBytes(entry);
  FreeEntryHeader(entry);
  Insert(fresh);
  return fresh;
}

void Keyspace::Clear() {
  table_.Clear();
  entry_bytes_ = 0;
  ttl_index_.clear();
  ttl_index_.shrink_to_fit();
}

void Keyspace::IndexTtl(Entry* entry) {
  entry->set_ttl_slot(static_cast<uint32_t>(ttl_index_.size()));
  ttl_index_.push_back(entry);
}

void Keyspace::UnindexTtl(Entry* entry) {
  uint32_t slot = entry->ttl_slot();
  Entry* last = ttl_index_.back();
  ttl_index_[slot] = last;
  last->set_ttl_slot(slot);
  ttl_index_.pop_back();
}

Entry* Keyspace::RandomEntry() {
  return table_.RandomNode([this] { return NextRandom(random_state_); });
}

Entry* Keyspace::RandomExpiring() {
  if (ttl_index_.empty()) return nullptr;
  return ttl_index_[NextRandom(random_state_) % ttl_index_.size()];
}

void Keyspace::AddWatcher(std::string_view key, KeyWatcher* watcher) {
  auto& list = watchers_[std::string(key)];
  if (std::find(list.begin(), list.end(), watcher) == list.end()) list.push_back(watcher);
}

void Keyspace::RemoveWatcher(std::string_view key, KeyWatcher* watcher) {
  auto it = watchers_.find(std::string(key));
  if (it == watchers_.end()) return;
  auto& list = it->second;
  list.erase(std::remove(list.begin(), list.end(), watcher), list.end());
  if (list.empty()) watchers_.erase(it);
}

void Keyspace::TouchWatchers(std::string_view key) {
  auto it = watchers_.find(std::string(key));
  if (it == watchers_.end()) return;
  for (KeyWatcher* w : it->second) {
    w->dirty = true;
    if (w->wake) w->wake();
  }
}

void Keyspace::TouchAll() {
  for (auto& [key, list] : watchers_) {
    for (KeyWatcher* w : list) {
      w->dirty = true;
      if (w->wake) w->wake();
    }
  }
}

}  // namespace lyt::kv
