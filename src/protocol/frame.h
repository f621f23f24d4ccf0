// Framing of the lyt protocol (docs/protocol.md): a 9-byte header (u8 type, u32 request id, u32
// payload length) then the payload. FrameDecoder turns a byte stream, fed as it arrives, into
// frames and rejects a header before its payload is buffered when the type is not one this side
// may receive or the length is above the limit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lyt::protocol {

inline constexpr size_t kFrameHeaderBytes = 9;
inline constexpr uint32_t kDefaultMaxFrameBytes = 16u << 20;

struct Frame {
  uint8_t type = 0;
  uint32_t request_id = 0;
  std::string payload;
};

// Appends one frame to `out`.
void AppendFrame(std::string& out, uint8_t type, uint32_t request_id, std::string_view payload);

// Which messages a decoder accepts: a server decodes client messages and vice versa.
enum class Receiver { Server, Client };

class FrameDecoder {
 public:
  FrameDecoder(Receiver receiver, uint32_t max_payload_bytes = kDefaultMaxFrameBytes)
      : receiver_(receiver), max_payload_(max_payload_bytes) {}

  void Append(std::string_view bytes);
  // The next complete frame, or nullopt until more bytes arrive. Throws 08P01 on an unknown
  // message type or an oversized length; the stream cannot be resynchronized after that.
  std::optional<Frame> Next();
  // Bytes received but not yet returned in a frame.
  size_t buffered() const { return buffer_.size() - pos_; }

 private:
  Receiver receiver_;
  uint32_t max_payload_;
  std::string buffer_;
  size_t pos_ = 0;  // start of the first unreturned byte in buffer_
};

}  // namespace lyt::protocol
