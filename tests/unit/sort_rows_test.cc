// SortRows (normalized-key sorting, exec/operators/row_compare.h) against a plain stable sort with
// CompareRows, the column-by-column comparison: the same order, ties in RowId order, for every
// key type (NULLs, NaN, -0.0 and infinities, extreme integers, empty strings, strings sharing long
// prefixes or holding NUL bytes, intervals equal in total but not in fields), ASC and DESC, NULLs
// first and last, one to three keys, sorts below and above the size where keys are encoded; large
// sorts of many rows cut into slices sorted on several threads and merged give the same order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "exec/exec_context.h"
#include "exec/operators/row_compare.h"

namespace lyt {
namespace {

constexpr TypeId kTypes[] = {TypeId::Boolean, TypeId::SmallInt, TypeId::Integer, TypeId::BigInt, TypeId::Real,
                             TypeId::Double,  TypeId::Varchar,  TypeId::Blob,    TypeId::Date,   TypeId::Timestamp,
                             TypeId::Interval};

class SortRowsTest : public ::testing::Test {
 protected:
  SortRowsTest() : memory_(0), rng_(7) {}

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  // Few distinct values, so keys tie often and later keys (and RowIds) decide.
  Value RandomValue(TypeId type) {
    if (Pick(10) == 0) return Value::Null(type);
    int v = Pick(7) - 3;
    switch (type) {
      case TypeId::Boolean: return Value::Boolean(v > 0);
      case TypeId::SmallInt: return Value::SmallInt(v == 3 ? INT16_MIN : static_cast<int16_t>(v));
      case TypeId::Integer: return Value::Integer(v == 3 ? INT32_MAX : v == -3 ? INT32_MIN : v);
      case TypeId::BigInt: return Value::BigInt(v == 3 ? INT64_MAX : v == -3 ? INT64_MIN : v * 1000000007LL);
      case TypeId::Real: return Value::Real(v == 3 ? std::numeric_limits<float>::quiet_NaN() : v * 0.5f);
      case TypeId::Double: {
        const double special[] = {std::nan(""), -0.0, 0.0, std::numeric_limits<double>::infinity(),
                                  -std::numeric_limits<double>::infinity(), 1e-300, -2.5};
        return Value::Double(special[v + 3]);
      }
      case TypeId::Varchar:
      case TypeId::Blob: {
        // Empty, short, NUL bytes, and prefixes longer than the normalized key keeps.
        const std::string texts[] = {"", "a", std::string("a\0", 2), std::string("a\0b", 3), "ab",
                                     "a-very-long-common-prefix-1", "a-very-long-common-prefix-2"};
        std::string s = texts[v + 3];
        return type == TypeId::Blob ? Value::Blob(s) : Value::Varchar(s);
      }
      case TypeId::Date: return Value::Date(v * 365);
      case TypeId::Timestamp: return Value::Timestamp(v * 86400000000LL);
      case TypeId::Interval: {
        // 1 month and 30 days are equal intervals with different fields.
        const Interval values[] = {{0, 0, 0}, {1, 0, 0}, {0, 30, 0}, {0, 0, 1}, {-1, 0, 0}, {0, 1, -1}, {0, 0, 0}};
        return Value::Interval(values[v + 3]);
      }
      default: return Value::Null(type);
    }
  }

  // `rows` random rows of `types` in batches of at most `batch_rows`.
  Batches RandomBatches(const std::vector<TypeId>& types, size_t rows, idx_t batch_rows) {
    std::vector<LogicalType> logical(types.begin(), types.end());
    Batches batches;
    for (size_t done = 0; done < rows;) {
      idx_t n = static_cast<idx_t>(std::min<size_t>(batch_rows, rows - done));
      auto chunk = std::make_unique<DataChunk>(logical);
      for (idx_t r = 0; r < n; ++r) {
        for (size_t c = 0; c < types.size(); ++c) chunk->column(c).SetValue(r, RandomValue(types[c]));
      }
      chunk->SetSize(n);
      batches.push_back(std::move(chunk));
      done += n;
    }
    return batches;
  }

