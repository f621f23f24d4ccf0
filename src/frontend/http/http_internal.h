// Shared by the HTTP API's handler files (http_api.cc, http_query.cc, http_browse.cc).
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>

#include "frontend/http/http_api.h"

namespace lyt::frontend::http {

// The SQLSTATE of a rate-limited request (PostgreSQL's "configuration limit exceeded").
inline constexpr const char* kRateLimited = "53400";

// Who made an authenticated request.
struct Caller {
  std::string user;
  std::string token;  // the bearer token used; empty for Basic credentials
};

// The {name} segments of a route's pattern, decoded, in order.
using RouteArgs = std::vector<std::pair<std::string, std::string>>;
const std::string& Arg(const RouteArgs& args, std::string_view name);

Reply JsonReply(std::string body, unsigned status = 200);
// "2026-11-24T10:00:00Z"
std::string IsoTime(std::chrono::system_clock::time_point when);

// The request's body as a JSON object (at most 32 levels deep); 22P02 / 08P01 otherwise.
Status ParseJsonObject(const Request& request, boost::json::object* out);
// object[key] as a string into *out; a missing or null key is an error only when `required`.
Status StringField(const boost::json::object& object, std::string_view key, bool required, std::string* out);

// Checks the request's Authorization header (Bearer token or Basic credentials); nullopt and
// *caller filled in when it is good, else the reply that refuses it (401, 429).
boost::asio::awaitable<std::optional<Reply>> Authenticate(net::ServerContext& server, const Request& request, Caller* caller);

// Runs `work` on the worker pool and resumes on the calling executor, with its result or its
// exception. Statements and password hashing go there, off the event loops.
template <class Work>
auto OnWorker(net::ServerContext& server, Work work) -> boost::asio::awaitable<decltype(work())> {
  namespace asio = boost::asio;
  auto home = co_await asio::this_coro::executor;
  co_await asio::post(server.workers, asio::use_awaitable);
  std::exception_ptr failure;
  std::optional<decltype(work())> result;
  try {
    result.emplace(work());
  } catch (...) {
    failure = std::current_exception();
  }
  co_await asio::post(home, asio::use_awaitable);
  if (failure) std::rethrow_exception(failure);
  co_return std::move(*result);
}

// The handlers (their route is in http_api.cc's table).
using HandlerResult = boost::asio::awaitable<Reply>;
HandlerResult Query(net::ServerContext& server, const Request& request, const RouteArgs& args, const Caller& caller);
HandlerResult ServerStatus(net::ServerContext& server, const Request& request, const RouteArgs& args, const Caller& caller);
HandlerResult ListDatabases(net::ServerContext& server, const Request& request, const RouteArgs& args, const Caller& caller);
HandlerResult ListTables(net::ServerContext& server, const Request& request, const RouteArgs& args, const Caller& caller);
HandlerResult DescribeTable(net::ServerContext& server, const Request& request, const RouteArgs& args, const Caller& caller);

}  // namespace lyt::frontend::http
