#include "storage/column_strings.h"

#include <gtest/gtest.h>

#include <string>

namespace lyt {
namespace {

TEST(ColumnStringsTest, RepeatedShortValuesShareTheirBytes) {
  ColumnStrings strings;
  StringRef a = strings.Add("Germany");
  StringRef b = strings.Add("France");
  StringRef c = strings.Add(std::string("Germany"));
  EXPECT_EQ(a.view(), "Germany");
  EXPECT_EQ(b.view(), "France");
  EXPECT_EQ(a.data, c.data);
  EXPECT_NE(a.data, b.data);
  EXPECT_TRUE(strings.interning());
}

TEST(ColumnStringsTest, LongAndEmptyValuesAreStoredPlainly) {
  ColumnStrings strings;
  std::string long_value(ColumnStrings::kMaxInternedSize + 1, 'x');
  StringRef a = strings.Add(long_value);
  StringRef b = strings.Add(long_value);
  EXPECT_EQ(a.view(), long_value);
  EXPECT_EQ(b.view(), long_value);
  EXPECT_NE(a.data, b.data);
  EXPECT_EQ(strings.Add("").size, 0u);
}

TEST(ColumnStringsTest, ManyValuesStayCorrectAcrossGrowth) {
  ColumnStrings strings;
  std::vector<StringRef> first;
  for (int i = 0; i < 3000; ++i) first.push_back(strings.Add("v" + std::to_string(i % 1000)));
  for (int i = 0; i < 3000; ++i) {
    EXPECT_EQ(first[i].view(), "v" + std::to_string(i % 1000));
    EXPECT_EQ(first[i].data, first[i % 1000].data);
  }
}

TEST(ColumnStringsTest, MostlyDistinctValuesStopInterningAfterTheTrial) {
  ColumnStrings strings;
  std::vector<StringRef> refs;
  for (size_t i = 0; i < ColumnStrings::kTrialAdds + 10; ++i) refs.push_back(strings.Add("name" + std::to_string(i)));
  EXPECT_FALSE(strings.interning());
  for (size_t i = 0; i < refs.size(); ++i) EXPECT_EQ(refs[i].view(), "name" + std::to_string(i));
  // Values stored after the trial are still correct, just not shared.
  StringRef again = strings.Add("name1");
  EXPECT_EQ(again.view(), "name1");
}

TEST(ColumnStringsTest, ResetForgetsValuesAndInternsAgain) {
  ColumnStrings strings;
  for (size_t i = 0; i < ColumnStrings::kTrialAdds + 10; ++i) strings.Add("name" + std::to_string(i));
  EXPECT_FALSE(strings.interning());
  strings.Reset();
  EXPECT_TRUE(strings.interning());
  EXPECT_EQ(strings.bytes_allocated(), 0u);
  StringRef a = strings.Add("x");
  EXPECT_EQ(strings.Add("x").data, a.data);
}

}  // namespace
}  // namespace lyt
