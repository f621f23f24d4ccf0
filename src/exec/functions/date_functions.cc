// Date and time functions: now(), current_date, extract/date_part, date_trunc, make_date.
#include <cstdio>
#include <string>

#include "common/date_unit.h"
#include "common/datetime.h"
#include "common/interval.h"
#include "exec/functions/function_util.h"

namespace lyt {

namespace {

using namespace fnutil;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

using Unit = DateUnit;

// Resolves the unit argument of one call; the unit is nearly always the same constant in every
// row, so the previous row's answer is reused when the text is unchanged.
class UnitResolver {
 public:
  explicit UnitResolver(const char* type_name) : type_name_(type_name) {}

  Unit Get(StringRef text) {
    if (valid_ && text == last_) return unit_;
    std::string lower(text.view());  // once per distinct unit text, not per row
    for (char& c : lower) c = AsciiLower(c);
    std::optional<Unit> unit = LookupDateUnit(lower);
    if (!unit) {
      throw Error(sqlstate::kInvalidParameterValue,
                  "unit \"" + lower + "\" not recognized for type " + type_name_);
    }
    last_ = text;
    unit_ = *unit;
    valid_ = true;
    return unit_;
  }

  [[noreturn]] void NotSupported(StringRef text) const {
    std::string lower(text.view());
    for (char& c : lower) c = AsciiLower(c);
    throw Error(sqlstate::kFeatureNotSupported, "unit \"" + lower + "\" not supported for type " + type_name_);
  }

