// The Redis protocol against the real lytdb, through hiredis (a real Redis client library):
// authentication and privileges, every command family with Redis's exact replies and errors,
// MULTI/EXEC/WATCH, blocking pops, pipelining, RESP3, bad input, and durability across SIGKILL.
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "lyt/client.h"
#include "protocol/resp.h"
#include "test_server.h"

namespace lyt::testing {
namespace {

using client::Connection;

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

// One hiredis connection to the server's Redis port.
class Redis {
 public:
  explicit Redis(uint16_t port) {
    timeval timeout{10, 0};
    ctx_ = redisConnectWithTimeout("127.0.0.1", port, timeout);
    if (ctx_ && !ctx_->err) redisSetTimeout(ctx_, timeout);
  }
  ~Redis() {
    if (ctx_) redisFree(ctx_);
  }
  bool ok() const { return ctx_ && !ctx_->err; }

  // Runs a command given as words (binary-safe).
  Reply Run(const std::vector<std::string>& words) {
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (const auto& w : words) {
      argv.push_back(w.data());
      lengths.push_back(w.size());
    }
    return Reply(static_cast<redisReply*>(redisCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(), lengths.data())));
  }
  void Append(const std::vector<std::string>& words) {
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (const auto& w : words) {
      argv.push_back(w.data());
      lengths.push_back(w.size());
    }
    redisAppendCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(), lengths.data());
  }
  Reply Next() {
    void* reply = nullptr;
    if (redisGetReply(ctx_, &reply) != REDIS_OK) return nullptr;
    return Reply(static_cast<redisReply*>(reply));
  }
  redisContext* ctx() { return ctx_; }

 private:
  redisContext* ctx_ = nullptr;
};

// The reply as text: status and bulk as is, errors as "ERR:...", integers as ":n", nil as
// "(nil)", arrays as [a, b].
std::string Show(const redisReply* r) {
  if (!r) return "(no reply)";
  switch (r->type) {
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_STRING: return std::string(r->str, r->len);
    case REDIS_REPLY_ERROR: return "ERR:" + std::string(r->str, r->len);
    case REDIS_REPLY_INTEGER: return ":" + std::to_string(r->integer);
    case REDIS_REPLY_NIL: return "(nil)";
    case REDIS_REPLY_ARRAY: {
      std::string s = "[";
      for (size_t i = 0; i < r->elements; ++i) s += (i ? ", " : "") + Show(r->element[i]);
      return s + "]";
    }
  }
  return "?";
}

class RespTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer({"--fsync", "batch"});
    ASSERT_TRUE(server_->started()) << server_->Output();
    // A user that may only read "main", for the privilege tests.
    std::unique_ptr<Connection> conn;
    ASSERT_TRUE(Connection::Connect(server_->Uri(), &conn).ok());
    ASSERT_TRUE(conn->Execute("CREATE USER reader WITH PASSWORD 'reader-pw'").ok());
    ASSERT_TRUE(conn->Execute("GRANT READ ON DATABASE main TO reader").ok());
    ASSERT_TRUE(conn->Execute("CREATE USER writer WITH PASSWORD 'writer-pw'").ok());
    ASSERT_TRUE(conn->Execute("GRANT WRITE ON DATABASE main TO writer").ok());
    ASSERT_TRUE(conn->Execute("CREATE DATABASE db1").ok());
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  // A connection logged in as admin, on a database emptied for the test.
  std::unique_ptr<Redis> Admin() {
    auto r = std::make_unique<Redis>(server_->resp_port());
    EXPECT_TRUE(r->ok());
    EXPECT_EQ(Show(r->Run({"AUTH", "admin", kAdminPassword}).get()), "OK");
    return r;
  }
  void SetUp() override {
    auto r = Admin();
    EXPECT_EQ(Show(r->Run({"FLUSHALL"}).get()), "OK");
  }

  static TestServer* server_;
};

TestServer* RespTest::server_ = nullptr;

#define EXPECT_REPLY(redis, expected, ...) EXPECT_EQ(Show((redis)->Run({__VA_ARGS__}).get()), expected)

TEST_F(RespTest, AuthenticationIsRequiredAndChecked) {
  Redis r(server_->resp_port());
  ASSERT_TRUE(r.ok());
  EXPECT_REPLY(&r, "ERR:NOAUTH Authentication required.", "GET", "k");
  EXPECT_REPLY(&r, "ERR:WRONGPASS invalid username-password pair or user is disabled.", "AUTH", "admin", "wrong");
  // The one-argument form logs in as resp_default_user ("default"), which does not exist here.
  EXPECT_REPLY(&r, "ERR:WRONGPASS invalid username-password pair or user is disabled.", "AUTH", kAdminPassword);
  EXPECT_REPLY(&r, "ERR:NOAUTH Authentication required.", "PING");
  EXPECT_REPLY(&r, "OK", "AUTH", "admin", kAdminPassword);
  EXPECT_REPLY(&r, "PONG", "PING");
}

// A password verified once is accepted from memory by later AUTHs (no second PBKDF2), until it
// changes or the user goes.
TEST_F(RespTest, RememberedPasswordsEndWithAPasswordChange) {
  std::unique_ptr<Connection> conn;
  ASSERT_TRUE(Connection::Connect(server_->Uri(), &conn).ok());
  ASSERT_TRUE(conn->Execute("CREATE USER changer WITH PASSWORD 'old-pw'").ok());
  ASSERT_TRUE(conn->Execute("GRANT READ ON DATABASE main TO changer").ok());
  for (int i = 0; i < 3; ++i) {
    Redis r(server_->resp_port());
    EXPECT_REPLY(&r, "OK", "AUTH", "changer", "old-pw");
  }
  ASSERT_TRUE(conn->Execute("ALTER USER changer WITH PASSWORD 'new-pw'").ok());
  Redis r(server_->resp_port());
  EXPECT_REPLY(&r, "ERR:WRONGPASS invalid username-password pair or user is disabled.", "AUTH", "changer", "old-pw");
  EXPECT_REPLY(&r, "OK", "AUTH", "changer", "new-pw");
  EXPECT_REPLY(&r, "OK", "AUTH", "changer", "new-pw");
  ASSERT_TRUE(conn->Execute("DROP USER changer").ok());
  Redis gone(server_->resp_port());
  EXPECT_REPLY(&gone, "ERR:WRONGPASS invalid username-password pair or user is disabled.", "AUTH", "changer", "new-pw");
  EXPECT_REPLY(&gone, "ERR:WRONGPASS invalid username-password pair or user is disabled.", "AUTH", "nobody", "new-pw");
}

