#include "storage/small_key_map.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace lyt {
namespace {

std::vector<row_t> RowsOf(const SmallKeyMap& map, const std::string& key) {
  std::vector<row_t> rows;
  map.ForEach(key, [&](row_t row) { rows.push_back(row); });
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::string Key(uint64_t value, size_t size) { return std::string(reinterpret_cast<const char*>(&value), size); }

TEST(SmallKeyMap, KeysOfDifferentLengthsAreDifferent) {
  SmallKeyMap map;
  map.Insert(std::string(), 1);
  map.Insert(std::string(1, '\0'), 2);
  map.Insert(std::string(8, '\0'), 3);
  EXPECT_EQ(RowsOf(map, ""), std::vector<row_t>{1});
  EXPECT_EQ(RowsOf(map, std::string(1, '\0')), std::vector<row_t>{2});
  EXPECT_EQ(RowsOf(map, std::string(8, '\0')), std::vector<row_t>{3});
  EXPECT_FALSE(map.Contains(std::string(2, '\0')));
  EXPECT_EQ(map.size(), 3u);
}

TEST(SmallKeyMap, SeveralRowsPerKeyAndErasingOne) {
  SmallKeyMap map;
  map.Insert("k", 10);
  map.Insert("k", 11);
  map.Insert("j", 12);
  EXPECT_EQ(RowsOf(map, "k"), (std::vector<row_t>{10, 11}));
  map.Erase("k", 10);
  map.Erase("k", 99);  // absent: nothing happens
  EXPECT_EQ(RowsOf(map, "k"), std::vector<row_t>{11});
  EXPECT_EQ(RowsOf(map, "j"), std::vector<row_t>{12});
  EXPECT_EQ(map.size(), 2u);
}

TEST(SmallKeyMap, RowIdsBeyondItsRangeAreRefused) {
  SmallKeyMap map;
  EXPECT_THROW(map.Insert("k", row_t(1) << 60), std::exception);
  EXPECT_THROW(map.Insert("k", -1), std::exception);
}

// Random inserts and erases against std::multimap, with keys from a small range so that probe
// runs are long and collide, across growths: every key's rows must match after every step.
TEST(SmallKeyMap, MatchesAReferenceMultimapUnderRandomChanges) {
  std::mt19937_64 random(42);
  SmallKeyMap map;
  std::multimap<std::string, row_t> reference;
  row_t next_row = 0;
  for (int step = 0; step < 200000; ++step) {
    std::string key = Key(random() % 5000, 1 + random() % 8);
    if (random() % 3 != 0 || reference.empty()) {
      map.Insert(key, next_row);
      reference.emplace(key, next_row++);
    } else {
      auto it = reference.lower_bound(key);
      if (it == reference.end()) it = reference.begin();
      map.Erase(it->first, it->second);
      reference.erase(it);
    }
    if (step % 1000 == 0) {
      ASSERT_EQ(map.size(), reference.size());
      for (int probe = 0; probe < 50; ++probe) {
        std::string k = Key(random() % 5000, 1 + random() % 8);
        std::vector<row_t> expected;
        for (auto [it, end] = reference.equal_range(k); it != end; ++it) expected.push_back(it->second);
        std::sort(expected.begin(), expected.end());
        ASSERT_EQ(RowsOf(map, k), expected) << "step " << step;
      }
    }
  }
  for (const auto& [key, row] : reference) ASSERT_TRUE(map.Contains(key));
  map.Clear();
  EXPECT_EQ(map.size(), 0u);
  EXPECT_FALSE(map.Contains(reference.begin()->first));
}

}  // namespace
}  // namespace lyt
