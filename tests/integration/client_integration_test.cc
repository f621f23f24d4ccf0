// The C++ client (include/lyt/client.h) against the real lytdb: login, parameters of every type,
// multi-statement queries, errors with positions, prepared statements, pipelining, cancel from
// another thread, the client's query timeout, transactions, the pool under several threads,
// TLS (require and verify-full against the server's self-signed certificate) and the server
// going away.
#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <thread>

#include "lyt/client.h"
#include "test_server.h"

namespace lyt::testing {
namespace {

using namespace std::chrono_literals;
using client::Connection;
using client::ConnectOptions;

constexpr const char* kLongQuery =
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 50000000) SELECT count(*) FROM r";

// The first cell of a result as text, or the error.
std::string First(QueryResult& result) {
  if (!result.ok()) return result.status().ToString();
  result.Rewind();
  const ResultBatch* batch = result.NextBatch();
  return batch ? batch->GetValue(0, 0).ToString() : "<no rows>";
}

class ClientTest : public SharedServerTest {
 protected:
  std::unique_ptr<Connection> Connect(const ConnectOptions& options = {}) {
    std::unique_ptr<Connection> conn;
    Status s = Connection::Connect(server_->Uri(), &conn, options);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return conn;
  }

};

TEST_F(ClientTest, ConnectsAndReportsTheSession) {
  auto conn = Connect();
  ASSERT_TRUE(conn);
  EXPECT_NE(conn->session_id(), 0u);
  EXPECT_EQ(conn->database(), "main");
  EXPECT_FALSE(conn->server_version().empty());
  EXPECT_TRUE(conn->Ping().ok());
  auto r = conn->Query("SELECT 1 + 1 AS two");
  ASSERT_TRUE(r->ok()) << r->status().ToString();
  EXPECT_EQ(r->columns().at(0).name, "two");
  EXPECT_EQ(r->command_tag(), "SELECT 1");
  EXPECT_EQ(First(*r), "2");
}

TEST_F(ClientTest, LoginFailures) {
  std::unique_ptr<Connection> conn;
  EXPECT_EQ(Connection::Connect(server_->Uri("admin", "wrong"), &conn).sqlstate(), "28P01");
  EXPECT_EQ(Connection::Connect(server_->Uri("admin", kAdminPassword, "nowhere"), &conn).sqlstate(), "3D000");
  ConnectOptions options;
  options.password = kAdminPassword;  // the prompt's answer wins over the URI's password
  EXPECT_TRUE(Connection::Connect(server_->Uri("admin", "wrong"), &conn, options).ok());
}

TEST_F(ClientTest, ParametersOfEveryTypeRoundTrip) {
  auto conn = Connect();
  std::vector<Value> params = {Value::Boolean(true),     Value::SmallInt(-7),         Value::Integer(123456),
                               Value::BigInt(1LL << 40), Value::Real(1.5f),           Value::Double(-2.25),
                               Value::Varchar("héllo"),  Value::Blob(std::string("\0\x01\xff", 3)),
                               Value::Date(19000),       Value::Timestamp(1700000000123456LL),
                               Value::Interval(Interval{14, 3, 4000000}), Value()};
  std::string sql = "SELECT ";
  for (size_t i = 1; i <= params.size(); ++i) sql += (i > 1 ? ", $" : "$") + std::to_string(i);
  auto r = conn->Query(sql, params);
  ASSERT_TRUE(r->ok()) << r->status().ToString();
  const ResultBatch* batch = r->NextBatch();
  ASSERT_NE(batch, nullptr);
  ASSERT_EQ(batch->column_count(), params.size());
  for (size_t i = 0; i + 1 < params.size(); ++i) {
    EXPECT_EQ(batch->GetValue(i, 0).ToString(), params[i].ToString()) << "parameter " << i + 1;
    EXPECT_EQ(r->columns()[i].type.id, params[i].type().id) << "parameter " << i + 1;
  }
  EXPECT_TRUE(batch->IsNull(params.size() - 1, 0));
}

TEST_F(ClientTest, ParameterValuesAreCheckedAgainstTheSql) {
  auto conn = Connect();
  auto r = conn->Query("SELECT $1::INTEGER + 1", {Value::Integer(1), Value::Integer(2)});
  EXPECT_EQ(r->status().sqlstate(), "42P02");
  EXPECT_NE(r->status().message().find("2 parameter values were supplied, but the SQL takes 1 parameter"), std::string::npos)
      << r->status().ToString();
  EXPECT_EQ(conn->Query("SELECT 1", {Value::Integer(1)})->status().sqlstate(), "42P02");
  EXPECT_EQ(conn->Query("SELECT $2::INTEGER", {Value::Integer(1)})->status().sqlstate(), "42P02");
  // Binary dates and timestamps outside what the types hold are refused, not wrapped around.
  r = conn->Query("SELECT $1", {Value::Timestamp(std::numeric_limits<int64_t>::max())});
  EXPECT_EQ(r->status().sqlstate(), "22008");
  EXPECT_NE(r->status().message().find("timestamp out of range in parameter $1"), std::string::npos) << r->status().ToString();
  EXPECT_EQ(conn->Query("SELECT $1", {Value::Date(std::numeric_limits<int32_t>::max())})->status().sqlstate(), "22008");
  EXPECT_EQ(First(*conn->Query("SELECT $1", {Value::Date(2145042905)})), "5874897-12-31");
}

TEST_F(ClientTest, MultiStatementQueriesReturnTheLastResultOrTheFirstError) {
  auto conn = Connect();
  auto r = conn->Query("CREATE TABLE c_multi (a INTEGER); INSERT INTO c_multi VALUES (1), (2); SELECT sum(a) FROM c_multi");
  EXPECT_EQ(First(*r), "3");
  r = conn->Query("INSERT INTO c_multi VALUES (3); SELECT 1/0; INSERT INTO c_multi VALUES (4)");
  EXPECT_EQ(r->status().sqlstate(), "22012");
  EXPECT_EQ(First(*conn->Query("SELECT count(*) FROM c_multi")), "3");
  r = conn->Query("INSERT INTO c_multi VALUES (5)");
  EXPECT_EQ(r->command_tag(), "INSERT 0 1");
  EXPECT_EQ(r->rows_affected(), 1);
  r = conn->Query("");
  EXPECT_TRUE(r->ok()) << r->status().ToString();
  EXPECT_FALSE(r->returns_rows());
  r = conn->Query("-- only a comment");
  EXPECT_TRUE(r->ok()) << r->status().ToString();
}

TEST_F(ClientTest, ErrorsCarryTheServersPositionAndKeepTheConnection) {
  auto conn = Connect();
  auto r = conn->Query("SELECT 1\nFROM nowhere");
  EXPECT_EQ(r->status().sqlstate(), "42P01");
  EXPECT_EQ(r->status().line(), 2);
  EXPECT_EQ(r->status().column(), 6);
  EXPECT_FALSE(conn->is_broken());
  EXPECT_EQ(conn->Execute("SELEC 1").sqlstate(), "42601");
  EXPECT_EQ(First(*conn->Query("SELECT 'still here'")), "still here");
}

TEST_F(ClientTest, LargeResultsArriveInSeveralBatches) {
  auto conn = Connect();
  ASSERT_TRUE(conn->Execute("CREATE TABLE c_digits (d INTEGER); INSERT INTO c_digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)").ok());
  auto r = conn->Query("SELECT a.d * 10000 + b.d * 1000 + c.d * 100 + e.d * 10 + f.d + 1 AS n, 'row ' || a.d AS label "
                       "FROM c_digits a, c_digits b, c_digits c, c_digits e, c_digits f");
  ASSERT_TRUE(r->ok()) << r->status().ToString();
  EXPECT_EQ(r->rows_affected(), 100000);
  int64_t sum = 0, batches = 0;
  while (const ResultBatch* b = r->NextBatch()) {
    ++batches;
    for (size_t i = 0; i < b->row_count(); ++i) sum += b->GetInt64(0, i);
  }
  EXPECT_EQ(sum, 100000LL * 100001 / 2);
  EXPECT_GT(batches, 1);
}

TEST_F(ClientTest, PreparedStatements) {
  auto conn = Connect();
  client::PreparedInfo info;
  ASSERT_TRUE(conn->Prepare("add", "SELECT $1::BIGINT + $2::BIGINT AS total", &info).ok());
  EXPECT_EQ(info.param_types.size(), 2u);  // (lytdb leaves the types open and describes no columns yet)
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(First(*conn->ExecutePrepared("add", {Value::BigInt(i), Value::BigInt(100)})), std::to_string(100 + i));
  }
  EXPECT_EQ(conn->Prepare("bad", "SELEC 1").sqlstate(), "42601");
  EXPECT_TRUE(conn->ClosePrepared("add").ok());
  EXPECT_EQ(conn->ExecutePrepared("add", {Value::BigInt(1), Value::BigInt(2)})->status().sqlstate(), "26000");
  EXPECT_FALSE(conn->is_broken());
}

