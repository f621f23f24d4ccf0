// EXPLAIN ANALYZE through the embedded API: its times vary from run to run, so sqllogictest
// files cannot match them; here the lines are matched with regular expressions.
#include <gtest/gtest.h>

#include <regex>

#include "lyt/database.h"

namespace lyt {
namespace {

class ExplainAnalyze : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Database::Open({}, &db_).ok());
    conn_ = db_->Connect();
    ASSERT_TRUE(conn_->Execute("CREATE TABLE t (id INTEGER, g INTEGER)").ok());
    ASSERT_TRUE(conn_->Execute("INSERT INTO t WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 10) "
                               "SELECT i, i % 3 FROM s").ok());
  }

  // The plan's lines; one "error <state>" line on failure.
  std::vector<std::string> Lines(const std::string& sql) {
    auto r = conn_->Query(sql);
    if (!r->ok()) return {"error " + r->status().sqlstate()};
    std::vector<std::string> out;
    while (const ResultBatch* b = r->NextBatch()) {
      for (size_t i = 0; i < b->row_count(); ++i) out.push_back(b->GetValue(0, i).ToString());
    }
    return out;
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(ExplainAnalyze, ShowsEstimatesActualRowsLoopsAndTimes) {
  auto lines = Lines("EXPLAIN ANALYZE SELECT g, count(*) FROM t WHERE id > 4 GROUP BY g");
  ASSERT_EQ(lines.size(), 4u);
  const std::string actual = R"( \(actual rows=(\d+) loops=1 time=\d+\.\d{3} ms\))";
  const char* operators[] = {R"(PROJECTION \[t\.g, count\] \(rows=3\))", R"(  HASH_GROUP_BY \[.*\] \(rows=3\))",
                             R"(    TABLE_SCAN \[t WHERE \(t\.id > 4\)\] \(rows=3\))"};
  const char* rows[] = {"3", "3", "6"};
  for (int i = 0; i < 3; ++i) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(lines[i], m, std::regex(operators[i] + actual))) << lines[i];
    EXPECT_EQ(m[1], rows[i]) << lines[i];
  }
  EXPECT_TRUE(std::regex_match(lines[3], std::regex(R"(Execution Time: \d+\.\d{3} ms)"))) << lines[3];
}

TEST_F(ExplainAnalyze, OptionsLeaveOutEstimatesTimesAndTheSummary) {
  auto lines = Lines("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT id FROM t WHERE g = 0");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "PROJECTION [t.id] (actual rows=3 loops=1)");
  EXPECT_EQ(lines[1], "  TABLE_SCAN [t WHERE (t.g = 0)] (actual rows=3 loops=1)");
  EXPECT_TRUE(std::regex_match(lines[2], std::regex(R"(Execution Time: \d+\.\d{3} ms)"))) << lines[2];
  EXPECT_EQ(Lines("EXPLAIN (ANALYZE, SUMMARY OFF, COSTS false) SELECT id FROM t WHERE g = 0").size(), 2u);
}

TEST_F(ExplainAnalyze, ReportsTheQuerysErrorsAndRunsOnlySelect) {
  EXPECT_EQ(Lines("EXPLAIN ANALYZE SELECT 1 / (id - 5) FROM t"), std::vector<std::string>{"error 22012"});
  EXPECT_EQ(Lines("EXPLAIN ANALYZE DELETE FROM t"), std::vector<std::string>{"error 0A000"});
  EXPECT_EQ(Lines("SELECT count(*) FROM t"), std::vector<std::string>{"10"});
}

}  // namespace
}  // namespace lyt
