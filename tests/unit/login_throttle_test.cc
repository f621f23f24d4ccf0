// LoginThrottle: the delay schedule, per-user and per-address counts, decay, the memory bound.
#include "auth/login_throttle.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace lyt::auth {
namespace {

using std::chrono::milliseconds;

class LoginThrottleTest : public ::testing::Test {
 protected:
  LoginThrottle Make(LoginThrottle::Options options = LoginThrottle::Options{}) {
    return LoginThrottle(options, [this] { return now_; });
  }
  void Advance(milliseconds d) { now_ += d; }
  static void Fail(LoginThrottle& throttle, int times, const std::string& user = "u", const std::string& address = "a") {
    for (int i = 0; i < times; ++i) throttle.RecordFailure(user, address);
  }

  std::chrono::steady_clock::time_point now_{};
};

TEST_F(LoginThrottleTest, FreeFailuresThenDoublingUpToTheCap) {
  LoginThrottle throttle = Make();
  std::vector<long> delays;
  for (int i = 0; i < 12; ++i) {
    delays.push_back(static_cast<long>(throttle.DelayFor("u", "a").count()));
    throttle.RecordFailure("u", "a");
  }
  EXPECT_EQ(delays, (std::vector<long>{0, 0, 0, 0, 250, 500, 1000, 2000, 4000, 8000, 10000, 10000}));
  Fail(throttle, 1000);  // saturates without overflow
  EXPECT_EQ(throttle.DelayFor("u", "a"), milliseconds(10000));
}

TEST_F(LoginThrottleTest, CountsUsersAndAddressesSeparately) {
  LoginThrottle throttle = Make();
  Fail(throttle, 5, "victim", "10.0.0.1");
  // The same user from elsewhere, and another user from the same address, both wait.
  EXPECT_EQ(throttle.DelayFor("victim", "10.0.0.2"), milliseconds(500));
  EXPECT_EQ(throttle.DelayFor("other", "10.0.0.1"), milliseconds(500));
  EXPECT_EQ(throttle.DelayFor("other", "10.0.0.2"), milliseconds(0));
  // Spraying many users from one address is slowed by the address count.
  for (int i = 0; i < 5; ++i) throttle.RecordFailure("user" + std::to_string(i), "10.0.0.9");
  EXPECT_EQ(throttle.DelayFor("fresh", "10.0.0.9"), milliseconds(500));
}

TEST_F(LoginThrottleTest, SuccessForgetsTheUserNotTheAddress) {
  LoginThrottle throttle = Make();
  Fail(throttle, 4, "u", "a");
  throttle.RecordSuccess("u", "a");
  EXPECT_EQ(throttle.DelayFor("u", "b"), milliseconds(0));
  EXPECT_EQ(throttle.DelayFor("u", "a"), milliseconds(250));  // the address still counts
}

TEST_F(LoginThrottleTest, DecaysAfterAQuietPeriod) {
  LoginThrottle throttle = Make();
  Fail(throttle, 6);
  EXPECT_EQ(throttle.DelayFor("u", "a"), milliseconds(1000));
  Advance(milliseconds(59999));
  EXPECT_EQ(throttle.DelayFor("u", "a"), milliseconds(1000));
  throttle.RecordFailure("u", "a");  // not quiet yet: the count goes on
  EXPECT_EQ(throttle.DelayFor("u", "a"), milliseconds(2000));
  Advance(std::chrono::minutes(1));
  EXPECT_EQ(throttle.DelayFor("u", "a"), milliseconds(0));
  EXPECT_EQ(throttle.size(), 0u);  // forgotten counts free their memory
  Fail(throttle, 4);
  EXPECT_EQ(throttle.DelayFor("u", "a"), milliseconds(250));  // a fresh count
}

TEST_F(LoginThrottleTest, MemoryIsBoundedOldestEvictedFirst) {
  LoginThrottle::Options options;
  options.max_entries = 3;
  LoginThrottle throttle = Make(options);
  for (int i = 0; i < 10; ++i) {
    Advance(milliseconds(1));
    Fail(throttle, 4, "user" + std::to_string(i), "addr" + std::to_string(i));
  }
  EXPECT_EQ(throttle.size(), 6u);
  EXPECT_EQ(throttle.DelayFor("user9", "x"), milliseconds(250));
  EXPECT_EQ(throttle.DelayFor("user0", "x"), milliseconds(0));  // evicted
  // A failure refreshes an entry: user7 outlives user8 and user9 less recently failed.
  Fail(throttle, 1, "user7", "addr7");
  Fail(throttle, 4, "new", "newaddr");
  EXPECT_EQ(throttle.DelayFor("user7", "x"), milliseconds(500));
  EXPECT_EQ(throttle.DelayFor("user8", "x"), milliseconds(0));
}

TEST_F(LoginThrottleTest, ThreadSafe) {
  LoginThrottle throttle;  // the real clock
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&throttle, t] {
      for (int i = 0; i < 1000; ++i) {
        std::string user = "u" + std::to_string(i % 50);
        std::string address = "a" + std::to_string(t);
        (void)throttle.DelayFor(user, address);
        if (i % 7 == 0) throttle.RecordSuccess(user, address);
        else throttle.RecordFailure(user, address);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(throttle.size(), 54u);
}

}  // namespace
}  // namespace lyt::auth
