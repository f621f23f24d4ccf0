#include "exec/interrupt.h"

#include "common/error.h"

namespace lyt {

void InterruptFlag::ThrowInterrupted() const {
  switch (reason()) {
    case Reason::Timeout: throw Error(sqlstate::kQueryCanceled, "canceling statement due to statement timeout");
    case Reason::Shutdown: throw Error(sqlstate::kAdminShutdown, "terminating statement because the server is shutting down");
    default: throw Error(sqlstate::kQueryCanceled, "canceling statement due to user request");
  }
}

}  // namespace lyt
