// The connection URI parser and printer (include/lyt/uri.h); the grammar is in docs/connecting.md.
//
// Parsing goes outside in: the whole text (length, bytes, '#'), the scheme, the user info (up to
// the LAST '@', so that no '/', '?' or ',' inside a mistyped password ever ends up in a host or
// option that an error message would quote), the host list (up to the first '/' or '?'), the
// database, the options. Every part is checked against the characters RFC 3986 lets it hold
// unencoded; the printer encodes exactly the others, so printing never makes a URI longer.
#include "lyt/uri.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>
#include <climits>

namespace lyt {
namespace {

constexpr std::string_view kScheme = "lyt://";
constexpr size_t kMaxHostNameBytes = 255;
constexpr size_t kMaxQuotedBytes = 60;

Status UriError(std::string detail) {
  return Status::Error("22023", "invalid connection URI: " + std::move(detail));
}

// `text` in double quotes for an error message, cut to kMaxQuotedBytes. Callers quote only text
// as written in the URI (printable ASCII after CheckBytes), never decoded bytes or the password.
std::string Quote(std::string_view text) {
  if (text.size() <= kMaxQuotedBytes) return "\"" + std::string(text) + "\"";
  return "\"" + std::string(text.substr(0, kMaxQuotedBytes)) + "...\"";
}

// --- Character classes (RFC 3986 section 2) -----------------------------------------------------

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUnreserved(char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }
bool IsSubDelim(char c) { return c != '\0' && std::string_view("!$&'()*+,;=").find(c) != std::string_view::npos; }

// What each part may hold unencoded. '@' is left out everywhere but where RFC 3986 requires it,
// so that the last '@' always ends the user info.
bool UserChar(char c) { return IsUnreserved(c) || IsSubDelim(c); }
bool PasswordChar(char c) { return UserChar(c) || c == ':'; }
bool DatabaseChar(char c) { return PasswordChar(c); }
bool OptionValueChar(char c) { return (PasswordChar(c) || c == '/' || c == '?') && c != '&'; }
bool OptionNameChar(char c) { return OptionValueChar(c) && c != '='; }
bool HostNameChar(char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '-' || c == '.' || c == '_'; }

// A part of the URI that is percent-decoded: which characters it may hold unencoded, how error
// messages name it, and whether its text must stay out of error messages.
struct EncodedPart {
  bool (*allowed)(char);
  std::string what;
  bool secret = false;
  std::string_view hint = {};  // appended to the message about an unencoded character
};

constexpr std::string_view kUserInfoHint = "; an unencoded '@' anywhere ends the user info";

int HexValue(char c) {
  if (IsAsciiDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string HexByte(unsigned char byte) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  return {'%', kHex[byte >> 4], kHex[byte & 15]};
}

Status UnencodedCharError(char c, const EncodedPart& part) {
  if (part.secret) {
    return UriError(part.what + " contains a character that must be percent-encoded (for example '@' as %40, '/' as "
                    "%2F, '?' as %3F; an unencoded '@' ends the user name and password)");
  }
  return UriError("unencoded '" + std::string(1, c) + "' in " + part.what + " (write " +
                  HexByte(static_cast<unsigned char>(c)) + std::string(part.hint) + ")");
}

// Checks `raw` against `part` and appends its percent-decoded bytes to *out.
Status Decode(std::string_view raw, const EncodedPart& part, std::string* out) {
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '%') {
      if (!part.allowed(c)) return UnencodedCharError(c, part);
      out->push_back(c);
      continue;
    }
    int high = i + 1 < raw.size() ? HexValue(raw[i + 1]) : -1;
    int low = i + 2 < raw.size() ? HexValue(raw[i + 2]) : -1;
    if (high < 0 || low < 0) {
      if (part.secret) return UriError("bad percent-encoding in " + part.what + " (expected % and two hex digits)");
      return UriError("bad percent-encoding " + Quote(raw.substr(i, 3)) + " in " + part.what);
    }
    if (high == 0 && low == 0) return UriError("\"%00\" (a NUL byte) is not allowed in " + part.what);
    out->push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return Status::OK();
}

// Appends `bytes` with every byte that `allowed` rejects written as %XX.
void AppendEncoded(std::string_view bytes, bool (*allowed)(char), std::string* out) {
  for (char c : bytes) {
    if (allowed(c)) {
      out->push_back(c);
    } else {
      *out += HexByte(static_cast<unsigned char>(c));
    }
  }
}

// Reads a non-empty run of decimal digits into *value, saturating far above any valid value.
bool ParseDecimal(std::string_view text, uint64_t* value) {
  if (text.empty()) return false;
  uint64_t v = 0;
  for (char c : text) {
    if (!IsAsciiDigit(c)) return false;
    v = v > (uint64_t{1} << 40) ? v : v * 10 + static_cast<uint64_t>(c - '0');
  }
  *value = v;
  return true;
}

// --- The whole text and the scheme ----------------------------------------------------------------

// Length, unencoded bytes that no part may hold, and fragments.
Status CheckBytes(std::string_view text) {
  if (text.size() > kMaxConnectionUriBytes) {
    return UriError("it is " + std::to_string(text.size()) + " bytes long; at most " +
                    std::to_string(kMaxConnectionUriBytes) + " are allowed");
  }
  for (size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::string where = " at position " + std::to_string(i + 1);
    if (byte >= 0x80) return UriError("unencoded non-ASCII byte" + where + " (write UTF-8 as %XX per byte)");
    if (byte <= 0x20 || byte == 0x7F) {
      return UriError("unencoded space or control character" + where + " (write a space as %20)");
    }
    if (byte == '#') return UriError("'#'" + where + ": a fragment is not allowed (write %23 for a literal '#')");
  }
  return Status::OK();
}

bool IsScheme(std::string_view text) {
  if (text.empty() || !IsAsciiAlpha(text[0])) return false;
  for (char c : text) {
    if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

// The scheme is compared without regard to case (RFC 3986 section 3.1).
Status CheckScheme(std::string_view text) {
  bool matches = text.size() >= kScheme.size();
  for (size_t i = 0; matches && i < kScheme.size(); ++i) {
    char c = text[i];
    matches = (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == kScheme[i];
  }
  if (matches) return Status::OK();
  size_t separator = text.find("://");
  if (separator != std::string_view::npos && IsScheme(text.substr(0, separator))) {
    return UriError("unsupported scheme " + Quote(text.substr(0, separator)) + " (expected \"lyt://\")");
  }
  return UriError("it must start with \"lyt://\"");
}

// --- User info --------------------------------------------------------------------------------------

// `userinfo` is the text before the last '@': user[:password]. An empty user is an error (a URI
// without a user has no '@').
Status ParseUserInfo(std::string_view userinfo, ConnectionUri* uri) {
  size_t colon = userinfo.find(':');
  std::string_view user = userinfo.substr(0, colon);
  if (user.empty()) return UriError("empty user name before '@' (leave out the user info to use the default)");
  if (Status s = Decode(user, {UserChar, "the user name", false, kUserInfoHint}, &uri->user); !s.ok()) return s;
  if (colon == std::string_view::npos) return Status::OK();
  uri->password.emplace();
  return Decode(userinfo.substr(colon + 1), {PasswordChar, "the password", true}, &*uri->password);
}

// --- Hosts ----------------------------------------------------------------------------------------

std::string HostLabel(size_t number) { return "host " + std::to_string(number); }

Status ParsePort(std::string_view text, size_t number, uint16_t* port) {
  uint64_t value = 0;
  if (text.empty()) return UriError("empty port after ':' of " + HostLabel(number));
  if (!ParseDecimal(text, &value)) return UriError("port " + Quote(text) + " of " + HostLabel(number) + " is not a number");
  if (value < 1 || value > 65535) {
    return UriError("port " + Quote(text) + " of " + HostLabel(number) + " is out of range 1..65535");
  }
  *port = static_cast<uint16_t>(value);
  return Status::OK();
}

// "[v6-address]" or "[v6-address]:port".
Status ParseBracketedHost(std::string_view entry, size_t number, HostPort* out) {
  size_t close = entry.find(']');
  if (close == std::string_view::npos) return UriError("'[' without a closing ']' in " + HostLabel(number));
  std::string literal(entry.substr(1, close - 1));
  in6_addr address;
  if (literal.size() >= INET6_ADDRSTRLEN || inet_pton(AF_INET6, literal.c_str(), &address) != 1) {
    return UriError(HostLabel(number) + " " + Quote(entry.substr(0, close + 1)) + " is not a valid IPv6 address");
  }
  out->host = std::move(literal);
  std::string_view rest = entry.substr(close + 1);
  if (rest.empty()) return Status::OK();
  if (rest[0] != ':') {
    return UriError("unexpected " + Quote(rest) + " after the IPv6 address of " + HostLabel(number));
  }
  return ParsePort(rest.substr(1), number, &out->port);
}

// "name" or "name:port"; the name is a DNS name or an IPv4 address.
Status ParseNamedHost(std::string_view entry, size_t number, HostPort* out) {
  size_t colon = entry.find(':');
  std::string_view name = entry.substr(0, colon);
  if (colon != std::string_view::npos && entry.find(':', colon + 1) != std::string_view::npos) {
    return UriError(HostLabel(number) + " " + Quote(entry) + " has several ':'; write an IPv6 address in brackets, "
                    "e.g. [::1]:7878");
  }
  if (name.empty()) return UriError(HostLabel(number) + " has an empty name before the port");
  if (name.size() > kMaxHostNameBytes) {
    return UriError(HostLabel(number) + " is longer than " + std::to_string(kMaxHostNameBytes) + " bytes");
  }
  for (char c : name) {
    if (!HostNameChar(c)) {
      return UriError(HostLabel(number) + " " + Quote(name) + " contains '" + std::string(1, c) +
                      "', which is not allowed in a host name");
    }
  }
  out->host = std::string(name);
  if (colon == std::string_view::npos) return Status::OK();
  return ParsePort(entry.substr(colon + 1), number, &out->port);
}

// The comma-separated host list: 1..kMaxConnectionUriHosts entries, none empty.
Status ParseHosts(std::string_view list, ConnectionUri* uri) {
  if (list.empty()) return UriError("a host is required (e.g. lyt://localhost)");
  size_t count = 1;
  for (char c : list) count += c == ',' ? 1 : 0;
  if (count > kMaxConnectionUriHosts) {
    return UriError("too many hosts (" + std::to_string(count) + "; at most " +
                    std::to_string(kMaxConnectionUriHosts) + ")");
  }
  for (size_t number = 1; number <= count; ++number) {
    size_t comma = list.find(',');
    std::string_view entry = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (entry.empty()) return UriError(HostLabel(number) + " is empty");
    HostPort host;
    Status s = entry[0] == '[' ? ParseBracketedHost(entry, number, &host) : ParseNamedHost(entry, number, &host);
    if (!s.ok()) return s;
    uri->hosts.push_back(std::move(host));
  }
  return Status::OK();
}

// --- Options --------------------------------------------------------------------------------------

Status BadValue(std::string_view raw, std::string_view name, std::string_view expected) {
  return UriError("bad value " + Quote(raw) + " for option \"" + std::string(name) + "\" (expected " +
                  std::string(expected) + ")");
}

constexpr std::array<TlsMode, 3> kTlsModes = {TlsMode::Disable, TlsMode::Require, TlsMode::VerifyFull};

Status ApplyTls(std::string_view value, std::string_view raw, ConnectionUri* uri) {
  for (TlsMode mode : kTlsModes) {
    if (value == TlsModeName(mode)) {
      uri->tls = mode;
      return Status::OK();
    }
  }
  return BadValue(raw, "tls", "disable, require or verify-full");
}

Status ApplyConnectTimeout(std::string_view value, std::string_view raw, ConnectionUri* uri) {
  uint64_t seconds = 0;
  if (!ParseDecimal(value, &seconds) || seconds > INT_MAX) {
    return BadValue(raw, "connect_timeout", "whole seconds from 0 to 2147483647, 0 for no timeout");
  }
  uri->connect_timeout_seconds = static_cast<int>(seconds);
  return Status::OK();
}

Status ApplyApplicationName(std::string_view value, std::string_view /*raw*/, ConnectionUri* uri) {
  uri->application_name = std::string(value);
  return Status::OK();
}

// The options, as data: name and how a decoded value (`raw`: as written, for messages) is stored.
struct OptionSpec {
  std::string_view name;
  Status (*apply)(std::string_view value, std::string_view raw, ConnectionUri* uri);
};

constexpr std::array<OptionSpec, 3> kOptions = {{
    {"tls", ApplyTls},
    {"connect_timeout", ApplyConnectTimeout},
    {"application_name", ApplyApplicationName},
}};

// One "name=value" of the query; `seen` marks the options already given (index in kOptions).
Status ParseOption(std::string_view pair, std::array<bool, kOptions.size()>* seen, ConnectionUri* uri) {
  size_t equals = pair.find('=');
  std::string_view raw_name = pair.substr(0, equals);
  if (raw_name.empty()) return UriError("an option has an empty name");
  std::string name;
  if (Status s = Decode(raw_name, {OptionNameChar, "the option name " + Quote(raw_name)}, &name); !s.ok()) return s;
  size_t index = 0;
  while (index < kOptions.size() && kOptions[index].name != name) ++index;
  if (index == kOptions.size()) {
    return UriError("unknown option " + Quote(raw_name) + " (known: tls, connect_timeout, application_name)");
  }
  if ((*seen)[index]) return UriError("option \"" + name + "\" is given more than once");
  (*seen)[index] = true;
  if (equals == std::string_view::npos) return UriError("option \"" + name + "\" has no value (write " + name + "=...)");
  std::string_view raw_value = pair.substr(equals + 1);
  std::string value;
  if (Status s = Decode(raw_value, {OptionValueChar, "the value of option \"" + name + "\""}, &value); !s.ok()) {
    return s;
  }
  return kOptions[index].apply(value, raw_value, uri);
}

// The query after '?': '&'-separated pairs, none empty. An empty query means no options.
Status ParseOptions(std::string_view query, ConnectionUri* uri) {
  std::array<bool, kOptions.size()> seen{};
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (pair.empty()) return UriError("empty option (a stray '&')");
    if (Status s = ParseOption(pair, &seen, uri); !s.ok()) return s;
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
    if (query.empty()) return UriError("empty option (a stray '&')");
  }
  return Status::OK();
}

// --- Putting it together --------------------------------------------------------------------------

// Everything after "lyt://".
Status ParseAfterScheme(std::string_view rest, ConnectionUri* uri) {
  size_t at = rest.rfind('@');
  if (at != std::string_view::npos) {
    if (Status s = ParseUserInfo(rest.substr(0, at), uri); !s.ok()) return s;
    rest = rest.substr(at + 1);
  }
  size_t query_start = rest.find('?');
  std::string_view query = query_start == std::string_view::npos ? std::string_view() : rest.substr(query_start + 1);
  rest = rest.substr(0, query_start);
  size_t slash = rest.find('/');
  if (Status s = ParseHosts(rest.substr(0, slash), uri); !s.ok()) return s;
  if (slash != std::string_view::npos) {
    if (Status s = Decode(rest.substr(slash + 1), {DatabaseChar, "the database name"}, &uri->database); !s.ok()) {
      return s;
    }
  }
  return ParseOptions(query, uri);
}

void AppendHost(const HostPort& host, std::string* out) {
  bool bracket = host.host.find(':') != std::string::npos;
  if (bracket) out->push_back('[');
  *out += host.host;
  if (bracket) out->push_back(']');
  if (host.port != kDefaultPort) *out += ":" + std::to_string(host.port);
}

void AppendOptions(const ConnectionUri& uri, std::string* out) {
  std::string query;
  if (uri.tls != TlsMode::Disable) query += "&tls=" + std::string(TlsModeName(uri.tls));
  if (uri.connect_timeout_seconds != 0) query += "&connect_timeout=" + std::to_string(uri.connect_timeout_seconds);
  if (!uri.application_name.empty()) {
    query += "&application_name=";
    AppendEncoded(uri.application_name, OptionValueChar, &query);
  }
  if (query.empty()) return;
  query[0] = '?';
  *out += query;
}

}  // namespace

std::string_view TlsModeName(TlsMode mode) {
  switch (mode) {
    case TlsMode::Disable:
      return "disable";
    case TlsMode::Require:
      return "require";
    case TlsMode::VerifyFull:
      return "verify-full";
  }
  return "disable";
}

Status ParseConnectionUri(std::string_view text, ConnectionUri* out) {
  if (Status s = CheckBytes(text); !s.ok()) return s;
  if (Status s = CheckScheme(text); !s.ok()) return s;
  ConnectionUri uri;
  if (Status s = ParseAfterScheme(text.substr(kScheme.size()), &uri); !s.ok()) return s;
  *out = std::move(uri);
  return Status::OK();
}

std::string FormatConnectionUri(const ConnectionUri& uri, bool with_password) {
  std::string out(kScheme);
  if (!uri.user.empty()) {
    AppendEncoded(uri.user, UserChar, &out);
    if (uri.password) {
      out.push_back(':');
      if (with_password) {
        AppendEncoded(*uri.password, PasswordChar, &out);
      } else {
        out += "***";
      }
    }
    out.push_back('@');
  }
  for (size_t i = 0; i < uri.hosts.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendHost(uri.hosts[i], &out);
  }
  if (!uri.database.empty()) {
    out.push_back('/');
    AppendEncoded(uri.database, DatabaseChar, &out);
  }
  AppendOptions(uri, &out);
  return out;
}

}  // namespace lyt
