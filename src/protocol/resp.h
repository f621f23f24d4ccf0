// RESP, the Redis serialization protocol, versions 2 and 3, as LytDB's Redis front end speaks it.
//
// Requests (RequestParser) are read exactly as redis-server's networking.c reads them, so that a
// client sees the same acceptance and the same error texts:
//   multibulk  '*' count CR LF, then count times: '$' length CR LF, length bytes, 2 bytes.
//              The byte after each CR and the 2 bytes after each payload are skipped unchecked, as
//              Redis does. A count <= 0 is an empty request and is skipped.
//   inline     any request not starting with '*': one line up to LF (a CR before the LF is
//              dropped), split into arguments like sdssplitargs/redis-cli (see RequestParser).
//   numbers    counts and lengths are Redis's string2ll: an optional '-', then "0" or a digit
//              1-9 and more digits, at most 20 characters, within int64. No '+', no spaces, no
//              leading zeros, not empty. (Redis's strchr also stops at a NUL byte and waits for
//              more; here a NUL is an invalid digit like any other.)
// Replies (ReplyWriter) are written as Redis 7.2 writes them, RESP3 types taking their RESP2
// forms under RESP2. DecodeValue reads any RESP2/RESP3 value, for clients, tests and the fuzzer.
//
// Nothing here allocates in proportion to a length read from the wire before the bytes it
// announces have arrived, and every count, length and depth is checked against Limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lyt::resp {

struct Limits {
  size_t max_bulk_bytes = 512u << 20;   // one bulk string (Redis proto-max-bulk-len)
  size_t max_args = 1u << 20;           // elements of one request array / one aggregate value
  size_t max_inline_bytes = 64u << 10;  // an inline line, or a count line (PROTO_INLINE_MAX_SIZE)
  size_t max_depth = 32;                // nesting of aggregate values (DecodeValue only)
};

// Incremental parser of one connection's requests. Not thread-safe; one per connection.
//
// Inline splitting (sdssplitargs): the line ends at its first NUL byte; arguments are separated by
// spaces (' ', \t, \n, \r, \v, \f between arguments; only ' ', \t, \n, \r end an unquoted one). A
// "..." part takes the escapes \n \r \t \b \a \xHH (two hex digits) and \<any byte> for that
// byte; a '...' part takes only \' . An unquoted start joins the quoted part after it (a"b c" is
// "ab c"), but a closing quote must be followed by a blank or the end of the line ("a"b fails).
class RequestParser {
 public:
  enum class Result { kNeedMore, kCommand, kError };

  explicit RequestParser(Limits limits = {});

  // Parses the request at the start of `in`. Between calls that return kNeedMore, `in` must start
  // at the same request and hold at least the bytes it held before (the caller's buffer grows at
  // its end; it may move): the parser keeps offsets, never pointers, and resumes where it stopped,
  // so a request arriving in many pieces costs time linear in its size.
  // *consumed is always set:
  //   kCommand  *consumed = the bytes up to the end of this request. args() views into `in`, or
  //             into storage of the parser for inline arguments that were unquoted/unescaped; they
  //             stay valid until the next Parse or Reset (and `in` stays unchanged until then).
  //   kNeedMore *consumed = bytes of empty requests skipped (blank inline lines, "*0\r\n",
  //             "*-1\r\n": Redis ignores them); the caller drops them, and the next call's `in`
  //             starts after them. Empty requests before a command are included in its *consumed.
  //   kError    error() holds Redis's message without "-ERR ", e.g. "Protocol error: invalid bulk
  //             length"; the server replies "-ERR " + error() and closes the connection. Every
  //             later Parse returns kError until Reset.
  // Whether a request is a command, an error or incomplete depends only on its bytes, never on
  // how they were split across calls.
  Result Parse(std::string_view in, size_t* consumed);

  const std::vector<std::string_view>& args() const { return args_; }
  const std::string& error() const { return error_; }

  // After kNeedMore: a lower bound on the bytes the current request needs (counted from the start
  // of the next call's `in`) when a bulk's length is known, so that the caller can reserve for a
  // large bulk; 0 when nothing is known beyond the next byte.
  size_t bytes_hint() const;

  // Redis's limits for a connection that has not authenticated yet: while set, a request of more
  // than 10 elements or a bulk of more than 16384 bytes fails with "Protocol error: unauthenticated
  // multibulk length" / "... bulk length".
  void set_auth_required(bool required) { auth_required_ = required; }

  // Bytes the parser has examined since construction, for tests of linear behaviour (a bulk's
  // payload is skipped by its length and not examined).
  uint64_t bytes_examined() const { return bytes_examined_; }

  // Forgets any partial request and a sticky error; the next Parse starts a new request.
  void Reset();

 private:
  enum class Stage : uint8_t { kStart, kCount, kBulkLength, kBulkData, kInline, kFailed };
  enum class Step : uint8_t { kNeedMore, kDone, kEmpty, kError };
  struct Span {
    size_t offset;
    size_t length;
  };

  void StartRequest();
  Step ParseMultibulk(std::string_view in, size_t* end);
  Step ParseCount(std::string_view in, size_t* end);
  Step ParseBulkLength(std::string_view in, size_t line_start, size_t* payload, size_t* length);
  Step ParseInline(std::string_view in, size_t* end);
  bool SplitInline(std::string_view line);
  bool SplitQuoted(std::string_view line, size_t* i);
  Step FindLineEnd(std::string_view in, size_t line_start, char end_byte, const char* too_big, size_t* at);
  Step ReadNumberLine(std::string_view in, size_t line_start, const char* too_big, size_t* cr, int64_t* value,
                      bool* valid);
  Step Fail(std::string message);

