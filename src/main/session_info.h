// Who a session is: set by the front end that opened it (src/net), shown by lyt_sessions.
#pragma once

#include <cstdint>
#include <string>

namespace lyt {

// Who a session is, for authorization and for the lyt_sessions view. Embedded connections leave
// `user` empty: they act with every privilege (whoever holds the process holds the data).
struct SessionInfo {
  uint64_t id = 0;               // unique per engine; every Session gets one from the engine when it starts
  std::string user;              // authenticated user name; empty: embedded, all privileges
  std::string client_address;    // "127.0.0.1:50312"; empty: embedded
  std::string application_name;  // from the client's HELLO
};

}  // namespace lyt
