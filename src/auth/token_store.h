// Bearer tokens of the HTTP API (docs/http-api.md, "Authentication").
//
// A token is 256 random bits, handed to the client once as 64 hex digits; the store keeps only
// its SHA-256, so a copy of the server's memory does not give working tokens. Each token records
// its user, when it expires, the StoredKey of the user's SCRAM verifier at login (the caller
// compares it with the current one on every use: a changed password or a dropped user ends the
// token) and a token bucket for the per-token rate limit.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "lyt/status.h"

namespace lyt::auth {

class TokenStore {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  struct Options {
    std::chrono::seconds ttl{86400};
    // Requests per second each token may make, in bursts of up to twice that; 0: no limit.
    double rate_per_second = 1000;
    // The most live tokens kept; a login beyond it drops the expired ones, then the one that
    // would expire first.
    size_t max_tokens = 100000;
  };

  // What a token stands for.
  struct Grant {
    std::string user;
    std::string credential;  // the StoredKey of the user's verifier at login
  };

  enum class Outcome { kOk, kUnknown, kRateLimited };

  TokenStore();
  // An empty `clock` means std::chrono::steady_clock::now; tests pass a fake one.
  explicit TokenStore(Options options, Clock clock = {});

  // A new token for `grant`; its expiry in seconds from now is options().ttl. XX000 when no
  // random bytes can be had. Thread-safe.
  Status Issue(Grant grant, std::string* token);
  // Keeps `token`, which the caller derived itself (64 hex digits, e.g. an HMAC of credentials
  // it has just verified), for `grant`, as Issue would a new one. 22023 when `token` is not 64
  // hex digits. Thread-safe.
  Status Remember(std::string_view token, Grant grant);
  // Looks `token` up and charges one request to its bucket: kOk with *grant filled in,
  // kUnknown (never issued, expired or revoked), or kRateLimited with *retry_after set to when
  // the next request would pass. Thread-safe.
  Outcome Use(std::string_view token, Grant* grant, std::chrono::milliseconds* retry_after);
  // Ends `token`; false when it was not live. Thread-safe.
  bool Revoke(std::string_view token);
  // Live tokens (expired ones not yet dropped included), for tests and /v1/status.
  size_t size() const;
  const Options& options() const { return options_; }

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Entry {
    Grant grant;
    TimePoint expires;
    double bucket = 0;    // requests the token may still make now
    TimePoint refilled;   // when `bucket` was last topped up
  };
  TimePoint Now() const;
  // Adds the token whose raw bytes are `bytes`.
  void Insert(std::string_view bytes, Grant grant);
  // Makes room for one more token (mutex_ held).
  void Evict(TimePoint now);

  Options options_;
  Clock clock_;
  mutable std::mutex mutex_;  // guards tokens_
  std::unordered_map<std::string, Entry> tokens_;  // by SHA-256 of the token (raw bytes)
};

}  // namespace lyt::auth
