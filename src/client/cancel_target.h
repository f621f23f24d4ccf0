// What Connection::Cancel needs to reach the server again; fixed when the session starts, so that
// any thread may read it while the connection's own thread is busy.
#pragma once

#include <chrono>
#include <cstdint>

#include "client/transport.h"
#include "lyt/client.h"

namespace lyt::client {

struct Connection::CancelTarget {
  HostPort address;
  TlsSettings tls;
  std::chrono::milliseconds connect_timeout;  // zero: the default of Cancel()
  uint64_t session_id = 0;
  uint64_t cancel_key = 0;
};

}  // namespace lyt::client
