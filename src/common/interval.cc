#include "common/interval.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "common/date_unit.h"
#include "common/datetime.h"
#include "common/error.h"

namespace lyt {

namespace {

constexpr int64_t kMonthsPerYear = 12;
constexpr int64_t kDaysPerMonth = 30;  // PostgreSQL's DAYS_PER_MONTH, for comparisons and spills

[[noreturn]] void ThrowIntervalOutOfRange() {
  throw Error(sqlstate::kDatetimeFieldOverflow, "interval out of range");
}
[[noreturn]] void ThrowTimestampOutOfRange() {
  throw Error(sqlstate::kDatetimeFieldOverflow, "timestamp out of range");
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// A signed number of the input: integral part and fraction, both carrying the sign.
struct Number {
  int64_t whole = 0;
  double fraction = 0;
  bool has_point = false;
  bool negative = false;  // also for "-0:30", where whole and fraction cannot carry it
};

// The fields of an interval while it is parsed, wide enough that overflow is checked once at
// the end.
struct Fields {
  __int128 months = 0, days = 0, micros = 0;

  // Adds `n` of `unit`; fractions spill into the smaller fields as PostgreSQL does (a fraction
  // of a month as 30-day months, of a year only into whole months).
  void Add(DateUnit unit, const Number& n) {
    auto time = [&](int64_t scale) { micros += __int128(n.whole) * scale + std::llrint(n.fraction * double(scale)); };
    auto spill_days = [&](double d) {
      double whole = std::trunc(d);
      days += static_cast<int64_t>(whole);
      micros += std::llrint((d - whole) * double(kMicrosPerDay));
    };
    auto years = [&](int64_t months_each) {
      months += __int128(n.whole) * months_each + std::llrint(n.fraction * double(months_each));
    };
    switch (unit) {
      case DateUnit::Microseconds: return time(1);
      case DateUnit::Milliseconds: return time(1000);
      case DateUnit::Second: return time(kMicrosPerSecond);
      case DateUnit::Minute: return time(kMicrosPerMinute);
      case DateUnit::Hour: return time(kMicrosPerHour);
      case DateUnit::Day:
        days += n.whole;
        return spill_days(n.fraction);
      case DateUnit::Week:
        days += __int128(n.whole) * 7;
        return spill_days(n.fraction * 7);
      case DateUnit::Month:
        months += n.whole;
        return spill_days(n.fraction * kDaysPerMonth);
      case DateUnit::Year: return years(kMonthsPerYear);
      case DateUnit::Decade: return years(10 * kMonthsPerYear);
      case DateUnit::Century: return years(100 * kMonthsPerYear);
      case DateUnit::Millennium: return years(1000 * kMonthsPerYear);
      default: return;
    }
  }
};

bool IsIntervalUnit(DateUnit u) {
  switch (u) {
    case DateUnit::Quarter:
    case DateUnit::Epoch:
    case DateUnit::Dow:
    case DateUnit::IsoDow:
    case DateUnit::Doy:
    case DateUnit::IsoYear: return false;
    default: return true;
  }
}

DateUnit ToDateUnit(IntervalUnit u) {
  switch (u) {
    case IntervalUnit::Year: return DateUnit::Year;
    case IntervalUnit::Month: return DateUnit::Month;
    case IntervalUnit::Day: return DateUnit::Day;
    case IntervalUnit::Hour: return DateUnit::Hour;
    case IntervalUnit::Minute: return DateUnit::Minute;
    default: return DateUnit::Second;
  }
}

class IntervalScanner {
 public:
  explicit IntervalScanner(std::string_view s) : s_(s) {}

  bool AtEnd() const { return pos_ == s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : Lower(s_[pos_]); }
  bool Accept(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  void SkipSpaces() {
    while (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r') ++pos_;
  }
  std::string Word() {
    std::string w;
    while (IsAlpha(Peek())) w += Peek(), ++pos_;
    return w;
  }
  // Unsigned digits into *out; false when there are none or they overflow.
  bool Digits(int64_t* out) {
    size_t start = pos_;
    int64_t v = 0;
    while (IsDigit(Peek())) {
      if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s_[pos_] - '0', &v)) overflow_ = true;
      ++pos_;
    }
    *out = v;
    return pos_ != start;
  }
  // [+|-] digits [. digits] or [+|-] . digits
  bool SignedNumber(Number* n) {
    bool negative = Accept('-');
    if (!negative) Accept('+');
    n->negative = negative;
    bool any = Digits(&n->whole);
    if (Accept('.')) {
      n->has_point = true;
      size_t start = pos_;
      while (IsDigit(Peek())) ++pos_;
      if (pos_ > start) n->fraction = std::strtod(std::string("0." + std::string(s_.substr(start, pos_ - start))).c_str(), nullptr);
      any |= pos_ > start;
    }
    if (negative) n->whole = -n->whole, n->fraction = -n->fraction;
    return any;
  }
  bool overflow() const { return overflow_; }

 private:
  std::string_view s_;
  size_t pos_ = 0;
  bool overflow_ = false;
};

// h:m[:s[.f]] after the hours `h` (already read, with its sign); adds it to `f`.
bool ScanTime(IntervalScanner& sc, const Number& h, Fields* f) {
  int64_t minutes = 0, seconds = 0;
  if (h.has_point || !sc.Digits(&minutes) || minutes > 59) return false;
  Number sec;
  if (sc.Accept(':')) {
    if (!sc.SignedNumber(&sec) || sec.whole < 0 || sec.fraction < 0 || sec.whole > 59) return false;
    seconds = sec.whole;
  }
  __int128 magnitude = (h.whole < 0 ? -__int128(h.whole) : __int128(h.whole)) * kMicrosPerHour +
                       minutes * kMicrosPerMinute + seconds * kMicrosPerSecond +
                       std::llrint(sec.fraction * double(kMicrosPerSecond));
  f->micros += h.negative ? -magnitude : magnitude;
  return true;
}

// ISO 8601 "P[nY][nM][nW][nD][T[nH][nM][nS]]" after the 'P'.
bool ScanIso(IntervalScanner& sc, Fields* f) {
  bool time = false, any = false;
  while (!sc.AtEnd()) {
    if (!time && sc.Accept('t')) {
      time = true;
      continue;
    }
    Number n;
    if (!sc.SignedNumber(&n)) return false;
    DateUnit unit;
    switch (sc.Peek()) {
      case 'y': unit = DateUnit::Year; break;
      case 'm': unit = time ? DateUnit::Minute : DateUnit::Month; break;
      case 'w': unit = DateUnit::Week; break;
      case 'd': unit = DateUnit::Day; break;
      case 'h': unit = DateUnit::Hour; break;
      case 's': unit = DateUnit::Second; break;
      default: return false;
    }
    if (time != (unit == DateUnit::Hour || unit == DateUnit::Minute || unit == DateUnit::Second)) return false;
    sc.Accept(sc.Peek());
    f->Add(unit, n);
    any = true;
  }
  return any;
}

// PostgreSQL's postgres-style input: fields of "number [unit]" or "h:m[:s]", then "ago".
bool ScanFields(IntervalScanner& sc, IntervalUnit qualifier, Fields* f) {
  bool any = false, ago = false;
  while (true) {
    sc.SkipSpaces();
    if (sc.AtEnd()) break;
    if (IsAlpha(sc.Peek())) {
      if (sc.Word() != "ago" || ago) return false;
      ago = true;
      continue;
    }
    if (ago) return false;
    Number n;
    if (!sc.SignedNumber(&n)) return false;
    if (sc.Accept(':')) {
      if (!ScanTime(sc, n, f)) return false;
      any = true;
      continue;
    }
    sc.SkipSpaces();
    DateUnit unit;
    if (IsAlpha(sc.Peek()) && sc.Peek() != 'a') {  // no unit starts with 'a': "3 ago" is 3 seconds ago
      std::string word = sc.Word();
      std::optional<DateUnit> u = LookupDateUnit(word);
      if (!u || !IsIntervalUnit(*u)) return false;
      unit = *u;
    } else if (!sc.AtEnd() && IsDigit(sc.Peek()) && !n.has_point) {
      unit = DateUnit::Day;  // SQL standard "1 04:05:06": a bare number before a time is days
    } else {
      unit = ToDateUnit(qualifier);  // a trailing bare number: seconds unless a unit says otherwise
    }
    f->Add(unit, n);
    any = true;
  }
  if (ago) {
    f->months = -f->months;
    f->days = -f->days;
    f->micros = -f->micros;
  }
  return any;
}

// Drops the fields below the qualifier, as PostgreSQL's INTERVAL ... DAY etc.
void Truncate(IntervalUnit unit, Interval* iv) {
  switch (unit) {
    case IntervalUnit::Year: iv->months = iv->months / 12 * 12; [[fallthrough]];
    case IntervalUnit::Month: iv->days = 0; [[fallthrough]];
    case IntervalUnit::Day: iv->micros = 0; return;
    case IntervalUnit::Hour: iv->micros = iv->micros / kMicrosPerHour * kMicrosPerHour; return;
    case IntervalUnit::Minute: iv->micros = iv->micros / kMicrosPerMinute * kMicrosPerMinute; return;
    default: return;
  }
}

template <class T>
bool Fits(__int128 v) {
  return v >= std::numeric_limits<T>::min() && v <= std::numeric_limits<T>::max();
}

bool FitsInt32(double d) { return !std::isnan(d) && d >= -2147483648.0 && d < 2147483648.0; }
bool FitsInt64(double d) { return !std::isnan(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0; }

double RoundToMicros(double x) { return std::rint(x * 1e6) / 1e6; }  // PostgreSQL's TSROUND

// The result of multiplying or dividing an interval, given each field already scaled (as
// doubles): fractional months become 30-day days, fractional days become seconds (PostgreSQL's
// interval_mul / interval_div).
Interval Scaled(double months, double days, double micros) {
  if (!FitsInt32(months) || !FitsInt32(days)) ThrowIntervalOutOfRange();
  Interval r;
  r.months = static_cast<int32_t>(months);
  r.days = static_cast<int32_t>(days);
  double month_days = RoundToMicros((months - r.months) * kDaysPerMonth);
  double seconds = RoundToMicros((days - r.days + month_days - static_cast<int32_t>(month_days)) * 86400.0);
  int64_t extra_days = static_cast<int64_t>(month_days);
  if (std::fabs(seconds) >= 86400.0) {
    int64_t whole = static_cast<int64_t>(seconds / 86400.0);
    extra_days += whole;
    seconds -= static_cast<double>(whole) * 86400.0;
  }
  if (!Fits<int32_t>(__int128(r.days) + extra_days)) ThrowIntervalOutOfRange();
  r.days = static_cast<int32_t>(r.days + extra_days);
  double total = std::rint(micros + seconds * double(kMicrosPerSecond));
  if (!FitsInt64(total)) ThrowIntervalOutOfRange();
  r.micros = static_cast<int64_t>(total);
  return r;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// timestamp + months, the day of month clamped to the new month's length.
int64_t AddMonths(int64_t ts, int64_t months) {
  int64_t days = FloorDiv(ts, kMicrosPerDay);
  int64_t time = ts - days * kMicrosPerDay;
  CivilDate c = CivilFromDays(static_cast<int32_t>(days));
  int64_t total = int64_t{c.year} * 12 + (c.month - 1) + months;
  int64_t year = FloorDiv(total, 12);
  int32_t month = static_cast<int32_t>(total - year * 12 + 1);
  if (year < -4714 || year > 294247) ThrowTimestampOutOfRange();
  int32_t day = c.day;
  while (!IsValidDate(static_cast<int32_t>(year), month, day)) --day;
  int64_t result = 0;
  if (__builtin_mul_overflow(int64_t{DaysFromCivil(static_cast<int32_t>(year), month, day)}, kMicrosPerDay, &result) ||
      __builtin_add_overflow(result, time, &result) || !TimestampInRange(result)) {
    ThrowTimestampOutOfRange();
  }
  return result;
}

}  // namespace

std::optional<IntervalUnit> LookupIntervalUnit(std::string_view word) {
  if (word == "year") return IntervalUnit::Year;
  if (word == "month") return IntervalUnit::Month;
  if (word == "day") return IntervalUnit::Day;
  if (word == "hour") return IntervalUnit::Hour;
  if (word == "minute") return IntervalUnit::Minute;
  if (word == "second") return IntervalUnit::Second;
  return std::nullopt;
}

std::optional<Interval> ParseInterval(std::string_view text, IntervalUnit unit) {
  IntervalScanner sc(text);
  Fields f;
  sc.SkipSpaces();
  sc.Accept('@');
  sc.SkipSpaces();
  bool ok = sc.Accept('p') ? ScanIso(sc, &f) : ScanFields(sc, unit, &f);
  if (!ok) return std::nullopt;
  if (sc.overflow() || !Fits<int32_t>(f.months) || !Fits<int32_t>(f.days) || !Fits<int64_t>(f.micros)) {
    throw Error(sqlstate::kIntervalFieldOverflow, "interval field value out of range: \"" + std::string(text) + "\"");
  }
  Interval iv{static_cast<int32_t>(f.months), static_cast<int32_t>(f.days), static_cast<int64_t>(f.micros)};
  Truncate(unit, &iv);
  return iv;
}

std::string FormatInterval(const Interval& iv) {
  std::string out;
  bool is_zero = true, is_before = false;
  auto part = [&](int64_t value, const char* unit) {
    if (value == 0) return;
    if (!is_zero) out += ' ';
    if (is_before && value > 0) out += '+';
    out += std::to_string(value) + ' ' + unit + (value != 1 ? "s" : "");
    is_before = value < 0;
    is_zero = false;
  };
  part(iv.months / kMonthsPerYear, "year");
  part(iv.months % kMonthsPerYear, "mon");
  part(iv.days, "day");
  if (is_zero || iv.micros != 0) {
    bool minus = iv.micros < 0;
    uint64_t t = minus ? 0 - static_cast<uint64_t>(iv.micros) : static_cast<uint64_t>(iv.micros);
    char buf[80];
    int n = std::snprintf(buf, sizeof buf, "%s%s%02llu:%02d:%02d", is_zero ? "" : " ", minus ? "-" : (is_before ? "+" : ""),
                          static_cast<unsigned long long>(t / kMicrosPerHour), static_cast<int>(t / kMicrosPerMinute % 60),
                          static_cast<int>(t / kMicrosPerSecond % 60));
    n += WriteFraction(buf + n, sizeof buf - n, static_cast<int64_t>(t % kMicrosPerSecond));
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

__int128 IntervalTotal(const Interval& iv) {
  return (__int128(iv.months) * kDaysPerMonth + iv.days) * kMicrosPerDay + iv.micros;
}

Interval AddIntervals(const Interval& a, const Interval& b) {
  Interval r;
  if (__builtin_add_overflow(a.months, b.months, &r.months) || __builtin_add_overflow(a.days, b.days, &r.days) ||
      __builtin_add_overflow(a.micros, b.micros, &r.micros)) {
    ThrowIntervalOutOfRange();
  }
  return r;
}

Interval SubtractIntervals(const Interval& a, const Interval& b) {
  Interval r;
  if (__builtin_sub_overflow(a.months, b.months, &r.months) || __builtin_sub_overflow(a.days, b.days, &r.days) ||
      __builtin_sub_overflow(a.micros, b.micros, &r.micros)) {
    ThrowIntervalOutOfRange();
  }
  return r;
}

Interval NegateInterval(const Interval& a) { return SubtractIntervals(Interval{}, a); }

Interval MultiplyInterval(const Interval& a, double factor) {
  return Scaled(a.months * factor, a.days * factor, static_cast<double>(a.micros) * factor);
}

Interval DivideInterval(const Interval& a, double divisor) {
  if (divisor == 0) throw Error(sqlstate::kDivisionByZero, "division by zero");
  return Scaled(a.months / divisor, a.days / divisor, static_cast<double>(a.micros) / divisor);
}

int64_t AddToTimestamp(int64_t timestamp, const Interval& iv) {
  int64_t ts = timestamp;
  if (iv.months != 0) ts = AddMonths(ts, iv.months);
  int64_t day_micros = 0;
  if (__builtin_mul_overflow(int64_t{iv.days}, kMicrosPerDay, &day_micros) || __builtin_add_overflow(ts, day_micros, &ts) ||
      __builtin_add_overflow(ts, iv.micros, &ts) || !TimestampInRange(ts)) {
    ThrowTimestampOutOfRange();
  }
  return ts;
}

Interval SubtractTimestamps(int64_t a, int64_t b) {
  int64_t diff = 0;
  if (__builtin_sub_overflow(a, b, &diff)) ThrowIntervalOutOfRange();
  return Interval{0, static_cast<int32_t>(diff / kMicrosPerDay), diff % kMicrosPerDay};
}

namespace {

// Moves whole units of `small` (unit `per` of it per `big`) into `big`, then makes the two
// agree in sign; 22008 when `big` overflows.
template <class Big, class Small>
void Carry(Big* big, Small* small, Small per) {
  __int128 b = __int128(*big) + *small / per;
  Small s = *small % per;
  if (b > 0 && s < 0) s += per, --b;
  else if (b < 0 && s > 0) s -= per, ++b;
  if (!Fits<Big>(b)) ThrowIntervalOutOfRange();
  *big = static_cast<Big>(b);
  *small = s;
}

}  // namespace

Interval JustifyHours(const Interval& a) {
  Interval r = a;
  Carry(&r.days, &r.micros, kMicrosPerDay);
  return r;
}

Interval JustifyDays(const Interval& a) {
  Interval r = a;
  Carry(&r.months, &r.days, static_cast<int32_t>(kDaysPerMonth));
  return r;
}

// PostgreSQL's interval_justify_interval step by step.
Interval JustifyInterval(const Interval& a) {
  int64_t micros = a.micros % kMicrosPerDay;
  int64_t days = int64_t{a.days} + a.micros / kMicrosPerDay;
  int64_t months = int64_t{a.months} + days / kDaysPerMonth;
  days %= kDaysPerMonth;
  if (months > 0 && (days < 0 || (days == 0 && micros < 0))) days += kDaysPerMonth, --months;
  else if (months < 0 && (days > 0 || (days == 0 && micros > 0))) days -= kDaysPerMonth, ++months;
  if (days > 0 && micros < 0) micros += kMicrosPerDay, --days;
  else if (days < 0 && micros > 0) micros -= kMicrosPerDay, ++days;
  if (!Fits<int32_t>(months)) ThrowIntervalOutOfRange();
  return Interval{static_cast<int32_t>(months), static_cast<int32_t>(days), micros};
}

}  // namespace lyt
