// Sessions as the engine tracks them: temporary tables live and die with their session, the
// session registry lists live sessions (lyt_sessions), the query log keeps the last statements
// (lyt_query_log) and tells an observer about every one.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "lyt/database.h"
#include "auth/user_store.h"
#include "main/engine.h"
#include "main/session.h"
#include "txn/change_set.h"

namespace lyt {
namespace {

int64_t QueryInt(Connection& c, const std::string& sql) {
  auto r = c.Query(sql);
  EXPECT_TRUE(r->ok()) << sql << ": " << r->status().ToString();
  const ResultBatch* b = r->ok() ? r->NextBatch() : nullptr;
  return b ? b->GetInt64(0, 0) : -1;
}

std::string QueryText(Session& s, const std::string& sql) {
  auto r = s.Run(sql, {});
  EXPECT_TRUE(r->ok()) << sql << ": " << r->status().ToString();
  const ResultBatch* b = r->ok() ? r->NextBatch() : nullptr;
  return b && !b->IsNull(0, 0) ? std::string(b->GetString(0, 0)) : "<none>";
}

TEST(TempTables, DroppedWhenTheConnectionEnds) {
  std::unique_ptr<Database> db;
  ASSERT_TRUE(Database::Open({}, &db).ok());
  auto other = db->Connect();
  {
    auto owner = db->Connect();
    ASSERT_TRUE(owner->Execute("CREATE TEMP TABLE t(a INTEGER PRIMARY KEY)").ok());
    ASSERT_TRUE(owner->Execute("INSERT INTO t VALUES (1), (2)").ok());
    // Disconnect in the middle of a transaction block that changed the table.
    ASSERT_TRUE(owner->Execute("BEGIN").ok());
    ASSERT_TRUE(owner->Execute("INSERT INTO t VALUES (3)").ok());
    EXPECT_EQ(QueryInt(*owner, "SELECT count(*) FROM t"), 3);
    EXPECT_EQ(other->Query("SELECT * FROM t")->status().sqlstate(), "42P01");
    EXPECT_EQ(QueryInt(*other, "SELECT count(*) FROM lyt_sessions"), 2);
  }
  EXPECT_EQ(QueryInt(*other, "SELECT count(*) FROM lyt_sessions"), 1);
  auto fresh = db->Connect();
  EXPECT_EQ(fresh->Query("SELECT * FROM t")->status().sqlstate(), "42P01");
  EXPECT_EQ(fresh->Query("SELECT * FROM pg_temp.t")->status().sqlstate(), "42P01");
  // The name is free again, for permanent and temporary tables alike.
  ASSERT_TRUE(fresh->Execute("CREATE TABLE t(a INTEGER)").ok());
  ASSERT_TRUE(fresh->Execute("CREATE TEMP TABLE t(b TEXT)").ok());
  EXPECT_EQ(QueryInt(*fresh, "SELECT count(*) FROM main.t"), 0);
}

TEST(TempTables, SessionOwnsThemAndNotTheCatalog) {
  Engine engine(DatabaseOptions{});
  std::vector<ChangeSet> sets;
  engine.transactions().SetCommitSink([&](const ChangeSet& set) -> uint64_t {
    if (set.changes.empty()) return 0;  // a schema change (the catalog image)
    ChangeSet copy;
    copy.commit_ts = set.commit_ts;
    for (const auto& c : set.changes) copy.changes.push_back({c.table_id, c.database, c.table, c.is_insert, c.first_row, {}, c.deleted});
    sets.push_back(std::move(copy));
    return 0;
  });
  {
    Session session(engine);
    ASSERT_TRUE(session.Run("CREATE TEMP TABLE tmp(a INTEGER); CREATE TABLE perm(a INTEGER)", {})->ok());
    EXPECT_EQ(session.temp_tables().tables().size(), 1u);
    EXPECT_TRUE(session.temp_tables().FindTable("tmp")->temporary());
    EXPECT_EQ(engine.catalog().FindDatabase(Catalog::kTempSchema), nullptr);
    EXPECT_EQ(engine.catalog().GetDatabase("main").FindTable("tmp"), nullptr);
    // Changes to temporary tables never reach the commit sink (the write-ahead log).
    ASSERT_TRUE(session.Run("INSERT INTO tmp VALUES (1)", {})->ok());
    EXPECT_TRUE(sets.empty());
    ASSERT_TRUE(session.Run("BEGIN; INSERT INTO tmp VALUES (2); INSERT INTO perm VALUES (3); COMMIT", {})->ok());
    ASSERT_EQ(sets.size(), 1u);
    ASSERT_EQ(sets[0].changes.size(), 1u);
    EXPECT_EQ(sets[0].changes[0].database + "." + sets[0].changes[0].table, "main.perm");
  }
  EXPECT_EQ(engine.sessions().size(), 0u);
}

TEST(SessionRegistry, IdsAndInfo) {
  Engine engine(DatabaseOptions{});
  Session a(engine), b(engine);
  EXPECT_NE(a.info().id, 0u);
  EXPECT_NE(a.info().id, b.info().id);
  EXPECT_EQ(engine.sessions().size(), 2u);

  uint64_t id = a.info().id;
  for (const char* user : {"alice", "bob"}) ASSERT_TRUE(engine.users().CreateUser(user, "pw", true).ok());
  a.set_info({0, "alice", "10.0.0.1:5000", "psql"});  // 0 keeps the engine's id
  EXPECT_EQ(a.info().id, id);
  std::string where = "FROM lyt_sessions WHERE session_id = " + std::to_string(id);
  EXPECT_EQ(QueryText(b, "SELECT user_name || '@' || client_address || ' ' || application_name " + where),
            "alice@10.0.0.1:5000 psql");
  a.set_info({777, "bob", "", ""});
  EXPECT_EQ(QueryText(b, "SELECT user_name FROM lyt_sessions WHERE session_id = 777"), "bob");
  EXPECT_EQ(QueryText(b, "SELECT coalesce(client_address, 'none') FROM lyt_sessions WHERE session_id = 777"), "none");
  // Before its first statement a session shows an empty query and no query_start; afterwards
  // its last statement while idle, and the running one while active (the viewer itself).
  EXPECT_EQ(QueryText(b, "SELECT state || ': ' || query || coalesce(query_start::TEXT, ' never') FROM lyt_sessions WHERE session_id = 777"),
            "idle:  never");
  EXPECT_EQ(QueryText(a, "SELECT state FROM lyt_sessions WHERE session_id = 777"), "active");
  EXPECT_EQ(QueryText(b, "SELECT state || ': ' || query FROM lyt_sessions WHERE session_id = 777"),
            "idle: SELECT state FROM lyt_sessions WHERE session_id = 777");
}

TEST(SessionRegistry, ReadWhileOthersRun) {
  Engine engine(DatabaseOptions{});
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    while (!stop) {
      Session s(engine);
      for (int i = 0; i < 20; ++i) ASSERT_TRUE(s.Run("SELECT " + std::to_string(i) + "; BEGIN; ROLLBACK", {})->ok());
    }
  });
  Session reader(engine);
  for (int i = 0; i < 200; ++i) {
    auto r = reader.Run("SELECT count(*) FROM lyt_sessions s JOIN lyt_query_log q USING (session_id)", {});
    ASSERT_TRUE(r->ok()) << r->status().ToString();
  }
  stop = true;
  writer.join();
}

