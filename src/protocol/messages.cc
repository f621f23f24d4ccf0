#include "protocol/messages.h"

#include "common/error.h"

namespace lyt::protocol {

namespace {

[[noreturn]] void Violation(const std::string& what) { throw Error(sqlstate::kProtocolViolation, what); }

// A count of items that each take at least `min_bytes`: more than the payload can hold is a lie.
void CheckCount(const PayloadReader& in, uint64_t count, size_t min_bytes, const char* what) {
  if (count * min_bytes > in.remaining()) {
    Violation(std::string(what) + " count " + std::to_string(count) + " does not fit in the message");
  }
}

void EncodeValues(const std::vector<Value>& values, PayloadWriter& out) {
  if (values.size() > UINT16_MAX) throw Error(sqlstate::kProgramLimitExceeded, "more than 65535 parameters");
  out.U16(static_cast<uint16_t>(values.size()));
  for (const Value& v : values) EncodeValue(v, out);
}

std::vector<Value> DecodeValues(PayloadReader& in) {
  uint16_t n = in.U16();
  CheckCount(in, n, 1, "parameter");
  std::vector<Value> values;
  values.reserve(n);
  for (uint16_t i = 0; i < n; ++i) values.push_back(DecodeValue(in));
  return values;
}

void EncodeColumns(const std::vector<ColumnInfo>& columns, PayloadWriter& out) {
  if (columns.size() > UINT16_MAX) throw Error(sqlstate::kProgramLimitExceeded, "more than 65535 result columns");
  out.U16(static_cast<uint16_t>(columns.size()));
  for (const auto& c : columns) {
    out.String(c.name);
    out.U8(WireTypeId(c.type.id));
    out.I32(c.type.max_length);
  }
}

std::vector<ColumnInfo> DecodeColumns(PayloadReader& in) {
  uint16_t n = in.U16();
  CheckCount(in, n, 9, "column");
  std::vector<ColumnInfo> columns(n);
  for (auto& c : columns) {
    c.name = in.String();
    c.type.id = TypeFromWire(in.U8(), false);
    c.type.max_length = in.I32();
    if (c.type.max_length < -1 || (c.type.max_length != -1 && c.type.id != TypeId::Varchar)) {
      Violation("bad type modifier " + std::to_string(c.type.max_length) + " for column \"" + c.name + "\"");
    }
  }
  return columns;
}

// One non-NULL value of `type` from row `row` of `v`.
void EncodeCell(const Vector& v, idx_t row, PayloadWriter& out) {
  switch (v.type().id) {
    case TypeId::Boolean: return out.U8(v.data<uint8_t>()[row] != 0);
    case TypeId::SmallInt: return out.I16(v.data<int16_t>()[row]);
    case TypeId::Integer:
    case TypeId::Date: return out.I32(v.data<int32_t>()[row]);
    case TypeId::BigInt:
    case TypeId::Timestamp: return out.I64(v.data<int64_t>()[row]);
    case TypeId::Real: return out.F32(v.data<float>()[row]);
    case TypeId::Double: return out.F64(v.data<double>()[row]);
    case TypeId::Varchar:
    case TypeId::Blob: return out.String(v.data<StringRef>()[row].view());
    case TypeId::Interval: {
      const Interval& iv = v.data<Interval>()[row];
      out.I32(iv.months);
      out.I32(iv.days);
      out.I64(iv.micros);
      return;
    }
    case TypeId::Null: ThrowInternal("NULL-typed column in a result batch");
  }
}

void DecodeCell(PayloadReader& in, Vector& v, idx_t row) {
  switch (v.type().id) {
    case TypeId::Boolean: {
      uint8_t b = in.U8();
      if (b > 1) Violation("boolean value " + std::to_string(b) + " is neither 0 nor 1");
      v.data<uint8_t>()[row] = b;
      return;
    }
    case TypeId::SmallInt: v.data<int16_t>()[row] = in.I16(); return;
    case TypeId::Integer:
    case TypeId::Date: v.data<int32_t>()[row] = in.I32(); return;
    case TypeId::BigInt:
    case TypeId::Timestamp: v.data<int64_t>()[row] = in.I64(); return;
    case TypeId::Real: v.data<float>()[row] = in.F32(); return;
    case TypeId::Double: v.data<double>()[row] = in.F64(); return;
    case TypeId::Varchar:
    case TypeId::Blob: v.data<StringRef>()[row] = v.AddString(in.String()); return;
    case TypeId::Interval: {
      Interval iv;
      iv.months = in.I32();
      iv.days = in.I32();
      iv.micros = in.I64();
      v.data<Interval>()[row] = iv;
      return;
    }
    case TypeId::Null: Violation("a batch column has no type");
  }
}

}  // namespace

bool IsClientMessage(uint8_t type) {
  return (type >= 0x01 && type <= 0x04) || (type >= 0x10 && type <= 0x16);
}

bool IsServerMessage(uint8_t type) { return (type >= 0x81 && type <= 0x85) || (type >= 0x90 && type <= 0x98); }

const char* MessageName(uint8_t type) {
  switch (static_cast<MessageType>(type)) {
    case MessageType::TlsRequest: return "TLS_REQUEST";
    case MessageType::Hello: return "HELLO";
    case MessageType::AuthScramFirst: return "AUTH_SCRAM_FIRST";
    case MessageType::AuthScramFinal: return "AUTH_SCRAM_FINAL";
    case MessageType::Query: return "QUERY";
    case MessageType::Prepare: return "PREPARE";
    case MessageType::Execute: return "EXECUTE";
    case MessageType::Close: return "CLOSE";
    case MessageType::Ping: return "PING";
    case MessageType::Cancel: return "CANCEL";
    case MessageType::Terminate: return "TERMINATE";
    case MessageType::TlsAccept: return "TLS_ACCEPT";
    case MessageType::TlsRefuse: return "TLS_REFUSE";
    case MessageType::HelloOk: return "HELLO_OK";
    case MessageType::AuthScramChallenge: return "AUTH_SCRAM_CHALLENGE";
    case MessageType::AuthOk: return "AUTH_OK";
    case MessageType::Columns: return "COLUMNS";
    case MessageType::Batch: return "BATCH";
    case MessageType::Complete: return "COMPLETE";
    case MessageType::Error: return "ERROR";
    case MessageType::Prepared: return "PREPARED";
    case MessageType::Closed: return "CLOSED";
    case MessageType::Pong: return "PONG";
    case MessageType::Notice: return "NOTICE";
    case MessageType::Ready: return "READY";
  }
  return "unknown";
}

// The wire ids are TypeId's values, fixed by docs/protocol.md: TypeId must keep them.
static_assert(static_cast<int>(TypeId::Boolean) == 1 && static_cast<int>(TypeId::Double) == 6 &&
              static_cast<int>(TypeId::Blob) == 8 && static_cast<int>(TypeId::Interval) == 11);

uint8_t WireTypeId(TypeId type) { return static_cast<uint8_t>(type); }

TypeId TypeFromWire(uint8_t id, bool allow_null) {
  if (id > static_cast<uint8_t>(TypeId::Interval) || (id == 0 && !allow_null)) {
    Violation("unknown type id " + std::to_string(id));
  }
  return static_cast<TypeId>(id);
}

void EncodeValue(const Value& value, PayloadWriter& out) {
  if (value.is_null()) return out.U8(0);
  Vector one(value.type(), 1);
  one.SetValue(0, value);
  out.U8(WireTypeId(value.type().id));
  EncodeCell(one, 0, out);
}

Value DecodeValue(PayloadReader& in) {
  TypeId type = TypeFromWire(in.U8(), true);
  if (type == TypeId::Null) return Value();
  Vector one(LogicalType(type), 1);
  one.SetNull(0, false);
  DecodeCell(in, one, 0);
  return one.GetValue(0);
}

void HelloMessage::Encode(PayloadWriter& out) const {
  out.U16(major);
  out.U16(minor);
  out.U16(static_cast<uint16_t>(params.size()));
  for (const auto& [k, v] : params) {
    out.String(k);
    out.String(v);
  }
}

HelloMessage HelloMessage::Decode(PayloadReader& in) {
  HelloMessage m;
  m.major = in.U16();
  m.minor = in.U16();
  uint16_t n = in.U16();
  if (n > kMaxHelloParams) Violation("HELLO has " + std::to_string(n) + " parameters, more than " + std::to_string(kMaxHelloParams));
  for (uint16_t i = 0; i < n; ++i) {
    std::string key(in.String());
    m.params.emplace_back(std::move(key), std::string(in.String()));
  }
  return m;
}

std::string HelloMessage::Param(std::string_view key) const {
  for (const auto& [k, v] : params) {
    if (k == key) return v;
  }
  return "";
}

void QueryMessage::Encode(PayloadWriter& out) const {
  out.String(sql);
  EncodeValues(params, out);
}

QueryMessage QueryMessage::Decode(PayloadReader& in) {
  QueryMessage m;
  m.sql = in.String();
  m.params = DecodeValues(in);
  return m;
}

void PrepareMessage::Encode(PayloadWriter& out) const {
  out.String(name);
  out.String(sql);
}

PrepareMessage PrepareMessage::Decode(PayloadReader& in) {
  PrepareMessage m;
  m.name = in.String();
  m.sql = in.String();
  return m;
}

void ExecuteMessage::Encode(PayloadWriter& out) const {
  out.String(name);
  EncodeValues(params, out);
}

ExecuteMessage ExecuteMessage::Decode(PayloadReader& in) {
  ExecuteMessage m;
  m.name = in.String();
  m.params = DecodeValues(in);
  return m;
}

void CancelMessage::Encode(PayloadWriter& out) const {
  out.U64(session_id);
  out.U64(cancel_key);
}

CancelMessage CancelMessage::Decode(PayloadReader& in) {
  CancelMessage m;
  m.session_id = in.U64();
  m.cancel_key = in.U64();
  return m;
}

void HelloOkMessage::Encode(PayloadWriter& out) const {
  out.U16(major);
  out.U16(minor);
  out.String(server_version);
  out.String(auth_method);
}

HelloOkMessage HelloOkMessage::Decode(PayloadReader& in) {
  HelloOkMessage m;
  m.major = in.U16();
  m.minor = in.U16();
  m.server_version = in.String();
  m.auth_method = in.String();
  return m;
}

void AuthOkMessage::Encode(PayloadWriter& out) const {
  out.String(server_final);
  out.U64(session_id);
  out.U64(cancel_key);
  out.String(database);
}

AuthOkMessage AuthOkMessage::Decode(PayloadReader& in) {
  AuthOkMessage m;
  m.server_final = in.String();
  m.session_id = in.U64();
  m.cancel_key = in.U64();
  m.database = in.String();
  return m;
}

void ColumnsMessage::Encode(PayloadWriter& out) const { EncodeColumns(columns, out); }

ColumnsMessage ColumnsMessage::Decode(PayloadReader& in) { return ColumnsMessage{DecodeColumns(in)}; }

std::vector<LogicalType> ColumnsMessage::Types() const {
  std::vector<LogicalType> types;
  for (const auto& c : columns) types.push_back(c.type);
  return types;
}

void EncodeBatch(const DataChunk& chunk, PayloadWriter& out) {
  idx_t rows = chunk.size();
  if (rows > kMaxBatchRows) ThrowInternal("result batch larger than the protocol allows");
  out.U32(static_cast<uint32_t>(rows));
  std::string validity;
  for (idx_t c = 0; c < chunk.ColumnCount(); ++c) {
    const Vector& v = chunk.column(c);
    validity.assign((rows + 7) / 8, '\0');
    for (idx_t r = 0; r < rows; ++r) {
      if (!v.IsNull(r)) validity[r / 8] = static_cast<char>(validity[r / 8] | (1 << (r % 8)));
    }
    out.Raw(validity);
    for (idx_t r = 0; r < rows; ++r) {
      if (!v.IsNull(r)) EncodeCell(v, r, out);
    }
  }
}

void DecodeBatch(PayloadReader& in, const std::vector<LogicalType>& types, DataChunk& out) {
  uint32_t rows = in.U32();
  if (rows > kMaxBatchRows) Violation("batch of " + std::to_string(rows) + " rows exceeds " + std::to_string(kMaxBatchRows));
  size_t validity_bytes = (rows + 7) / 8;
  // Every column needs its validity bytes: checked before anything is allocated.
  CheckCount(in, types.size(), validity_bytes, "batch column");
  if (static_cast<uint64_t>(rows) * types.size() > kMaxBatchCells) {
    Violation("batch of " + std::to_string(rows) + " rows x " + std::to_string(types.size()) + " columns is too large");
  }
  out.Initialize(types, std::max<idx_t>(rows, 1));
  for (size_t c = 0; c < types.size(); ++c) {
    Vector& v = out.column(c);
    std::string_view validity = in.Raw(validity_bytes);
    for (uint32_t r = 0; r < rows; ++r) {
      bool valid = (static_cast<uint8_t>(validity[r / 8]) >> (r % 8)) & 1;
      v.SetNull(r, !valid);
      if (valid) DecodeCell(in, v, r);
    }
  }
  out.SetSize(rows);
}

void CompleteMessage::Encode(PayloadWriter& out) const {
  out.String(tag);
  out.U64(rows);
}

CompleteMessage CompleteMessage::Decode(PayloadReader& in) {
  CompleteMessage m;
  m.tag = in.String();
  m.rows = in.U64();
  return m;
}

void ErrorMessage::Encode(PayloadWriter& out) const {
  out.String(sqlstate);
  out.String(message);
  out.U32(line);
  out.U32(column);
}

ErrorMessage ErrorMessage::Decode(PayloadReader& in) {
  ErrorMessage m;
  m.sqlstate = in.String();
  if (m.sqlstate.size() != 5) Violation("SQLSTATE \"" + m.sqlstate.substr(0, 16) + "\" is not 5 characters");
  m.message = in.String();
  m.line = in.U32();
  m.column = in.U32();
  return m;
}

ErrorMessage ErrorMessage::From(const Status& status) {
  return ErrorMessage{status.sqlstate(), status.message(), static_cast<uint32_t>(std::max(status.line(), 0)),
                      static_cast<uint32_t>(std::max(status.column(), 0))};
}

Status ErrorMessage::ToStatus() const {
  return Status::Error(sqlstate, message, static_cast<int>(std::min<uint32_t>(line, INT32_MAX)),
                       static_cast<int>(std::min<uint32_t>(column, INT32_MAX)));
}

void PreparedMessage::Encode(PayloadWriter& out) const {
  if (params.size() > UINT16_MAX) throw Error(sqlstate::kProgramLimitExceeded, "more than 65535 parameters");
  out.U16(static_cast<uint16_t>(params.size()));
  for (const auto& t : params) out.U8(WireTypeId(t.id));
  EncodeColumns(columns, out);
}

PreparedMessage PreparedMessage::Decode(PayloadReader& in) {
  PreparedMessage m;
  uint16_t n = in.U16();
  CheckCount(in, n, 1, "parameter");
  for (uint16_t i = 0; i < n; ++i) m.params.emplace_back(TypeFromWire(in.U8(), true));
  m.columns = DecodeColumns(in);
  return m;
}

void NoticeMessage::Encode(PayloadWriter& out) const {
  out.String(sqlstate);
  out.String(message);
}

NoticeMessage NoticeMessage::Decode(PayloadReader& in) {
  NoticeMessage m;
  m.sqlstate = in.String();
  m.message = in.String();
  return m;
}

ReadyMessage ReadyMessage::Decode(PayloadReader& in) {
  uint8_t status = in.U8();
  if (status != static_cast<uint8_t>(TransactionStatus::Idle) && status != static_cast<uint8_t>(TransactionStatus::InBlock) &&
      status != static_cast<uint8_t>(TransactionStatus::Failed)) {
    throw Error(sqlstate::kProtocolViolation, "READY with an unknown transaction status " + std::to_string(status));
  }
  return ReadyMessage{static_cast<TransactionStatus>(status)};
}

}  // namespace lyt::protocol
