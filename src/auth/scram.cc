// SCRAM-SHA-256 (RFC 5802 §3 for the key derivation, §7 for the message grammar, RFC 7677 for
// the hash). The three values both ends compute from the same inputs:
//   SaltedPassword = PBKDF2-HMAC-SHA-256(password, salt, iterations)
//   ClientKey = HMAC(SaltedPassword, "Client Key"), StoredKey = H(ClientKey)
//   ServerKey = HMAC(SaltedPassword, "Server Key")
//   AuthMessage = client-first-bare "," server-first "," client-final-without-proof
//   ClientProof = ClientKey XOR HMAC(StoredKey, AuthMessage)
//   ServerSignature = HMAC(ServerKey, AuthMessage)
// The server recovers ClientKey from the proof and checks that its hash is StoredKey.
//
// An OpenSSL failure inside HMAC or the hash yields an empty string, which then fails every
// length check and comparison, so it can only make authentication fail, never succeed.
#include "auth/scram.h"

#include <openssl/evp.h>

#include <algorithm>
#include <vector>

#include "auth/base64.h"
#include "auth/crypto.h"
#include "common/error.h"

namespace lyt::auth {
namespace {

constexpr std::string_view kVerifierPrefix = "SCRAM-SHA-256$";
constexpr size_t kKeyBytes = 32;           // SHA-256 output
constexpr size_t kServerNonceBytes = 18;   // 24 base64 characters
constexpr size_t kClientNonceBytes = 24;   // 32 base64 characters

// ---- errors ----

Status Malformed(std::string detail) {
  return Status::Error(sqlstate::kProtocolViolation, "malformed SCRAM message: " + std::move(detail));
}

Status OutOfOrder() { return Status::Error(sqlstate::kProtocolViolation, "SCRAM message out of order"); }

Status InvalidParameter(std::string message) {
  return Status::Error(sqlstate::kInvalidParameterValue, std::move(message));
}

// ---- crypto primitives (the rest are in crypto.h) ----

// a XOR b for equal lengths; "" otherwise.
std::string Xor(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return "";
  std::string out(a);
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<char>(out[i] ^ b[i]);
  return out;
}

// n random bytes as base64: a nonce made of printable characters other than ','.
Status RandomNonce(size_t n, std::string* out) {
  std::string bytes;
  Status s = RandomBytes(n, &bytes);
  if (s.ok()) *out = Base64Encode(bytes);
  return s;
}

Status CheckPassword(std::string_view password) {
  if (password.find('\0') != std::string_view::npos) {
    return InvalidParameter("password must not contain NUL bytes");
  }
  if (password.size() > kScramMaxPasswordBytes) return InvalidParameter("password is too long");
  return Status::OK();
}

bool IterationsInRange(uint32_t iterations) {
  return iterations >= kScramMinIterations && iterations <= kScramMaxIterations;
}

std::string IterationsRange() {
  return std::to_string(kScramMinIterations) + ".." + std::to_string(kScramMaxIterations);
}

// The three keys of a password; `password` already passed CheckPassword.
Status DeriveKeys(std::string_view password, std::string_view salt, uint32_t iterations,
                  std::string* client_key, ScramVerifier* out) {
  unsigned char salted[kKeyBytes];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                        static_cast<int>(iterations), EVP_sha256(), sizeof salted, salted) != 1) {
    return Status::Error(sqlstate::kInternalError, "could not derive the SCRAM salted password");
  }
  std::string_view salted_password(reinterpret_cast<const char*>(salted), sizeof salted);
  *client_key = Hmac(salted_password, "Client Key");
  out->salt = std::string(salt);
  out->iterations = iterations;
  out->stored_key = Sha256(*client_key);
  out->server_key = Hmac(salted_password, "Server Key");
  OPENSSL_cleanse(salted, sizeof salted);
  return Status::OK();
}

// ---- message grammar ----

// A decimal number without sign or leading zero that fits in uint32_t.
std::optional<uint32_t> ParseDecimal(std::string_view text) {
  if (text.empty() || text.size() > 10 || (text[0] == '0' && text.size() > 1)) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(value);
}

// RFC 5802's `printable`: %x21-2B / %x2D-7E, at least one.
bool IsValidNonce(std::string_view nonce) {
  if (nonce.empty()) return false;
  for (char c : nonce) {
    if (c < 0x21 || c > 0x7E || c == ',') return false;
  }
  return true;
}

std::string Quoted(char name) { return std::string("\"") + name + "\""; }

