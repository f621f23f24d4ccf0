// Frames of the lyt protocol over a Transport: writes whole frames, reads them one at a time
// through a FrameDecoder that enforces the client's frame size limit. Opening a channel includes
// the TLS negotiation (TLS_REQUEST, then TLS_ACCEPT or TLS_REFUSE), which both a session and a
// CANCEL connection start with. Not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "client/transport.h"
#include "protocol/frame.h"

namespace lyt::client {

class Channel {
 public:
  // Dials `address` and, unless settings.mode is Disable, negotiates TLS: a server that refuses
  // gives 08001 (tls=require and verify-full never fall back to clear text).
  static Status Open(const HostPort& address, const TlsSettings& tls, uint32_t max_frame_bytes, Deadline deadline,
                     std::unique_ptr<Channel>* out);

  // Adds one frame to the output buffer; Flush writes the buffer out (and empties it, also on
  // failure). Send is both.
  void Queue(uint8_t type, uint32_t request_id, std::string_view payload);
  Status Flush(Deadline deadline);
  Status Send(uint8_t type, uint32_t request_id, std::string_view payload, Deadline deadline);
  // Reads the next frame: 08P01 for an unknown type or a length above the limit, 08006 when the
  // stream ends or fails, kTimedOutState when the deadline passes (the stream stays usable).
  Status Receive(protocol::Frame* out, Deadline deadline);

  bool encrypted() const { return transport_->encrypted(); }

 private:
  Channel(std::unique_ptr<Transport> transport, uint32_t max_frame_bytes)
      : transport_(std::move(transport)), decoder_(protocol::Receiver::Client, max_frame_bytes) {}
  Status NegotiateTls(const HostPort& address, const TlsSettings& tls, Deadline deadline);

  std::unique_ptr<Transport> transport_;
  protocol::FrameDecoder decoder_;
  std::string output_;
};

}  // namespace lyt::client
