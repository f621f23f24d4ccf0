// Point lookups with parameters ($n), which sqllogictest files cannot pass: the values arrive
// typed by the client (an INTEGER for a BIGINT key, text for a number, NULL) and must find
// exactly the rows a scan finds.
#include <gtest/gtest.h>

#include "first_column.h"
#include "lyt/database.h"

namespace lyt {
namespace {

class IndexLookupParams : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Database::Open({}, &db_).ok());
    conn_ = db_->Connect();
    ASSERT_TRUE(conn_->Execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT UNIQUE, a INTEGER, b INTEGER, "
                               "UNIQUE (a, b))").ok());
    ASSERT_TRUE(conn_->Execute("INSERT INTO t VALUES (1, 'one', 1, 1), (2, 'two', 1, 2), (3, NULL, NULL, 3)").ok());
  }

  std::string Column(const std::string& sql, std::vector<Value> params = {}) { return FirstColumn(*conn_, sql, params); }

  std::unique_ptr<Database> db_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(IndexLookupParams, PlansAnIndexLookup) {
  std::string plan = Column("EXPLAIN SELECT name FROM t WHERE id = $1", {Value::BigInt(2)});
  EXPECT_NE(plan.find("INDEX_LOOKUP [t USING t_pkey"), std::string::npos) << plan;
}

TEST_F(IndexLookupParams, FindsTheRowOfEachTypedValue) {
  EXPECT_EQ(Column("SELECT name FROM t WHERE id = $1", {Value::BigInt(2)}), "two");
  EXPECT_EQ(Column("SELECT name FROM t WHERE id = $1", {Value::Integer(1)}), "one");
  EXPECT_EQ(Column("SELECT name FROM t WHERE id = $1", {Value::Varchar("2")}), "two");
  EXPECT_EQ(Column("SELECT id FROM t WHERE name = $1", {Value::Varchar("one")}), "1");
  EXPECT_EQ(Column("SELECT id FROM t WHERE a = $1 AND b = $2", {Value::Integer(1), Value::Integer(2)}), "2");
}

TEST_F(IndexLookupParams, NoMatchAndNullFindNothing) {
  EXPECT_EQ(Column("SELECT name FROM t WHERE id = $1", {Value::BigInt(42)}), "");
  EXPECT_EQ(Column("SELECT name FROM t WHERE id = $1", {Value::Null(LogicalType(TypeId::BigInt))}), "");
  EXPECT_EQ(Column("SELECT id FROM t WHERE name = $1", {Value::Null(LogicalType(TypeId::Varchar))}), "");
  EXPECT_EQ(Column("SELECT id FROM t WHERE a = $1 AND b = $2", {Value::Null(LogicalType(TypeId::Integer)), Value::Integer(3)}), "");
}

TEST_F(IndexLookupParams, BadValuesFailAsInAScan) {
  EXPECT_EQ(Column("SELECT name FROM t WHERE id = $1", {Value::Varchar("x")}), "error 22P02");
}

TEST_F(IndexLookupParams, UpdateAndDeleteByKeyParameter) {
  EXPECT_EQ(Column("UPDATE t SET name = $2 WHERE id = $1 RETURNING name", {Value::BigInt(1), Value::Varchar("uno")}), "uno");
  EXPECT_EQ(Column("SELECT id FROM t WHERE name = $1", {Value::Varchar("uno")}), "1");
  EXPECT_EQ(Column("SELECT id FROM t WHERE name = $1", {Value::Varchar("one")}), "");
  EXPECT_EQ(Column("DELETE FROM t WHERE id = $1 RETURNING id", {Value::BigInt(2)}), "2");
  EXPECT_EQ(Column("SELECT count(*) FROM t WHERE id = $1", {Value::BigInt(2)}), "0");
}

// The same for ordered indexes (CREATE INDEX) and zone maps: ranges and IN lists with typed
// parameters find exactly the rows the equivalent scan (`+ 0` defeats both) finds.
TEST_F(IndexLookupParams, OrderedIndexRangesAndInListsWithParameters) {
  ASSERT_TRUE(conn_->Execute("CREATE INDEX t_a_b ON t (a, b)").ok());
  EXPECT_NE(Column("EXPLAIN SELECT id FROM t WHERE a = $1 AND b >= $2", {Value::Integer(1), Value::Integer(2)}).find("INDEX_SCAN"),
            std::string::npos);
  for (const char* column : {"b", "b + 0"}) {
    std::string range = std::string("SELECT id FROM t WHERE a = $1 AND ") + column + " >= $2 ORDER BY id";
    std::string in = std::string("SELECT id FROM t WHERE a = $1 AND ") + column + " IN ($2, $3) ORDER BY id";
    SCOPED_TRACE(column);
    EXPECT_EQ(Column(range, {Value::Integer(1), Value::Integer(1)}), "1,2");
    EXPECT_EQ(Column(range, {Value::BigInt(1), Value::BigInt(2)}), "2");
    EXPECT_EQ(Column(range, {Value::Varchar("1"), Value::Varchar("2")}), "2");
    EXPECT_EQ(Column(range, {Value::Integer(1), Value::Null(LogicalType(TypeId::Integer))}), "");
    EXPECT_EQ(Column(in, {Value::Integer(1), Value::Integer(2), Value::Integer(1)}), "1,2");
    EXPECT_EQ(Column(in, {Value::Integer(1), Value::Null(LogicalType(TypeId::Integer)), Value::Integer(2)}), "2");
    EXPECT_EQ(Column(range, {Value::Varchar("x"), Value::Integer(1)}), "error 22P02");
  }
}

}  // namespace
}  // namespace lyt
