// One HTTP/1.1 connection to the HTTP API (docs/http-api.md): TLS when its first bytes start a
// TLS handshake and the server has a certificate, then requests one after another (keep-alive),
// each read with Boost.Beast within the size limits, answered by HandleRequest (http_api.h).
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "net/server_context.h"

namespace lyt::frontend::http {

// Serves `socket` (of `loop`'s io_context) until the client closes, a limit or timeout is hit, or
// the server shuts down. Registers the connection (refusing it when max_connections are open).
void StartConnection(net::ServerContext& server, net::EventLoop& loop, boost::asio::ip::tcp::socket socket);

}  // namespace lyt::frontend::http
