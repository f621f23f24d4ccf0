// The RESP codec (src/protocol/resp.h): requests are parsed as redis-server parses them (same
// commands, same error texts) however the bytes are split, in linear work; replies have Redis's
// exact bytes in RESP2 and RESP3; every RESP2/RESP3 value decodes, with its limits enforced, and
// what the writer writes decodes back.
#include "protocol/resp.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <random>

namespace lyt::resp {
namespace {

using Args = std::vector<std::string>;

// What a connection's parser produced from a byte stream.
struct Outcome {
  std::vector<Args> commands;
  std::string error;      // "" unless the stream hit a protocol error
  size_t unconsumed = 0;  // bytes buffered but not yet part of a command

  bool operator==(const Outcome&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Outcome& o) {
  os << o.commands.size() << " commands [";
  for (const Args& c : o.commands) {
    for (const std::string& a : c) os << '"' << a << "\" ";
    os << "; ";
  }
  return os << "] error \"" << o.error << "\" unconsumed " << o.unconsumed;
}

// Feeds `stream` to a parser as a server does: the bytes arrive in pieces ending at `cuts` (and at
// the end), appended to one buffer from which consumed bytes are erased.
Outcome Feed(std::string_view stream, const std::vector<size_t>& cuts, Limits limits = {}) {
  RequestParser parser(limits);
  Outcome outcome;
  std::string buffer;
  size_t arrived = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(stream.size());
  for (size_t end : ends) {
    buffer.append(stream.substr(arrived, end - arrived));
    arrived = end;
    for (;;) {
      size_t consumed = 0;
      const RequestParser::Result r = parser.Parse(buffer, &consumed);
      EXPECT_LE(consumed, buffer.size());
      if (r == RequestParser::Result::kError) {
        outcome.error = parser.error();
        return outcome;
      }
      if (r == RequestParser::Result::kCommand) {
        outcome.commands.emplace_back(parser.args().begin(), parser.args().end());
      }
      buffer.erase(0, consumed);
      if (r == RequestParser::Result::kNeedMore) break;
    }
  }
  outcome.unconsumed = buffer.size();
  return outcome;
}

Outcome FeedWhole(std::string_view stream, Limits limits = {}) {
  return Feed(stream, {}, limits);
}

std::string ParseError(std::string_view stream, Limits limits = {}) {
  return FeedWhole(stream, limits).error;
}

// A RESP array of bulk strings, as clients send commands.
std::string Command(const Args& args) {
  std::string out;
  ReplyWriter w(out);
  w.Array(args.size());
  for (const std::string& a : args) w.Bulk(a);
  return out;
}

// ---------------------------------------------------------------------------------------------
// RequestParser

TEST(RespRequest, ParsesMultibulkIntoViewsOfTheInput) {
  const std::string in = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n*1\r\n$4\r\nPING\r\n";
  RequestParser parser;
  size_t consumed = 0;
  ASSERT_EQ(parser.Parse(in, &consumed), RequestParser::Result::kCommand);
  EXPECT_EQ(consumed, 31u);
  ASSERT_EQ(parser.args().size(), 3u);
  EXPECT_EQ(parser.args()[0], "SET");
  EXPECT_EQ(parser.args()[2], "hello");
  EXPECT_EQ(parser.args()[2].data(), in.data() + 24);
  ASSERT_EQ(parser.Parse(std::string_view(in).substr(consumed), &consumed), RequestParser::Result::kCommand);
  EXPECT_EQ(consumed, 14u);
  EXPECT_EQ(parser.args(), (std::vector<std::string_view>{"PING"}));
  EXPECT_EQ(parser.Parse("", &consumed), RequestParser::Result::kNeedMore);
  EXPECT_EQ(consumed, 0u);
  EXPECT_TRUE(parser.args().empty());
}

TEST(RespRequest, BulksAreBinarySafe) {
  const std::string payload("a\r\nb\0c$*\n", 9);
  EXPECT_EQ(FeedWhole(Command({"SET", payload, ""})).commands, (std::vector<Args>{{"SET", payload, ""}}));
}

// Redis reads the byte after each count's CR and the 2 bytes after each payload without looking
// at them; so does the parser.
TEST(RespRequest, SkipsTheBytesAfterCountsAndPayloadsUnchecked) {
  EXPECT_EQ(FeedWhole("*2\rX$1\rXaYZ$2\r\nbcQQ").commands, (std::vector<Args>{{"a", "bc"}}));
}

TEST(RespRequest, SkipsEmptyRequests) {
  const std::string empties = "*0\r\n*-1\r\n*-7\r\n\r\n \t \n\n";
  RequestParser parser;
  size_t consumed = 0;
  EXPECT_EQ(parser.Parse(empties, &consumed), RequestParser::Result::kNeedMore);
  EXPECT_EQ(consumed, empties.size());
  const std::string with_command = empties + "PING\r\n";
  EXPECT_EQ(parser.Parse(with_command, &consumed), RequestParser::Result::kCommand);
  EXPECT_EQ(consumed, with_command.size());
  EXPECT_EQ(parser.args(), (std::vector<std::string_view>{"PING"}));
  // An empty request followed by part of one: the empty one is consumed, the rest waits.
  EXPECT_EQ(parser.Parse("*0\r\n*1\r\n$4\r\nPI", &consumed), RequestParser::Result::kNeedMore);
  EXPECT_EQ(consumed, 4u);
  EXPECT_EQ(parser.Parse("*1\r\n$4\r\nPING\r\n", &consumed), RequestParser::Result::kCommand);
  EXPECT_EQ(consumed, 14u);
}

// Every way of splitting a pipelined stream gives the commands the whole stream gives.
TEST(RespRequest, AnySplitGivesTheSameCommands) {
  const std::string stream = Command({"SET", "key", std::string(300, 'v')}) + "*0\r\n" + "PING\r\n" + "\r\n" +
                             "set \"a b\" 'c\\'d' \"\\x41\\n\"\n" + Command({"GET", "key"}) + "*-1\r\n" +
                             Command({"MSET", "a", "1", "b", "22"}) + "*2\r\n$3\r\nGET";
  const Outcome whole = FeedWhole(stream);
  ASSERT_EQ(whole.commands.size(), 5u);
  EXPECT_EQ(whole.commands[2], (Args{"set", "a b", "c'd", "A\n"}));
  EXPECT_EQ(whole.unconsumed, 11u);
  for (size_t cut = 0; cut <= stream.size(); ++cut) EXPECT_EQ(Feed(stream, {cut}), whole) << "cut at " << cut;
  for (size_t piece = 1; piece < 40; ++piece) {
    std::vector<size_t> cuts;
    for (size_t at = piece; at < stream.size(); at += piece) cuts.push_back(at);
    EXPECT_EQ(Feed(stream, cuts), whole) << "pieces of " << piece;
  }
}

TEST(RespRequest, ErrorsAreRedisMessages) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"*abc\r\n", "Protocol error: invalid multibulk length"},
      {"*\r\n", "Protocol error: invalid multibulk length"},
      {"*+1\r\n", "Protocol error: invalid multibulk length"},
      {"*01\r\n", "Protocol error: invalid multibulk length"},
      {"*-0\r\n", "Protocol error: invalid multibulk length"},
      {"* 1\r\n", "Protocol error: invalid multibulk length"},
      {"*1 \r\n", "Protocol error: invalid multibulk length"},
      {"*99999999999999999999\r\n", "Protocol error: invalid multibulk length"},
      {"*100000000000000000000\r\n", "Protocol error: invalid multibulk length"},
      {"*1048577\r\n", "Protocol error: invalid multibulk length"},
      {"*1\r\n$-1\r\n", "Protocol error: invalid bulk length"},
      {"*1\r\n$\r\n", "Protocol error: invalid bulk length"},
      {"*1\r\n$+3\r\n", "Protocol error: invalid bulk length"},
      {"*1\r\n$03\r\n", "Protocol error: invalid bulk length"},
      {"*1\r\n$3 \r\n", "Protocol error: invalid bulk length"},
      {"*1\r\n$9223372036854775808\r\n", "Protocol error: invalid bulk length"},
      {"*1\r\n$536870913\r\n", "Protocol error: invalid bulk length"},
      {"*1\r\nx\r\n", "Protocol error: expected '$', got 'x'"},
      {"*2\r\n$1\r\na\r\n:1\r\n", "Protocol error: expected '$', got ':'"},
      {"*1\r\n\r\n", "Protocol error: expected '$', got '\r'"},
      {"SET \"abc\r\n", "Protocol error: unbalanced quotes in request"},
      {"SET 'abc\n", "Protocol error: unbalanced quotes in request"},
      {"SET \"abc\\\"\n", "Protocol error: unbalanced quotes in request"},
      {"SET \"a\"b\n", "Protocol error: unbalanced quotes in request"},
      {"SET 'a'\"b\"\n", "Protocol error: unbalanced quotes in request"},
      {std::string("SET \"a\0\"\n", 9), "Protocol error: unbalanced quotes in request"},
  };
  for (const auto& [in, message] : cases) EXPECT_EQ(ParseError(in), message) << in;
  // The largest accepted lengths are not errors.
  EXPECT_EQ(FeedWhole("*1048576\r\n$536870912\r\n").error, "");
}

