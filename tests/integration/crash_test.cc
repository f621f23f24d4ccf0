// The crash test: a real lytdb under concurrent write load from several clients is killed with
// SIGKILL at random moments; after every restart each acknowledged commit must be there in full
// and no transaction may be there in part. LYT_CRASH_CYCLES sets the number of kill/restart
// cycles (20 by default, in the test command; hundreds on demand), LYT_CRASH_SEED the seed.
#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <iostream>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "lyt/client.h"
#include "test_server.h"

namespace lyt::testing {
namespace {

using client::Connection;

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::atoi(value) : fallback;
}

using Key = std::pair<int64_t, int64_t>;  // (writer, seq): one transaction of three rows

// Writes transactions of three rows until the server dies, recording the acknowledged ones.
void WriteUntilKilled(const std::string& uri, int64_t writer, std::mutex& mutex, std::set<Key>& acked) {
  std::unique_ptr<Connection> conn;
  if (!Connection::Connect(uri, &conn).ok()) return;
  for (int64_t seq = 0;; ++seq) {
    Status status;
    std::vector<Value> params{Value::BigInt(writer), Value::BigInt(seq)};
    if (seq % 2 == 0) {
      // One statement, three rows.
      status = conn->Execute("INSERT INTO t VALUES ($1, $2, 0, 'a'), ($1, $2, 1, 'b'), ($1, $2, 2, 'c')", params);
    } else {
      // A transaction block of three statements; also deletes a row of an older transaction
      // and puts it back, so updates are replayed too.
      status = conn->Execute("BEGIN");
      for (int part = 0; part < 3 && status.ok(); ++part) {
        status = conn->Execute("INSERT INTO t VALUES ($1, $2, $3, repeat('x', 100))", {params[0], params[1], Value::Integer(part)});
      }
      if (status.ok() && seq > 2) status = conn->Execute("UPDATE t SET note = 'u' WHERE writer = $1 AND seq = $2 - 2 AND part = 1", params);
      if (status.ok()) status = conn->Execute("COMMIT");
    }
    if (!status.ok()) return;  // the server is gone: this transaction is not acknowledged
    std::lock_guard lock(mutex);
    acked.insert({writer, seq});
  }
}

// Every transaction present has all three rows; every acknowledged one is present.
void Verify(const TestServer& server, const std::set<Key>& acked, int cycle) {
  std::unique_ptr<Connection> conn;
  Status status = Connection::Connect(server.Uri(), &conn);
  ASSERT_TRUE(status.ok()) << status.ToString() << "\n" << server.Output();
  auto result = conn->Query("SELECT writer, seq, count(*) FROM t GROUP BY writer, seq");
  ASSERT_TRUE(result->ok()) << result->status().ToString();
  std::map<Key, int64_t> present;
  while (const ResultBatch* batch = result->NextBatch()) {
    for (size_t r = 0; r < batch->row_count(); ++r) present[{batch->GetInt64(0, r), batch->GetInt64(1, r)}] = batch->GetInt64(2, r);
  }
  for (const auto& [key, rows] : present) {
    ASSERT_EQ(rows, 3) << "cycle " << cycle << ": transaction (" << key.first << ", " << key.second << ") is there in part";
  }
  for (const Key& key : acked) {
    ASSERT_TRUE(present.count(key)) << "cycle " << cycle << ": acknowledged transaction (" << key.first << ", " << key.second
                                    << ") was lost";
  }
}

TEST(Crash, AcknowledgedCommitsSurviveSigkill) {
  const int cycles = EnvInt("LYT_CRASH_CYCLES", 20);
  const unsigned seed = static_cast<unsigned>(EnvInt("LYT_CRASH_SEED", static_cast<int>(std::random_device{}())));
  std::mt19937 rng(seed);
  SCOPED_TRACE("LYT_CRASH_SEED=" + std::to_string(seed));
  // Small checkpoint triggers, so that kills also land in checkpoints and segment switches.
  const std::vector<std::string> args{"--fsync", "always", "--checkpoint-wal-bytes", "256kB", "--checkpoint-interval-s", "1"};
  std::string data_dir;
  {
    TestServer first(args);
    ASSERT_TRUE(first.started()) << first.Output();
    first.KeepDataDir();
    data_dir = first.data_dir();
    std::unique_ptr<Connection> conn;
    ASSERT_TRUE(Connection::Connect(first.Uri(), &conn).ok());
    ASSERT_TRUE(conn->Execute("CREATE TABLE t(writer BIGINT, seq BIGINT, part INTEGER, note TEXT, PRIMARY KEY (writer, seq, part))").ok());
  }
  std::set<Key> acked;
  std::mutex mutex;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    TestServer server(args, {}, data_dir);
    ASSERT_TRUE(server.started()) << "cycle " << cycle << ": the server did not start again\n" << server.Output();
    server.KeepDataDir();
    Verify(server, acked, cycle);
    if (::testing::Test::HasFatalFailure()) return;
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      int64_t writer = int64_t(cycle) * 100 + w;
      writers.emplace_back([&, writer] { WriteUntilKilled(server.Uri(), writer, mutex, acked); });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(50, 700)(rng)));
    server.Stop(SIGKILL);
    for (auto& t : writers) t.join();
  }
  TestServer last(args, {}, data_dir);
  ASSERT_TRUE(last.started()) << last.Output();
  Verify(last, acked, cycles);
  EXPECT_GT(acked.size(), static_cast<size_t>(cycles));  // the load did write
  std::cout << cycles << " kill/restart cycles, " << acked.size() << " acknowledged transactions all present (seed " << seed << ")\n";
  std::error_code ignored;
  std::filesystem::remove_all(std::filesystem::path(data_dir).parent_path(), ignored);
}

}  // namespace
}  // namespace lyt::testing
