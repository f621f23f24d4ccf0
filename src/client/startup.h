// The start of a session after the channel is open (docs/protocol.md, "Connection start"):
// HELLO -> HELLO_OK, AUTH_SCRAM_FIRST -> AUTH_SCRAM_CHALLENGE, AUTH_SCRAM_FINAL -> AUTH_OK, with
// the server's SCRAM signature checked so that only a server that knows the password's verifier
// is trusted.
#pragma once

#include <cstdint>
#include <string>

#include "client/channel.h"

namespace lyt::client {

struct StartupRequest {
  std::string user;
  std::string password;
  std::string database;  // empty: the user's default
  std::string application_name;
  std::string client_name;
};

struct StartupResult {
  std::string server_version;
  std::string database;
  uint64_t session_id = 0;
  uint64_t cancel_key = 0;
  // True when the server answered with ERROR (bad password, unknown database, ...) or proved
  // itself wrong (bad signature): another host of the same URI is not tried after that.
  bool rejected = false;
};

// Runs the exchange. Errors: the server's ERROR as sent; 08P01 for an unexpected or malformed
// message or an unsupported protocol version or authentication method; 28000 for a wrong server
// signature; the channel's errors (08006, kTimedOutState).
Status RunStartup(Channel& channel, const StartupRequest& request, Deadline deadline, StartupResult* result);

// The operating system's name for the user running this process ("" if it has none).
std::string LoginName();

}  // namespace lyt::client