TEST(RespRequest, ErrorIsStickyUntilReset) {
  RequestParser parser;
  size_t consumed = 7;
  EXPECT_EQ(parser.Parse("*x\r\n", &consumed), RequestParser::Result::kError);
  EXPECT_EQ(consumed, 0u);
  EXPECT_EQ(parser.Parse("PING\r\n", &consumed), RequestParser::Result::kError);
  EXPECT_EQ(parser.error(), "Protocol error: invalid multibulk length");
  parser.Reset();
  EXPECT_EQ(parser.error(), "");
  EXPECT_EQ(parser.Parse("PING\r\n", &consumed), RequestParser::Result::kCommand);
}

TEST(RespRequest, LimitsOfCountsAndLengths) {
  Limits limits;
  limits.max_args = 3;
  limits.max_bulk_bytes = 5;
  EXPECT_EQ(FeedWhole(Command({"a", "b", "hello"}), limits).commands.size(), 1u);
  EXPECT_EQ(ParseError(Command({"a", "b", "c", "d"}), limits), "Protocol error: invalid multibulk length");
  EXPECT_EQ(ParseError(Command({"hello!"}), limits), "Protocol error: invalid bulk length");
}

TEST(RespRequest, TooLongLinesAreRefusedAtTheSameByteAsRedis) {
  Limits limits;
  limits.max_inline_bytes = 16;
  const std::string line(16, 'a');
  // An inline line may hold max_inline_bytes bytes before its LF (a CR included).
  EXPECT_EQ(FeedWhole(line + "\n", limits).commands, (std::vector<Args>{{line}}));
  EXPECT_EQ(FeedWhole(line, limits).error, "");
  EXPECT_EQ(ParseError(line + "a", limits), "Protocol error: too big inline request");
  EXPECT_EQ(ParseError(line + "\r\n", limits), "Protocol error: too big inline request");
  EXPECT_EQ(ParseError("*" + line, limits), "Protocol error: too big mbulk count string");
  EXPECT_EQ(FeedWhole("*" + std::string(15, '1'), limits).error, "");
  EXPECT_EQ(ParseError("*1\r\n$" + line, limits), "Protocol error: too big bulk count string");
  EXPECT_EQ(ParseError("*1\r\n$" + std::string(15, '1') + "\r\n", limits), "Protocol error: invalid bulk length");
  // The default is Redis's 64 KB.
  EXPECT_EQ(ParseError(std::string(64 << 10, 'a') + "b"), "Protocol error: too big inline request");
  EXPECT_EQ(FeedWhole(std::string(64 << 10, 'a') + "\n").commands.size(), 1u);
}

