// Point lookups through unique indexes under real threads: while writers move rows between two
// keys (an UPDATE of the key leaves the old and the new version in the index), a reader's
// snapshot finds each row under exactly one of its keys. Loops are bounded; no timing asserts.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "lyt/database.h"
#include "query_int.h"

namespace lyt {
namespace {

constexpr int kRows = 50, kOffset = 1000;

TEST(IndexLookupThreads, MovedKeysAreFoundOnceInEverySnapshot) {
  std::unique_ptr<Database> db;
  ASSERT_TRUE(Database::Open({}, &db).ok());
  auto setup = db->Connect();
  ASSERT_TRUE(setup->Execute("CREATE TABLE kv(id INTEGER PRIMARY KEY, v INTEGER)").ok());
  for (int r = 0; r < kRows; ++r) {
    ASSERT_TRUE(setup->Execute("INSERT INTO kv VALUES (" + std::to_string(r) + ", " + std::to_string(r) + ")").ok());
  }
  std::atomic<bool> stop{false};
  std::atomic<int> moves{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      auto c = db->Connect();
      std::mt19937 rng(w);
      for (int i = 0; i < 100000 && !stop; ++i) {  // until the reader is done
        int r = static_cast<int>(rng() % kRows);
        for (int key : {r, r + kOffset}) {
          std::string to = std::to_string(key < kOffset ? key + kOffset : key - kOffset);
          auto u = c->Query("UPDATE kv SET id = " + to + " WHERE id = " + std::to_string(key));
          if (!u->ok()) {
            EXPECT_EQ(u->status().sqlstate(), "40001") << u->status().ToString();
            break;
          }
          if (u->rows_affected() == 1) {
            ++moves;
            break;
          }
        }
      }
    });
  }
  auto reader = db->Connect();
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    ASSERT_TRUE(reader->Execute("BEGIN").ok());
    for (int k = 0; k < 5; ++k) {
      int r = static_cast<int>(rng() % kRows);
      int64_t here = QueryInt(*reader, "SELECT count(*) FROM kv WHERE id = " + std::to_string(r));
      int64_t there = QueryInt(*reader, "SELECT count(*) FROM kv WHERE id = " + std::to_string(r + kOffset));
      ASSERT_EQ(here + there, 1) << "row " << r << " in round " << round;
    }
    ASSERT_TRUE(reader->Execute("COMMIT").ok());
  }
  stop = true;
  for (auto& t : writers) t.join();
  EXPECT_GT(moves.load(), 0);
  EXPECT_EQ(QueryInt(*setup, "SELECT count(*) FROM kv"), kRows);
  EXPECT_EQ(QueryInt(*setup, "SELECT sum(v) FROM kv"), kRows * (kRows - 1) / 2);
  for (int r = 0; r < kRows; ++r) {
    EXPECT_EQ(QueryInt(*setup, "SELECT count(*) FROM kv WHERE id = " + std::to_string(r) + " OR id = " +
                                std::to_string(r + kOffset)),
              1);
  }
}

}  // namespace
}  // namespace lyt
