// The byte stream under a client connection: a TCP socket, optionally wrapped in TLS, with every
// wait bounded by a deadline (poll), so that connect and query timeouts hold. Failures are
// Status values: 08001 while connecting (DNS, refused, TLS), 08006 when an established stream
// fails or the peer closes, kTimedOutState when the deadline passes. Not thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "lyt/status.h"
#include "lyt/uri.h"

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace lyt::client {

using Clock = std::chrono::steady_clock;
// When a wait must end; nullopt: never.
using Deadline = std::optional<Clock::time_point>;
Deadline DeadlineAfter(std::chrono::milliseconds timeout);  // zero: nullopt

inline constexpr const char* kUnableToConnect = "08001";
inline constexpr const char* kConnectionFailure = "08006";
// Internal marker for a passed deadline; callers turn it into their own error.
inline constexpr const char* kTimedOutState = "57014";
bool IsTimeout(const Status& status);

// "host:port", with an IPv6 address in brackets.
std::string FormatAddress(const HostPort& address);

struct TlsSettings {
  TlsMode mode = TlsMode::Disable;
  std::string ca_file;    // verify-full: trusted roots; empty: system store
  std::string cert_file;  // client certificate, optional
  std::string key_file;
};

class Transport {
 public:
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Resolves `address` and connects to each of its addresses in turn until one accepts.
  static Status Dial(const HostPort& address, Deadline deadline, std::unique_ptr<Transport>* out);

  // Runs the TLS handshake as a client on the connected socket; with VerifyFull checks the
  // certificate chain and that it names `host`. 08001 with OpenSSL's reason on failure.
  Status StartTls(const TlsSettings& settings, const std::string& host, Deadline deadline);
  bool encrypted() const { return ssl_ != nullptr; }

  // Writes all of `bytes`.
  Status Write(std::string_view bytes, Deadline deadline);
  // Appends at least one byte to *out; 08006 "server closed the connection unexpectedly" at EOF.
  Status Read(std::string* out, Deadline deadline);

 private:
  explicit Transport(int fd) : fd_(fd) {}
  // Waits until the socket is readable (`events` POLLIN) or writable (POLLOUT).
  Status Wait(short events, Deadline deadline);
  Status PlainWrite(std::string_view bytes, Deadline deadline);
  Status PlainRead(std::string* out, Deadline deadline);
  Status TlsWrite(std::string_view bytes, Deadline deadline);
  Status TlsRead(std::string* out, Deadline deadline);
  // Waits as OpenSSL asks after a call returned `ret`; a Status error for a real failure.
  Status TlsWaitOrFail(int ret, Deadline deadline, const char* what);
  void CloseTls();

  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
};

}  // namespace lyt::client