TEST(RespRequest, UnauthenticatedLimits) {
  RequestParser parser;
  parser.set_auth_required(true);
  size_t consumed = 0;
  EXPECT_EQ(parser.Parse("*11\r\n", &consumed), RequestParser::Result::kError);
  EXPECT_EQ(parser.error(), "Protocol error: unauthenticated multibulk length");
  parser.Reset();
  EXPECT_EQ(parser.Parse("*10\r\n$16384\r\n", &consumed), RequestParser::Result::kNeedMore);
  parser.Reset();
  EXPECT_EQ(parser.Parse("*1\r\n$16385\r\n", &consumed), RequestParser::Result::kError);
  EXPECT_EQ(parser.error(), "Protocol error: unauthenticated bulk length");
  parser.Reset();
  parser.set_auth_required(false);
  EXPECT_EQ(parser.Parse("*11\r\n$16385\r\n", &consumed), RequestParser::Result::kNeedMore);
}

TEST(RespRequest, InlineArgumentsSplitLikeSdssplitargs) {
  const std::vector<std::pair<std::string, Args>> cases = {
      {"SET k v\r\n", {"SET", "k", "v"}},
      {"  SET \t k   v  \n", {"SET", "k", "v"}},
      {"a\rb\n", {"a", "b"}},
      {"\v\fa\vb c\n", {"a\vb", "c"}},  // \v \f are skipped between arguments only
      {"SET \"a b\" 'c d'\n", {"SET", "a b", "c d"}},
      {"\"\\n\\r\\t\\b\\a\\\\\\\"\\q\"\n", {"\n\r\t\b\a\\\"q"}},
      {"\"\\x41\\x7a\\x4\\xZZ\"\n", {"Azx4xZZ"}},
      {"'it\\'s' 'a\\nb' 'a\\b'\n", {"it's", "a\\nb", "a\\b"}},
      {"GET \"\" ''\n", {"GET", "", ""}},
      {"ab\"c d\" x\n", {"abc d", "x"}},
      {"\"a\"\tb\n", {"a", "b"}},
      {"\"a\"\vb\n", {"a", "b"}},
      {std::string("GET k\0junk\"\n", 12), {"GET", "k"}},
  };
  for (const auto& [line, args] : cases) {
    const Outcome o = FeedWhole(line);
    EXPECT_EQ(o.error, "") << line;
    EXPECT_EQ(o.commands, (std::vector<Args>{args})) << line;
  }
}

