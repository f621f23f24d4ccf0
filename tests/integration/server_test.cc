// The real lytdb over the lyt protocol, frame by frame: login, queries, pipelining, prepared
// statements, cancel, limits, malformed input, shutdown, configuration and first start.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "test_server.h"

namespace lyt::testing {
namespace {

using namespace std::chrono_literals;
using protocol::MessageType;

// A query that runs for seconds unless interrupted (one recursive round per row, interrupt
// checked every round), yet ends by itself.
constexpr const char* kLongQuery =
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 50000000) SELECT count(*) FROM r";

std::string Cell(const Response& r, size_t row = 0, size_t column = 0) {
  auto rows = r.rows();
  if (row >= rows.size() || column >= rows[row].size()) return "<none>";
  return rows[row][column].ToString();
}

std::string ErrorState(const Response& r) {
  auto e = r.error();
  return e ? e->sqlstate : "";
}

class ServerTest : public SharedServerTest {
 protected:
  // A logged-in admin connection.
  std::unique_ptr<RawConnection> Admin() {
    auto c = std::make_unique<RawConnection>(server_->port());
    EXPECT_TRUE(c->Login("admin", kAdminPassword).has_value());
    return c;
  }

};

TEST_F(ServerTest, LoginAndQuery) {
  RawConnection c(server_->port());
  auto ok = c.Login("admin", kAdminPassword);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->database, "main");
  EXPECT_NE(ok->session_id, 0u);
  Response r = c.Query("SELECT 1 + 1 AS two, 'x' || 'y' AS xy, NULL::INTEGER AS n");
  ASSERT_FALSE(r.error()) << r.error()->message;
  ASSERT_EQ(r.frames.front().type, static_cast<uint8_t>(MessageType::Columns));
  auto columns = protocol::DecodePayload<protocol::ColumnsMessage>(r.frames.front().payload);
  ASSERT_EQ(columns.columns.size(), 3u);
  EXPECT_EQ(columns.columns[0].name, "two");
  EXPECT_EQ(columns.columns[1].type.id, TypeId::Varchar);
  auto rows = r.rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].AsInt64(), 2);
  EXPECT_EQ(rows[0][1].ToString(), "xy");
  EXPECT_TRUE(rows[0][2].is_null());
  EXPECT_EQ(r.tags(), std::vector<std::string>{"SELECT 1"});
}

TEST_F(ServerTest, WrongPasswordAndUnknownUserFailAlike) {
  protocol::ErrorMessage wrong, unknown;
  RawConnection a(server_->port());
  EXPECT_FALSE(a.Login("admin", "not-the-password", "", &wrong));
  EXPECT_TRUE(a.WaitClosed());
  RawConnection b(server_->port());
  EXPECT_FALSE(b.Login("nobody", "whatever", "", &unknown));
  EXPECT_TRUE(b.WaitClosed());
  EXPECT_EQ(wrong.sqlstate, "28P01");
  EXPECT_EQ(unknown.sqlstate, "28P01");
  EXPECT_NE(wrong.message.find("password authentication failed"), std::string::npos);
  EXPECT_EQ(wrong.message.find("not-the-password"), std::string::npos);
  EXPECT_NE(server_->Output().find("login failed for user \"nobody\""), std::string::npos);
}

TEST_F(ServerTest, MissingDatabaseRefusesLogin) {
  RawConnection c(server_->port());
  protocol::ErrorMessage error;
  EXPECT_FALSE(c.Login("admin", kAdminPassword, "no_such_db", &error));
  EXPECT_EQ(error.sqlstate, "3D000");
}

TEST_F(ServerTest, TypedParameters) {
  auto c = Admin();
  Response r = c->Query("SELECT $1::INTEGER + 1, $2 || '!', $3 IS NULL, $4 * 2.0",
                        {Value::Integer(41), Value::Varchar("hi"), Value::Null(), Value::Double(1.25)});
  ASSERT_FALSE(r.error()) << r.error()->message;
  EXPECT_EQ(Cell(r, 0, 0), "42");
  EXPECT_EQ(Cell(r, 0, 1), "hi!");
  EXPECT_EQ(Cell(r, 0, 2), "true");
  EXPECT_EQ(Cell(r, 0, 3), "2.5");
}

TEST_F(ServerTest, MultiStatementQueryAnswersEachAndStopsAtError) {
  auto c = Admin();
  Response r = c->Query("CREATE TABLE multi (a INTEGER); INSERT INTO multi VALUES (1), (2); SELECT a FROM multi ORDER BY a", {}, 7);
  ASSERT_FALSE(r.error()) << r.error()->message;
  EXPECT_EQ(r.tags(), (std::vector<std::string>{"CREATE TABLE", "INSERT 0 2", "SELECT 2"}));
  for (const auto& f : r.frames) EXPECT_EQ(f.request_id, 7u);
  r = c->Query("INSERT INTO multi VALUES (3); SELECT 1/0; INSERT INTO multi VALUES (4)", {}, 8);
  EXPECT_EQ(ErrorState(r), "22012");
  EXPECT_EQ(r.tags(), std::vector<std::string>{"INSERT 0 1"});
  EXPECT_EQ(Cell(c->Query("SELECT count(*) FROM multi")), "3");
}

TEST_F(ServerTest, ErrorsCarryPosition) {
  auto c = Admin();
  Response r = c->Query("SELECT 1\nFROM nowhere");
  auto e = r.error();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->sqlstate, "42P01");
  EXPECT_EQ(e->line, 2u);
  EXPECT_EQ(e->column, 6u);
}

