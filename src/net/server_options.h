// What the network server needs to know, already validated (tools/lytdb/config.cc reads it from
// the config file, the environment and the command line).
#pragma once

#include <cstdint>
#include <string>

#include "lyt/status.h"

namespace lyt::net {

struct Endpoint {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string ToString() const;  // "127.0.0.1:7878", "[::1]:7878"
};

struct ServerOptions {
  Endpoint listen{"127.0.0.1", 7878};
  // The Redis protocol (frontend/resp); port 0 picks a free one. Not served when resp_enabled is false.
  Endpoint resp_listen{"127.0.0.1", 7880};
  bool resp_enabled = true;
  // The user `AUTH <password>` (Redis's one-argument form) logs in as.
  std::string resp_default_user = "default";
  uint32_t resp_max_bulk_bytes = 512u << 20;  // largest bulk string a Redis client may send
  // The HTTP API, dashboard and metrics (frontend/http); port 0 picks a free one.
  Endpoint http_listen{"127.0.0.1", 7879};
  bool http_enabled = true;
  uint32_t http_max_body_bytes = 16u << 20;
  uint32_t http_max_header_bytes = 16u << 10;
  uint32_t http_token_ttl_seconds = 86400;
  uint32_t http_rate_limit = 1000;  // requests per second per token (bursts of twice that); 0: none
  bool metrics_require_auth = false;  // /metrics needs credentials like /v1
  unsigned io_threads = 1;      // event-loop threads (network I/O, protocol decoding)
  unsigned worker_threads = 2;  // threads that run statements
  // How long an event loop polls for more work before it sleeps (adapting: net/poll_budget.h; 0: never).
  uint32_t io_poll_us = 50;
  // A statement whose SQL text last ran within this long on its connection runs on an I/O thread
  // (LytConnection; 0: never).
  uint32_t quick_statement_us = 1000;
  uint32_t max_connections = 4096;
  uint32_t max_frame_bytes = 16u << 20;
  uint32_t auth_timeout_ms = 10'000;     // from accept to AUTH_OK
  uint32_t idle_timeout_ms = 0;          // no request for this long: closed (0: never)
  uint32_t statement_timeout_ms = 0;     // a request running longer is canceled (0: never)
  uint32_t max_pipelined_requests = 64;  // received but unanswered requests per connection
  uint32_t shutdown_grace_ms = 5'000;    // how long SIGTERM lets running statements finish
  // TLS: offered when both files are set.
  std::string tls_cert_file;
  std::string tls_key_file;
  bool tls_required = false;  // refuse sessions that did not start with TLS_REQUEST
  // Logging of statements (spdlog logger "lytdb"): every statement, and those slower than this.
  bool log_queries = false;
  uint32_t slow_query_ms = 1000;  // 0: no slow-query log
};

// Whether the TLS settings go together: a certificate and its key both or neither, and
// tls_required only with them (or with `self_signed`, which makes them at start). 22023 naming
// the settings otherwise. Checked by lytdb before it touches the data directory, and by
// Server::Start.
Status CheckTlsSettings(const ServerOptions& options, bool self_signed = false);

}  // namespace lyt::net