TEST_F(ClientTest, Pipelining) {
  auto conn = Connect();
  ASSERT_TRUE(conn->Execute("CREATE TABLE c_pipe (i INTEGER)").ok());
  ASSERT_TRUE(conn->Prepare("ins", "INSERT INTO c_pipe VALUES ($1)").ok());
  std::vector<uint32_t> ids;
  for (int i = 0; i < 50; ++i) {
    ids.push_back(i % 2 ? conn->Send("INSERT INTO c_pipe VALUES ($1)", {Value::Integer(i)})
                        : conn->SendPrepared("ins", {Value::Integer(i)}));
  }
  uint32_t failing = conn->Send("SELECT 1/0");
  uint32_t count = conn->Send("SELECT count(*), sum(i) FROM c_pipe");
  EXPECT_EQ(conn->pending(), 52u);
  auto counted = conn->Receive(count);  // reads everything before it
  ASSERT_TRUE(counted->ok()) << counted->status().ToString();
  const ResultBatch* batch = counted->NextBatch();
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(batch->GetInt64(0, 0), 50);
  EXPECT_EQ(batch->GetInt64(1, 0), 49 * 50 / 2);
  EXPECT_EQ(conn->Receive(failing)->status().sqlstate(), "22012");
  for (auto it = ids.rbegin(); it != ids.rend(); ++it) EXPECT_EQ(conn->Receive(*it)->command_tag(), "INSERT 0 1");
  EXPECT_EQ(conn->pending(), 0u);
}