TEST_F(ServerTest, PipelinedRequestsAnswerInOrder) {
  auto c = Admin();
  for (uint32_t id = 10; id < 30; ++id) c->Send(id, protocol::QueryMessage{"SELECT " + std::to_string(id), {}});
  c->SendFrame(MessageType::Ping, 30, {});
  for (uint32_t id = 10; id < 30; ++id) {
    Response r = c->ReadResponse(id);
    ASSERT_FALSE(r.frames.empty());
    for (const auto& f : r.frames) EXPECT_EQ(f.request_id, id);
    EXPECT_EQ(Cell(r), std::to_string(id));
  }
  auto pong = c->ReadFrame();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->type, static_cast<uint8_t>(MessageType::Pong));
  EXPECT_EQ(pong->request_id, 30u);
}

TEST_F(ServerTest, PrepareExecuteClose) {
  auto c = Admin();
  c->Send(1, protocol::PrepareMessage{"add", "SELECT $1::BIGINT + $2::BIGINT"});
  Response prepared = c->ReadResponse(1, false);
  ASSERT_EQ(prepared.frames.size(), 1u);
  ASSERT_EQ(prepared.frames[0].type, static_cast<uint8_t>(MessageType::Prepared));
  EXPECT_EQ(protocol::DecodePayload<protocol::PreparedMessage>(prepared.frames[0].payload).params.size(), 2u);
  for (int i = 0; i < 3; ++i) {
    c->Send(2, protocol::ExecuteMessage{"add", {Value::BigInt(i), Value::BigInt(100)}});
    EXPECT_EQ(Cell(c->ReadResponse(2)), std::to_string(100 + i));
  }
  c->Send(3, protocol::ExecuteMessage{"add", {Value::BigInt(1)}});
  EXPECT_EQ(ErrorState(c->ReadResponse(3)), "08P01");
  c->Send(4, protocol::CloseMessage{"add"});
  EXPECT_EQ(c->ReadResponse(4, false).frames.at(0).type, static_cast<uint8_t>(MessageType::Closed));
  c->Send(5, protocol::ExecuteMessage{"add", {Value::BigInt(1), Value::BigInt(2)}});
  EXPECT_EQ(ErrorState(c->ReadResponse(5)), "26000");
  c->Send(6, protocol::PrepareMessage{"bad", "SELEC 1"});
  EXPECT_EQ(ErrorState(c->ReadResponse(6, false)), "42601");
}

TEST_F(ServerTest, CancelFromAnotherConnection) {
  // The victim's session id and cancel key come from its own login.
  RawConnection v(server_->port());
  auto victim_ok = v.Login("admin", kAdminPassword);
  ASSERT_TRUE(victim_ok);
  auto started = std::chrono::steady_clock::now();
  v.Send(1, protocol::QueryMessage{kLongQuery, {}});
  std::this_thread::sleep_for(200ms);
  // A wrong key does nothing (and gets no answer).
  RawConnection wrong(server_->port());
  wrong.Send(0, protocol::CancelMessage{victim_ok->session_id, victim_ok->cancel_key + 1});
  EXPECT_TRUE(wrong.WaitClosed());
  RawConnection cancel(server_->port());
  cancel.Send(0, protocol::CancelMessage{victim_ok->session_id, victim_ok->cancel_key});
  EXPECT_TRUE(cancel.WaitClosed());
  Response r = v.ReadResponse(1);
  EXPECT_EQ(ErrorState(r), "57014");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  // The session goes on.
  EXPECT_EQ(Cell(v.Query("SELECT 5", {}, 2)), "5");
}

TEST_F(ServerTest, GarbageGetsProtocolErrorAndClose) {
  RawConnection c(server_->port());
  c.SendBytes(std::string(32, '\xff'));
  auto f = c.ReadFrame();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->type, static_cast<uint8_t>(MessageType::Error));
  EXPECT_EQ(protocol::DecodePayload<protocol::ErrorMessage>(f->payload).sqlstate, "08P01");
  EXPECT_TRUE(c.WaitClosed());
}

TEST_F(ServerTest, OversizedLengthRefusedBeforePayload) {
  auto c = Admin();
  std::string header;
  protocol::AppendFrame(header, static_cast<uint8_t>(MessageType::Query), 1, "");
  uint32_t huge = 1u << 30;
  std::memcpy(header.data() + 5, &huge, 4);
  c->SendBytes(header);  // no payload follows: the header alone is refused
  auto f = c->ReadFrame(5s);
  ASSERT_TRUE(f);
  auto e = protocol::DecodePayload<protocol::ErrorMessage>(f->payload);
  EXPECT_EQ(e.sqlstate, "08P01");
  EXPECT_TRUE(c->WaitClosed());
}

TEST_F(ServerTest, MalformedPayloadAfterLogin) {
  auto c = Admin();
  c->SendFrame(MessageType::Query, 1, std::string("\x10\x00\x00\x00SEL", 7));  // string longer than the payload
  auto f = c->ReadFrame();
  ASSERT_TRUE(f);
  EXPECT_EQ(protocol::DecodePayload<protocol::ErrorMessage>(f->payload).sqlstate, "08P01");
  EXPECT_TRUE(c->WaitClosed());
  // Others are not disturbed.
  EXPECT_EQ(Cell(Admin()->Query("SELECT 1")), "1");
}

TEST_F(ServerTest, ClientVanishingMidResultLeavesServerHealthy) {
  {
    auto c = Admin();
    ASSERT_FALSE(c->Query("CREATE TABLE big (a BIGINT, b TEXT)").error());
    ASSERT_EQ(c->Query("INSERT INTO big SELECT n, repeat('x', 100) FROM (WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s "
                       "WHERE n < 1000) SELECT n FROM s) AS t")
                  .tags(),
              std::vector<std::string>{"INSERT 0 1000"});
    for (int i = 0; i < 8; ++i) ASSERT_FALSE(c->Query("INSERT INTO big SELECT a + 1000, b FROM big").error());
    c->Send(1, protocol::QueryMessage{"SELECT * FROM big", {}});
    c->ReadFrame();  // COLUMNS arrives; then the client hangs up mid-result
  }
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(Cell(Admin()->Query("SELECT count(*) FROM big")), "256000");
}

