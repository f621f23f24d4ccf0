// Calendar arithmetic, parsing and formatting of DATE and TIMESTAMP.
#include <gtest/gtest.h>

#include "common/datetime.h"

namespace lyt {
namespace {

bool IsLeap(int y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

TEST(Civil, KnownDays) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1970, 1, 2), 1);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 1, 1), 10957);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(1, 1, 1), -719162);
  EXPECT_EQ(DaysFromCivil(9999, 12, 31), 2932896);
  EXPECT_EQ(DaysFromCivil(0, 12, 31), -719163);  // 1 BC
}

TEST(Civil, RoundTripEveryDayOfManyYears) {
  // Walks day by day from 0001-01-01 through 2100: each day follows the previous one.
  CivilDate prev = CivilFromDays(DaysFromCivil(1, 1, 1));
  EXPECT_EQ(prev.year, 1);
  for (int32_t d = DaysFromCivil(1, 1, 1) + 1; d <= DaysFromCivil(2100, 12, 31); ++d) {
    CivilDate c = CivilFromDays(d);
    ASSERT_EQ(DaysFromCivil(c.year, c.month, c.day), d);
    ASSERT_TRUE(IsValidDate(c.year, c.month, c.day));
    bool next_day = c.year == prev.year && c.month == prev.month && c.day == prev.day + 1;
    bool next_month = c.year == prev.year && c.month == prev.month + 1 && c.day == 1;
    bool next_year = c.year == prev.year + 1 && c.month == 1 && c.day == 1 && prev.month == 12 && prev.day == 31;
    ASSERT_TRUE(next_day || next_month || next_year) << d;
    prev = c;
  }
}

TEST(Civil, NegativeAndFarDays) {
  for (int32_t d : {-1000000, -719163, -719162, -1, 0, 1, 2932896, 2932897, 100000000}) {
    CivilDate c = CivilFromDays(d);
    EXPECT_EQ(DaysFromCivil(c.year, c.month, c.day), d) << d;
  }
  CivilDate bc = CivilFromDays(-719163);
  EXPECT_EQ(bc.year, 0);
  EXPECT_EQ(bc.month, 12);
  EXPECT_EQ(bc.day, 31);
}

TEST(Civil, LeapYears) {
  for (int y : {1600, 1700, 1800, 1900, 2000, 2001, 2004, 2100, 2400}) {
    EXPECT_EQ(IsValidDate(y, 2, 29), IsLeap(y)) << y;
    EXPECT_EQ(DaysFromCivil(y, 3, 1) - DaysFromCivil(y, 2, 28), IsLeap(y) ? 2 : 1) << y;
  }
  EXPECT_FALSE(IsValidDate(2021, 4, 31));
  EXPECT_FALSE(IsValidDate(2021, 13, 1));
  EXPECT_FALSE(IsValidDate(2021, 0, 1));
  EXPECT_FALSE(IsValidDate(2021, 1, 0));
  EXPECT_TRUE(IsValidDate(2021, 12, 31));
}

TEST(ParseDateTest, Accepts) {
  EXPECT_EQ(ParseDate("1970-01-01"), 0);
  EXPECT_EQ(ParseDate("  1970-01-02  "), 1);
  EXPECT_EQ(ParseDate("2000-2-9"), DaysFromCivil(2000, 2, 9));
  EXPECT_EQ(ParseDate("2000-02-09 10:11:12"), DaysFromCivil(2000, 2, 9));
  EXPECT_EQ(ParseDate("2000-02-09T10:11"), DaysFromCivil(2000, 2, 9));
  EXPECT_EQ(ParseDate("0001-01-01"), DaysFromCivil(1, 1, 1));
  EXPECT_EQ(ParseDate("9999-12-31"), DaysFromCivil(9999, 12, 31));
  EXPECT_EQ(ParseDate("12345-06-07"), DaysFromCivil(12345, 6, 7));
  EXPECT_EQ(ParseDate("0001-12-31 BC"), DaysFromCivil(0, 12, 31));
  EXPECT_EQ(ParseDate("0044-03-15 bc"), DaysFromCivil(-43, 3, 15));
  EXPECT_EQ(ParseDate("2020-01-01 AD"), DaysFromCivil(2020, 1, 1));
}

TEST(ParseDateTest, Rejects) {
  for (const char* s : {"", "   ", "2020", "2020-01", "2020-01-", "2020/01/01", "20-01-01x", "2020-01-01 x",
                        "2020-001-01", "2020-01-01 25:00", "2020-02-30", "2019-02-29", "0000-01-01", "abc",
                        "2020-01-01 10", "-2020-01-01", "2020-01-01T", "2020-01-01 BCE"}) {
    EXPECT_FALSE(ParseDate(s).has_value()) << s;
  }
}

