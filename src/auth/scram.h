// SCRAM-SHA-256 (RFC 5802 with RFC 7677's hash): the password verifier LytDB stores, and the two
// ends of the exchange that the lyt protocol's AUTH_SCRAM_* messages carry (docs/protocol.md,
// docs/security.md). Self-contained: no I/O, so the server and every client share it.
//
// What is supported, as in PostgreSQL without TLS: no channel binding (the client sends the gs2
// header "n,," and echoes it as c=biws; a "y,," client is accepted), no authorization identity,
// no extensions. Passwords are used as their raw bytes, without SASLprep (PostgreSQL falls back
// to the raw bytes too when SASLprep fails); a password must not contain a NUL byte. The user
// name inside the SCRAM messages is sent empty ("n=") because HELLO carries the user; the server
// accepts any n= value and ignores it.
//
// Errors are lyt::Status values: 08P01 for a malformed or out-of-order message (the message says
// what is wrong), 0A000 for a SCRAM feature we do not support, 28P01 when the client's proof is
// wrong, 28000 when the server's signature is wrong. No message ever contains the password or a
// key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lyt/status.h"

namespace lyt::auth {

inline constexpr uint32_t kScramDefaultIterations = 4096;
// The iteration counts a verifier may have and a client accepts from a server: fewer would be
// weaker than RFC 7677's minimum, more would let a server make clients burn seconds of CPU.
inline constexpr uint32_t kScramMinIterations = 4096;
inline constexpr uint32_t kScramMaxIterations = 1000000;
inline constexpr size_t kScramSaltBytes = 16;      // salts that Create draws
inline constexpr size_t kScramMaxSaltBytes = 64;   // salts that Parse and clients accept
inline constexpr size_t kScramMaxMessageBytes = 1024;  // each of the four SCRAM messages
inline constexpr size_t kScramMaxPasswordBytes = 1 << 20;

// What the server stores instead of a password: enough to check a client's proof and to prove
// itself to the client, not enough to log in elsewhere without first running the PBKDF2
// iterations against guessed passwords.
struct ScramVerifier {
  std::string salt;        // raw bytes
  uint32_t iterations = kScramDefaultIterations;
  std::string stored_key;  // H(HMAC(SaltedPassword, "Client Key")), 32 raw bytes
  std::string server_key;  // HMAC(SaltedPassword, "Server Key"), 32 raw bytes

  // A verifier for `password` with kScramSaltBytes fresh random bytes of salt. Fails with 22023
  // for a password with a NUL byte or longer than kScramMaxPasswordBytes, or an iteration count
  // outside kScramMinIterations..kScramMaxIterations; XX000 if OpenSSL fails. Thread-safe.
  static Status Create(std::string_view password, ScramVerifier* out,
                       uint32_t iterations = kScramDefaultIterations);
  // The same with a given salt (1..kScramMaxSaltBytes bytes), deterministic: for tests and for
  // checking a password against a stored verifier.
  static Status FromPassword(std::string_view password, std::string_view salt, uint32_t iterations,
                             ScramVerifier* out);

  // The storage form, as PostgreSQL writes it:
  //   SCRAM-SHA-256$<iterations>:<salt base64>$<StoredKey base64>:<ServerKey base64>
  std::string ToString() const;
  // Parses ToString's form strictly: the exact prefix, a decimal iteration count without sign or
  // leading zero inside the accepted range, canonical base64, a salt of 1..kScramMaxSaltBytes
  // bytes, 32-byte keys, nothing else. nullopt for anything else.
  static std::optional<ScramVerifier> Parse(std::string_view text);

  bool operator==(const ScramVerifier&) const = default;

  // Whether `password` is the one this verifier was made from (front ends that receive a
  // clear-text password: Redis AUTH, HTTP login). Runs the PBKDF2 iterations; compares in
  // constant time.
  bool Matches(std::string_view password) const;

