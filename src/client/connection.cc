// Connection's requests and the reading of their responses, in the order they were sent.
#include <algorithm>
#include <utility>

#include "client/cancel_target.h"
#include "client/channel.h"
#include "client/response.h"
#include "common/error.h"
#include "protocol/messages.h"

namespace lyt::client {

using protocol::MessageType;

namespace {

uint8_t Type(MessageType type) { return static_cast<uint8_t>(type); }

}  // namespace

Status Connection::Break(Status status) {
  if (broken_.ok()) broken_ = status;
  return status;
}

uint32_t Connection::NextId() {
  if (next_id_ == 0) next_id_ = 1;  // 0 is the server's own
  return next_id_++;
}

template <class Encode>
uint32_t Connection::SendRequest(RequestKind kind, uint8_t type, Encode encode) {
  Pending request{NextId(), kind};
  std::string payload;
  try {
    payload = encode();
  } catch (const Error& e) {  // too many parameters, ...: nothing was sent
    ready_.push_back({request.id, QueryResult::MakeError(Status::Error(e.sqlstate(), e.what()))});
    return request.id;
  }
  if (broken_.ok()) {
    channel_->Queue(type, request.id, payload);
    Status s = channel_->Flush(DeadlineAfter(options_.query_timeout));
    if (!s.ok()) (void)Break(IsTimeout(s) ? Status::Error(kConnectionFailure, "timeout expired sending to the server") : s);
  }
  pending_.push_back(request);
  return request.id;
}

uint32_t Connection::Send(std::string_view sql, const std::vector<Value>& params) {
  return SendRequest(RequestKind::Query, Type(MessageType::Query), [&] {
    return protocol::EncodePayload(protocol::QueryMessage{std::string(sql), params});
  });
}

uint32_t Connection::SendPrepared(std::string_view name, const std::vector<Value>& params) {
  return SendRequest(RequestKind::Execute, Type(MessageType::Execute), [&] {
    return protocol::EncodePayload(protocol::ExecuteMessage{std::string(name), params});
  });
}

std::unique_ptr<QueryResult> Connection::Receive(uint32_t id) {
  for (auto it = ready_.begin(); it != ready_.end(); ++it) {
    if (it->id != id) continue;
    auto result = std::move(it->result);
    ready_.erase(it);
    return result;
  }
  bool waiting = std::any_of(pending_.begin(), pending_.end(), [&](const Pending& p) { return p.id == id; });
  if (!waiting) {
    return QueryResult::MakeError(Status::Error(sqlstate::kInvalidParameterValue,
                                                "no request with id " + std::to_string(id) + " awaits its result"));
  }
  for (;;) {
    Pending request = pending_.front();
    pending_.pop_front();
    auto result = ReadResponse(request, nullptr);
    if (request.id == id) return result;
    ready_.push_back({request.id, std::move(result)});
  }
}

std::unique_ptr<QueryResult> Connection::Query(std::string_view sql, const std::vector<Value>& params) {
  return Receive(Send(sql, params));
}

Status Connection::Execute(std::string_view sql, const std::vector<Value>& params) {
  return Query(sql, params)->status();
}

std::unique_ptr<QueryResult> Connection::ExecutePrepared(std::string_view name, const std::vector<Value>& params) {
  return Receive(SendPrepared(name, params));
}

std::unique_ptr<QueryResult> Connection::RunSimple(RequestKind kind, uint8_t type, std::string payload,
                                                   PreparedInfo* info) {
  uint32_t id = SendRequest(kind, type, [&] { return std::move(payload); });
  // Earlier pipelined requests are answered first; their results wait in ready_.
  while (!pending_.empty() && pending_.front().id != id) {
    Pending earlier = pending_.front();
    pending_.pop_front();
    ready_.push_back({earlier.id, ReadResponse(earlier, nullptr)});
  }
  if (pending_.empty()) return Receive(id);  // failed before sending: the error is ready
  Pending request = pending_.front();
  pending_.pop_front();
  return ReadResponse(request, info);
}

Status Connection::Prepare(std::string_view name, std::string_view sql, PreparedInfo* info) {
  auto payload = protocol::EncodePayload(protocol::PrepareMessage{std::string(name), std::string(sql)});
  return RunSimple(RequestKind::Prepare, Type(MessageType::Prepare), std::move(payload), info)->status();
}

Status Connection::ClosePrepared(std::string_view name) {
  auto payload = protocol::EncodePayload(protocol::CloseMessage{std::string(name)});
  return RunSimple(RequestKind::Close, Type(MessageType::Close), std::move(payload))->status();
}

Status Connection::Ping() { return RunSimple(RequestKind::Ping, Type(MessageType::Ping), {})->status(); }

Status Connection::Begin() { return Execute("BEGIN"); }

Status Connection::Commit() { return Execute("COMMIT"); }

Status Connection::Rollback() { return Execute("ROLLBACK"); }

std::vector<Notice> Connection::TakeNotices() { return std::exchange(notices_, {}); }

void Connection::NoteTransactionStatus(protocol::TransactionStatus status) {
  in_transaction_ = status != protocol::TransactionStatus::Idle;
}

}  // namespace lyt::client
