// Connection URIs (include/lyt/uri.h, docs/connecting.md): every rule of the grammar, every
// malformed case with its message, and the format -> parse round trip.
#include "lyt/uri.h"

#include <gtest/gtest.h>

#include <string>

namespace lyt {
namespace {

ConnectionUri Parse(std::string_view text) {
  ConnectionUri uri;
  Status s = ParseConnectionUri(text, &uri);
  EXPECT_TRUE(s.ok()) << text << ": " << s.ToString();
  return uri;
}

// The error message of a URI that must fail (SQLSTATE 22023), or "" when it parsed.
std::string Error(std::string_view text) {
  ConnectionUri uri;
  Status s = ParseConnectionUri(text, &uri);
  if (s.ok()) return "";
  EXPECT_EQ(s.sqlstate(), "22023") << text;
  return s.message();
}

// Expects `text` to fail with exactly "invalid connection URI: " + detail.
void ExpectError(std::string_view text, std::string_view detail) {
  EXPECT_EQ(Error(text), "invalid connection URI: " + std::string(detail)) << text;
}

std::vector<HostPort> Hosts(std::initializer_list<HostPort> hosts) { return hosts; }

TEST(UriParse, MinimalUriHasDefaults) {
  ConnectionUri expected;
  expected.hosts = {{"localhost", 7878}};
  EXPECT_EQ(expected.user, "");
  EXPECT_FALSE(expected.password.has_value());
  EXPECT_EQ(expected.tls, TlsMode::Disable);
  EXPECT_EQ(expected.connect_timeout_seconds, 0);
  EXPECT_EQ(Parse("lyt://localhost"), expected);
}

TEST(UriParse, AllParts) {
  ConnectionUri expected{"alice", "secret", {{"db1.example.com", 7000}}, "sales", TlsMode::VerifyFull, 5, "report"};
  EXPECT_EQ(Parse("lyt://alice:secret@db1.example.com:7000/sales?tls=verify-full&connect_timeout=5"
                  "&application_name=report"),
            expected);
}

TEST(UriParse, SchemeIsCaseInsensitive) {
  EXPECT_EQ(Parse("LYT://h").hosts, Hosts({{"h", 7878}}));
  EXPECT_EQ(Parse("Lyt://h").hosts, Hosts({{"h", 7878}}));
}

TEST(UriParse, UserInfo) {
  ConnectionUri uri = Parse("lyt://bob@h");
  EXPECT_EQ(uri.user, "bob");
  EXPECT_FALSE(uri.password.has_value());
  uri = Parse("lyt://bob:@h");  // an explicitly empty password
  EXPECT_EQ(uri.password, "");
  uri = Parse("lyt://bob:a:b:c@h");  // ':' after the first one belongs to the password
  EXPECT_EQ(uri.password, "a:b:c");
  uri = Parse("lyt://b,o;b=x:p!$&'()*+,;=~@h");  // sub-delims need no encoding
  EXPECT_EQ(uri.user, "b,o;b=x");
  EXPECT_EQ(uri.password, "p!$&'()*+,;=~");
}

TEST(UriParse, PercentDecoding) {
  ConnectionUri uri = Parse("lyt://us%40er%3Aname:p%40ss%3A%2Fw%3f%23d@h/my%2Fdb%3F");
  EXPECT_EQ(uri.user, "us@er:name");
  EXPECT_EQ(uri.password, "p@ss:/w?#d");
  EXPECT_EQ(uri.database, "my/db?");
  uri = Parse("lyt://J%C3%BCrgen:%E2%82%AC@h/caf%c3%a9?application_name=%F0%9F%98%80%20x%26y%3D");
  EXPECT_EQ(uri.user, "J\xC3\xBCrgen");
  EXPECT_EQ(uri.password, "\xE2\x82\xAC");
  EXPECT_EQ(uri.database, "caf\xC3\xA9");
  EXPECT_EQ(uri.application_name, "\xF0\x9F\x98\x80 x&y=");
  EXPECT_EQ(Parse("lyt://%01%7F%FF@h").user, "\x01\x7F\xFF");  // any byte but NUL, once encoded
  EXPECT_EQ(Parse("lyt://h?application_name=a+b").application_name, "a+b");  // '+' is not a space
}

TEST(UriParse, Database) {
  EXPECT_EQ(Parse("lyt://h/").database, "");  // the server's default
  EXPECT_EQ(Parse("lyt://h/db").database, "db");
  EXPECT_EQ(Parse("lyt://h:1/db:x,y").database, "db:x,y");
  EXPECT_EQ(Parse("lyt://h/?tls=require").database, "");
  EXPECT_EQ(Parse("lyt://h?").database, "");  // an empty query: no options
}

TEST(UriParse, Ipv6) {
  EXPECT_EQ(Parse("lyt://[::1]").hosts, Hosts({{"::1", 7878}}));
  EXPECT_EQ(Parse("lyt://[::1]:7879").hosts, Hosts({{"::1", 7879}}));
  EXPECT_EQ(Parse("lyt://u:p@[2001:DB8::a:1]:1/d").hosts, Hosts({{"2001:DB8::a:1", 1}}));
  EXPECT_EQ(Parse("lyt://[::ffff:192.0.2.1]").hosts, Hosts({{"::ffff:192.0.2.1", 7878}}));
}

TEST(UriParse, SeveralHosts) {
  EXPECT_EQ(Parse("lyt://a,b,c").hosts, Hosts({{"a", 7878}, {"b", 7878}, {"c", 7878}}));
  EXPECT_EQ(Parse("lyt://a:1,b,[::1]:3,10.0.0.4:65535/db").hosts,
            Hosts({{"a", 1}, {"b", 7878}, {"::1", 3}, {"10.0.0.4", 65535}}));
  std::string sixteen = "lyt://h0";
  for (int i = 1; i < 16; ++i) sixteen += ",h" + std::to_string(i);
  EXPECT_EQ(Parse(sixteen).hosts.size(), 16u);
}

TEST(UriParse, Ports) {
  EXPECT_EQ(Parse("lyt://h:1").hosts[0].port, 1);
  EXPECT_EQ(Parse("lyt://h:65535").hosts[0].port, 65535);
  EXPECT_EQ(Parse("lyt://h:007878").hosts[0].port, 7878);
  EXPECT_EQ(Parse("lyt://127.0.0.1:80").hosts, Hosts({{"127.0.0.1", 80}}));
}

TEST(UriParse, Options) {
  EXPECT_EQ(Parse("lyt://h?tls=disable").tls, TlsMode::Disable);
  EXPECT_EQ(Parse("lyt://h?tls=require").tls, TlsMode::Require);
  EXPECT_EQ(Parse("lyt://h?tls=verify-full").tls, TlsMode::VerifyFull);
  EXPECT_EQ(Parse("lyt://h?t%6Cs=require").tls, TlsMode::Require);  // names are decoded too
  EXPECT_EQ(Parse("lyt://h?connect_timeout=0").connect_timeout_seconds, 0);
  EXPECT_EQ(Parse("lyt://h?connect_timeout=2147483647").connect_timeout_seconds, 2147483647);
  EXPECT_EQ(Parse("lyt://h?application_name=").application_name, "");
  EXPECT_EQ(Parse("lyt://h?application_name=a=b/c?d:e").application_name, "a=b/c?d:e");
}

TEST(UriParse, LengthLimit) {
  std::string uri = "lyt://h?application_name=";
  uri += std::string(kMaxConnectionUriBytes - uri.size(), 'x');
  EXPECT_EQ(Parse(uri).application_name.size(), kMaxConnectionUriBytes - 25);
  ExpectError(uri + "x", "it is 4097 bytes long; at most 4096 are allowed");
}

TEST(UriError, Scheme) {
  ExpectError("", "it must start with \"lyt://\"");
  ExpectError("localhost", "it must start with \"lyt://\"");
  ExpectError("lyt:/h", "it must start with \"lyt://\"");
  ExpectError("lyt:h", "it must start with \"lyt://\"");
  ExpectError("postgres://h", "unsupported scheme \"postgres\" (expected \"lyt://\")");
  ExpectError("lyts://h", "unsupported scheme \"lyts\" (expected \"lyt://\")");
  // Text before "://" that is no scheme is not quoted: it may hold a password.
  ExpectError("u:pw@h://x", "it must start with \"lyt://\"");
}

TEST(UriError, Bytes) {
  ExpectError("lyt://h/my db", "unencoded space or control character at position 11 (write a space as %20)");
  ExpectError("lyt://h/\tx", "unencoded space or control character at position 9 (write a space as %20)");
  ExpectError(std::string_view("lyt://h\0", 8), "unencoded space or control character at position 8 (write a space as %20)");
  ExpectError("lyt://h/\x7F", "unencoded space or control character at position 9 (write a space as %20)");
  ExpectError("lyt://h/caf\xC3\xA9", "unencoded non-ASCII byte at position 12 (write UTF-8 as %XX per byte)");
  ExpectError("lyt://h/db#frag", "'#' at position 11: a fragment is not allowed (write %23 for a literal '#')");
}

TEST(UriError, Hosts) {
  ExpectError("lyt://", "a host is required (e.g. lyt://localhost)");
  ExpectError("lyt:///db", "a host is required (e.g. lyt://localhost)");
  ExpectError("lyt://?tls=require", "a host is required (e.g. lyt://localhost)");
  ExpectError("lyt://u@", "a host is required (e.g. lyt://localhost)");
  ExpectError("lyt://a,", "host 2 is empty");
  ExpectError("lyt://,a", "host 1 is empty");
  ExpectError("lyt://a,,b", "host 2 is empty");
  ExpectError("lyt://:7878", "host 1 has an empty name before the port");
  ExpectError("lyt://a,h!x", "host 2 \"h!x\" contains '!', which is not allowed in a host name");
  ExpectError("lyt://h%41", "host 1 \"h%41\" contains '%', which is not allowed in a host name");
  ExpectError("lyt://h]", "host 1 \"h]\" contains ']', which is not allowed in a host name");
  ExpectError("lyt://" + std::string(256, 'a'), "host 1 is longer than 255 bytes");
  std::string seventeen = "lyt://h0";
  for (int i = 1; i < 17; ++i) seventeen += ",h" + std::to_string(i);
  ExpectError(seventeen, "too many hosts (17; at most 16)");
}

TEST(UriError, Ipv6) {
  ExpectError("lyt://::1", "host 1 \"::1\" has several ':'; write an IPv6 address in brackets, e.g. [::1]:7878");
  ExpectError("lyt://[::1", "'[' without a closing ']' in host 1");
  ExpectError("lyt://[]", "host 1 \"[]\" is not a valid IPv6 address");
  ExpectError("lyt://[::g]:1", "host 1 \"[::g]\" is not a valid IPv6 address");
  ExpectError("lyt://[127.0.0.1]", "host 1 \"[127.0.0.1]\" is not a valid IPv6 address");
  ExpectError("lyt://[fe80::1%25eth0]", "host 1 \"[fe80::1%25eth0]\" is not a valid IPv6 address");
  ExpectError("lyt://[::1]x", "unexpected \"x\" after the IPv6 address of host 1");
  ExpectError("lyt://a,[::1]]:1", "unexpected \"]:1\" after the IPv6 address of host 2");
  ExpectError("lyt://[::1]:", "empty port after ':' of host 1");
}

TEST(UriError, Ports) {
  ExpectError("lyt://h:", "empty port after ':' of host 1");
  ExpectError("lyt://a,b:99999", "port \"99999\" of host 2 is out of range 1..65535");
  ExpectError("lyt://h:0", "port \"0\" of host 1 is out of range 1..65535");
  ExpectError("lyt://h:65536", "port \"65536\" of host 1 is out of range 1..65535");
  ExpectError("lyt://h:99999999999999999999999999", "port \"99999999999999999999999999\" of host 1 is out of range 1..65535");
  ExpectError("lyt://h:http", "port \"http\" of host 1 is not a number");
  ExpectError("lyt://h:-1", "port \"-1\" of host 1 is not a number");
  ExpectError("lyt://h:+1", "port \"+1\" of host 1 is not a number");
  ExpectError("lyt://h:1:2", "host 1 \"h:1:2\" has several ':'; write an IPv6 address in brackets, e.g. [::1]:7878");
}

TEST(UriError, UserInfo) {
  ExpectError("lyt://@h", "empty user name before '@' (leave out the user info to use the default)");
  ExpectError("lyt://:pw@h", "empty user name before '@' (leave out the user info to use the default)");
  ExpectError("lyt://a[b@h", "unencoded '[' in the user name (write %5B; an unencoded '@' anywhere ends the user info)");
  ExpectError("lyt://h/db@x", "unencoded '/' in the user name (write %2F; an unencoded '@' anywhere ends the user info)");
  ExpectError("lyt://%G1@h", "bad percent-encoding \"%G1\" in the user name");
  ExpectError("lyt://ab%4@h", "bad percent-encoding \"%4\" in the user name");
  ExpectError("lyt://ab%@h", "bad percent-encoding \"%\" in the user name");
  ExpectError("lyt://a%00b@h", "\"%00\" (a NUL byte) is not allowed in the user name");
}

// Whatever is wrong with a password, the message never shows any of it.
TEST(UriError, PasswordNeverEchoed) {
  const std::string kSecret = "S3cr";
  const std::string kPasswordChar =
      "the password contains a character that must be percent-encoded (for example '@' as %40, '/' as %2F, '?' as "
      "%3F; an unencoded '@' ends the user name and password)";
  for (std::string uri : {"lyt://u:S3cr/et@h", "lyt://u:S3cr?et@h", "lyt://u:S3cr@et@h", "lyt://u:S3cr[et@h",
                          "lyt://u:S3cr/9@h:1,x/db"}) {
    EXPECT_EQ(Error(uri), "invalid connection URI: " + kPasswordChar) << uri;
  }
  ExpectError("lyt://u:S3cr%G1@h", "bad percent-encoding in the password (expected % and two hex digits)");
  ExpectError("lyt://u:S3cr%@h", "bad percent-encoding in the password (expected % and two hex digits)");
  ExpectError("lyt://u:S3cr%00@h", "\"%00\" (a NUL byte) is not allowed in the password");
  for (std::string uri : {"lyt://u:S3cr et@h", "lyt://u:S3cr#et@h", "lyt://u:S3cr\xC3\xA9@h", "xyz:S3cr://h",
                          "lyt://u:S3cr@h:99999", "lyt://u:S3cr@h?foo=1", "lyt://u:S3cr@h,,x"}) {
    std::string message = Error(uri);
    EXPECT_NE(message, "") << uri;
    EXPECT_EQ(message.find(kSecret), std::string::npos) << message;
  }
}

TEST(UriError, Database) {
  ExpectError("lyt://h/a/b", "unencoded '/' in the database name (write %2F)");
  ExpectError("lyt://h/a[b]", "unencoded '[' in the database name (write %5B)");
  ExpectError("lyt://h/%zz", "bad percent-encoding \"%zz\" in the database name");
  ExpectError("lyt://h/db%00", "\"%00\" (a NUL byte) is not allowed in the database name");
}

TEST(UriError, Options) {
  ExpectError("lyt://h?foo=1", "unknown option \"foo\" (known: tls, connect_timeout, application_name)");
  ExpectError("lyt://h?TLS=require", "unknown option \"TLS\" (known: tls, connect_timeout, application_name)");
  ExpectError("lyt://h?tls=require&tls=disable", "option \"tls\" is given more than once");
  ExpectError("lyt://h?tls=require&t%6cs=require", "option \"tls\" is given more than once");
  ExpectError("lyt://h?tls", "option \"tls\" has no value (write tls=...)");
  ExpectError("lyt://h?=x", "an option has an empty name");
  ExpectError("lyt://h?&tls=require", "empty option (a stray '&')");
  ExpectError("lyt://h?tls=require&", "empty option (a stray '&')");
  ExpectError("lyt://h?tls=require&&connect_timeout=1", "empty option (a stray '&')");
  ExpectError("lyt://h?t%s=1", "bad percent-encoding \"%s\" in the option name \"t%s\"");
  ExpectError("lyt://h?application_name=a%2", "bad percent-encoding \"%2\" in the value of option \"application_name\"");
  ExpectError("lyt://h?application_name=a[", "unencoded '[' in the value of option \"application_name\" (write %5B)");
  ExpectError("lyt://h?application_name=a%00", "\"%00\" (a NUL byte) is not allowed in the value of option \"application_name\"");
}

TEST(UriError, OptionValues) {
  const std::string kTls = "(expected disable, require or verify-full)";
  ExpectError("lyt://h?tls=", "bad value \"\" for option \"tls\" " + kTls);
  ExpectError("lyt://h?tls=on", "bad value \"on\" for option \"tls\" " + kTls);
  ExpectError("lyt://h?tls=REQUIRE", "bad value \"REQUIRE\" for option \"tls\" " + kTls);
  ExpectError("lyt://h?tls=verify%2Dfullx", "bad value \"verify%2Dfullx\" for option \"tls\" " + kTls);
  const std::string kTimeout = "(expected whole seconds from 0 to 2147483647, 0 for no timeout)";
  for (std::string value : {"", "-1", "1.5", "10s", "2147483648", "99999999999999999999999"}) {
    ExpectError("lyt://h?connect_timeout=" + value, "bad value \"" + value + "\" for option \"connect_timeout\" " + kTimeout);
  }
  std::string long_value(100, '9');
  ExpectError("lyt://h?connect_timeout=" + long_value,
              "bad value \"" + std::string(60, '9') + "...\" for option \"connect_timeout\" " + kTimeout);
}

TEST(UriParse, ErrorLeavesOutputUnchanged) {
  ConnectionUri uri = Parse("lyt://keep");
  EXPECT_FALSE(ParseConnectionUri("lyt://u@h?foo=1", &uri).ok());
  EXPECT_EQ(uri, Parse("lyt://keep"));
}

TEST(UriFormat, Canonical) {
  EXPECT_EQ(FormatConnectionUri(Parse("LYT://h:7878/?tls=disable&connect_timeout=0&application_name="), true),
            "lyt://h");
  EXPECT_EQ(FormatConnectionUri(Parse("lyt://u:p@[::1]:7879,b:007/db?application_name=x&tls=require&connect_timeout=9"),
                                true),
            "lyt://u:p@[::1]:7879,b:7/db?tls=require&connect_timeout=9&application_name=x");
  EXPECT_EQ(FormatConnectionUri(Parse("lyt://%75%2f:%2F%3a@h/%64%2F%C3%A9?application_name=a%20%26=b"), true),
            "lyt://u%2F:%2F:@h/d%2F%C3%A9?application_name=a%20%26=b");
}

TEST(UriFormat, MaskedPassword) {
  ConnectionUri uri = Parse("lyt://alice:secret@h/db");
  EXPECT_EQ(FormatConnectionUri(uri, false), "lyt://alice:***@h/db");
  EXPECT_EQ(FormatConnectionUri(Parse("lyt://alice@h"), false), "lyt://alice@h");
  EXPECT_EQ(FormatConnectionUri(Parse("lyt://alice:@h"), false), "lyt://alice:***@h");
}

TEST(UriFormat, BuiltByHand) {
  ConnectionUri uri;
  uri.user = "me@corp";
  uri.password = "p/w?#@: %";
  uri.hosts = {{"::1", 1}, {"example.org", 7878}};
  uri.database = "a/b c";
  uri.tls = TlsMode::VerifyFull;
  uri.connect_timeout_seconds = 30;
  uri.application_name = "app & co=\xC3\xA9";
  std::string text = FormatConnectionUri(uri, true);
  EXPECT_EQ(text,
            "lyt://me%40corp:p%2Fw%3F%23%40:%20%25@[::1]:1,example.org/a%2Fb%20c?tls=verify-full&connect_timeout=30"
            "&application_name=app%20%26%20co=%C3%A9");
  EXPECT_EQ(Parse(text), uri);
}

TEST(UriFormat, RoundTrip) {
  for (std::string_view text :
       {"lyt://h", "lyt://a:b@h", "lyt://a:@h", "lyt://a%40:%3A%2F%3F%23%25@[::1]:9,b:1/c%2Fd",
        "lyt://u@h?tls=verify-full&connect_timeout=0", "lyt://h/db?application_name=%E2%82%AC%26",
        "lyt://x!$&'()*+,;=~:!$&'()*+,;=:~@h/!$&'()*+,;=:?application_name=!$'()*+,;=:/?~"}) {
    ConnectionUri uri = Parse(text);
    std::string formatted = FormatConnectionUri(uri, true);
    EXPECT_LE(formatted.size(), text.size()) << text;
    EXPECT_EQ(Parse(formatted), uri) << text << " -> " << formatted;
  }
}

TEST(UriFormat, TlsModeNames) {
  EXPECT_EQ(TlsModeName(TlsMode::Disable), "disable");
  EXPECT_EQ(TlsModeName(TlsMode::Require), "require");
  EXPECT_EQ(TlsModeName(TlsMode::VerifyFull), "verify-full");
}

}  // namespace
}  // namespace lyt