  // A verifier no password matches, for a user that does not exist, so that checking it costs
  // what checking a real one does (same PBKDF2 iterations): neither the answers nor their timing
  // tell unknown user names from known ones. Keyed by `server_secret`, so its salt is stable per
  // user name but unpredictable to clients.
  static ScramVerifier ForUnknownUser(std::string_view user, std::string_view server_secret);
};

// The server's side of one exchange: HandleClientFirst, then HandleClientFinal, each once. Any
// error ends the exchange (later calls fail with 08P01). Not thread-safe; one per connection.
class ScramServer {
 public:
  // For user `user` (as HELLO named it, used in error messages only) with stored `verifier`.
  // `server_nonce` is for tests (RFC 7677's vector): empty draws 18 random bytes, base64.
  ScramServer(std::string user, ScramVerifier verifier, std::string server_nonce = "");

  // For a user that does not exist (or has no password): the exchange runs exactly as for a
  // real user, with a salt derived from `user` and `server_secret` (so that asking twice gives
  // the same salt) and the default iteration count, and always ends in the same 28P01 error as a
  // wrong password. Clients thus cannot tell unknown users from known ones. `server_secret`
  // should be at least 16 random bytes kept for the server's lifetime.
  static ScramServer ForUnknownUser(std::string user, std::string_view server_secret,
                                    std::string server_nonce = "");

  // Parses the client-first-message (`n,,n=<user>,r=<client nonce>`) and sets *server_first
  // to the server-first-message (`r=<client nonce><server nonce>,s=<salt>,i=<iterations>`).
  Status HandleClientFirst(std::string_view client_first, std::string* server_first);

  // Checks the client-final-message (`c=<gs2 header base64>,r=<nonce>,p=<proof>`): 08P01 when
  // the channel-binding echo or the nonce does not match or the message is malformed, 28P01
  // 'password authentication failed for user "<user>"' when the proof is wrong (compared in
  // constant time). On success sets *server_final to `v=<server signature>`; the client is then
  // authenticated.
  Status HandleClientFinal(std::string_view client_final, std::string* server_final);

 private:
  enum class State { kExpectClientFirst, kExpectClientFinal, kDone };


  std::string user_;
  ScramVerifier verifier_;
  bool unknown_user_ = false;
  State state_ = State::kExpectClientFirst;
  std::string server_nonce_;
  std::string gs2_header_;         // "n,," or "y,,", as the client sent it
  std::string nonce_;              // client nonce + server nonce
  std::string auth_message_head_;  // client-first-bare "," server-first ","
};

// The client's side of one exchange: ClientFirst, HandleServerFirst, HandleServerFinal, in that
// order, each once. Any error ends the exchange. Not thread-safe; one per connection attempt.
class ScramClient {
 public:
  // `user` goes into the client-first-message (lyt clients leave it empty, HELLO carries the
  // user). `client_nonce` is for tests (RFC 7677's vector): empty draws 24 random bytes, base64.
  explicit ScramClient(std::string password, std::string user = "", std::string client_nonce = "");

  // The client-first-message: `n,,n=<user>,r=<client nonce>`. (If the random nonce could not be
  // drawn, HandleServerFirst reports it.)
  std::string ClientFirst();

  // Checks the server-first-message (the nonce must extend ours; salt canonical base64 of
  // 1..kScramMaxSaltBytes bytes; iterations in kScramMinIterations..kScramMaxIterations) and sets
  // *client_final to the client-final-message with the proof. 08P01 when the message is
  // malformed, 22023 for a password with a NUL byte.
  Status HandleServerFirst(std::string_view server_first, std::string* client_final);

  // Checks the server-final-message: OK only when it carries the signature that proves the
  // server knows the verifier (mutual authentication). 28000 on a wrong signature or when the
  // server reports an error (`e=...`), 08P01 when malformed.
  Status HandleServerFinal(std::string_view server_final);

 private:
  enum class State { kStart, kExpectServerFirst, kExpectServerFinal, kDone };


  std::string password_;
  std::string user_;
  std::string client_nonce_;
  Status nonce_status_;
  State state_ = State::kStart;
  std::string client_first_bare_;
  std::string server_signature_;  // expected, 32 raw bytes
};

}  // namespace lyt::auth
