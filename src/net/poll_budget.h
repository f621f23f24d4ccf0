// How long an event loop polls for more work before it sleeps (EventLoop::Run).
//
// Why poll at all: a loop asleep in epoll_wait must be woken by the kernel when a request
// arrives, and the client's send pays for that wake-up (in a VM an inter-processor interrupt).
// A loop that keeps polling for a few tens of microseconds after its work runs out catches the
// next request of a busy client without either cost (figures: docs/server.md, "Loops poll
// before they sleep").
//
// Why the budget adapts: polling that finds nothing is burnt CPU. The budget starts at the
// configured maximum and halves each time a poll finds nothing in it; below an eighth of the
// maximum it drops to zero and the loop sleeps straight away. It comes back to the maximum when
// the loop was woken again within the maximum, that is when polling would have caught the work.
// So an idle or lightly loaded loop does not poll, and a loaded one polls only while it pays.
//
// Why it stops on a contended CPU: between polls the loop yields the CPU. A yield that let
// another thread run means threads wait for this CPU (many client threads, say); polling then
// delays them, and a loop that never sleeps loses the scheduler's preference for threads that
// wake from sleep, so each of its turns comes later. Measured on the 2-core VM with 64 client
// threads: about 20% fewer point SELECTs when the loop kept polling. After such a yield the
// budget is zero for the loop's next kContendedWaits sleeps, whatever their length.
//
// Not thread-safe: each loop's thread owns its budget.
#pragma once

#include <cstdint>

namespace lyt::net {

class PollBudget {
 public:
  // Sleeps without polling after Contended().
  static constexpr int kContendedWaits = 64;

  // `max_ns` 0: never poll.
  explicit PollBudget(int64_t max_ns) : max_ns_(max_ns), budget_ns_(max_ns) {}

  // How long to poll now (0: sleep).
  int64_t budget_ns() const { return budget_ns_; }

  // The loop had work again `idle_ns` after its work ran out (polling and sleeping).
  void AfterWait(int64_t idle_ns) {
    if (contended_waits_ > 0) --contended_waits_;
    else if (idle_ns < max_ns_) budget_ns_ = max_ns_;
  }
  // A poll of budget_ns() found nothing (one that found work leaves the budget as it is).
  void FoundNothing() {
    budget_ns_ /= 2;
    if (budget_ns_ < max_ns_ / 8) budget_ns_ = 0;
  }
  // A yield between polls let another thread run.
  void Contended() {
    budget_ns_ = 0;
    contended_waits_ = kContendedWaits;
  }

 private:
  int64_t max_ns_;
  int64_t budget_ns_;
  int contended_waits_ = 0;  // sleeps left before polling may resume after Contended()
};

}  // namespace lyt::net
