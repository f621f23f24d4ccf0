// The HTTP API's requests, replies and handlers (docs/http-api.md), apart from the sockets:
// http_connection.cc reads a request with Boost.Beast, hands it to HandleRequest and writes the
// reply. Internal to the front end: it includes Boost.Asio.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "lyt/status.h"
#include "net/server_context.h"

namespace lyt {
class Session;
}

namespace lyt::frontend::http {

// The statement session a connection's request is running, so that a shutdown can interrupt it.
// Thread-safe: `mutex_` guards `session_`.
class RunningStatement {
 public:
  void Start(std::weak_ptr<Session> session);
  void Stop();
  // Stops the running statement, if any, with 57P01.
  void Interrupt();

 private:
  std::mutex mutex_;
  std::weak_ptr<Session> session_;
};

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // the target without its query string, still percent-encoded
  std::string authorization;  // the Authorization header
  std::string content_type;
  std::string body;
  std::string peer;         // "127.0.0.1:50312"
  std::string client_host;  // "127.0.0.1": the login throttle counts per host
  bool tls = false;
  std::shared_ptr<RunningStatement> running;  // null: nobody interrupts it
};

struct Reply {
  unsigned status = 200;
  std::string content_type = "application/json";
  // The whole body; or, when `more` is set, its first part: the connection then calls `more`
  // for the next part (appended to the string it is given) until it returns false, and sends
  // the body with chunked transfer encoding. `more` runs on the connection's thread.
  std::string body;
  std::function<bool(std::string&)> more;
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones (Retry-After, ...)
  bool close = false;  // close the connection after this reply
};

// A JSON error reply: {"error": {"code", "message", "position"?}}.
Reply ErrorReply(unsigned status, std::string_view sqlstate, std::string_view message, int line = 0, int column = 0);
// The same for a failed statement, with the HTTP status its SQLSTATE maps to
// (docs/http-api.md, "Errors").
Reply ErrorReply(const Status& status);
unsigned HttpStatusFor(std::string_view sqlstate);

// Runs `request` on the connection's executor (statements hop to the worker pool and back).
boost::asio::awaitable<Reply> HandleRequest(net::ServerContext& server, Request request);

// Every route the server answers: method and path pattern ("/v1/databases/{db}/tables"), in
// the order they are matched. The OpenAPI test compares it with docs/openapi.json.
struct RouteInfo {
  const char* method;
  const char* pattern;
  bool authenticated;  // needs a bearer token or Basic credentials
};
const std::vector<RouteInfo>& Routes();

}  // namespace lyt::frontend::http
