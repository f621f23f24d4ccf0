// Snapshot isolation under real threads: each thread has its own connection to one database.
// Run in the ASan build and, in the test command, under ThreadSanitizer. Loops are bounded in
// count; nothing here asserts on timing.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <random>
#include <thread>

#include "lyt/database.h"
#include "query_int.h"

namespace lyt {
namespace {

std::unique_ptr<Database> OpenDatabase() {
  std::unique_ptr<Database> db;
  EXPECT_TRUE(Database::Open({}, &db).ok());
  return db;
}

bool IsConflict(const QueryResult& r) { return !r.ok() && r.status().sqlstate() == "40001"; }

// Every cell of an integer result (NULL reads as 0).
std::vector<std::vector<int64_t>> Rows(QueryResult& r) {
  std::vector<std::vector<int64_t>> rows;
  while (const ResultBatch* b = r.NextBatch()) {
    for (size_t i = 0; i < b->row_count(); ++i) {
      auto& row = rows.emplace_back();
      for (size_t c = 0; c < b->column_count(); ++c) row.push_back(b->GetInt64(c, i));
    }
  }
  return rows;
}

// Read-modify-write in separate statements: without first-updater-wins two transactions would
// both read n and both write n + 1.
TEST(TransactionThreads, LostUpdatesAreImpossible) {
  auto db = OpenDatabase();
  auto setup = db->Connect();
  ASSERT_TRUE(setup->Execute("CREATE TABLE counter(id INTEGER PRIMARY KEY, n BIGINT); INSERT INTO counter VALUES (1, 0)").ok());
  constexpr int kThreads = 4, kIncrements = 40, kMaxAttempts = 20000;
  std::atomic<int> commits{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto c = db->Connect();
      int done = 0;
      for (int attempt = 0; done < kIncrements && attempt < kMaxAttempts; ++attempt) {
        ASSERT_TRUE(c->Execute("BEGIN").ok());
        auto read = c->Query("SELECT n FROM counter WHERE id = 1");
        ASSERT_TRUE(read->ok()) << read->status().ToString();
        int64_t n = Rows(*read)[0][0];
        auto write = c->Query("UPDATE counter SET n = " + std::to_string(n + 1) + " WHERE id = 1");
        if (IsConflict(*write)) {
          ++conflicts;
          ASSERT_TRUE(c->Execute("ROLLBACK").ok());
          continue;
        }
        ASSERT_TRUE(write->ok()) << write->status().ToString();
        auto commit = c->Query("COMMIT");
        ASSERT_TRUE(commit->ok());
        ASSERT_EQ(commit->command_tag(), "COMMIT");
        ++done;
        ++commits;
      }
      EXPECT_EQ(done, kIncrements);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(commits.load(), kThreads * kIncrements);
  EXPECT_EQ(QueryInt(*setup, "SELECT n FROM counter"), kThreads * kIncrements);
}

// Autocommit increments never fail and never lose an update: autocommit writers of one table
// take its writer mutex through their commit and read the latest commit.
TEST(TransactionThreads, AutocommitIncrementsAllCount) {
  auto db = OpenDatabase();
  auto setup = db->Connect();
  ASSERT_TRUE(setup->Execute("CREATE TABLE counter(id INTEGER PRIMARY KEY, n BIGINT); INSERT INTO counter VALUES (1, 0)").ok());
  constexpr int kThreads = 4, kIncrements = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto c = db->Connect();
      for (int i = 0; i < kIncrements; ++i) {
        auto r = c->Query("UPDATE counter SET n = n + 1 WHERE id = 1");
        if (!r->ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(QueryInt(*setup, "SELECT n FROM counter"), kThreads * kIncrements);
}

// Transfers keep the total constant; readers must always see the total (no dirty reads of a
// half-done transfer, committed or rolled back) and the same rows twice within one block (no
// non-repeatable reads).
TEST(TransactionThreads, ReadersSeeConsistentSnapshots) {
  auto db = OpenDatabase();
  auto setup = db->Connect();
  ASSERT_TRUE(setup->Execute("CREATE TABLE acct(id INTEGER PRIMARY KEY, balance INTEGER)").ok());
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(setup->Execute("INSERT INTO acct VALUES (" + std::to_string(i) + ", 100)").ok());
  }
  constexpr int kTransfers = 60, kReads = 60;
  std::atomic<int> committed{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 2; ++w) {
    threads.emplace_back([&, w] {
      auto c = db->Connect();
      std::mt19937 rng(w + 1);
      for (int i = 0; i < kTransfers; ++i) {
        int from = static_cast<int>(rng() % 10), to = static_cast<int>(rng() % 10), amount = static_cast<int>(rng() % 50);
        ASSERT_TRUE(c->Execute("BEGIN").ok());
        bool ok = c->Execute("UPDATE acct SET balance = balance - " + std::to_string(amount) + " WHERE id = " + std::to_string(from)).ok() &&
                  c->Execute("UPDATE acct SET balance = balance + " + std::to_string(amount) + " WHERE id = " + std::to_string(to)).ok();
        bool commit = ok && rng() % 4 != 0;  // every fourth transfer changes its mind
        auto end = c->Query(commit ? "COMMIT" : "ROLLBACK");
        ASSERT_TRUE(end->ok());
        if (commit) ++committed;
      }
    });
  }
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&] {
      auto c = db->Connect();
      for (int i = 0; i < kReads; ++i) {
        EXPECT_EQ(QueryInt(*c, "SELECT sum(balance) FROM acct"), 1000);
        ASSERT_TRUE(c->Execute("BEGIN").ok());
        auto first = c->Query("SELECT id, balance FROM acct ORDER BY id");
        ASSERT_TRUE(first->ok());
        std::this_thread::yield();
        auto second = c->Query("SELECT id, balance FROM acct ORDER BY id");
        ASSERT_TRUE(second->ok());
        auto second_rows = Rows(*second);
        EXPECT_EQ(Rows(*first), second_rows);
        int64_t total = 0;
        for (const auto& row : second_rows) total += row[1];
        EXPECT_EQ(total, 1000);
        ASSERT_TRUE(c->Execute("COMMIT").ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_GT(committed.load(), 0);
  EXPECT_EQ(QueryInt(*setup, "SELECT sum(balance) FROM acct"), 1000);
  EXPECT_EQ(QueryInt(*setup, "SELECT count(*) FROM acct"), 10);
}

// Two blocks that took their snapshots before either wrote: exactly one of two writes to the
// same row succeeds, the other gets 40001, and the row shows only the winner's change.
TEST(TransactionThreads, ConcurrentWritersOfOneRowConflict) {
  auto db = OpenDatabase();
  auto setup = db->Connect();
  ASSERT_TRUE(setup->Execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER); INSERT INTO t VALUES (1, 0)").ok());
  constexpr int kRounds = 15;
  for (int round = 0; round < kRounds; ++round) {
    std::barrier sync(2);
    std::atomic<int> wins{0}, conflicts{0};
    std::vector<std::thread> threads;
    for (int t = 1; t <= 2; ++t) {
      threads.emplace_back([&, t] {
        auto c = db->Connect();
        ASSERT_TRUE(c->Execute("BEGIN").ok());
        ASSERT_TRUE(c->Query("SELECT v FROM t")->ok());  // takes the snapshot
        sync.arrive_and_wait();
        auto w = c->Query("UPDATE t SET v = " + std::to_string(t) + " WHERE id = 1");
        sync.arrive_and_wait();  // both writes attempted before either commits
        if (w->ok()) {
          ASSERT_TRUE(c->Execute("COMMIT").ok());
          wins.fetch_add(t);
        } else {
          EXPECT_TRUE(IsConflict(*w)) << w->status().ToString();
          ++conflicts;
          ASSERT_TRUE(c->Execute("ROLLBACK").ok());
        }
      });
    }
    for (auto& t : threads) t.join();
    ASSERT_EQ(conflicts.load(), 1);
    EXPECT_EQ(QueryInt(*setup, "SELECT v FROM t WHERE id = 1"), wins.load());
    EXPECT_EQ(QueryInt(*setup, "SELECT count(*) FROM t"), 1);
  }
}

// Writers on different tables and readers never wait for each other's transactions: a block
// holding uncommitted changes does not stop others from reading or writing elsewhere.
TEST(TransactionThreads, OpenBlocksDoNotBlockOthers) {
  auto db = OpenDatabase();
  auto a = db->Connect(), b = db->Connect();
  ASSERT_TRUE(a->Execute("CREATE TABLE x(v INTEGER); CREATE TABLE y(v INTEGER); INSERT INTO x VALUES (1)").ok());
  ASSERT_TRUE(a->Execute("BEGIN; UPDATE x SET v = 2; INSERT INTO y VALUES (1)").ok());
  std::thread other([&] {
    EXPECT_EQ(QueryInt(*b, "SELECT v FROM x"), 1);
    EXPECT_TRUE(b->Execute("INSERT INTO x VALUES (5)").ok());
    EXPECT_TRUE(b->Execute("INSERT INTO y VALUES (7)").ok());
    EXPECT_EQ(QueryInt(*b, "SELECT count(*) FROM y"), 1);
  });
  other.join();
  ASSERT_TRUE(a->Execute("COMMIT").ok());
  EXPECT_EQ(QueryInt(*b, "SELECT sum(v) FROM x"), 7);
  EXPECT_EQ(QueryInt(*b, "SELECT count(*) FROM y"), 2);
}

TEST(TransactionThreads, ClosingAConnectionRollsBackItsBlock) {
  auto db = OpenDatabase();
  auto keep = db->Connect();
  ASSERT_TRUE(keep->Execute("CREATE TABLE t(v INTEGER)").ok());
  {
    auto gone = db->Connect();
    ASSERT_TRUE(gone->Execute("BEGIN; INSERT INTO t VALUES (1)").ok());
  }
  EXPECT_EQ(QueryInt(*keep, "SELECT count(*) FROM t"), 0);
  EXPECT_TRUE(keep->Execute("DROP TABLE t").ok());  // no open writer left behind
}

}  // namespace
}  // namespace lyt
