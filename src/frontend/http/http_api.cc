// Routing, errors, authentication, login and logout, health, the OpenAPI document and the
// dashboard's files. Queries are in http_query.cc; browsing and status in http_browse.cc.
#include "frontend/http/http_api.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>

#include <spdlog/spdlog.h>

#include "auth/base64.h"
#include "auth/crypto.h"
#include "common/error.h"
#include "durability/store.h"
#include "frontend/http/embedded_files.h"
#include "frontend/http/http_internal.h"
#include "frontend/http/json_text.h"
#include "main/engine.h"

namespace lyt::frontend::http {

namespace asio = boost::asio;
namespace json = boost::json;

// ---------------------------------------------------------------------------------------------
// Replies

unsigned HttpStatusFor(std::string_view sqlstate) {
  auto is = [&](std::string_view code) { return sqlstate == code; };
  auto in_class = [&](std::string_view cls) { return sqlstate.substr(0, 2) == cls; };
  if (is(sqlstate::kInvalidAuthorization) || is(sqlstate::kInvalidPassword)) return 401;
  if (is(sqlstate::kInsufficientPrivilege)) return 403;
  if (is(sqlstate::kInvalidCatalogName) || is(sqlstate::kUndefinedTable)) return 404;
  if (is(sqlstate::kQueryCanceled)) return 408;
  if (in_class("23") || is(sqlstate::kSerializationFailure)) return 409;
  if (is(kRateLimited)) return 429;
  if (is(sqlstate::kAdminShutdown) || is(sqlstate::kOutOfMemory) || in_class("58") || is(sqlstate::kDiskFull) ||
      is(sqlstate::kTooManyConnections)) {
    return 503;
  }
  if (in_class("XX")) return 500;
  return 400;  // syntax and data errors, bad requests
}

Reply ErrorReply(unsigned status, std::string_view code, std::string_view message, int line, int column) {
  Reply reply;
  reply.status = status;
  std::string& out = reply.body;
  out = "{\"error\":{";
  AppendJsonKey(out, "code", true);
  AppendJsonString(out, code);
  AppendJsonKey(out, "message");
  AppendJsonString(out, message);
  if (line > 0) {
    out += ",\"position\":{\"line\":" + std::to_string(line) + ",\"column\":" + std::to_string(column) + "}";
  }
  out += "}}";
  return reply;
}

Reply ErrorReply(const Status& status) {
  return ErrorReply(HttpStatusFor(status.sqlstate()), status.sqlstate(), status.message(), status.line(), status.column());
}

Reply JsonReply(std::string body, unsigned status) {
  Reply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

std::string IsoTime(std::chrono::system_clock::time_point when) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// ---------------------------------------------------------------------------------------------
// Request bodies

Status ParseJsonObject(const Request& request, json::object* out) {
  if (request.body.empty()) return Status::Error(sqlstate::kProtocolViolation, "the request needs a JSON object as its body");
  json::parse_options options;
  options.max_depth = 32;
  boost::system::error_code error;
  json::value value = json::parse(request.body, error, {}, options);
  if (error) return Status::Error(sqlstate::kInvalidTextRepresentation, "the body is not valid JSON: " + error.message());
  if (!value.is_object()) return Status::Error(sqlstate::kProtocolViolation, "the body must be a JSON object");
  *out = std::move(value.as_object());
  return Status::OK();
}

Status StringField(const json::object& object, std::string_view key, bool required, std::string* out) {
  const json::value* field = object.if_contains(key);
  if (field == nullptr || field->is_null()) {
    if (!required) return Status::OK();
    return Status::Error(sqlstate::kProtocolViolation, "the body lacks \"" + std::string(key) + "\"");
  }
  if (!field->is_string()) return Status::Error(sqlstate::kProtocolViolation, "\"" + std::string(key) + "\" must be a string");
  *out = std::string(field->as_string());
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------
// Authentication

asio::awaitable<bool> CheckPasswordSlowly(net::ServerContext& server, const Request& request, const std::string& user,
                                          const std::string& password) {
  std::chrono::milliseconds delay = server.throttle.DelayFor(user, request.client_host);
  if (delay.count() == 0 && server.TryRememberedPassword(user, password, request.client_host)) co_return true;
  if (delay.count() > 0) {
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    co_await timer.async_wait(asio::use_awaitable);
  }
  // PBKDF2 takes milliseconds: off the event loop.
  bool ok = co_await OnWorker(server, [&] { return server.CheckPassword(user, password, request.client_host); });
  if (!ok) {
    server.http.login_failures.fetch_add(1, std::memory_order_relaxed);
    server.log.warn("HTTP {}: login failed for user \"{}\"", request.peer, user);
  }
  co_return ok;
}

namespace {

Reply Unauthorized(std::string_view message) {
  Reply reply = ErrorReply(401, sqlstate::kInvalidAuthorization, message);
  // Bearer only: a Basic challenge would make browsers pop up their own login dialog over the
  // dashboard's.
  reply.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"lytdb\"");
  return reply;
}

Reply LoginFailed(const std::string& user) {
  Reply reply = ErrorReply(401, sqlstate::kInvalidPassword, "password authentication failed for user \"" + user + "\"");
  reply.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"lytdb\"");
  return reply;
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); });
}

