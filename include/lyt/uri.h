// LytDB connection URIs: the one parser shared by the server, the `lyt` shell and every client.
// The grammar, the options and their defaults are in docs/connecting.md:
//   lyt://[user[:password]@]host[:port][,host[:port]...][/database][?key=value&...]
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lyt/status.h"

namespace lyt {

inline constexpr uint16_t kDefaultPort = 7878;
inline constexpr size_t kMaxConnectionUriBytes = 4096;  // the whole URI, as written
inline constexpr size_t kMaxConnectionUriHosts = 16;

// One server address. `host` is a DNS name, an IPv4 address or an IPv6 address without its
// brackets ("::1"), exactly as written in the URI (not resolved, not lower-cased).
struct HostPort {
  std::string host;
  uint16_t port = kDefaultPort;

  bool operator==(const HostPort&) const = default;
};

// How a client protects the connection (option `tls`).
enum class TlsMode {
  Disable,     // plain TCP (the default for now)
  Require,     // TLS, without checking the server's certificate
  VerifyFull,  // TLS, certificate checked against the trusted roots and the host name
};

// The spelling of `mode` in a URI: "disable", "require" or "verify-full".
std::string_view TlsModeName(TlsMode mode);

// A parsed connection URI. Text fields hold the percent-decoded bytes (never a NUL byte).
struct ConnectionUri {
  std::string user;                     // empty: none given (the client's default applies)
  std::optional<std::string> password;  // absent without ':' in the user info; may be empty
  std::vector<HostPort> hosts;          // 1..kMaxConnectionUriHosts, tried in turn by clients
  std::string database;                 // empty: the server's default database
  TlsMode tls = TlsMode::Disable;
  int connect_timeout_seconds = 0;  // 0: wait as long as the operating system does
  std::string application_name;     // shown by the server for the session; empty: none

  bool operator==(const ConnectionUri&) const = default;
};

// Parses `text` as a LytDB connection URI. On success fills *out and returns OK. On a malformed
// URI returns SQLSTATE 22023 with a message "invalid connection URI: ..." naming the offending
// part (host number, option name, the bad percent sequence, ...); *out is then unchanged. Error
// messages never contain the password or any part of it. Thread-safe; keeps no reference to
// `text`.
Status ParseConnectionUri(std::string_view text, ConnectionUri* out);

// Writes `uri` back as text, percent-encoding what the grammar requires and leaving out what is
// default (port 7878, tls=disable, connect_timeout=0, empty application_name), so that
// ParseConnectionUri(FormatConnectionUri(u, true)) == u for every u that ParseConnectionUri
// produced. With `with_password` false a password is shown as "***" (for logs and prompts).
// `uri` must have at least one host; a password without a user name is not written.
std::string FormatConnectionUri(const ConnectionUri& uri, bool with_password);

}  // namespace lyt