TEST(RespRequest, InlineArgumentsViewTheInputUnlessUnquoted) {
  const std::string in = "SET k \"v w\" plain\r\n";
  RequestParser parser;
  size_t consumed = 0;
  ASSERT_EQ(parser.Parse(in, &consumed), RequestParser::Result::kCommand);
  ASSERT_EQ(parser.args().size(), 4u);
  EXPECT_EQ(parser.args()[1].data(), in.data() + 4);
  EXPECT_EQ(parser.args()[3].data(), in.data() + 12);
  const char* quoted = parser.args()[2].data();
  EXPECT_TRUE(quoted < in.data() || quoted >= in.data() + in.size());
  EXPECT_EQ(parser.args()[2], "v w");
}

// A request that arrives in many pieces is examined once, not once per piece.
TEST(RespRequest, PiecewiseRequestsCostLinearWork) {
  const size_t n = 1u << 20;
  std::string stream = "*" + std::to_string(n) + "\r\n";
  for (size_t i = 0; i < n; ++i) stream += "$1\r\nx\r\n";
  RequestParser parser;
  std::string buffer;
  size_t consumed = 0;
  RequestParser::Result r = RequestParser::Result::kNeedMore;
  for (size_t at = 0; at < stream.size(); at += 4093) {
    buffer.append(stream, at, 4093);
    r = parser.Parse(buffer, &consumed);
  }
  ASSERT_EQ(r, RequestParser::Result::kCommand);
  EXPECT_EQ(consumed, stream.size());
  EXPECT_EQ(parser.args().size(), n);
  EXPECT_LE(parser.bytes_examined(), stream.size());

  // A 16 MB bulk in 4 KB pieces: its payload is not examined at all.
  RequestParser big;
  const size_t size = 16u << 20;
  buffer = "*2\r\n$3\r\nSET\r\n$" + std::to_string(size) + "\r\n";
  const size_t header = buffer.size();
  ASSERT_EQ(big.Parse(buffer, &consumed), RequestParser::Result::kNeedMore);
  EXPECT_EQ(big.bytes_hint(), header + size + 2);
  const uint64_t examined = big.bytes_examined();
  while (buffer.size() < header + size) {
    buffer.append(4096, 'v');
    ASSERT_EQ(big.Parse(buffer, &consumed), RequestParser::Result::kNeedMore);
  }
  buffer.append("\r\n");
  ASSERT_EQ(big.Parse(buffer, &consumed), RequestParser::Result::kCommand);
  EXPECT_EQ(big.args()[1].size(), size);
  EXPECT_EQ(big.bytes_examined(), examined);

  // An inline line and a count line arriving byte by byte.
  RequestParser slow;
  buffer.clear();
  for (size_t i = 0; i < 60000; ++i) {
    buffer.push_back('a');
    ASSERT_EQ(slow.Parse(buffer, &consumed), RequestParser::Result::kNeedMore);
  }
  buffer.push_back('\n');
  ASSERT_EQ(slow.Parse(buffer, &consumed), RequestParser::Result::kCommand);
  EXPECT_LE(slow.bytes_examined(), 2 * buffer.size());
  buffer = "*1\r\n";
  for (size_t i = 0; i < 65536; ++i) {
    buffer.push_back('$');
    ASSERT_EQ(slow.Parse(buffer, &consumed), RequestParser::Result::kNeedMore);
  }
  buffer.push_back('$');
  ASSERT_EQ(slow.Parse(buffer, &consumed), RequestParser::Result::kError);
  EXPECT_EQ(slow.error(), "Protocol error: too big bulk count string");
  EXPECT_LE(slow.bytes_examined(), 2 * (60001 + buffer.size()));
}

TEST(RespRequest, BytesHintCountsFromTheRequestsStart) {
  RequestParser parser;
  size_t consumed = 0;
  EXPECT_EQ(parser.Parse("*2\r\n$3\r\nGET\r\n$", &consumed), RequestParser::Result::kNeedMore);
  EXPECT_EQ(parser.bytes_hint(), 0u);
  // After skipped empty requests the hint counts from the request after them.
  RequestParser fresh;
  EXPECT_EQ(fresh.Parse("*0\r\n*2\r\n$3\r\nGET\r\n$100\r\nab", &consumed), RequestParser::Result::kNeedMore);
  EXPECT_EQ(consumed, 4u);
  EXPECT_EQ(fresh.bytes_hint(), 13u + 6u + 100u + 2u);
}

// ---------------------------------------------------------------------------------------------
// ReplyWriter

std::string Write(Protocol protocol, const std::function<void(ReplyWriter&)>& fn) {
  std::string out;
  ReplyWriter w(out, protocol);
  fn(w);
  return out;
}

