// BACKUP TO under write load, and lytdb taking over a database directory that it did not create
// (a backup, or a directory made by `lyt PATH` / the embedded API).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <vector>

#include "lyt/client.h"
#include "lyt/database.h"
#include "test_server.h"

namespace lyt::testing {
namespace {

using client::Connection;

std::unique_ptr<Connection> Connect(const TestServer& server, const std::string& user = "admin",
                                    const std::string& password = kAdminPassword) {
  std::unique_ptr<Connection> conn;
  Status status = Connection::Connect(server.Uri(user, password), &conn);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << server.Output();
  return conn;
}

int64_t Count(Connection& conn, const std::string& sql) {
  auto result = conn.Query(sql);
  EXPECT_TRUE(result->ok()) << sql << ": " << result->status().ToString();
  const ResultBatch* batch = result->ok() ? result->NextBatch() : nullptr;
  return batch && batch->row_count() == 1 ? batch->GetInt64(0, 0) : -1;
}

// A data directory made by the embedded API (as `lyt PATH` makes one), holding `sql`.
void MakeEmbeddedDirectory(const std::string& dir, const std::vector<std::string>& sql) {
  DatabaseOptions options;
  options.data_dir = dir;
  std::unique_ptr<Database> db;
  ASSERT_TRUE(Database::Open(options, &db).ok());
  auto conn = db->Connect();
  for (const auto& statement : sql) ASSERT_TRUE(conn->Execute(statement).ok()) << statement;
}

std::string ScratchDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("lytdb-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// Two writers commit two-row transactions while BACKUP TO runs; a server started on the copy
// has a consistent state between the counts seen before and after the backup: no transaction in
// part, the users, and admin's password.
TEST(Backup, CopyTakenUnderWriteLoadStartsWithTheSameData) {
  std::string scratch = ScratchDir("backup");
  std::string copy = scratch + "/copy";
  int64_t before = 0;
  int64_t after = 0;
  {
    TestServer source;
    ASSERT_TRUE(source.started()) << source.Output();
    auto admin = Connect(source);
    ASSERT_TRUE(admin);
    ASSERT_TRUE(admin->Execute("CREATE TABLE t (writer BIGINT, seq BIGINT, part INTEGER, PRIMARY KEY (writer, seq, part))").ok());
    ASSERT_TRUE(admin->Execute("CREATE USER bob WITH PASSWORD 'bob-secret-1'").ok());
    ASSERT_TRUE(admin->Execute("GRANT ADMIN ON DATABASE main TO bob").ok());
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int64_t w = 0; w < 2; ++w) {
      writers.emplace_back([&, w] {
        auto conn = Connect(source);
        if (!conn) return;
        for (int64_t seq = 0; seq < 100000 && !stop; ++seq) {
          if (!conn->Execute("INSERT INTO t VALUES ($1, $2, 0), ($1, $2, 1)", {Value::BigInt(w), Value::BigInt(seq)}).ok()) return;
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    before = Count(*admin, "SELECT count(*) FROM t");
    Status backup = admin->Execute("BACKUP TO '" + copy + "'");
    after = Count(*admin, "SELECT count(*) FROM t");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop = true;
    for (auto& w : writers) w.join();
    ASSERT_TRUE(backup.ok()) << backup.ToString();
    EXPECT_GT(before, 0);

    // A second backup into the same directory, a non-superuser, a file as the target: refused.
    Status again = admin->Execute("BACKUP TO '" + copy + "'");
    EXPECT_EQ(again.sqlstate(), "58030");
    EXPECT_NE(again.message().find("not empty"), std::string::npos) << again.ToString();
    auto bob = Connect(source, "bob", "bob-secret-1");
    ASSERT_TRUE(bob);
    EXPECT_EQ(bob->Execute("BACKUP TO '" + scratch + "/by-bob'").sqlstate(), "42501");
    EXPECT_FALSE(std::filesystem::exists(scratch + "/by-bob"));
  }

  TestServer restored({}, {}, copy);
  ASSERT_TRUE(restored.started()) << restored.Output();
  EXPECT_NE(restored.Output().find("adopted"), std::string::npos) << restored.Output();
  auto admin = Connect(restored);  // admin's password came with the copy
  ASSERT_TRUE(admin);
  int64_t rows = Count(*admin, "SELECT count(*) FROM t");
  EXPECT_GE(rows, before);
  EXPECT_LE(rows, after);
  EXPECT_EQ(rows % 2, 0);
  EXPECT_EQ(Count(*admin, "SELECT count(*) FROM (SELECT writer, seq FROM t GROUP BY writer, seq HAVING count(*) <> 2) AS x"), 0);
  auto bob = Connect(restored, "bob", "bob-secret-1");  // users and grants came with it
  EXPECT_TRUE(bob);
  // The copy is a working database: it takes writes and keeps them over a restart.
  ASSERT_TRUE(admin->Execute("INSERT INTO t VALUES (9, 9, 9)").ok());
  EXPECT_EQ(restored.Stop(), 0) << restored.Output();
  TestServer again({}, {}, copy);
  ASSERT_TRUE(again.started()) << again.Output();
  EXPECT_EQ(restored.Output().find("created user admin"), std::string::npos);
  auto admin2 = Connect(again);
  ASSERT_TRUE(admin2);
  EXPECT_EQ(Count(*admin2, "SELECT count(*) FROM t"), rows + 1);
  std::filesystem::remove_all(scratch);
}

// A directory made by the embedded API (as `lyt PATH` makes one) has no superuser: lytdb keeps
// its data and creates admin; init_sql does not run on it.
TEST(Backup, ServerAdoptsADirectoryMadeEmbedded) {
  std::string scratch = ScratchDir("adopt");
  std::string dir = scratch + "/data";
  MakeEmbeddedDirectory(dir, {"CREATE TABLE kept (x INTEGER)", "INSERT INTO kept VALUES (1), (2), (3)"});
  std::ofstream(scratch + "/init.sql") << "CREATE TABLE seeded (x INTEGER);\n";
  TestServer server({"--init-sql", scratch + "/init.sql"}, {}, dir);
  ASSERT_TRUE(server.started()) << server.Output();
  EXPECT_NE(server.Output().find("init_sql ignored"), std::string::npos) << server.Output();
  auto admin = Connect(server);
  ASSERT_TRUE(admin);
  EXPECT_EQ(Count(*admin, "SELECT sum(x) FROM kept"), 6);
  EXPECT_FALSE(admin->Execute("SELECT * FROM seeded").ok());
  std::filesystem::remove_all(scratch);
}

// Database files beside lytdb.initializing are a first start that was cut short: refused.
TEST(Backup, InterruptedFirstStartIsRefused) {
  std::string scratch = ScratchDir("interrupted");
  std::string dir = scratch + "/data";
  MakeEmbeddedDirectory(dir, {});
  std::ofstream(dir + "/lytdb.initializing") << "first start in progress\n";
  std::string out;
  EXPECT_EQ(TestServer::RunToExit({"--data-dir", dir, "--listen", "127.0.0.1:0", "--resp", "127.0.0.1:0", "--http", "127.0.0.1:0"}, {{"LYT_ADMIN_PASSWORD", "x-password"}}, &out), 1);
  EXPECT_NE(out.find("did not complete"), std::string::npos) << out;
  std::filesystem::remove_all(scratch);
}

}  // namespace
}  // namespace lyt::testing
