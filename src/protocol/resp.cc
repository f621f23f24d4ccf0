#include "protocol/resp.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "common/shortest_digits.h"

namespace lyt::resp {
namespace {

// Redis's limits before AUTH (networking.c): more is refused without buffering it.
constexpr int64_t kUnauthenticatedMaxArgs = 10;
constexpr int64_t kUnauthenticatedMaxBulk = 16384;

// Redis's string2ll: an optional '-', then "0" alone or a digit 1-9 and more digits, fewer than 21
// characters in all, within int64. Anything else (empty, '+', spaces, leading zeros, "-0") fails.
bool ParseInt64(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() >= 21) return false;
  if (s == "0") {
    *out = 0;
    return true;
  }
  const bool negative = s[0] == '-';
  size_t i = negative ? 1 : 0;
  if (i == s.size() || s[i] < '1' || s[i] > '9') return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    const unsigned digit = static_cast<unsigned char>(s[i]) - '0';
    if (digit > 9 || v > (UINT64_MAX - digit) / 10) return false;
    v = v * 10 + digit;
  }
  const uint64_t bound = negative ? uint64_t{1} << 63 : INT64_MAX;
  if (v > bound) return false;
  *out = negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  return true;
}

// The window of a line that may still hold its end: Redis gives up on a line once more than
// `max` bytes follow its start without its end, so only the first max + 1 bytes are searched.
// That makes the verdict independent of how many bytes after it happen to be buffered.
size_t LineWindow(size_t available, size_t max) {
  return available > max ? max + 1 : available;
}