// AUTH checks the password on a worker: requests pipelined behind it wait for its answer, and
// keep their order.
TEST_F(RespTest, RequestsPipelinedBehindAuthWaitForIt) {
  Redis r(server_->resp_port());
  ASSERT_TRUE(r.ok());
  r.Append({"GET", "k"});
  r.Append({"AUTH", "admin", kAdminPassword});
  r.Append({"SET", "k", "v"});
  r.Append({"GET", "k"});
  r.Append({"AUTH", "admin", "wrong"});
  r.Append({"GET", "k"});
  EXPECT_EQ(Show(r.Next().get()), "ERR:NOAUTH Authentication required.");
  EXPECT_EQ(Show(r.Next().get()), "OK");
  EXPECT_EQ(Show(r.Next().get()), "OK");
  EXPECT_EQ(Show(r.Next().get()), "v");
  EXPECT_EQ(Show(r.Next().get()), "ERR:WRONGPASS invalid username-password pair or user is disabled.");
  EXPECT_EQ(Show(r.Next().get()), "v");  // a failed AUTH leaves the connection's user as it was
}

// The Redis port has no TLS: with tls_required it refuses every connection, so that no
// password crosses it in clear.
TEST(RespTls, TlsRequiredRefusesTheRedisPort) {
  TestServer server({"--tls-self-signed", "true", "--tls-required", "true"});
  ASSERT_TRUE(server.started()) << server.Output();
  Redis r(server.resp_port());
  ASSERT_TRUE(r.ok());
  Reply reply = r.Run({"AUTH", "admin", kAdminPassword});
  ASSERT_TRUE(reply);
  EXPECT_EQ(Show(reply.get()), "ERR:ERR tls_required is set and the Redis port does not offer TLS: use the lyt protocol or HTTPS");
}

TEST_F(RespTest, PrivilegesPerDatabase) {
  auto admin = Admin();
  EXPECT_REPLY(admin, "OK", "SET", "k", "v");
  Redis reader(server_->resp_port());
  EXPECT_REPLY(&reader, "OK", "AUTH", "reader", "reader-pw");
  EXPECT_REPLY(&reader, "v", "GET", "k");
  EXPECT_REPLY(&reader, "ERR:NOPERM permission denied for database \"main\": 'set' needs WRITE", "SET", "k", "w");
  EXPECT_REPLY(&reader, "ERR:NOPERM permission denied for database \"main\": 'del' needs WRITE", "DEL", "k");
  EXPECT_REPLY(&reader, "ERR:NOPERM permission denied for database \"db1\"", "SELECT", "1");
  EXPECT_REPLY(&reader, "ERR:NOPERM permission denied: FLUSHALL needs a superuser", "FLUSHALL");
  Redis writer(server_->resp_port());
  EXPECT_REPLY(&writer, "OK", "AUTH", "writer", "writer-pw");
  EXPECT_REPLY(&writer, "OK", "SET", "k", "w");
  EXPECT_REPLY(&writer, "ERR:NOPERM permission denied for database \"main\": 'flushdb' needs ADMIN", "FLUSHDB");
  EXPECT_REPLY(admin, "w", "GET", "k");
}

TEST_F(RespTest, SelectMapsToDatabases) {
  auto r = Admin();
  EXPECT_REPLY(r, "OK", "SET", "k", "main-value");
  EXPECT_REPLY(r, "OK", "SELECT", "1");
  EXPECT_REPLY(r, "(nil)", "GET", "k");
  EXPECT_REPLY(r, "OK", "SET", "k", "db1-value");
  EXPECT_REPLY(r, "ERR:ERR DB index is out of range", "SELECT", "2");
  EXPECT_REPLY(r, "OK", "SELECT", "main");
  EXPECT_REPLY(r, "main-value", "GET", "k");
  EXPECT_REPLY(r, "OK", "SELECT", "db1");
  EXPECT_REPLY(r, "db1-value", "GET", "k");
}

TEST_F(RespTest, DroppingADatabaseDropsItsKeys) {
  std::unique_ptr<Connection> conn;
  ASSERT_TRUE(Connection::Connect(server_->Uri(), &conn).ok());
  ASSERT_TRUE(conn->Execute("CREATE DATABASE db2").ok());
  auto r = Admin();
  EXPECT_REPLY(r, "OK", "SELECT", "2");
  EXPECT_REPLY(r, "OK", "SET", "k", "old");
  ASSERT_TRUE(conn->Execute("DROP DATABASE db2").ok());
  ASSERT_TRUE(conn->Execute("CREATE DATABASE db2").ok());
  EXPECT_REPLY(r, "(nil)", "GET", "k");  // the same connection, on the new database
  EXPECT_REPLY(r, ":0", "DBSIZE");
  ASSERT_TRUE(conn->Execute("DROP DATABASE db2").ok());
  EXPECT_REPLY(r, "ERR:ERR database \"db2\" does not exist (it was dropped)", "SET", "k", "v");
  EXPECT_REPLY(r, "OK", "SELECT", "0");
}