TEST(RespReply, EveryMethodInBothProtocols) {
  struct Case {
    std::function<void(ReplyWriter&)> write;
    std::string resp2;
    std::string resp3;
  };
  const std::vector<Case> cases = {
      {[](ReplyWriter& w) { w.Ok(); }, "+OK\r\n", "+OK\r\n"},
      {[](ReplyWriter& w) { w.Simple("PONG"); }, "+PONG\r\n", "+PONG\r\n"},
      {[](ReplyWriter& w) { w.Simple("a\r\nb\nc"); }, "+a  b c\r\n", "+a  b c\r\n"},
      {[](ReplyWriter& w) { w.Error("ERR bad\r\nthing"); }, "-ERR bad  thing\r\n", "-ERR bad  thing\r\n"},
      {[](ReplyWriter& w) { w.Error("WRONGTYPE Operation"); }, "-WRONGTYPE Operation\r\n", "-WRONGTYPE Operation\r\n"},
      {[](ReplyWriter& w) { w.Integer(0); }, ":0\r\n", ":0\r\n"},
      {[](ReplyWriter& w) { w.Integer(INT64_MIN); }, ":-9223372036854775808\r\n", ":-9223372036854775808\r\n"},
      {[](ReplyWriter& w) { w.Bulk(""); }, "$0\r\n\r\n", "$0\r\n\r\n"},
      {[](ReplyWriter& w) { w.Bulk("a\r\nb"); }, "$4\r\na\r\nb\r\n", "$4\r\na\r\nb\r\n"},
      {[](ReplyWriter& w) { w.Null(); }, "$-1\r\n", "_\r\n"},
      {[](ReplyWriter& w) { w.NullArray(); }, "*-1\r\n", "_\r\n"},
      {[](ReplyWriter& w) { w.Array(0); }, "*0\r\n", "*0\r\n"},
      {[](ReplyWriter& w) { w.Array(12); }, "*12\r\n", "*12\r\n"},
      {[](ReplyWriter& w) { w.Map(3); }, "*6\r\n", "%3\r\n"},
      {[](ReplyWriter& w) { w.Set(2); }, "*2\r\n", "~2\r\n"},
      {[](ReplyWriter& w) { w.Push(3); }, "*3\r\n", ">3\r\n"},
      {[](ReplyWriter& w) { w.Double(1.5); }, "$3\r\n1.5\r\n", ",1.5\r\n"},
      {[](ReplyWriter& w) { w.Double(-INFINITY); }, "$4\r\n-inf\r\n", ",-inf\r\n"},
      {[](ReplyWriter& w) { w.Double(1e300); }, "$6\r\n1e+300\r\n", ",1e+300\r\n"},
      {[](ReplyWriter& w) { w.Bool(true); }, ":1\r\n", "#t\r\n"},
      {[](ReplyWriter& w) { w.Bool(false); }, ":0\r\n", "#f\r\n"},
      {[](ReplyWriter& w) { w.Verbatim("txt", "Some string"); }, "$11\r\nSome string\r\n",
       "=15\r\ntxt:Some string\r\n"},
      {[](ReplyWriter& w) { w.Verbatim("markdown", "x"); }, "$1\r\nx\r\n", "=5\r\nmar:x\r\n"},
      {[](ReplyWriter& w) { w.Verbatim("", "x"); }, "$1\r\nx\r\n", "=5\r\n   :x\r\n"},
      {[](ReplyWriter& w) { w.BigNumber("-3492890328409238509324850943850943825024385"); },
       "$44\r\n-3492890328409238509324850943850943825024385\r\n", "(-3492890328409238509324850943850943825024385\r\n"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Write(Protocol::kResp2, c.write), c.resp2);
    EXPECT_EQ(Write(Protocol::kResp3, c.write), c.resp3);
  }
}

TEST(RespReply, AppendsAndSwitchesProtocol) {
  std::string out = "x";
  ReplyWriter w(out);
  EXPECT_EQ(w.protocol(), Protocol::kResp2);
  w.Null();
  w.set_protocol(Protocol::kResp3);
  EXPECT_EQ(w.protocol(), Protocol::kResp3);
  w.Null();
  EXPECT_EQ(&w.out(), &out);
  EXPECT_EQ(out, "x$-1\r\n_\r\n");
}

// ---------------------------------------------------------------------------------------------
// FormatDouble

