// PollBudget: how long an event loop polls before it sleeps.
#include "net/poll_budget.h"

#include <gtest/gtest.h>

namespace lyt::net {
namespace {

constexpr int64_t kMax = 80'000;  // ns

TEST(PollBudget, StartsAtTheMaximum) { EXPECT_EQ(PollBudget(kMax).budget_ns(), kMax); }

TEST(PollBudget, ZeroNeverPolls) {
  PollBudget budget(0);
  EXPECT_EQ(budget.budget_ns(), 0);
  budget.AfterWait(0);
  EXPECT_EQ(budget.budget_ns(), 0);
}

TEST(PollBudget, HalvesWhenAPollFindsNothingAndStopsBelowAnEighth) {
  PollBudget budget(kMax);
  budget.FoundNothing();
  EXPECT_EQ(budget.budget_ns(), kMax / 2);
  budget.FoundNothing();
  EXPECT_EQ(budget.budget_ns(), kMax / 4);
  budget.FoundNothing();
  EXPECT_EQ(budget.budget_ns(), kMax / 8);
  budget.FoundNothing();
  EXPECT_EQ(budget.budget_ns(), 0);
  budget.FoundNothing();
  EXPECT_EQ(budget.budget_ns(), 0);
}

TEST(PollBudget, LongWaitsKeepItOffAndAShortOneRestoresIt) {
  PollBudget budget(kMax);
  for (int i = 0; i < 4; ++i) budget.FoundNothing();
  ASSERT_EQ(budget.budget_ns(), 0);
  // Work came later than a poll would have waited: polling would not have caught it.
  budget.AfterWait(kMax);
  budget.AfterWait(10 * kMax);
  EXPECT_EQ(budget.budget_ns(), 0);
  // Work came within the maximum: polling would have caught it.
  budget.AfterWait(kMax - 1);
  EXPECT_EQ(budget.budget_ns(), kMax);
}

TEST(PollBudget, AShortWaitRestoresAHalvedBudget) {
  PollBudget budget(kMax);
  budget.FoundNothing();
  budget.AfterWait(1000);
  EXPECT_EQ(budget.budget_ns(), kMax);
}

TEST(PollBudget, AContendedCpuStopsPollingForTheNextSleeps) {
  PollBudget budget(kMax);
  budget.Contended();
  EXPECT_EQ(budget.budget_ns(), 0);
  for (int i = 0; i < PollBudget::kContendedWaits; ++i) {
    budget.AfterWait(1000);
    ASSERT_EQ(budget.budget_ns(), 0) << "after " << i + 1 << " short waits";
  }
  budget.AfterWait(1000);
  EXPECT_EQ(budget.budget_ns(), kMax);
}

}  // namespace
}  // namespace lyt::net
