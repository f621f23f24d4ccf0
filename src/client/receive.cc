// Connection's reading side: one response per request, frames checked against the request's id,
// query timeouts turned into a CANCEL.
#include "client/cancel_target.h"
#include "client/channel.h"
#include "client/response.h"
#include "common/error.h"
#include "protocol/messages.h"

namespace lyt::client {

using protocol::MessageType;

namespace {

// How long a response may still take after a query timeout sent a CANCEL.
constexpr std::chrono::seconds kCancelGrace{5};

bool Is(const protocol::Frame& frame, MessageType type) { return frame.type == static_cast<uint8_t>(type); }

Status Violation(const std::string& what) { return Status::Error(sqlstate::kProtocolViolation, what); }

}  // namespace

Status Connection::NextFrame(const Pending& request, protocol::Frame* frame) {
  for (;;) {
    Status s = channel_->Receive(frame, deadline_);
    if (IsTimeout(s) && !timed_out_) {
      timed_out_ = true;
      (void)Cancel();  // if it fails, the grace period below ends the wait
      deadline_ = Clock::now() + kCancelGrace;
      continue;
    }
    if (IsTimeout(s)) {
      return Break(Status::Error(kConnectionFailure, "server did not answer within the query timeout nor after a cancel request"));
    }
    if (!s.ok()) return Break(s);
    if (Is(*frame, MessageType::Notice)) {
      try {
        auto notice = protocol::DecodePayload<protocol::NoticeMessage>(frame->payload);
        notices_.push_back({std::move(notice.sqlstate), std::move(notice.message)});
      } catch (const Error& e) {
        return Break(Violation(e.what()));
      }
      continue;
    }
    if (frame->request_id == 0 && Is(*frame, MessageType::Error)) {  // the server's last words
      try {
        return Break(protocol::DecodePayload<protocol::ErrorMessage>(frame->payload).ToStatus());
      } catch (const Error& e) {
        return Break(Violation(e.what()));
      }
    }
    if (frame->request_id != request.id) {
      return Break(Violation("received a response for request " + std::to_string(frame->request_id) +
                             " while waiting for request " + std::to_string(request.id)));
    }
    return Status::OK();
  }
}

std::unique_ptr<QueryResult> Connection::ReadResponse(const Pending& request, PreparedInfo* info) {
  if (!broken_.ok()) {
    return QueryResult::MakeError(Status::Error(kConnectionFailure, "connection is broken: " + broken_.message()));
  }
  deadline_ = DeadlineAfter(options_.query_timeout);
  timed_out_ = false;
  std::unique_ptr<QueryResult> result;
  try {
    result = request.kind == RequestKind::Query || request.kind == RequestKind::Execute ? ReadStatements(request)
                                                                                        : ReadSimple(request, info);
  } catch (const Error& e) {
    result = QueryResult::MakeError(Break(Status::Error(e.sqlstate(), e.what())));
  }
  if (timed_out_ && result->status().sqlstate() == sqlstate::kQueryCanceled) {
    const Status& s = result->status();
    result = QueryResult::MakeError(Status::Error(s.sqlstate(), "canceling statement due to client query timeout (" +
                                                                    std::to_string(options_.query_timeout.count()) + " ms)",
                                                  s.line(), s.column()));
  }
  return result;
}

std::unique_ptr<QueryResult> Connection::ReadStatements(const Pending& request) {
  StatementAssembler statement;
  std::unique_ptr<QueryResult> last;
  protocol::Frame frame;
  for (;;) {
    Status s = NextFrame(request, &frame);
    if (!s.ok()) return QueryResult::MakeError(s);
    if (Is(frame, MessageType::Ready)) {  // the end of the response
      if (statement.started()) throw Error(sqlstate::kProtocolViolation, "READY received before the statement's response ended");
      NoteTransactionStatus(protocol::DecodePayload<protocol::ReadyMessage>(frame.payload).status);
      return last ? std::move(last) : QueryResult::MakeCommand("", 0);
    }
    if (last && !last->ok()) throw Error(sqlstate::kProtocolViolation, "statement response after an error");
    if (!statement.Add(frame)) continue;
    last = statement.Take();
  }
}

std::unique_ptr<QueryResult> Connection::ReadSimple(const Pending& request, PreparedInfo* info) {
  protocol::Frame frame;
  Status s = NextFrame(request, &frame);
  if (!s.ok()) return QueryResult::MakeError(s);
  if (Is(frame, MessageType::Error)) {
    return QueryResult::MakeError(protocol::DecodePayload<protocol::ErrorMessage>(frame.payload).ToStatus());
  }
  auto expect = [&](MessageType type) {
    if (!Is(frame, type)) {
      throw Error(sqlstate::kProtocolViolation, std::string("expected ") + protocol::MessageName(static_cast<uint8_t>(type)) +
                                                    ", received " + protocol::MessageName(frame.type));
    }
  };
  switch (request.kind) {
    case RequestKind::Prepare: {
      expect(MessageType::Prepared);
      auto prepared = protocol::DecodePayload<protocol::PreparedMessage>(frame.payload);
      if (info != nullptr) {
        info->param_types = std::move(prepared.params);
        info->columns.clear();
        for (auto& c : prepared.columns) info->columns.push_back(ColumnInfo{std::move(c.name), c.type});
      }
      return QueryResult::MakeCommand("PREPARE", 0);
    }
    case RequestKind::Close: expect(MessageType::Closed); return QueryResult::MakeCommand("CLOSE", 0);
    default: expect(MessageType::Pong); return QueryResult::MakeCommand("PING", 0);
  }
}

}  // namespace lyt::client