TEST(RespDouble, RedisText) {
  const std::vector<std::pair<double, std::string>> cases = {
      {1.5, "1.5"},
      {3, "3"},
      {-0.25, "-0.25"},
      {0.1, "0.1"},
      {0, "0"},
      {-0.0, "-0"},
      {INFINITY, "inf"},
      {-INFINITY, "-inf"},
      {NAN, "nan"},
      {-NAN, "nan"},
      {1e300, "1e+300"},
      {1e17, "100000000000000000"},  // integral within 2^62: printed as the integer
      {0x1p62, "4611686018427387904"},
      {-0x1p62, "-4611686018427387904"},
      {5e18, "5e+18"},  // beyond 2^62: the shortest digits, laid out
      {1.25e19, "1.25e+19"},
      {1.2345678901234568e21, "1234567890123456800000"},  // up to 7 zeros after the digits stay plain
      {-4.3262640180030193e23, "-432626401800301930000000"},
      {4.3262640180030195e24, "4.3262640180030195e+24"},
      {1e22, "1e+22"},
      {0.0001, "0.0001"},
      {0.000001, "0.000001"},
      {1.5e-6, "1.5e-6"},  // 7 digits after the point and an exponent beyond +-3: scientific
      {1e-7, "1e-7"},
      {1.5e-7, "1.5e-7"},
      {0.1234567, "0.1234567"},
      {1234567.1234567, "1.2345671234567e+6"},           // the same rule
      {0.0012345678901234567, "0.0012345678901234567"},  // many digits, exponent -3: plain
      {123456.7891, "123456.7891"},
      {10000000.5, "10000000.5"},
      {3.14159, "3.14159"},
      {-1.7976931348623157e308, "-1.7976931348623157e+308"},
      {5e-324, "5e-324"},
      {2.2250738585072014e-308, "2.2250738585072014e-308"},
      {1e105, "1e+105"},
      {0.30000000000000004, "0.30000000000000004"},
  };
  for (const auto& [v, text] : cases) EXPECT_EQ(FormatDouble(v), text) << text;
}

TEST(RespDouble, ReadsBackExactly) {
  std::mt19937_64 random(42);
  for (int i = 0; i < 200000; ++i) {
    const uint64_t bits = random();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    if (std::isnan(v)) continue;
    const std::string text = FormatDouble(v);
    double back = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), back);
    ASSERT_TRUE(ec == std::errc() && end == text.data() + text.size()) << text;
    ASSERT_EQ(std::memcmp(&back, &v, sizeof v), 0) << text;
    ASSERT_LE(text.size(), 25u) << text;
  }
}

// ---------------------------------------------------------------------------------------------
// DecodeValue

Value Scalar(Value::Type type, std::string str = "") {
  Value v;
  v.type = type;
  v.str = std::move(str);
  return v;
}

Value Integer(int64_t n) {
  Value v;
  v.type = Value::Type::kInteger;
  v.integer = n;
  return v;
}

Value Aggregate(Value::Type type, std::vector<Value> elements) {
  Value v;
  v.type = type;
  v.elements = std::move(elements);
  return v;
}

struct Decoded {
  DecodeResult result;
  size_t consumed = 0;
  Value value;
  std::string error;
};

Decoded Decode(std::string_view in, Limits limits = {}) {
  Decoded d;
  d.result = DecodeValue(in, limits, &d.consumed, &d.value, &d.error);
  return d;
}

// `in` followed by more bytes decodes to `expected`, and every proper prefix needs more.
void ExpectDecodes(const std::string& in, const Value& expected) {
  const Decoded d = Decode(in + "+next\r\n");
  ASSERT_EQ(d.result, DecodeResult::kValue) << in << ": " << d.error;
  EXPECT_EQ(d.consumed, in.size()) << in;
  EXPECT_EQ(d.value, expected) << in;
  for (size_t n = 0; n < in.size(); ++n) {
    EXPECT_EQ(Decode(std::string_view(in).substr(0, n)).result, DecodeResult::kNeedMore) << in << " cut at " << n;
  }
}

