// State the server shares with every connection. Internal to the network layer (it includes
// Boost.Asio: keep it out of widely included headers).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "auth/login_throttle.h"
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

// Slots for statements run on an I/O thread instead of the worker pool (LytConnection): at most
// io_threads - 1 at once, so one I/O thread is always free for network I/O, logins and CANCEL,
// however long such a statement turns out to take. Thread-safe (one atomic counter).
class InlineSlots {
 public:
  explicit InlineSlots(unsigned io_threads) : limit_(static_cast<int>(io_threads) - 1) {}
  bool TryEnter() {
    int running = running_.load(std::memory_order_relaxed);
    while (running < limit_) {
      if (running_.compare_exchange_weak(running, running + 1, std::memory_order_acquire)) return true;
    }
    return false;
  }
  void Leave() { running_.fetch_sub(1, std::memory_order_release); }

 private:
  const int limit_;
  std::atomic<int> running_{0};
};

struct ServerContext {
  ServerContext(Engine& e, const ServerOptions& o, spdlog::logger& l, boost::asio::thread_pool& w)
      : engine(e), options(o), log(l), workers(w), inline_slots(o.io_threads), registry(o.max_connections) {}

  Engine& engine;
  const ServerOptions& options;
  spdlog::logger& log;
  boost::asio::thread_pool& workers;  // runs statements
  InlineSlots inline_slots;           // for quick statements run on I/O threads
  std::unique_ptr<boost::asio::ssl::context> tls;  // null: TLS not offered
  std::string scram_secret;  // random per server run: fake salts for unknown users
  auth::LoginThrottle throttle;
  ConnectionRegistry registry;
  std::atomic<bool> shutting_down{false};
};

}  // namespace lyt::net
