#include "client/channel.h"

#include "common/error.h"
#include "protocol/messages.h"

namespace lyt::client {

using protocol::MessageType;

Status Channel::Open(const HostPort& address, const TlsSettings& tls, uint32_t max_frame_bytes, Deadline deadline,
                     std::unique_ptr<Channel>* out) {
  std::unique_ptr<Transport> transport;
  Status s = Transport::Dial(address, deadline, &transport);
  if (!s.ok()) return s;
  std::unique_ptr<Channel> channel(new Channel(std::move(transport), max_frame_bytes));
  if (tls.mode != TlsMode::Disable) {
    s = channel->NegotiateTls(address, tls, deadline);
    if (!s.ok()) return s;
  }
  *out = std::move(channel);
  return Status::OK();
}

Status Channel::NegotiateTls(const HostPort& address, const TlsSettings& tls, Deadline deadline) {
  constexpr uint32_t kRequestId = 1;
  Status s = Send(static_cast<uint8_t>(MessageType::TlsRequest), kRequestId, {}, deadline);
  protocol::Frame answer;
  if (s.ok()) s = Receive(&answer, deadline);
  if (!s.ok()) return s;
  if (answer.request_id != kRequestId) {
    return Status::Error(sqlstate::kProtocolViolation, "the answer to TLS_REQUEST carries request id " +
                                                           std::to_string(answer.request_id));
  }
  if (answer.type == static_cast<uint8_t>(MessageType::TlsRefuse)) {
    return Status::Error(kUnableToConnect, "server does not support TLS, but tls=" +
                                               std::string(TlsModeName(tls.mode)) + " was requested");
  }
  if (answer.type != static_cast<uint8_t>(MessageType::TlsAccept) || !answer.payload.empty()) {
    return Status::Error(sqlstate::kProtocolViolation,
                         std::string("expected TLS_ACCEPT or TLS_REFUSE, received ") + protocol::MessageName(answer.type));
  }
  // Bytes after TLS_ACCEPT were sent in clear text before the handshake: whoever sent them could
  // inject them into the encrypted session, so they are refused (PostgreSQL's CVE-2021-23222).
  if (decoder_.buffered() != 0) {
    return Status::Error(sqlstate::kProtocolViolation, "server sent unencrypted data after TLS_ACCEPT");
  }
  return transport_->StartTls(tls, address.host, deadline);
}

void Channel::Queue(uint8_t type, uint32_t request_id, std::string_view payload) {
  protocol::AppendFrame(output_, type, request_id, payload);
}

Status Channel::Flush(Deadline deadline) {
  Status s = transport_->Write(output_, deadline);
  output_.clear();
  return s;
}

Status Channel::Send(uint8_t type, uint32_t request_id, std::string_view payload, Deadline deadline) {
  Queue(type, request_id, payload);
  return Flush(deadline);
}

Status Channel::Receive(protocol::Frame* out, Deadline deadline) {
  for (;;) {
    try {
      if (auto frame = decoder_.Next()) {
        *out = std::move(*frame);
        return Status::OK();
      }
    } catch (const Error& e) {
      return Status::Error(e.sqlstate(), e.what());
    }
    std::string bytes;
    Status s = transport_->Read(&bytes, deadline);
    if (!s.ok()) return s;
    decoder_.Append(bytes);
  }
}

}  // namespace lyt::client
