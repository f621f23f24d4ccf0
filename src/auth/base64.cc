// Base64 through OpenSSL's EVP_EncodeBlock / EVP_DecodeBlock. EVP_DecodeBlock is lenient (it
// skips surrounding whitespace and counts padding as zero bytes), so Base64Decode checks the
// strict form itself first and then trims the padding bytes from OpenSSL's output.
#include "auth/base64.h"

#include <openssl/evp.h>


namespace lyt::auth {
namespace {

// Whole groups per OpenSSL call, so that the `int` lengths of its API never overflow.
constexpr size_t kGroupsPerCall = 4096;

// The 6-bit value of a base64 alphabet character, or -1.
int SextetValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// True when `text` is canonical padded base64 (see Base64Decode); sets *padding to its '=' count.
bool IsCanonical(std::string_view text, size_t* padding) {
  if (text.size() % 4 != 0) return false;
  size_t pad = 0;
  while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  std::string_view data = text.substr(0, text.size() - pad);
  for (char c : data) {
    if (SextetValue(c) < 0) return false;
  }
  // The last data character carries 4 (two '=') or 2 (one '=') bits that encode nothing.
  if (pad > 0) {
    int unused_mask = pad == 2 ? 0x0F : 0x03;
    if ((SextetValue(data.back()) & unused_mask) != 0) return false;
  }
  *padding = pad;
  return true;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  unsigned char buffer[kGroupsPerCall * 4 + 1];
  for (size_t pos = 0; pos < bytes.size(); pos += kGroupsPerCall * 3) {
    std::string_view chunk = bytes.substr(pos, kGroupsPerCall * 3);
    int n = EVP_EncodeBlock(buffer, reinterpret_cast<const unsigned char*>(chunk.data()),
                            static_cast<int>(chunk.size()));
    out.append(reinterpret_cast<const char*>(buffer), static_cast<size_t>(n));
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  size_t padding = 0;
  if (!IsCanonical(text, &padding)) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  unsigned char buffer[kGroupsPerCall * 3];
  for (size_t pos = 0; pos < text.size(); pos += kGroupsPerCall * 4) {
    std::string_view chunk = text.substr(pos, kGroupsPerCall * 4);
    int n = EVP_DecodeBlock(buffer, reinterpret_cast<const unsigned char*>(chunk.data()),
                            static_cast<int>(chunk.size()));
    if (n < 0) return std::nullopt;
    out.append(reinterpret_cast<const char*>(buffer), static_cast<size_t>(n));
  }
  out.resize(out.size() - padding);
  return out;
}

}  // namespace lyt::auth