 private:
  const char* type_name_;
  StringRef last_;
  Unit unit_ = Unit::Day;
  bool valid_ = false;
};

constexpr const char* kTimestampTypeName = "timestamp without time zone";
constexpr const char* kDateTypeName = "date";

// A timestamp taken apart.
struct Parts {
  int64_t days;    // since 1970-01-01
  int64_t micros;  // since midnight
  CivilDate date;  // astronomical year (1 BC is year 0)
};

Parts SplitTimestamp(int64_t ts) {
  int64_t days = FloorDiv(ts, kMicrosPerDay);
  return Parts{days, ts - days * kMicrosPerDay, CivilFromDays(static_cast<int32_t>(days))};
}

Parts SplitDate(int32_t days) { return Parts{days, 0, CivilFromDays(days)}; }

int64_t IsoDayOfWeek(int64_t days) { return FloorMod(days + 3, 7) + 1; }  // 1970-01-01 was a Thursday

// ISO 8601 year and week: the week belongs to the year of its Thursday.
void IsoWeek(int64_t days, int64_t* iso_year, int64_t* week) {
  int64_t thursday = days - IsoDayOfWeek(days) + 4;
  *iso_year = CivilFromDays(static_cast<int32_t>(thursday)).year;
  *week = (thursday - DaysFromCivil(static_cast<int32_t>(*iso_year), 1, 1)) / 7 + 1;
}

// Astronomical year -> the year PostgreSQL reports (there is no year 0: 1 BC is -1).
int64_t DisplayYear(int64_t year) { return year > 0 ? year : year - 1; }

double ExtractPart(Unit unit, const Parts& p) {
  const int64_t year = p.date.year;
  const int64_t in_minute = p.micros % kMicrosPerMinute;
  switch (unit) {
    case Unit::Microseconds: return static_cast<double>(in_minute);
    case Unit::Milliseconds: return static_cast<double>(in_minute) / 1000.0;
    case Unit::Second: return static_cast<double>(in_minute) / 1e6;
    case Unit::Minute: return static_cast<double>(p.micros / kMicrosPerMinute % 60);
    case Unit::Hour: return static_cast<double>(p.micros / kMicrosPerHour);
    case Unit::Day: return p.date.day;
    case Unit::Month: return p.date.month;
    case Unit::Quarter: return (p.date.month - 1) / 3 + 1;
    case Unit::Year: return static_cast<double>(DisplayYear(year));
    case Unit::Decade: return static_cast<double>(year >= 0 ? year / 10 : -((8 - (year - 1)) / 10));
    case Unit::Century: return static_cast<double>(year > 0 ? (year + 99) / 100 : -((99 - (year - 1)) / 100));
    case Unit::Millennium:
      return static_cast<double>(year > 0 ? (year + 999) / 1000 : -((999 - (year - 1)) / 1000));
    case Unit::Epoch:
      return static_cast<double>(p.days * 86400 + p.micros / kMicrosPerSecond) +
             static_cast<double>(p.micros % kMicrosPerSecond) / 1e6;
    case Unit::Dow: return static_cast<double>(IsoDayOfWeek(p.days) % 7);
    case Unit::IsoDow: return static_cast<double>(IsoDayOfWeek(p.days));
    case Unit::Doy: return static_cast<double>(p.days - DaysFromCivil(p.date.year, 1, 1) + 1);
    case Unit::Week:
    case Unit::IsoYear: {
      int64_t iso_year = 0, week = 0;
      IsoWeek(p.days, &iso_year, &week);
      return static_cast<double>(unit == Unit::Week ? week : DisplayYear(iso_year));
    }
  }
  return 0;
}

bool IsTimeOfDayUnit(Unit unit) {
  return unit == Unit::Microseconds || unit == Unit::Milliseconds || unit == Unit::Second ||
         unit == Unit::Minute || unit == Unit::Hour;
}

void ExtractFromTimestamp(const FunctionArgs& a, Vector& out) {
  UnitResolver resolver(kTimestampTypeName);
  Binary<double, StringRef, int64_t>(a, out, [&](StringRef unit, int64_t ts) {
    return ExtractPart(resolver.Get(unit), SplitTimestamp(ts));
  });
}

// extract(... FROM date) as PostgreSQL 14+: time-of-day units are an error.
void ExtractFromDate(const FunctionArgs& a, Vector& out) {
  UnitResolver resolver(kDateTypeName);
  Binary<double, StringRef, int32_t>(a, out, [&](StringRef unit_text, int32_t days) {
    Unit unit = resolver.Get(unit_text);
    if (IsTimeOfDayUnit(unit)) resolver.NotSupported(unit_text);
    return ExtractPart(unit, SplitDate(days));
  });
}

// extract(unit FROM interval), as PostgreSQL's interval_part: years and months from the months
// field, days from the days field, the rest from the time; epoch counts 365.25-day years and
// 30-day months.
double ExtractIntervalPart(Unit unit, const Interval& iv, StringRef unit_text, const UnitResolver& resolver) {
  const int64_t t = iv.micros;
  const int64_t years = iv.months / 12;
  switch (unit) {
    case Unit::Microseconds: return static_cast<double>(t % kMicrosPerMinute);
    case Unit::Milliseconds: return static_cast<double>(t % kMicrosPerMinute) / 1000.0;
    case Unit::Second: return static_cast<double>(t % kMicrosPerMinute) / 1e6;
    case Unit::Minute: return static_cast<double>(t / kMicrosPerMinute % 60);
    case Unit::Hour: return static_cast<double>(t / kMicrosPerHour);
    case Unit::Day: return iv.days;
    case Unit::Month: return iv.months % 12;
    case Unit::Quarter: return iv.months % 12 / 3 + 1;
    case Unit::Year: return static_cast<double>(years);
    case Unit::Decade: return static_cast<double>(years / 10);
    case Unit::Century: return static_cast<double>(years / 100);
    case Unit::Millennium: return static_cast<double>(years / 1000);
    case Unit::Epoch:
      return static_cast<double>(t) / 1e6 + 365.25 * 86400.0 * static_cast<double>(years) +
             30.0 * 86400.0 * (iv.months % 12) + 86400.0 * iv.days;
    default: resolver.NotSupported(unit_text);
  }
}

void ExtractFromInterval(const FunctionArgs& a, Vector& out) {
  UnitResolver resolver("interval");
  Binary<double, StringRef, Interval>(a, out, [&](StringRef unit, const Interval& iv) {
    return ExtractIntervalPart(resolver.Get(unit), iv, unit, resolver);
  });
}

int64_t CheckedTimestamp(int64_t days, int64_t micros) {
  int64_t ts = 0;
  if (__builtin_mul_overflow(days, kMicrosPerDay, &ts) || __builtin_add_overflow(ts, micros, &ts) || !TimestampInRange(ts)) {
    throw Error(sqlstate::kDatetimeFieldOverflow, "timestamp out of range");
  }
  return ts;
}

// The first year of the decade, century or millennium holding astronomical `year`, by
// PostgreSQL's conventions (centuries and millennia start at year 1).
int64_t TruncateYear(Unit unit, int64_t year) {
  switch (unit) {
    case Unit::Millennium: return year > 0 ? (year + 999) / 1000 * 1000 - 999 : -((999 - (year - 1)) / 1000) * 1000 + 1;
    case Unit::Century: return year > 0 ? (year + 99) / 100 * 100 - 99 : -((99 - (year - 1)) / 100) * 100 + 1;
    case Unit::Decade: return year > 0 ? year / 10 * 10 : -((8 - (year - 1)) / 10) * 10;
    default: return year;
  }
}

int64_t TruncateTimestamp(Unit unit, int64_t ts, StringRef unit_text, const UnitResolver& resolver) {
  auto floor_to = [ts](int64_t step) { return FloorDiv(ts, step) * step; };
  switch (unit) {
    case Unit::Microseconds: return ts;
    case Unit::Milliseconds: return floor_to(1000);
    case Unit::Second: return floor_to(kMicrosPerSecond);
    case Unit::Minute: return floor_to(kMicrosPerMinute);
    case Unit::Hour: return floor_to(kMicrosPerHour);
    case Unit::Day: return floor_to(kMicrosPerDay);
    default: break;
  }
  Parts p = SplitTimestamp(ts);
  switch (unit) {
    case Unit::Week: return CheckedTimestamp(p.days - IsoDayOfWeek(p.days) + 1, 0);
    case Unit::Month: return CheckedTimestamp(DaysFromCivil(p.date.year, p.date.month, 1), 0);
    case Unit::Quarter: return CheckedTimestamp(DaysFromCivil(p.date.year, (p.date.month - 1) / 3 * 3 + 1, 1), 0);
    case Unit::Year:
    case Unit::Decade:
    case Unit::Century:
    case Unit::Millennium:
      return CheckedTimestamp(DaysFromCivil(static_cast<int32_t>(TruncateYear(unit, p.date.year)), 1, 1), 0);
    default: resolver.NotSupported(unit_text);
  }
}

void DateTrunc(const FunctionArgs& a, Vector& out) {
  UnitResolver resolver(kTimestampTypeName);
  Binary<int64_t, StringRef, int64_t>(a, out, [&](StringRef unit, int64_t ts) {
    return TruncateTimestamp(resolver.Get(unit), ts, unit, resolver);
  });
}

// make_date(year, month, day); negative years are BC, as in PostgreSQL.
int32_t MakeDate(int32_t year, int32_t month, int32_t day) {
  constexpr int32_t kMaxYear = 5874897;
  int64_t astronomical = year < 0 ? int64_t{year} + 1 : year;
  if (year == 0 || year > kMaxYear || year < -4714 || !IsValidDate(static_cast<int32_t>(astronomical), month, day) ||
      !DateInRange(DaysFromCivil(static_cast<int32_t>(astronomical), month, day))) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%d-%02d-%02d", year, month, day);
    throw Error(sqlstate::kDatetimeFieldOverflow, std::string("date field value out of range: ") + buf);
  }
  return DaysFromCivil(static_cast<int32_t>(astronomical), month, day);
}

void AddNow(FunctionRegistry& r, std::string name, LogicalType result, ScalarFn fn) {
  ScalarFunction f;
  f.name = std::move(name);
  f.result = result;
  f.fn = std::move(fn);
  f.is_volatile = true;
  r.Add(std::move(f));
}

}  // namespace