TEST(QueryLog, KeepsTheLastEntriesOldestFirst) {
  DatabaseOptions options;
  options.query_log_capacity = 3;
  Engine engine(options);
  Session s(engine);
  ASSERT_TRUE(s.Run("SELECT 1; SELECT 2; SELECT 3; SELECT 4", {})->ok());
  auto entries = engine.query_log().Snapshot();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].query, "SELECT 2");
  EXPECT_EQ(entries[2].query, "SELECT 4");
  // A statement is logged once it has finished: the view does not show itself.
  EXPECT_EQ(QueryText(s, "SELECT string_agg(query, ',') FROM lyt_query_log"), "SELECT 2,SELECT 3,SELECT 4");
  entries = engine.query_log().Snapshot();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[2].query, "SELECT string_agg(query, ',') FROM lyt_query_log");
}

TEST(QueryLog, ObserverSeesEveryStatement) {
  DatabaseOptions options;
  options.query_log_capacity = 0;  // no ring: the observer still sees everything
  Engine engine(options);
  std::vector<QueryLogEntry> seen;
  engine.query_log().set_query_observer([&](const QueryLogEntry& e) { seen.push_back(e); });
  ASSERT_TRUE(engine.users().CreateUser("carol", "pw", true).ok());
  Session s(engine);
  s.set_info({0, "carol", "", ""});
  EXPECT_FALSE(s.Run("CREATE TABLE t(a INTEGER); INSERT INTO t VALUES (1), (2); SELECT a / 0 FROM t; SELECT 5", {})->ok());
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1].rows, 2);
  EXPECT_EQ(seen[1].user, "carol");
  EXPECT_EQ(seen[1].database, "main");
  EXPECT_EQ(seen[1].session_id, s.info().id);
  EXPECT_TRUE(seen[1].sqlstate.empty());
  EXPECT_EQ(seen[2].query, "SELECT a / 0 FROM t");
  EXPECT_EQ(seen[2].sqlstate, "22012");
  EXPECT_EQ(seen[2].error, "division by zero");
  EXPECT_GE(seen[2].duration_ms, 0);
  EXPECT_GT(seen[2].finished_at_us, 0);
  EXPECT_TRUE(engine.query_log().Snapshot().empty());

  engine.query_log().set_query_observer([](const QueryLogEntry&) { throw std::runtime_error("log disk full"); });
  EXPECT_TRUE(s.Run("SELECT 1", {})->ok());
  engine.query_log().set_query_observer(nullptr);
  EXPECT_TRUE(s.Run("SELECT 1", {})->ok());
}

