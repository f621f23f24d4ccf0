// The authorization check through Session, statement by statement: each statement kind is denied
// (42501) to a user holding the level just below what it needs and allowed at that level. The
// acting user is set on the Session as the server does (SessionInfo::user); SQL cannot set it.
#include "auth/authorize.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <mutex>
#include <string>

#include "common/error.h"
#include "main/session.h"
#include "sql/parser.h"

namespace lyt {
namespace {

using auth::Privilege;

// RFC 7677's verifier: creating users from it skips the PBKDF2 rounds.
const char* kVerifier =
    "'SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
    "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU='";

std::string CopyFile() { return "/tmp/lyt_authorize_test_" + std::to_string(getpid()) + ".csv"; }

// An engine with databases main and d2, some objects, and users u and other (no grants). The
// embedded session `admin` (empty user) sets things up.
struct World {
  World() : engine(DatabaseOptions{}), admin(engine) {
    for (const std::string& sql : std::initializer_list<std::string>{
             "CREATE DATABASE d2", "CREATE TABLE t (a INTEGER)", "INSERT INTO t VALUES (1)",
             "CREATE TABLE spare (a INTEGER)", "CREATE VIEW v AS SELECT a FROM t", "CREATE INDEX ti ON t (a)",
             "CREATE TABLE d2.t2 (a INTEGER)", "CREATE VIEW cross_view AS SELECT a FROM d2.t2",
             "COPY t TO '" + CopyFile() + "'", std::string("CREATE USER u PASSWORD ") + kVerifier,
             std::string("CREATE USER other PASSWORD ") + kVerifier}) {
      Admin(sql);
    }
  }

  void Admin(const std::string& sql) {
    Status status = admin.Run(sql, {})->status();
    ASSERT_TRUE(status.ok()) << sql << ": " << status.ToString();
  }
  void Grant(Privilege privilege, const std::string& database, const std::string& user = "u") {
    if (privilege != Privilege::None) Admin(std::string("GRANT ") + auth::PrivilegeName(privilege) + " ON DATABASE " + database + " TO " + user);
  }
  // A session acting as `user`, in `database`.
  std::unique_ptr<Session> As(const std::string& user, const std::string& database = "main") {
    auto session = std::make_unique<Session>(engine);
    SessionInfo info;
    info.id = 7;
    info.user = user;
    session->set_info(info);
    session->set_current_database(database);
    return session;
  }