TEST(RespDecode, EveryType) {
  ExpectDecodes("+OK\r\n", Scalar(Value::Type::kSimple, "OK"));
  ExpectDecodes("+\r\n", Scalar(Value::Type::kSimple, ""));
  ExpectDecodes("-ERR no\r\n", Scalar(Value::Type::kError, "ERR no"));
  ExpectDecodes("!9\r\nERR\r\nbad!\r\n", Scalar(Value::Type::kError, "ERR\r\nbad!"));
  ExpectDecodes(":-42\r\n", Integer(-42));
  ExpectDecodes(":+7\r\n", Integer(7));
  ExpectDecodes(":9223372036854775807\r\n", Integer(INT64_MAX));
  ExpectDecodes("$5\r\nhe\r\no\r\n", Scalar(Value::Type::kBulk, "he\r\no"));
  ExpectDecodes("$0\r\n\r\n", Scalar(Value::Type::kBulk, ""));
  ExpectDecodes("$-1\r\n", Scalar(Value::Type::kNull));
  ExpectDecodes("*-1\r\n", Scalar(Value::Type::kNull));
  ExpectDecodes("_\r\n", Scalar(Value::Type::kNull));
  Value b = Scalar(Value::Type::kBool);
  b.boolean = true;
  ExpectDecodes("#t\r\n", b);
  b.boolean = false;
  ExpectDecodes("#f\r\n", b);
  Value d = Scalar(Value::Type::kDouble);
  for (const auto& [text, number] : std::vector<std::pair<std::string, double>>{
           {"1.5", 1.5}, {"-2", -2}, {"+3e2", 300}, {"1e+300", 1e300}, {"inf", INFINITY}, {"-inf", -INFINITY}}) {
    d.number = number;
    ExpectDecodes("," + text + "\r\n", d);
  }
  const Decoded nan = Decode(",nan\r\n");
  EXPECT_EQ(nan.value.type, Value::Type::kDouble);
  EXPECT_TRUE(std::isnan(nan.value.number));
  Value verbatim = Scalar(Value::Type::kVerbatim, "Some string");
  verbatim.format = "txt";
  ExpectDecodes("=15\r\ntxt:Some string\r\n", verbatim);
  ExpectDecodes("(-3492890328409238509324850943850943825024385\r\n",
                Scalar(Value::Type::kBigNumber, "-3492890328409238509324850943850943825024385"));
  ExpectDecodes("*2\r\n:1\r\n$1\r\na\r\n",
                Aggregate(Value::Type::kArray, {Integer(1), Scalar(Value::Type::kBulk, "a")}));
  ExpectDecodes("*0\r\n", Aggregate(Value::Type::kArray, {}));
  ExpectDecodes("%1\r\n+k\r\n:2\r\n", Aggregate(Value::Type::kMap, {Scalar(Value::Type::kSimple, "k"), Integer(2)}));
  ExpectDecodes("~2\r\n:1\r\n:2\r\n", Aggregate(Value::Type::kSet, {Integer(1), Integer(2)}));
  ExpectDecodes(">2\r\n+message\r\n_\r\n",
                Aggregate(Value::Type::kPush, {Scalar(Value::Type::kSimple, "message"), Scalar(Value::Type::kNull)}));
  ExpectDecodes("*2\r\n*1\r\n%0\r\n~1\r\n*-1\r\n",
                Aggregate(Value::Type::kArray, {Aggregate(Value::Type::kArray, {Aggregate(Value::Type::kMap, {})}),
                                                Aggregate(Value::Type::kSet, {Scalar(Value::Type::kNull)})}));
  // An attribute is read and dropped; the value after it is the value.
  ExpectDecodes("|1\r\n+ttl\r\n:3600\r\n*1\r\n|0\r\n:5\r\n", Aggregate(Value::Type::kArray, {Integer(5)}));
}

TEST(RespDecode, MalformedValues) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"x\r\n", "Protocol error: unexpected type byte 'x'"},
      {std::string("\0\r\n", 3), std::string("Protocol error: unexpected type byte '") + '\0' + "'"},
      {"+a\rb\r\n", "Protocol error: expected CRLF"},
      {"$3\r\nabcde", "Protocol error: expected CRLF"},
      {"$-2\r\n", "Protocol error: invalid bulk length"},
      {"$03\r\nabc\r\n", "Protocol error: invalid bulk length"},
      {"!-1\r\n", "Protocol error: invalid bulk length"},
      {"=3\r\ntxt\r\n", "Protocol error: invalid verbatim string"},
      {"=5\r\ntxt-x\r\n", "Protocol error: invalid verbatim string"},
      {"*-2\r\n", "Protocol error: invalid multibulk length"},
      {"%-1\r\n", "Protocol error: invalid multibulk length"},
      {"*?\r\n", "Protocol error: invalid multibulk length"},
      {"$?\r\n", "Protocol error: invalid bulk length"},
      {":\r\n", "Protocol error: invalid integer"},
      {":1.5\r\n", "Protocol error: invalid integer"},
      {":9223372036854775808\r\n", "Protocol error: invalid integer"},
      {":+-1\r\n", "Protocol error: invalid integer"},
      {",\r\n", "Protocol error: invalid double"},
      {",1.5x\r\n", "Protocol error: invalid double"},
      {",+-1\r\n", "Protocol error: invalid double"},
      {"#x\r\n", "Protocol error: invalid boolean"},
      {"#true\r\n", "Protocol error: invalid boolean"},
      {"_x\r\n", "Protocol error: invalid null"},
      {"(\r\n", "Protocol error: invalid big number"},
      {"(12a\r\n", "Protocol error: invalid big number"},
      {"*2\r\n:1\r\n:x\r\n", "Protocol error: invalid integer"},
  };
  for (const auto& [in, message] : cases) {
    const Decoded d = Decode(in);
    EXPECT_EQ(d.result, DecodeResult::kError) << in;
    EXPECT_EQ(d.error, message) << in;
  }
}

