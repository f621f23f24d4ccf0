#include "kv/store.h"

#include <chrono>

#include "durability/log_entries.h"
#include "kv/command.h"
#include "kv/sorted_set.h"
#include "protocol/resp.h"

namespace lyt::kv {

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string DatabaseForIndex(int64_t index) { return index == 0 ? "main" : "db" + std::to_string(index); }

int64_t IndexForDatabase(std::string_view database) {
  if (database == "main") return 0;
  if (database.size() < 3 || database.substr(0, 2) != "db" || database[2] == '0') return -1;
  int64_t n = 0;
  for (char c : database.substr(2)) {
    if (c < '0' || c > '9' || n > 100000000) return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

std::shared_ptr<Keyspace> Store::Get(const std::string& database) {
  std::lock_guard lock(mutex_);
  auto& slot = keyspaces_[database];
  if (!slot) slot = std::make_shared<Keyspace>(database);
  return slot;
}

std::shared_ptr<Keyspace> Store::Find(const std::string& database) {
  std::lock_guard lock(mutex_);
  auto it = keyspaces_.find(database);
  return it == keyspaces_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<Keyspace>> Store::All() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Keyspace>> all;
  for (auto& [name, ks] : keyspaces_) all.push_back(ks);
  return all;
}

namespace {

void Retire(Keyspace& ks) {
  std::lock_guard lock(ks.mutex);
  ks.dropped = true;
  ks.TouchAll();
  ks.Clear();
}

}  // namespace

void Store::Drop(const std::string& database) {
  std::lock_guard lock(mutex_);
  auto it = keyspaces_.find(database);
  if (it == keyspaces_.end()) return;
  Retire(*it->second);
  keyspaces_.erase(it);
}

void Store::RetainDatabases(const std::set<std::string>& databases) {
  std::lock_guard lock(mutex_);
  for (auto it = keyspaces_.begin(); it != keyspaces_.end();) {
    if (databases.count(it->first)) {
      ++it;
      continue;
    }
    Retire(*it->second);
    it = keyspaces_.erase(it);
  }
}

void Store::ActiveExpire(int64_t now_ms, int64_t budget_ms, const CommitFn& commit) {
  // Redis's cycle: sample 20 keys with a TTL, delete the expired ones, go on while more than a
  // quarter of a sample had expired and time remains.
  constexpr int kSample = 20;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(budget_ms);
  for (auto& ks : All()) {
    std::lock_guard lock(ks->mutex);
    if (ks->dropped) continue;
    std::string log;
    for (int round = 0; round < 1000 && ks->expires() > 0; ++round) {
      int expired = 0;
      for (int i = 0; i < kSample && ks->expires() > 0; ++i) {
        Entry* e = ks->RandomExpiring();
        if (e->expire_at() <= now_ms) {
          DeleteExpired(*ks, e, commit ? &log : nullptr);
          ++expired;
        }
      }
      if (expired * 4 <= kSample || std::chrono::steady_clock::now() >= deadline) break;
    }
    if (commit && !log.empty()) commit(*ks, log);
    if (std::chrono::steady_clock::now() >= deadline) break;
  }
}

void Store::PurgeExpired(int64_t now_ms, const CommitFn& commit) {
  for (auto& ks : All()) {
    std::lock_guard lock(ks->mutex);
    std::vector<Entry*> expired;
    ks->ForEach([&](Entry* e) {
      if (e->has_ttl() && e->expire_at() <= now_ms) expired.push_back(e);
    });
    std::string log;
    for (Entry* e : expired) DeleteExpired(*ks, e, commit ? &log : nullptr);
    if (commit && !log.empty()) commit(*ks, log);
  }
}

bool Store::Replay(std::string_view database, std::span<const std::string_view> args, uint64_t commit_ts, std::string* error) {
  const CommandSpec* spec = FindCommand(args[0]);
  if (!spec || !(spec->flags & kWrite)) {
    *error = "not a logged command";
    return false;
  }
  if (spec->arity > 0 ? args.size() != static_cast<size_t>(spec->arity) : args.size() < static_cast<size_t>(-spec->arity)) {
    *error = "wrong number of arguments";
    return false;
  }
  std::shared_ptr<Keyspace> ks = Get(std::string(database));
  std::lock_guard lock(ks->mutex);
  if (commit_ts != 0 && commit_ts <= ks->image_commit_ts) return true;  // in the keyspace's image already
  std::string scratch;
  resp::ReplyWriter reply(scratch, resp::Protocol::kResp3);
  CommandContext ctx(*this, *ks, reply, 0);
  ctx.args = args;
  ctx.replaying = true;
  Execute(*spec, ctx);
  if (commit_ts != 0) ks->last_commit_ts = commit_ts;
  if (!scratch.empty() && scratch[0] == '-') {
    *error = scratch.substr(1, scratch.find('\r') - 1);
    return false;
  }
  return true;
}

void Store::BeginImage(std::string_view database, uint64_t commit_ts) {
  std::shared_ptr<Keyspace> ks = Get(std::string(database));
  std::lock_guard lock(ks->mutex);
  ks->Clear();
  ks->last_commit_ts = commit_ts;
  ks->image_commit_ts = commit_ts;
}

namespace {

// Appends one command rebuilding part of a key: `head` words, then `items` (up to kChunk per
// command, so that no command is huge).
class ImageWriter {
 public:
  ImageWriter(std::string& out, std::string_view database) : out_(out), database_(database) {}

  void Command(std::initializer_list<std::string_view> words) {
    args_.assign(words.begin(), words.end());
    durability::AppendKvCommand(out_, database_, args_);
  }
  // `head` then item words, split into commands of at most kChunk items.
  void Chunked(std::initializer_list<std::string_view> head, const std::vector<std::string_view>& items, size_t per_item) {
    constexpr size_t kChunk = 1024;
    for (size_t i = 0; i < items.size(); i += kChunk * per_item) {
      args_.assign(head.begin(), head.end());
      size_t end = std::min(items.size(), i + kChunk * per_item);
      args_.insert(args_.end(), items.begin() + static_cast<ptrdiff_t>(i), items.begin() + static_cast<ptrdiff_t>(end));
      durability::AppendKvCommand(out_, database_, args_);
    }
  }

 private:
  std::string& out_;
  std::string_view database_;
  std::vector<std::string_view> args_;
};

}  // namespace

void Store::WriteImage(Keyspace& ks, std::string& out, const std::function<void()>& flush) {
  durability::AppendKvImage(out, ks.database(), ks.last_commit_ts);
  ImageWriter w(out, ks.database());
  std::vector<std::string_view> items;
  std::vector<std::string> scores;
  ks.ForEach([&](Entry* e) {
    std::string_view key = e->key();
    items.clear();
    switch (e->type()) {
      case Type::kString: {
        if (e->has_ttl()) {
          std::string at = FormatInt(e->expire_at());
          w.Command({"SET", key, e->string_value(), "PXAT", at});
        } else {
          w.Command({"SET", key, e->string_value()});
        }
        break;
      }
      case Type::kList:
        for (const auto& item : e->container<ListValue>()->items) items.push_back(item);
        w.Chunked({"RPUSH", key}, items, 1);
        break;
      case Type::kSet:
        e->container<SetValue>()->members.ForEach([&](FieldNode* n) { items.push_back(n->field()); });
        w.Chunked({"SADD", key}, items, 1);
        break;
      case Type::kHash:
        e->container<HashValue>()->fields.ForEach([&](FieldNode* n) {
          items.push_back(n->field());
          items.push_back(n->value());
        });
        w.Chunked({"HSET", key}, items, 2);
        break;
      case Type::kZSet: {
        const SortedSet& zs = *e->container<SortedSet>();
        scores.clear();
        scores.reserve(zs.size());
        zs.ForEach([&](std::string_view, double score) { scores.push_back(resp::FormatDouble(score)); });
        size_t i = 0;
        zs.ForEach([&](std::string_view member, double) {
          items.push_back(scores[i++]);
          items.push_back(member);
        });
        w.Chunked({"ZADD", key}, items, 2);
        break;
      }
    }
    if (e->has_ttl() && e->type() != Type::kString) {
      std::string at = FormatInt(e->expire_at());
      w.Command({"PEXPIREAT", key, at});
    }
    if (flush) flush();
  });
}

}  // namespace lyt::kv
