// The HTTP API's token store (src/auth/token_store.h): issue, use, expiry, revocation, the
// per-token rate limit, eviction at the size limit, and tokens the caller derives (Remember).
#include "auth/token_store.h"

#include <gtest/gtest.h>

#include <string>

namespace lyt::auth {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Outcome = TokenStore::Outcome;

// A clock the test moves by hand.
struct FakeClock {
  std::chrono::steady_clock::time_point now{};
  TokenStore::Clock fn() {
    return [this] { return now; };
  }
};

std::string IssueFor(TokenStore& store, const std::string& user) {
  std::string token;
  EXPECT_TRUE(store.Issue({user, "key-" + user}, &token).ok());
  return token;
}

TEST(TokenStore, IssuedTokenGivesItsGrantBack) {
  TokenStore store;
  std::string token = IssueFor(store, "alice");
  EXPECT_EQ(token.size(), 64u);
  TokenStore::Grant grant;
  milliseconds retry{0};
  ASSERT_EQ(store.Use(token, &grant, &retry), Outcome::kOk);
  EXPECT_EQ(grant.user, "alice");
  EXPECT_EQ(grant.credential, "key-alice");
  EXPECT_NE(IssueFor(store, "alice"), token);
}

TEST(TokenStore, UnknownMalformedAndRevokedTokensAreRefused) {
  TokenStore store;
  TokenStore::Grant grant;
  milliseconds retry{0};
  EXPECT_EQ(store.Use(std::string(64, '0'), &grant, &retry), Outcome::kUnknown);
  EXPECT_EQ(store.Use("xyz", &grant, &retry), Outcome::kUnknown);
  EXPECT_EQ(store.Use(std::string(64, 'g'), &grant, &retry), Outcome::kUnknown);
  std::string token = IssueFor(store, "bob");
  EXPECT_TRUE(store.Revoke(token));
  EXPECT_FALSE(store.Revoke(token));
  EXPECT_EQ(store.Use(token, &grant, &retry), Outcome::kUnknown);
}

TEST(TokenStore, TokensExpire) {
  FakeClock clock;
  TokenStore store({seconds(10), 0, 100}, clock.fn());
  std::string token = IssueFor(store, "carol");
  TokenStore::Grant grant;
  milliseconds retry{0};
  clock.now += seconds(9);
  EXPECT_EQ(store.Use(token, &grant, &retry), Outcome::kOk);
  clock.now += seconds(1);
  EXPECT_EQ(store.Use(token, &grant, &retry), Outcome::kUnknown);
  EXPECT_EQ(store.size(), 0u);
}

TEST(TokenStore, RateLimitAllowsABurstThenRefills) {
  FakeClock clock;
  TokenStore store({seconds(100), 5, 100}, clock.fn());
  std::string token = IssueFor(store, "dave");
  TokenStore::Grant grant;
  milliseconds retry{0};
  for (int i = 0; i < 10; ++i) ASSERT_EQ(store.Use(token, &grant, &retry), Outcome::kOk) << i;
  ASSERT_EQ(store.Use(token, &grant, &retry), Outcome::kRateLimited);
  EXPECT_GT(retry.count(), 0);
  EXPECT_LE(retry.count(), 201);
  clock.now += milliseconds(200);  // one request's worth at 5 per second
  EXPECT_EQ(store.Use(token, &grant, &retry), Outcome::kOk);
  EXPECT_EQ(store.Use(token, &grant, &retry), Outcome::kRateLimited);
}

TEST(TokenStore, FullStoreDropsTheTokenExpiringFirst) {
  FakeClock clock;
  TokenStore store({seconds(100), 0, 2}, clock.fn());
  std::string first = IssueFor(store, "a");
  clock.now += seconds(1);
  std::string second = IssueFor(store, "b");
  std::string third = IssueFor(store, "c");
  EXPECT_EQ(store.size(), 2u);
  TokenStore::Grant grant;
  milliseconds retry{0};
  EXPECT_EQ(store.Use(first, &grant, &retry), Outcome::kUnknown);
  EXPECT_EQ(store.Use(second, &grant, &retry), Outcome::kOk);
  EXPECT_EQ(store.Use(third, &grant, &retry), Outcome::kOk);
}

TEST(TokenStore, RememberedTokensWorkLikeIssuedOnes) {
  FakeClock clock;
  TokenStore store({seconds(60), 0, 2}, clock.fn());
  std::string derived(64, 'a');
  ASSERT_TRUE(store.Remember(derived, {"erin", "k1"}).ok());
  TokenStore::Grant grant;
  milliseconds retry{0};
  ASSERT_EQ(store.Use(std::string(64, 'A'), &grant, &retry), Outcome::kOk);  // hex in either case
  EXPECT_EQ(grant.user, "erin");
  // Remembering the same token again replaces its grant and does not evict another token.
  std::string other = IssueFor(store, "frank");
  ASSERT_TRUE(store.Remember(derived, {"erin", "k2"}).ok());
  EXPECT_EQ(store.size(), 2u);
  ASSERT_EQ(store.Use(derived, &grant, &retry), Outcome::kOk);
  EXPECT_EQ(grant.credential, "k2");
  EXPECT_EQ(store.Use(other, &grant, &retry), Outcome::kOk);
  clock.now += seconds(60);
  EXPECT_EQ(store.Use(derived, &grant, &retry), Outcome::kUnknown);
  Status bad = store.Remember("not hex", {"erin", "k"});
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.sqlstate(), "22023");
}

}  // namespace
}  // namespace lyt::auth
