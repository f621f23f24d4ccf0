#include "frontend/lyt/lyt_connection.h"

#include <openssl/rand.h>

#include <shared_mutex>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include "auth/authorize.h"
#include "auth/user_store.h"
#include "common/error.h"
#include "lyt/version.h"
#include "main/engine.h"
#include "sql/parser.h"

namespace lyt::frontend {

namespace asio = boost::asio;
using protocol::Frame;
using protocol::MessageType;

namespace {

// Output beyond this waits for the socket before more of a result is encoded.
constexpr size_t kOutputHighWater = 256 * 1024;

// Durations are remembered for texts up to this size, for this many texts per connection.
constexpr size_t kRememberedSqlBytes = 1024;
constexpr size_t kRememberedStatements = 64;

// Throws 08P01 unless `frame` is a `expected` (the handshake's fixed order).
void ExpectFrame(const Frame& frame, MessageType expected) {
  if (frame.type != static_cast<uint8_t>(expected)) {
    throw Error(sqlstate::kProtocolViolation, std::string("expected ") + protocol::MessageName(static_cast<uint8_t>(expected)) + ", got " +
                                                  protocol::MessageName(frame.type));
  }
}

uint64_t RandomU64() {
  uint64_t value = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&value), sizeof(value)) != 1) {
    value = std::chrono::steady_clock::now().time_since_epoch().count() * 0x9E3779B97F4A7C15ULL;
  }
  return value;
}

std::string PeerName(const LytConnection::Socket& socket) {
  boost::system::error_code error;
  auto endpoint = socket.remote_endpoint(error);
  if (error) return "unknown";
  net::Endpoint e{endpoint.address().to_string(), endpoint.port()};
  return e.ToString();
}

Status ProtocolError(std::string message) { return Status::Error(sqlstate::kProtocolViolation, std::move(message)); }

// How many values `statements` take (their highest $n), at most 65535.
uint16_t CountParameters(const std::vector<ast::StatementPtr>& statements) {
  return static_cast<uint16_t>(std::min(HighestParameter(statements), 65535));
}

}  // namespace

LytConnection::LytConnection(net::ServerContext& server, net::EventLoop& loop, Socket socket)
    : server_(server),
      loop_(loop),
      strand_(asio::make_strand(socket.get_executor())),
      socket_(std::move(socket)),
      decoder_(protocol::Receiver::Server, server.options.max_frame_bytes),
      timer_(strand_),
      statement_timer_(server.control) {
  peer_ = PeerName(socket_);
}

LytConnection::~LytConnection() {
  if (id_) {
    server_.registry.Remove(id_);
    server_.lyt_connections.fetch_sub(1, std::memory_order_relaxed);
  }
}

std::string LytConnection::Describe() const { return "connection " + std::to_string(id_) + " (" + peer_ + ")"; }