TEST_F(RespTest, Strings) {
  auto r = Admin();
  EXPECT_REPLY(r, "OK", "SET", "s", "hello");
  EXPECT_REPLY(r, "hello", "GET", "s");
  EXPECT_REPLY(r, "(nil)", "SET", "s", "x", "NX");
  EXPECT_REPLY(r, "hello", "SET", "s", "world", "GET");
  EXPECT_REPLY(r, "(nil)", "SET", "missing", "x", "XX");
  EXPECT_REPLY(r, "ERR:ERR syntax error", "SET", "s", "x", "NX", "XX");
  EXPECT_REPLY(r, "ERR:ERR invalid expire time in 'set' command", "SET", "s", "x", "EX", "0");
  EXPECT_REPLY(r, "ERR:ERR value is not an integer or out of range", "SET", "s", "x", "EX", "abc");
  EXPECT_REPLY(r, ":7", "APPEND", "s", "!!");
  EXPECT_REPLY(r, "world!!", "GET", "s");
  EXPECT_REPLY(r, ":7", "STRLEN", "s");
  EXPECT_REPLY(r, "orl", "GETRANGE", "s", "1", "3");
  EXPECT_REPLY(r, "!!", "GETRANGE", "s", "-2", "-1");
  EXPECT_REPLY(r, ":7", "SETRANGE", "s", "0", "W");
  EXPECT_REPLY(r, "World!!", "GET", "s");
  EXPECT_REPLY(r, ":1", "INCR", "n");
  EXPECT_REPLY(r, ":11", "INCRBY", "n", "10");
  EXPECT_REPLY(r, ":9", "DECRBY", "n", "2");
  EXPECT_REPLY(r, ":8", "DECR", "n");
  EXPECT_REPLY(r, "10.5", "INCRBYFLOAT", "n", "2.5");
  EXPECT_REPLY(r, "ERR:ERR value is not an integer or out of range", "INCR", "n");
  EXPECT_REPLY(r, "OK", "SET", "big", "9223372036854775807");
  EXPECT_REPLY(r, "ERR:ERR increment or decrement would overflow", "INCR", "big");
  EXPECT_REPLY(r, "OK", "MSET", "a", "1", "b", "2");
  EXPECT_REPLY(r, "[1, 2, (nil)]", "MGET", "a", "b", "c");
  EXPECT_REPLY(r, ":0", "MSETNX", "a", "x", "c", "3");
  EXPECT_REPLY(r, ":1", "MSETNX", "c", "3", "d", "4");
  EXPECT_REPLY(r, "1", "GETDEL", "a");
  EXPECT_REPLY(r, ":0", "EXISTS", "a");
  EXPECT_REPLY(r, "2", "GETSET", "b", "20");
  EXPECT_REPLY(r, ":1", "SETNX", "e", "5");
  EXPECT_REPLY(r, "OK", "SETEX", "t", "100", "v");
  EXPECT_REPLY(r, ":100", "TTL", "t");
  EXPECT_REPLY(r, "OK", "PSETEX", "t", "100000", "v");
  EXPECT_REPLY(r, "v", "GETEX", "t", "PERSIST");
  EXPECT_REPLY(r, ":-1", "TTL", "t");
  EXPECT_REPLY(r, "ERR:WRONGTYPE Operation against a key holding the wrong kind of value", "LPUSH", "s", "x");
}

TEST_F(RespTest, KeysAndExpiry) {
  auto r = Admin();
  EXPECT_REPLY(r, "OK", "MSET", "k1", "a", "k2", "b", "other", "c");
  EXPECT_REPLY(r, ":2", "DEL", "k1", "nope", "other");
  EXPECT_REPLY(r, "string", "TYPE", "k2");
  EXPECT_REPLY(r, "none", "TYPE", "nope");
  EXPECT_REPLY(r, "OK", "RENAME", "k2", "k3");
  EXPECT_REPLY(r, "ERR:ERR no such key", "RENAME", "k2", "k4");
  EXPECT_REPLY(r, ":1", "EXPIRE", "k3", "100");
  EXPECT_REPLY(r, ":0", "EXPIRE", "k3", "50", "GT");
  EXPECT_REPLY(r, ":1", "EXPIRE", "k3", "50", "LT");
  EXPECT_REPLY(r, ":0", "EXPIRE", "k3", "500", "NX");
  EXPECT_REPLY(r, "ERR:ERR NX and XX, GT or LT options at the same time are not compatible", "EXPIRE", "k3", "5", "NX", "XX");
  EXPECT_REPLY(r, ":50", "TTL", "k3");
  EXPECT_REPLY(r, ":1", "PERSIST", "k3");
  EXPECT_REPLY(r, ":-1", "TTL", "k3");
  EXPECT_REPLY(r, ":-2", "TTL", "nope");
  EXPECT_REPLY(r, ":1", "PEXPIRE", "k3", "50");
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  EXPECT_REPLY(r, "(nil)", "GET", "k3");  // lazily expired
  EXPECT_REPLY(r, "OK", "SET", "gone", "x", "PX", "30");
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_REPLY(r, ":0", "DBSIZE");  // actively expired, without being read
  for (int i = 0; i < 30; ++i) r->Run({"SET", "key:" + std::to_string(i), "v"});
  r->Run({"SET", "zzz", "v"});
  EXPECT_EQ(r->Run({"KEYS", "key:*"})->elements, 30u);
  EXPECT_REPLY(r, "[zzz]", "KEYS", "z?z");
  // A full SCAN returns every key exactly once here (nothing changes meanwhile).
  std::set<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    Reply reply = r->Run({"SCAN", cursor, "MATCH", "key:*", "COUNT", "7"});
    ASSERT_EQ(reply->type, REDIS_REPLY_ARRAY);
    cursor = reply->element[0]->str;
    for (size_t i = 0; i < reply->element[1]->elements; ++i) seen.insert(reply->element[1]->element[i]->str);
  } while (cursor != "0" && ++calls < 1000);
  EXPECT_EQ(seen.size(), 30u);
  EXPECT_REPLY(r, "[0, []]", "SCAN", "0", "TYPE", "hash", "COUNT", "1000");
  EXPECT_REPLY(r, "ERR:ERR invalid cursor", "SCAN", "x");
  EXPECT_EQ(r->Run({"RANDOMKEY"})->type, REDIS_REPLY_STRING);
}

TEST_F(RespTest, Hashes) {
  auto r = Admin();
  EXPECT_REPLY(r, ":2", "HSET", "h", "a", "1", "b", "2");
  EXPECT_REPLY(r, ":0", "HSET", "h", "a", "10");
  EXPECT_REPLY(r, "10", "HGET", "h", "a");
  EXPECT_REPLY(r, "[10, (nil)]", "HMGET", "h", "a", "zz");
  EXPECT_REPLY(r, ":2", "HLEN", "h");
  EXPECT_REPLY(r, ":1", "HEXISTS", "h", "b");
  EXPECT_REPLY(r, ":12", "HINCRBY", "h", "a", "2");
  EXPECT_REPLY(r, "2.5", "HINCRBYFLOAT", "h", "b", "0.5");
  EXPECT_REPLY(r, ":0", "HSETNX", "h", "a", "x");
  EXPECT_REPLY(r, ":1", "HDEL", "h", "a", "zz");
  EXPECT_REPLY(r, "[b, 2.5]", "HGETALL", "h");
  EXPECT_REPLY(r, "[b]", "HKEYS", "h");
  EXPECT_REPLY(r, "[2.5]", "HVALS", "h");
  EXPECT_REPLY(r, "[0, [b, 2.5]]", "HSCAN", "h", "0");
  EXPECT_REPLY(r, "ERR:ERR hash value is not an integer", "HINCRBY", "h", "b", "1");
  EXPECT_REPLY(r, "ERR:ERR wrong number of arguments for 'hset' command", "HSET", "h", "a");
  EXPECT_REPLY(r, ":1", "HDEL", "h", "b");
  EXPECT_REPLY(r, ":0", "EXISTS", "h");  // an emptied hash is gone
}