TEST_F(ClientTest, CancelFromAnotherThread) {
  auto conn = Connect();
  auto started = std::chrono::steady_clock::now();
  std::thread canceler([&] {
    std::this_thread::sleep_for(300ms);
    EXPECT_TRUE(conn->Cancel().ok());
  });
  auto r = conn->Query(kLongQuery);
  canceler.join();
  EXPECT_EQ(r->status().sqlstate(), "57014") << r->status().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_EQ(First(*conn->Query("SELECT 5")), "5");
  EXPECT_TRUE(conn->Cancel().ok());  // nothing running: nothing happens
  EXPECT_EQ(First(*conn->Query("SELECT 6")), "6");
}

TEST_F(ClientTest, QueryTimeoutCancelsTheStatement) {
  ConnectOptions options;
  options.query_timeout = 300ms;
  auto conn = Connect(options);
  auto r = conn->Query(kLongQuery);
  EXPECT_EQ(r->status().sqlstate(), "57014");
  EXPECT_NE(r->status().message().find("client query timeout"), std::string::npos) << r->status().message();
  EXPECT_FALSE(conn->is_broken());
  EXPECT_EQ(First(*conn->Query("SELECT 7")), "7");
}

TEST_F(ClientTest, Transactions) {
  auto conn = Connect();
  ASSERT_TRUE(conn->Execute("CREATE TABLE c_txn (i INTEGER)").ok());
  ASSERT_TRUE(conn->Begin().ok());
  EXPECT_TRUE(conn->in_transaction());
  ASSERT_TRUE(conn->Execute("INSERT INTO c_txn VALUES (1)").ok());
  ASSERT_TRUE(conn->Rollback().ok());
  EXPECT_FALSE(conn->in_transaction());
  ASSERT_TRUE(conn->Begin().ok());
  ASSERT_TRUE(conn->Execute("INSERT INTO c_txn VALUES (2)").ok());
  ASSERT_TRUE(conn->Commit().ok());
  EXPECT_EQ(First(*conn->Query("SELECT sum(i) FROM c_txn")), "2");
}

