// State the server shares with every connection. Internal to the network layer (it includes
// Boost.Asio: keep it out of widely included headers).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "auth/login_throttle.h"
#include "auth/token_store.h"
#include "common/metrics.h"
#include "net/server_options.h"

namespace spdlog {
class logger;
}

namespace lyt {
class Engine;
}

namespace lyt::net {

// A live connection as the registry sees it: enough to cancel its statement or shut it down.
class RegisteredConnection {
 public:
  virtual ~RegisteredConnection() = default;
  // Thread-safe. Stops the running statement when `cancel_key` is the connection's key.
  virtual void CancelStatement(uint64_t cancel_key) = 0;
  // Thread-safe. Begins closing: idle connections close now with 57P01, busy ones after their
  // current response.
  virtual void BeginShutdown() = 0;
  // Thread-safe. Interrupts the running statement (57P01) and closes without waiting.
  virtual void ForceShutdown() = 0;
};

// Every open connection by id, and their count against max_connections.
// Thread-safe: `mutex_` guards `connections_` (taken briefly; never while calling into a
// connection, so connections may call back into the registry).
class ConnectionRegistry {
 public:
  explicit ConnectionRegistry(uint32_t max_connections) : max_(max_connections) {}
  // Registers `connection` under `id` (the engine's session id); false when max_connections are
  // already open.
  bool Add(uint64_t id, std::weak_ptr<RegisteredConnection> connection);
  void Remove(uint64_t id);
  std::shared_ptr<RegisteredConnection> Find(uint64_t id);
  // Calls `fn` for every live connection (outside the lock).
  void ForEach(const std::function<void(RegisteredConnection&)>& fn);
  size_t size();

 private:
  uint32_t max_;
  std::mutex mutex_;
  std::unordered_map<uint64_t, std::weak_ptr<RegisteredConnection>> connections_;
};

// One event loop: an io_context run by one thread, serving the connections accepted onto it (a
// thread per loop, rather than threads sharing one io_context, saves the wake-ups of other
// threads on every request). A quick statement runs inline on the loop's thread (LytConnection),
// one at a time per loop (the inline slot). One that turns out slow would hold up the loop's
// other connections, their logins and CANCELs: the server's watchdog then lends the loop a
// helper thread until it ends. Thread-safe; each connection keeps its handlers on its own strand.
class EventLoop {
 public:
  boost::asio::io_context& io() { return io_; }
  // Runs the loop on the calling thread until it is stopped. After its work runs out the loop
  // polls for more for up to `poll_us` (adapting: PollBudget) before it sleeps in epoll_wait.
  void Run(uint32_t poll_us);
  // Takes the loop's inline slot; false when a statement already runs inline on it.
  bool TryEnterInline() {
    int64_t none = 0;
    return inline_since_.compare_exchange_strong(none, NowNanos(), std::memory_order_acquire);
  }
  void LeaveInline() { inline_since_.store(0, std::memory_order_release); }
  // When the running inline statement began (steady clock, ns); 0: none runs.
  int64_t inline_since() const { return inline_since_.load(std::memory_order_acquire); }
  // Set by the watchdog while a helper thread runs the loop; cleared by the helper.
  std::atomic<bool> helped{false};
  // Runs engine.WriteStagedLog() once after the handlers that are ready now: every connection
  // that staged its batch's commit (Engine::StageKv) in this pass asks, and one write of the log
  // then covers them all.
  void WriteStagedLogSoon(Engine& engine);

  static int64_t NowNanos() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }

 private:
  // Not built with concurrency hint 1: that stops a thread from waking another one waiting to
  // run the reactor, which a helper thread leaving the loop needs.
  boost::asio::io_context io_;
  std::atomic<int64_t> inline_since_{0};
  std::atomic<bool> log_write_posted_{false};
};

struct ServerContext {
  ServerContext(Engine& e, const ServerOptions& o, spdlog::logger& l, boost::asio::thread_pool& w, boost::asio::any_io_executor c);

  // The one check of a password sent in clear (Redis AUTH, HTTP login and Basic credentials)
  // against the user's SCRAM verifier; records the outcome in `throttle`. The caller waits
  // throttle.DelayFor(user, host) first. Runs PBKDF2 (milliseconds: off the event loops), for
  // an unknown user too, so that it costs what a known one does; a success is remembered in
  // `verified_passwords`. Thread-safe. Callers try TryRememberedPassword first.
  bool CheckPassword(const std::string& user, const std::string& password, const std::string& host);
  // The quick path, in microseconds: true (success recorded) when the password was verified in
  // the last 5 minutes and is still the user's; false when only CheckPassword can tell. Called
  // when the throttle asks no delay (a delayed login runs the full check).
  bool TryRememberedPassword(const std::string& user, const std::string& password, const std::string& host);
  // The one check that `user` may open a session in `database` (auth::CheckCanConnect under the
  // catalog lock): OK, 3D000 or 42501. Thread-safe.
  Status CheckCanConnect(const std::string& user, const std::string& database);

  Engine& engine;
  const ServerOptions& options;
  spdlog::logger& log;
  boost::asio::thread_pool& workers;  // runs statements
  // The server's control thread (accepting, signals): statement timers run there, so that they
  // fire while a statement holds its connection's event loop.
  boost::asio::any_io_executor control;
  std::unique_ptr<boost::asio::ssl::context> tls;  // null: TLS not offered
  std::string scram_secret;  // random per server run: fake salts for unknown users
  auth::LoginThrottle throttle;
  auth::TokenStore tokens;  // the HTTP API's bearer tokens
  // Basic credentials the HTTP API has verified, keyed by an HMAC (under scram_secret) of the
  // Authorization header, so that a client sending Basic auth with every request costs one
  // PBKDF2 per 5 minutes, not one per request; rate-limited like tokens.
  auth::TokenStore basic_logins;
  // Passwords CheckPassword verified, keyed by an HMAC (under scram_secret) of user and
  // password, with the StoredKey they matched: 50 Redis clients logging in with the same
  // password cost one PBKDF2, not 50. Failures are never kept.
  auth::TokenStore verified_passwords;
  ConnectionRegistry registry;
  std::atomic<bool> shutting_down{false};
  const int64_t started_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch()).count();

  // Counters of the Redis front end (INFO).
  struct RespStats {
    std::atomic<uint64_t> commands{0};
    std::atomic<uint64_t> connections{0};  // accepted, ever
    std::atomic<int64_t> clients{0};       // open now
    std::atomic<int64_t> blocked{0};       // in BLPOP / BRPOP now
    std::atomic<uint64_t> rejected_auth{0};
  } resp;

  // Counters of the HTTP front end (/v1/status, /metrics).
  struct HttpStats {
    std::atomic<int64_t> connections{0};  // open now
    std::atomic<uint64_t> requests{0};
    std::atomic<uint64_t> login_failures{0};
  } http;
  std::atomic<int64_t> lyt_connections{0};  // open lyt-protocol connections
  // Bytes read and written per front end ("lyt", "redis", "http"): protocol bytes, after TLS
  // decryption and before encryption.
  struct Traffic {
    std::atomic<uint64_t> bytes_in{0};
    std::atomic<uint64_t> bytes_out{0};
    void Received(uint64_t n) { bytes_in.fetch_add(n, std::memory_order_relaxed); }
    void Sent(uint64_t n) { bytes_out.fetch_add(n, std::memory_order_relaxed); }
  } lyt_traffic, resp_traffic, http_traffic;
  std::atomic<uint64_t> lyt_login_failures{0};

  // The engine's metrics registry, with the server's families added (net/server.cc).
  metrics::Registry& metrics;
};

}  // namespace lyt::net
