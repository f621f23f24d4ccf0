#include "common/datetime.h"

#include <chrono>
#include <cstdio>

namespace lyt {

namespace {

// Years are astronomical inside the engine (1 BC is year 0). Fields are checked against these
// years first (so that the arithmetic below cannot overflow), then the day or instant against
// the exact range (DateInRange, TimestampInRange).
constexpr int64_t kMaxDateYear = 5874897;
constexpr int64_t kMaxTimestampYear = 294246;
constexpr int64_t kMaxBcYear = 4714;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool IsLeap(int64_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

int64_t DaysFromCivil64(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;                                   // [0, 399]
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           // [0, 146096]
  return era * 146097 + doe - 719468;
}

// Fields of a date or timestamp literal, before range checks.
struct Fields {
  int64_t year = 0;  // as written (positive), BC applied later
  int64_t month = 0, day = 0;
  int64_t hour = 0, minute = 0, second = 0;
  int64_t micros = 0;  // fraction of the second, rounded to microseconds (may be 1'000'000)
  bool bc = false;
};

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool AtEnd() const { return pos_ == s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[pos_]; }
  bool Accept(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  bool SkipSpaces() {
    size_t start = pos_;
    while (Peek() == ' ' || Peek() == '\t') ++pos_;
    return pos_ != start;
  }
  // Reads 1..max_digits decimal digits.
  bool Number(int max_digits, int64_t* out) {
    int64_t v = 0;
    int n = 0;
    while (n < max_digits && Peek() >= '0' && Peek() <= '9') v = v * 10 + (s_[pos_++] - '0'), ++n;
    if (n == 0 || (Peek() >= '0' && Peek() <= '9')) return false;
    *out = v;
    return true;
  }
  // Fraction digits after the '.', rounded half up to microseconds.
  bool Fraction(int64_t* micros) {
    int64_t v = 0;
    int n = 0;
    bool round_up = false;
    while (Peek() >= '0' && Peek() <= '9') {
      int digit = s_[pos_++] - '0';
      if (n < 6) v = v * 10 + digit;
      else if (n == 6) round_up = digit >= 5;
      ++n;
    }
    if (n == 0) return false;
    for (int i = n; i < 6; ++i) v *= 10;
    *micros = v + (round_up ? 1 : 0);
    return true;
  }
  // Case-insensitive keyword match (ASCII).
  bool Keyword(std::string_view word) {
    if (s_.size() - pos_ < word.size()) return false;
    for (size_t i = 0; i < word.size(); ++i) {
      char c = s_[pos_ + i];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      if (c != word[i]) return false;
    }
    pos_ += word.size();
    return true;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// Grammar: [spaces] Y+-M{1,2}-D{1,2} [(spaces|T) H{1,2}:M{1,2}[:S{1,2}[.f+]]] [spaces (BC|AD)] [spaces]
bool ScanFields(std::string_view text, bool* has_time, Fields* f) {
  Scanner sc(text);
  sc.SkipSpaces();
  if (!sc.Number(7, &f->year) || !sc.Accept('-') || !sc.Number(2, &f->month) || !sc.Accept('-') ||
      !sc.Number(2, &f->day)) {
    return false;
  }
  bool spaced = sc.SkipSpaces();
  *has_time = false;
  if (sc.Accept('T') || sc.Accept('t') || (spaced && sc.Peek() >= '0' && sc.Peek() <= '9')) {
    *has_time = true;
    if (!sc.Number(2, &f->hour) || !sc.Accept(':') || !sc.Number(2, &f->minute)) return false;
    if (sc.Accept(':')) {
      if (!sc.Number(2, &f->second)) return false;
      if (sc.Accept('.') && !sc.Fraction(&f->micros)) return false;
    }
    spaced = sc.SkipSpaces();
  }
  if (spaced || !*has_time) {
    if (sc.Keyword("BC")) f->bc = true;
    else sc.Keyword("AD");
    sc.SkipSpaces();
  }
  return sc.AtEnd();
}

// Astronomical year of the fields, or nullopt when the date or time is out of range.
std::optional<int64_t> CheckRange(const Fields& f, bool has_time, int64_t max_year) {
  if (f.year < 1 || (f.bc ? f.year > kMaxBcYear : f.year > max_year)) return std::nullopt;
  int64_t year = f.bc ? 1 - f.year : f.year;
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > DaysInMonth(year, static_cast<int>(f.month))) {
    return std::nullopt;
  }
  if (has_time) {
    if (f.minute > 59 || f.second > 60) return std::nullopt;
    // 24:00:00 is accepted (PostgreSQL does) and means midnight of the next day.
    if (f.hour > 24 || (f.hour == 24 && (f.minute != 0 || f.second != 0 || f.micros != 0))) {
      return std::nullopt;
    }
  }
  return year;
}

// Writes the date part "YYYY-MM-DD" (year at least four digits, BC years by magnitude) and
// returns whether the year is BC.
int WriteDate(char* buf, size_t size, int64_t days, bool* bc) {
  CivilDate c = CivilFromDays(static_cast<int32_t>(days));
  *bc = c.year <= 0;
  long long year = *bc ? 1 - static_cast<long long>(c.year) : c.year;
  return std::snprintf(buf, size, "%04lld-%02d-%02d", year, c.month, c.day);
}

}  // namespace

int32_t DaysFromCivil(int32_t year, int32_t month, int32_t day) {
  return static_cast<int32_t>(DaysFromCivil64(year, month, day));
}

CivilDate CivilFromDays(int32_t days) {
  const int64_t z = static_cast<int64_t>(days) + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;                                  // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);           // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                // [0, 11]
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;                        // [1, 31]
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;                           // [1, 12]
  const int64_t y = yoe + era * 400 + (m <= 2);
  return CivilDate{static_cast<int32_t>(y), static_cast<int32_t>(m), static_cast<int32_t>(d)};
}

bool IsValidDate(int32_t year, int32_t month, int32_t day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(year, month);
}

std::optional<int32_t> ParseDate(std::string_view text) {
  Fields f;
  bool has_time = false;
  if (!ScanFields(text, &has_time, &f)) return std::nullopt;
  std::optional<int64_t> year = CheckRange(f, has_time, kMaxDateYear);
  if (!year) return std::nullopt;
  int64_t days = DaysFromCivil64(*year, f.month, f.day);
  if (!DateInRange(days)) return std::nullopt;
  return static_cast<int32_t>(days);
}

std::optional<int64_t> ParseTimestamp(std::string_view text) {
  Fields f;
  bool has_time = false;
  if (!ScanFields(text, &has_time, &f)) return std::nullopt;
  std::optional<int64_t> year = CheckRange(f, has_time, kMaxTimestampYear);
  if (!year) return std::nullopt;
  int64_t days = DaysFromCivil64(*year, f.month, f.day);
  int64_t seconds = f.hour * 3600 + f.minute * 60 + f.second;
  int64_t micros = days * kMicrosPerDay + seconds * kMicrosPerSecond + f.micros;
  if (!TimestampInRange(micros)) return std::nullopt;
  return micros;
}

std::string FormatDate(int32_t days) {
  char buf[32];
  bool bc = false;
  int n = WriteDate(buf, sizeof buf, days, &bc);
  std::string out(buf, static_cast<size_t>(n));
  if (bc) out += " BC";
  return out;
}

std::string FormatTimestamp(int64_t micros) {
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t in_day = micros - days * kMicrosPerDay;
  int64_t secs = in_day / kMicrosPerSecond;
  int64_t frac = in_day % kMicrosPerSecond;
  char buf[64];
  bool bc = false;
  int n = WriteDate(buf, sizeof buf, days, &bc);
  n += std::snprintf(buf + n, sizeof buf - n, " %02d:%02d:%02d", static_cast<int>(secs / 3600),
                     static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  n += WriteFraction(buf + n, sizeof buf - n, frac);
  std::string out(buf, static_cast<size_t>(n));
  if (bc) out += " BC";
  return out;
}

int WriteFraction(char* buf, size_t size, int64_t frac) {
  if (frac == 0) return 0;
  int digits = 6;
  while (frac % 10 == 0) frac /= 10, --digits;
  return std::snprintf(buf, size, ".%0*d", digits, static_cast<int>(frac));
}

int64_t CurrentTimestampMicros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace lyt
