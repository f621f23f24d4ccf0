#include "frontend/http/http_connection.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "frontend/http/http_api.h"
#include "main/engine.h"
#include "main/session.h"

namespace lyt::frontend::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

void RunningStatement::Start(std::weak_ptr<Session> session) {
  std::lock_guard lock(mutex_);
  session_ = std::move(session);
}

void RunningStatement::Stop() {
  std::lock_guard lock(mutex_);
  session_.reset();
}

void RunningStatement::Interrupt() {
  std::lock_guard lock(mutex_);
  if (auto session = session_.lock()) session->interrupt().Raise(InterruptFlag::Reason::Shutdown);
}

namespace {

constexpr auto kReadTimeout = std::chrono::seconds(30);   // the rest of a request once it began; a reply's write
constexpr auto kDefaultIdle = std::chrono::seconds(60);  // between requests, unless idle_timeout_ms says less
constexpr auto kTokenOf = asio::as_tuple(asio::use_awaitable);

class HttpConnection final : public net::RegisteredConnection, public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(net::ServerContext& server, tcp::socket socket)
      : server_(server), stream_(std::move(socket)), running_(std::make_shared<RunningStatement>()) {
    boost::system::error_code error;
    auto remote = stream_.socket().remote_endpoint(error);
    if (!error) {
      host_ = remote.address().to_string();
      peer_ = (remote.address().is_v6() ? "[" + host_ + "]" : host_) + ":" + std::to_string(remote.port());
    }
  }

  ~HttpConnection() override {
    if (id_ != 0) {
      server_.registry.Remove(id_);
      server_.http.connections.fetch_sub(1, std::memory_order_relaxed);
    }
  }

  asio::awaitable<void> Run();

  void CancelStatement(uint64_t) override {}
  void BeginShutdown() override {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->shutting_down_ = true;
      if (self->idle_) self->stream_.cancel();  // waiting for a request: stop now
    });
  }
  void ForceShutdown() override {
    running_->Interrupt();
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->stream_.close(); });
  }

 private:
  template <class Stream>
  asio::awaitable<void> Serve(Stream& stream, bool tls);
  // Reads one request; nullopt when the connection should end (after answering a limit).
  template <class Stream>
  asio::awaitable<std::optional<bhttp::request<bhttp::string_body>>> ReadRequest(Stream& stream);
  template <class Stream>
  asio::awaitable<bool> Write(Stream& stream, Reply& reply, unsigned version, bool keep_alive, bool head);
  template <class Message>
  void SetHeaders(Message& message, const Reply& reply, bool keep_alive);

  net::ServerContext& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<RunningStatement> running_;
  std::string host_, peer_;
  uint64_t id_ = 0;
  // On the connection's event loop only.
  bool idle_ = false;
  bool shutting_down_ = false;
};

asio::awaitable<void> HttpConnection::Run() {
  uint64_t id = server_.engine.sessions().NextId();
  if (!server_.registry.Add(id, weak_from_this())) {
    server_.log.warn("refused an HTTP connection from {}: max_connections ({}) reached", peer_, server_.options.max_connections);
    co_return;
  }
  id_ = id;
  server_.http.connections.fetch_add(1, std::memory_order_relaxed);
  if (server_.shutting_down) co_return;
  stream_.expires_after(kReadTimeout);
  auto [error, tls] = co_await beast::async_detect_ssl(stream_, buffer_, kTokenOf);
  if (error) co_return;
  if (!tls) {
    co_await Serve(stream_, false);
    boost::system::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    co_return;
  }
  if (!server_.tls) {
    server_.log.warn("HTTP {}: TLS handshake refused: the server has no certificate (tls_cert_file, tls_key_file)", peer_);
    co_return;
  }
  asio::ssl::stream<beast::tcp_stream&> tls_stream(stream_, *server_.tls);
  auto [handshake_error, used] = co_await tls_stream.async_handshake(asio::ssl::stream_base::server, buffer_.data(), kTokenOf);
  if (handshake_error) {
    server_.log.warn("HTTP {}: TLS handshake failed: {}", peer_, handshake_error.message());
    co_return;
  }
  buffer_.consume(used);
  co_await Serve(tls_stream, true);
  stream_.expires_after(std::chrono::seconds(5));
  co_await tls_stream.async_shutdown(kTokenOf);
}