TEST_F(ServerTest, ConcurrentSessions) {
  ASSERT_FALSE(Admin()->Query("CREATE TABLE counter_rows (worker INTEGER, n INTEGER)").error());
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int w = 0; w < 8; ++w) {
    threads.emplace_back([&, w] {
      RawConnection c(server_->port());
      if (!c.Login("admin", kAdminPassword)) {
        ++failures;
        return;
      }
      for (int i = 0; i < 25; ++i) {
        if (c.Query("INSERT INTO counter_rows VALUES ($1, $2)", {Value::Integer(w), Value::Integer(i)}).error()) ++failures;
      }
      if (Cell(c.Query("SELECT count(*) FROM counter_rows WHERE worker = $1", {Value::Integer(w)})) != "25") ++failures;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Cell(Admin()->Query("SELECT count(*) FROM counter_rows")), "200");
}

TEST_F(ServerTest, TlsRequestRefusedWithoutCertificate) {
  RawConnection c(server_->port());
  c.SendFrame(MessageType::TlsRequest, 0, {});
  auto f = c.ReadFrame();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->type, static_cast<uint8_t>(MessageType::TlsRefuse));
  EXPECT_TRUE(c.Login("admin", kAdminPassword));  // continues in clear
}

// ---------------------------------------------------------------------------------------------
// Servers with particular settings.

TEST(ServerLimits, MaxConnections) {
  TestServer server({"--max-connections", "2"});
  ASSERT_TRUE(server.started()) << server.Output();
  RawConnection a(server.port()), b(server.port());
  ASSERT_TRUE(a.Login("admin", kAdminPassword));
  ASSERT_TRUE(b.Login("admin", kAdminPassword));
  RawConnection c(server.port());
  auto f = c.ReadFrame();
  ASSERT_TRUE(f);
  auto e = protocol::DecodePayload<protocol::ErrorMessage>(f->payload);
  EXPECT_EQ(e.sqlstate, "53300");
  EXPECT_TRUE(c.WaitClosed());
  EXPECT_EQ(Cell(a.Query("SELECT 1")), "1");
}

TEST(ServerLimits, AuthenticationTimeoutCutsOffHalfSentFrame) {
  TestServer server({"--auth-timeout-ms", "300"});
  ASSERT_TRUE(server.started()) << server.Output();
  RawConnection slow(server.port());
  slow.SendBytes(std::string("\x02\x01\x00\x00\x00", 5));  // half a header, then nothing
  RawConnection good(server.port());
  EXPECT_TRUE(good.Login("admin", kAdminPassword));
  auto f = slow.ReadFrame(5s);
  ASSERT_TRUE(f);
  EXPECT_EQ(protocol::DecodePayload<protocol::ErrorMessage>(f->payload).sqlstate, "08P01");
  EXPECT_TRUE(slow.WaitClosed());
  EXPECT_EQ(Cell(good.Query("SELECT 2")), "2");  // logged in: no authentication timeout
}

TEST(ServerLimits, IdleTimeout) {
  TestServer server({"--idle-timeout-ms", "300"});
  ASSERT_TRUE(server.started()) << server.Output();
  RawConnection c(server.port());
  ASSERT_TRUE(c.Login("admin", kAdminPassword));
  EXPECT_EQ(Cell(c.Query("SELECT 1")), "1");
  auto f = c.ReadFrame(5s);
  ASSERT_TRUE(f);
  EXPECT_EQ(protocol::DecodePayload<protocol::ErrorMessage>(f->payload).sqlstate, "57P05");
  EXPECT_TRUE(c.WaitClosed());
}

// The CPU time (user + system) `server`'s process has used so far.
std::chrono::milliseconds ProcessCpu(const TestServer& server) {
  std::ifstream pid_file(server.data_dir() + "/lytdb.pid");
  std::string pid;
  std::getline(pid_file, pid);
  std::ifstream stat_file("/proc/" + pid + "/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  // Fields after the command name (in parentheses, which may hold spaces): utime and stime are
  // the 12th and 13th.
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long ticks = 0;
  for (int i = 1; i <= 13 && fields >> field; ++i)
    if (i >= 12) ticks += std::stol(field);
  return std::chrono::milliseconds(ticks * 1000 / sysconf(_SC_CLK_TCK));
}

TEST(ServerEventLoops, PollingStopsWhereItFindsNothingAndAnIdleServerSleeps) {
  // One event loop that may poll for up to 10 ms after its work. A client pinging every 12 ms
  // leaves every poll empty-handed: polling each gap in full would keep the server busy about
  // 80% of the time, while the budget, halved at each empty poll, soon stops it.
  TestServer server({"--io-threads", "1", "--io-poll-us", "10000"});
  ASSERT_TRUE(server.started()) << server.Output();
  RawConnection c(server.port());
  ASSERT_TRUE(c.Login("admin", kAdminPassword));
  auto cpu_before = ProcessCpu(server);
  auto start = std::chrono::steady_clock::now();
  for (uint32_t i = 1; i <= 60; ++i) {
    c.SendFrame(MessageType::Ping, i, "");
    auto pong = c.ReadResponse(i, false);
    ASSERT_EQ(pong.frames.size(), 1u);
    ASSERT_EQ(pong.frames[0].type, static_cast<uint8_t>(MessageType::Pong));
    std::this_thread::sleep_for(12ms);
  }
  auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  auto cpu = ProcessCpu(server) - cpu_before;
  EXPECT_LT(cpu.count(), wall.count() * 2 / 5) << "CPU " << cpu.count() << " ms in " << wall.count() << " ms";
  // Idle: no polling at all.
  cpu_before = ProcessCpu(server);
  std::this_thread::sleep_for(1s);
  EXPECT_LT((ProcessCpu(server) - cpu_before).count(), 200);
  // And a burst after that is served as ever.
  for (uint32_t i = 100; i < 110; ++i) EXPECT_EQ(Cell(c.Query("SELECT " + std::to_string(i), {}, i)), std::to_string(i));
}

TEST(ServerLimits, StatementTimeout) {
  TestServer server({"--statement-timeout-ms", "200"});
  ASSERT_TRUE(server.started()) << server.Output();
  RawConnection c(server.port());
  ASSERT_TRUE(c.Login("admin", kAdminPassword));
  Response r = c.Query(kLongQuery);
  auto e = r.error();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->sqlstate, "57014");
  EXPECT_NE(e->message.find("statement timeout"), std::string::npos);
  EXPECT_EQ(Cell(c.Query("SELECT 3")), "3");
}

