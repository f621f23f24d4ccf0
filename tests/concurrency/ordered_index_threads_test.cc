// Range scans through an ordered index under real threads: while writers move rows between
// groups (an UPDATE of the indexed column leaves the old and the new version in the index) and
// insert and delete rows, every count a reader's snapshot takes through the index equals the
// count the same snapshot takes by a full scan. Loops are bounded; no timing asserts.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "lyt/database.h"
#include "query_int.h"

namespace lyt {
namespace {

constexpr int kRows = 400, kGroups = 40;

TEST(OrderedIndexThreads, IndexRangesAgreeWithScansInEverySnapshot) {
  std::unique_ptr<Database> db;
  ASSERT_TRUE(Database::Open({}, &db).ok());
  auto setup = db->Connect();
  ASSERT_TRUE(setup->Execute("CREATE TABLE ev(id INTEGER PRIMARY KEY, g INTEGER, v INTEGER)").ok());
  ASSERT_TRUE(setup->Execute("CREATE INDEX ev_g ON ev (g)").ok());
  for (int r = 0; r < kRows; ++r) {
    ASSERT_TRUE(setup->Execute("INSERT INTO ev VALUES (" + std::to_string(r) + ", " + std::to_string(r % kGroups) + ", 1)").ok());
  }
  std::atomic<bool> stop{false};
  std::atomic<int> writes{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      auto c = db->Connect();
      std::mt19937 rng(w);
      for (int i = 0; i < 100000 && !stop; ++i) {  // until the reader is done
        int r = static_cast<int>(rng() % kRows), g = static_cast<int>(rng() % kGroups);
        std::string sql;
        switch (rng() % 4) {
          case 0: sql = "DELETE FROM ev WHERE id = " + std::to_string(r + kRows * (w + 1)); break;
          case 1: sql = "INSERT INTO ev VALUES (" + std::to_string(r + kRows * (w + 1)) + ", " + std::to_string(g) + ", 1)"; break;
          default: sql = "UPDATE ev SET g = " + std::to_string(g) + " WHERE id = " + std::to_string(r); break;
        }
        auto u = c->Query(sql);
        if (u->ok()) {
          ++writes;
        } else {
          EXPECT_TRUE(u->status().sqlstate() == "40001" || u->status().sqlstate() == "23505") << u->status().ToString();
        }
      }
    });
  }
  auto reader = db->Connect();
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    ASSERT_TRUE(reader->Execute("BEGIN").ok());
    int64_t total = QueryInt(*reader, "SELECT count(*) FROM ev");
    for (int k = 0; k < 4; ++k) {
      int lo = static_cast<int>(rng() % kGroups), hi = lo + static_cast<int>(rng() % 3);
      std::string range = " BETWEEN " + std::to_string(lo) + " AND " + std::to_string(hi);
      std::string in = " IN (" + std::to_string(lo) + ", " + std::to_string(hi + 5) + ")";
      ASSERT_EQ(QueryInt(*reader, "SELECT count(*) FROM ev WHERE g" + range), QueryInt(*reader, "SELECT count(*) FROM ev WHERE g + 0" + range))
          << "round " << round;
      ASSERT_EQ(QueryInt(*reader, "SELECT count(*) FROM ev WHERE g" + in), QueryInt(*reader, "SELECT count(*) FROM ev WHERE g + 0" + in))
          << "round " << round;
    }
    ASSERT_EQ(QueryInt(*reader, "SELECT count(*) FROM ev"), total) << "the snapshot moved in round " << round;
    ASSERT_TRUE(reader->Execute("COMMIT").ok());
  }
  stop = true;
  for (auto& t : writers) t.join();
  EXPECT_GT(writes.load(), 0);
  EXPECT_EQ(QueryInt(*setup, "SELECT count(*) FROM ev WHERE id < " + std::to_string(kRows)), kRows);
  for (int g = 0; g < kGroups; ++g) {
    EXPECT_EQ(QueryInt(*setup, "SELECT count(*) FROM ev WHERE g = " + std::to_string(g)),
              QueryInt(*setup, "SELECT count(*) FROM ev WHERE g + 0 = " + std::to_string(g)));
  }
}

}  // namespace
}  // namespace lyt
