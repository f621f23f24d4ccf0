// The network server: listens on the lyt protocol's address, the Redis protocol's and the HTTP
// API's, runs
// connections on a few event-loop threads and statements on a worker pool, expires keys of the
// key-value store in the background, and stops gracefully on SIGTERM / SIGINT.
#pragma once

#include <cstdint>
#include <memory>

#include "lyt/status.h"
#include "net/server_options.h"

namespace spdlog {
class logger;
}

namespace lyt {
class Engine;
}

namespace lyt::net {

class Server {
 public:
  Server(Engine& engine, ServerOptions options, std::shared_ptr<spdlog::logger> log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the TLS certificate (when configured) and binds the listener. Errors name the setting
  // or the address at fault.
  Status Start();
  // The bound port (useful with port 0).
  uint16_t port() const;
  // The Redis protocol's bound port (0 when it is not served).
  uint16_t resp_port() const;
  // The HTTP API's bound port (0 when it is not served).
  uint16_t http_port() const;
  // Serves until SIGTERM or SIGINT (or Stop()), then stops accepting, lets running statements
  // finish for shutdown_grace_ms, cancels the rest, closes every connection and returns. A second
  // signal exits the process at once (status 1).
  void Run();
  // Thread-safe: begins the graceful stop Run() performs on a signal.
  void Stop();

  struct Impl;  // internal (net/server.cc)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace lyt::net