void LytConnection::Start() {
  asio::dispatch(strand_, [self = shared_from_this()] {
    uint64_t id = self->server_.engine.sessions().NextId();
    if (self->server_.registry.Add(id, self)) {
      self->id_ = id;
      self->server_.lyt_connections.fetch_add(1, std::memory_order_relaxed);
    }
    if (self->id_ == 0) {
      self->server_.log.warn("refused a connection from {}: max_connections ({}) reached", self->peer_,
                             self->server_.options.max_connections);
      self->FailAndClose(Status::Error(sqlstate::kTooManyConnections, "sorry, too many clients already (max_connections is " +
                                                                           std::to_string(self->server_.options.max_connections) + ")"));
      return;
    }
    if (self->server_.shutting_down) {
      self->FailAndClose(Status::Error(sqlstate::kAdminShutdown, "the server is shutting down"));
      return;
    }
    self->server_.log.debug("{} accepted", self->Describe());
    self->ArmTimer(self->server_.options.auth_timeout_ms, "authentication");
    self->ReadMore();
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

void LytConnection::ReadMore() {
  if (reading_ || closed_ || close_after_flush_) return;
  if (requests_.size() >= server_.options.max_pipelined_requests) return;  // resumes as requests finish
  reading_ = true;
  auto handler = asio::bind_executor(strand_, [self = shared_from_this()](const boost::system::error_code& error, size_t bytes) {
    self->OnRead(error, bytes);
  });
  if (tls_) tls_stream_->async_read_some(asio::buffer(read_buffer_), std::move(handler));
  else socket_.async_read_some(asio::buffer(read_buffer_), std::move(handler));
}

void LytConnection::OnRead(const boost::system::error_code& error, size_t bytes) {
  reading_ = false;
  server_.lyt_traffic.Received(bytes);
  if (closed_) return;
  if (error) {
    Close(error == asio::error::eof ? "closed by the client" : "read failed");
    return;
  }
  decoder_.Append(std::string_view(read_buffer_.data(), bytes));
  ProcessFrames();
}

void LytConnection::ProcessFrames() {
  if (!DecodeFrames()) return;
  if (!paused_ && phase_ == Phase::Ready) StartNextRequest();
  Flush();
  if (!paused_) ReadMore();
}

bool LytConnection::DecodeFrames() {
  try {
    while (!closed_ && !close_after_flush_ && !paused_ && requests_.size() < server_.options.max_pipelined_requests) {
      std::optional<Frame> frame = decoder_.Next();
      if (!frame) break;
      HandleFrame(std::move(*frame));
    }
  } catch (const Error& e) {
    FailAndClose(ToStatus(e, ""));
    return false;
  }
  return true;
}

void LytConnection::HandleFrame(Frame frame) {
  switch (phase_) {
    case Phase::Start:
      HandleStartFrame(frame);
      return;
    case Phase::Hello:
      HandleHello(frame);
      return;
    case Phase::ScramFirst:
      HandleScramFirst(frame);
      return;
    case Phase::ScramFinal:
      HandleScramFinal(frame);
      return;
    case Phase::Ready:
      break;
  }
  if (frame.type == static_cast<uint8_t>(MessageType::Terminate)) {
    server_.log.debug("{} terminated by the client", Describe());
    requests_.clear();
    CloseAfterFlush();
    return;
  }
  QueueRequest(frame);
  timer_.cancel();  // not idle
}

// Decodes a request now, so that a malformed one is a protocol violation (the connection
// closes) rather than a statement error.
void LytConnection::QueueRequest(Frame& frame) {
  Request request{static_cast<MessageType>(frame.type), frame.request_id, {}, {}, {}};
  switch (request.type) {
    case MessageType::Query: {
      auto m = protocol::DecodePayload<protocol::QueryMessage>(frame.payload);
      request.sql = std::move(m.sql);
      request.params = std::move(m.params);
      break;
    }
    case MessageType::Prepare: {
      auto m = protocol::DecodePayload<protocol::PrepareMessage>(frame.payload);
      request.name = std::move(m.name);
      request.sql = std::move(m.sql);
      break;
    }
    case MessageType::Execute: {
      auto m = protocol::DecodePayload<protocol::ExecuteMessage>(frame.payload);
      request.name = std::move(m.name);
      request.params = std::move(m.params);
      break;
    }
    case MessageType::Close:
      request.name = protocol::DecodePayload<protocol::CloseMessage>(frame.payload).name;
      break;
    case MessageType::Ping:
      if (!frame.payload.empty()) throw Error(sqlstate::kProtocolViolation, "PING carries no payload");
      break;
    default:
      throw Error(sqlstate::kProtocolViolation, std::string("unexpected ") + protocol::MessageName(frame.type) + " after authentication");
  }
  requests_.push_back(std::move(request));
}

// The first frame: TLS_REQUEST, CANCEL or HELLO.
void LytConnection::HandleStartFrame(Frame& frame) {
  auto type = static_cast<MessageType>(frame.type);
  if (type == MessageType::TlsRequest) {
    if (tls_) throw Error(sqlstate::kProtocolViolation, "TLS_REQUEST on a connection that already uses TLS");
    if (!server_.tls) {
      SendFrame(static_cast<uint8_t>(MessageType::TlsRefuse), frame.request_id, {});
      return;  // still in Phase::Start: HELLO (or a hang-up) follows
    }
    if (decoder_.buffered() != 0) throw Error(sqlstate::kProtocolViolation, "data after TLS_REQUEST before the TLS handshake");
    SendFrame(static_cast<uint8_t>(MessageType::TlsAccept), frame.request_id, {});
    StartTls();
    return;
  }
  if (type == MessageType::Cancel) {
    HandleCancelRequest(frame);
    return;
  }
  if (server_.options.tls_required && !tls_) {
    server_.log.warn("{}: refused a session without TLS (tls_required)", Describe());
    FailAndClose(Status::Error(sqlstate::kInvalidAuthorization, "this server requires TLS (connect with tls=require or tls=verify-full)"));
    return;
  }
  phase_ = Phase::Hello;
  HandleHello(frame);
}

// TLS_ACCEPT is written in clear; the handshake starts once it is on the wire (OnWrite).
void LytConnection::StartTls() {
  paused_ = true;
  tls_pending_ = true;
  Flush();
}

void LytConnection::OnTlsHandshake(const boost::system::error_code& error) {
  if (closed_) return;
  if (error) {
    server_.log.info("{}: TLS handshake failed: {}", Describe(), error.message());
    Close("TLS handshake failed");
    return;
  }
  tls_ = true;
  paused_ = false;
  ProcessFrames();
}

void LytConnection::HandleHello(Frame& frame) {
  ExpectFrame(frame, MessageType::Hello);
  auto hello = protocol::DecodePayload<protocol::HelloMessage>(frame.payload);
  if (hello.major != protocol::kProtocolMajor) {
    FailAndClose(ProtocolError("unsupported protocol version " + std::to_string(hello.major) + "." + std::to_string(hello.minor) +
                               "; this server speaks version " + std::to_string(protocol::kProtocolMajor) + ".x"),
                 frame.request_id);
    return;
  }
  user_ = hello.Param("user");
  database_ = hello.Param("database");
  application_name_ = hello.Param("application_name");
  if (user_.empty()) {
    FailAndClose(Status::Error(sqlstate::kInvalidAuthorization, "HELLO names no user"), frame.request_id);
    return;
  }
  if (database_.empty()) database_ = Catalog::kDefaultDatabase;
  protocol::HelloOkMessage ok;
  ok.server_version = LYT_VERSION;
  Send(frame.request_id, ok);
  phase_ = Phase::ScramFirst;
}

void LytConnection::HandleScramFirst(Frame& frame) {
  ExpectFrame(frame, MessageType::AuthScramFirst);
  auto first = protocol::DecodePayload<protocol::ScramFirstMessage>(frame.payload);
  std::optional<auth::ScramVerifier> verifier = server_.engine.users().Verifier(user_);
  scram_ = verifier ? std::make_unique<auth::ScramServer>(user_, *verifier)
                    : std::make_unique<auth::ScramServer>(auth::ScramServer::ForUnknownUser(user_, server_.scram_secret));
  protocol::ScramChallengeMessage challenge;
  Status status = scram_->HandleClientFirst(first.text, &challenge.text);
  if (!status.ok()) {
    FailAndClose(status, frame.request_id);
    return;
  }
  Send(frame.request_id, challenge);
  phase_ = Phase::ScramFinal;
}

void LytConnection::HandleScramFinal(Frame& frame) {
  ExpectFrame(frame, MessageType::AuthScramFinal);
  auto final_message = protocol::DecodePayload<protocol::ScramFinalMessage>(frame.payload);
  auto delay = server_.throttle.DelayFor(user_, ClientHost());
  if (delay.count() <= 0) {
    FinishScramFinal(frame.request_id, final_message.text);
    return;
  }
  // Recent failures for this user or address: answer later; frames wait meanwhile.
  paused_ = true;
  timer_.expires_after(delay);
  timer_.async_wait(asio::bind_executor(
      strand_, [self = shared_from_this(), id = frame.request_id, text = std::move(final_message.text)](const boost::system::error_code& error) {
        if (self->closed_ || error == asio::error::operation_aborted) return;
        self->paused_ = false;
        self->FinishScramFinal(id, text);
        self->ProcessFrames();
      }));
}

std::string LytConnection::ClientHost() const { return peer_.substr(0, peer_.rfind(':')); }

void LytConnection::FinishScramFinal(uint32_t request_id, const std::string& client_final) {
  protocol::AuthOkMessage ok;
  Status status = scram_->HandleClientFinal(client_final, &ok.server_final);
  scram_.reset();
  // Only a wrong password (or unknown user) counts against the throttle: it is what guessing
  // produces; a refused database comes after a correct password.
  if (status.ok()) {
    server_.throttle.RecordSuccess(user_, ClientHost());
    status = server_.CheckCanConnect(user_, database_);
  } else {
    server_.throttle.RecordFailure(user_, ClientHost());
  }
  if (!status.ok()) {
    server_.lyt_login_failures.fetch_add(1, std::memory_order_relaxed);
    server_.log.warn("{}: login failed for user \"{}\" (database \"{}\"): {}", Describe(), user_, database_, status.message());
    FailAndClose(status, request_id);
    return;
  }
  session_ = std::make_unique<Session>(server_.engine);
  session_->set_defer_flush(true);  // DeliverWhenDurable waits for log flushes without a thread
  session_->set_current_database(database_);
  session_->set_info(SessionInfo{id_, user_, peer_, application_name_});
  cancel_key_ = RandomU64();
  session_ready_.store(true, std::memory_order_release);
  ok.session_id = id_;
  ok.cancel_key = cancel_key_;
  ok.database = database_;
  Send(request_id, ok);
  phase_ = Phase::Ready;
  timer_.cancel();
  ArmTimer(server_.options.idle_timeout_ms, "idle");
  server_.log.info("{}: user \"{}\" logged in to database \"{}\"{}", Describe(), user_, database_, tls_ ? " over TLS" : "");
}

void LytConnection::HandleCancelRequest(Frame& frame) {
  auto cancel = protocol::DecodePayload<protocol::CancelMessage>(frame.payload);
  if (auto target = server_.registry.Find(cancel.session_id)) target->CancelStatement(cancel.cancel_key);
  // No answer, whatever happened: cancel keys cannot be probed.
  Close("cancel request handled");
}

void LytConnection::CancelStatement(uint64_t cancel_key) {
  if (!authenticated() || cancel_key != cancel_key_) return;
  session_->interrupt().Raise(InterruptFlag::Reason::Cancel);
  server_.log.info("{}: statement canceled on request", Describe());
}

// ---------------------------------------------------------------------------------------------
// Requests

void LytConnection::StartNextRequest() {
  while (!busy_ && !closed_ && !close_after_flush_) {
    // Requests answered inline may have made room for frames held back by max_pipelined_requests.
    if (requests_.empty() && !DecodeFrames()) return;
    if (requests_.empty()) {
      if (shutting_down_) {
        FailAndClose(Status::Error(sqlstate::kAdminShutdown, "terminating connection due to administrator command"));
        return;
      }
      ArmTimer(server_.options.idle_timeout_ms, "idle");
      return;
    }
    Request request = std::move(requests_.front());
    requests_.pop_front();
    if (request.type == MessageType::Ping) {
      SendFrame(static_cast<uint8_t>(MessageType::Pong), request.request_id, {});
      Flush();
      continue;
    }
    busy_ = true;
    BeginStatement();
    if (RunsInline(request) && loop_.TryEnterInline()) {
      Response response = Execute(request);
      EndStatement();
      if (uint64_t ticket = session_->TakeDeferredFlush()) {
        // A lone commit flushes the log right here, still inside the inline slot (a long flush
        // gets the loop a helper).
        DeliverWhenDurable(ticket, std::move(response));
        loop_.LeaveInline();
        return;  // busy until the log flush
      }
      loop_.LeaveInline();
      response_ = std::move(response);
      if (!Pump()) return;  // the rest goes out as the socket drains (OnWrite)
      continue;
    }
    asio::post(server_.workers, [self = shared_from_this(), request = std::move(request)]() mutable {
      Response response = self->Execute(request);
      self->DeliverWhenDurable(self->session_->TakeDeferredFlush(), std::move(response));
    });
  }
}

bool LytConnection::RunsInline(const Request& request) const {
  auto ran_quickly = [this](const std::string& sql) {
    auto it = recent_micros_.find(sql);
    return it != recent_micros_.end() && it->second <= server_.options.quick_statement_us;
  };
  if (server_.options.quick_statement_us == 0) return false;
  switch (request.type) {
    case MessageType::Query:
      return ran_quickly(request.sql);
    case MessageType::Execute: {
      auto it = prepared_.find(request.name);
      return it == prepared_.end() || ran_quickly(it->second.sql);  // an unknown name fails at once
    }
    case MessageType::Prepare:
      return request.sql.size() <= kRememberedSqlBytes;  // parsing a short text is quick
    case MessageType::Close:
      return true;
    default:
      return false;
  }
}

LytConnection::Response LytConnection::Execute(Request& request) {
  auto started = std::chrono::steady_clock::now();
  Response response;
  response.request_id = request.request_id;
  const std::string* ran = nullptr;
  try {
    ran = RunRequest(request, response);
  } catch (const Error& e) {
    response.results.clear();
    response.results.push_back(QueryResult::MakeError(ToStatus(e, request.sql)));
  }
  if (request.type == MessageType::Query || request.type == MessageType::Execute) {
    using protocol::TransactionStatus;
    response.ready = !session_->in_transaction_block()       ? TransactionStatus::Idle
                     : session_->transaction_block_failed() ? TransactionStatus::Failed
                                                             : TransactionStatus::InBlock;
  }
  if (ran && ran->size() <= kRememberedSqlBytes) {
    if (recent_micros_.size() >= kRememberedStatements && !recent_micros_.contains(*ran)) recent_micros_.clear();
    recent_micros_[*ran] = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
  }
  return response;
}

// Runs on a worker or inline; only this connection's current request touches session_ and
// prepared_ meanwhile.
const std::string* LytConnection::RunRequest(Request& request, Response& response) {
  auto collect = [&](std::unique_ptr<QueryResult> result) { response.results.push_back(std::move(result)); };
  switch (request.type) {
    case MessageType::Query:
      session_->RunEach(request.sql, request.params, collect);
      return &request.sql;
    case MessageType::Prepare: {
      Prepared prepared{request.sql, ParseSql(request.sql), 0};  // a syntax error fails PREPARE
      prepared.param_count = CountParameters(prepared.statements);
      protocol::PreparedMessage message;
      message.params.assign(prepared.param_count, LogicalType());  // types come with EXECUTE's values
      prepared_[request.name] = std::move(prepared);
      response.single_type = static_cast<uint8_t>(MessageType::Prepared);
      response.single_payload = protocol::EncodePayload(message);
      return nullptr;
    }
    case MessageType::Execute: {
      auto it = prepared_.find(request.name);
      if (it == prepared_.end()) {
        throw Error(sqlstate::kInvalidSqlStatementName, "prepared statement \"" + request.name + "\" does not exist");
      }
      if (request.params.size() != it->second.param_count) {
        throw Error(sqlstate::kProtocolViolation, "prepared statement \"" + request.name + "\" takes " +
                                                      std::to_string(it->second.param_count) + " parameters, EXECUTE supplied " +
                                                      std::to_string(request.params.size()));
      }
      session_->RunParsed(it->second.statements, it->second.sql, request.params, collect);
      return &it->second.sql;
    }
    case MessageType::Close:
      prepared_.erase(request.name);  // closing an unknown name is not an error (as in PostgreSQL)
      response.single_type = static_cast<uint8_t>(MessageType::Closed);
      return nullptr;
    default:
      ThrowInternal("unexpected request type");
  }
}

// Hands `response` to the strand once the commit with `ticket` (0: none) is durable. A failed
// flush replaces the results with its error: the commit may not survive a crash.
void LytConnection::DeliverWhenDurable(uint64_t ticket, Response response) {
  auto held = std::make_shared<Response>(std::move(response));
  server_.engine.WhenDurable(ticket, [self = shared_from_this(), held](const Status& status) {
    if (!status.ok()) {
      held->results.clear();
      held->results.push_back(QueryResult::MakeError(status));
    }
    asio::post(self->strand_, [self, held] { self->OnRequestDone(std::move(*held)); });
  });
}

void LytConnection::OnRequestDone(Response response) {
  EndStatement();
  if (closed_) return;
  response_ = std::move(response);
  if (Pump() && !closed_) ProcessFrames();
}

bool LytConnection::Pump() {
  while (response_ && !closed_) {
    Response& r = *response_;
    if (out_.size() >= kOutputHighWater) {
      Flush();
      return false;  // OnWrite pumps again
    }
    if (r.single_type != 0) {
      SendFrame(r.single_type, r.request_id, r.single_payload);
      response_.reset();
      break;
    }
    if (r.next_result == r.results.size()) {
      FinishResponse();
      break;
    }
    QueryResult& result = *r.results[r.next_result];
    if (!result.ok()) {
      SendError(r.request_id, result.status());
      FinishResponse();  // a response stops at its first error
      break;
    }
    if (result.returns_rows()) {
      if (!r.columns_sent) {
        protocol::ColumnsMessage columns;
        for (const auto& c : result.columns()) columns.columns.push_back({c.name, c.type});
        Send(r.request_id, columns);
        r.columns_sent = true;
        continue;
      }
      if (const ResultBatch* batch = result.NextBatch()) {
        protocol::PayloadWriter payload;
        protocol::EncodeBatch(batch->data(), payload);
        SendFrame(static_cast<uint8_t>(MessageType::Batch), r.request_id, payload.buffer());
        continue;
      }
    }
    protocol::CompleteMessage complete;
    complete.tag = result.command_tag();
    complete.rows = static_cast<uint64_t>(std::max<int64_t>(result.rows_affected(), 0));
    Send(r.request_id, complete);
    r.results[r.next_result].reset();  // free the rows as soon as they are sent
    ++r.next_result;
    r.columns_sent = false;
  }
  Flush();
  if (response_) return false;
  busy_ = false;
  return true;
}

void LytConnection::FinishResponse() {
  if (response_->ready) Send(response_->request_id, protocol::ReadyMessage{*response_->ready});
  response_.reset();
}

// ---------------------------------------------------------------------------------------------
// Writing

void LytConnection::SendFrame(uint8_t type, uint32_t request_id, std::string_view payload) {
  if (closed_) return;
  protocol::AppendFrame(out_, type, request_id, payload);
}

void LytConnection::SendError(uint32_t request_id, const Status& status) {
  Send(request_id, protocol::ErrorMessage::From(status));
}

void LytConnection::Flush() {
  if (writing_ || closed_) return;
  if (out_.empty()) {
    if (close_after_flush_) Close("closed");
    return;
  }
  writing_ = true;
  in_flight_.swap(out_);
  out_.clear();
  auto handler = asio::bind_executor(strand_, [self = shared_from_this()](const boost::system::error_code& error, size_t bytes) {
    self->OnWrite(error, bytes);
  });
  if (tls_) asio::async_write(*tls_stream_, asio::buffer(in_flight_), std::move(handler));
  else asio::async_write(socket_, asio::buffer(in_flight_), std::move(handler));
}

void LytConnection::OnWrite(const boost::system::error_code& error, size_t bytes) {
  writing_ = false;
  server_.lyt_traffic.Sent(bytes);
  in_flight_.clear();
  if (closed_) return;
  if (error) {
    Close("write failed (the client went away)");
    return;
  }
  if (tls_pending_) {
    tls_pending_ = false;
    // The TLS stream (OpenSSL state and its buffers, tens of KiB) exists only for TLS sessions.
    tls_stream_ = std::make_unique<TlsStream>(socket_, *server_.tls);
    tls_stream_->async_handshake(asio::ssl::stream_base::server,
                            asio::bind_executor(strand_, [self = shared_from_this()](const boost::system::error_code& e) {
                              self->OnTlsHandshake(e);
                            }));
    return;
  }
  if (response_) {
    if (Pump() && !closed_) ProcessFrames();
    return;
  }
  Flush();
}

void LytConnection::FailAndClose(const Status& status, uint32_t request_id) {
  if (closed_ || close_after_flush_) return;
  if (status.sqlstate() == sqlstate::kProtocolViolation) server_.log.info("{}: protocol violation: {}", Describe(), status.message());
  SendError(request_id, status);
  CloseAfterFlush();
}

void LytConnection::CloseAfterFlush() {
  close_after_flush_ = true;
  requests_.clear();
  // A statement still running on a worker is told to stop; its results are dropped.
  if (authenticated() && busy_) session_->interrupt().Raise(InterruptFlag::Reason::Cancel);
  Flush();
}

void LytConnection::Close(const char* reason) {
  if (closed_) return;
  closed_ = true;
  if (authenticated()) {
    session_->interrupt().Raise(InterruptFlag::Reason::Cancel);
    server_.log.info("{}: closed ({})", Describe(), reason);
  } else {
    server_.log.debug("{}: closed ({})", Describe(), reason);
  }
  boost::system::error_code ignored;
  timer_.cancel();
  statement_timer_.cancel();
  socket_.shutdown(Socket::shutdown_both, ignored);
  socket_.close(ignored);
  response_.reset();
  requests_.clear();
}

// ---------------------------------------------------------------------------------------------
// Timers and shutdown

void LytConnection::ArmTimer(uint32_t milliseconds, const char* what) {
  if (milliseconds == 0) return;
  timer_.expires_after(std::chrono::milliseconds(milliseconds));
  timer_.async_wait(asio::bind_executor(strand_, [self = shared_from_this(), what, milliseconds](const boost::system::error_code& error) {
    if (error == asio::error::operation_aborted || self->closed_) return;
    if (self->phase_ != Phase::Ready) {
      self->FailAndClose(ProtocolError("authentication timed out after " + std::to_string(milliseconds) + " ms (auth_timeout_ms)"));
      return;
    }
    if (self->busy_ || !self->requests_.empty()) return;  // not idle after all
    self->server_.log.info("{}: closed after {} ms without a request", self->Describe(), milliseconds);
    self->FailAndClose(Status::Error(sqlstate::kIdleSessionTimeout, std::string("terminating connection due to ") + what +
                                                                        " timeout (" + std::to_string(milliseconds) +
                                                                        " ms, idle_timeout_ms)"));
  }));
}

void LytConnection::BeginStatement() {
  uint64_t statement = ++statement_seq_;
  running_statement_.store(statement, std::memory_order_release);
  uint32_t limit = server_.options.statement_timeout_ms;
  if (limit == 0) return;
  statement_timer_.expires_after(std::chrono::milliseconds(limit));
  statement_timer_.async_wait([self = shared_from_this(), statement](const boost::system::error_code& error) {
    if (error == asio::error::operation_aborted) return;
    if (self->running_statement_.load(std::memory_order_acquire) == statement) {
      self->session_->interrupt().Raise(InterruptFlag::Reason::Timeout);
    }
  });
}

void LytConnection::EndStatement() {
  running_statement_.store(0, std::memory_order_release);
  if (server_.options.statement_timeout_ms != 0) statement_timer_.cancel();
}

void LytConnection::BeginShutdown() {
  asio::dispatch(strand_, [self = shared_from_this()] {
    if (self->closed_) return;
    self->shutting_down_ = true;
    self->requests_.clear();
    if (!self->busy_) {
      self->FailAndClose(Status::Error(sqlstate::kAdminShutdown, "terminating connection due to administrator command"));
    }
  });
}

void LytConnection::ForceShutdown() {
  if (authenticated()) session_->interrupt().Raise(InterruptFlag::Reason::Shutdown);
  asio::dispatch(strand_, [self = shared_from_this()] { self->Close("server shutdown"); });
}

}  // namespace lyt::frontend
