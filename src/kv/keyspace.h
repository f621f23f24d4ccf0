// The keys of one LytDB database as the Redis front end sees them (docs/redis-compatibility.md).
//
// Locking: `mutex` guards everything in a keyspace. A command (or a whole MULTI/EXEC block, or a
// batch of pipelined commands) runs with it held, so commands on one database are serializable;
// databases do not share locks. The write-ahead log record of what a batch changed is appended
// before the lock is released, so the log's order is the order in which changes were made.
//
// What the keyspace does not do: expiry policy, logging and replies belong to the commands
// (kv/command.h); the keyspace offers raw operations.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kv/entry.h"

namespace lyt::kv {

// A client's interest in a key: WATCH (set `dirty` when the key changes) or a blocked BLPOP
// (call `wake` when the key changes; it must only post work elsewhere, never block or call back).
// `dirty` is atomic because one client may watch keys of several databases, whose keyspaces
// have different locks.
struct KeyWatcher {
  std::atomic<bool> dirty{false};
  std::function<void()> wake;
};

class Keyspace {
 public:
  explicit Keyspace(std::string database) : database_(std::move(database)) {}
  ~Keyspace();
  Keyspace(const Keyspace&) = delete;
  Keyspace& operator=(const Keyspace&) = delete;

  const std::string& database() const { return database_; }

  std::mutex mutex;

  // --- under `mutex`
  // The entry of `key` as stored, expired or not (nullptr when absent).
  Entry* Find(std::string_view key) const { return table_.Find(key); }
  // Prefetches what looking up `keys` will read (ChainedTable::PrefetchBucket, PrefetchNode).
  void Prefetch(std::span<const std::string_view> keys) const {
    for (std::string_view k : keys) table_.PrefetchBucket(k);
    for (std::string_view k : keys) table_.PrefetchNode(k);
  }
  // Adds `entry`, whose key must be absent.
  void Insert(Entry* entry);
  // Unlinks and frees `entry`.
  void Delete(Entry* entry);
  // Puts `fresh` (same key) in the place of `old`, which is freed.
  void Replace(Entry* old, Entry* fresh);
  // Gives `entry` expiry time `expire_at_ms` (0: none); returns the entry now in its place.
  Entry* SetExpiry(Entry* entry, int64_t expire_at_ms);
  // Moves `entry` to `new_key` (which must be absent) with expiry `expire_at_ms`; returns the
  // moved entry.
  Entry* Rename(Entry* entry, std::string_view new_key, int64_t expire_at_ms);
  // Frees every key.
  void Clear();

  size_t size() const { return table_.size(); }
  // The bytes of the keys, string values, TTLs and the tables finding them; the elements of
  // hashes, lists, sets and sorted sets are not counted.
  size_t MemoryBytes() const {
    return entry_bytes_ + table_.bucket_count() * sizeof(Entry*) + ttl_index_.capacity() * sizeof(Entry*);
  }
  size_t expires() const { return ttl_index_.size(); }

  template <class Visit>
  uint64_t ScanStep(uint64_t cursor, Visit&& visit) const {
    return table_.ScanStep(cursor, std::forward<Visit>(visit));
  }
  template <class Visit>
  void ForEach(Visit&& visit) const {
    table_.ForEach(std::forward<Visit>(visit));
  }
  // A random key (nullptr when empty); a random key with a TTL.
  Entry* RandomEntry();
  Entry* RandomExpiring();

  // WATCH and blocking: `Touch` marks every watcher of `key` dirty and wakes its blocked clients.
  // Watchers are the callers', who remove them before they go away.
  void AddWatcher(std::string_view key, KeyWatcher* watcher);
  void RemoveWatcher(std::string_view key, KeyWatcher* watcher);
  void Touch(std::string_view key) {
    if (!watchers_.empty()) TouchWatchers(key);
  }
  // Every watcher of every key (FLUSHDB, FLUSHALL, a dropped database).
  void TouchAll();

  // The commit timestamp of the last logged change (a checkpoint's image of the keyspace records
  // it: the commits up to it are in the image).
  uint64_t last_commit_ts = 0;
  // Recovery only: the commits up to this timestamp are in the keyspace's checkpoint image, and
  // replay skips their log records (the image may be taken later than the checkpoint's snapshot).
  // All the entries of a later commit replay, also those after its first.
  uint64_t image_commit_ts = 0;
  // Set when the database was dropped: commands on it fail, the front end looks the database up again.
  bool dropped = false;

  // Counters for INFO stats (summed over keyspaces).
  uint64_t expired_keys = 0;
  uint64_t hits = 0;
  uint64_t misses = 0;

 private:
  void TouchWatchers(std::string_view key);
  void IndexTtl(Entry* entry);
  void UnindexTtl(Entry* entry);

  const std::string database_;
  ChainedTable<Entry, EntryTraits> table_;
  std::vector<Entry*> ttl_index_;  // every entry with a TTL; each knows its slot
  size_t entry_bytes_ = 0;         // EntryBytes of every entry in table_
  std::unordered_map<std::string, std::vector<KeyWatcher*>> watchers_;
  uint64_t random_state_ = 0x9E3779B97F4A7C15ULL;
};

}  // namespace lyt::kv
