// INTERVAL values: PostgreSQL's text input and output, ordering, and arithmetic with
// timestamps. Errors follow PostgreSQL: 22008 "interval out of range" / "timestamp out of range",
// 22015 for a field too large in input, 22012 for division by zero.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lyt/types.h"

namespace lyt {

// The unit word after INTERVAL 'text' (INTERVAL '3' DAY): a bare number in the text counts in
// this unit, and the fields below it are dropped (INTERVAL '1 day 03:00' DAY is 1 day).
enum class IntervalUnit { None, Year, Month, Day, Hour, Minute, Second };

// "year", "month", ... (lower case) -> the unit; nullopt for other words.
std::optional<IntervalUnit> LookupIntervalUnit(std::string_view word);

// Parses PostgreSQL's interval input, case-insensitively: signed, possibly fractional numbers
// with units ('1 day', '2 hours 30 minutes', '-1 week', '1.5 years', '1 year 2 mons'), a time
// '[-]h:m[:s[.f]]', a bare number (seconds, or `unit`), an optional leading '@' and trailing
// 'ago', and ISO 8601 designators ('P1Y2M3DT4H5M6S'). Returns nullopt on bad syntax; throws
// 22015 when a field does not fit.
std::optional<Interval> ParseInterval(std::string_view text, IntervalUnit unit = IntervalUnit::None);

// PostgreSQL's output style: '1 year 2 mons 3 days 04:05:06.5', '-1 days +02:00:00',
// '00:00:00' for zero.
std::string FormatInterval(const Interval& iv);

// The total in microseconds with 30-day months and 24-hour days: the order (and equality) of
// intervals, as PostgreSQL's interval_cmp.
__int128 IntervalTotal(const Interval& iv);
inline int CompareIntervals(const Interval& a, const Interval& b) {
  __int128 x = IntervalTotal(a), y = IntervalTotal(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

Interval AddIntervals(const Interval& a, const Interval& b);
Interval SubtractIntervals(const Interval& a, const Interval& b);
Interval NegateInterval(const Interval& a);
// interval * factor and interval / divisor; fractional months and days spill into the smaller
// fields as in PostgreSQL (30-day months). Division by zero throws 22012.
Interval MultiplyInterval(const Interval& a, double factor);
Interval DivideInterval(const Interval& a, double divisor);

// timestamp + interval: months first (the day clamped to the month's length), then days, then
// microseconds. Throws 22008 "timestamp out of range".
int64_t AddToTimestamp(int64_t timestamp, const Interval& iv);
// timestamp - timestamp: days and a time of the same sign ('1 day 02:00:00').
Interval SubtractTimestamps(int64_t a, int64_t b);

// justify_hours: whole 24-hour periods of the time become days; justify_days: whole 30-day
// periods become months; justify_interval: both, with every field given the sign of the total.
Interval JustifyHours(const Interval& a);
Interval JustifyDays(const Interval& a);
Interval JustifyInterval(const Interval& a);

}  // namespace lyt
