// Connection URIs (include/lyt/uri.h, docs/connecting.md). The cases of the grammar are the test
// vectors of tests/uri_vectors.json, which the Python client's tests read too
// (clients/python/tests/test_uri.py): every valid URI with its parts and canonical text, every
// malformed one with its exact message. The tests here run every vector and check what only the
// C++ API has (defaults of the struct, output left alone on error, a URI built by hand).
#include "lyt/uri.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>
#include <string>

namespace lyt {
namespace {

namespace json = boost::json;

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

// The vectors file, parsed once (LYT_SOURCE_DIR comes from tests/CMakeLists.txt).
const json::object& Vectors() {
  static const json::object vectors = [] {
    std::ifstream in(std::string(LYT_SOURCE_DIR) + "/tests/uri_vectors.json", std::ios::binary);
    EXPECT_TRUE(in.good()) << "cannot read tests/uri_vectors.json under " << LYT_SOURCE_DIR;
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str()).as_object();
  }();
  return vectors;
}

// A string of the vectors file as the bytes it stands for: each character U+0000..U+00FF is one
// byte (Boost.JSON hands the characters over as UTF-8).
std::string Bytes(const json::value& value) {
  std::string out;
  for (const unsigned char* p = reinterpret_cast<const unsigned char*>(value.as_string().data()),
                            *end = p + value.as_string().size();
       p < end; ++p) {
    if (*p < 0x80) {
      out.push_back(static_cast<char>(*p));
    } else {
      EXPECT_TRUE((*p == 0xC2 || *p == 0xC3) && p + 1 < end) << "a character above U+00FF in the vectors";
      out.push_back(static_cast<char>(((*p & 0x03) << 6) | (p[1] & 0x3F)));
      ++p;
    }
  }
  return out;
}

ConnectionUri ExpectedParts(const json::object& vector) {
  ConnectionUri uri;
  uri.user = Bytes(vector.at("user"));
  if (!vector.at("password").is_null()) uri.password = Bytes(vector.at("password"));
  for (const json::value& host : vector.at("hosts").as_array()) {
    uri.hosts.push_back({Bytes(host.as_array().at(0)), static_cast<uint16_t>(host.as_array().at(1).as_int64())});
  }
  uri.database = Bytes(vector.at("database"));
  std::string tls = Bytes(vector.at("tls"));
  uri.tls = tls == "verify-full" ? TlsMode::VerifyFull : tls == "require" ? TlsMode::Require : TlsMode::Disable;
  uri.connect_timeout_seconds = static_cast<int>(vector.at("connect_timeout").as_int64());
  uri.application_name = Bytes(vector.at("application_name"));
  return uri;
}

TEST(UriVectors, Valid) {
  const json::array& vectors = Vectors().at("valid").as_array();
  EXPECT_GT(vectors.size(), 40u);
  for (const json::value& value : vectors) {
    const json::object& vector = value.as_object();
    std::string text = Bytes(vector.at("uri"));
    ConnectionUri expected = ExpectedParts(vector);
    EXPECT_EQ(Parse(text), expected) << text;
    std::string formatted = FormatConnectionUri(expected, true);
    EXPECT_EQ(formatted, Bytes(vector.at("formatted"))) << text;
    EXPECT_LE(formatted.size(), text.size()) << text;
    EXPECT_EQ(Parse(formatted), expected) << text << " -> " << formatted;
    if (vector.contains("masked")) {
      EXPECT_EQ(FormatConnectionUri(expected, false), Bytes(vector.at("masked"))) << text;
    }
  }
}

TEST(UriVectors, Invalid) {
  const json::array& vectors = Vectors().at("invalid").as_array();
  EXPECT_GT(vectors.size(), 90u);
  for (const json::value& value : vectors) {
    const json::object& vector = value.as_object();
    std::string text = Bytes(vector.at("uri"));
    std::string message = Error(text);
    EXPECT_EQ(message, Bytes(vector.at("error"))) << text;
    if (vector.contains("secret")) {
      EXPECT_EQ(message.find(Bytes(vector.at("secret"))), std::string::npos) << message;
    }
  }
}

TEST(UriParse, MinimalUriHasDefaults) {
  ConnectionUri expected;
  expected.hosts = {{"localhost", 7878}};
  EXPECT_EQ(expected.user, "");
  EXPECT_FALSE(expected.password.has_value());
  EXPECT_EQ(expected.tls, TlsMode::Disable);
  EXPECT_EQ(expected.connect_timeout_seconds, 0);
  EXPECT_EQ(Parse("lyt://localhost"), expected);
}

TEST(UriParse, ErrorLeavesOutputUnchanged) {
  ConnectionUri uri = Parse("lyt://keep");
  EXPECT_FALSE(ParseConnectionUri("lyt://u@h?foo=1", &uri).ok());
  EXPECT_EQ(uri, Parse("lyt://keep"));
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

TEST(UriFormat, TlsModeNames) {
  EXPECT_EQ(TlsModeName(TlsMode::Disable), "disable");
  EXPECT_EQ(TlsModeName(TlsMode::Require), "require");
  EXPECT_EQ(TlsModeName(TlsMode::VerifyFull), "verify-full");
}

}  // namespace
}  // namespace lyt