// A join whose pairs all fail its condition produces nothing for a long time: the timeout must
// still stop it (the join checks per batch of pairs, not only when its inputs do).
TEST(ServerLimits, StatementTimeoutStopsAJoinThatEmitsNothing) {
  TestServer server({"--statement-timeout-ms", "200"});
  ASSERT_TRUE(server.started()) << server.Output();
  RawConnection c(server.port());
  ASSERT_TRUE(c.Login("admin", kAdminPassword));
  ASSERT_FALSE(c.Query("CREATE TABLE d (n INTEGER)").error());
  ASSERT_FALSE(c.Query("INSERT INTO d VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)").error());
  // 10^9 pairs, none passing: minutes of work.
  std::string from = "d a0", condition = "a0.n";
  for (int i = 1; i < 9; ++i) {
    from += ", d a" + std::to_string(i);
    condition += " + a" + std::to_string(i) + ".n";
  }
  Response r = c.Query("SELECT count(*) FROM " + from + " WHERE " + condition + " < 0");
  auto e = r.error();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->sqlstate, "57014");
  EXPECT_EQ(Cell(c.Query("SELECT 3")), "3");
}

// Quick statements run on the I/O thread (docs/server.md, "Quick statements run on the I/O
// thread"). kLongQuery with its bound as a parameter: quick with 1, long with 50000000.
constexpr const char* kTunableQuery =
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < $1) SELECT count(*) FROM r";

// Prepares kTunableQuery as "tunable" on `c` and runs it once quickly, so that it runs inline next.
void PrepareTunable(RawConnection& c) {
  c.Send(1, protocol::PrepareMessage{"tunable", kTunableQuery});
  ASSERT_EQ(c.ReadResponse(1, false).frames.at(0).type, static_cast<uint8_t>(MessageType::Prepared));
  c.Send(2, protocol::ExecuteMessage{"tunable", {Value::BigInt(1)}});
  ASSERT_EQ(Cell(c.ReadResponse(2)), "1");
}

// Logs in a and b, prepares "tunable" on both, and starts it on a with a long bound (inline, as
// it ran quickly before).
void StartTurnedSlow(RawConnection& a, RawConnection& b, std::optional<protocol::AuthOkMessage>& a_ok) {
  a_ok = a.Login("admin", kAdminPassword);
  ASSERT_TRUE(a_ok && b.Login("admin", kAdminPassword));
  PrepareTunable(a);
  PrepareTunable(b);
  a.Send(3, protocol::ExecuteMessage{"tunable", {Value::BigInt(50000000)}});
  std::this_thread::sleep_for(100ms);
}

TEST(ServerInline, QuickStatementAnsweredWhileEveryWorkerIsBusy) {
  // Quick enough: anything within 10 s (a sanitizer build is slow).
  TestServer server({"--worker-threads", "1", "--io-threads", "3", "--quick-statement-us", "10000000"});
  ASSERT_TRUE(server.started()) << server.Output();
  RawConnection quick(server.port()), slow(server.port());
  auto slow_ok = slow.Login("admin", kAdminPassword);
  ASSERT_TRUE(quick.Login("admin", kAdminPassword) && slow_ok);
  PrepareTunable(quick);
  slow.Send(1, protocol::QueryMessage{kLongQuery, {}});  // takes the only worker
  std::this_thread::sleep_for(200ms);
  for (int i = 0; i < 3; ++i) {
    quick.Send(3, protocol::ExecuteMessage{"tunable", {Value::BigInt(10)}});
    EXPECT_EQ(Cell(quick.ReadResponse(3)), "10");
  }
  EXPECT_FALSE(slow.ReadFrame(50ms)) << "the long query was to be still running";
  RawConnection cancel(server.port());
  cancel.Send(0, protocol::CancelMessage{slow_ok->session_id, slow_ok->cancel_key});
  EXPECT_EQ(ErrorState(slow.ReadResponse(1)), "57014");
}

TEST(ServerInline, QuickStatementTurnedSlowIsStoppedByTimeoutAndCancel) {
  // Two event loops, a and b one on each, both held by a statement turned slow: the watchdog's
  // helpers serve the loops' new connections meanwhile.
  TestServer server({"--io-threads", "2", "--statement-timeout-ms", "1000", "--quick-statement-us", "10000000"});
  ASSERT_TRUE(server.started()) << server.Output();
  RawConnection a(server.port()), b(server.port());
  std::optional<protocol::AuthOkMessage> a_ok;
  ASSERT_NO_FATAL_FAILURE(StartTurnedSlow(a, b, a_ok));
  b.Send(3, protocol::ExecuteMessage{"tunable", {Value::BigInt(50000000)}});  // inline on the other loop
  // A new login and a CANCEL are served meanwhile.
  RawConnection c(server.port());
  ASSERT_TRUE(c.Login("admin", kAdminPassword));
  EXPECT_EQ(Cell(c.Query("SELECT 7")), "7");
  RawConnection cancel(server.port());
  cancel.Send(0, protocol::CancelMessage{a_ok->session_id, a_ok->cancel_key});
  auto a_error = a.ReadResponse(3).error();
  ASSERT_TRUE(a_error);
  EXPECT_EQ(a_error->sqlstate, "57014");
  EXPECT_NE(a_error->message.find("user request"), std::string::npos) << a_error->message;
  auto b_error = b.ReadResponse(3).error();
  ASSERT_TRUE(b_error);
  EXPECT_EQ(b_error->sqlstate, "57014");
  EXPECT_NE(b_error->message.find("statement timeout"), std::string::npos) << b_error->message;
  // The inline statement is stopped by the timeout too.
  a.Send(4, protocol::ExecuteMessage{"tunable", {Value::BigInt(2)}});  // quick again: inline next
  EXPECT_EQ(Cell(a.ReadResponse(4)), "2");
  a.Send(5, protocol::ExecuteMessage{"tunable", {Value::BigInt(50000000)}});
  auto timeout_error = a.ReadResponse(5).error();
  ASSERT_TRUE(timeout_error);
  EXPECT_NE(timeout_error->message.find("statement timeout"), std::string::npos) << timeout_error->message;
  EXPECT_EQ(Cell(a.Query("SELECT 8", {}, 6)), "8");
}

