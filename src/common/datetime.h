// Calendar arithmetic for DATE (days since 1970-01-01) and TIMESTAMP (microseconds since
// 1970-01-01 00:00:00), proleptic Gregorian, no time zones.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lyt {

inline constexpr int64_t kMicrosPerSecond = 1'000'000;
inline constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
inline constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
inline constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

struct CivilDate {
  int32_t year;
  int32_t month;  // 1..12
  int32_t day;    // 1..31
};

// The values DATE and TIMESTAMP hold: from 4714-11-24 BC (PostgreSQL's first day, Julian day 0)
// to 5874897-12-31 for DATE (PostgreSQL's last) and to 294246-12-31 23:59:59.999999 for
// TIMESTAMP (the last whole year int64 microseconds since 1970 reach; PostgreSQL, counting from
// 2000, reaches 294276). Input and arithmetic outside them fail with 22008.
inline constexpr int64_t kMinDateDays = -2440588;   // 4714-11-24 BC
inline constexpr int64_t kMaxDateDays = 2145042905;  // 5874897-12-31
inline constexpr int64_t kMinTimestampMicros = kMinDateDays * kMicrosPerDay;
inline constexpr int64_t kMaxTimestampMicros = 106751982 * kMicrosPerDay - 1;  // 294246-12-31 23:59:59.999999
inline constexpr bool DateInRange(int64_t days) { return days >= kMinDateDays && days <= kMaxDateDays; }
inline constexpr bool TimestampInRange(int64_t micros) {
  return micros >= kMinTimestampMicros && micros <= kMaxTimestampMicros;
}

int32_t DaysFromCivil(int32_t year, int32_t month, int32_t day);
CivilDate CivilFromDays(int32_t days);
bool IsValidDate(int32_t year, int32_t month, int32_t day);

// 'YYYY-MM-DD' (also with a trailing time part, which is ignored for DATE) -> days; nullopt on
// bad text.
std::optional<int32_t> ParseDate(std::string_view text);
// 'YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]]' or a bare date -> microseconds; nullopt on bad text.
std::optional<int64_t> ParseTimestamp(std::string_view text);

std::string FormatDate(int32_t days);          // YYYY-MM-DD
std::string FormatTimestamp(int64_t micros);   // YYYY-MM-DD HH:MM:SS[.ffffff]
// Writes ".ffffff" for a fraction of a second in microseconds (0..999999), trailing zeros cut,
// nothing for 0; returns the length written (snprintf-style, into `size` bytes).
int WriteFraction(char* buf, size_t size, int64_t frac);

// Microseconds since the epoch, now (wall clock, UTC).
int64_t CurrentTimestampMicros();

}  // namespace lyt
