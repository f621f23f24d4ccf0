// DatabaseOptions that set session defaults: every new session starts from them, and RESET goes
// back to them.
#include <gtest/gtest.h>

#include <thread>

#include "lyt/database.h"

namespace lyt {
namespace {

std::string Show(Connection& conn, const std::string& setting) {
  auto r = conn.Query("SHOW " + setting);
  EXPECT_TRUE(r->ok()) << r->status().ToString();
  const ResultBatch* b = r->NextBatch();
  return b && b->row_count() == 1 ? std::string(b->GetString(0, 0)) : "?";
}

TEST(DatabaseOptions, ThreadsIsEverySessionsDefault) {
  DatabaseOptions options;
  options.threads = 1;
  std::unique_ptr<Database> db;
  ASSERT_TRUE(Database::Open(options, &db).ok());
  auto a = db->Connect();
  auto b = db->Connect();
  EXPECT_EQ(Show(*a, "threads"), "1");
  ASSERT_TRUE(a->Execute("SET threads = 3").ok());
  EXPECT_EQ(Show(*a, "threads"), "3");
  EXPECT_EQ(Show(*b, "threads"), "1");  // one session's SET leaves the others alone
  ASSERT_TRUE(a->Execute("RESET threads").ok());
  EXPECT_EQ(Show(*a, "threads"), "1");
}

TEST(DatabaseOptions, ThreadsZeroMeansOnePerCore) {
  std::unique_ptr<Database> db;
  ASSERT_TRUE(Database::Open({}, &db).ok());
  auto conn = db->Connect();
  EXPECT_GE(std::stoi(Show(*conn, "threads")), 1);
  ASSERT_TRUE(conn->Execute("SET threads = 1").ok());
  ASSERT_TRUE(conn->Execute("RESET threads").ok());
  EXPECT_EQ(Show(*conn, "threads"), std::to_string(std::max(1u, std::thread::hardware_concurrency())));
}

}  // namespace
}  // namespace lyt