TEST(RespDecode, LimitsBoundDepthSizesAndCounts) {
  Limits limits;
  limits.max_depth = 4;
  limits.max_bulk_bytes = 8;
  limits.max_args = 3;
  std::string nested;
  for (int i = 0; i < 4; ++i) nested += "*1\r\n";
  EXPECT_EQ(Decode(nested + ":1\r\n", limits).result, DecodeResult::kValue);
  EXPECT_EQ(Decode(nested + "*0\r\n", limits).error, "Protocol error: too deeply nested value");
  EXPECT_EQ(Decode(nested + "|0\r\n:1\r\n", limits).error, "Protocol error: too deeply nested value");
  EXPECT_EQ(Decode("$8\r\n12345678\r\n", limits).result, DecodeResult::kValue);
  EXPECT_EQ(Decode("$9\r\n", limits).error, "Protocol error: invalid bulk length");
  EXPECT_EQ(Decode("=9\r\n", limits).error, "Protocol error: invalid bulk length");
  EXPECT_EQ(Decode("+12345678\r\n", limits).result, DecodeResult::kValue);
  EXPECT_EQ(Decode("+12345678", limits).result, DecodeResult::kNeedMore);
  EXPECT_EQ(Decode("+123456789", limits).error, "Protocol error: too big line");
  EXPECT_EQ(Decode("*3\r\n", limits).result, DecodeResult::kNeedMore);
  EXPECT_EQ(Decode("*4\r\n", limits).error, "Protocol error: invalid multibulk length");
  EXPECT_EQ(Decode("%4\r\n", limits).error, "Protocol error: invalid multibulk length");
  // The default depth: 32 nested aggregates, not 33; recursion stops there.
  std::string deep;
  for (int i = 0; i < 32; ++i) deep += "*1\r\n";
  EXPECT_EQ(Decode(deep + "_\r\n").result, DecodeResult::kValue);
  EXPECT_EQ(Decode(deep + "*1\r\n_\r\n").result, DecodeResult::kError);
  // A huge announced count with few bytes behind it just needs more.
  EXPECT_EQ(Decode("*1048576\r\n:1\r\n").result, DecodeResult::kNeedMore);
}

// What the writer writes decodes to the values it meant, in RESP3; in RESP2 to their RESP2 forms.
TEST(RespDecode, RoundTripThroughTheWriter) {
  const auto write = [](ReplyWriter& w) {
    w.Array(10);
    w.Map(1);
    w.Bulk("key");
    w.Set(2);
    w.Integer(-1);
    w.Double(0.5);
    w.Null();
    w.NullArray();
    w.Bool(true);
    w.Verbatim("mkd", "# hi");
    w.BigNumber("123456789012345678901234567890");
    w.Push(1);
    w.Simple("s");
    w.Error("ERR e");
    w.Ok();
  };
  Value half = Scalar(Value::Type::kDouble);
  half.number = 0.5;
  Value yes = Scalar(Value::Type::kBool);
  yes.boolean = true;
  Value verbatim = Scalar(Value::Type::kVerbatim, "# hi");
  verbatim.format = "mkd";
  const Value resp3 =
      Aggregate(Value::Type::kArray,
                {Aggregate(Value::Type::kMap,
                           {Scalar(Value::Type::kBulk, "key"), Aggregate(Value::Type::kSet, {Integer(-1), half})}),
                 Scalar(Value::Type::kNull), Scalar(Value::Type::kNull), yes, verbatim,
                 Scalar(Value::Type::kBigNumber, "123456789012345678901234567890"),
                 Aggregate(Value::Type::kPush, {Scalar(Value::Type::kSimple, "s")}),
                 Scalar(Value::Type::kError, "ERR e"), Scalar(Value::Type::kSimple, "OK"), Scalar(Value::Type::kNull)});
  std::string bytes = Write(Protocol::kResp3, write) + "_\r\n";
  Decoded d = Decode(bytes);
  ASSERT_EQ(d.result, DecodeResult::kValue) << d.error;
  EXPECT_EQ(d.consumed, bytes.size());
  EXPECT_EQ(d.value, resp3);
  std::string again;
  ReplyWriter w3(again, Protocol::kResp3);
  AppendValue(w3, d.value);
  EXPECT_EQ(again, bytes);

  const Value resp2 =
      Aggregate(Value::Type::kArray,
                {Aggregate(Value::Type::kArray,
                           {Scalar(Value::Type::kBulk, "key"),
                            Aggregate(Value::Type::kArray, {Integer(-1), Scalar(Value::Type::kBulk, "0.5")})}),
                 Scalar(Value::Type::kNull), Scalar(Value::Type::kNull), Integer(1), Scalar(Value::Type::kBulk, "# hi"),
                 Scalar(Value::Type::kBulk, "123456789012345678901234567890"),
                 Aggregate(Value::Type::kArray, {Scalar(Value::Type::kSimple, "s")}),
                 Scalar(Value::Type::kError, "ERR e"), Scalar(Value::Type::kSimple, "OK"), Integer(7)});
  bytes = Write(Protocol::kResp2, write) + ":7\r\n";
  d = Decode(bytes);
  ASSERT_EQ(d.result, DecodeResult::kValue) << d.error;
  EXPECT_EQ(d.value, resp2);
}

}  // namespace
}  // namespace lyt::resp