template <class Stream>
asio::awaitable<std::optional<bhttp::request<bhttp::string_body>>> HttpConnection::ReadRequest(Stream& stream) {
  const net::ServerOptions& o = server_.options;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(o.http_max_header_bytes);
  parser.body_limit(o.http_max_body_bytes);
  auto idle = o.idle_timeout_ms != 0 ? std::min<std::chrono::milliseconds>(kDefaultIdle, std::chrono::milliseconds(o.idle_timeout_ms))
                                     : std::chrono::milliseconds(kDefaultIdle);
  stream_.expires_after(idle);
  idle_ = true;
  auto [error, bytes] = co_await bhttp::async_read_header(stream, buffer_, parser, kTokenOf);
  idle_ = false;
  server_.http_traffic.Received(bytes);
  if (!error && parser.get()[bhttp::field::expect] == "100-continue") {
    static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    stream_.expires_after(kReadTimeout);
    co_await asio::async_write(stream, asio::buffer(kContinue), kTokenOf);
  }
  if (!error) {
    stream_.expires_after(kReadTimeout);
    auto [body_error, body_bytes] = co_await bhttp::async_read(stream, buffer_, parser, kTokenOf);
    server_.http_traffic.Received(body_bytes);
    error = body_error;
  }
  if (!error) co_return parser.release();
  std::optional<Reply> refusal;
  if (error == bhttp::error::body_limit) {
    refusal = ErrorReply(413, sqlstate::kProgramLimitExceeded,
                         "the request body is larger than http_max_body_bytes (" + std::to_string(o.http_max_body_bytes) + ")");
  } else if (error == bhttp::error::header_limit) {
    refusal = ErrorReply(431, sqlstate::kProgramLimitExceeded,
                         "the request header is larger than http_max_header_bytes (" + std::to_string(o.http_max_header_bytes) + ")");
  } else if (error != beast::error::timeout && error != bhttp::error::end_of_stream && error != asio::error::eof &&
             error != asio::error::operation_aborted && error != asio::error::connection_reset) {
    refusal = ErrorReply(400, sqlstate::kProtocolViolation, "malformed HTTP request: " + error.message());
  }
  if (refusal) {
    server_.log.info("HTTP {}: request refused: {}", peer_, refusal->body);
    co_await Write(stream, *refusal, 11, false, false);
  }
  co_return std::nullopt;
}

template <class Message>
void HttpConnection::SetHeaders(Message& message, const Reply& reply, bool keep_alive) {
  message.set(bhttp::field::server, "lytdb");
  message.set(bhttp::field::content_type, reply.content_type);
  message.set("X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : reply.headers) message.set(name, value);
  message.keep_alive(keep_alive);
}

template <class Stream>
asio::awaitable<bool> HttpConnection::Write(Stream& stream, Reply& reply, unsigned version, bool keep_alive, bool head) {
  stream_.expires_after(kReadTimeout);
  if (reply.more && version < 11) {
    while (reply.more(reply.body)) {
    }
    reply.more = nullptr;  // HTTP/1.0 has no chunks: the whole body, then
  }
  if (!reply.more) {
    bhttp::response<bhttp::string_body> response{static_cast<bhttp::status>(reply.status), version};
    SetHeaders(response, reply, keep_alive);
    response.content_length(reply.body.size());
    if (!head) response.body() = std::move(reply.body);
    bhttp::response_serializer<bhttp::string_body> serializer{response};
    if (head) serializer.split(true);
    auto [error, bytes] = head ? co_await bhttp::async_write_header(stream, serializer, kTokenOf)
                               : co_await bhttp::async_write(stream, serializer, kTokenOf);
    server_.http_traffic.Sent(bytes);
    co_return !error;
  }
  bhttp::response<bhttp::empty_body> response{static_cast<bhttp::status>(reply.status), version};
  SetHeaders(response, reply, keep_alive);
  response.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> serializer{response};
  auto [error, bytes] = co_await bhttp::async_write_header(stream, serializer, kTokenOf);
  server_.http_traffic.Sent(bytes);
  if (error || head) co_return !error;
  std::string part = std::move(reply.body);
  for (bool last = false; !last;) {
    last = !reply.more(part);
    if (part.empty()) continue;
    stream_.expires_after(kReadTimeout);
    auto [chunk_error, chunk_bytes] = co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(part)), kTokenOf);
    server_.http_traffic.Sent(chunk_bytes);
    if (chunk_error) co_return false;
    part.clear();
  }
  auto [end_error, end_bytes] = co_await asio::async_write(stream, bhttp::make_chunk_last(), kTokenOf);
  server_.http_traffic.Sent(end_bytes);
  co_return !end_error;
}

template <class Stream>
asio::awaitable<void> HttpConnection::Serve(Stream& stream, bool tls) {
  while (!shutting_down_) {
    auto message = co_await ReadRequest(stream);
    if (!message) co_return;
    server_.http.requests.fetch_add(1, std::memory_order_relaxed);
    Request request;
    request.method = std::string(message->method_string());
    std::string_view target = message->target();
    request.path = std::string(target.substr(0, target.find('?')));
    request.authorization = std::string((*message)[bhttp::field::authorization]);
    request.content_type = std::string((*message)[bhttp::field::content_type]);
    request.body = std::move(message->body());
    request.peer = peer_;
    request.client_host = host_;
    request.tls = tls;
    request.running = running_;
    stream_.expires_never();
    Reply reply;
    try {
      reply = co_await HandleRequest(server_, std::move(request));
    } catch (const std::exception& e) {
      server_.log.error("HTTP {}: {} {} failed: {}", peer_, message->method_string(), std::string(target), e.what());
      reply = ErrorReply(500, sqlstate::kInternalError, std::string("internal error: ") + e.what());
    }
    bool keep_alive = message->keep_alive() && !reply.close && !shutting_down_;
    bool written = co_await Write(stream, reply, message->version(), keep_alive, message->method() == bhttp::verb::head);
    if (!written || !keep_alive) co_return;
  }
}

}  // namespace

void StartConnection(net::ServerContext& server, net::EventLoop& loop, tcp::socket socket) {
  auto connection = std::make_shared<HttpConnection>(server, std::move(socket));
  asio::co_spawn(loop.io(), [connection]() { return connection->Run(); }, asio::detached);
}

}  // namespace lyt::frontend::http