TEST(ServerInline, LoopHeldByASlowInlineStatementStillServesItsOtherConnections) {
  // One event loop: a's statement turned slow holds its thread; a helper thread serves b, a new
  // login and a CANCEL, and b's statements go to the workers while the loop's inline slot is taken.
  TestServer server({"--io-threads", "1", "--quick-statement-us", "10000000"});
  ASSERT_TRUE(server.started()) << server.Output();
  RawConnection a(server.port()), b(server.port());
  std::optional<protocol::AuthOkMessage> a_ok;
  ASSERT_NO_FATAL_FAILURE(StartTurnedSlow(a, b, a_ok));
  for (int i = 0; i < 3; ++i) {
    b.Send(3, protocol::ExecuteMessage{"tunable", {Value::BigInt(10)}});
    EXPECT_EQ(Cell(b.ReadResponse(3)), "10");
  }
  EXPECT_EQ(Cell(b.Query("SELECT 9", {}, 4)), "9");
  RawConnection c(server.port());
  ASSERT_TRUE(c.Login("admin", kAdminPassword));
  EXPECT_EQ(Cell(c.Query("SELECT 7")), "7");
  EXPECT_FALSE(a.ReadFrame(50ms)) << "the long query was to be still running";
  RawConnection cancel(server.port());
  cancel.Send(0, protocol::CancelMessage{a_ok->session_id, a_ok->cancel_key});
  EXPECT_EQ(ErrorState(a.ReadResponse(3)), "57014");
  a.Send(4, protocol::ExecuteMessage{"tunable", {Value::BigInt(2)}});
  EXPECT_EQ(Cell(a.ReadResponse(4)), "2");
}

TEST(ServerLimits, MaxFrameBytes) {
  TestServer server({"--max-frame-bytes", "4096"});
  ASSERT_TRUE(server.started()) << server.Output();
  RawConnection c(server.port());
  ASSERT_TRUE(c.Login("admin", kAdminPassword));
  EXPECT_EQ(Cell(c.Query("SELECT '" + std::string(3000, 'a') + "' = ''")), "false");
  c.Send(9, protocol::QueryMessage{"SELECT '" + std::string(5000, 'a') + "'", {}});
  auto f = c.ReadFrame();
  ASSERT_TRUE(f);
  auto e = protocol::DecodePayload<protocol::ErrorMessage>(f->payload);
  EXPECT_EQ(e.sqlstate, "08P01");
  EXPECT_NE(e.message.find("4096"), std::string::npos) << e.message;
}

TEST(ServerLifecycle, GracefulShutdownOnSigterm) {
  TestServer server;
  ASSERT_TRUE(server.started()) << server.Output();
  RawConnection idle(server.port());
  ASSERT_TRUE(idle.Login("admin", kAdminPassword));
  EXPECT_EQ(server.Stop(SIGTERM), 0) << server.Output();
  auto f = idle.ReadFrame(5s);
  ASSERT_TRUE(f);
  EXPECT_EQ(protocol::DecodePayload<protocol::ErrorMessage>(f->payload).sqlstate, "57P01");
  EXPECT_TRUE(idle.WaitClosed());
}

TEST(ServerLifecycle, SighupIsIgnored) {
  TestServer server;
  ASSERT_TRUE(server.started()) << server.Output();
  RawConnection before(server.port());
  ASSERT_TRUE(before.Login("admin", kAdminPassword));
  server.Signal(SIGHUP);
  for (int i = 0; i < 100 && server.Output().find("SIGHUP received") == std::string::npos; ++i) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(Cell(before.Query("SELECT 1")), "1") << server.Output();
  RawConnection after(server.port());
  ASSERT_TRUE(after.Login("admin", kAdminPassword)) << server.Output();
  EXPECT_NE(server.Output().find("SIGHUP received: ignored"), std::string::npos) << server.Output();
  EXPECT_EQ(server.Stop(SIGTERM), 0) << server.Output();
}

