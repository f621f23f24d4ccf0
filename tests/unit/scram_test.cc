// SCRAM-SHA-256 (src/auth/scram.h): RFC 7677's test vector through both ends, full exchanges,
// every way a message can be malformed or tampered with, the unknown-user mode, the stored
// verifier format, and strict base64.
#include "auth/scram.h"

#include <gtest/gtest.h>

#include <string>

#include "auth/base64.h"

namespace lyt::auth {
namespace {

// RFC 7677 §3.
constexpr std::string_view kClientNonce = "rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view kServerNoncePart = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr std::string_view kClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view kServerFirst =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr std::string_view kClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr std::string_view kServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

ScramVerifier Verifier(std::string_view password, std::string_view salt = "0123456789abcdef") {
  ScramVerifier v;
  Status s = ScramVerifier::FromPassword(password, salt, kScramDefaultIterations, &v);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return v;
}

ScramVerifier RfcVerifier() { return Verifier("pencil", *Base64Decode("W22ZaJ0SNY7soEsUEjb6gQ==")); }

// A server for RFC 7677's user that has already answered the client-first-message.
ScramServer RfcServerAfterFirst() {
  ScramServer server("user", RfcVerifier(), std::string(kServerNoncePart));
  std::string server_first;
  EXPECT_TRUE(server.HandleClientFirst(kClientFirst, &server_first).ok());
  return server;
}

// Expects `s` to have failed with `sqlstate` and a message containing `text`.
void ExpectError(const Status& s, std::string_view sqlstate, std::string_view text) {
  EXPECT_EQ(s.sqlstate(), sqlstate) << s.ToString();
  EXPECT_NE(s.message().find(text), std::string::npos) << s.ToString();
}

Status ClientFirstError(std::string_view client_first) {
  ScramServer server("user", RfcVerifier());
  std::string server_first;
  return server.HandleClientFirst(client_first, &server_first);
}

Status ClientFinalError(std::string_view client_final) {
  ScramServer server = RfcServerAfterFirst();
  std::string server_final;
  return server.HandleClientFinal(client_final, &server_final);
}

Status ServerFirstError(std::string_view server_first) {
  ScramClient client("pencil", "user", std::string(kClientNonce));
  client.ClientFirst();
  std::string client_final;
  return client.HandleServerFirst(server_first, &client_final);
}

// Runs a whole exchange: the client with `password` against `server`. Returns the first error.
Status Exchange(ScramServer& server, const std::string& password) {
  ScramClient client(password);
  std::string server_first, client_final, server_final;
  Status s = server.HandleClientFirst(client.ClientFirst(), &server_first);
  if (s.ok()) s = client.HandleServerFirst(server_first, &client_final);
  if (s.ok()) s = server.HandleClientFinal(client_final, &server_final);
  if (s.ok()) s = client.HandleServerFinal(server_final);
  return s;
}

TEST(ScramRfc7677, ClientProducesTheVector) {
  ScramClient client("pencil", "user", std::string(kClientNonce));
  EXPECT_EQ(client.ClientFirst(), kClientFirst);
  std::string client_final;
  ASSERT_TRUE(client.HandleServerFirst(kServerFirst, &client_final).ok());
  EXPECT_EQ(client_final, kClientFinal);
  Status s = client.HandleServerFinal(kServerFinal);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(ScramRfc7677, ServerProducesTheVector) {
  ScramServer server("user", RfcVerifier(), std::string(kServerNoncePart));
  std::string server_first, server_final;
  ASSERT_TRUE(server.HandleClientFirst(kClientFirst, &server_first).ok());
  EXPECT_EQ(server_first, kServerFirst);
  Status s = server.HandleClientFinal(kClientFinal, &server_final);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(server_final, kServerFinal);
}

TEST(ScramExchange, RandomNoncesSucceed) {
  ScramVerifier verifier;
  ASSERT_TRUE(ScramVerifier::Create("correct horse", &verifier).ok());
  EXPECT_EQ(verifier.salt.size(), kScramSaltBytes);
  ScramServer server("alice", verifier);
  Status s = Exchange(server, "correct horse");
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(ScramExchange, ClientSendsEmptyUserAndFreshNonces) {
  ScramClient a("pw"), b("pw");
  std::string first_a = a.ClientFirst(), first_b = b.ClientFirst();
  EXPECT_TRUE(first_a.starts_with("n,,n=,r=")) << first_a;
  EXPECT_EQ(first_a.size(), std::string("n,,n=,r=").size() + 32);
  EXPECT_NE(first_a, first_b);
}

TEST(ScramExchange, UserNameIsEscapedAndIgnoredByTheServer) {
  ScramClient client("pencil", "a,b=c", std::string(kClientNonce));
  EXPECT_EQ(client.ClientFirst(), "n,,n=a=2Cb=3Dc,r=rOprNGfwEbeRWgbNEkqO");
  ScramServer server("alice", Verifier("pencil"));
  std::string server_first;
  EXPECT_TRUE(server.HandleClientFirst("n,,n=somebody-else,r=abc", &server_first).ok());
}

TEST(ScramExchange, NonAsciiPasswordIsUsedAsRawBytes) {
  ScramServer server("alice", Verifier("p\xC3\xA4ssw\xC3\xB6rd"));
  Status s = Exchange(server, "p\xC3\xA4ssw\xC3\xB6rd");
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(ScramExchange, WrongPasswordFailsWith28P01) {
  ScramServer server("alice", Verifier("right"));
  Status s = Exchange(server, "wrong");
  ExpectError(s, "28P01", "password authentication failed for user \"alice\"");
  EXPECT_EQ(s.message().find("wrong"), std::string::npos);
}

TEST(ScramExchange, PasswordWithNulIsRejected) {
  ScramVerifier v;
  ExpectError(ScramVerifier::FromPassword(std::string("a\0b", 3), "salt", 4096, &v), "22023", "NUL");
  ExpectError(ScramVerifier::Create(std::string("\0", 1), &v), "22023", "NUL");
  ScramClient client(std::string("a\0b", 3), "user", std::string(kClientNonce));
  client.ClientFirst();
  std::string client_final;
  ExpectError(client.HandleServerFirst(kServerFirst, &client_final), "22023", "NUL");
}

TEST(ScramExchange, MessagesOutOfOrderFail) {
  ScramServer server("user", RfcVerifier());
  std::string out;
  ExpectError(server.HandleClientFinal(kClientFinal, &out), "08P01", "out of order");
  ScramServer done = RfcServerAfterFirst();
  ExpectError(done.HandleClientFirst(kClientFirst, &out), "08P01", "out of order");
  ScramClient client("pencil");
  ExpectError(client.HandleServerFirst(kServerFirst, &out), "08P01", "out of order");
  ExpectError(client.HandleServerFinal(kServerFinal), "08P01", "out of order");
}

TEST(ScramExchange, AnErrorEndsTheExchange) {
  ScramServer server("user", RfcVerifier(), std::string(kServerNoncePart));
  std::string out;
  EXPECT_FALSE(server.HandleClientFirst("garbage", &out).ok());
  ExpectError(server.HandleClientFirst(kClientFirst, &out), "08P01", "out of order");
}

TEST(ScramUnknownUser, LooksLikeARealUserAndFailsLikeAWrongPassword) {
  std::string secret = "0123456789abcdef0123456789abcdef";
  ScramServer unknown = ScramServer::ForUnknownUser("mallory", secret, std::string(kServerNoncePart));
  ScramServer real("mallory", Verifier("pencil"), std::string(kServerNoncePart));
  std::string unknown_first, real_first;
  ASSERT_TRUE(unknown.HandleClientFirst(kClientFirst, &unknown_first).ok());
  ASSERT_TRUE(real.HandleClientFirst(kClientFirst, &real_first).ok());
  EXPECT_EQ(unknown_first.size(), real_first.size());  // same nonce, 16-byte salt, i=4096
  EXPECT_TRUE(unknown_first.ends_with(",i=4096"));
  EXPECT_NE(unknown_first, real_first);

  // The same salt on every attempt for the same name, another for another name.
  auto first_for = [&](const std::string& user) {
    ScramServer s = ScramServer::ForUnknownUser(user, secret, std::string(kServerNoncePart));
    std::string first;
    EXPECT_TRUE(s.HandleClientFirst(kClientFirst, &first).ok());
    return first;
  };
  EXPECT_EQ(first_for("mallory"), unknown_first);
  EXPECT_NE(first_for("trudy"), unknown_first);

  std::string out;
  Status unknown_final = unknown.HandleClientFinal(kClientFinal, &out);
  Status real_final = real.HandleClientFinal(kClientFinal, &out);
  ExpectError(unknown_final, "28P01", "password authentication failed for user \"mallory\"");
  EXPECT_EQ(unknown_final.ToString(), real_final.ToString());
}

TEST(ScramUnknownUser, MalformedMessagesFailAsForARealUser) {
  ScramServer server = ScramServer::ForUnknownUser("mallory", "secret");
  std::string out;
  ExpectError(server.HandleClientFirst("n,,r=abc", &out), "08P01", "expected attribute \"n\"");
}

TEST(ScramServerFirst, MalformedClientFirstMessages) {
  ExpectError(ClientFirstError(""), "08P01", "empty message");
  ExpectError(ClientFirstError(std::string(kScramMaxMessageBytes + 1, 'n')), "08P01", "longer than 1024");
  ExpectError(ClientFirstError("x,,n=,r=abc"), "08P01", "channel-binding flag");
  ExpectError(ClientFirstError("n"), "08P01", "channel-binding flag");
  ExpectError(ClientFirstError("p=tls-server-end-point,,n=,r=abc"), "08P01", "channel binding is not supported");
  ExpectError(ClientFirstError("n,a=admin,n=,r=abc"), "0A000", "authorization identity");
  ExpectError(ClientFirstError("n,x,n=,r=abc"), "08P01", "authorization identity");
  ExpectError(ClientFirstError("n,,"), "08P01", "expected attribute \"n\"");
  ExpectError(ClientFirstError("n,n=,r=abc"), "08P01", "authorization identity");
  ExpectError(ClientFirstError("n,,m=ext,n=,r=abc"), "0A000", "extensions");
  ExpectError(ClientFirstError("n,,r=abc,n="), "08P01", "expected attribute \"n\" but found \"r\"");
  ExpectError(ClientFirstError("n,,n=user"), "08P01", "missing attribute \"r\"");
  ExpectError(ClientFirstError("n,,n=user,r=abc,x=1"), "08P01", "unexpected data after attribute \"r\"");
  ExpectError(ClientFirstError("n,,n=user,r=abc,"), "08P01", "unexpected data after attribute \"r\"");
  ExpectError(ClientFirstError("n,,n=user,r="), "08P01", "invalid client nonce");
  ExpectError(ClientFirstError("n,,n=user,r=a b"), "08P01", "invalid client nonce");
  ExpectError(ClientFirstError("n,,n=user,r=a\x01"), "08P01", "invalid client nonce");
  ExpectError(ClientFirstError("n,,n=user,rabc"), "08P01", "expected attribute \"r\"");
}

TEST(ScramServerFinal, TamperedOrMalformedClientFinalMessages) {
  const std::string nonce = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  const std::string proof = "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  ExpectError(ClientFinalError("c=eSws," + nonce + "," + proof), "08P01", "channel-binding data does not match");
  ExpectError(ClientFinalError("c=biw," + nonce + "," + proof), "08P01", "invalid base64 in attribute \"c\"");
  ExpectError(ClientFinalError("c=biws," + nonce + "X," + proof), "08P01", "nonce does not match");
  ExpectError(ClientFinalError("c=biws,r=rOprNGfwEbeRWgbNEkqO," + proof), "08P01", "nonce does not match");
  ExpectError(ClientFinalError("c=biws," + nonce + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVR="), "08P01",
              "invalid client proof");  // non-canonical base64
  ExpectError(ClientFinalError("c=biws," + nonce + ",p=AAAA"), "08P01", "invalid client proof");
  ExpectError(ClientFinalError("c=biws," + nonce + ",p=eHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="), "28P01",
              "password authentication failed for user \"user\"");
  ExpectError(ClientFinalError("c=biws," + nonce), "08P01", "missing attribute \"p\"");
  ExpectError(ClientFinalError(nonce + ",c=biws," + proof), "08P01", "expected attribute \"c\" but found \"r\"");
  ExpectError(ClientFinalError("c=biws," + nonce + ",x=1," + proof), "08P01", "expected attribute \"p\" but found \"x\"");
  ExpectError(ClientFinalError("c=biws," + nonce + "," + proof + ",x=1"), "08P01", "unexpected data after");
  ExpectError(ClientFinalError(std::string(kClientFinal) + std::string(kScramMaxMessageBytes, 'A')), "08P01",
              "longer than");
}

TEST(ScramServerFinal, YFlagClientMustEchoItsOwnHeader) {
  ScramServer server("user", RfcVerifier(), std::string(kServerNoncePart));
  std::string out;
  ASSERT_TRUE(server.HandleClientFirst("y,,n=user,r=rOprNGfwEbeRWgbNEkqO", &out).ok());
  // The RFC's client-final echoes "n,," (biws), which does not match this client's "y,,".
  ExpectError(server.HandleClientFinal(kClientFinal, &out), "08P01", "channel-binding data does not match");
}

TEST(ScramClientSide, MalformedServerFirstMessages) {
  const std::string nonce = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  ExpectError(ServerFirstError(""), "08P01", "empty message");
  ExpectError(ServerFirstError("m=x," + std::string(kServerFirst)), "08P01", "unsupported SCRAM extension");
  ExpectError(ServerFirstError("r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"), "08P01",
              "does not extend the client nonce");
  ExpectError(ServerFirstError("r=someoneElse123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"), "08P01",
              "does not extend the client nonce");
  ExpectError(ServerFirstError(nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ=,i=4096"), "08P01", "invalid salt");
  ExpectError(ServerFirstError(nonce + ",s=,i=4096"), "08P01", "invalid salt");
  ExpectError(ServerFirstError(nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4095"), "08P01",
              "iteration count 4095 is outside 4096..1000000");
  ExpectError(ServerFirstError(nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000001"), "08P01", "is outside");
  ExpectError(ServerFirstError(nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=04096"), "08P01", "invalid iteration count");
  ExpectError(ServerFirstError(nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999999"), "08P01",
              "invalid iteration count");
  ExpectError(ServerFirstError(nonce + ",i=4096,s=W22ZaJ0SNY7soEsUEjb6gQ=="), "08P01",
              "expected attribute \"s\" but found \"i\"");
  ExpectError(ServerFirstError(nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,x=y"), "08P01", "unexpected data after");
}

TEST(ScramClientSide, ServerSignatureIsVerified) {
  auto final_error = [](std::string_view server_final) {
    ScramClient client("pencil", "user", std::string(kClientNonce));
    client.ClientFirst();
    std::string client_final;
    EXPECT_TRUE(client.HandleServerFirst(kServerFirst, &client_final).ok());
    return client.HandleServerFinal(server_final);
  };
  ExpectError(final_error("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="), "28000", "server signature is incorrect");
  ExpectError(final_error("e=invalid-proof"), "28000", "rejected");
  ExpectError(final_error("v=AAAA"), "08P01", "invalid server signature");
  ExpectError(final_error("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4"), "08P01", "invalid server signature");
  ExpectError(final_error(std::string(kServerFinal) + ",x=1"), "08P01", "unexpected data after");
  ExpectError(final_error("r=abc"), "08P01", "expected attribute \"v\" but found \"r\"");
}

TEST(ScramVerifierText, RoundTrip) {
  ScramVerifier v = RfcVerifier();
  std::string text = v.ToString();
  EXPECT_TRUE(text.starts_with("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$")) << text;
  std::optional<ScramVerifier> parsed = ScramVerifier::Parse(text);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, v);

  ScramVerifier created;
  ASSERT_TRUE(ScramVerifier::Create("pw", &created, 10000).ok());
  EXPECT_EQ(ScramVerifier::Parse(created.ToString()), created);
  ScramVerifier again;
  ASSERT_TRUE(ScramVerifier::FromPassword("pw", created.salt, 10000, &again).ok());
  EXPECT_EQ(again, created);
}

TEST(ScramVerifierText, RejectsMalformedText) {
  const std::string good = RfcVerifier().ToString();
  ASSERT_TRUE(ScramVerifier::Parse(good).has_value());
  const std::string keys = good.substr(good.find('$', 14));  // "$<stored>:<server>"
  for (std::string bad : {
           std::string(""),
           std::string("md5abcdef"),
           "scram-sha-256" + good.substr(13),
           "SCRAM-SHA-256$4095:W22ZaJ0SNY7soEsUEjb6gQ==" + keys,
           "SCRAM-SHA-256$1000001:W22ZaJ0SNY7soEsUEjb6gQ==" + keys,
           "SCRAM-SHA-256$04096:W22ZaJ0SNY7soEsUEjb6gQ==" + keys,
           "SCRAM-SHA-256$+4096:W22ZaJ0SNY7soEsUEjb6gQ==" + keys,
           "SCRAM-SHA-256$:W22ZaJ0SNY7soEsUEjb6gQ==" + keys,
           "SCRAM-SHA-256$4096:" + keys,
           "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ=" + keys,
           "SCRAM-SHA-256$4096W22ZaJ0SNY7soEsUEjb6gQ==" + keys,
           good + "=",
           good + ":",
           good + "$",
           good.substr(0, good.size() - 4),
           good + "AAAA",
           good.substr(0, good.find(':', 20)) + "$" + good.substr(good.rfind(':') + 1),
           " " + good,
           good + "\n",
       }) {
    EXPECT_FALSE(ScramVerifier::Parse(bad).has_value()) << bad;
  }
}

TEST(ScramVerifierText, CreateChecksItsParameters) {
  ScramVerifier v;
  ExpectError(ScramVerifier::Create("pw", &v, 1000), "22023", "iteration count");
  ExpectError(ScramVerifier::FromPassword("pw", "", 4096, &v), "22023", "salt");
  ExpectError(ScramVerifier::FromPassword("pw", std::string(65, 's'), 4096, &v), "22023", "salt");
}

TEST(ScramBase64, EncodesAndDecodesStrictly) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("n,,"), "biws");
  EXPECT_EQ(Base64Decode(""), "");
  EXPECT_EQ(Base64Decode("Zg=="), "f");
  EXPECT_EQ(Base64Decode("Zm8="), "fo");
  EXPECT_EQ(Base64Decode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(Base64Decode("AA=="), std::string(1, '\0'));
  for (std::string_view bad : {"Zg", "Zg=", "Zh==", "Zm9=", "Zg==Zg==", "Z===", "====", " Zg==", "Zg==\n", "Zm9v\n",
                               "Zm-v", "Zm_v", "Zm9v=", "=Zm9"}) {
    EXPECT_FALSE(Base64Decode(bad).has_value()) << bad;
  }
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  std::string big(70000, 'x');  // more than one OpenSSL call's worth
  for (const std::string& bytes : {all, big, all + "a", all + "ab"}) {
    EXPECT_EQ(Base64Decode(Base64Encode(bytes)), bytes);
  }
}

}  // namespace
}  // namespace lyt::auth
