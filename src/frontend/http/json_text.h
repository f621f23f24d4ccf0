// Writing JSON text piece by piece, for responses encoded as they stream (the HTTP API's query
// results) and for small replies. Requests are parsed with Boost.JSON instead (http_api.cc).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lyt::frontend::http {

// Appends `text` as a JSON string (RFC 8259): quotes, backslashes and control characters
// escaped; bytes that are not valid UTF-8 become U+FFFD, so the output is always valid JSON.
void AppendJsonString(std::string& out, std::string_view text);
// Appends a finite double as a JSON number (the shortest form that reads back exactly);
// NaN and the infinities as the strings "NaN", "Infinity", "-Infinity".
void AppendJsonDouble(std::string& out, double value);
void AppendJsonInt(std::string& out, int64_t value);

// `"key":` (with the comma before it unless `first`).
void AppendJsonKey(std::string& out, std::string_view key, bool first = false);

}  // namespace lyt::frontend::http
