// Slows down password guessing: the server asks DelayFor before it answers a login attempt and
// waits that long, then reports the outcome with RecordFailure or RecordSuccess
// (docs/security.md, "Failed logins").
//
// Failures are counted per user name and, separately, per client address; an attempt waits for
// the larger of its two delays. The first `free_failures` failures cost nothing (typos); after
// them the delay is `first_delay`, doubling with each further failure up to `max_delay`. A count
// is forgotten after `quiet_period` without failures. Memory is bounded: at most `max_entries`
// counts are kept per kind; when a new one is needed the least recently failed one is dropped.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace lyt::auth {

class LoginThrottle {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  struct Options {
    int free_failures = 3;
    std::chrono::milliseconds first_delay{250};
    std::chrono::milliseconds max_delay{10000};
    std::chrono::milliseconds quiet_period{std::chrono::minutes(1)};
    size_t max_entries = 10000;  // per kind (users, addresses); at least 1
  };

  // With the default Options and std::chrono::steady_clock::now.
  LoginThrottle();
  // An empty `clock` means std::chrono::steady_clock::now; tests pass a fake one.
  explicit LoginThrottle(Options options, Clock clock = {});

  // How long to wait before answering the next attempt of `user` from `address` (the host
  // part only, so that changing the source port does not start afresh). Apply it before
  // checking the attempt, whatever its outcome, so the timing tells nothing. Thread-safe.
  std::chrono::milliseconds DelayFor(const std::string& user, const std::string& address);
  // Counts a failed attempt (wrong password, unknown user, malformed exchange). Thread-safe.
  void RecordFailure(const std::string& user, const std::string& address);
  // Forgets the user's failures. The address keeps its count: otherwise a client could guess
  // other users' passwords and wipe its count by logging in to an account of its own.
  // `address` is accepted for symmetry. Thread-safe.
  void RecordSuccess(const std::string& user, const std::string& address);

  // Counts held (users + addresses), for tests.
  size_t size() const;

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Entry {
    int failures = 0;
    TimePoint last_failure;
    std::list<std::string>::iterator order;  // position in Counts::order
  };
  // One kind of key, with the keys in order of their last failure (oldest first).
  struct Counts {
    std::unordered_map<std::string, Entry> entries;
    std::list<std::string> order;
  };

  std::chrono::milliseconds DelayOf(Counts& counts, const std::string& key, TimePoint now);
  void Fail(Counts& counts, const std::string& key, TimePoint now);
  static void Forget(Counts& counts, const std::string& key);

  const Options options_;
  const Clock clock_;
  mutable std::mutex mutex_;  // guards users_ and addresses_
  Counts users_;
  Counts addresses_;
};

}  // namespace lyt::auth
