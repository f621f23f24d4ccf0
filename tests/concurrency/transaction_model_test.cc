// Randomized interleavings of transactions on several connections, every result checked against
// a simple model of snapshot isolation: committed states applied serially in commit order, each
// transaction reading the state at its snapshot plus its own writes, and first-updater-wins
// conflicts by key (a write to a key that another open transaction wrote, or that a commit newer
// than the snapshot changed, fails with 40001).
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>
#include <set>

#include "lyt/database.h"

namespace lyt {
namespace {

using State = std::map<int, int64_t>;  // k -> v

struct ModelTxn {
  bool open = false;
  bool has_snapshot = false;
  size_t snapshot = 0;  // index into Model::history
  State initial;        // the snapshot's state
  State view;           // the snapshot's state plus this transaction's writes
  std::set<int> written;
};

class Model {
 public:
  Model() : history_(1) {}
  const State& latest() const { return history_.back(); }

  void TakeSnapshotIfNeeded(ModelTxn& t) {
    if (t.has_snapshot) return;
    t.has_snapshot = true;
    t.snapshot = history_.size() - 1;
    t.initial = t.view = latest();
  }
  // Whether a write to `k` by `t` must fail with 40001.
  bool Contested(const ModelTxn& t, int k) const {
    if (t.written.count(k)) return false;
    auto owner = owners_.find(k);
    if (owner != owners_.end()) return true;
    auto change = last_change_.find(k);
    return change != last_change_.end() && change->second > t.snapshot;
  }
  void Own(ModelTxn& t, int k) {
    t.written.insert(k);
    owners_.insert(k);
  }
  void Commit(ModelTxn& t) {
    if (!t.written.empty()) {
      State next = latest();
      size_t index = history_.size();
      for (int k : t.written) {
        if (t.view.count(k)) next[k] = t.view.at(k);
        else next.erase(k);
        if (t.initial.count(k) || t.view.count(k)) last_change_[k] = index;  // inserted-then-deleted: no trace
      }
      history_.push_back(std::move(next));
    }
    End(t);
  }
  void End(ModelTxn& t) {
    for (int k : t.written) owners_.erase(k);
    t = ModelTxn{};
  }

 private:
  std::vector<State> history_;
  std::set<int> owners_;  // keys written by open transactions
  std::map<int, size_t> last_change_;
};

State ReadAll(Connection& c) {
  auto r = c.Query("SELECT k, v FROM kv ORDER BY k");
  EXPECT_TRUE(r->ok()) << r->status().ToString();
  State s;
  while (const ResultBatch* b = r->NextBatch()) {
    for (size_t i = 0; i < b->row_count(); ++i) s[static_cast<int>(b->GetInt64(0, i))] = b->GetInt64(1, i);
  }
  return s;
}

std::string Describe(const State& s) {
  std::string out;
  for (const auto& [k, v] : s) out += std::to_string(k) + "=" + std::to_string(v) + " ";
  return out;
}

enum class Expect { kOk, kConflict, kDuplicate };

struct Outcomes {
  int conflicts = 0;
  int duplicates = 0;
  int commits = 0;
};

void RunInterleaving(uint32_t seed, int steps, Outcomes& seen) {
  std::unique_ptr<Database> db;
  ASSERT_TRUE(Database::Open({}, &db).ok());
  constexpr int kConnections = 3, kKeys = 6;
  std::vector<std::unique_ptr<Connection>> cons;
  for (int i = 0; i <= kConnections; ++i) cons.push_back(db->Connect());  // the last one: autocommit only
  ASSERT_TRUE(cons[0]->Execute("CREATE TABLE kv(k INTEGER PRIMARY KEY, v BIGINT)").ok());
  Model model;
  std::vector<ModelTxn> txns(kConnections);
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };

  for (int step = 0; step < steps; ++step) {
    int ci = pick(kConnections + 1);
    Connection& c = *cons[ci];
    std::string where = "seed " + std::to_string(seed) + " step " + std::to_string(step) + " con " + std::to_string(ci);
    bool autocommit = ci == kConnections;
    ModelTxn scratch;
    ModelTxn& t = autocommit ? scratch : txns[ci];
    if (!autocommit && !t.open) {
      ASSERT_TRUE(c.Execute("BEGIN").ok()) << where;
      t.open = true;
      continue;
    }
    int op = pick(autocommit ? 4 : 6);
    if (op == 4 || op == 5) {  // end the block
      bool commit = op == 4;
      auto r = c.Query(commit ? "COMMIT" : "ROLLBACK");
      ASSERT_TRUE(r->ok()) << where;
      if (commit) {
        model.Commit(t);
        ++seen.commits;
      } else {
        model.End(t);
      }
      continue;
    }
    model.TakeSnapshotIfNeeded(t);
    if (op == 0) {
      EXPECT_EQ(Describe(ReadAll(c)), Describe(t.view)) << where;
      continue;
    }
    int k = pick(kKeys);
    int64_t v = pick(1000);
    std::string sql;
    Expect expect = Expect::kOk;
    bool present = t.view.count(k) > 0;
    if (op == 1) {
      sql = "UPDATE kv SET v = v + " + std::to_string(v) + " WHERE k = " + std::to_string(k);
      if (present && model.Contested(t, k)) expect = Expect::kConflict;
    } else if (op == 2) {
      sql = "DELETE FROM kv WHERE k = " + std::to_string(k);
      if (present && model.Contested(t, k)) expect = Expect::kConflict;
    } else {
      sql = "INSERT INTO kv VALUES (" + std::to_string(k) + ", " + std::to_string(v) + ")";
      if (model.Contested(t, k)) expect = Expect::kConflict;
      else if (present) expect = Expect::kDuplicate;
    }
    auto r = c.Query(sql);
    if (expect != Expect::kOk) {
      ASSERT_FALSE(r->ok()) << where << ": " << sql << " should fail";
      ++(expect == Expect::kConflict ? seen.conflicts : seen.duplicates);
      EXPECT_EQ(r->status().sqlstate(), expect == Expect::kConflict ? "40001" : "23505") << where << ": " << sql << ": " << r->status().ToString();
      if (!autocommit) {  // the block failed: end it
        ASSERT_TRUE(c.Execute("ROLLBACK").ok());
        model.End(t);
      }
      continue;
    }
    ASSERT_TRUE(r->ok()) << where << ": " << sql << ": " << r->status().ToString();
    if (op == 3 || present) {
      model.Own(t, k);
      if (op == 1) t.view[k] += v;
      else if (op == 2) t.view.erase(k);
      else t.view[k] = v;
    }
    if (autocommit) model.Commit(t);
  }
  for (int i = 0; i < kConnections; ++i) {
    if (txns[i].open) {
      ASSERT_TRUE(cons[i]->Execute("COMMIT").ok());
      model.Commit(txns[i]);
    }
  }
  EXPECT_EQ(Describe(ReadAll(*cons[kConnections])), Describe(model.latest())) << "seed " << seed << " final state";
}

TEST(TransactionModel, RandomInterleavingsMatchSnapshotIsolation) {
  Outcomes seen;
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    RunInterleaving(seed, 400, seen);
    if (HasFatalFailure() || HasNonfatalFailure()) return;  // one seed's report is enough
  }
  // The workload is contended enough to exercise every rule.
  EXPECT_GT(seen.conflicts, 20);
  EXPECT_GT(seen.duplicates, 20);
  EXPECT_GT(seen.commits, 100);
}

}  // namespace
}  // namespace lyt