  Engine engine;
  Session admin;
};

Status Exec(Session& session, const std::string& sql) { return session.Run(sql, {})->status(); }

// What a statement needs: a level on a database, or superuser.
struct Case {
  const char* sql;
  const char* database;  // "main" (the session's) or "d2"
  int need;              // a Privilege, or kSuperuser
};
constexpr int kSuperuser = 4;
constexpr int R = static_cast<int>(Privilege::Read), W = static_cast<int>(Privilege::Write),
              A = static_cast<int>(Privilege::Admin);

const Case kCases[] = {
    // READ on the current database
    {"SELECT a FROM t", "main", R},
    {"SELECT * FROM v", "main", R},
    {"SHOW TABLES", "main", R},
    {"SHOW DATABASES", "main", R},
    {"SHOW memory_limit", "main", R},
    {"SHOW ALL", "main", R},
    {"SHOW GRANTS", "main", R},
    {"SHOW GRANTS FOR u", "main", R},
    {"DESCRIBE t", "main", R},
    {"EXPLAIN SELECT a FROM t", "main", R},
    {"EXPLAIN ANALYZE SELECT a FROM t", "main", R},
    {"SET memory_limit = '1GB'", "main", R},
    {"RESET memory_limit", "main", R},
    {"USE main", "main", R},
    {"SET database = main", "main", R},
    {"ALTER USER u PASSWORD 'new password'", "main", R},
    // WRITE on the current database
    {"INSERT INTO t VALUES (2)", "main", W},
    {"INSERT INTO t SELECT a FROM t", "main", W},
    {"UPDATE t SET a = 2", "main", W},
    {"DELETE FROM t", "main", W},
    {"TRUNCATE t", "main", W},
    {"CREATE TABLE n (a INTEGER)", "main", W},
    {"CREATE TABLE n AS SELECT a FROM t", "main", W},
    {"CREATE VIEW nv AS SELECT a FROM t", "main", W},
    {"CREATE INDEX ni ON t (a)", "main", W},
    {"ALTER TABLE t ADD COLUMN b INTEGER", "main", W},
    {"DROP TABLE spare", "main", W},
    {"DROP VIEW v", "main", W},
    {"DROP INDEX ti", "main", W},
    // ADMIN on the current database
    {"GRANT READ ON DATABASE main TO other", "main", A},
    {"REVOKE READ ON DATABASE main FROM other", "main", A},
    // Other databases named in the statement (the session holds ADMIN on main)
    {"SELECT a FROM d2.t2", "d2", R},
    {"SELECT * FROM cross_view", "d2", R},
    {"SELECT (SELECT count(*) FROM d2.t2)", "d2", R},
    {"SELECT a FROM t WHERE a IN (SELECT a FROM d2.t2)", "d2", R},
    {"SELECT t.a FROM t JOIN d2.t2 ON t.a = t2.a", "d2", R},
    {"EXPLAIN SELECT a FROM d2.t2", "d2", R},
    {"EXPLAIN (ANALYZE, TIMING OFF) SELECT a FROM t WHERE a IN (SELECT a FROM d2.t2)", "d2", R},
    {"DESCRIBE d2.t2", "d2", R},
    {"USE d2", "d2", R},
    {"SET database = d2", "d2", R},
    {"INSERT INTO t SELECT a FROM d2.t2", "d2", R},
    {"CREATE VIEW nv AS SELECT a FROM d2.t2", "d2", R},
    {"INSERT INTO d2.t2 VALUES (1)", "d2", W},
    {"UPDATE d2.t2 SET a = 1", "d2", W},
    {"DELETE FROM d2.t2", "d2", W},
    {"TRUNCATE d2.t2", "d2", W},
    {"CREATE TABLE d2.n (a INTEGER)", "d2", W},
    {"CREATE VIEW d2.nv AS SELECT 1 AS x", "d2", W},
    {"CREATE INDEX ni ON d2.t2 (a)", "d2", W},
    {"ALTER TABLE d2.t2 ADD COLUMN b INTEGER", "d2", W},
    {"DROP TABLE d2.t2", "d2", W},
    {"GRANT READ ON DATABASE d2 TO other", "d2", A},
    {"REVOKE READ ON DATABASE d2 FROM other", "d2", A},
    {"DROP DATABASE d2", "d2", A},
    // Superusers only
    {"CREATE DATABASE d3", "main", kSuperuser},
    {"CREATE USER x PASSWORD 'p'", "main", kSuperuser},
    {"ALTER USER other PASSWORD 'p'", "main", kSuperuser},
    {"ALTER USER other SUPERUSER", "main", kSuperuser},
    {"ALTER USER other NOSUPERUSER", "main", kSuperuser},
    {"ALTER USER other RENAME TO o2", "main", kSuperuser},
    {"ALTER USER u SUPERUSER", "main", kSuperuser},
    {"DROP USER other", "main", kSuperuser},
    {"DROP USER IF EXISTS nobody", "main", kSuperuser},
    {"SHOW USERS", "main", kSuperuser},
    {"SHOW GRANTS FOR other", "main", kSuperuser},
    {"COPY t TO '/dev/null'", "main", kSuperuser},
    {"COPY (SELECT 1) TO '/dev/null'", "main", kSuperuser},
    {"COPY spare FROM '@'", "main", kSuperuser},  // '@' stands for the fixture's file
};

// Gives u `level` on the case's database (and ADMIN on main when that is d2); kSuperuser makes u
// a superuser, anything below None gives nothing.
void GiveLevel(World& world, const Case& c, int level) {
  if (level == kSuperuser) return world.Admin("ALTER USER u SUPERUSER");
  if (std::string(c.database) == "d2") world.Grant(Privilege::Admin, "main");
  if (level > 0) world.Grant(static_cast<Privilege>(level), c.database);
}

std::string SqlOf(const Case& c) {
  std::string sql = c.sql;
  size_t at = sql.find('@');
  if (at != std::string::npos) sql.replace(at, 1, CopyFile());
  return sql;
}

TEST(Authorize, EveryStatementNeedsItsLevel) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.sql);
    {
      World world;  // one level short: ADMIN everywhere stands for "not superuser"
      int below = c.need == kSuperuser ? A : c.need - 1;
      GiveLevel(world, c, below);
      if (c.need == kSuperuser) world.Grant(Privilege::Admin, "d2");
      Status status = Exec(*world.As("u"), SqlOf(c));
      EXPECT_EQ(status.sqlstate(), "42501") << status.ToString();
      EXPECT_NE(status.message().find("permission denied"), std::string::npos) << status.ToString();
    }
    {
      World world;
      GiveLevel(world, c, c.need);
      Status status = Exec(*world.As("u"), SqlOf(c));
      EXPECT_TRUE(status.ok()) << status.ToString();
    }
  }
}