TEST(QueryLog, TruncatesLongStatementsAtACharacterBoundary) {
  EXPECT_EQ(QueryLog::TruncateQuery("SELECT 1"), "SELECT 1");
  std::string exact(QueryLog::kMaxQueryBytes, 'x');
  EXPECT_EQ(QueryLog::TruncateQuery(exact), exact);
  std::string wide = "SELECT '" + std::string(QueryLog::kMaxQueryBytes, 'y');
  for (size_t shift = 0; shift < 4; ++shift) {
    std::string text = std::string(shift, 'a') + std::string(2000, 'b');
    for (int i = 0; i < 1000; ++i) text += "\xE2\x82\xAC";  // the euro sign, three bytes
    std::string cut = QueryLog::TruncateQuery(text);
    EXPECT_LE(cut.size(), QueryLog::kMaxQueryBytes);
    EXPECT_EQ(cut.substr(cut.size() - 3), "...");
    std::string body = cut.substr(0, cut.size() - 3);
    EXPECT_EQ(text.compare(0, body.size(), body), 0);
    EXPECT_NE(static_cast<unsigned char>(text[body.size()]) & 0xC0, 0x80) << "cut inside a character";
  }
  EXPECT_EQ(QueryLog::TruncateQuery(wide).size(), QueryLog::kMaxQueryBytes);
}

TEST(QueryLog, LongStatementsAreCutInTheLogAndInLytSessions) {
  Engine engine(DatabaseOptions{});
  Session s(engine);
  std::string long_select = "SELECT length('" + std::string(10000, 'z') + "')";
  ASSERT_TRUE(s.Run(long_select, {})->ok());
  auto entries = engine.query_log().Snapshot();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].query.size(), QueryLog::kMaxQueryBytes);
  EXPECT_EQ(entries[0].query.substr(0, 20), long_select.substr(0, 20));
  Session other(engine);
  EXPECT_EQ(QueryText(other, "SELECT length(query)::TEXT FROM lyt_sessions WHERE session_id = " + std::to_string(s.info().id)),
            std::to_string(QueryLog::kMaxQueryBytes));
}

}  // namespace
}  // namespace lyt

namespace lyt {
namespace {

TEST(SystemViews, OrdinaryUsersSeeOnlyTheirOwnRows) {
  Engine engine(DatabaseOptions{});
  ASSERT_TRUE(engine.users().CreateUser("root", "pw", true).ok());
  ASSERT_TRUE(engine.users().CreateUser("dana", "pw", false).ok());
  ASSERT_TRUE(engine.users().Grant("dana", "main", auth::Privilege::Read).ok());
  Session root(engine), dana(engine), other_dana(engine);
  root.set_info({0, "root", "", ""});
  dana.set_info({0, "dana", "", ""});
  other_dana.set_info({0, "dana", "", ""});
  ASSERT_TRUE(root.Run("SELECT 'root secret'", {})->ok());
  EXPECT_EQ(QueryText(dana, "SELECT count(*)::TEXT FROM lyt_sessions"), "2");
  EXPECT_EQ(QueryText(dana, "SELECT count(*)::TEXT FROM lyt_sessions WHERE user_name <> 'dana'"), "0");
  EXPECT_EQ(QueryText(dana, "SELECT count(*)::TEXT FROM lyt_query_log WHERE query LIKE '%root secret%'"), "0");
  EXPECT_EQ(QueryText(root, "SELECT count(*)::TEXT FROM lyt_sessions"), "3");
  EXPECT_EQ(QueryText(root, "SELECT count(*)::TEXT FROM lyt_query_log WHERE user_name = 'dana'"), "3");
}

TEST(SystemViews, PasswordsAreRedactedInTheQueryLog) {
  Engine engine(DatabaseOptions{});
  Session s(engine);
  ASSERT_TRUE(s.Run("CREATE USER erin WITH PASSWORD 'hunter2'", {})->ok());
  EXPECT_EQ(QueryText(s, "SELECT query FROM lyt_query_log WHERE query LIKE 'CREATE USER%'"), "CREATE USER erin WITH PASSWORD '***'");
  EXPECT_EQ(QueryText(s, "SELECT count(*)::TEXT FROM lyt_query_log WHERE query LIKE '%hunter2%'"), "0");
}

}  // namespace
}  // namespace lyt
