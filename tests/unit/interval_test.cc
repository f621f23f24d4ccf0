// INTERVAL text input and output, ordering and arithmetic (src/common/interval.h).
#include <gtest/gtest.h>

#include "common/datetime.h"
#include "common/error.h"
#include "common/interval.h"

namespace lyt {
namespace {

constexpr int64_t kHour = kMicrosPerHour;

Interval Parse(std::string_view text, IntervalUnit unit = IntervalUnit::None) {
  std::optional<Interval> iv = ParseInterval(text, unit);
  EXPECT_TRUE(iv.has_value()) << text;
  return iv.value_or(Interval{});
}

// Parsed and printed back.
std::string RoundTrip(std::string_view text) { return FormatInterval(Parse(text)); }

TEST(IntervalParse, Fields) {
  EXPECT_EQ(Parse("1 day"), (Interval{0, 1, 0}));
  EXPECT_EQ(Parse("2 hours 30 minutes"), (Interval{0, 0, 2 * kHour + 30 * kMicrosPerMinute}));
  EXPECT_EQ(Parse("1 year 2 mons 3 days 04:05:06"), (Interval{14, 3, 4 * kHour + 5 * kMicrosPerMinute + 6 * kMicrosPerSecond}));
  EXPECT_EQ(Parse("-1 week"), (Interval{0, -7, 0}));
  EXPECT_EQ(Parse("+3 DAYS"), (Interval{0, 3, 0}));
  EXPECT_EQ(Parse("1day"), (Interval{0, 1, 0}));
  EXPECT_EQ(Parse("@ 2 mins"), (Interval{0, 0, 2 * kMicrosPerMinute}));
  EXPECT_EQ(Parse("1 us 1 ms"), (Interval{0, 0, 1001}));
  EXPECT_EQ(Parse("2 decades"), (Interval{240, 0, 0}));
}

TEST(IntervalParse, FractionsSpillDownward) {
  EXPECT_EQ(Parse("1.5 days"), (Interval{0, 1, 12 * kHour}));
  EXPECT_EQ(Parse("1.5 mons"), (Interval{1, 15, 0}));
  EXPECT_EQ(Parse("0.5 weeks"), (Interval{0, 3, 12 * kHour}));
  EXPECT_EQ(Parse("1.5 years"), (Interval{18, 0, 0}));
  EXPECT_EQ(Parse("-1.5 hours"), (Interval{0, 0, -90 * kMicrosPerMinute}));
  EXPECT_EQ(Parse(".5 sec"), (Interval{0, 0, 500000}));
}

TEST(IntervalParse, TimesBareNumbersAndAgo) {
  EXPECT_EQ(Parse("04:05"), (Interval{0, 0, 4 * kHour + 5 * kMicrosPerMinute}));
  EXPECT_EQ(Parse("-0:30"), (Interval{0, 0, -30 * kMicrosPerMinute}));
  EXPECT_EQ(Parse("01:02:03.25"), (Interval{0, 0, kHour + 2 * kMicrosPerMinute + 3250000}));
  EXPECT_EQ(Parse("1 04:05:06"), (Interval{0, 1, 4 * kHour + 5 * kMicrosPerMinute + 6 * kMicrosPerSecond}));
  EXPECT_EQ(Parse("3"), (Interval{0, 0, 3 * kMicrosPerSecond}));
  EXPECT_EQ(Parse("1 day 2 hours ago"), (Interval{0, -1, -2 * kHour}));
}

TEST(IntervalParse, Iso8601) {
  EXPECT_EQ(Parse("P1Y2M3DT4H5M6S"), (Interval{14, 3, 4 * kHour + 5 * kMicrosPerMinute + 6 * kMicrosPerSecond}));
  EXPECT_EQ(Parse("P1D"), (Interval{0, 1, 0}));
  EXPECT_EQ(Parse("PT1M"), (Interval{0, 0, kMicrosPerMinute}));
  EXPECT_EQ(Parse("p2w"), (Interval{0, 14, 0}));
  EXPECT_FALSE(ParseInterval("P"));
  EXPECT_FALSE(ParseInterval("P1H"));  // hours need the T
  EXPECT_FALSE(ParseInterval("PT1D"));
}

TEST(IntervalParse, UnitQualifier) {
  EXPECT_EQ(Parse("3", IntervalUnit::Day), (Interval{0, 3, 0}));
  EXPECT_EQ(Parse("2", IntervalUnit::Hour), (Interval{0, 0, 2 * kHour}));
  EXPECT_EQ(Parse("5", IntervalUnit::Year), (Interval{60, 0, 0}));
  EXPECT_EQ(Parse("1 day 03:04:05", IntervalUnit::Day), (Interval{0, 1, 0}));
  EXPECT_EQ(Parse("14 mons 3 days", IntervalUnit::Year), (Interval{12, 0, 0}));
  EXPECT_EQ(Parse("03:04:05", IntervalUnit::Minute), (Interval{0, 0, 3 * kHour + 4 * kMicrosPerMinute}));
}

TEST(IntervalParse, BadSyntax) {
  for (const char* text : {"", " ", "abc", "1 fortnight", "day", "1 day ago ago", "1:", "1:60", "1.5:00", "1 quarter",
                           "--1 day", "1 day x"}) {
    EXPECT_FALSE(ParseInterval(text)) << text;
  }
}

TEST(IntervalParse, FieldOverflowIs22015) {
  for (const char* text : {"99999999999 days", "3000000000 mons", "99999999999999999999 seconds", "300000000 years"}) {
    try {
      ParseInterval(text);
      ADD_FAILURE() << text;
    } catch (const Error& e) {
      EXPECT_STREQ(e.sqlstate(), "22015") << text;
    }
  }
}

TEST(IntervalFormat, PostgresStyle) {
  EXPECT_EQ(FormatInterval(Interval{}), "00:00:00");
  EXPECT_EQ(FormatInterval(Interval{0, -1, 0}), "-1 days");
  EXPECT_EQ(FormatInterval(Interval{0, 1, 0}), "1 day");
  EXPECT_EQ(FormatInterval(Interval{1, 0, 0}), "1 mon");
  EXPECT_EQ(FormatInterval(Interval{25, 0, 0}), "2 years 1 mon");
  EXPECT_EQ(FormatInterval(Interval{0, 0, 36 * kHour}), "36:00:00");
  EXPECT_EQ(FormatInterval(Interval{0, 0, -1}), "-00:00:00.000001");
  EXPECT_EQ(FormatInterval(Interval{0, 0, 1500000}), "00:00:01.5");
  EXPECT_EQ(FormatInterval(Interval{-14, 0, 0}), "-1 years -2 mons");
  EXPECT_EQ(FormatInterval(Interval{0, 0, INT64_MIN}), "-2562047788:00:54.775808");
}

TEST(IntervalFormat, RoundTrips) {
  for (const char* text : {"1 year 2 mons 3 days 04:05:06", "00:00:00", "-1 days", "-1 days +02:00:00", "1 day -02:00:00",
                           "1 mon -1 days", "-1 years -2 mons +3 days -04:05:06.789"}) {
    EXPECT_EQ(RoundTrip(text), text);
  }
}

TEST(IntervalOrder, ThirtyDayMonths) {
  EXPECT_EQ(CompareIntervals(Interval{1, 0, 0}, Interval{0, 30, 0}), 0);
  EXPECT_EQ(CompareIntervals(Interval{0, 1, 0}, Interval{0, 0, 24 * kHour}), 0);
  EXPECT_LT(CompareIntervals(Interval{0, 29, 0}, Interval{1, 0, 0}), 0);
  EXPECT_GT(CompareIntervals(Interval{0, 0, 1}, Interval{0, 0, 0}), 0);
  EXPECT_LT(CompareIntervals(Interval{INT32_MIN, INT32_MIN, INT64_MIN}, Interval{INT32_MAX, INT32_MAX, INT64_MAX}), 0);
}

TEST(IntervalArith, Timestamps) {
  int64_t jan31 = int64_t{DaysFromCivil(2020, 1, 31)} * kMicrosPerDay;
  EXPECT_EQ(AddToTimestamp(jan31, Interval{1, 0, 0}), int64_t{DaysFromCivil(2020, 2, 29)} * kMicrosPerDay);
  EXPECT_EQ(AddToTimestamp(jan31, Interval{-2, 0, 0}), int64_t{DaysFromCivil(2019, 11, 30)} * kMicrosPerDay);
  EXPECT_EQ(AddToTimestamp(jan31, Interval{0, 1, kHour}), jan31 + kMicrosPerDay + kHour);
  EXPECT_EQ(SubtractTimestamps(jan31 + kMicrosPerDay + kHour, jan31), (Interval{0, 1, kHour}));
  EXPECT_EQ(SubtractTimestamps(jan31, jan31 + kMicrosPerDay + kHour), (Interval{0, -1, -kHour}));
  EXPECT_THROW(AddToTimestamp(INT64_MAX - 10, Interval{0, 0, 100}), Error);
  EXPECT_THROW(AddToTimestamp(0, Interval{INT32_MAX, 0, 0}), Error);
}

TEST(IntervalArith, ScaleAndCombine) {
  EXPECT_EQ(MultiplyInterval(Interval{0, 1, 0}, 1.5), (Interval{0, 1, 12 * kHour}));
  EXPECT_EQ(DivideInterval(Interval{3, 0, 0}, 2), (Interval{1, 15, 0}));
  EXPECT_EQ(DivideInterval(Interval{0, 1, 0}, 4), (Interval{0, 0, 6 * kHour}));
  EXPECT_EQ(AddIntervals(Interval{1, 2, 3}, Interval{4, 5, 6}), (Interval{5, 7, 9}));
  EXPECT_EQ(SubtractIntervals(Interval{1, 2, 3}, Interval{4, 5, 6}), (Interval{-3, -3, -3}));
  EXPECT_EQ(NegateInterval(Interval{1, -2, 3}), (Interval{-1, 2, -3}));
  EXPECT_THROW(DivideInterval(Interval{0, 1, 0}, 0), Error);
  EXPECT_THROW(MultiplyInterval(Interval{0, 1, 0}, 1e20), Error);
  EXPECT_THROW(NegateInterval(Interval{INT32_MIN, 0, 0}), Error);
  EXPECT_THROW(AddIntervals(Interval{0, INT32_MAX, 0}, Interval{0, 1, 0}), Error);
}

TEST(IntervalArith, Justify) {
  EXPECT_EQ(JustifyHours(Interval{0, 0, 27 * kHour}), (Interval{0, 1, 3 * kHour}));
  EXPECT_EQ(JustifyHours(Interval{0, -1, 25 * kHour}), (Interval{0, 0, kHour}));
  EXPECT_EQ(JustifyDays(Interval{0, 35, 0}), (Interval{1, 5, 0}));
  EXPECT_EQ(JustifyDays(Interval{1, -35, 0}), (Interval{0, -5, 0}));
  EXPECT_EQ(JustifyInterval(Interval{1, 0, -kHour}), (Interval{0, 29, 23 * kHour}));
}

}  // namespace
}  // namespace lyt
