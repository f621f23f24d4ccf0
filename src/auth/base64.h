// Base64 (RFC 4648 §4, the standard alphabet with '=' padding) as SCRAM (RFC 5802) and the
// stored password verifiers use it. Encoding and decoding go through OpenSSL.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lyt::auth {

// The padded base64 text of `bytes` ("" for no bytes). Thread-safe.
std::string Base64Encode(std::string_view bytes);

// The bytes that `text` encodes, or nullopt unless `text` is canonical padded base64: a length
// that is a multiple of 4, alphabet characters only (no whitespace, no line breaks), '=' only as
// the last one or two characters, and zero bits where the padding leaves bits unused (so every
// byte string has exactly one accepted encoding). "" decodes to no bytes. Thread-safe.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace lyt::auth