TEST(ServerLifecycle, ShutdownCancelsLongStatementAfterGrace) {
  TestServer server({"--shutdown-grace-ms", "200"});
  ASSERT_TRUE(server.started()) << server.Output();
  RawConnection busy(server.port());
  ASSERT_TRUE(busy.Login("admin", kAdminPassword));
  busy.Send(1, protocol::QueryMessage{kLongQuery, {}});
  std::this_thread::sleep_for(100ms);
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(server.Stop(SIGTERM), 0) << server.Output();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(ServerLifecycle, SecondSignalExitsAtOnce) {
  TestServer server({"--shutdown-grace-ms", "60000"});
  ASSERT_TRUE(server.started()) << server.Output();
  RawConnection busy(server.port());
  ASSERT_TRUE(busy.Login("admin", kAdminPassword));
  busy.Send(1, protocol::QueryMessage{kLongQuery, {}});
  std::this_thread::sleep_for(100ms);
  server.Signal(SIGINT);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(server.Stop(SIGINT, 5s), 1) << server.Output();
}

TEST(ServerLifecycle, GeneratedAdminPasswordSurvivesRestart) {
  std::string dir;
  std::string password;
  {
    TestServer first({}, {{"LYT_ADMIN_PASSWORD", ""}});
    ASSERT_TRUE(first.started()) << first.Output();
    dir = first.data_dir();
    std::ifstream in(dir + "/admin.password");
    std::getline(in, password);
    ASSERT_GE(password.size(), 16u);
    struct stat st {};
    ASSERT_EQ(stat((dir + "/admin.password").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_NE(first.Output().find(password), std::string::npos);  // printed once
    RawConnection c(first.port());
    EXPECT_TRUE(c.Login("admin", password));
    first.KeepDataDir();
  }
  TestServer second({}, {{"LYT_ADMIN_PASSWORD", "ignored-now"}}, dir);
  ASSERT_TRUE(second.started()) << second.Output();
  EXPECT_EQ(second.Output().find(password), std::string::npos);  // not printed again
  RawConnection c(second.port());
  EXPECT_TRUE(c.Login("admin", password));
  second.Stop();
  std::filesystem::remove_all(std::filesystem::path(dir).parent_path());
}

TEST(ServerLifecycle, SecondServerOnSameDataDirRefused) {
  TestServer first;
  ASSERT_TRUE(first.started());
  std::string out;
  int status = TestServer::RunToExit({"--data-dir", first.data_dir(), "--listen", "127.0.0.1:0", "--resp", "127.0.0.1:0", "--http", "127.0.0.1:0"}, {}, &out);
  EXPECT_EQ(status, 1);
  EXPECT_NE(out.find("in use by another lytdb"), std::string::npos) << out;
}

TEST(ServerConfig, InvalidSettingsNameThemselves) {
  std::string out;
  EXPECT_EQ(TestServer::RunToExit({"--max-connections", "lots"}, {}, &out), 2);
  EXPECT_NE(out.find("max_connections"), std::string::npos) << out;
  EXPECT_EQ(TestServer::RunToExit({"--listen", "example.com:80"}, {}, &out), 2);
  EXPECT_NE(out.find("listen"), std::string::npos) << out;
  EXPECT_EQ(TestServer::RunToExit({}, {{"LYT_LOG_LEVEL", "loud"}}, &out), 2);
  EXPECT_NE(out.find("LYT_LOG_LEVEL"), std::string::npos) << out;
  std::string file = std::filesystem::temp_directory_path() / "lytdb-bad-config.toml";
  std::ofstream(file) << "max_conections = 5\n";
  EXPECT_EQ(TestServer::RunToExit({"--config", file}, {}, &out), 2);
  EXPECT_NE(out.find("unknown setting \"max_conections\""), std::string::npos) << out;
  std::filesystem::remove(file);
  // Settings that do not go together are refused as early, before the data directory exists.
  std::string dir = std::filesystem::temp_directory_path() / "lytdb-never-created";
  std::filesystem::remove_all(dir);
  EXPECT_EQ(TestServer::RunToExit({"--data-dir", dir, "--tls-required", "true"}, {}, &out), 2);
  EXPECT_NE(out.find("tls_required needs tls_cert_file and tls_key_file"), std::string::npos) << out;
  EXPECT_EQ(TestServer::RunToExit({"--data-dir", dir, "--tls-cert-file", "/etc/hostname"}, {}, &out), 2);
  EXPECT_NE(out.find("tls_cert_file and tls_key_file must be set together"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_EQ(TestServer::RunToExit({"--help"}, {}, &out), 0);
  EXPECT_NE(out.find("--statement-timeout-ms"), std::string::npos);
}

TEST(ServerConfig, FileThenEnvironmentThenFlags) {
  std::string file = std::filesystem::temp_directory_path() / "lytdb-precedence.toml";
  std::ofstream(file) << "# comment\nidle_timeout_ms = 100000\nmax_connections = 1\nstatement_timeout_ms = 150\n";
  // The file says 1 connection, the environment 5, the flag 3; idle timeout from the
  // environment; statement timeout from the file.
  TestServer server({"--config", file, "--max-connections", "3"}, {{"LYT_MAX_CONNECTIONS", "5"}, {"LYT_IDLE_TIMEOUT_MS", "400"}});
  ASSERT_TRUE(server.started()) << server.Output();
  RawConnection a(server.port()), b(server.port()), c(server.port());
  ASSERT_TRUE(a.Login("admin", kAdminPassword));
  ASSERT_TRUE(b.Login("admin", kAdminPassword));
  ASSERT_TRUE(c.Login("admin", kAdminPassword));
  RawConnection d(server.port());
  auto refused = d.ReadFrame();
  ASSERT_TRUE(refused);
  EXPECT_EQ(protocol::DecodePayload<protocol::ErrorMessage>(refused->payload).sqlstate, "53300");
  EXPECT_EQ(ErrorState(a.Query(kLongQuery)), "57014");
  auto idle = b.ReadFrame(5s);
  ASSERT_TRUE(idle);
  EXPECT_EQ(protocol::DecodePayload<protocol::ErrorMessage>(idle->payload).sqlstate, "57P05");
  std::filesystem::remove(file);
}

TEST(ServerConfig, InitSqlRunsOnceAndFailureRefusesStart) {
  auto temp = std::filesystem::temp_directory_path() / "lytdb-init-sql";
  std::filesystem::remove_all(temp);
  std::filesystem::create_directories(temp / "ok");
  std::ofstream(temp / "ok" / "01-schema.sql") << "CREATE TABLE seed (id INTEGER PRIMARY KEY, name TEXT);\n";
  std::ofstream(temp / "ok" / "02-data.sql") << "INSERT INTO seed VALUES (1, 'one'), (2, 'two');\n";
  {
    TestServer server({"--init-sql", (temp / "ok").string()});
    ASSERT_TRUE(server.started()) << server.Output();
    RawConnection c(server.port());
    ASSERT_TRUE(c.Login("admin", kAdminPassword));
    EXPECT_EQ(Cell(c.Query("SELECT count(*) FROM seed")), "2");
    EXPECT_EQ(Cell(c.Query("SELECT name FROM seed WHERE id = 2")), "two");
  }
  std::ofstream(temp / "bad.sql") << "CREATE TABLE t (a INTEGER);\nINSERT INTO t VALUES (1);\nSELEC 1;\n";
  std::string out;
  std::string data = (temp / "data").string();
  EXPECT_EQ(TestServer::RunToExit({"--data-dir", data, "--listen", "127.0.0.1:0", "--resp", "127.0.0.1:0", "--http", "127.0.0.1:0", "--init-sql", (temp / "bad.sql").string()},
                                  {{"LYT_ADMIN_PASSWORD", "x-password"}}, &out),
            1);
  EXPECT_NE(out.find("bad.sql:3"), std::string::npos) << out;
  EXPECT_NE(out.find("42601"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(data + "/LYTDB_VERSION"));  // not initialized: the next start tries again
  std::filesystem::remove_all(temp);
}

}  // namespace
}  // namespace lyt::testing

namespace lyt::testing {
namespace {

// Users and privileges over the wire: the same authorization check as embedded sessions, here
// with users who log in with their own passwords.
TEST_F(ServerTest, PrivilegesOverTheWire) {
  auto admin = Admin();
  ASSERT_FALSE(admin->Query("CREATE DATABASE shop").error());
  ASSERT_FALSE(admin->Query("CREATE TABLE shop.items (id INTEGER PRIMARY KEY, name TEXT)").error());
  ASSERT_FALSE(admin->Query("INSERT INTO shop.items VALUES (1, 'pen')").error());
  ASSERT_FALSE(admin->Query("CREATE USER reader WITH PASSWORD 'r-pass'; CREATE USER writer WITH PASSWORD 'w-pass'").error());
  ASSERT_FALSE(admin->Query("GRANT READ ON DATABASE shop TO reader; GRANT WRITE ON DATABASE shop TO writer").error());

  RawConnection none(server_->port());
  protocol::ErrorMessage error;
  EXPECT_FALSE(none.Login("reader", "r-pass", "main", &error));  // no privilege on main
  EXPECT_EQ(error.sqlstate, "42501");

  RawConnection reader(server_->port());
  ASSERT_TRUE(reader.Login("reader", "r-pass", "shop"));
  EXPECT_EQ(Cell(reader.Query("SELECT name FROM items WHERE id = 1")), "pen");
  EXPECT_EQ(ErrorState(reader.Query("INSERT INTO items VALUES (2, 'ink')")), "42501");
  EXPECT_EQ(ErrorState(reader.Query("DROP TABLE items")), "42501");
  EXPECT_EQ(ErrorState(reader.Query("CREATE USER sneaky WITH PASSWORD 'x'")), "42501");
  EXPECT_EQ(ErrorState(reader.Query("SELECT count(*) FROM main.counter_rows")), "42501");

  RawConnection writer(server_->port());
  ASSERT_TRUE(writer.Login("writer", "w-pass", "shop"));
  EXPECT_FALSE(writer.Query("INSERT INTO items VALUES (2, 'ink')").error());
  EXPECT_FALSE(writer.Query("CREATE TABLE notes (t TEXT)").error());
  EXPECT_EQ(ErrorState(writer.Query("GRANT READ ON DATABASE shop TO writer")), "42501");
  EXPECT_EQ(ErrorState(writer.Query("DROP DATABASE shop")), "42501");

  // Revoking applies to open sessions from their next statement.
  ASSERT_FALSE(admin->Query("REVOKE READ ON DATABASE shop FROM reader").error());
  EXPECT_EQ(ErrorState(reader.Query("SELECT 1 FROM items")), "42501");
  // A user's own password change, then a login with it.
  EXPECT_FALSE(writer.Query("ALTER USER writer WITH PASSWORD 'w-pass-2'").error());
  RawConnection again(server_->port());
  EXPECT_TRUE(again.Login("writer", "w-pass-2", "shop"));
}

TEST_F(ServerTest, TempTableDroppedWhenConnectionDrops) {
  RawConnection other(server_->port());
  ASSERT_TRUE(other.Login("admin", kAdminPassword));
  uint64_t session_id = 0;
  {
    RawConnection c(server_->port());
    auto ok = c.Login("admin", kAdminPassword);
    ASSERT_TRUE(ok);
    session_id = ok->session_id;
    ASSERT_FALSE(c.Query("CREATE TEMP TABLE scratch (a INTEGER)").error());
    ASSERT_FALSE(c.Query("INSERT INTO scratch VALUES (1)").error());
    EXPECT_EQ(ErrorState(other.Query("SELECT * FROM scratch")), "42P01");  // private to its session
    EXPECT_EQ(Cell(other.Query("SELECT count(*) FROM lyt_sessions WHERE session_id = $1", {Value::BigInt(static_cast<int64_t>(session_id))})),
              "1");
  }  // the socket closes without TERMINATE
  std::string count = "1";
  for (int i = 0; i < 100 && count != "0"; ++i) {
    std::this_thread::sleep_for(20ms);
    count = Cell(other.Query("SELECT count(*) FROM lyt_sessions WHERE session_id = $1", {Value::BigInt(static_cast<int64_t>(session_id))}));
  }
  EXPECT_EQ(count, "0");
}

TEST_F(ServerTest, SessionsAndQueryLogViews) {
  RawConnection c(server_->port());
  ASSERT_TRUE(c.Login("admin", kAdminPassword));
  EXPECT_EQ(ErrorState(c.Query("SELECT 1 / 0 AS failing_on_purpose")), "22012");
  Response r = c.Query("SELECT user_name, client_address LIKE '127.0.0.1:%', state, query FROM lyt_sessions WHERE query LIKE '%lyt_sessions%'");
  ASSERT_EQ(r.rows().size(), 1u);
  EXPECT_EQ(Cell(r, 0, 0), "admin");
  EXPECT_EQ(Cell(r, 0, 1), "true");
  EXPECT_EQ(Cell(r, 0, 2), "active");
  EXPECT_EQ(Cell(c.Query("SELECT sqlstate FROM lyt_query_log WHERE query LIKE '%failing_on_purpose%' AND query NOT LIKE '%lyt_query_log%'")),
            "22012");
}

}  // namespace
}  // namespace lyt::testing

namespace lyt::testing {
namespace {

// The shipped example config, every setting uncommented, is accepted as is.
TEST(ServerConfig, ExampleConfigIsValid) {
  std::ifstream in(std::string(LYT_SOURCE_DIR) + "/config/lytdb.example.toml");
  ASSERT_TRUE(in) << "config/lytdb.example.toml is missing";
  std::string line, toml;
  int settings = 0;
  while (std::getline(in, line)) {
    if (line.rfind("# ", 0) == 0 && line.size() > 2 && std::islower(static_cast<unsigned char>(line[2])) &&
        line.find(" = ") != std::string::npos) {
      toml += line.substr(2) + "\n";
      ++settings;
    }
  }
  EXPECT_GE(settings, 25);
  std::string file = std::filesystem::temp_directory_path() / "lytdb-example.toml";
  std::ofstream(file) << toml;
  TestServer server({"--config", file});  // --data-dir and --listen flags override the file's
  EXPECT_TRUE(server.started()) << server.Output();
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace lyt::testing

namespace lyt::testing {
namespace {

protocol::TransactionStatus ReadyStatus(const Response& r) {
  for (const auto& f : r.frames) {
    if (f.type == static_cast<uint8_t>(MessageType::Ready)) return protocol::DecodePayload<protocol::ReadyMessage>(f.payload).status;
  }
  ADD_FAILURE() << "no READY";
  return protocol::TransactionStatus::Idle;
}

TEST_F(ServerTest, ReadyCarriesTransactionStatus) {
  using protocol::TransactionStatus;
  auto c = Admin();
  EXPECT_EQ(ReadyStatus(c->Query("SELECT 1")), TransactionStatus::Idle);
  EXPECT_EQ(ReadyStatus(c->Query("BEGIN")), TransactionStatus::InBlock);
  EXPECT_EQ(ReadyStatus(c->Query("SELECT 1 / 0")), TransactionStatus::Failed);
  EXPECT_EQ(ReadyStatus(c->Query("SELECT 1")), TransactionStatus::Failed);  // 25P02
  EXPECT_EQ(ReadyStatus(c->Query("ROLLBACK")), TransactionStatus::Idle);
  EXPECT_EQ(ReadyStatus(c->Query("SELEC")), TransactionStatus::Idle);  // a syntax error outside a block
  Response r = c->Query("");
  EXPECT_EQ(r.frames.size(), 1u);  // an empty QUERY: just READY
  EXPECT_EQ(ReadyStatus(r), TransactionStatus::Idle);
}

}  // namespace
}  // namespace lyt::testing

namespace lyt::testing {
namespace {

TEST(ServerLimits, TlsRequiredRefusesClearSessions) {
  TestServer server({"--tls-self-signed", "true", "--tls-required", "true"});
  ASSERT_TRUE(server.started()) << server.Output();
  EXPECT_TRUE(std::filesystem::exists(server.data_dir() + "/tls/server.crt"));
  RawConnection c(server.port());
  protocol::ErrorMessage error;
  EXPECT_FALSE(c.Login("admin", kAdminPassword, "", &error));
  EXPECT_EQ(error.sqlstate, "28000");
  EXPECT_NE(error.message.find("requires TLS"), std::string::npos) << error.message;
  RawConnection tls(server.port());
  tls.SendFrame(MessageType::TlsRequest, 0, {});
  auto f = tls.ReadFrame();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->type, static_cast<uint8_t>(MessageType::TlsAccept));  // the handshake would follow
}

TEST(ServerLimits, PerQueryMemoryLimit) {
  TestServer server({"--memory-limit", "64MB"});
  ASSERT_TRUE(server.started()) << server.Output();
  RawConnection c(server.port());
  ASSERT_TRUE(c.Login("admin", kAdminPassword));
  ASSERT_FALSE(c.Query("CREATE TABLE m (a INTEGER, b TEXT); INSERT INTO m VALUES (1, repeat('y', 200))").error());
  for (int i = 0; i < 18; ++i) ASSERT_FALSE(c.Query("INSERT INTO m SELECT a + (SELECT max(a) FROM m), b FROM m").error());
  EXPECT_EQ(Cell(c.Query("SELECT count(*) FROM m")), "262144");
  Response r = c.Query("SELECT b || b || a::TEXT FROM m ORDER BY 1");  // about 100 MiB sorted
  EXPECT_EQ(ErrorState(r), "53200");
  EXPECT_EQ(Cell(c.Query("SELECT count(*) FROM m WHERE a > 0")), "262144");  // the session goes on
}

// Failed logins are answered later and later (per user and per address); a correct password
// still works once the delay has passed.
TEST(ServerLimits, FailedLoginsAreSlowedDown) {
  TestServer server;
  ASSERT_TRUE(server.started()) << server.Output();
  auto attempt = [&](const std::string& password) {
    RawConnection c(server.port());
    auto started = std::chrono::steady_clock::now();
    bool ok = c.Login("admin", password).has_value();
    return std::make_pair(ok, std::chrono::steady_clock::now() - started);
  };
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(attempt("wrong").first);
  auto [ok, took] = attempt("wrong");
  EXPECT_FALSE(ok);
  EXPECT_GE(took, 200ms);  // the throttle's designed delay, not a speed measurement
  EXPECT_TRUE(attempt(kAdminPassword).first);
  EXPECT_NE(server.Output().find("login failed for user \"admin\""), std::string::npos);
}

}  // namespace
}  // namespace lyt::testing
