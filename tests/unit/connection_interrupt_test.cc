// Connection::Interrupt: another thread stops the statement running in an embedded connection.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "lyt/database.h"

namespace lyt {
namespace {

using namespace std::chrono_literals;

TEST(ConnectionInterrupt, StopsTheRunningStatementAndTheNextOneRuns) {
  std::unique_ptr<Database> db;
  ASSERT_TRUE(Database::Open(DatabaseOptions{}, &db).ok());
  auto conn = db->Connect();
  std::atomic<bool> done{false};
  Status status;
  std::thread runner([&] {
    status = conn->Execute("SELECT count(*) FROM generate_series(1, 9000000000000000000)");  // years of work
    done = true;
  });
  // Interrupt again until it lands inside the statement (at most 10 s).
  for (int i = 0; i < 200 && !done; ++i) {
    std::this_thread::sleep_for(50ms);
    conn->Interrupt();
  }
  runner.join();
  EXPECT_EQ(status.sqlstate(), "57014") << status.ToString();
  auto r = conn->Query("SELECT count(*) FROM generate_series(1, 3)");
  ASSERT_TRUE(r->ok()) << r->status().ToString();
  EXPECT_EQ(r->NextBatch()->GetValue(0, 0).ToString(), "3");
}

}  // namespace
}  // namespace lyt