TEST_F(RespTest, Lists) {
  auto r = Admin();
  EXPECT_REPLY(r, ":3", "RPUSH", "l", "a", "b", "c");
  EXPECT_REPLY(r, ":4", "LPUSH", "l", "z");
  EXPECT_REPLY(r, "[z, a, b, c]", "LRANGE", "l", "0", "-1");
  EXPECT_REPLY(r, "c", "LINDEX", "l", "-1");
  EXPECT_REPLY(r, "OK", "LSET", "l", "1", "A");
  EXPECT_REPLY(r, "ERR:ERR index out of range", "LSET", "l", "9", "x");
  EXPECT_REPLY(r, "z", "LPOP", "l");
  EXPECT_REPLY(r, "[c, b]", "RPOP", "l", "2");
  EXPECT_REPLY(r, ":1", "LLEN", "l");
  EXPECT_REPLY(r, ":4", "RPUSH", "l", "x", "A", "x");
  EXPECT_REPLY(r, ":2", "LREM", "l", "0", "A");
  EXPECT_REPLY(r, "OK", "LTRIM", "l", "0", "0");
  EXPECT_REPLY(r, "[x]", "LRANGE", "l", "0", "-1");
  EXPECT_REPLY(r, "(nil)", "LPOP", "nolist");
  EXPECT_REPLY(r, "ERR:ERR value is out of range, must be positive", "LPOP", "l", "-1");
  EXPECT_REPLY(r, "(nil)", "BLPOP", "empty", "0.05");
  EXPECT_REPLY(r, "[l, x]", "BLPOP", "empty", "l", "1");
  EXPECT_REPLY(r, "ERR:ERR timeout is negative", "BLPOP", "l", "-1");
}

TEST_F(RespTest, BlockingPopWakesWhenAnotherClientPushes) {
  auto waiter = Admin();
  auto pusher = Admin();
  std::thread push([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    pusher->Run({"RPUSH", "queue", "job-1"});
  });
  auto start = std::chrono::steady_clock::now();
  Reply reply = waiter->Run({"BRPOP", "queue", "5"});
  push.join();
  EXPECT_EQ(Show(reply.get()), "[queue, job-1]");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  EXPECT_REPLY(waiter, ":0", "LLEN", "queue");
}

TEST_F(RespTest, Sets) {
  auto r = Admin();
  EXPECT_REPLY(r, ":3", "SADD", "s1", "a", "b", "c");
  EXPECT_REPLY(r, ":0", "SADD", "s1", "a");
  EXPECT_REPLY(r, ":2", "SADD", "s2", "b", "d");
  EXPECT_REPLY(r, ":1", "SISMEMBER", "s1", "a");
  EXPECT_REPLY(r, "[:1, :0]", "SMISMEMBER", "s1", "a", "z");
  EXPECT_REPLY(r, ":3", "SCARD", "s1");
  EXPECT_REPLY(r, "[b]", "SINTER", "s1", "s2");
  EXPECT_EQ(r->Run({"SUNION", "s1", "s2"})->elements, 4u);
  EXPECT_EQ(r->Run({"SDIFF", "s1", "s2"})->elements, 2u);
  EXPECT_REPLY(r, ":1", "SREM", "s1", "a", "z");
  Reply popped = r->Run({"SPOP", "s1"});
  ASSERT_EQ(popped->type, REDIS_REPLY_STRING);
  EXPECT_REPLY(r, ":1", "SCARD", "s1");
  EXPECT_EQ(r->Run({"SMEMBERS", "s2"})->elements, 2u);
  EXPECT_EQ(r->Run({"SRANDMEMBER", "s2", "-5"})->elements, 5u);
  Reply scan = r->Run({"SSCAN", "s2", "0", "COUNT", "100"});
  EXPECT_EQ(scan->element[1]->elements, 2u);
}

TEST_F(RespTest, SortedSets) {
  auto r = Admin();
  EXPECT_REPLY(r, ":3", "ZADD", "z", "1", "a", "2", "b", "3", "c");
  EXPECT_REPLY(r, ":0", "ZADD", "z", "NX", "10", "a");
  EXPECT_REPLY(r, ":1", "ZADD", "z", "CH", "XX", "1.5", "a");
  EXPECT_REPLY(r, "ERR:ERR XX and NX options at the same time are not compatible", "ZADD", "z", "NX", "XX", "1", "a");
  EXPECT_REPLY(r, "ERR:ERR value is not a valid float", "ZADD", "z", "abc", "a");
  EXPECT_REPLY(r, "4.5", "ZADD", "z", "INCR", "3", "a");
  EXPECT_REPLY(r, "4.5", "ZSCORE", "z", "a");
  EXPECT_REPLY(r, "5", "ZINCRBY", "z", "0.5", "a");
  EXPECT_REPLY(r, ":3", "ZCARD", "z");
  EXPECT_REPLY(r, "[b, c, a]", "ZRANGE", "z", "0", "-1");
  EXPECT_REPLY(r, "[a, 5, c, 3]", "ZRANGE", "z", "0", "1", "REV", "WITHSCORES");
  EXPECT_REPLY(r, "[c, a]", "ZRANGE", "z", "(2", "+inf", "BYSCORE");
  EXPECT_REPLY(r, "[a]", "ZRANGE", "z", "+inf", "(2", "BYSCORE", "REV", "LIMIT", "0", "1");
  EXPECT_REPLY(r, "[b, c]", "ZRANGEBYSCORE", "z", "-inf", "3");
  EXPECT_REPLY(r, ":2", "ZRANK", "z", "a");
  EXPECT_REPLY(r, ":0", "ZREVRANK", "z", "a");
  EXPECT_REPLY(r, ":2", "ZCOUNT", "z", "2", "(5");
  EXPECT_REPLY(r, "ERR:ERR min or max is not a float", "ZCOUNT", "z", "x", "1");
  EXPECT_REPLY(r, "[b, 2]", "ZPOPMIN", "z");
  EXPECT_REPLY(r, "[a, 5]", "ZPOPMAX", "z");
  EXPECT_REPLY(r, ":1", "ZREM", "z", "c", "nope");
  EXPECT_REPLY(r, ":0", "EXISTS", "z");
  EXPECT_REPLY(r, ":3", "ZADD", "lex", "0", "apple", "0", "banana", "0", "cherry");
  EXPECT_REPLY(r, "[banana, cherry]", "ZRANGE", "lex", "[b", "+", "BYLEX");
  EXPECT_REPLY(r, "ERR:ERR min or max not valid string range item", "ZRANGE", "lex", "b", "+", "BYLEX");
}