TEST_F(ClientTest, PoolUnderSeveralThreads) {
  {
    auto conn = Connect();
    ASSERT_TRUE(conn->Execute("CREATE TABLE c_pool (worker INTEGER, i INTEGER)").ok());
  }
  client::PoolOptions options;
  options.max_size = 3;
  std::unique_ptr<client::ConnectionPool> pool;
  ASSERT_TRUE(client::ConnectionPool::Create(server_->Uri(), options, &pool).ok());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 6; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < 20; ++i) {
        client::PooledConnection conn;
        Status s = pool->Acquire(&conn, 20s);
        if (!s.ok() || !conn->Execute("INSERT INTO c_pool VALUES ($1, $2)", {Value::Integer(w), Value::Integer(i)}).ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(pool->size(), 3u);

  // A connection given back inside a transaction is rolled back before the next borrower.
  client::PooledConnection conn;
  ASSERT_TRUE(pool->Acquire(&conn).ok());
  ASSERT_TRUE(conn->Begin().ok());
  ASSERT_TRUE(conn->Execute("INSERT INTO c_pool VALUES (99, 99)").ok());
  Connection* raw = conn.get();
  conn.Release();
  ASSERT_TRUE(pool->Acquire(&conn).ok());
  EXPECT_EQ(conn.get(), raw);  // the most recently returned idle connection
  EXPECT_FALSE(conn->in_transaction());
  EXPECT_EQ(First(*conn->Query("SELECT count(*) FROM c_pool")), "120");
}

TEST(ClientTls, RequireAndVerifyFullAgainstTheServersCertificate) {
  TestServer server({"--tls-self-signed", "true"});
  ASSERT_TRUE(server.started()) << server.Output();
  std::string base = server.Uri();
  base = base.substr(0, base.find('?'));
  std::unique_ptr<Connection> conn;
  Status s = Connection::Connect(base + "?tls=require", &conn);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(First(*conn->Query("SELECT 'over tls'")), "over tls");
  // Cancel goes over TLS as well.
  std::thread canceler([&] {
    std::this_thread::sleep_for(300ms);
    EXPECT_TRUE(conn->Cancel().ok());
  });
  EXPECT_EQ(conn->Query(kLongQuery)->status().sqlstate(), "57014");
  canceler.join();

  ConnectOptions options;
  options.tls_ca_file = server.data_dir() + "/tls/server.crt";
  s = Connection::Connect(base + "?tls=verify-full", &conn, options);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(First(*conn->Query("SELECT 1")), "1");
  s = Connection::Connect(base + "?tls=verify-full", &conn);  // the system store does not trust it
  EXPECT_EQ(s.sqlstate(), "08001");
  EXPECT_NE(s.message().find("certificate verification failed"), std::string::npos) << s.message();
}

TEST(ClientServerGone, CallsFailWith08006AndTheConnectionIsBroken) {
  TestServer server;
  ASSERT_TRUE(server.started()) << server.Output();
  std::unique_ptr<Connection> conn;
  ASSERT_TRUE(Connection::Connect(server.Uri(), &conn).ok());
  server.Stop();
  auto r = conn->Query("SELECT 1");
  EXPECT_FALSE(r->ok());
  EXPECT_TRUE(conn->is_broken());
  EXPECT_EQ(conn->Query("SELECT 1")->status().sqlstate(), "08006");
  std::unique_ptr<Connection> again;
  EXPECT_EQ(Connection::Connect(server.Uri(), &again).sqlstate(), "08001");
}

}  // namespace
}  // namespace lyt::testing
