// The key-value store's core pieces: glob patterns, the chained hash table's SCAN guarantee
// across resizes, entries with and without a time to live, the key-length limit, and a checkpoint
// image that replays into the same keys.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "durability/log_entries.h"
#include "kv/chained_table.h"
#include "kv/command.h"
#include "kv/entry.h"
#include "kv/glob.h"
#include "kv/keyspace.h"
#include "kv/store.h"
#include "protocol/resp.h"

namespace lyt::kv {
namespace {

TEST(KvGlob, MatchesAsRedisDoes) {
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("user:*", "user:42"));
  EXPECT_FALSE(GlobMatch("user:*", "use"));
  EXPECT_TRUE(GlobMatch("h?llo", "hello"));
  EXPECT_FALSE(GlobMatch("h?llo", "hllo"));
  EXPECT_TRUE(GlobMatch("h[ae]llo", "hallo"));
  EXPECT_FALSE(GlobMatch("h[ae]llo", "hillo"));
  EXPECT_TRUE(GlobMatch("h[^e]llo", "hallo"));
  EXPECT_FALSE(GlobMatch("h[^e]llo", "hello"));
  EXPECT_TRUE(GlobMatch("h[a-c]llo", "hbllo"));
  EXPECT_TRUE(GlobMatch("h[c-a]llo", "hbllo"));  // reversed ranges work, as in Redis
  EXPECT_TRUE(GlobMatch("a\\*b", "a*b"));
  EXPECT_FALSE(GlobMatch("a\\*b", "axb"));
  EXPECT_TRUE(GlobMatch("*a*b*c*", "xxaxxbxxcxx"));
  EXPECT_FALSE(GlobMatch("*a*b*c*", "xxaxxcxxbxx"));
  EXPECT_TRUE(GlobMatch(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
  // A pathological pattern stays fast (one backtrack point, no recursion).
  std::string text(20000, 'a');
  EXPECT_FALSE(GlobMatch("*a*a*a*a*a*a*a*a*b", text));
}

struct Node {
  Node* next = nullptr;
  std::string key;
};
struct NodeTraits {
  static Node*& Next(Node* n) { return n->next; }
  static std::string_view Key(const Node* n) { return n->key; }
  static void Free(Node* n) { delete n; }
};
using Table = ChainedTable<Node, NodeTraits>;

// Every element present for a whole SCAN is returned, while the table grows and shrinks between
// the calls.
TEST(KvChainedTable, ScanReturnsEveryElementAcrossResizes) {
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    Table table;
    std::set<std::string> stable;
    for (int i = 0; i < 500; ++i) {
      std::string key = "stable:" + std::to_string(i);
      table.Insert(new Node{nullptr, key});
      stable.insert(key);
    }
    std::vector<std::string> extra;
    std::set<std::string> seen;
    uint64_t cursor = 0;
    int calls = 0;
    const size_t grow_until = 2 + rng() % 8;  // each round grows for a different number of calls
    do {
      cursor = table.ScanStep(cursor, [&](Node* n) { seen.insert(n->key); });
      // Grow the table during the first calls, then shrink it again (the stable keys stay).
      if (static_cast<size_t>(calls) < grow_until) {
        for (int i = 0; i < 1500; ++i) {
          extra.push_back("extra:" + std::to_string(round) + ":" + std::to_string(calls) + ":" + std::to_string(i));
          table.Insert(new Node{nullptr, extra.back()});
        }
      } else {
        for (int i = 0; i < 700 && !extra.empty(); ++i) {
          delete table.Remove(extra.back());
          extra.pop_back();
        }
      }
      ++calls;
    } while (cursor != 0 && calls < 100000);
    for (const auto& key : stable) EXPECT_TRUE(seen.count(key)) << "round " << round << ": " << key << " was not returned";
  }
}

TEST(KvChainedTable, FindRemoveReplaceAndRandom) {
  Table table;
  for (int i = 0; i < 1000; ++i) table.Insert(new Node{nullptr, std::to_string(i)});
  EXPECT_EQ(table.size(), 1000u);
  ASSERT_NE(table.Find("500"), nullptr);
  EXPECT_EQ(table.Find("1000"), nullptr);
  Node* old = table.Find("7");
  delete table.Replace(old, new Node{nullptr, "7"});
  EXPECT_NE(table.Find("7"), nullptr);
  std::mt19937_64 rng(1);
  std::set<std::string> picked;
  for (int i = 0; i < 5000; ++i) picked.insert(table.RandomNode([&] { return rng(); })->key);
  EXPECT_GT(picked.size(), 900u);  // roughly uniform
  for (int i = 0; i < 1000; ++i) delete table.Remove(std::to_string(i));
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(table.ScanStep(0, [](Node*) {}), 0u);
}

TEST(KvEntry, TimeToLiveAndRenameKeepTheValue) {
  Keyspace ks("main");
  ks.Insert(MakeStringEntry("k", "value", 0));
  Entry* e = ks.Find("k");
  ASSERT_NE(e, nullptr);
  EXPECT_FALSE(e->has_ttl());
  e = ks.SetExpiry(e, 123456789);
  EXPECT_TRUE(e->has_ttl());
  EXPECT_EQ(e->expire_at(), 123456789);
  EXPECT_EQ(e->string_value(), "value");
  EXPECT_EQ(ks.expires(), 1u);
  e = ks.Rename(e, "renamed", e->expire_at());
  EXPECT_EQ(ks.Find("k"), nullptr);
  EXPECT_EQ(ks.Find("renamed")->string_value(), "value");
  EXPECT_EQ(ks.Find("renamed")->expire_at(), 123456789);
  e = ks.SetExpiry(ks.Find("renamed"), 0);
  EXPECT_FALSE(e->has_ttl());
  EXPECT_EQ(ks.expires(), 0u);
  EXPECT_EQ(e->type(), Type::kString);
  EXPECT_EQ(e->key(), "renamed");
}

// Runs one command against `ks` and returns the raw reply.
std::string RunKv(Store& store, Keyspace& ks, std::vector<std::string_view> args, int64_t now = 1000) {
  std::string out;
  resp::ReplyWriter reply(out);
  CommandContext ctx(store, ks, reply, now);
  ctx.args = args;
  const CommandSpec* spec = FindCommand(args[0]);
  EXPECT_NE(spec, nullptr) << args[0];
  if (spec) Execute(*spec, ctx);
  return out;
}

TEST(KvCommand, KeysLongerThanTheLimitAreRefused) {
  Store store;
  auto ks = store.Get("main");
  std::string key(Entry::kMaxKeyBytes + 1, 'k');
  EXPECT_EQ(RunKv(store, *ks, {"SET", key, "v"}), "-ERR key is too long (at most 134217727 bytes)\r\n");
  EXPECT_EQ(RunKv(store, *ks, {"MSET", "a", "1", key, "2"}), "-ERR key is too long (at most 134217727 bytes)\r\n");
  EXPECT_EQ(ks->size(), 0u);
}

// A keyspace written out as a checkpoint image and replayed holds the same keys.
TEST(KvStore, ImageReplaysIntoTheSameKeys) {
  Store source;
  auto ks = source.Get("main");
  RunKv(source, *ks, {"SET", "s", "v", "PXAT", "99999999999999"});
  RunKv(source, *ks, {"RPUSH", "l", "a", "b", "c"});
  RunKv(source, *ks, {"HSET", "h", "f", "1"});
  RunKv(source, *ks, {"SADD", "set", "x", "y"});
  RunKv(source, *ks, {"ZADD", "z", "0.1", "m", "-2.5", "n"});
  RunKv(source, *ks, {"PEXPIREAT", "l", "99999999999999"});
  std::string image;
  source.WriteImage(*ks, image, nullptr);

  // Replay the image's commands into a fresh store, as recovery does.
  Store target;
  size_t at = 0;
  ASSERT_EQ(static_cast<uint8_t>(image[at]), static_cast<uint8_t>(durability::EntryKind::kKvImage));
  // Decode by hand: [kind][u32 len][db][u64 ts] then commands [kind][u32 len][db][u32 argc]([u32 len][bytes])*.
  auto u32 = [&](size_t p) {
    uint32_t v;
    std::memcpy(&v, image.data() + p, 4);
    return v;
  };
  at = 1 + 4 + u32(1) + 8;
  target.BeginImage("main", 0);
  while (at < image.size()) {
    ASSERT_EQ(static_cast<uint8_t>(image[at]), static_cast<uint8_t>(durability::EntryKind::kKvCommand));
    ++at;
    std::string db = image.substr(at + 4, u32(at));
    at += 4 + db.size();
    uint32_t argc = u32(at);
    at += 4;
    std::vector<std::string_view> words;
    for (uint32_t i = 0; i < argc; ++i) {
      uint32_t n = u32(at);
      words.emplace_back(image.data() + at + 4, n);
      at += 4 + n;
    }
    std::string error;
    ASSERT_TRUE(target.Replay(db, words, 0, &error)) << error;
  }
  auto copy = target.Find("main");
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->size(), 5u);
  EXPECT_EQ(RunKv(target, *copy, {"GET", "s"}), "$1\r\nv\r\n");
  EXPECT_EQ(RunKv(target, *copy, {"PTTL", "s"}), ":" + std::to_string(99999999999999 - 1000) + "\r\n");
  EXPECT_EQ(RunKv(target, *copy, {"LRANGE", "l", "0", "-1"}), "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(RunKv(target, *copy, {"PEXPIRETIME", "l"}), ":99999999999999\r\n");
  EXPECT_EQ(RunKv(target, *copy, {"HGET", "h", "f"}), "$1\r\n1\r\n");
  EXPECT_EQ(RunKv(target, *copy, {"SCARD", "set"}), ":2\r\n");
  EXPECT_EQ(RunKv(target, *copy, {"ZSCORE", "z", "m"}), "$3\r\n0.1\r\n");
  EXPECT_EQ(RunKv(target, *copy, {"ZSCORE", "z", "n"}), "$4\r\n-2.5\r\n");
}

// Recovery skips the log's commits that the keyspace's checkpoint image already holds (up to
// the image's timestamp), and replays every entry of each later commit: a pipelined batch or an
// EXEC logs several entries under one timestamp.
TEST(KvStore, ReplaySkipsWhatTheImageHoldsAndKeepsEveryEntryOfALaterCommit) {
  Store store;
  std::string error;
  store.BeginImage("main", 7);
  auto replay = [&](std::vector<std::string_view> words, uint64_t ts) {
    EXPECT_TRUE(store.Replay("main", words, ts, &error)) << error;
  };
  replay({"INCR", "n"}, 0);  // the image: n = 1 as of commit 7
  replay({"INCR", "n"}, 6);  // in the image already
  replay({"INCR", "n"}, 7);  // in the image already
  replay({"INCR", "n"}, 8);  // commit 8: three entries
  replay({"INCR", "n"}, 8);
  replay({"INCR", "n"}, 8);
  replay({"INCR", "n"}, 9);
  auto ks = store.Find("main");
  ASSERT_NE(ks, nullptr);
  EXPECT_EQ(RunKv(store, *ks, {"GET", "n"}), "$1\r\n5\r\n");
  EXPECT_EQ(ks->last_commit_ts, 9u);
}

}  // namespace
}  // namespace lyt::kv