// The commands the family tests above leave out.
TEST_F(RespTest, MoreCommandsOfEachFamily) {
  auto r = Admin();
  // strings
  EXPECT_REPLY(r, "OK", "SET", "s", "abc");
  EXPECT_REPLY(r, ":6", "SETRANGE", "s", "5", "x");
  EXPECT_EQ(r->Run({"GET", "s"})->len, 6u);  // "abc\0\0x"
  EXPECT_REPLY(r, "ERR:ERR offset is out of range", "SETRANGE", "s", "-1", "x");
  EXPECT_REPLY(r, "abc", "SUBSTR", "s", "0", "2");
  EXPECT_REPLY(r, "OK", "SET", "g", "v");
  EXPECT_REPLY(r, "v", "GETEX", "g", "EX", "100");
  EXPECT_REPLY(r, ":100", "TTL", "g");
  EXPECT_REPLY(r, "OK", "SET", "g", "w", "KEEPTTL");
  EXPECT_REPLY(r, ":100", "TTL", "g");
  EXPECT_REPLY(r, "ERR:ERR syntax error", "GETEX", "g", "EX", "1", "PERSIST");
  // keys
  EXPECT_REPLY(r, "OK", "MSET", "a", "1", "b", "2");
  EXPECT_REPLY(r, ":0", "RENAMENX", "a", "b");
  EXPECT_REPLY(r, ":1", "RENAMENX", "a", "c");
  EXPECT_REPLY(r, ":2", "TOUCH", "b", "c", "nope");
  EXPECT_REPLY(r, ":2", "UNLINK", "b", "c");
  EXPECT_REPLY(r, ":1", "PEXPIREAT", "g", "99999999999999");
  EXPECT_REPLY(r, ":99999999999999", "PEXPIRETIME", "g");
  EXPECT_REPLY(r, ":100000000000", "EXPIRETIME", "g");  // rounded, as Redis does
  EXPECT_REPLY(r, ":1", "EXPIREAT", "g", "1");  // in the past: deleted
  EXPECT_REPLY(r, ":0", "EXISTS", "g");
  // hashes
  EXPECT_REPLY(r, ":1", "HSET", "h", "f", "hello");
  EXPECT_REPLY(r, ":5", "HSTRLEN", "h", "f");
  EXPECT_REPLY(r, "OK", "HMSET", "h", "g", "1");
  // lists
  EXPECT_REPLY(r, ":2", "RPUSH", "l", "a", "c");
  EXPECT_REPLY(r, ":3", "LINSERT", "l", "BEFORE", "c", "b");
  EXPECT_REPLY(r, ":-1", "LINSERT", "l", "AFTER", "zz", "x");
  EXPECT_REPLY(r, "[a, b, c]", "LRANGE", "l", "0", "-1");
  EXPECT_REPLY(r, ":0", "LPUSHX", "nolist", "x");
  EXPECT_REPLY(r, ":4", "RPUSHX", "l", "d");
  // sets
  EXPECT_REPLY(r, ":2", "SADD", "s1", "a", "b");
  EXPECT_REPLY(r, ":2", "SADD", "s2", "b", "c");
  EXPECT_REPLY(r, ":1", "SINTERSTORE", "dst", "s1", "s2");
  EXPECT_REPLY(r, "[b]", "SMEMBERS", "dst");
  EXPECT_REPLY(r, ":3", "SUNIONSTORE", "dst", "s1", "s2");
  EXPECT_REPLY(r, ":1", "SDIFFSTORE", "dst", "s1", "s2");
  EXPECT_REPLY(r, ":1", "SMOVE", "s1", "s2", "a");
  EXPECT_REPLY(r, ":0", "SISMEMBER", "s1", "a");
  EXPECT_REPLY(r, ":3", "SCARD", "s2");
  // sorted sets
  EXPECT_REPLY(r, ":4", "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
  EXPECT_REPLY(r, "[1, (nil)]", "ZMSCORE", "z", "a", "x");
  EXPECT_REPLY(r, ":1", "ZREMRANGEBYSCORE", "z", "(3", "+inf");
  EXPECT_REPLY(r, ":1", "ZREMRANGEBYRANK", "z", "0", "0");
  EXPECT_REPLY(r, "[c, b]", "ZREVRANGE", "z", "0", "-1");
  EXPECT_REPLY(r, "[c, 3]", "ZREVRANGEBYSCORE", "z", "+inf", "(2", "WITHSCORES");
  EXPECT_REPLY(r, ":3", "ZADD", "lex", "0", "a", "0", "b", "0", "c");
  EXPECT_REPLY(r, ":2", "ZLEXCOUNT", "lex", "(a", "+");
  EXPECT_REPLY(r, "[c, b]", "ZREVRANGEBYLEX", "lex", "+", "(a");
  EXPECT_REPLY(r, ":1", "ZREMRANGEBYLEX", "lex", "[a", "[a");
  EXPECT_REPLY(r, "[0, [b, 0, c, 0]]", "ZSCAN", "lex", "0");
  // connection and server
  EXPECT_NE(Show(r->Run({"CLIENT", "INFO"}).get()).find("cmd="), std::string::npos);
  std::string keyspace = Show(r->Run({"INFO", "keyspace"}).get());
  EXPECT_NE(keyspace.find("db0:keys="), std::string::npos) << keyspace;
  EXPECT_EQ(Show(r->Run({"INFO", "keyspace"}).get()).find("# Server"), std::string::npos);
  EXPECT_REPLY(r, "[[get, :2, [readonly], :1, :1, :1, [], [], [], []]]", "COMMAND", "INFO", "get");
  EXPECT_REPLY(r, "RESET", "RESET");
  EXPECT_REPLY(r, "ERR:NOAUTH Authentication required.", "GET", "a");  // RESET logs out
  EXPECT_REPLY(r, "OK", "QUIT");
}

TEST_F(RespTest, MultiExecAndWatch) {
  auto r = Admin();
  auto other = Admin();
  EXPECT_REPLY(r, "OK", "MULTI");
  EXPECT_REPLY(r, "QUEUED", "SET", "m", "1");
  EXPECT_REPLY(r, "QUEUED", "INCR", "m");
  EXPECT_REPLY(r, "[OK, :2]", "EXEC");
  EXPECT_REPLY(r, "ERR:ERR EXEC without MULTI", "EXEC");
  EXPECT_REPLY(r, "OK", "MULTI");
  EXPECT_REPLY(r, "ERR:ERR unknown command 'NOPE', with args beginning with: ", "NOPE");
  EXPECT_REPLY(r, "ERR:EXECABORT Transaction discarded because of previous errors.", "EXEC");
  // WATCH: a change by another client makes EXEC fail.
  EXPECT_REPLY(r, "OK", "WATCH", "m");
  EXPECT_REPLY(other, ":3", "INCR", "m");
  EXPECT_REPLY(r, "OK", "MULTI");
  EXPECT_REPLY(r, "QUEUED", "SET", "m", "100");
  EXPECT_REPLY(r, "(nil)", "EXEC");
  EXPECT_REPLY(r, "3", "GET", "m");
  // Unchanged: EXEC runs.
  EXPECT_REPLY(r, "OK", "WATCH", "m");
  EXPECT_REPLY(r, "OK", "MULTI");
  EXPECT_REPLY(r, "QUEUED", "SET", "m", "100");
  EXPECT_REPLY(r, "[OK]", "EXEC");
  EXPECT_REPLY(r, "OK", "MULTI");
  EXPECT_REPLY(r, "OK", "DISCARD");
  EXPECT_REPLY(r, "ERR:ERR DISCARD without MULTI", "DISCARD");
  // A failing command inside EXEC does not stop the others (Redis has no rollback).
  EXPECT_REPLY(r, "OK", "MULTI");
  EXPECT_REPLY(r, "QUEUED", "LPUSH", "m", "x");
  EXPECT_REPLY(r, "QUEUED", "SET", "after", "1");
  EXPECT_REPLY(r, "[ERR:WRONGTYPE Operation against a key holding the wrong kind of value, OK]", "EXEC");
}

// Concurrent clients: INCR is atomic, and MULTI/EXEC transfers between two keys never lose or
// create anything (a transaction is serializable), also while WATCH-based transfers retry.
TEST_F(RespTest, ConcurrentClientsKeepCountersAndTransfersExact) {
  constexpr int kClients = 4, kRounds = 300;
  auto setup = Admin();
  EXPECT_REPLY(setup, "OK", "MSET", "left", "1000", "right", "1000");
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      Redis r(server_->resp_port());
      if (Show(r.Run({"AUTH", "admin", kAdminPassword}).get()) != "OK") {
        ++failures;
        return;
      }
      for (int i = 0; i < kRounds; ++i) {
        if (r.Run({"INCR", "counter"})->type != REDIS_REPLY_INTEGER) ++failures;
        // A transfer as one MULTI/EXEC block, in alternating directions.
        const char* from = (i + t) % 2 ? "left" : "right";
        const char* to = (i + t) % 2 ? "right" : "left";
        r.Append({"MULTI"});
        r.Append({"DECRBY", from, "3"});
        r.Append({"INCRBY", to, "3"});
        r.Append({"EXEC"});
        for (int k = 0; k < 3; ++k) r.Next();
        Reply exec = r.Next();
        if (!exec || exec->type != REDIS_REPLY_ARRAY || exec->elements != 2) ++failures;
        // A check-and-set with WATCH: retried until EXEC succeeds.
        for (int attempt = 0; attempt < 1000; ++attempt) {
          r.Run({"WATCH", "cas"});
          Reply current = r.Run({"GET", "cas"});
          int64_t value = current->type == REDIS_REPLY_STRING ? std::stoll(current->str) : 0;
          r.Append({"MULTI"});
          r.Append({"SET", "cas", std::to_string(value + 1)});
          r.Append({"EXEC"});
          r.Next();
          r.Next();
          Reply exec_cas = r.Next();
          if (exec_cas && exec_cas->type == REDIS_REPLY_ARRAY) break;  // nil: someone else won, retry
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_REPLY(setup, std::to_string(kClients * kRounds), "GET", "counter");
  Reply left = setup->Run({"GET", "left"}), right = setup->Run({"GET", "right"});
  EXPECT_EQ(std::stoll(left->str) + std::stoll(right->str), 2000);
  EXPECT_REPLY(setup, std::to_string(kClients * kRounds), "GET", "cas");  // every increment exactly once
}

TEST_F(RespTest, ConnectionCommands) {
  auto r = Admin();
  EXPECT_REPLY(r, "PONG", "PING");
  EXPECT_REPLY(r, "hi", "PING", "hi");
  EXPECT_REPLY(r, "hi", "ECHO", "hi");
  EXPECT_REPLY(r, "OK", "CLIENT", "SETNAME", "tester");
  EXPECT_REPLY(r, "tester", "CLIENT", "GETNAME");
  EXPECT_EQ(r->Run({"CLIENT", "ID"})->type, REDIS_REPLY_INTEGER);
  std::string list = Show(r->Run({"CLIENT", "LIST"}).get());
  EXPECT_NE(list.find("name=tester"), std::string::npos) << list;
  std::string info = Show(r->Run({"INFO"}).get());
  for (const char* section : {"# Server", "# Clients", "# Memory", "# Persistence", "# Stats", "# Keyspace"}) {
    EXPECT_NE(info.find(section), std::string::npos) << section;
  }
  EXPECT_EQ(r->Run({"TIME"})->elements, 2u);
  EXPECT_GT(r->Run({"COMMAND", "COUNT"})->integer, 100);
  EXPECT_REPLY(r, "[databases, 16]", "CONFIG", "GET", "databases");
  EXPECT_REPLY(r, "ERR:ERR unknown command 'FOO', with args beginning with: 'a' ", "FOO", "a");
  EXPECT_REPLY(r, "ERR:ERR wrong number of arguments for 'get' command", "GET");
}

// hiredis 0.14 (Debian 12) speaks RESP2 only: RESP3 is read with LytDB's own decoder.
TEST_F(RespTest, Resp3Hello) {
  Redis r(server_->resp_port());
  ASSERT_TRUE(r.ok());
  std::string in;
  auto request = [&](const std::vector<std::string>& words) {
    std::string out = "*" + std::to_string(words.size()) + "\r\n";
    for (const auto& w : words) out += "$" + std::to_string(w.size()) + "\r\n" + w + "\r\n";
    EXPECT_EQ(::send(r.ctx()->fd, out.data(), out.size(), 0), static_cast<ssize_t>(out.size()));
    resp::Value value;
    for (;;) {
      size_t consumed = 0;
      std::string error;
      auto result = resp::DecodeValue(in, resp::Limits{}, &consumed, &value, &error);
      if (result == resp::DecodeResult::kValue) {
        in.erase(0, consumed);
        return value;
      }
      EXPECT_EQ(result, resp::DecodeResult::kNeedMore) << error;
      char buffer[4096];
      ssize_t n = ::recv(r.ctx()->fd, buffer, sizeof buffer, 0);
      if (n <= 0) return resp::Value{};
      in.append(buffer, static_cast<size_t>(n));
    }
  };
  resp::Value hello = request({"HELLO", "3", "AUTH", "admin", kAdminPassword, "SETNAME", "three"});
  ASSERT_EQ(hello.type, resp::Value::Type::kMap);
  ASSERT_EQ(hello.elements.size(), 14u);
  EXPECT_EQ(hello.elements[4].str, "proto");
  EXPECT_EQ(hello.elements[5].integer, 3);
  EXPECT_EQ(request({"HSET", "h", "a", "1", "b", "2"}).integer, 2);
  resp::Value all = request({"HGETALL", "h"});
  EXPECT_EQ(all.type, resp::Value::Type::kMap);
  EXPECT_EQ(all.elements.size(), 4u);
  resp::Value score = request({"ZADD", "z", "INCR", "1.5", "m"});
  EXPECT_EQ(score.type, resp::Value::Type::kDouble);
  EXPECT_EQ(score.number, 1.5);
  EXPECT_EQ(request({"GET", "missing"}).type, resp::Value::Type::kNull);
  resp::Value members = request({"SMEMBERS", "nothing"});
  EXPECT_EQ(members.type, resp::Value::Type::kSet);
  resp::Value pairs = request({"ZRANGE", "z", "0", "-1", "WITHSCORES"});
  ASSERT_EQ(pairs.elements.size(), 1u);
  EXPECT_EQ(pairs.elements[0].type, resp::Value::Type::kArray);  // [member, score] in RESP3
  resp::Value bad = request({"HELLO", "4"});
  EXPECT_EQ(bad.type, resp::Value::Type::kError);
  EXPECT_EQ(bad.str, "NOPROTO unsupported protocol version");
}

// The keys Redis clients wrote are visible to SQL, read-only, in the same database.
TEST_F(RespTest, KeysAreVisibleToSqlAsLytKv) {
  auto r = Admin();
  EXPECT_REPLY(r, "OK", "SET", "s", "hello");
  EXPECT_REPLY(r, ":2", "RPUSH", "l", "a", "b");
  EXPECT_REPLY(r, ":1", "HSET", "h", "f", "v");
  EXPECT_REPLY(r, "OK", "SET", "t", "x", "EX", "100");
  EXPECT_REPLY(r, "OK", "SELECT", "1");
  EXPECT_REPLY(r, "OK", "SET", "other-db", "x");
  std::unique_ptr<Connection> conn;
  ASSERT_TRUE(Connection::Connect(server_->Uri(), &conn).ok());
  auto result = conn->Query("SELECT key, type, length, value, ttl_ms IS NOT NULL AND ttl_ms > 90000 FROM lyt_kv ORDER BY key");
  ASSERT_TRUE(result->ok()) << result->status().ToString();
  std::vector<std::string> rows;
  while (const ResultBatch* batch = result->NextBatch()) {
    for (size_t i = 0; i < batch->row_count(); ++i) {
      std::string row = std::string(batch->GetString(0, i)) + " " + std::string(batch->GetString(1, i)) + " " +
                        std::to_string(batch->GetInt64(2, i)) + " " +
                        (batch->IsNull(3, i) ? "NULL" : std::string(batch->GetString(3, i))) + " " +
                        (batch->GetInt64(4, i) ? "ttl" : "-");
      rows.push_back(row);
    }
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"h hash 1 NULL -", "l list 2 NULL -", "s string 5 hello -", "t string 1 x ttl"}));
  auto refused = conn->Query("DELETE FROM lyt_kv");
  EXPECT_FALSE(refused->ok());
}

TEST_F(RespTest, PipelinedCommandsAnswerInOrder) {
  auto r = Admin();
  for (int i = 0; i < 1000; ++i) r->Append({"RPUSH", "p", std::to_string(i)});
  r->Append({"LLEN", "p"});
  for (int i = 0; i < 1000; ++i) {
    Reply reply = r->Next();
    ASSERT_TRUE(reply);
    ASSERT_EQ(reply->integer, i + 1);
  }
  EXPECT_EQ(Show(r->Next().get()), ":1000");
}

TEST_F(RespTest, BadInputGetsAnErrorAndTheServerStaysUp) {
  // Raw bytes: a malformed multibulk length gets Redis's error, then the connection closes.
  Redis r(server_->resp_port());
  ASSERT_TRUE(r.ok());
  const char bad[] = "*abc\r\n";
  ASSERT_EQ(::send(r.ctx()->fd, bad, sizeof bad - 1, 0), static_cast<ssize_t>(sizeof bad - 1));
  char buffer[256] = {0};
  ssize_t n = ::recv(r.ctx()->fd, buffer, sizeof buffer - 1, 0);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buffer, static_cast<size_t>(n)), "-ERR Protocol error: invalid multibulk length\r\n");
  EXPECT_EQ(::recv(r.ctx()->fd, buffer, sizeof buffer, 0), 0);  // closed
  // Before AUTH, a big request is refused (Redis's unauthenticated limits).
  Redis big(server_->resp_port());
  std::string huge = "*1\r\n$100000\r\n";
  ASSERT_EQ(::send(big.ctx()->fd, huge.data(), huge.size(), 0), static_cast<ssize_t>(huge.size()));
  n = ::recv(big.ctx()->fd, buffer, sizeof buffer - 1, 0);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buffer, static_cast<size_t>(n)), "-ERR Protocol error: unauthenticated bulk length\r\n");
  // Inline commands work too.
  Redis inline_client(server_->resp_port());
  const char ping[] = "AUTH admin admin-secret-1\r\nPING\r\n";
  ASSERT_EQ(::send(inline_client.ctx()->fd, ping, sizeof ping - 1, 0), static_cast<ssize_t>(sizeof ping - 1));
  std::string got;
  while (got.size() < 12) {
    n = ::recv(inline_client.ctx()->fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    got.append(buffer, static_cast<size_t>(n));
  }
  EXPECT_EQ(got, "+OK\r\n+PONG\r\n");
  auto admin = Admin();
  EXPECT_REPLY(admin, "PONG", "PING");
}

