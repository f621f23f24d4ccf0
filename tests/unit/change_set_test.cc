// The change set a commit hands to the commit sink (the write-ahead log's input): one per
// committing transaction with changes, self-contained, in commit order, and before visibility.
#include <gtest/gtest.h>

#include <stdexcept>

#include "main/session.h"
#include "txn/change_set.h"

namespace lyt {
namespace {

class ChangeSetTest : public ::testing::Test {
 protected:
  ChangeSetTest() : engine_(DatabaseOptions{}), session_(engine_) {
    engine_.transactions().SetCommitSink([this](const ChangeSet& set) -> uint64_t {
      if (fail_next_) {
        fail_next_ = false;
        throw std::runtime_error("disk full");
      }
      if (!set.changes.empty()) sets_.push_back(Summarize(set));  // empty: a schema change
      return 0;
    });
  }

  struct Summary {
    version_t commit_ts;
    std::vector<std::string> changes;  // "insert main.t @0: 1|a, 2|b" / "delete main.t: 0, 1"
  };

  static Summary Summarize(const ChangeSet& set) {
    Summary s{set.commit_ts, {}};
    for (const auto& c : set.changes) {
      std::string line = (c.is_insert ? "insert " : "delete ") + c.database + "." + c.table;
      if (c.is_insert) {
        line += " @" + std::to_string(c.first_row) + ":";
        for (const auto& chunk : c.rows) {
          for (idx_t r = 0; r < chunk->size(); ++r) {
            line += r || &chunk != &c.rows.front() ? ", " : " ";
            for (idx_t col = 0; col < chunk->ColumnCount(); ++col) line += (col ? "|" : "") + chunk->GetValue(col, r).ToString();
          }
        }
      } else {
        line += ":";
        for (size_t i = 0; i < c.deleted.size(); ++i) line += (i ? ", " : " ") + std::to_string(c.deleted[i]);
      }
      s.changes.push_back(line);
    }
    return s;
  }

  void Run(const std::string& sql) {
    auto r = session_.Run(sql, {});
    ASSERT_TRUE(r->ok()) << sql << ": " << r->status().ToString();
  }

  Engine engine_;
  Session session_;
  std::vector<Summary> sets_;
  bool fail_next_ = false;
};

TEST_F(ChangeSetTest, AutocommitStatementsProduceOneSetEach) {
  Run("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT)");
  Run("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  Run("UPDATE t SET name = 'B' WHERE id = 2");
  Run("DELETE FROM t WHERE id = 1");
  ASSERT_EQ(sets_.size(), 3u);  // CREATE TABLE changes no rows
  EXPECT_EQ(sets_[0].changes, (std::vector<std::string>{"insert main.t @0: 1|a, 2|b"}));
  // An UPDATE deletes the old version and appends the new one.
  EXPECT_EQ(sets_[1].changes, (std::vector<std::string>{"delete main.t: 1", "insert main.t @2: 2|B"}));
  EXPECT_EQ(sets_[2].changes, (std::vector<std::string>{"delete main.t: 0"}));
  EXPECT_LT(sets_[0].commit_ts, sets_[1].commit_ts);
  EXPECT_LT(sets_[1].commit_ts, sets_[2].commit_ts);
}

TEST_F(ChangeSetTest, ReadsRollbacksAndFailuresProduceNothing) {
  Run("CREATE TABLE t(id INTEGER PRIMARY KEY)");
  Run("SELECT * FROM t");
  Run("BEGIN; INSERT INTO t VALUES (1); ROLLBACK");
  EXPECT_FALSE(session_.Run("INSERT INTO t VALUES (2), (2)", {})->ok());  // duplicate key
  Run("UPDATE t SET id = 3 WHERE id = 99");                                // no row
  EXPECT_TRUE(sets_.empty());
}

TEST_F(ChangeSetTest, ABlockIsOneSetInStatementOrderWithoutRolledBackSavepoints) {
  Run("CREATE TABLE t(id INTEGER); CREATE DATABASE other; CREATE TABLE other.u(x TEXT)");
  Run("BEGIN");
  Run("INSERT INTO t VALUES (1)");
  Run("SAVEPOINT s");
  Run("INSERT INTO t VALUES (2)");
  Run("ROLLBACK TO s");
  Run("INSERT INTO other.u VALUES ('x')");
  Run("INSERT INTO t VALUES (3)");
  EXPECT_TRUE(sets_.empty());  // nothing before COMMIT
  Run("COMMIT");
  ASSERT_EQ(sets_.size(), 1u);
  // Row id 1 went to the rolled-back insert and is simply skipped.
  EXPECT_EQ(sets_[0].changes,
            (std::vector<std::string>{"insert main.t @0: 1", "insert other.u @0: x", "insert main.t @2: 3"}));
}

TEST_F(ChangeSetTest, AFailingSinkFailsTheCommitAndLeavesNoTrace) {
  Run("CREATE TABLE t(id INTEGER PRIMARY KEY)");
  fail_next_ = true;
  auto r = session_.Run("INSERT INTO t VALUES (1)", {});
  EXPECT_FALSE(r->ok());
  auto count = session_.Run("SELECT count(*) FROM t", {});
  ASSERT_TRUE(count->ok());
  EXPECT_EQ(count->NextBatch()->GetInt64(0, 0), 0);
  Run("INSERT INTO t VALUES (1)");  // the key is free again
  ASSERT_EQ(sets_.size(), 1u);
  EXPECT_EQ(sets_[0].changes, (std::vector<std::string>{"insert main.t @1: 1"}));
}

}  // namespace
}  // namespace lyt
