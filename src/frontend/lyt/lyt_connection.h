// One client connection speaking the lyt protocol (docs/protocol.md): the handshake (TLS upgrade,
// HELLO, SCRAM-SHA-256), then requests answered in order.
//
// Threads: everything runs on the connection's strand (one at a time, on the thread of its event
// loop, net::EventLoop) except statements. A QUERY / PREPARE / EXECUTE runs on the worker pool
// and hands its results back to the strand, which encodes them batch by batch as the socket
// drains. A request expected to be quick (its SQL text ran within quick_statement_us the last time
// on this connection) runs on the strand itself when the loop's inline slot is free: that saves
// the two thread hand-offs, which cost more than a point query. So a slow reader holds at most about one
// batch of encoded output (plus the statement's result, bounded by the memory limit), and at most
// max_pipelined_requests unanswered requests: beyond that the connection stops reading, and TCP
// pushes back on the client.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "auth/scram.h"
#include "lyt/database.h"
#include "main/session.h"
#include "net/server_context.h"
#include "protocol/frame.h"
#include "protocol/messages.h"

namespace lyt::frontend {

class LytConnection final : public net::RegisteredConnection, public std::enable_shared_from_this<LytConnection> {
 public:
  using Socket = boost::asio::ip::tcp::socket;

  // `socket` belongs to `loop`'s io_context.
  LytConnection(net::ServerContext& server, net::EventLoop& loop, Socket socket);
  ~LytConnection() override;

  // Registers the connection (or refuses it with 53300 when the server is full) and starts
  // reading. Call once, right after construction.
  void Start();

  void CancelStatement(uint64_t cancel_key) override;
  void BeginShutdown() override;
  void ForceShutdown() override;

 private:
  enum class Phase { Start, Hello, ScramFirst, ScramFinal, Ready };
  // A statement prepared on this connection, parsed once.
  struct Prepared {
    std::string sql;
    std::vector<ast::StatementPtr> statements;
    uint16_t param_count = 0;
  };
  // The response being sent: the results of one request, encoded as the socket drains.
  struct Response {
    uint32_t request_id = 0;
    std::vector<std::unique_ptr<QueryResult>> results;
    // A one-frame answer (PREPARED, CLOSED) instead of statement results; 0: none.
    uint8_t single_type = 0;
    std::string single_payload;
    // QUERY and EXECUTE responses end with READY carrying the session's transaction status.
    std::optional<protocol::TransactionStatus> ready;
    size_t next_result = 0;
    bool columns_sent = false;
  };

  // A decoded request, waiting its turn.
  struct Request {
    protocol::MessageType type;
    uint32_t request_id = 0;
    std::string name;  // PREPARE, EXECUTE, CLOSE
    std::string sql;   // QUERY, PREPARE
    std::vector<Value> params;
  };

  // Reading and framing.
  void ReadMore();
  void OnRead(const boost::system::error_code& error, size_t bytes);
  // Handles the frames buffered so far, unless paused (TLS handshake, delayed login answer, too
  // many requests queued); then reads more.
  void ProcessFrames();
  void HandleFrame(protocol::Frame frame);
  void QueueRequest(protocol::Frame& frame);
  void HandleStartFrame(protocol::Frame& frame);
  void HandleHello(protocol::Frame& frame);
  void HandleScramFirst(protocol::Frame& frame);
  void HandleScramFinal(protocol::Frame& frame);
  void FinishScramFinal(uint32_t request_id, const std::string& client_final);
  void HandleCancelRequest(protocol::Frame& frame);
  void StartTls();
  void OnTlsHandshake(const boost::system::error_code& error);