TEST(Authorize, Messages) {
  World world;
  world.Grant(Privilege::Read, "main");
  auto u = world.As("u");
  Status s = Exec(*u, "SELECT a FROM d2.t2");
  EXPECT_EQ(s.message(), "permission denied for database \"d2\"");
  EXPECT_EQ(s.column(), 15);  // points at the name
  EXPECT_EQ(Exec(*u, "DELETE FROM t").message(), "permission denied for database \"main\"");
  EXPECT_EQ(Exec(*u, "CREATE USER x PASSWORD 'hunter2'").message(), "permission denied to create user");
  EXPECT_EQ(Exec(*u, "CREATE DATABASE d3").message(), "permission denied to create database");
  EXPECT_EQ(Exec(*u, "DROP USER other").message(), "permission denied to drop user");
  EXPECT_EQ(Exec(*u, "ALTER USER other PASSWORD 'hunter2'").message(), "permission denied to alter user");
  // Databases that do not exist: the handler's 3D000, as for embedded use.
  EXPECT_EQ(Exec(*u, "SELECT * FROM nosuch.t").sqlstate(), "3D000");
  EXPECT_EQ(Exec(*u, "USE nosuch").sqlstate(), "3D000");
  EXPECT_EQ(Exec(*u, "DROP DATABASE nosuch").sqlstate(), "3D000");
  EXPECT_TRUE(Exec(*u, "DROP DATABASE IF EXISTS nosuch").ok());
}

TEST(Authorize, EmbeddedSessionsHoldEverything) {
  World world;
  for (const char* sql : {"CREATE DATABASE d3", "SHOW USERS", "DROP USER other", "COPY t TO '/dev/null'", "DROP DATABASE d2"}) {
    EXPECT_TRUE(Exec(world.admin, sql).ok()) << sql;
  }
}

TEST(Authorize, TransactionControlNeedsNothing) {
  World world;
  auto u = world.As("u");  // no privilege at all
  EXPECT_TRUE(Exec(*u, "BEGIN").ok());
  EXPECT_TRUE(Exec(*u, "SAVEPOINT s").ok());
  EXPECT_EQ(Exec(*u, "SELECT a FROM t").sqlstate(), "42501");
  EXPECT_TRUE(Exec(*u, "ROLLBACK TO SAVEPOINT s").ok());
  EXPECT_TRUE(Exec(*u, "ROLLBACK").ok());
  EXPECT_TRUE(Exec(*u, "START TRANSACTION").ok());
  EXPECT_TRUE(Exec(*u, "COMMIT").ok());
}

TEST(Authorize, ChangesApplyToOpenSessionsAtOnce) {
  World world;
  world.Grant(Privilege::Write, "main");
  auto u = world.As("u");
  EXPECT_TRUE(Exec(*u, "INSERT INTO t VALUES (5)").ok());
  world.Admin("REVOKE WRITE ON DATABASE main FROM u");
  EXPECT_EQ(Exec(*u, "INSERT INTO t VALUES (5)").sqlstate(), "42501");
  EXPECT_TRUE(Exec(*u, "SELECT a FROM t").ok());
  world.Admin("ALTER USER u SUPERUSER");
  EXPECT_TRUE(Exec(*u, "CREATE DATABASE d3").ok());
  world.Admin("ALTER USER u NOSUPERUSER");
  EXPECT_EQ(Exec(*u, "CREATE DATABASE d4").sqlstate(), "42501");
  world.Admin("DROP USER u");
  EXPECT_EQ(Exec(*u, "SELECT a FROM t").sqlstate(), "42501");
}

TEST(Authorize, DroppedDatabasesTakeTheirGrants) {
  World world;
  world.Grant(Privilege::Read, "main");
  world.Grant(Privilege::Admin, "d2");
  auto u = world.As("u");
  EXPECT_TRUE(Exec(*u, "DROP DATABASE d2").ok());
  world.Admin("CREATE DATABASE d2");
  EXPECT_EQ(Exec(*u, "USE d2").sqlstate(), "42501");
}

TEST(Authorize, OwnUser) {
  World world;
  world.Grant(Privilege::Read, "main");
  auto u = world.As("u");
  EXPECT_EQ(Exec(*u, "ALTER USER u SUPERUSER").sqlstate(), "42501");
  EXPECT_EQ(Exec(*u, "ALTER USER u RENAME TO v").sqlstate(), "42501");
  EXPECT_TRUE(Exec(*u, "ALTER USER u WITH PASSWORD 'changed'").ok());
  world.Admin("ALTER USER u SUPERUSER");
  EXPECT_EQ(Exec(*u, "DROP USER u").sqlstate(), "55006");
  EXPECT_EQ(Exec(*u, "DROP USER other, u").sqlstate(), "55006");
  EXPECT_TRUE(world.engine.users().Exists("other"));  // nothing dropped
  EXPECT_EQ(Exec(*u, "ALTER USER u RENAME TO v").sqlstate(), "0A000");
  EXPECT_TRUE(Exec(*u, "ALTER USER u NOSUPERUSER").ok());  // as in PostgreSQL
  EXPECT_FALSE(world.engine.users().IsSuperuser("u"));
}

