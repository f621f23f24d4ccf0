// Connection::Cancel: a CANCEL frame on a connection of its own (docs/protocol.md).
#include "client/cancel_target.h"
#include "client/channel.h"
#include "protocol/messages.h"

namespace lyt::client {

namespace {

// Without a connect timeout a cancel still gives up after this long: the caller usually waits
// for something else to stop and must not hang on the cancel itself.
constexpr std::chrono::seconds kDefaultCancelTimeout{10};
constexpr uint32_t kMaxCancelAnswerBytes = 1 << 16;  // the server answers nothing; this bounds garbage

}  // namespace

Status Connection::Cancel() {
  if (!cancel_target_) return Status::Error(kConnectionFailure, "not connected");
  const CancelTarget& target = *cancel_target_;
  Deadline deadline = DeadlineAfter(target.connect_timeout.count() > 0 ? target.connect_timeout
                                                                       : std::chrono::milliseconds(kDefaultCancelTimeout));
  std::unique_ptr<Channel> channel;
  Status s = Channel::Open(target.address, target.tls, kMaxCancelAnswerBytes, deadline, &channel);
  if (s.ok()) {
    protocol::CancelMessage message{target.session_id, target.cancel_key};
    s = channel->Send(static_cast<uint8_t>(protocol::MessageType::Cancel), 1, protocol::EncodePayload(message),
                      deadline);
  }
  if (!s.ok()) {
    return Status::Error(kUnableToConnect, "could not send cancel request to \"" + FormatAddress(target.address) +
                                               "\": " + (IsTimeout(s) ? "timeout expired" : s.message()));
  }
  // The server closes the connection once it has passed the request on; waiting for that makes
  // the statement's 57014 the next thing the session sees. Whatever ends the wait is fine.
  protocol::Frame ignored;
  (void)channel->Receive(&ignored, deadline);
  return Status::OK();
}

}  // namespace lyt::client