  // Requests, in order.
  // Decodes buffered frames into requests_ while there is room; false when the connection is
  // closing after a protocol violation.
  bool DecodeFrames();
  void StartNextRequest();
  // Whether `request` runs on this I/O thread rather than on a worker (see the top comment).
  bool RunsInline(const Request& request) const;
  // Runs `request` (on a worker or inline) and records how long its SQL took.
  Response Execute(Request& request);
  // Runs `request` into `response`; returns the SQL text that ran (null: none, as for PREPARE).
  const std::string* RunRequest(Request& request, Response& response);
  void OnRequestDone(Response response);
  void DeliverWhenDurable(uint64_t ticket, Response response);
  // Encodes the current response while the output buffer has room. True when the response is
  // complete (and busy_ is cleared); false while it waits for the socket.
  bool Pump();
  // Ends the current response (with READY where it takes one).
  void FinishResponse();

  // Writing.
  template <class M>
  void Send(uint32_t request_id, const M& message) {
    SendFrame(static_cast<uint8_t>(M::kType), request_id, protocol::EncodePayload(message));
  }
  void SendFrame(uint8_t type, uint32_t request_id, std::string_view payload);
  void SendError(uint32_t request_id, const Status& status);
  void Flush();
  void OnWrite(const boost::system::error_code& error, size_t bytes);
  // Sends `status` (request id 0 unless given), then closes once it is written.
  void FailAndClose(const Status& status, uint32_t request_id = 0);
  void CloseAfterFlush();
  void Close(const char* reason);

  void ArmTimer(uint32_t milliseconds, const char* what);
  // Marks a statement as running and starts the statement timeout; EndStatement undoes both.
  void BeginStatement();
  void EndStatement();

  bool authenticated() const { return session_ready_.load(std::memory_order_acquire); }
  std::string Describe() const;  // "connection 7 (127.0.0.1:50312)"
  std::string ClientHost() const;  // the peer's address without the port (for the login throttle)

  net::ServerContext& server_;
  net::EventLoop& loop_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  using TlsStream = boost::asio::ssl::stream<Socket&>;
  Socket socket_;
  std::unique_ptr<TlsStream> tls_stream_;  // created at the TLS handshake; refers to socket_
  bool tls_ = false;
  uint64_t id_ = 0;
  std::string peer_;
  Phase phase_ = Phase::Start;

  std::array<char, 16 * 1024> read_buffer_;
  protocol::FrameDecoder decoder_;
  bool reading_ = false;
  bool paused_ = false;       // frames wait: TLS handshake or a delayed login answer under way
  bool tls_pending_ = false;  // TLS_ACCEPT is being written; the handshake follows
  bool writing_ = false;
  bool close_after_flush_ = false;
  bool closed_ = false;
  bool shutting_down_ = false;  // finish the current response, then close
  std::string out_;             // encoded, not yet handed to the socket
  std::string in_flight_;       // handed to the socket, being written

  std::deque<Request> requests_;  // received, not yet started
  bool busy_ = false;                     // a request runs on a worker or its response is being sent
  std::optional<Response> response_;

  boost::asio::steady_timer timer_;  // authentication, then idle timeout
  // Statement timeout. On the server's control thread: an inline statement holds the strand and
  // its loop while it runs. Armed and canceled on the strand; its handler touches only
  // running_statement_ and the session's interrupt flag.
  boost::asio::steady_timer statement_timer_;
  uint64_t statement_seq_ = 0;                  // statements begun so far
  std::atomic<uint64_t> running_statement_{0};  // the running one's number; 0: none

  // Authentication.
  std::string user_;
  std::string database_;
  std::string application_name_;
  std::unique_ptr<auth::ScramServer> scram_;
  uint64_t cancel_key_ = 0;
  // Set once (on the strand, before session_ready_ is released); read by CancelStatement.
  std::unique_ptr<Session> session_;
  std::atomic<bool> session_ready_{false};
  // Touched by the running request (on a worker or inline; one at a time per connection) and,
  // between requests, by the strand.
  std::map<std::string, Prepared> prepared_;
  // How long each recently run SQL text (up to kRememberedSqlBytes) took, in microseconds; at
  // most kRememberedStatements entries (forgotten all at once when full).
  std::unordered_map<std::string, int64_t> recent_micros_;
};

}  // namespace lyt::frontend
