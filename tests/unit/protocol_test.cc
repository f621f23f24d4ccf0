// The lyt protocol's codecs (src/protocol, docs/protocol.md): every message survives a round
// trip; framing works however the bytes are split; and every malformed input (cut short, bytes
// left over, oversized or unknown frames, impossible counts, bad values) is a 08P01 error.
#include <gtest/gtest.h>

#include <functional>

#include "common/error.h"
#include "protocol/frame.h"
#include "protocol/messages.h"

namespace lyt::protocol {
namespace {

// Runs fn and returns the SQLSTATE of the Error it throws ("" when it throws none).
std::string ErrorState(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.sqlstate();
  }
  return "";
}

// A message survives a round trip, and every strict prefix of its payload, or the payload with a
// byte added, is rejected as a protocol violation.
template <class M>
void ExpectRoundTrip(const M& message) {
  std::string payload = EncodePayload(message);
  EXPECT_EQ(DecodePayload<M>(payload), message);
  for (size_t n = 0; n < payload.size(); ++n) {
    EXPECT_EQ(ErrorState([&] { DecodePayload<M>(std::string_view(payload).substr(0, n)); }), sqlstate::kProtocolViolation)
        << "prefix of " << n << " bytes of " << payload.size();
  }
  EXPECT_EQ(ErrorState([&] { DecodePayload<M>(payload + "x"); }), sqlstate::kProtocolViolation);
}

TEST(ProtocolMessages, RoundTripAndRejectTruncation) {
  ExpectRoundTrip(HelloMessage{1, 0, {{"user", "admin"}, {"database", "shop"}, {"application_name", "tést"}}});
  ExpectRoundTrip(HelloMessage{});
  ExpectRoundTrip(ScramFirstMessage{"n,,n=,r=rOprNGfwEbeRWgbNEkqO"});
  ExpectRoundTrip(ScramFinalMessage{"c=biws,r=abc,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="});
  ExpectRoundTrip(ScramChallengeMessage{"r=abc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"});
  ExpectRoundTrip(QueryMessage{"SELECT $1, $2, $3", {Value::Integer(-7), Value(), Value::Varchar("x\0y")}});
  ExpectRoundTrip(PrepareMessage{"s1", "SELECT * FROM t WHERE id = $1"});
  ExpectRoundTrip(ExecuteMessage{"s1", {Value::BigInt(INT64_MIN), Value::Double(0.5)}});
  ExpectRoundTrip(CloseMessage{"s1"});
  ExpectRoundTrip(CancelMessage{0x0123456789abcdefULL, 42});
  ExpectRoundTrip(HelloOkMessage{1, 0, "LytDB 0.1.0", "SCRAM-SHA-256"});
  ExpectRoundTrip(AuthOkMessage{"v=rmF9pqV8S7suAoZWja4dJRkFsKQ=", 7, 99, "lyt"});
  ExpectRoundTrip(ColumnsMessage{{{"id", TypeId::Integer}, {"name", LogicalType(TypeId::Varchar, 20)}, {"", TypeId::Interval}}});
  ExpectRoundTrip(CompleteMessage{"INSERT 0 3", 3});
  ExpectRoundTrip(ErrorMessage{"42P01", "relation \"nope\" does not exist", 1, 15});
  ExpectRoundTrip(PreparedMessage{{TypeId::Integer, TypeId::Null}, {{"n", TypeId::BigInt}}});
  ExpectRoundTrip(NoticeMessage{"00000", "hello"});
}

TEST(ProtocolMessages, EveryParameterType) {
  Interval iv;
  iv.months = -14;
  iv.days = 3;
  iv.micros = 4000001;
  std::vector<Value> values = {Value::Boolean(true), Value::SmallInt(-32768),  Value::Integer(INT32_MAX),
                               Value::BigInt(-1),    Value::Real(1.5f),        Value::Double(-2.25),
                               Value::Varchar(""),   Value::Blob("\x01\xff"), Value::Date(-1),
                               Value::Timestamp(1),  Value::Interval(iv),      Value()};
  QueryMessage m{"SELECT 1", values};
  QueryMessage back = DecodePayload<QueryMessage>(EncodePayload(m));
  ASSERT_EQ(back.params.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(back.params[i], values[i]) << i;
}

TEST(ProtocolMessages, RejectsBadValuesAndCounts) {
  auto violation = [](const std::string& payload, auto decode) {
    return ErrorState([&] { decode(payload); }) == sqlstate::kProtocolViolation;
  };
  auto query = [](const std::string& p) { DecodePayload<QueryMessage>(p); };
  // QUERY "" with one parameter of type 12 (no such type), of type 1 with value 2 (not a boolean).
  std::string head("\0\0\0\0\1\0", 6);
  EXPECT_TRUE(violation(head + std::string("\x0c", 1), query));
  EXPECT_TRUE(violation(head + std::string("\x01\x02", 2), query));
  // 65535 parameters announced, none present: refused before reading them.
  EXPECT_TRUE(violation(std::string("\0\0\0\0\xff\xff", 6), query));
  // A string whose length passes the end of the message.
  EXPECT_TRUE(violation(std::string("\xff\xff\xff\x7f", 4) + "abc", [](const std::string& p) { DecodePayload<CloseMessage>(p); }));
  // HELLO with more than 64 parameters.
  PayloadWriter hello;
  hello.U16(1);
  hello.U16(0);
  hello.U16(65);
  for (int i = 0; i < 65; ++i) {
    hello.String("k");
    hello.String("v");
  }
  EXPECT_TRUE(violation(hello.buffer(), [](const std::string& p) { DecodePayload<HelloMessage>(p); }));
  // ERROR whose SQLSTATE is not 5 characters; COLUMNS with a NULL type or a modifier on INTEGER.
  EXPECT_TRUE(violation(EncodePayload(ErrorMessage{"4260", "x", 0, 0}), [](const std::string& p) { DecodePayload<ErrorMessage>(p); }));
  PayloadWriter cols;
  cols.U16(1);
  cols.String("c");
  cols.U8(0);
  cols.I32(-1);
  EXPECT_TRUE(violation(cols.buffer(), [](const std::string& p) { DecodePayload<ColumnsMessage>(p); }));
  EXPECT_TRUE(violation(EncodePayload(ColumnsMessage{{{"c", LogicalType(TypeId::Integer, 5)}}}),
                        [](const std::string& p) { DecodePayload<ColumnsMessage>(p); }));
}

DataChunk SampleChunk() {
  std::vector<LogicalType> types = {TypeId::Integer, TypeId::Varchar, TypeId::Double, TypeId::Boolean, TypeId::Interval};
  DataChunk chunk(types);
  idx_t rows = 21;  // not a multiple of 8: the last validity byte is partial
  for (idx_t r = 0; r < rows; ++r) {
    chunk.column(0).SetValue(r, r % 5 == 0 ? Value() : Value::Integer(static_cast<int32_t>(r) - 10));
    chunk.column(1).SetValue(r, r % 3 == 0 ? Value() : Value::Varchar(std::string(r, 'a')));
    chunk.column(2).SetValue(r, Value::Double(r / 4.0));
    chunk.column(3).SetValue(r, r % 7 == 0 ? Value() : Value::Boolean(r % 2));
    Interval iv;
    iv.days = static_cast<int32_t>(r);
    chunk.column(4).SetValue(r, Value::Interval(iv));
  }
  chunk.SetSize(rows);
  return chunk;
}

TEST(ProtocolBatch, RoundTripWithNulls) {
  DataChunk chunk = SampleChunk();
  PayloadWriter out;
  EncodeBatch(chunk, out);
  PayloadReader in(out.buffer());
  DataChunk back;
  DecodeBatch(in, chunk.Types(), back);
  in.ExpectEnd();
  ASSERT_EQ(back.size(), chunk.size());
  for (idx_t c = 0; c < chunk.ColumnCount(); ++c) {
    for (idx_t r = 0; r < chunk.size(); ++r) EXPECT_EQ(back.GetValue(c, r), chunk.GetValue(c, r)) << c << "," << r;
  }
  // Cut short anywhere: a violation, never a crash.
  for (size_t n = 0; n < out.size(); n += 3) {
    PayloadReader cut(std::string_view(out.buffer()).substr(0, n));
    DataChunk sink;
    EXPECT_EQ(ErrorState([&] { DecodeBatch(cut, chunk.Types(), sink); }), sqlstate::kProtocolViolation) << n;
  }
}

TEST(ProtocolBatch, EmptyBatchAndLimits) {
  std::vector<LogicalType> types = {TypeId::Integer};
  DataChunk empty(types);
  PayloadWriter out;
  EncodeBatch(empty, out);
  PayloadReader in(out.buffer());
  DataChunk back;
  DecodeBatch(in, types, back);
  EXPECT_EQ(back.size(), 0u);
  // More rows than allowed, and a row count the columns' validity bytes cannot be there for.
  PayloadWriter big;
  big.U32(kMaxBatchRows + 1);
  PayloadReader big_in(big.buffer());
  EXPECT_EQ(ErrorState([&] { DecodeBatch(big_in, types, back); }), sqlstate::kProtocolViolation);
  PayloadWriter lie;
  lie.U32(kMaxBatchRows);
  lie.Raw(std::string(100, '\0'));
  std::vector<LogicalType> wide(5000, LogicalType(TypeId::BigInt));
  PayloadReader lie_in(lie.buffer());
  EXPECT_EQ(ErrorState([&] { DecodeBatch(lie_in, wide, back); }), sqlstate::kProtocolViolation);
}

std::string Frames() {
  std::string bytes;
  AppendFrame(bytes, static_cast<uint8_t>(MessageType::Ping), 1, "");
  AppendFrame(bytes, static_cast<uint8_t>(MessageType::Query), 2, EncodePayload(QueryMessage{"SELECT 1", {}}));
  AppendFrame(bytes, static_cast<uint8_t>(MessageType::Terminate), 3, "");
  return bytes;
}

TEST(ProtocolFrames, AnySplitOfTheStreamGivesTheSameFrames) {
  std::string bytes = Frames();
  for (size_t step : {size_t(1), size_t(2), size_t(7), size_t(9), bytes.size()}) {
    FrameDecoder decoder(Receiver::Server);
    std::vector<Frame> frames;
    for (size_t i = 0; i < bytes.size(); i += step) {
      decoder.Append(std::string_view(bytes).substr(i, step));
      while (auto f = decoder.Next()) frames.push_back(std::move(*f));
    }
    ASSERT_EQ(frames.size(), 3u) << step;
    EXPECT_EQ(frames[0].type, static_cast<uint8_t>(MessageType::Ping));
    EXPECT_EQ(frames[1].request_id, 2u);
    EXPECT_EQ(DecodePayload<QueryMessage>(frames[1].payload).sql, "SELECT 1");
    EXPECT_EQ(frames[2].type, static_cast<uint8_t>(MessageType::Terminate));
    EXPECT_EQ(decoder.buffered(), 0u);
  }
}

TEST(ProtocolFrames, RejectsOversizedAndUnknownFramesBeforeTheirPayload) {
  std::string header;
  AppendFrame(header, static_cast<uint8_t>(MessageType::Query), 1, "");
  header[5] = '\x01';  // bytes 5..8: the length, little-endian: 0x0401 = 1025
  header[6] = '\x04';
  FrameDecoder small(Receiver::Server, 1024);
  small.Append(header);  // the header alone: refused without waiting for the payload
  EXPECT_EQ(ErrorState([&] { small.Next(); }), sqlstate::kProtocolViolation);

  FrameDecoder server(Receiver::Server);
  std::string pong;
  AppendFrame(pong, static_cast<uint8_t>(MessageType::Pong), 1, "");  // a server message sent to a server
  server.Append(pong);
  EXPECT_EQ(ErrorState([&] { server.Next(); }), sqlstate::kProtocolViolation);

  FrameDecoder client(Receiver::Client);
  client.Append(std::string("\x7f\0\0\0\0\0\0\0\0", 9));
  EXPECT_EQ(ErrorState([&] { client.Next(); }), sqlstate::kProtocolViolation);

  FrameDecoder partial(Receiver::Server);
  partial.Append(std::string_view(Frames()).substr(0, 8));
  EXPECT_FALSE(partial.Next().has_value());
  EXPECT_EQ(partial.buffered(), 8u);
}

TEST(ProtocolMessages, ReadyStatusIsChecked) {
  EXPECT_EQ(DecodePayload<ReadyMessage>(EncodePayload(ReadyMessage{TransactionStatus::Failed})).status, TransactionStatus::Failed);
  EXPECT_THROW(DecodePayload<ReadyMessage>("X"), Error);
  EXPECT_THROW(DecodePayload<ReadyMessage>(""), Error);
  EXPECT_THROW(DecodePayload<ReadyMessage>("II"), Error);
}

TEST(ProtocolMessages, NamesAndDirections) {
  EXPECT_STREQ(MessageName(0x10), "QUERY");
  EXPECT_STREQ(MessageName(0x93), "ERROR");
  EXPECT_STREQ(MessageName(0x42), "unknown");
  EXPECT_TRUE(IsClientMessage(0x16));
  EXPECT_FALSE(IsClientMessage(0x17));
  EXPECT_FALSE(IsClientMessage(0x81));
  EXPECT_TRUE(IsServerMessage(0x98));
  EXPECT_STREQ(MessageName(0x98), "READY");
  EXPECT_FALSE(IsServerMessage(0x99));
  EXPECT_EQ(ErrorMessage::From(Status::Error("22012", "division by zero", 2, 9)).ToStatus().ToString(),
            Status::Error("22012", "division by zero", 2, 9).ToString());
}

}  // namespace
}  // namespace lyt::protocol
