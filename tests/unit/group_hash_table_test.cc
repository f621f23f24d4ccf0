// GroupHashTable against a plain std::map model: dense group ids in first-seen order, NULLs
// grouping together, Find (before and after Seal) returning the same groups or kNoGroup, for
// packed integer keys (one or more columns), keys too wide to pack, and strings.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "exec/group_hash_table.h"

namespace lyt {
namespace {

using Row = std::vector<Value>;

// Orders rows by their printed values (NULL prints as "NULL", distinct from any number).
struct RowLess {
  bool operator()(const Row& a, const Row& b) const {
    for (size_t i = 0; i < a.size(); ++i) {
      std::string x = a[i].ToString(), y = b[i].ToString();
      if (x != y) return x < y;
    }
    return false;
  }
};

class GroupHashTableTest : public ::testing::TestWithParam<std::vector<TypeId>> {
 protected:
  GroupHashTableTest() : memory_(0), rng_(42) {}

  // A value of `type` from a small range around `center` (so keys repeat and ranges are dense),
  // or (with `extremes`) an extreme of the type, or NULL.
  Value RandomValue(TypeId type, int64_t center, int64_t spread) {
    std::uniform_int_distribution<int> pick(0, 99);
    int p = pick(rng_);
    if (p < 8 && nulls_) return Value::Null(type);
    std::uniform_int_distribution<int64_t> near(center - spread, center + spread);
    int64_t v = near(rng_);
    bool extreme = extremes_ && p < 11;
    switch (type) {
      case TypeId::Boolean: return Value::Boolean(v & 1);
      case TypeId::SmallInt: return Value::SmallInt(extreme ? (p & 1 ? INT16_MIN : INT16_MAX) : static_cast<int16_t>(v));
      case TypeId::Integer: return Value::Integer(extreme ? (p & 1 ? INT32_MIN : INT32_MAX) : static_cast<int32_t>(v));
      case TypeId::Date: return Value::Date(static_cast<int32_t>(v));
      case TypeId::BigInt: return Value::BigInt(extreme ? (p & 1 ? INT64_MIN : INT64_MAX) : v);
      case TypeId::Varchar: return Value::Varchar("k" + std::to_string(v));
      default: return Value::Null(type);
    }
  }

  std::vector<Row> RandomRows(size_t n, int64_t center, int64_t spread) {
    std::vector<Row> rows(n);
    for (auto& r : rows) {
      for (TypeId t : GetParam()) r.push_back(RandomValue(t, center, spread));
    }
    return rows;
  }

  // Rows [begin, end) as key vectors.
  std::vector<Vector> ToVectors(const std::vector<Row>& rows, size_t begin, size_t end) {
    std::vector<Vector> cols;
    for (TypeId t : GetParam()) cols.emplace_back(LogicalType(t));
    for (size_t r = begin; r < end; ++r) {
      for (size_t c = 0; c < cols.size(); ++c) cols[c].SetValue(r - begin, rows[r][c]);
    }
    return cols;
  }

  static std::vector<const Vector*> Pointers(const std::vector<Vector>& cols) {
    std::vector<const Vector*> out;
    for (const auto& c : cols) out.push_back(&c);
    return out;
  }

  std::vector<LogicalType> Types() {
    std::vector<LogicalType> types;
    for (TypeId t : GetParam()) types.emplace_back(t);
    return types;
  }

  // Checks Find for `probes` against the model.
  void ExpectFinds(const GroupHashTable& table, const std::vector<Row>& probes, const std::map<Row, uint32_t, RowLess>& model) {
    for (size_t begin = 0; begin < probes.size(); begin += kVectorSize) {
      size_t end = std::min(probes.size(), begin + kVectorSize);
      auto cols = ToVectors(probes, begin, end);
      std::vector<uint32_t> ids(end - begin);
      table.Find(Pointers(cols), end - begin, ids.data());
      for (size_t r = begin; r < end; ++r) {
        auto it = model.find(probes[r]);
        uint32_t want = it == model.end() ? GroupHashTable::kNoGroup : it->second;
        ASSERT_EQ(ids[r - begin], want) << "probe row " << r;
      }
    }
  }