// The attribute at the start of `attribute`, for an error message: `"x"` when it has the form
// x=..., "" otherwise (never quotes the value).
std::string FoundName(std::string_view attribute) {
  bool named = attribute.size() >= 2 && attribute[1] == '=' &&
               ((attribute[0] >= 'a' && attribute[0] <= 'z') || (attribute[0] >= 'A' && attribute[0] <= 'Z'));
  return named ? " but found " + Quoted(attribute[0]) : "";
}

// Splits `text` at ',' into exactly the attributes `names` in that order ("crp": c=...,r=...,
// p=...), setting (*values)[i] to the value of names[i].
Status SplitAttributes(std::string_view text, std::string_view names, std::vector<std::string_view>* values) {
  values->clear();
  size_t pos = 0;
  while (true) {
    size_t end = std::min(text.find(',', pos), text.size());
    std::string_view attribute = text.substr(pos, end - pos);
    if (values->size() == names.size()) return Malformed("unexpected data after attribute " + Quoted(names.back()));
    char name = names[values->size()];
    if (attribute.size() < 2 || attribute[0] != name || attribute[1] != '=') {
      return Malformed("expected attribute " + Quoted(name) + FoundName(attribute));
    }
    values->push_back(attribute.substr(2));
    if (end == text.size()) break;
    pos = end + 1;
  }
  if (values->size() < names.size()) return Malformed("missing attribute " + Quoted(names[values->size()]));
  return Status::OK();
}

Status CheckLength(std::string_view message) {
  if (message.empty()) return Malformed("empty message");
  if (message.size() > kScramMaxMessageBytes) {
    return Malformed("message longer than " + std::to_string(kScramMaxMessageBytes) + " bytes");
  }
  return Status::OK();
}

// Splits a client-first-message into its gs2 header ("n,," or "y,,", including the commas) and
// the client-first-message-bare after it.
Status SplitGs2Header(std::string_view message, std::string_view* header, std::string_view* bare) {
  if (message.size() < 3 || message[1] != ',' || (message[0] != 'n' && message[0] != 'y')) {
    if (message[0] == 'p') return Malformed("channel binding is not supported (expected gs2 header \"n,,\")");
    return Malformed("expected channel-binding flag \"n\" or \"y\"");
  }
  size_t comma = message.find(',', 2);
  if (comma == std::string_view::npos) return Malformed("missing client-first-message-bare");
  std::string_view authzid = message.substr(2, comma - 2);
  if (authzid.starts_with("a=")) {
    return Status::Error(sqlstate::kFeatureNotSupported, "SCRAM authorization identity is not supported");
  }
  if (!authzid.empty()) return Malformed("expected authorization identity \"a\" or nothing");
  *header = message.substr(0, comma + 1);
  *bare = message.substr(comma + 1);
  return Status::OK();
}

