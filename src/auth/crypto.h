// The OpenSSL primitives the authentication code shares: SHA-256, HMAC-SHA-256, random bytes and
// a constant-time comparison. An OpenSSL failure inside a hash yields an empty string, which then
// fails every length check and comparison: it can only make authentication fail, never succeed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "lyt/status.h"

namespace lyt::auth {

std::string Sha256(std::string_view data);
std::string Hmac(std::string_view key, std::string_view data);
// True when a and b are equal, in time that depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);
// n bytes from OpenSSL's generator; XX000 when it fails.
Status RandomBytes(size_t n, std::string* out);
// Lower-case hexadecimal of `bytes`.
std::string HexEncode(std::string_view bytes);

}  // namespace lyt::auth
