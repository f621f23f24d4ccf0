#include "protocol/wire.h"

#include <bit>
#include <limits>

#include "common/error.h"

namespace lyt::protocol {

static_assert(std::endian::native == std::endian::little, "the lyt protocol is little-endian; add byte swaps");

void PayloadWriter::String(std::string_view s) {
  if (s.size() > std::numeric_limits<uint32_t>::max()) {
    throw Error(sqlstate::kProgramLimitExceeded, "string of " + std::to_string(s.size()) + " bytes is too long to send");
  }
  U32(static_cast<uint32_t>(s.size()));
  out_.append(s);
}

std::string_view PayloadReader::String() {
  uint32_t n = U32();
  return Raw(n);
}

std::string_view PayloadReader::Raw(size_t n) {
  Need(n);
  std::string_view out = data_.substr(pos_, n);
  pos_ += n;
  return out;
}

void PayloadReader::Need(size_t n) const {
  if (n > remaining()) {
    throw Error(sqlstate::kProtocolViolation, "message ends early: needs " + std::to_string(n) + " more bytes, has " +
                                                  std::to_string(remaining()));
  }
}

void PayloadReader::ExpectEnd() const {
  if (remaining() != 0) {
    throw Error(sqlstate::kProtocolViolation, "message has " + std::to_string(remaining()) + " unexpected trailing bytes");
  }
}

}  // namespace lyt::protocol
