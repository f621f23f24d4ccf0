#include <gtest/gtest.h>

#include <string>

#include "sql/word_set.h"

namespace lyt::sql {
namespace {

TEST(WordSetTest, FindsExactlyItsWords) {
  // Words sharing length, first and last byte land on the same slot and must still be told apart.
  WordSet set = {"current_date", "current_time", "from", "form", "in", "is", "a"};
  for (const char* word : {"current_date", "current_time", "from", "form", "in", "is", "a"}) {
    EXPECT_TRUE(set.Contains(word)) << word;
  }
  for (const char* word : {"current_dame", "fromm", "fro", "rom", "i", "", "b", "FROM", "id"}) {
    EXPECT_FALSE(set.Contains(word)) << word;
  }
}

TEST(WordSetTest, ManyWords) {
  static const std::string kWords[] = {"w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9",
                                       "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9"};
  WordSet set = {kWords[0], kWords[1], kWords[2], kWords[3], kWords[4], kWords[5], kWords[6],
                 kWords[7], kWords[8], kWords[9], kWords[10], kWords[11], kWords[12], kWords[13],
                 kWords[14], kWords[15], kWords[16], kWords[17], kWords[18], kWords[19]};
  for (const std::string& word : kWords) EXPECT_TRUE(set.Contains(word)) << word;
  EXPECT_FALSE(set.Contains("y0"));
  EXPECT_FALSE(set.Contains("w10"));
}

}  // namespace
}  // namespace lyt::sql