// Acknowledged writes under fsync = always survive a SIGKILL, TTLs included; expired keys stay
// gone after the restart.
TEST(RespDurability, AcknowledgedWritesSurviveSigkill) {
  std::string data_dir;
  {
    TestServer server({"--fsync", "always"});
    ASSERT_TRUE(server.started()) << server.Output();
    server.KeepDataDir();
    data_dir = server.data_dir();
    Redis r(server.resp_port());
    EXPECT_REPLY(&r, "OK", "AUTH", "admin", kAdminPassword);
    for (int i = 0; i < 200; ++i) ASSERT_EQ(Show(r.Run({"SET", "k" + std::to_string(i), "v" + std::to_string(i)}).get()), "OK");
    EXPECT_REPLY(&r, ":3", "RPUSH", "list", "a", "b", "c");
    EXPECT_REPLY(&r, ":2", "HSET", "hash", "f", "1", "g", "2");
    EXPECT_REPLY(&r, ":2", "ZADD", "zs", "1.25", "x", "-3", "y");
    EXPECT_REPLY(&r, ":2", "SADD", "set", "p", "q");
    EXPECT_REPLY(&r, "OK", "SET", "ttl", "v", "EX", "1000");
    EXPECT_REPLY(&r, "OK", "SET", "short", "v", "PX", "200");
    EXPECT_REPLY(&r, ":1", "INCR", "counter");
    // A checkpoint in the middle: some changes come from its image, the rest from the log.
    std::unique_ptr<Connection> conn;
    ASSERT_TRUE(Connection::Connect(server.Uri(), &conn).ok());
    ASSERT_TRUE(conn->Execute("CHECKPOINT").ok());
    EXPECT_REPLY(&r, ":2", "INCR", "counter");
    EXPECT_REPLY(&r, "b", "LINDEX", "list", "1");
    EXPECT_REPLY(&r, "a", "LPOP", "list");
    server.Stop(SIGKILL);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  TestServer again({"--fsync", "always"}, {}, data_dir);
  ASSERT_TRUE(again.started()) << again.Output();
  Redis r(again.resp_port());
  EXPECT_REPLY(&r, "OK", "AUTH", "admin", kAdminPassword);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(Show(r.Run({"GET", "k" + std::to_string(i)}).get()), "v" + std::to_string(i));
  EXPECT_REPLY(&r, "[b, c]", "LRANGE", "list", "0", "-1");
  EXPECT_REPLY(&r, "1", "HGET", "hash", "f");
  EXPECT_REPLY(&r, "2", "HGET", "hash", "g");
  EXPECT_REPLY(&r, "[y, -3, x, 1.25]", "ZRANGE", "zs", "0", "-1", "WITHSCORES");
  EXPECT_REPLY(&r, ":2", "SCARD", "set");
  EXPECT_REPLY(&r, "2", "GET", "counter");
  Reply ttl = r.Run({"TTL", "ttl"});
  EXPECT_GT(ttl->integer, 990);
  EXPECT_REPLY(&r, ":0", "EXISTS", "short");
}

// Under fsync = batch, each event loop writes the log once per pass for all its connections'
// batches (LogWriter::Stage). A SIGKILL in the middle of pipelined writes from several clients
// must still keep every acknowledged write, and every value a reader was shown: a reply never
// goes out before the changes it shows are written.
TEST(RespDurability, PipelinedWritesOfManyClientsSurviveSigkillMidway) {
  constexpr int kWriters = 6;
  constexpr int kPipeline = 16;
  std::string data_dir;
  std::vector<long long> acknowledged(kWriters, 0);  // the last own counter value a writer was told
  std::atomic<long long> shared_acknowledged{0};     // the highest "shared" value any INCR returned
  std::atomic<long long> shared_seen{0};             // the highest value a GET showed
  std::atomic<int> batches{0};
  {
    TestServer server({"--fsync", "batch"});
    ASSERT_TRUE(server.started()) << server.Output();
    server.KeepDataDir();
    data_dir = server.data_dir();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::atomic<bool> stop{false};
    auto max_into = [](std::atomic<long long>& target, long long value) {
      long long now = target.load();
      while (value > now && !target.compare_exchange_weak(now, value)) {
      }
    };
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
      threads.emplace_back([&, w] {
        Redis r(server.resp_port());
        if (Show(r.Run({"AUTH", "admin", kAdminPassword}).get()) != "OK") return;
        std::string own = "counter:" + std::to_string(w);
        for (int batch = 0; batch < 5000 && !stop && std::chrono::steady_clock::now() < deadline; ++batch) {
          for (int i = 0; i < kPipeline; ++i) r.Append(i % 2 ? std::vector<std::string>{"INCR", "shared"} : std::vector<std::string>{"INCR", own});
          for (int i = 0; i < kPipeline; ++i) {
            Reply reply = r.Next();
            if (!reply || reply->type != REDIS_REPLY_INTEGER) return;  // the server is gone
            if (i % 2) max_into(shared_acknowledged, reply->integer);
            else acknowledged[w] = reply->integer;
          }
          ++batches;
        }
      });
    }
    threads.emplace_back([&] {
      Redis r(server.resp_port());
      if (Show(r.Run({"AUTH", "admin", kAdminPassword}).get()) != "OK") return;
      while (!stop && std::chrono::steady_clock::now() < deadline) {
        Reply reply = r.Run({"GET", "shared"});
        if (!reply) return;
        if (reply->type == REDIS_REPLY_STRING) max_into(shared_seen, std::stoll(std::string(reply->str, reply->len)));
      }
    });
    // Kill once the writers are well under way (bounded: 10 s at most).
    for (int i = 0; i < 1000 && batches < 200 * kWriters; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    server.Stop(SIGKILL);
    stop = true;
    for (auto& t : threads) t.join();
    ASSERT_GT(batches.load(), 0);
  }
  TestServer again({"--fsync", "batch"}, {}, data_dir);
  ASSERT_TRUE(again.started()) << again.Output();
  Redis r(again.resp_port());
  EXPECT_REPLY(&r, "OK", "AUTH", "admin", kAdminPassword);
  for (int w = 0; w < kWriters; ++w) {
    Reply own = r.Run({"GET", "counter:" + std::to_string(w)});
    long long recovered = own && own->type == REDIS_REPLY_STRING ? std::stoll(std::string(own->str, own->len)) : 0;
    EXPECT_GE(recovered, acknowledged[w]) << "writer " << w;
  }
  Reply shared = r.Run({"GET", "shared"});
  long long recovered = shared && shared->type == REDIS_REPLY_STRING ? std::stoll(std::string(shared->str, shared->len)) : 0;
  EXPECT_GE(recovered, shared_acknowledged.load());
  EXPECT_GE(recovered, shared_seen.load());
}

}  // namespace
}  // namespace lyt::testing