  MemoryTracker memory_;
  std::mt19937_64 rng_;
  bool extremes_ = false;
  bool nulls_ = true;
};

// Without extremes, small spreads make dense integer keys (Seal builds a direct array); extremes
// make the ranges too wide for one. Runs without NULLs let FindOrCreate use its own direct array
// for one integer column; their batches move away from the first keys, so that array widens, and
// with the widest spread outgrows its bound.
TEST_P(GroupHashTableTest, MatchesAModelBeforeAndAfterSeal) {
  for (int run = 0; run < 9; ++run) {
    int64_t spread = run % 3 == 0 ? 3 : run % 3 == 1 ? 300 : 100000;
    extremes_ = run >= 3 && run < 6;
    nulls_ = run < 6;
    GroupHashTable table(Types(), memory_);
    std::map<Row, uint32_t, RowLess> model;
    std::vector<Row> rows = RandomRows(5000, -7, spread);
    if (!nulls_) {
      for (int64_t center : {500, -3000, 200000}) {
        auto more = RandomRows(1000, center, spread);
        rows.insert(rows.end(), more.begin(), more.end());
      }
    }
    for (size_t begin = 0; begin < rows.size(); begin += 1000) {
      size_t end = std::min(rows.size(), begin + 1000);
      auto cols = ToVectors(rows, begin, end);
      std::vector<uint32_t> ids(end - begin);
      table.FindOrCreate(Pointers(cols), end - begin, ids.data());
      for (size_t r = begin; r < end; ++r) {
        auto [it, added] = model.emplace(rows[r], static_cast<uint32_t>(model.size()));
        ASSERT_EQ(ids[r - begin], it->second) << "row " << r << " spread " << spread << " new " << added;
      }
    }
    ASSERT_EQ(table.group_count(), model.size());

    // The stored keys come back in group order.
    std::vector<Row> by_id(model.size());
    for (const auto& [row, id] : model) by_id[id] = row;
    DataChunk keys(Types());
    for (idx_t start = 0; start < model.size(); start += kVectorSize) {
      idx_t n = std::min<idx_t>(kVectorSize, model.size() - start);
      keys.Reset();
      table.GetKeys(start, n, keys);
      for (idx_t g = 0; g < n; ++g) {
        for (size_t c = 0; c < GetParam().size(); ++c) {
          ASSERT_EQ(keys.GetValue(c, g).ToString(), by_id[start + g][c].ToString());
        }
      }
    }

    // Probes: every stored key, and keys around, inside and outside the stored ranges.
    std::vector<Row> probes = rows;
    for (int64_t center : {-7, 50, -100000, 1000000}) {
      auto more = RandomRows(3000, center, spread * 2);
      probes.insert(probes.end(), more.begin(), more.end());
    }
    // Batches without NULLs take the packed paths only (a direct array after Seal when dense).
    std::vector<Row> probes_without_nulls;
    for (const auto& p : probes) {
      bool null = false;
      for (const auto& v : p) null |= v.is_null();
      if (!null) probes_without_nulls.push_back(p);
    }
    ExpectFinds(table, probes, model);
    ExpectFinds(table, probes_without_nulls, model);
    table.Seal();
    ExpectFinds(table, probes, model);
    ExpectFinds(table, probes_without_nulls, model);
  }
}

INSTANTIATE_TEST_SUITE_P(KeyKinds, GroupHashTableTest,
                         ::testing::Values(std::vector<TypeId>{TypeId::Integer}, std::vector<TypeId>{TypeId::BigInt},
                                           std::vector<TypeId>{TypeId::SmallInt},
                                           std::vector<TypeId>{TypeId::Integer, TypeId::Integer},
                                           std::vector<TypeId>{TypeId::Boolean, TypeId::SmallInt, TypeId::Date},
                                           std::vector<TypeId>{TypeId::BigInt, TypeId::Integer},
                                           std::vector<TypeId>{TypeId::Varchar},
                                           std::vector<TypeId>{TypeId::Integer, TypeId::Varchar}));

}  // namespace
}  // namespace lyt