TEST(ParseTimestampTest, Accepts) {
  EXPECT_EQ(ParseTimestamp("1970-01-01 00:00:00"), 0);
  EXPECT_EQ(ParseTimestamp("1970-01-01"), 0);
  EXPECT_EQ(ParseTimestamp("1970-01-01 00:00:01.5"), 1500000);
  EXPECT_EQ(ParseTimestamp("1970-01-01T01:02"), (3600 + 120) * kMicrosPerSecond);
  EXPECT_EQ(ParseTimestamp("1969-12-31 23:59:59.999999"), -1);
  EXPECT_EQ(ParseTimestamp("1970-01-01 00:00:00.0000005"), 1);  // rounded to microseconds
  EXPECT_EQ(ParseTimestamp("1970-01-01 00:00:00.0000004"), 0);
  EXPECT_EQ(ParseTimestamp("1970-01-01 00:00:00.9999999"), kMicrosPerSecond);
  EXPECT_EQ(ParseTimestamp("1970-01-01 24:00:00"), kMicrosPerDay);
  EXPECT_EQ(ParseTimestamp("1970-01-01 23:59:60"), kMicrosPerDay);
  EXPECT_EQ(ParseTimestamp(" 2000-02-29   12:30:45.123 "),
            int64_t{DaysFromCivil(2000, 2, 29)} * kMicrosPerDay + (12 * 3600 + 30 * 60 + 45) * kMicrosPerSecond + 123000);
}

TEST(ParseTimestampTest, Rejects) {
  for (const char* s : {"1970-01-01 24:00:01", "1970-01-01 12:60", "1970-01-01 12:00:61", "1970-01-01 12:00:00.",
                        "1970-01-01 12", "1970-01-01 12:00:00 junk", "1970-13-01 00:00", "300000-01-01",
                        "1970-01-01 123:00"}) {
    EXPECT_FALSE(ParseTimestamp(s).has_value()) << s;
  }
}

TEST(FormatTest, Dates) {
  EXPECT_EQ(FormatDate(0), "1970-01-01");
  EXPECT_EQ(FormatDate(-1), "1969-12-31");
  EXPECT_EQ(FormatDate(DaysFromCivil(1, 1, 1)), "0001-01-01");
  EXPECT_EQ(FormatDate(DaysFromCivil(9999, 12, 31)), "9999-12-31");
  EXPECT_EQ(FormatDate(DaysFromCivil(12345, 1, 2)), "12345-01-02");
  EXPECT_EQ(FormatDate(DaysFromCivil(0, 12, 31)), "0001-12-31 BC");
  EXPECT_EQ(FormatDate(DaysFromCivil(-43, 3, 15)), "0044-03-15 BC");
}

TEST(FormatTest, Timestamps) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01 00:00:00");
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(FormatTimestamp(1500000), "1970-01-01 00:00:01.5");
  EXPECT_EQ(FormatTimestamp(10), "1970-01-01 00:00:00.00001");
  EXPECT_EQ(FormatTimestamp(kMicrosPerDay - kMicrosPerSecond), "1970-01-01 23:59:59");
  EXPECT_EQ(FormatTimestamp(int64_t{DaysFromCivil(0, 6, 1)} * kMicrosPerDay + 3600 * kMicrosPerSecond),
            "0001-06-01 01:00:00 BC");
}

TEST(FormatTest, RoundTripsAcrossYearBoundaries) {
  for (int y : {1, 99, 100, 1899, 1900, 1969, 1970, 1999, 2000, 2038, 9999}) {
    for (int64_t offset : {int64_t{-1}, int64_t{0}, int64_t{1}, kMicrosPerSecond - 1}) {
      int64_t ts = int64_t{DaysFromCivil(y, 1, 1)} * kMicrosPerDay + offset;
      std::string text = FormatTimestamp(ts);
      ASSERT_EQ(ParseTimestamp(text), ts) << text;
    }
    int32_t d = DaysFromCivil(y, 12, 31);
    ASSERT_EQ(ParseDate(FormatDate(d)), d);
  }
  for (int32_t d = DaysFromCivil(-4712, 1, 1); d < DaysFromCivil(-4700, 1, 1); d += 17) {
    ASSERT_EQ(ParseDate(FormatDate(d)), d) << FormatDate(d);
  }
}

TEST(Clock, CurrentTimestampIsRecent) {
  int64_t now = CurrentTimestampMicros();
  EXPECT_GT(now, *ParseTimestamp("2024-01-01"));
  EXPECT_LT(now, *ParseTimestamp("2200-01-01"));
}

}  // namespace
}  // namespace lyt
