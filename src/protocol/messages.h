// The messages of the lyt protocol (docs/protocol.md), each a struct with its encoder and
// decoder. Decoders read bytes from outside: they check every length against what is left of
// the payload and every count against the protocol's limits, and throw 08P01 on a violation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/vector.h"
#include "lyt/status.h"
#include "lyt/value.h"
#include "protocol/wire.h"

namespace lyt::protocol {

inline constexpr uint16_t kProtocolMajor = 1;
inline constexpr uint16_t kProtocolMinor = 0;
inline constexpr size_t kMaxHelloParams = 64;
inline constexpr uint32_t kMaxBatchRows = 65536;
inline constexpr uint64_t kMaxBatchCells = uint64_t(1) << 22;  // rows x columns of one BATCH

enum class MessageType : uint8_t {
  // client -> server
  TlsRequest = 0x01,
  Hello = 0x02,
  AuthScramFirst = 0x03,
  AuthScramFinal = 0x04,
  Query = 0x10,
  Prepare = 0x11,
  Execute = 0x12,
  Close = 0x13,
  Ping = 0x14,
  Cancel = 0x15,
  Terminate = 0x16,
  // server -> client
  TlsAccept = 0x81,
  TlsRefuse = 0x82,
  HelloOk = 0x83,
  AuthScramChallenge = 0x84,
  AuthOk = 0x85,
  Columns = 0x90,
  Batch = 0x91,
  Complete = 0x92,
  Error = 0x93,
  Prepared = 0x94,
  Closed = 0x95,
  Pong = 0x96,
  Notice = 0x97,
  Ready = 0x98,
};

bool IsClientMessage(uint8_t type);
bool IsServerMessage(uint8_t type);
// "QUERY", "BATCH", ...; "unknown" for other values.
const char* MessageName(uint8_t type);

// Wire type ids (docs/protocol.md, "Column batches"); 0 = NULL, parameters only.
uint8_t WireTypeId(TypeId type);
// Throws 08P01 for an id that names no type (or NULL when !allow_null).
TypeId TypeFromWire(uint8_t id, bool allow_null);

// One parameter value: type id, then the value unless NULL.
void EncodeValue(const Value& value, PayloadWriter& out);
Value DecodeValue(PayloadReader& in);

struct ColumnInfo {
  std::string name;
  LogicalType type;
  bool operator==(const ColumnInfo&) const = default;
};

// Messages without fields (TLS_REQUEST, PING, TERMINATE, TLS_ACCEPT, TLS_REFUSE, CLOSED, PONG)
// have an empty payload and no struct.

struct HelloMessage {
  static constexpr MessageType kType = MessageType::Hello;
  uint16_t major = kProtocolMajor;
  uint16_t minor = kProtocolMinor;
  std::vector<std::pair<std::string, std::string>> params;  // user, database, application_name, client
  void Encode(PayloadWriter& out) const;
  static HelloMessage Decode(PayloadReader& in);
  // The value of `key`, or "" when absent.
  std::string Param(std::string_view key) const;
  bool operator==(const HelloMessage&) const = default;
};

// A SCRAM-SHA-256 message in its text form (RFC 5802): AUTH_SCRAM_FIRST, AUTH_SCRAM_FINAL
// (client) and AUTH_SCRAM_CHALLENGE (server) share this shape.
template <MessageType kMessage>
struct ScramMessage {
  static constexpr MessageType kType = kMessage;
  std::string text;
  void Encode(PayloadWriter& out) const { out.String(text); }
  static ScramMessage Decode(PayloadReader& in) { return ScramMessage{std::string(in.String())}; }
  bool operator==(const ScramMessage&) const = default;
};
using ScramFirstMessage = ScramMessage<MessageType::AuthScramFirst>;
using ScramFinalMessage = ScramMessage<MessageType::AuthScramFinal>;
using ScramChallengeMessage = ScramMessage<MessageType::AuthScramChallenge>;

struct QueryMessage {
  static constexpr MessageType kType = MessageType::Query;
  std::string sql;
  std::vector<Value> params;
  void Encode(PayloadWriter& out) const;
  static QueryMessage Decode(PayloadReader& in);
  bool operator==(const QueryMessage&) const = default;
};

struct PrepareMessage {
  static constexpr MessageType kType = MessageType::Prepare;
  std::string name;
  std::string sql;
  void Encode(PayloadWriter& out) const;
  static PrepareMessage Decode(PayloadReader& in);
  bool operator==(const PrepareMessage&) const = default;
};

struct ExecuteMessage {
  static constexpr MessageType kType = MessageType::Execute;
  std::string name;
  std::vector<Value> params;
  void Encode(PayloadWriter& out) const;
  static ExecuteMessage Decode(PayloadReader& in);
  bool operator==(const ExecuteMessage&) const = default;
};

struct CloseMessage {
  static constexpr MessageType kType = MessageType::Close;
  std::string name;
  void Encode(PayloadWriter& out) const { out.String(name); }
  static CloseMessage Decode(PayloadReader& in) { return CloseMessage{std::string(in.String())}; }
  bool operator==(const CloseMessage&) const = default;
};

struct CancelMessage {
  static constexpr MessageType kType = MessageType::Cancel;
  uint64_t session_id = 0;
  uint64_t cancel_key = 0;
  void Encode(PayloadWriter& out) const;
  static CancelMessage Decode(PayloadReader& in);
  bool operator==(const CancelMessage&) const = default;
};

struct HelloOkMessage {
  static constexpr MessageType kType = MessageType::HelloOk;
  uint16_t major = kProtocolMajor;
  uint16_t minor = kProtocolMinor;
  std::string server_version;
  std::string auth_method = "SCRAM-SHA-256";
  void Encode(PayloadWriter& out) const;
  static HelloOkMessage Decode(PayloadReader& in);
  bool operator==(const HelloOkMessage&) const = default;
};

struct AuthOkMessage {
  static constexpr MessageType kType = MessageType::AuthOk;
  std::string server_final;
  uint64_t session_id = 0;
  uint64_t cancel_key = 0;
  std::string database;
  void Encode(PayloadWriter& out) const;
  static AuthOkMessage Decode(PayloadReader& in);
  bool operator==(const AuthOkMessage&) const = default;
};

struct ColumnsMessage {
  static constexpr MessageType kType = MessageType::Columns;
  std::vector<ColumnInfo> columns;
  void Encode(PayloadWriter& out) const;
  static ColumnsMessage Decode(PayloadReader& in);
  std::vector<LogicalType> Types() const;
  bool operator==(const ColumnsMessage&) const = default;
};

// BATCH: rows of a DataChunk. Encode writes `chunk`; Decode fills `out` (re-initialized with the
// announced column types and room for the batch's rows).
void EncodeBatch(const DataChunk& chunk, PayloadWriter& out);
void DecodeBatch(PayloadReader& in, const std::vector<LogicalType>& types, DataChunk& out);

struct CompleteMessage {
  static constexpr MessageType kType = MessageType::Complete;
  std::string tag;  // "SELECT 3", "INSERT 0 1", ...
  uint64_t rows = 0;
  void Encode(PayloadWriter& out) const;
  static CompleteMessage Decode(PayloadReader& in);
  bool operator==(const CompleteMessage&) const = default;
};

struct ErrorMessage {
  static constexpr MessageType kType = MessageType::Error;
  std::string sqlstate;
  std::string message;
  uint32_t line = 0;
  uint32_t column = 0;
  void Encode(PayloadWriter& out) const;
  static ErrorMessage Decode(PayloadReader& in);
  static ErrorMessage From(const Status& status);
  Status ToStatus() const;
  bool operator==(const ErrorMessage&) const = default;
};

struct PreparedMessage {
  static constexpr MessageType kType = MessageType::Prepared;
  std::vector<LogicalType> params;
  std::vector<ColumnInfo> columns;
  void Encode(PayloadWriter& out) const;
  static PreparedMessage Decode(PayloadReader& in);
  bool operator==(const PreparedMessage&) const = default;
};

struct NoticeMessage {
  static constexpr MessageType kType = MessageType::Notice;
  std::string sqlstate;
  std::string message;
  void Encode(PayloadWriter& out) const;
  static NoticeMessage Decode(PayloadReader& in);
  bool operator==(const NoticeMessage&) const = default;
};

// READY ends the response to a QUERY or an EXECUTE (after its COMPLETEs or its ERROR) and says
// where the session stands, like PostgreSQL's ReadyForQuery.
enum class TransactionStatus : uint8_t { Idle = 'I', InBlock = 'T', Failed = 'E' };

struct ReadyMessage {
  static constexpr MessageType kType = MessageType::Ready;
  TransactionStatus status = TransactionStatus::Idle;
  void Encode(PayloadWriter& out) const { out.U8(static_cast<uint8_t>(status)); }
  static ReadyMessage Decode(PayloadReader& in);
  bool operator==(const ReadyMessage&) const = default;
};

// The payload of a message, and a message from a whole payload (08P01 when bytes are left over).
template <class M>
std::string EncodePayload(const M& message) {
  PayloadWriter out;
  message.Encode(out);
  return std::move(out.buffer());
}
template <class M>
M DecodePayload(std::string_view payload) {
  PayloadReader in(payload);
  M message = M::Decode(in);
  in.ExpectEnd();
  return message;
}

}  // namespace lyt::protocol