// RFC 5802 saslname: ',' and '=' written as =2C and =3D.
std::string EscapeSaslName(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == ',') {
      out += "=2C";
    } else if (c == '=') {
      out += "=3D";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

// ---- ScramVerifier ----

Status ScramVerifier::Create(std::string_view password, ScramVerifier* out, uint32_t iterations) {
  std::string salt;
  Status s = RandomBytes(kScramSaltBytes, &salt);
  if (!s.ok()) return s;
  return FromPassword(password, salt, iterations, out);
}

Status ScramVerifier::FromPassword(std::string_view password, std::string_view salt, uint32_t iterations,
                                   ScramVerifier* out) {
  Status s = CheckPassword(password);
  if (!s.ok()) return s;
  if (!IterationsInRange(iterations)) {
    return InvalidParameter("SCRAM iteration count must be in " + IterationsRange());
  }
  if (salt.empty() || salt.size() > kScramMaxSaltBytes) {
    return InvalidParameter("SCRAM salt must have 1.." + std::to_string(kScramMaxSaltBytes) + " bytes");
  }
  std::string client_key;
  s = DeriveKeys(password, salt, iterations, &client_key, out);
  OPENSSL_cleanse(client_key.data(), client_key.size());
  return s;
}

bool ScramVerifier::Matches(std::string_view password) const {
  ScramVerifier candidate;
  if (!FromPassword(password, salt, iterations, &candidate).ok()) return false;
  return ConstantTimeEquals(candidate.stored_key, stored_key);
}

ScramVerifier ScramVerifier::ForUnknownUser(std::string_view user, std::string_view server_secret) {
  std::string name(user);
  ScramVerifier fake;
  fake.salt = Hmac(server_secret, "lyt SCRAM fake salt:" + name).substr(0, kScramSaltBytes);
  fake.iterations = kScramDefaultIterations;
  fake.stored_key = Hmac(server_secret, "lyt SCRAM fake stored key:" + name);
  fake.server_key = Hmac(server_secret, "lyt SCRAM fake server key:" + name);
  return fake;
}

std::string ScramVerifier::ToString() const {
  return std::string(kVerifierPrefix) + std::to_string(iterations) + ":" + Base64Encode(salt) + "$" +
         Base64Encode(stored_key) + ":" + Base64Encode(server_key);
}

std::optional<ScramVerifier> ScramVerifier::Parse(std::string_view text) {
  if (!text.starts_with(kVerifierPrefix)) return std::nullopt;
  text.remove_prefix(kVerifierPrefix.size());
  // <iterations>:<salt>$<stored key>:<server key>; base64 never contains ':' or '$'.
  size_t colon1 = text.find(':');
  size_t dollar = text.find('$');
  size_t colon2 = text.find(':', dollar);
  if (colon1 > dollar || dollar == std::string_view::npos || colon2 == std::string_view::npos) {
    return std::nullopt;
  }
  std::optional<uint32_t> iterations = ParseDecimal(text.substr(0, colon1));
  std::optional<std::string> salt = Base64Decode(text.substr(colon1 + 1, dollar - colon1 - 1));
  std::optional<std::string> stored_key = Base64Decode(text.substr(dollar + 1, colon2 - dollar - 1));
  std::optional<std::string> server_key = Base64Decode(text.substr(colon2 + 1));
  if (!iterations || !IterationsInRange(*iterations) || !salt || salt->empty() ||
      salt->size() > kScramMaxSaltBytes || !stored_key || stored_key->size() != kKeyBytes || !server_key ||
      server_key->size() != kKeyBytes) {
    return std::nullopt;
  }
  return ScramVerifier{std::move(*salt), *iterations, std::move(*stored_key), std::move(*server_key)};
}

// ---- ScramServer ----

ScramServer::ScramServer(std::string user, ScramVerifier verifier, std::string server_nonce)
    : user_(std::move(user)), verifier_(std::move(verifier)), server_nonce_(std::move(server_nonce)) {}

ScramServer ScramServer::ForUnknownUser(std::string user, std::string_view server_secret,
                                        std::string server_nonce) {
  ScramVerifier fake = ScramVerifier::ForUnknownUser(user, server_secret);
  ScramServer server(std::move(user), std::move(fake), std::move(server_nonce));
  server.unknown_user_ = true;
  return server;
}

Status ScramServer::HandleClientFirst(std::string_view client_first, std::string* server_first) {
  if (state_ != State::kExpectClientFirst) return OutOfOrder();
  state_ = State::kDone;  // until this message has passed every check
  Status s = CheckLength(client_first);
  std::string_view header, bare;
  if (s.ok()) s = SplitGs2Header(client_first, &header, &bare);
  if (s.ok() && bare.starts_with("m=")) {
    s = Status::Error(sqlstate::kFeatureNotSupported, "SCRAM extensions are not supported");
  }
  std::vector<std::string_view> values;  // n, r
  if (s.ok()) s = SplitAttributes(bare, "nr", &values);
  if (s.ok() && !IsValidNonce(values[1])) s = Malformed("invalid client nonce");
  if (s.ok() && server_nonce_.empty()) s = RandomNonce(kServerNonceBytes, &server_nonce_);
  if (!s.ok()) return s;
  gs2_header_ = std::string(header);
  nonce_ = std::string(values[1]) + server_nonce_;
  *server_first = "r=" + nonce_ + ",s=" + Base64Encode(verifier_.salt) + ",i=" + std::to_string(verifier_.iterations);
  auth_message_head_ = std::string(bare) + "," + *server_first + ",";
  state_ = State::kExpectClientFinal;
  return Status::OK();
}

Status ScramServer::HandleClientFinal(std::string_view client_final, std::string* server_final) {
  if (state_ != State::kExpectClientFinal) return OutOfOrder();
  state_ = State::kDone;
  Status s = CheckLength(client_final);
  std::vector<std::string_view> values;  // c, r, p
  if (s.ok()) s = SplitAttributes(client_final, "crp", &values);
  if (!s.ok()) return s;
  std::optional<std::string> binding = Base64Decode(values[0]);
  if (!binding) return Malformed("invalid base64 in attribute \"c\"");
  if (*binding != gs2_header_) return Malformed("channel-binding data does not match the gs2 header");
  if (values[1] != nonce_) return Malformed("nonce does not match the server-first-message");
  std::optional<std::string> proof = Base64Decode(values[2]);
  if (!proof || proof->size() != kKeyBytes) return Malformed("invalid client proof");

  std::string_view without_proof = client_final.substr(0, client_final.size() - values[2].size() - 3);
  std::string auth_message = auth_message_head_ + std::string(without_proof);
  std::string client_key = Xor(*proof, Hmac(verifier_.stored_key, auth_message));
  bool proof_ok = ConstantTimeEquals(Sha256(client_key), verifier_.stored_key);
  if (!proof_ok || unknown_user_) {
    return Status::Error(sqlstate::kInvalidPassword, "password authentication failed for user \"" + user_ + "\"");
  }
  *server_final = "v=" + Base64Encode(Hmac(verifier_.server_key, auth_message));
  return Status::OK();
}

// ---- ScramClient ----

ScramClient::ScramClient(std::string password, std::string user, std::string client_nonce)
    : password_(std::move(password)), user_(std::move(user)), client_nonce_(std::move(client_nonce)) {
  if (client_nonce_.empty()) nonce_status_ = RandomNonce(kClientNonceBytes, &client_nonce_);
}

std::string ScramClient::ClientFirst() {
  client_first_bare_ = "n=" + EscapeSaslName(user_) + ",r=" + client_nonce_;
  state_ = State::kExpectServerFirst;
  return "n,," + client_first_bare_;
}

Status ScramClient::HandleServerFirst(std::string_view server_first, std::string* client_final) {
  if (state_ != State::kExpectServerFirst) return OutOfOrder();
  state_ = State::kDone;
  if (!nonce_status_.ok()) return nonce_status_;
  Status s = CheckPassword(password_);
  if (s.ok()) s = CheckLength(server_first);
  if (s.ok() && server_first.starts_with("m=")) s = Malformed("the server requires an unsupported SCRAM extension");
  std::vector<std::string_view> values;  // r, s, i
  if (s.ok()) s = SplitAttributes(server_first, "rsi", &values);
  if (!s.ok()) return s;
  std::string_view nonce = values[0];
  if (!IsValidNonce(nonce) || nonce.size() <= client_nonce_.size() || !nonce.starts_with(client_nonce_)) {
    return Malformed("server nonce does not extend the client nonce");
  }
  std::optional<std::string> salt = Base64Decode(values[1]);
  if (!salt || salt->empty() || salt->size() > kScramMaxSaltBytes) return Malformed("invalid salt");
  std::optional<uint32_t> iterations = ParseDecimal(values[2]);
  if (!iterations) return Malformed("invalid iteration count");
  if (!IterationsInRange(*iterations)) {
    return Malformed("iteration count " + std::to_string(*iterations) + " is outside " + IterationsRange());
  }

  ScramVerifier keys;
  std::string client_key;
  s = DeriveKeys(password_, *salt, *iterations, &client_key, &keys);
  OPENSSL_cleanse(password_.data(), password_.size());
  if (!s.ok()) return s;
  std::string without_proof = "c=" + Base64Encode("n,,") + ",r=" + std::string(nonce);
  std::string auth_message = client_first_bare_ + "," + std::string(server_first) + "," + without_proof;
  std::string proof = Xor(client_key, Hmac(keys.stored_key, auth_message));
  OPENSSL_cleanse(client_key.data(), client_key.size());
  server_signature_ = Hmac(keys.server_key, auth_message);
  *client_final = without_proof + ",p=" + Base64Encode(proof);
  state_ = State::kExpectServerFinal;
  return Status::OK();
}

Status ScramClient::HandleServerFinal(std::string_view server_final) {
  if (state_ != State::kExpectServerFinal) return OutOfOrder();
  state_ = State::kDone;
  Status s = CheckLength(server_final);
  if (!s.ok()) return s;
  if (server_final.starts_with("e=")) {
    return Status::Error(sqlstate::kInvalidAuthorization, "the server rejected the SCRAM exchange");
  }
  std::vector<std::string_view> values;  // v
  s = SplitAttributes(server_final, "v", &values);
  if (!s.ok()) return s;
  std::optional<std::string> signature = Base64Decode(values[0]);
  if (!signature || signature->size() != kKeyBytes) return Malformed("invalid server signature");
  if (!ConstantTimeEquals(*signature, server_signature_)) {
    return Status::Error(sqlstate::kInvalidAuthorization,
                         "SCRAM server signature is incorrect: the server could not prove that it knows the password");
  }
  return Status::OK();
}

}  // namespace lyt::auth
