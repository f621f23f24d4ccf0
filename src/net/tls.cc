#include "net/tls.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <boost/asio/ssl/context.hpp>
#include <cstdio>

#include "common/error.h"

namespace lyt::net {

namespace {

std::string OpenSslReason() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

Status ConfigError(std::string message) { return Status::Error(sqlstate::kInvalidParameterValue, std::move(message)); }

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct FileCloser {
  void operator()(FILE* f) const { fclose(f); }
};

// Opens `path` for writing with `mode` permissions (replacing it).
std::unique_ptr<FILE, FileCloser> CreateFile(const std::string& path, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return nullptr;
  fchmod(fd, mode);
  FILE* file = fdopen(fd, "w");
  if (!file) ::close(fd);
  return std::unique_ptr<FILE, FileCloser>(file);
}

bool AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

}  // namespace

Status MakeServerTlsContext(const std::string& cert_file, const std::string& key_file,
                            std::unique_ptr<boost::asio::ssl::context>* out) {
  namespace ssl = boost::asio::ssl;
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  SSL_CTX* ctx = context->native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    return ConfigError("tls_cert_file \"" + cert_file + "\": cannot load the certificate: " + OpenSslReason());
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return ConfigError("tls_key_file \"" + key_file + "\": cannot load the private key: " + OpenSslReason());
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return ConfigError("tls_key_file \"" + key_file + "\" does not match tls_cert_file \"" + cert_file + "\"");
  }
  *out = std::move(context);
  return Status::OK();
}

Status GenerateSelfSignedCertificate(const std::string& cert_file, const std::string& key_file) {
  std::unique_ptr<EVP_PKEY, KeyDeleter> key(EVP_EC_gen("P-256"));
  std::unique_ptr<X509, X509Deleter> cert(X509_new());
  if (!key || !cert) return ConfigError("cannot generate a key: " + OpenSslReason());
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof(serial)) != 1) return ConfigError("cannot draw a serial number: " + OpenSslReason());
  serial[0] &= 0x7f;  // a positive serial
  BIGNUM* serial_bn = BN_bin2bn(serial, sizeof(serial), nullptr);
  bool ok = serial_bn && BN_to_ASN1_INTEGER(serial_bn, X509_get_serialNumber(cert.get())) != nullptr;
  BN_free(serial_bn);
  ok = ok && X509_set_version(cert.get(), 2) == 1;
  ok = ok && X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60) && X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 24 * 3600);
  X509_NAME* name = X509_get_subject_name(cert.get());
  ok = ok && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0) == 1;
  ok = ok && X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("LytDB development"), -1, -1, 0) == 1;
  ok = ok && X509_set_issuer_name(cert.get(), name) == 1;
  ok = ok && X509_set_pubkey(cert.get(), key.get()) == 1;
  ok = ok && AddExtension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
  ok = ok && AddExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  ok = ok && X509_sign(cert.get(), key.get(), EVP_sha256()) > 0;
  if (!ok) return ConfigError("cannot build the self-signed certificate: " + OpenSslReason());

  auto key_out = CreateFile(key_file, 0600);
  if (!key_out || PEM_write_PrivateKey(key_out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return ConfigError("cannot write tls_key_file \"" + key_file + "\"");
  }
  auto cert_out = CreateFile(cert_file, 0644);
  if (!cert_out || PEM_write_X509(cert_out.get(), cert.get()) != 1) {
    return ConfigError("cannot write tls_cert_file \"" + cert_file + "\"");
  }
  return Status::OK();
}

}  // namespace lyt::net
