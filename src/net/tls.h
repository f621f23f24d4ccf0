// TLS for the server: the OpenSSL context from the configured certificate and key, and a
// self-signed development certificate generated on request.
#pragma once

#include <memory>
#include <string>

#include "lyt/status.h"

namespace boost::asio::ssl {
class context;
}

namespace lyt::net {

// A server context (TLS 1.2 or newer) with `cert_file` (PEM chain) and `key_file` (PEM).
// Errors name the file and OpenSSL's reason.
Status MakeServerTlsContext(const std::string& cert_file, const std::string& key_file,
                            std::unique_ptr<boost::asio::ssl::context>* out);

// Writes a self-signed certificate for "localhost", 127.0.0.1 and ::1 (EC P-256, valid 365 days)
// to `cert_file`, and its key to `key_file` (mode 0600). For development and tests: clients
// verify it with tls=verify-full only when given `cert_file` as their CA.
Status GenerateSelfSignedCertificate(const std::string& cert_file, const std::string& key_file);

}  // namespace lyt::net
