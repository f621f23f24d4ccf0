#include "auth/token_store.h"

#include <algorithm>

#include "auth/crypto.h"
#include "common/error.h"

namespace lyt::auth {
namespace {

constexpr size_t kTokenBytes = 32;

}  // namespace

TokenStore::TokenStore() : TokenStore(Options{}) {}

TokenStore::TokenStore(Options options, Clock clock) : options_(options), clock_(std::move(clock)) {
  options_.max_tokens = std::max<size_t>(options_.max_tokens, 1);
}

TokenStore::TimePoint TokenStore::Now() const { return clock_ ? clock_() : std::chrono::steady_clock::now(); }

Status TokenStore::Issue(Grant grant, std::string* token) {
  std::string bytes;
  Status status = RandomBytes(kTokenBytes, &bytes);
  if (!status.ok()) return status;
  Insert(bytes, std::move(grant));
  *token = HexEncode(bytes);
  return Status::OK();
}

void TokenStore::Insert(std::string_view bytes, Grant grant) {
  TimePoint now = Now();
  Entry entry{std::move(grant), now + options_.ttl, 2 * options_.rate_per_second, now};
  std::string key = Sha256(bytes);
  std::lock_guard lock(mutex_);
  if (tokens_.size() >= options_.max_tokens && !tokens_.contains(key)) Evict(now);
  tokens_.insert_or_assign(std::move(key), std::move(entry));
}

void TokenStore::Evict(TimePoint now) {
  std::erase_if(tokens_, [now](const auto& item) { return item.second.expires <= now; });
  if (tokens_.size() < options_.max_tokens) return;
  auto first = std::min_element(tokens_.begin(), tokens_.end(),
                                [](const auto& a, const auto& b) { return a.second.expires < b.second.expires; });
  tokens_.erase(first);
}

namespace {

// The raw bytes of a token written as 64 hex digits (either case); empty when it is not one.
std::string DecodeToken(std::string_view token) {
  if (token.size() != 2 * kTokenBytes) return "";
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string bytes;
  for (size_t i = 0; i < token.size(); i += 2) {
    int high = digit(token[i]), low = digit(token[i + 1]);
    if (high < 0 || low < 0) return "";
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

}  // namespace

Status TokenStore::Remember(std::string_view token, Grant grant) {
  std::string bytes = DecodeToken(token);
  if (bytes.empty()) return Status::Error(sqlstate::kInvalidParameterValue, "a token is 64 hex digits");
  Insert(bytes, std::move(grant));
  return Status::OK();
}

TokenStore::Outcome TokenStore::Use(std::string_view token, Grant* grant, std::chrono::milliseconds* retry_after) {
  std::string bytes = DecodeToken(token);
  if (bytes.empty()) return Outcome::kUnknown;
  std::string key = Sha256(bytes);
  TimePoint now = Now();
  std::lock_guard lock(mutex_);
  auto it = tokens_.find(key);
  if (it == tokens_.end()) return Outcome::kUnknown;
  Entry& entry = it->second;
  if (entry.expires <= now) {
    tokens_.erase(it);
    return Outcome::kUnknown;
  }
  if (options_.rate_per_second > 0) {
    double elapsed = std::chrono::duration<double>(now - entry.refilled).count();
    entry.bucket = std::min(2 * options_.rate_per_second, entry.bucket + elapsed * options_.rate_per_second);
    entry.refilled = now;
    if (entry.bucket < 1) {
      double wait_seconds = (1 - entry.bucket) / options_.rate_per_second;
      *retry_after = std::chrono::milliseconds(static_cast<int64_t>(wait_seconds * 1000) + 1);
      return Outcome::kRateLimited;
    }
    entry.bucket -= 1;
  }
  *grant = entry.grant;
  return Outcome::kOk;
}

bool TokenStore::Revoke(std::string_view token) {
  std::string bytes = DecodeToken(token);
  if (bytes.empty()) return false;
  std::string key = Sha256(bytes);
  std::lock_guard lock(mutex_);
  return tokens_.erase(key) > 0;
}

size_t TokenStore::size() const {
  std::lock_guard lock(mutex_);
  return tokens_.size();
}

}  // namespace lyt::auth
