// Ordered indexes with parameters ($n), which sqllogictest files cannot pass: LIKE patterns
// arriving as values (with or without a fixed prefix, NULL, escapes), ORDER BY ... LIMIT and
// MIN / MAX under parameter bounds. Each must return what a scan returns (`b || ''` and `a + 0`
// make the same query scan); EXPLAIN shows the plan with the values in place.
#include <gtest/gtest.h>

#include "first_column.h"
#include "lyt/database.h"

namespace lyt {
namespace {

class IndexOrderParams : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Database::Open({}, &db_).ok());
    conn_ = db_->Connect();
    ASSERT_TRUE(conn_->Execute("CREATE TABLE t (id INTEGER, a INTEGER, b TEXT)").ok());
    ASSERT_TRUE(conn_->Execute("INSERT INTO t WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 600) "
                               "SELECT i, i % 7, 'k' || (i % 31) FROM r").ok());
    ASSERT_TRUE(conn_->Execute("INSERT INTO t VALUES (1001, NULL, 'k1%'), (1002, 3, NULL), (1003, 3, 'k1_')").ok());
    ASSERT_TRUE(conn_->Execute("CREATE INDEX t_b ON t (b)").ok());
    ASSERT_TRUE(conn_->Execute("CREATE INDEX t_ab ON t (a, b)").ok());
  }

  std::string Column(const std::string& sql, std::vector<Value> params = {}) { return FirstColumn(*conn_, sql, params); }

  // `indexed`, whose plan says `plan` (unless empty), returns what `scanned` returns.
  void ExpectSame(const std::string& indexed, const std::string& scanned, std::vector<Value> params, const std::string& plan) {
    std::string explained = Column("EXPLAIN " + indexed, params);
    if (!plan.empty()) {
      EXPECT_NE(explained.find(plan), std::string::npos) << explained;
    }
    std::string result = Column(indexed, params);
    EXPECT_EQ(result, Column(scanned, params)) << indexed;
    EXPECT_EQ(result.rfind("error", 0), std::string::npos) << indexed << ": " << result;
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(IndexOrderParams, LikeParameterReadsThePrefixRange) {
  for (const char* pattern : {"k1%", "k2_", "k1\\%", "k1\\_%", "k30", "zz%"}) {
    ExpectSame("SELECT count(*) FROM t WHERE b LIKE $1", "SELECT count(*) FROM t WHERE b || '' LIKE $1", {Value::Varchar(pattern)},
               std::string("INDEX_SCAN [t USING t_b (t.b LIKE '") + pattern + "')");
  }
  for (const char* pattern : {"%1", "_1%", ""}) {  // no fixed prefix: a scan
    ExpectSame("SELECT count(*) FROM t WHERE b LIKE $1", "SELECT count(*) FROM t WHERE b || '' LIKE $1", {Value::Varchar(pattern)},
               "TABLE_SCAN");
  }
  EXPECT_EQ(Column("SELECT count(*) FROM t WHERE b LIKE $1", {Value::Varchar("k1%")}), "214");
  EXPECT_EQ(Column("SELECT count(*) FROM t WHERE b LIKE $1", {Value::Null(LogicalType(TypeId::Varchar))}), "0");
  EXPECT_EQ(Column("SELECT id FROM t WHERE a = $1 AND b LIKE $2", {Value::Integer(3), Value::Varchar("k1\\_")}), "1003");
  EXPECT_EQ(Column("SELECT count(*) FROM t WHERE b LIKE $1", {Value::Varchar("k1\\")}), "error 22025");
}

TEST_F(IndexOrderParams, OrderByLimitUnderParameterBounds) {
  ExpectSame("SELECT b FROM t WHERE a = $1 ORDER BY b DESC LIMIT 5 OFFSET 2", "SELECT b FROM t WHERE a + 0 = $1 ORDER BY b DESC LIMIT 5 OFFSET 2",
             {Value::Integer(3)}, "INDEX_SCAN [t USING t_ab (t.a = 3) ORDER DESC");
  ExpectSame("SELECT b FROM t WHERE b LIKE $1 ORDER BY b LIMIT 4", "SELECT b FROM t WHERE b || '' LIKE $1 ORDER BY b || '' LIMIT 4",
             {Value::Varchar("k2%")}, "INDEX_SCAN [t USING t_b (t.b LIKE 'k2%') ORDER ASC");
  EXPECT_EQ(Column("SELECT b FROM t WHERE a = $1 ORDER BY b LIMIT 3", {Value::Null(LogicalType(TypeId::Integer))}), "");
}

TEST_F(IndexOrderParams, MinMaxUnderParameterBounds) {
  ExpectSame("SELECT max(b) FROM t WHERE a = $1", "SELECT max(b || '') FROM t WHERE a + 0 = $1", {Value::Integer(3)},
             "INDEX_SCAN [t USING t_ab (t.a = 3, t.b IS NOT NULL) ORDER DESC");
  ExpectSame("SELECT min(b) FROM t WHERE a = $1", "SELECT min(b || '') FROM t WHERE a + 0 = $1", {Value::Integer(6)},
             "INDEX_SCAN [t USING t_ab (t.a = 6, t.b IS NOT NULL) ORDER ASC");
  EXPECT_EQ(Column("SELECT max(b) FROM t WHERE a = $1", {Value::Integer(99)}), "NULL");
}

}  // namespace
}  // namespace lyt
