// Parallel aggregations and top-N sorts under real threads: while writers move value between
// rows of a table large enough for parallel plans (an UPDATE of two rows in one transaction keeps
// the total), every parallel query sees one snapshot: all its copies agree on the total, the row
// count and the extremes, which the same query on one thread confirms. Loops are bounded; no
// timing asserts.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "lyt/database.h"
#include "query_int.h"

namespace lyt {
namespace {

constexpr int kRows = 100000, kGroups = 64, kTotal = kRows * 10;

TEST(ParallelQueryThreads, CopiesOfOneQueryShareItsSnapshot) {
  std::unique_ptr<Database> db;
  ASSERT_TRUE(Database::Open({}, &db).ok());
  auto setup = db->Connect();
  ASSERT_TRUE(setup->Execute("CREATE TABLE acct(id INTEGER PRIMARY KEY, g INTEGER, v BIGINT)").ok());
  ASSERT_TRUE(setup->Execute("CREATE TABLE d(x INTEGER)").ok());
  ASSERT_TRUE(setup->Execute("INSERT INTO d VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)").ok());
  ASSERT_TRUE(setup->Execute("INSERT INTO acct SELECT n, n % " + std::to_string(kGroups) +
                             ", 10 FROM (SELECT a.x + 10 * b.x + 100 * c.x + 1000 * e.x + 10000 * f.x AS n "
                             "FROM d a, d b, d c, d e, d f) s")
                  .ok());
  ASSERT_NE(QueryInt(*setup, "SELECT count(*) FROM acct"), -1);
  auto plan = setup->Query("EXPLAIN SELECT g, sum(v) FROM acct GROUP BY g");
  ASSERT_TRUE(plan->ok());
  ASSERT_NE(plan->NextBatch()->GetString(0, 1).find("PARALLEL_HASH_GROUP_BY"), std::string::npos);

  std::atomic<bool> stop{false};
  std::atomic<int> transfers{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      auto c = db->Connect();
      std::mt19937 rng(w);
      for (int i = 0; i < 100000 && !stop; ++i) {  // until the readers are done
        int from = static_cast<int>(rng() % kRows), to = static_cast<int>(rng() % kRows);
        int amount = static_cast<int>(rng() % 7) + 1;
        if (!c->Execute("BEGIN").ok()) continue;
        bool ok = c->Execute("UPDATE acct SET v = v - " + std::to_string(amount) + " WHERE id = " + std::to_string(from)).ok() &&
                  c->Execute("UPDATE acct SET v = v + " + std::to_string(amount) + " WHERE id = " + std::to_string(to)).ok();
        ok = c->Execute(ok ? "COMMIT" : "ROLLBACK").ok() && ok;
        if (ok) ++transfers;
      }
    });
  }
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&, r] {
      auto c = db->Connect();
      for (int round = 0; round < 40; ++round) {
        ASSERT_EQ(QueryInt(*c, "SELECT sum(v) FROM acct"), kTotal) << "reader " << r << " round " << round;
        ASSERT_EQ(QueryInt(*c, "SELECT sum(s) FROM (SELECT g, sum(v) AS s FROM acct GROUP BY g) t"), kTotal);
        ASSERT_EQ(QueryInt(*c, "SELECT count(*) FROM (SELECT g FROM acct GROUP BY g) t"), kGroups);
        // Within one transaction, parallel and one-thread runs see the same snapshot.
        ASSERT_TRUE(c->Execute("BEGIN").ok());
        int64_t top = QueryInt(*c, "SELECT v FROM acct ORDER BY v DESC, id LIMIT 1");
        int64_t low = QueryInt(*c, "SELECT min(v) FROM acct");
        ASSERT_TRUE(c->Execute("SET threads = 1").ok());
        EXPECT_EQ(QueryInt(*c, "SELECT max(v) FROM acct"), top);
        EXPECT_EQ(QueryInt(*c, "SELECT v FROM acct ORDER BY v, id LIMIT 1"), low);
        ASSERT_TRUE(c->Execute("RESET threads").ok());
        ASSERT_TRUE(c->Execute("COMMIT").ok());
      }
    });
  }
  for (auto& t : readers) t.join();
  stop = true;
  for (auto& t : writers) t.join();
  EXPECT_GT(transfers.load(), 0);
  EXPECT_EQ(QueryInt(*setup, "SELECT sum(v) FROM acct"), kTotal);
}

}  // namespace
}  // namespace lyt