// isspace() in the C locale: what sdssplitargs skips between arguments.
bool IsBlank(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

// What ends an unquoted inline argument in sdssplitargs (\v and \f do not).
bool EndsUnquoted(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char Unescape(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'b':
      return '\b';
    case 'a':
      return '\a';
    default:
      return c;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// RequestParser

RequestParser::RequestParser(Limits limits) : limits_(limits) {}

void RequestParser::Reset() {
  stage_ = Stage::kStart;
  error_.clear();
  StartRequest();
}

void RequestParser::StartRequest() {
  pos_ = scan_ = remaining_ = bulk_length_ = 0;
  spans_.clear();
  args_.clear();
  owned_.clear();
}

size_t RequestParser::bytes_hint() const {
  return stage_ == Stage::kBulkData ? pos_ + bulk_length_ + 2 : 0;
}

RequestParser::Result RequestParser::Parse(std::string_view in, size_t* consumed) {
  *consumed = 0;
  if (stage_ == Stage::kFailed) return Result::kError;
  if (stage_ == Stage::kStart) StartRequest();  // the previous command's args() end here
  size_t skipped = 0;                           // empty requests before this one
  for (;;) {
    const std::string_view request = in.substr(skipped);
    if (stage_ == Stage::kStart) {
      if (request.empty()) break;
      stage_ = request[0] == '*' ? Stage::kCount : Stage::kInline;
    }
    size_t end = 0;
    switch (stage_ == Stage::kInline ? ParseInline(request, &end) : ParseMultibulk(request, &end)) {
      case Step::kNeedMore:
        *consumed = skipped;
        return Result::kNeedMore;
      case Step::kError:
        return Result::kError;
      case Step::kDone:
        *consumed = skipped + end;
        stage_ = Stage::kStart;
        return Result::kCommand;
      case Step::kEmpty:
        skipped += end;
        stage_ = Stage::kStart;
        StartRequest();
        break;
    }
  }
  *consumed = skipped;
  return Result::kNeedMore;
}

RequestParser::Step RequestParser::Fail(std::string message) {
  error_ = std::move(message);
  stage_ = Stage::kFailed;
  return Step::kError;
}

// Finds the byte ending the line that starts at `line_start`. kDone: *at is its offset, and for a
// CR the byte after it (the LF, which Redis skips unchecked) is present too. kError (`too_big`)
// when more than max_inline_bytes bytes came without it. The search resumes where the last one
// stopped, so a line arriving byte by byte is scanned once.
RequestParser::Step RequestParser::FindLineEnd(std::string_view in, size_t line_start, char end_byte,
                                               const char* too_big, size_t* at) {
  const size_t available = in.size() - line_start;
  const size_t window_end = line_start + LineWindow(available, limits_.max_inline_bytes);
  const size_t from = std::max(scan_, line_start);
  if (from < window_end) {
    const char* begin = in.data() + from;
    const auto* found = static_cast<const char*>(std::memchr(begin, end_byte, window_end - from));
    bytes_examined_ += found != nullptr ? found - begin + 1 : window_end - from;
    if (found != nullptr) {
      *at = static_cast<size_t>(found - in.data());
      scan_ = *at;
      return *at + (end_byte == '\r' ? 2 : 1) <= in.size() ? Step::kDone : Step::kNeedMore;
    }
    scan_ = window_end;
  }
  return available > limits_.max_inline_bytes ? Fail(too_big) : Step::kNeedMore;
}

// kDone here means the command is complete (args() set) and *end is its size.
RequestParser::Step RequestParser::ParseMultibulk(std::string_view in, size_t* end) {
  if (stage_ == Stage::kCount) {
    const Step step = ParseCount(in, end);
    if (step != Step::kDone) return step;
  }
  // The loop keeps its state in locals and saves it only when it stops: writing and re-reading the
  // members on every bulk cost more than the rest of the loop.
  size_t pos = pos_;
  size_t length = bulk_length_;
  size_t remaining = remaining_;
  bool have_length = stage_ == Stage::kBulkData;
  while (remaining > 0) {
    if (!have_length) {
      const Step step = ParseBulkLength(in, pos, &pos, &length);
      if (step == Step::kError) return step;
      if (step == Step::kNeedMore) break;
      have_length = true;
    }
    // The payload is skipped by its length and the 2 bytes after it unchecked, as Redis does.
    if (in.size() - pos < length + 2) break;
    spans_.push_back({pos, length});
    pos += length + 2;
    --remaining;
    have_length = false;
  }
  pos_ = pos;
  bulk_length_ = length;
  remaining_ = remaining;
  stage_ = have_length ? Stage::kBulkData : Stage::kBulkLength;
  if (remaining > 0) return Step::kNeedMore;
  for (const Span& span : spans_) args_.emplace_back(in.data() + span.offset, span.length);
  *end = pos;
  return Step::kDone;
}

// A count or length line at `line_start`: a type byte, a number, CR, and one more byte. kDone: *cr
// is the CR's offset and *valid says whether the number is string2ll's (then in *value). The
// common case, a short positive number whose line is all here, is read without a search; the
// search would find the same CR within the line's window, so the verdict is the same.
RequestParser::Step RequestParser::ReadNumberLine(std::string_view in, size_t line_start, const char* too_big,
                                                  size_t* cr, int64_t* value, bool* valid) {
  const char* start = in.data() + line_start;
  const char* end = in.data() + in.size();
  const char* p = start + 1;
  if (*start != '\r' && p < end && *p >= '1' && *p <= '9') {
    int64_t v = 0;
    for (; p < end && *p >= '0' && *p <= '9' && p - start <= 18; ++p) v = v * 10 + (*p - '0');  // < 10^18
    if (p + 1 < end && *p == '\r' && static_cast<size_t>(p - start) <= limits_.max_inline_bytes) {
      bytes_examined_ += static_cast<size_t>(p - start) + 1;
      *cr = static_cast<size_t>(p - in.data());
      *value = v;
      *valid = true;
      return Step::kDone;
    }
  }
  if (const Step step = FindLineEnd(in, line_start, '\r', too_big, cr); step != Step::kDone) return step;
  *valid = ParseInt64(in.substr(line_start + 1, *cr - line_start - 1), value);
  return Step::kDone;
}

// "*<count>\r\n". kDone: the count is read and bulks follow; kEmpty: a count <= 0 (*end set).
RequestParser::Step RequestParser::ParseCount(std::string_view in, size_t* end) {
  size_t cr = 0;
  int64_t count = 0;
  bool valid = false;
  if (const Step step = ReadNumberLine(in, 0, "Protocol error: too big mbulk count string", &cr, &count, &valid);
      step != Step::kDone) {
    return step;
  }
  if (!valid || (count > 0 && static_cast<uint64_t>(count) > limits_.max_args)) {
    return Fail("Protocol error: invalid multibulk length");
  }
  if (auth_required_ && count > kUnauthenticatedMaxArgs)
    return Fail("Protocol error: unauthenticated multibulk length");
  pos_ = cr + 2;
  if (count <= 0) {
    *end = pos_;
    return Step::kEmpty;
  }
  remaining_ = static_cast<size_t>(count);
  stage_ = Stage::kBulkLength;
  return Step::kDone;
}

// "$<length>\r\n" at `line_start`. kDone: *length is set and *payload is the payload's offset.
RequestParser::Step RequestParser::ParseBulkLength(std::string_view in, size_t line_start, size_t* payload,
                                                   size_t* length) {
  size_t cr = 0;
  int64_t n = 0;
  bool valid = false;
  if (const Step step = ReadNumberLine(in, line_start, "Protocol error: too big bulk count string", &cr, &n, &valid);
      step != Step::kDone) {
    return step;
  }
  if (in[line_start] != '$') return Fail(std::string("Protocol error: expected '$', got '") + in[line_start] + "'");
  if (!valid || n < 0 || static_cast<uint64_t>(n) > limits_.max_bulk_bytes) {
    return Fail("Protocol error: invalid bulk length");
  }
  if (auth_required_ && n > kUnauthenticatedMaxBulk) return Fail("Protocol error: unauthenticated bulk length");
  *length = static_cast<size_t>(n);
  *payload = cr + 2;
  return Step::kDone;
}

RequestParser::Step RequestParser::ParseInline(std::string_view in, size_t* end) {
  size_t lf = 0;
  if (const Step step = FindLineEnd(in, 0, '\n', "Protocol error: too big inline request", &lf); step != Step::kDone)
    return step;
  const size_t length = lf > 0 && in[lf - 1] == '\r' ? lf - 1 : lf;
  if (!SplitInline(in.substr(0, length))) return Fail("Protocol error: unbalanced quotes in request");
  *end = lf + 1;
  return args_.empty() ? Step::kEmpty : Step::kDone;
}

// Splits an inline line into args_ as sdssplitargs does (see the class comment). Arguments without
// quotes are views into the line; the others are built in owned_.
bool RequestParser::SplitInline(std::string_view line) {
  if (const void* nul = std::memchr(line.data(), '\0', line.size())) {
    line = line.substr(0, static_cast<size_t>(static_cast<const char*>(nul) - line.data()));  // a C string
  }
  bytes_examined_ += line.size();
  // Unquoting only shrinks, so owned_ never grows past this and its views never move.
  owned_.reserve(line.size());
  size_t i = 0;
  for (;;) {
    while (i < line.size() && IsBlank(line[i])) ++i;
    if (i == line.size()) return true;
    const size_t start = i;
    while (i < line.size() && !EndsUnquoted(line[i]) && line[i] != '"' && line[i] != '\'') ++i;
    if (i == line.size() || EndsUnquoted(line[i])) {
      args_.push_back(line.substr(start, i - start));
      continue;
    }
    const size_t from = owned_.size();
    owned_.append(line.substr(start, i - start));
    if (!SplitQuoted(line, &i)) return false;
    args_.push_back(std::string_view(owned_).substr(from));
  }
}

// Continues the argument at line[*i], a quote, appending its bytes to owned_; *i ends past it.
// False for an unterminated quote or a closing quote followed by something other than a blank.
bool RequestParser::SplitQuoted(std::string_view line, size_t* pos) {
  const auto at = [line](size_t j) { return j < line.size() ? line[j] : '\0'; };
  size_t i = *pos;
  char quote = 0;  // the open quote; 0 between quoted parts
  for (;;) {
    const char c = at(i);
    if (quote == 0) {
      if (c == '\0' || EndsUnquoted(c)) break;
      if (c == '"' || c == '\'') {
        quote = c;
      } else {
        owned_.push_back(c);
      }
      ++i;
    } else if (c == '\0') {
      return false;
    } else if (c == quote) {
      const char next = at(i + 1);
      if (next != '\0' && !IsBlank(next)) return false;
      ++i;
      break;
    } else if (quote == '"' && c == '\\' && at(i + 1) == 'x' && HexValue(at(i + 2)) >= 0 && HexValue(at(i + 3)) >= 0) {
      owned_.push_back(static_cast<char>(HexValue(at(i + 2)) * 16 + HexValue(at(i + 3))));
      i += 4;
    } else if (quote == '"' && c == '\\' && at(i + 1) != '\0') {
      owned_.push_back(Unescape(at(i + 1)));
      i += 2;
    } else if (quote == '\'' && c == '\\' && at(i + 1) == '\'') {
      owned_.push_back('\'');
      i += 2;
    } else {
      owned_.push_back(c);
      ++i;
    }
  }
  *pos = i;
  return true;
}

// ---------------------------------------------------------------------------------------------
// FormatDouble

namespace {

constexpr size_t kMaxDoubleChars = 32;  // at most 25: "-" + 17 digits + 7 zeros

size_t CopyText(std::string_view text, char* buf) {
  std::memcpy(buf, text.data(), text.size());
  return text.size();
}

// Lays out shortest digits as fpconv_dtoa's emit_digits does: value = digits * 10^k.
size_t EmitDigits(const ShortestDigits& d, char* buf) {
  char* p = buf;
  if (d.negative) *p++ = '-';
  const int n = d.count;
  const int k = d.exponent - (n - 1);
  const int exponent = std::abs(d.exponent);
  if (k >= 0 && exponent < n + 7) {  // an integer: the digits and k zeros
    p = std::copy(d.digits, d.digits + n, p);
    p = std::fill_n(p, k, '0');
  } else if (k < 0 && (k > -7 || exponent < 4)) {  // a plain decimal fraction
    const int point = n + k;                       // digits before the point
    if (point <= 0) {
      *p++ = '0';
      *p++ = '.';
      p = std::fill_n(p, -point, '0');
      p = std::copy(d.digits, d.digits + n, p);
    } else {
      p = std::copy(d.digits, d.digits + point, p);
      *p++ = '.';
      p = std::copy(d.digits + point, d.digits + n, p);
    }
  } else {  // scientific, the exponent without padding
    *p++ = d.digits[0];
    if (n > 1) {
      *p++ = '.';
      p = std::copy(d.digits + 1, d.digits + n, p);
    }
    *p++ = 'e';
    *p++ = d.exponent < 0 ? '-' : '+';
    p = std::to_chars(p, buf + kMaxDoubleChars, exponent).ptr;
  }
  return static_cast<size_t>(p - buf);
}

// Redis's d2string into buf (kMaxDoubleChars bytes); returns the length.
size_t FormatDoubleTo(double v, char* buf) {
  if (std::isnan(v)) return CopyText("nan", buf);
  if (std::isinf(v)) return CopyText(v < 0 ? "-inf" : "inf", buf);
  if (v == 0) return CopyText(std::signbit(v) ? "-0" : "0", buf);
  constexpr double kIntegerLimit = 0x1p62;  // (double)(LLONG_MAX / 2): integers within print as such
  if (v >= -kIntegerLimit && v <= kIntegerLimit && v == std::trunc(v)) {
    return static_cast<size_t>(std::to_chars(buf, buf + kMaxDoubleChars, static_cast<int64_t>(v)).ptr - buf);
  }
  return EmitDigits(ToShortestDigits(v), buf);
}

}  // namespace

std::string FormatDouble(double v) {
  char buf[kMaxDoubleChars];
  return std::string(buf, FormatDoubleTo(v, buf));
}

// ---------------------------------------------------------------------------------------------
// ReplyWriter

void ReplyWriter::Header(char type, uint64_t n) {
  char buf[24];
  buf[0] = type;
  char* p = std::to_chars(buf + 1, buf + sizeof buf, n).ptr;
  *p++ = '\r';
  *p++ = '\n';
  out_->append(buf, static_cast<size_t>(p - buf));
}

void ReplyWriter::Line(char type, std::string_view s) {
  out_->push_back(type);
  const size_t start = out_->size();
  out_->append(s);
  std::replace_if(
      out_->begin() + static_cast<std::ptrdiff_t>(start), out_->end(), [](char c) { return c == '\r' || c == '\n'; },
      ' ');
  out_->append("\r\n", 2);
}

void ReplyWriter::Ok() {
  out_->append("+OK\r\n", 5);
}

void ReplyWriter::Simple(std::string_view s) {
  Line('+', s);
}

void ReplyWriter::Error(std::string_view s) {
  Line('-', s);
}

void ReplyWriter::Integer(int64_t v) {
  char buf[24];
  buf[0] = ':';
  char* p = std::to_chars(buf + 1, buf + sizeof buf, v).ptr;
  *p++ = '\r';
  *p++ = '\n';
  out_->append(buf, static_cast<size_t>(p - buf));
}

void ReplyWriter::Bulk(std::string_view s) {
  Header('$', s.size());
  out_->append(s);
  out_->append("\r\n", 2);
}

void ReplyWriter::Null() {
  if (protocol_ == Protocol::kResp3) {
    out_->append("_\r\n", 3);
  } else {
    out_->append("$-1\r\n", 5);
  }
}

void ReplyWriter::NullArray() {
  if (protocol_ == Protocol::kResp3) {
    out_->append("_\r\n", 3);
  } else {
    out_->append("*-1\r\n", 5);
  }
}

void ReplyWriter::Array(size_t n) {
  Header('*', n);
}

void ReplyWriter::Map(size_t pairs) {
  if (protocol_ == Protocol::kResp3) {
    Header('%', pairs);
  } else {
    Header('*', 2 * pairs);
  }
}

void ReplyWriter::Set(size_t n) {
  Header(protocol_ == Protocol::kResp3 ? '~' : '*', n);
}

void ReplyWriter::Push(size_t n) {
  Header(protocol_ == Protocol::kResp3 ? '>' : '*', n);
}

void ReplyWriter::Double(double v) {
  char buf[kMaxDoubleChars];
  const std::string_view text(buf, FormatDoubleTo(v, buf));
  if (protocol_ == Protocol::kResp3) {
    out_->push_back(',');
    out_->append(text);
    out_->append("\r\n", 2);
  } else {
    Bulk(text);
  }
}

void ReplyWriter::Bool(bool b) {
  if (protocol_ == Protocol::kResp3) {
    out_->append(b ? "#t\r\n" : "#f\r\n", 4);
  } else {
    out_->append(b ? ":1\r\n" : ":0\r\n", 4);
  }
}

void ReplyWriter::Verbatim(std::string_view format3, std::string_view text) {
  if (protocol_ == Protocol::kResp2) return Bulk(text);
  Header('=', text.size() + 4);
  const size_t cut = std::min<size_t>(format3.size(), 3);
  out_->append(format3.substr(0, cut));
  out_->append(3 - cut, ' ');
  out_->push_back(':');
  out_->append(text);
  out_->append("\r\n", 2);
}

void ReplyWriter::BigNumber(std::string_view digits) {
  if (protocol_ == Protocol::kResp2) return Bulk(digits);
  out_->push_back('(');
  out_->append(digits);
  out_->append("\r\n", 2);
}

// ---------------------------------------------------------------------------------------------
// DecodeValue

namespace {

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A number after an optional '+' (RESP3 allows one), by string2ll's rules.
bool ParseSignedInt64(std::string_view s, int64_t* out) {
  if (s.size() > 1 && s[0] == '+' && s[1] != '-') s.remove_prefix(1);
  return ParseInt64(s, out);
}

bool ParseDouble(std::string_view s, double* out) {
  if (s.size() > 1 && s[0] == '+' && s[1] != '-') s.remove_prefix(1);
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

bool IsBigNumber(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return IsDigits(s);
}

// One decoding pass over `in`. Each Read* returns kValue when its part was read (pos_ advanced),
// kNeedMore when `in` ends first, kError (error_ set) when the bytes are wrong.
class Decoder {
 public:
  Decoder(std::string_view in, const Limits& limits, std::string* error) : in_(in), limits_(limits), error_(error) {}

  DecodeResult ReadValue(size_t depth, Value* out);
  size_t pos() const { return pos_; }

 private:
  DecodeResult ReadScalar(char type, std::string_view line, Value* out);
  DecodeResult ReadBlob(char type, std::string_view line, Value* out);
  DecodeResult ReadAggregate(char type, std::string_view line, size_t depth, Value* out);
  DecodeResult ReadLine(std::string_view* line);
  DecodeResult Fail(std::string message) {
    *error_ = std::move(message);
    return DecodeResult::kError;
  }

  std::string_view in_;
  const Limits& limits_;
  std::string* error_;
  size_t pos_ = 0;
};

// `depth` is the number of aggregates around the value.
DecodeResult Decoder::ReadValue(size_t depth, Value* out) {
  for (;;) {  // attributes before the value are read and dropped
    if (pos_ == in_.size()) return DecodeResult::kNeedMore;
    const char type = in_[pos_];
    if (std::string_view("+-:_,#($!=*%~>|").find(type) == std::string_view::npos) {
      return Fail(std::string("Protocol error: unexpected type byte '") + type + "'");
    }
    ++pos_;
    std::string_view line;
    if (const DecodeResult r = ReadLine(&line); r != DecodeResult::kValue) return r;
    *out = Value{};
    switch (type) {
      case '$':
      case '!':
      case '=':
        return ReadBlob(type, line, out);
      case '*':
      case '%':
      case '~':
      case '>':
        return ReadAggregate(type, line, depth, out);
      case '|': {
        if (const DecodeResult r = ReadAggregate(type, line, depth, out); r != DecodeResult::kValue) return r;
        continue;
      }
      default:
        return ReadScalar(type, line, out);
    }
  }
}

// The bytes up to the next CR LF (strictly: a CR must be followed by LF). A line longer than
// max_bulk_bytes is refused once that many bytes have come without its end.
DecodeResult Decoder::ReadLine(std::string_view* line) {
  const size_t available = in_.size() - pos_;
  const char* start = in_.data() + pos_;
  const auto* cr = static_cast<const char*>(std::memchr(start, '\r', LineWindow(available, limits_.max_bulk_bytes)));
  if (cr == nullptr)
    return available > limits_.max_bulk_bytes ? Fail("Protocol error: too big line") : DecodeResult::kNeedMore;
  const size_t length = static_cast<size_t>(cr - start);
  if (length + 1 == available) return DecodeResult::kNeedMore;
  if (cr[1] != '\n') return Fail("Protocol error: expected CRLF");
  *line = std::string_view(start, length);
  pos_ += length + 2;
  return DecodeResult::kValue;
}

DecodeResult Decoder::ReadScalar(char type, std::string_view line, Value* out) {
  switch (type) {
    case '+':
      out->type = Value::Type::kSimple;
      break;
    case '-':
      out->type = Value::Type::kError;
      break;
    case '_':
      if (!line.empty()) return Fail("Protocol error: invalid null");
      out->type = Value::Type::kNull;
      return DecodeResult::kValue;
    case ':':
      if (!ParseSignedInt64(line, &out->integer)) return Fail("Protocol error: invalid integer");
      out->type = Value::Type::kInteger;
      return DecodeResult::kValue;
    case ',':
      if (!ParseDouble(line, &out->number)) return Fail("Protocol error: invalid double");
      out->type = Value::Type::kDouble;
      return DecodeResult::kValue;
    case '#':
      if (line != "t" && line != "f") return Fail("Protocol error: invalid boolean");
      out->type = Value::Type::kBool;
      out->boolean = line == "t";
      return DecodeResult::kValue;
    default:  // '('
      if (!IsBigNumber(line)) return Fail("Protocol error: invalid big number");
      out->type = Value::Type::kBigNumber;
      break;
  }
  out->str.assign(line);
  return DecodeResult::kValue;
}

// $ bulk string, ! blob error, = verbatim string: `line` holds the length.
DecodeResult Decoder::ReadBlob(char type, std::string_view line, Value* out) {
  int64_t length = 0;
  if (!ParseInt64(line, &length)) return Fail("Protocol error: invalid bulk length");
  if (length == -1 && type == '$') {  // RESP2's null bulk string
    out->type = Value::Type::kNull;
    return DecodeResult::kValue;
  }
  if (length < 0 || static_cast<uint64_t>(length) > limits_.max_bulk_bytes)
    return Fail("Protocol error: invalid bulk length");
  const size_t size = static_cast<size_t>(length);
  if (in_.size() - pos_ < size + 2) return DecodeResult::kNeedMore;
  const std::string_view payload = in_.substr(pos_, size);
  if (in_.compare(pos_ + size, 2, "\r\n") != 0) return Fail("Protocol error: expected CRLF");
  pos_ += size + 2;
  if (type == '=') {
    if (size < 4 || payload[3] != ':') return Fail("Protocol error: invalid verbatim string");
    out->type = Value::Type::kVerbatim;
    out->format.assign(payload.substr(0, 3));
    out->str.assign(payload.substr(4));
    return DecodeResult::kValue;
  }
  out->type = type == '$' ? Value::Type::kBulk : Value::Type::kError;
  out->str.assign(payload);
  return DecodeResult::kValue;
}

// * array, % map, ~ set, > push, | attribute: `line` holds the count (of pairs for % and |).
DecodeResult Decoder::ReadAggregate(char type, std::string_view line, size_t depth, Value* out) {
  int64_t count = 0;
  if (!ParseInt64(line, &count)) return Fail("Protocol error: invalid multibulk length");
  if (count == -1 && type == '*') {  // RESP2's null array
    out->type = Value::Type::kNull;
    return DecodeResult::kValue;
  }
  if (count < 0 || static_cast<uint64_t>(count) > limits_.max_args)
    return Fail("Protocol error: invalid multibulk length");
  if (depth >= limits_.max_depth) return Fail("Protocol error: too deeply nested value");
  switch (type) {
    case '*':
      out->type = Value::Type::kArray;
      break;
    case '~':
      out->type = Value::Type::kSet;
      break;
    case '>':
      out->type = Value::Type::kPush;
      break;
    default:
      out->type = Value::Type::kMap;
      break;  // % and |
  }
  const size_t n = static_cast<size_t>(count) * (type == '%' || type == '|' ? 2 : 1);
  // Every element takes at least 3 bytes ("_\r\n"): reserve no more than the bytes here can hold.
  out->elements.reserve(std::min(n, (in_.size() - pos_) / 3));
  for (size_t i = 0; i < n; ++i) {
    out->elements.emplace_back();
    if (const DecodeResult r = ReadValue(depth + 1, &out->elements.back()); r != DecodeResult::kValue) return r;
  }
  return DecodeResult::kValue;
}

}  // namespace

DecodeResult DecodeValue(std::string_view in, const Limits& limits, size_t* consumed, Value* out, std::string* error) {
  Decoder decoder(in, limits, error);
  const DecodeResult r = decoder.ReadValue(0, out);
  *consumed = r == DecodeResult::kValue ? decoder.pos() : 0;
  return r;
}

void AppendValue(ReplyWriter& writer, const Value& value) {
  switch (value.type) {
    case Value::Type::kSimple:
      return writer.Simple(value.str);
    case Value::Type::kError:
      return writer.Error(value.str);
    case Value::Type::kInteger:
      return writer.Integer(value.integer);
    case Value::Type::kBulk:
      return writer.Bulk(value.str);
    case Value::Type::kNull:
      return writer.Null();
    case Value::Type::kDouble:
      return writer.Double(value.number);
    case Value::Type::kBool:
      return writer.Bool(value.boolean);
    case Value::Type::kVerbatim:
      return writer.Verbatim(value.format, value.str);
    case Value::Type::kBigNumber:
      return writer.BigNumber(value.str);
    case Value::Type::kArray:
      writer.Array(value.elements.size());
      break;
    case Value::Type::kMap:
      writer.Map(value.elements.size() / 2);
      break;
    case Value::Type::kSet:
      writer.Set(value.elements.size());
      break;
    case Value::Type::kPush:
      writer.Push(value.elements.size());
      break;
  }
  for (const Value& element : value.elements) AppendValue(writer, element);
}

}  // namespace lyt::resp
