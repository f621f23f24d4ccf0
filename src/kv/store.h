// Every keyspace of an engine, one per LytDB database that has keys (docs/redis-compatibility.md).
//
// Locking: `mutex_` guards the map of keyspaces only (taken briefly to find, create or drop one);
// each keyspace's own mutex guards its keys. Lock order: a keyspace's mutex is never held while
// taking `mutex_`... except by Drop and RetainDatabases, which take `mutex_` first, then the
// keyspace's: nothing takes them the other way round.
//
// Durability: a batch of commands logs its changes (kv/command.h) as kKvCommand entries of one
// commit record (durability/log_entries.h), appended under the keyspace's mutex. A checkpoint
// writes each keyspace as commands that rebuild it (WriteImage), under the keyspace's mutex, with
// the keyspace's last commit timestamp; recovery replays a logged command only when it is newer
// than its keyspace's image.
#pragma once

#include <functional>
#include <span>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kv/keyspace.h"

namespace lyt::kv {

int64_t NowMillis();  // wall clock, ms since the epoch

// Redis's numbered databases are LytDB databases: 0 is "main", n > 0 is "db<n>" (when it exists).
std::string DatabaseForIndex(int64_t index);
// The index of `database` (-1 when it has none: SELECT by name reaches it).
int64_t IndexForDatabase(std::string_view database);

class Store {
 public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The keyspace of `database`, created empty on first use. Thread-safe.
  std::shared_ptr<Keyspace> Get(const std::string& database);
  // Null when the database has no keyspace yet. Thread-safe.
  std::shared_ptr<Keyspace> Find(const std::string& database);
  // Every keyspace (a copy of the list). Thread-safe.
  std::vector<std::shared_ptr<Keyspace>> All();
  // The database was dropped: its keys go, its watchers are touched, and holders of the keyspace
  // see `dropped`. Thread-safe.
  void Drop(const std::string& database);
  // Drops the keyspaces of databases not in `databases` (recovery, after a catalog image).
  void RetainDatabases(const std::set<std::string>& databases);

  // Active expiry: samples keys with a TTL in every keyspace and deletes the expired ones,
  // logging each as DEL through `commit` (null: not logged), for at most `budget_ms`. Called
  // about ten times a second by the server. Thread-safe.
  // Logs the encoded changes of a keyspace whose mutex is held (Engine::LogKv), or nothing.
  using CommitFn = std::function<void(Keyspace&, std::string_view entries)>;
  void ActiveExpire(int64_t now_ms, int64_t budget_ms, const CommitFn& commit);

  // --- durability (durability/log_entries.cc, checkpoint.cc)
  // Replays one logged command; `commit_ts` 0 for a checkpoint's image. Returns false (with
  // *error) when the command failed, which a faithful log never makes happen.
  bool Replay(std::string_view database, std::span<const std::string_view> args, uint64_t commit_ts, std::string* error);
  // A checkpoint's image of keyspace `ks` (called with its mutex held): kKvImage, then commands
  // rebuilding every key. `flush` is called between keys when `out` grew large.
  void WriteImage(Keyspace& ks, std::string& out, const std::function<void()>& flush);
  // Starts the image of `database` taken at `commit_ts` (recovery): clears the keyspace.
  void BeginImage(std::string_view database, uint64_t commit_ts);
  // After recovery: deletes (and logs) every key whose time passed while the server was down.
  void PurgeExpired(int64_t now_ms, const CommitFn& commit);

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Keyspace>, std::less<>> keyspaces_;
};

}  // namespace lyt::kv
