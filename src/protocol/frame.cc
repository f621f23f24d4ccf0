#include "protocol/frame.h"

#include "common/error.h"
#include "protocol/messages.h"
#include "protocol/wire.h"

namespace lyt::protocol {

void AppendFrame(std::string& out, uint8_t type, uint32_t request_id, std::string_view payload) {
  if (payload.size() > UINT32_MAX) throw Error(sqlstate::kProgramLimitExceeded, "message too large to send");
  PayloadWriter header;
  header.U8(type);
  header.U32(request_id);
  header.U32(static_cast<uint32_t>(payload.size()));
  out.append(header.buffer());
  out.append(payload);
}

void FrameDecoder::Append(std::string_view bytes) {
  // Drop what was returned already before the buffer grows again.
  if (pos_ > 0 && pos_ * 2 >= buffer_.size()) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  buffer_.append(bytes);
}

std::optional<Frame> FrameDecoder::Next() {
  if (buffered() < kFrameHeaderBytes) return std::nullopt;
  PayloadReader header(std::string_view(buffer_).substr(pos_, kFrameHeaderBytes));
  Frame frame;
  frame.type = header.U8();
  frame.request_id = header.U32();
  uint32_t length = header.U32();
  bool known = receiver_ == Receiver::Server ? IsClientMessage(frame.type) : IsServerMessage(frame.type);
  if (!known) {
    throw Error(sqlstate::kProtocolViolation, "unknown message type " + std::to_string(frame.type));
  }
  if (length > max_payload_) {
    throw Error(sqlstate::kProtocolViolation, "message of " + std::to_string(length) + " bytes exceeds the limit of " +
                                                  std::to_string(max_payload_) + " bytes");
  }
  if (buffered() < kFrameHeaderBytes + length) return std::nullopt;
  frame.payload.assign(buffer_, pos_ + kFrameHeaderBytes, length);
  pos_ += kFrameHeaderBytes + length;
  if (pos_ == buffer_.size()) {
    buffer_.clear();
    pos_ = 0;
  }
  return frame;
}

}  // namespace lyt::protocol