// Charges one request to `token` in `store` and checks that its grant still holds: nullopt with
// caller->user set, or the reply refusing the request. `*known` is false when the store does not
// have the token (never issued, expired or revoked).
std::optional<Reply> UseGrant(net::ServerContext& server, auth::TokenStore& store, std::string_view token, Caller* caller,
                              bool* known) {
  auth::TokenStore::Grant grant;
  std::chrono::milliseconds retry_after{0};
  *known = true;
  switch (store.Use(token, &grant, &retry_after)) {
    case auth::TokenStore::Outcome::kUnknown:
      *known = false;
      return Unauthorized("the token is unknown, expired or revoked: log in again");
    case auth::TokenStore::Outcome::kRateLimited: {
      Reply reply = ErrorReply(429, kRateLimited, "too many requests with these credentials: slow down");
      reply.headers.emplace_back("Retry-After", std::to_string((retry_after.count() + 999) / 1000));
      return reply;
    }
    case auth::TokenStore::Outcome::kOk:
      break;
  }
  // A changed password or a dropped user ends the user's tokens.
  auto verifier = server.engine.users().Verifier(grant.user);
  if (!verifier || verifier->stored_key != grant.credential) {
    store.Revoke(token);
    *known = false;
    return Unauthorized("the token is no longer valid (the user's password changed or the user was dropped)");
  }
  caller->user = std::move(grant.user);
  return std::nullopt;
}

asio::awaitable<std::optional<Reply>> AuthenticateBearer(net::ServerContext& server, std::string_view token, Caller* caller) {
  bool known = false;
  std::optional<Reply> refused = UseGrant(server, server.tokens, token, caller, &known);
  if (!refused) caller->token = std::string(token);
  co_return refused;
}

// Credentials verified once are remembered (ServerContext::basic_logins) under an HMAC of the
// encoded header value: later requests with them skip PBKDF2 until the entry expires, and a
// changed password ends them as it ends tokens.
asio::awaitable<std::optional<Reply>> AuthenticateBasic(net::ServerContext& server, const Request& request,
                                                        std::string_view encoded, Caller* caller) {
  std::string remembered = auth::HexEncode(auth::Hmac(server.scram_secret, "http-basic:" + std::string(encoded)));
  bool known = false;
  std::optional<Reply> refused = UseGrant(server, server.basic_logins, remembered, caller, &known);
  if (known) co_return refused;
  auto decoded = auth::Base64Decode(encoded);
  size_t colon = decoded ? decoded->find(':') : std::string::npos;
  if (colon == std::string::npos) co_return Unauthorized("malformed Basic credentials");
  std::string user = decoded->substr(0, colon);
  std::string password = decoded->substr(colon + 1);
  if (!co_await CheckPasswordSlowly(server, request, user, password)) co_return LoginFailed(user);
  auto verifier = server.engine.users().Verifier(user);
  if (!verifier) co_return LoginFailed(user);  // dropped meanwhile
  Status status = server.basic_logins.Remember(remembered, {user, verifier->stored_key});
  if (!status.ok()) co_return ErrorReply(status);
  caller->user = std::move(user);
  co_return std::nullopt;
}

}  // namespace

asio::awaitable<std::optional<Reply>> Authenticate(net::ServerContext& server, const Request& request, Caller* caller) {
  std::string_view header = request.authorization;
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  if (StartsWithIgnoreCase(header, "Bearer ")) co_return co_await AuthenticateBearer(server, header.substr(7), caller);
  if (StartsWithIgnoreCase(header, "Basic ")) co_return co_await AuthenticateBasic(server, request, header.substr(6), caller);
  co_return Unauthorized(header.empty() ? "authentication required: log in with POST /v1/login"
                                        : "unsupported Authorization scheme (use Bearer or Basic)");
}