TEST(Authorize, ShowGrantsShowsOnesOwnUnlessSuperuser) {
  World world;
  world.Grant(Privilege::Read, "main");
  world.Grant(Privilege::Write, "d2", "other");
  auto u = world.As("u");
  auto result = u->Run("SHOW GRANTS", {});
  ASSERT_TRUE(result->ok()) << result->status().ToString();
  EXPECT_EQ(result->rows_affected(), 1);
  world.Admin("ALTER USER u SUPERUSER");
  result = u->Run("SHOW GRANTS", {});
  EXPECT_EQ(result->rows_affected(), 2);
  result = u->Run("SHOW GRANTS FOR other", {});
  EXPECT_EQ(result->rows_affected(), 1);
  EXPECT_EQ(Exec(*u, "SHOW GRANTS FOR nobody").sqlstate(), "42704");
}

TEST(Authorize, UserStatementsRunOutsideBlocks) {
  World world;
  EXPECT_TRUE(Exec(world.admin, "BEGIN").ok());
  Status s = Exec(world.admin, "GRANT READ ON DATABASE main TO u");
  EXPECT_EQ(s.sqlstate(), "25001") << s.ToString();
  EXPECT_TRUE(Exec(world.admin, "ROLLBACK").ok());
  EXPECT_TRUE(Exec(world.admin, "BEGIN").ok());
  EXPECT_EQ(Exec(world.admin, "CREATE USER y PASSWORD 'p'").sqlstate(), "25001");
  EXPECT_TRUE(Exec(world.admin, "ROLLBACK").ok());
}

TEST(Authorize, PasswordsNeverInMessages) {
  World world;
  world.Grant(Privilege::Read, "main");
  auto u = world.As("u");
  for (const char* sql : {"CREATE USER other PASSWORD 'hunter2'", "CREATE USER x PASSWORD hunter2",
                          "ALTER USER nobody PASSWORD 'hunter2'", "CREATE USER z PASSWORD 'SCRAM-SHA-256$hunter2'"}) {
    Status as_admin = Exec(world.admin, sql);
    Status as_u = Exec(*u, sql);
    EXPECT_FALSE(as_admin.ok()) << sql;
    EXPECT_EQ(as_admin.ToString().find("hunter2"), std::string::npos) << as_admin.ToString();
    EXPECT_EQ(as_u.ToString().find("hunter2"), std::string::npos) << as_u.ToString();
  }
}

TEST(Authorize, CheckCanConnect) {
  World world;
  world.Grant(Privilege::Read, "d2");
  world.Admin(std::string("CREATE USER root SUPERUSER PASSWORD ") + kVerifier);
  auth::UserStore& users = world.engine.users();
  Catalog& catalog = world.engine.catalog();
  std::shared_lock lock(world.engine.catalog_lock());
  auto state = [&](const std::string& user, const std::string& database) -> std::string {
    try {
      auth::CheckCanConnect(users, catalog, user, database);
      return "ok";
    } catch (const Error& e) {
      return e.sqlstate();
    }
  };
  EXPECT_EQ(state("u", "d2"), "ok");
  EXPECT_EQ(state("u", "main"), "42501");
  EXPECT_EQ(state("u", "nosuch"), "3D000");
  EXPECT_EQ(state("root", "main"), "ok");
  EXPECT_EQ(state("nobody", "main"), "42501");
}

TEST(Authorize, RequirementOfNamesTheRule) {
  auto statements = ParseSql("DROP DATABASE d2");
  auth::Requirement r = auth::RequirementOf(*statements[0], "u", "main");
  ASSERT_EQ(r.databases.size(), 2u);
  EXPECT_EQ(r.databases[0].database, "main");
  EXPECT_EQ(r.databases[0].privilege, Privilege::Read);
  EXPECT_EQ(r.databases[1].database, "d2");
  EXPECT_EQ(r.databases[1].privilege, Privilege::Admin);
  EXPECT_EQ(r.superuser_action, nullptr);
  statements = ParseSql("SHOW USERS");
  EXPECT_STREQ(auth::RequirementOf(*statements[0], "u", "main").superuser_action, "show users");
}

}  // namespace
}  // namespace lyt