void RegisterDateFunctions(FunctionRegistry& r) {
  ScalarFn now = [](const FunctionArgs& a, Vector& out) {
    int64_t t = a.context.statement_time_us;
    Nullary<int64_t>(a, out, [t] { return t; });
  };
  for (const char* name : {"now", "current_timestamp", "localtimestamp"}) AddNow(r, name, kTimestamp, now);
  AddNow(r, "current_date", kDate, [](const FunctionArgs& a, Vector& out) {
    int32_t today = static_cast<int32_t>(FloorDiv(a.context.statement_time_us, kMicrosPerDay));
    Nullary<int32_t>(a, out, [today] { return today; });
  });

  AddFunction(r, "extract", {kText, kTimestamp}, kDouble, ExtractFromTimestamp);
  AddFunction(r, "extract", {kText, kDate}, kDouble, ExtractFromDate);
  AddFunction(r, "date_part", {kText, kTimestamp}, kDouble, ExtractFromTimestamp);
  AddFunction(r, "extract", {kText, kInterval}, kDouble, ExtractFromInterval);
  AddFunction(r, "date_part", {kText, kInterval}, kDouble, ExtractFromInterval);
  AddFunction(r, "justify_hours", {kInterval}, kInterval, UnaryFn<Interval, Interval>(JustifyHours));
  AddFunction(r, "justify_days", {kInterval}, kInterval, UnaryFn<Interval, Interval>(JustifyDays));
  AddFunction(r, "justify_interval", {kInterval}, kInterval, UnaryFn<Interval, Interval>(JustifyInterval));
  AddFunction(r, "date_trunc", {kText, kTimestamp}, kTimestamp, DateTrunc);
  AddFunction(r, "make_date", {kInt, kInt, kInt}, kDate, TernaryFn<int32_t, int32_t, int32_t, int32_t>(MakeDate));
}

}  // namespace lyt