namespace {

// ---------------------------------------------------------------------------------------------
// Login, logout

asio::awaitable<Reply> Login(net::ServerContext& server, const Request& request, const RouteArgs&, const Caller&) {
  json::object body;
  std::string user, password;
  Status status = ParseJsonObject(request, &body);
  if (status.ok()) status = StringField(body, "user", true, &user);
  if (status.ok()) status = StringField(body, "password", true, &password);
  if (!status.ok()) co_return ErrorReply(status);
  if (!co_await CheckPasswordSlowly(server, request, user, password)) co_return LoginFailed(user);
  auto verifier = server.engine.users().Verifier(user);
  if (!verifier) co_return LoginFailed(user);  // dropped meanwhile
  std::string token;
  status = server.tokens.Issue({user, verifier->stored_key}, &token);
  if (!status.ok()) co_return ErrorReply(status);
  server.log.info("HTTP {}: user \"{}\" logged in", request.peer, user);
  auto expires = std::chrono::system_clock::now() + server.tokens.options().ttl;
  std::string out = "{";
  AppendJsonKey(out, "token", true);
  AppendJsonString(out, token);
  AppendJsonKey(out, "user");
  AppendJsonString(out, user);
  AppendJsonKey(out, "superuser");
  out += server.engine.users().IsSuperuser(user) ? "true" : "false";
  AppendJsonKey(out, "expires_at");
  AppendJsonString(out, IsoTime(expires));
  out += "}";
  co_return JsonReply(std::move(out));
}

asio::awaitable<Reply> Logout(net::ServerContext& server, const Request& request, const RouteArgs&, const Caller& caller) {
  if (caller.token.empty()) co_return ErrorReply(400, sqlstate::kProtocolViolation, "logout needs the bearer token to end");
  server.tokens.Revoke(caller.token);
  server.log.info("HTTP {}: user \"{}\" logged out", request.peer, caller.user);
  co_return JsonReply("{\"ok\":true}");
}

// ---------------------------------------------------------------------------------------------
// Health, OpenAPI, dashboard, metrics

asio::awaitable<Reply> Healthz(net::ServerContext&, const Request&, const RouteArgs&, const Caller&) {
  co_return JsonReply("{\"status\":\"ok\"}");
}

// Why the server is not ready for writes; empty when it is.
std::string NotReadyReason(net::ServerContext& server) {
  if (server.shutting_down) return "shutting down";
  durability::Store* store = server.engine.store();
  if (store != nullptr && store->log_broken()) return "the write-ahead log cannot be written (see the server log)";
  return "";
}

asio::awaitable<Reply> Readyz(net::ServerContext& server, const Request&, const RouteArgs&, const Caller&) {
  std::string reason = NotReadyReason(server);
  if (reason.empty()) co_return JsonReply("{\"status\":\"ready\"}");
  std::string out = "{\"status\":\"not ready\",";
  AppendJsonKey(out, "reason", true);
  AppendJsonString(out, reason);
  out += "}";
  co_return JsonReply(std::move(out), 503);
}

asio::awaitable<Reply> OpenApi(net::ServerContext&, const Request&, const RouteArgs&, const Caller&) {
  co_return JsonReply(std::string(OpenApiDocument()));
}

asio::awaitable<Reply> Metrics(net::ServerContext& server, const Request&, const RouteArgs&, const Caller&) {
  Reply reply;
  reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
  // Off the event loop: collecting takes the catalog lock (the tables' memory).
  reply.body = co_await OnWorker(server, [&] { return server.metrics.Serialize(); });
  co_return reply;
}

const char* ContentTypeOf(std::string_view path) {
  auto ends = [&](std::string_view suffix) { return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix; };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".json") || ends(".map")) return "application/json";
  return "application/octet-stream";
}

