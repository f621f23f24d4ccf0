// Transport's TLS side: OpenSSL over the transport's socket, through a BIO that never blocks
// (MSG_DONTWAIT; OpenSSL asks to wait and Wait polls with the deadline) and sends with
// MSG_NOSIGNAL (a closed peer must not raise SIGPIPE in the embedding process).
// tls=require encrypts without checking the certificate (as libpq's sslmode=require);
// tls=verify-full checks the chain against the CA file or the system store and the host name.
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "client/transport.h"

namespace lyt::client {

namespace {

int SocketFd(BIO* bio) { return static_cast<int>(reinterpret_cast<intptr_t>(BIO_get_data(bio))); }

int BioWrite(BIO* bio, const char* data, int size) {
  BIO_clear_retry_flags(bio);
  ssize_t n = send(SocketFd(bio), data, static_cast<size_t>(size), MSG_NOSIGNAL | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) BIO_set_retry_write(bio);
  return static_cast<int>(n);
}

int BioRead(BIO* bio, char* data, int size) {
  BIO_clear_retry_flags(bio);
  ssize_t n = recv(SocketFd(bio), data, static_cast<size_t>(size), MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) BIO_set_retry_read(bio);
  return static_cast<int>(n);
}

long BioCtrl(BIO*, int cmd, long, void*) { return cmd == BIO_CTRL_FLUSH ? 1 : 0; }

int BioCreate(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

// Created once, kept for the process's lifetime.
BIO_METHOD* SocketBioMethod() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "lyt client socket");
    BIO_meth_set_write(m, BioWrite);
    BIO_meth_set_read(m, BioRead);
    BIO_meth_set_ctrl(m, BioCtrl);
    BIO_meth_set_create(m, BioCreate);
    return m;
  }();
  return method;
}

// OpenSSL's reason for the last failure (and the queue cleared), or `fallback`.
std::string OpenSslReason(const std::string& fallback) {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return fallback;
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

bool IsIpAddress(const std::string& host) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 || inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

Status ConnectError(const std::string& what) { return Status::Error(kUnableToConnect, what); }

// The context for one connection: protocol floor, trusted roots, client certificate.
Status MakeContext(const TlsSettings& settings, SSL_CTX** out) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  *out = ctx;
  if (ctx == nullptr) return ConnectError("could not create TLS context: " + OpenSslReason("out of memory"));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE);
  if (settings.mode == TlsMode::VerifyFull) {
    bool loaded = settings.ca_file.empty()
                      ? SSL_CTX_set_default_verify_paths(ctx) == 1
                      : SSL_CTX_load_verify_locations(ctx, settings.ca_file.c_str(), nullptr) == 1;
    if (!loaded) {
      return ConnectError("could not load trusted root certificates" +
                          (settings.ca_file.empty() ? std::string() : " from \"" + settings.ca_file + "\"") + ": " +
                          OpenSslReason("unknown error"));
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  }
  if (!settings.cert_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(ctx, settings.cert_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, settings.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      return ConnectError("could not load client certificate \"" + settings.cert_file + "\": " +
                          OpenSslReason("unknown error"));
    }
  }
  return Status::OK();
}

}  // namespace

Status Transport::StartTls(const TlsSettings& settings, const std::string& host, Deadline deadline) {
  ERR_clear_error();
  Status s = MakeContext(settings, &ctx_);
  if (!s.ok()) return s;
  ssl_ = SSL_new(ctx_);
  BIO* bio = ssl_ ? BIO_new(SocketBioMethod()) : nullptr;
  if (bio == nullptr) return ConnectError("could not start TLS: " + OpenSslReason("out of memory"));
  BIO_set_data(bio, reinterpret_cast<void*>(static_cast<intptr_t>(fd_)));
  SSL_set_bio(ssl_, bio, bio);
  bool ip = IsIpAddress(host);
  if (!ip) SSL_set_tlsext_host_name(ssl_, host.c_str());
  if (settings.mode == TlsMode::VerifyFull) {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    int set = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) : X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
    if (set != 1) return ConnectError("could not set the host name to verify: " + OpenSslReason("unknown error"));
  }
  for (;;) {
    ERR_clear_error();
    int ret = SSL_connect(ssl_);
    if (ret == 1) return Status::OK();
    long verify = SSL_get_verify_result(ssl_);
    s = TlsWaitOrFail(ret, deadline, "TLS handshake");
    if (s.ok()) continue;
    if (IsTimeout(s)) return s;
    if (verify != X509_V_OK) {
      return ConnectError(std::string("server certificate verification failed: ") + X509_verify_cert_error_string(verify));
    }
    return ConnectError(s.message());
  }
}

Status Transport::TlsWaitOrFail(int ret, Deadline deadline, const char* what) {
  int error = SSL_get_error(ssl_, ret);
  switch (error) {
    case SSL_ERROR_WANT_READ: return Wait(POLLIN, deadline);
    case SSL_ERROR_WANT_WRITE: return Wait(POLLOUT, deadline);
    case SSL_ERROR_ZERO_RETURN: return Status::Error(kConnectionFailure, "server closed the connection");
    case SSL_ERROR_SYSCALL: {
      int saved = errno;
      std::string reason = OpenSslReason(saved != 0 ? std::strerror(saved) : "server closed the connection unexpectedly");
      return Status::Error(kConnectionFailure, std::string(what) + " failed: " + reason);
    }
    default: return Status::Error(kConnectionFailure, std::string(what) + " failed: " + OpenSslReason("TLS error"));
  }
}

Status Transport::TlsWrite(std::string_view bytes, Deadline deadline) {
  while (!bytes.empty()) {
    ERR_clear_error();
    int chunk = static_cast<int>(std::min<size_t>(bytes.size(), 1u << 30));
    int ret = SSL_write(ssl_, bytes.data(), chunk);
    if (ret > 0) {
      bytes.remove_prefix(static_cast<size_t>(ret));
      continue;
    }
    Status s = TlsWaitOrFail(ret, deadline, "sending data to the server");
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status Transport::TlsRead(std::string* out, Deadline deadline) {
  char buffer[16384];
  for (;;) {
    ERR_clear_error();
    int ret = SSL_read(ssl_, buffer, sizeof(buffer));
    if (ret > 0) {
      out->append(buffer, static_cast<size_t>(ret));
      return Status::OK();
    }
    Status s = TlsWaitOrFail(ret, deadline, "receiving data from the server");
    if (!s.ok()) return s;
  }
}

void Transport::CloseTls() {
  if (ssl_ != nullptr) {
    ERR_clear_error();
    SSL_shutdown(ssl_);  // best effort close_notify; never waits (the BIO passes MSG_DONTWAIT)
    SSL_free(ssl_);      // frees the BIO too
    ssl_ = nullptr;
  }
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  ctx_ = nullptr;
  ERR_clear_error();
}

}  // namespace lyt::client