  static std::vector<RowId> AllIds(const Batches& batches) {
    std::vector<RowId> ids;
    for (size_t b = 0; b < batches.size(); ++b) {
      for (idx_t r = 0; r < batches[b]->size(); ++r) ids.push_back(MakeRowId(b, r));
    }
    return ids;
  }

  // Sorts every row with SortRows and with a plain stable sort: the same order.
  void Check(const std::vector<TypeId>& types, const std::vector<OrderKey>& keys, size_t rows, idx_t batch_rows,
             size_t threads = 1) {
    Batches batches = RandomBatches(types, rows, batch_rows);
    std::vector<RowId> expected = AllIds(batches);
    std::stable_sort(expected.begin(), expected.end(),
                     [&](RowId a, RowId b) { return CompareRows(batches, keys, a, b) < 0; });
    std::vector<RowId> sorted = AllIds(batches);
    SortRows(batches, keys, sorted, memory_, threads);
    ASSERT_EQ(sorted, expected) << Describe(types, keys, rows);
    EXPECT_EQ(memory_.used(), 0u);  // the scratch keys are released
  }

  static std::string Describe(const std::vector<TypeId>& types, const std::vector<OrderKey>& keys, size_t rows) {
    std::string out = std::to_string(rows) + " rows, keys:";
    for (const OrderKey& k : keys) {
      out += " " + LogicalType(types[k.column]).ToString() + (k.descending ? " DESC" : " ASC") +
             (k.nulls_first ? " NULLS FIRST" : " NULLS LAST");
    }
    return out;
  }

  MemoryTracker memory_;
  std::mt19937 rng_;
};

TEST_F(SortRowsTest, EveryTypeAsTheOnlyKeyInEveryDirection) {
  for (TypeId type : kTypes) {
    for (int mode = 0; mode < 4; ++mode) {
      std::vector<OrderKey> keys = {{0, (mode & 1) != 0, (mode & 2) != 0}};
      Check({type, TypeId::Integer}, keys, 10, 4);    // compared directly
      Check({type, TypeId::Integer}, keys, 700, 64);  // normalized keys
    }
  }
}

TEST_F(SortRowsTest, SeveralKeysOfMixedTypes) {
  for (int round = 0; round < 60; ++round) {
    std::vector<TypeId> types;
    for (int c = 0; c < 4; ++c) types.push_back(kTypes[Pick(std::size(kTypes))]);
    std::vector<OrderKey> keys;
    size_t key_count = 1 + Pick(3);
    for (size_t k = 0; k < key_count; ++k) {
      keys.push_back({static_cast<idx_t>(Pick(4)), Pick(2) == 1, Pick(2) == 1});
    }
    Check(types, keys, 300 + Pick(500), 100);
  }
}

TEST_F(SortRowsTest, KeysTooWideForTheWordsStillSortExactly) {
  // Four interval keys need more than the words kept per row, so ties on the words are settled
  // column by column.
  std::vector<TypeId> types = {TypeId::Interval, TypeId::Interval, TypeId::Varchar, TypeId::Interval};
  Check(types, {{0, false, false}, {1, true, true}, {2, false, true}, {3, true, false}}, 2000, 256);
}

TEST_F(SortRowsTest, LargeSortsInSlicesOnSeveralThreads) {
  // An even and odd number of slices (an odd one is carried to the next round of merging), long
  // text keys compared in full across slices, and every core.
  std::vector<TypeId> types = {TypeId::Varchar, TypeId::BigInt, TypeId::Double};
  std::vector<OrderKey> keys = {{0, true, false}, {1, false, true}, {2, false, false}};
  for (size_t threads : {2, 3, 5, 0}) Check(types, keys, 120000, 2048, threads);
}

TEST_F(SortRowsTest, NoRowsAndNoKeys) {
  Batches none;
  std::vector<RowId> ids;
  SortRows(none, {{0, false, false}}, ids, memory_, 0);
  EXPECT_TRUE(ids.empty());
  Batches batches = RandomBatches({TypeId::Integer}, 100, 30);
  std::vector<RowId> unsorted = AllIds(batches);
  std::vector<RowId> same = unsorted;
  SortRows(batches, {}, same, memory_, 0);
  EXPECT_EQ(same, unsorted);
}

}  // namespace
}  // namespace lyt