// The dashboard's files (web/dist, embedded at build time): "/" is index.html.
std::optional<Reply> DashboardFile(std::string_view path) {
  std::string_view name = path == "/" ? "index.html" : path.substr(1);
  for (const EmbeddedFile& file : DashboardFiles()) {
    if (file.name != name) continue;
    Reply reply;
    reply.content_type = ContentTypeOf(file.name);
    reply.body = std::string(file.content);
    reply.headers.emplace_back("Cache-Control", name == "index.html" ? "no-cache" : "max-age=300");
    return reply;
  }
  if (path == "/") {
    Reply reply;
    reply.content_type = "text/html; charset=utf-8";
    reply.body = "<!doctype html><title>LytDB</title><p>The dashboard was not built into this lytdb "
                 "(run <code>web/build.sh</code>, then build lytdb again). The API is at <a href=\"/v1/openapi.json\">/v1</a>.";
    return reply;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Routing

using Handler = asio::awaitable<Reply> (*)(net::ServerContext&, const Request&, const RouteArgs&, const Caller&);

struct Route {
  RouteInfo info;
  Handler handler;
};

const std::vector<Route>& RouteTable() {
  static const std::vector<Route> routes = {
      {{"GET", "/healthz", false}, Healthz},
      {{"GET", "/readyz", false}, Readyz},
      {{"GET", "/metrics", false}, Metrics},
      {{"GET", "/v1/openapi.json", false}, OpenApi},
      {{"POST", "/v1/login", false}, Login},
      {{"POST", "/v1/logout", true}, Logout},
      {{"POST", "/v1/query", true}, Query},
      {{"GET", "/v1/status", true}, ServerStatus},
      {{"GET", "/v1/databases", true}, ListDatabases},
      {{"GET", "/v1/databases/{db}/tables", true}, ListTables},
      {{"GET", "/v1/databases/{db}/tables/{table}", true}, DescribeTable},
  };
  return routes;
}

// Percent-decodes one path segment; nullopt for a malformed escape.
std::optional<std::string> DecodeSegment(std::string_view segment) {
  std::string out;
  for (size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] != '%') {
      out.push_back(segment[i]);
      continue;
    }
    if (i + 2 >= segment.size() || !std::isxdigit(static_cast<unsigned char>(segment[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(segment[i + 2]))) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(std::stoi(std::string(segment.substr(i + 1, 2)), nullptr, 16)));
    i += 2;
  }
  return out;
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

// Whether `path` fits `pattern`; its {name} segments go to *args (decoded).
bool Matches(std::string_view pattern, std::string_view path, RouteArgs* args) {
  auto want = SplitPath(pattern);
  auto have = SplitPath(path);
  if (want.size() != have.size()) return false;
  RouteArgs found;
  for (size_t i = 0; i < want.size(); ++i) {
    if (!want[i].empty() && want[i].front() == '{') {
      auto decoded = DecodeSegment(have[i]);
      if (!decoded || decoded->empty()) return false;
      found.emplace_back(std::string(want[i].substr(1, want[i].size() - 2)), std::move(*decoded));
    } else if (want[i] != have[i]) {
      return false;
    }
  }
  *args = std::move(found);
  return true;
}

}  // namespace

const std::string& Arg(const RouteArgs& args, std::string_view name) {
  for (const auto& [key, value] : args) {
    if (key == name) return value;
  }
  static const std::string none;
  return none;
}

const std::vector<RouteInfo>& Routes() {
  static const std::vector<RouteInfo> infos = [] {
    std::vector<RouteInfo> out;
    for (const Route& route : RouteTable()) out.push_back(route.info);
    return out;
  }();
  return infos;
}

asio::awaitable<Reply> HandleRequest(net::ServerContext& server, Request request) {
  if (server.options.tls_required && !request.tls && request.path != "/healthz" && request.path != "/readyz") {
    co_return ErrorReply(403, sqlstate::kInvalidAuthorization, "this server requires TLS: use https://");
  }
  const Route* route = nullptr;
  RouteArgs args;
  std::string allowed;
  for (const Route& candidate : RouteTable()) {
    RouteArgs candidate_args;
    if (!Matches(candidate.info.pattern, request.path, &candidate_args)) continue;
    if (candidate.info.method == request.method || (request.method == "HEAD" && std::string_view(candidate.info.method) == "GET")) {
      route = &candidate;
      args = std::move(candidate_args);
      break;
    }
    allowed += allowed.empty() ? candidate.info.method : std::string(", ") + candidate.info.method;
  }
  if (route == nullptr) {
    if (!allowed.empty()) {
      Reply reply = ErrorReply(405, sqlstate::kFeatureNotSupported, request.method + " is not allowed on " + request.path);
      reply.headers.emplace_back("Allow", allowed);
      co_return reply;
    }
    if (request.method == "GET" || request.method == "HEAD") {
      if (auto file = DashboardFile(request.path)) co_return std::move(*file);
    }
    co_return ErrorReply(404, sqlstate::kUndefinedObject, "no such endpoint: " + request.method + " " + request.path);
  }
  Caller caller;
  bool needs_auth = route->info.authenticated || (route->handler == Metrics && server.options.metrics_require_auth);
  if (needs_auth) {
    if (auto refused = co_await Authenticate(server, request, &caller)) co_return std::move(*refused);
  }
  co_return co_await route->handler(server, request, args, caller);
}

}  // namespace lyt::frontend::http