  Limits limits_;
  bool auth_required_ = false;
  Stage stage_ = Stage::kStart;
  size_t pos_ = 0;        // offset in the request of the next line or payload to read
  size_t scan_ = 0;       // where the search for a line's end resumes; never past the current line's end
  size_t remaining_ = 0;  // bulks still to read
  size_t bulk_length_ = 0;
  uint64_t bytes_examined_ = 0;
  std::vector<Span> spans_;  // the bulks read so far, as offsets into the request
  std::vector<std::string_view> args_;
  std::string owned_;  // unquoted inline arguments; reserved to the line's size so views stay put
  std::string error_;
};

enum class Protocol : uint8_t { kResp2 = 2, kResp3 = 3 };

// Appends replies to a string. RESP3 types degrade under RESP2 exactly as Redis does: map -> flat
// array of 2n, set and push -> array, null -> $-1 (Null) or *-1 (NullArray), double, verbatim and
// big number -> bulk string, bool -> :1 / :0. An aggregate's header is followed by its elements,
// written by the caller. Simple and Error replace CR and LF with spaces, so a reply is always one
// well-formed value.
class ReplyWriter {
 public:
  explicit ReplyWriter(std::string& out, Protocol protocol = Protocol::kResp2) : out_(&out), protocol_(protocol) {}

  Protocol protocol() const { return protocol_; }
  void set_protocol(Protocol protocol) { protocol_ = protocol; }
  std::string& out() { return *out_; }

  void Ok();                        // +OK
  void Simple(std::string_view s);  // +s
  void Error(std::string_view s);   // -s; s carries its code: "ERR ...", "WRONGTYPE ...", "NOPERM ..."
  void Integer(int64_t v);
  void Bulk(std::string_view s);
  void Null();       // RESP2 $-1, RESP3 _
  void NullArray();  // RESP2 *-1, RESP3 _
  void Array(size_t n);
  void Map(size_t pairs);
  void Set(size_t n);
  void Push(size_t n);
  void Double(double v);  // FormatDouble's text
  void Bool(bool b);
  // `format3` is the 3-byte format, "txt" or "mkd" (other sizes are cut or padded with spaces).
  void Verbatim(std::string_view format3, std::string_view text);
  void BigNumber(std::string_view digits);

 private:
  void Header(char type, uint64_t n);
  void Line(char type, std::string_view s);

  std::string* out_;
  Protocol protocol_;
};

// The text Redis 7.2 gives a double (its d2string): "nan", "inf", "-inf", "0", "-0"; an integral
// value within +-2^62 as the integer ("3", "100000000000000000"); otherwise the shortest digits
// that read back to the same double, laid out as Redis's fpconv_dtoa lays out its digits: plainly
// when that takes at most 7 zeros after the digits, at most 6 digits after the point, or a decimal
// exponent within +-3 ("1.5", "-0.25", "0.000001", "1234567890123456800000", "0.0012345678901234567"),
// otherwise as d.ddde+X / d.ddde-X without padding ("1e+300", "1e-7", "1.5e-6", "5e+18"). Grisu2,
// which Redis uses, rarely gives a longer digit string than the shortest; we always give the shortest.
std::string FormatDouble(double v);

// A decoded RESP2/RESP3 value.
struct Value {
  enum class Type : uint8_t {
    kSimple,     // +str
    kError,      // -str or !len blob error
    kInteger,    // :integer
    kBulk,       // $len str
    kNull,       // _ , $-1 or *-1
    kArray,      // *n elements
    kMap,        // %n elements key, value, key, value
    kSet,        // ~n elements
    kPush,       // >n elements
    kDouble,     // ,number
    kBool,       // #t / #f boolean
    kVerbatim,   // =len format:str
    kBigNumber,  // (str (the digits, with their sign)
  };
  Type type = Type::kNull;
  std::string str;
  std::string format;  // kVerbatim: the 3-byte format
  int64_t integer = 0;
  double number = 0;
  bool boolean = false;
  std::vector<Value> elements;

  bool operator==(const Value&) const = default;
};

enum class DecodeResult { kNeedMore, kValue, kError };

// Decodes one whole value at the start of `in`. kValue: *out is the value, *consumed its bytes.
// kNeedMore: the value is not complete in `in` and no error was found in it. kError: *error says why; the rest
// of the stream cannot be trusted. A RESP3 attribute (|n) before a value is read and dropped, as
// the spec lets clients do; its bytes are part of *consumed. Streamed strings and aggregates
// ($? *?) are not supported (Redis never sends them). Bounded by `limits`: bulk and line sizes by
// max_bulk_bytes, element counts by max_args, nesting (and recursion) by max_depth. Stateless: an
// incomplete value is decoded again from its start on the next call, so a client should call it
// again only after more bytes arrive.
DecodeResult DecodeValue(std::string_view in, const Limits& limits, size_t* consumed, Value* out, std::string* error);

// Writes `value` with `writer` (in the writer's protocol): kError as Error, kNull as Null, and so
// on; a map's elements are its keys and values in turn. Encoding a decoded value and decoding it again gives the same
// encoding (simple strings and errors lose CR/LF, a blob error becomes a simple one).
void AppendValue(ReplyWriter& writer, const Value& value);

}  // namespace lyt::resp
