#include "auth/login_throttle.h"

#include <algorithm>

namespace lyt::auth {

LoginThrottle::LoginThrottle() : LoginThrottle(Options{}) {}

LoginThrottle::LoginThrottle(Options options, Clock clock)
    : options_(options), clock_(clock ? std::move(clock) : Clock(&std::chrono::steady_clock::now)) {}

std::chrono::milliseconds LoginThrottle::DelayFor(const std::string& user, const std::string& address) {
  TimePoint now = clock_();
  std::lock_guard lock(mutex_);
  return std::max(DelayOf(users_, user, now), DelayOf(addresses_, address, now));
}

void LoginThrottle::RecordFailure(const std::string& user, const std::string& address) {
  TimePoint now = clock_();
  std::lock_guard lock(mutex_);
  Fail(users_, user, now);
  Fail(addresses_, address, now);
}

void LoginThrottle::RecordSuccess(const std::string& user, const std::string& /*address*/) {
  std::lock_guard lock(mutex_);
  Forget(users_, user);
}

size_t LoginThrottle::size() const {
  std::lock_guard lock(mutex_);
  return users_.entries.size() + addresses_.entries.size();
}

// The delay after `failures` failures: 0 for the free ones, then first_delay doubling.
std::chrono::milliseconds LoginThrottle::DelayOf(Counts& counts, const std::string& key, TimePoint now) {
  auto it = counts.entries.find(key);
  if (it == counts.entries.end()) return std::chrono::milliseconds(0);
  if (now - it->second.last_failure >= options_.quiet_period) {
    Forget(counts, key);
    return std::chrono::milliseconds(0);
  }
  int beyond = it->second.failures - options_.free_failures;
  if (beyond <= 0) return std::chrono::milliseconds(0);
  std::chrono::milliseconds delay = options_.first_delay;
  for (int i = 1; i < beyond && delay < options_.max_delay; ++i) delay *= 2;
  return std::min(delay, options_.max_delay);
}

void LoginThrottle::Fail(Counts& counts, const std::string& key, TimePoint now) {
  auto it = counts.entries.find(key);
  if (it != counts.entries.end() && now - it->second.last_failure >= options_.quiet_period) {
    Forget(counts, key);  // a failure after a quiet period starts a new count
    it = counts.entries.end();
  }
  if (it == counts.entries.end()) {
    while (!counts.order.empty() && counts.entries.size() >= std::max<size_t>(options_.max_entries, 1)) {
      counts.entries.erase(counts.order.front());
      counts.order.pop_front();
    }
    it = counts.entries.emplace(key, Entry{}).first;
    it->second.order = counts.order.insert(counts.order.end(), key);
  } else {
    counts.order.splice(counts.order.end(), counts.order, it->second.order);
  }
  // Saturate well above the failures needed for max_delay.
  it->second.failures = std::min(it->second.failures + 1, options_.free_failures + 64);
  it->second.last_failure = now;
}

void LoginThrottle::Forget(Counts& counts, const std::string& key) {
  auto it = counts.entries.find(key);
  if (it == counts.entries.end()) return;
  counts.order.erase(it->second.order);
  counts.entries.erase(it);
}

}  // namespace lyt::auth
