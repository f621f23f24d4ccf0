// The C++ client (include/lyt/client.h) against what needs no real server: closed ports, hosts
// that never answer, peers that send garbage or oversized frames or close, and a scripted fake
// server on a loopback socket that runs the real SCRAM exchange and answers with canned frames
// (results, errors, pipelining, a wrong server signature, TLS refused).
#include "lyt/client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

#include "auth/scram.h"
#include "common/vector.h"
#include "protocol/frame.h"
#include "protocol/messages.h"

namespace lyt::client {
namespace {

using protocol::MessageType;
using std::chrono::milliseconds;

constexpr const char* kPassword = "secret";

// A listening loopback socket on a free port.
class Listener {
 public:
  Listener() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(listen(fd_, 4), 0);
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~Listener() { Close(); }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  int Accept() { return accept(fd_, nullptr, nullptr); }
  uint16_t port() const { return port_; }
  std::string Uri(const std::string& query = "") const {
    return "lyt://alice:" + std::string(kPassword) + "@127.0.0.1:" + std::to_string(port_) + "/main" + query;
  }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// A port nothing listens on.
uint16_t ClosedPort() {
  Listener l;
  return l.port();
}

// One accepted connection, read and written with blocking calls.
class Peer {
 public:
  explicit Peer(int fd) : fd_(fd) {}
  ~Peer() {
    if (ssl_) SSL_free(ssl_);
    close(fd_);
  }

  // Answers TLS_REQUEST with TLS_ACCEPT and runs the server side of the handshake.
  bool AcceptTls(SSL_CTX* ctx) {
    protocol::Frame f;
    if (!Read(&f) || f.type != static_cast<uint8_t>(MessageType::TlsRequest)) return false;
    Write(MessageType::TlsAccept, f.request_id);
    ssl_ = SSL_new(ctx);
    SSL_set_fd(ssl_, fd_);
    return SSL_accept(ssl_) == 1;
  }

  bool Read(protocol::Frame* frame) {
    for (;;) {
      if (auto f = decoder_.Next()) {
        *frame = std::move(*f);
        return true;
      }
      char buffer[4096];
      ssize_t n = ssl_ ? SSL_read(ssl_, buffer, sizeof(buffer)) : recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) return false;
      decoder_.Append(std::string_view(buffer, static_cast<size_t>(n)));
    }
  }
  void WriteRaw(std::string_view bytes) {
    if (ssl_) (void)SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
    else (void)send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  }
  void Write(MessageType type, uint32_t id, std::string_view payload = {}) {
    std::string out;
    protocol::AppendFrame(out, static_cast<uint8_t>(type), id, payload);
    WriteRaw(out);
  }
  template <class M>
  void Write(uint32_t id, const M& message) {
    Write(M::kType, id, protocol::EncodePayload(message));
  }

  // The server's side of HELLO and SCRAM; `tamper` spoils the server signature.
  bool Startup(bool tamper = false) {
    protocol::Frame f;
    if (!Read(&f) || f.type != static_cast<uint8_t>(MessageType::Hello)) return false;
    auto hello = protocol::DecodePayload<protocol::HelloMessage>(f.payload);
    EXPECT_EQ(hello.Param("user"), "alice");
    EXPECT_EQ(hello.Param("database"), "main");
    Write(f.request_id, protocol::HelloOkMessage{1, 0, "lytdb-fake 0.1", "SCRAM-SHA-256"});
    auth::ScramVerifier verifier;
    EXPECT_TRUE(auth::ScramVerifier::FromPassword(kPassword, "0123456789abcdef", 4096, &verifier).ok());
    auth::ScramServer scram("alice", verifier);
    std::string answer;
    if (!Read(&f) || !scram.HandleClientFirst(protocol::DecodePayload<protocol::ScramFirstMessage>(f.payload).text, &answer).ok()) {
      return false;
    }
    Write(f.request_id, protocol::ScramChallengeMessage{answer});
    if (!Read(&f)) return false;
    Status s = scram.HandleClientFinal(protocol::DecodePayload<protocol::ScramFinalMessage>(f.payload).text, &answer);
    if (!s.ok()) {
      Write(f.request_id, protocol::ErrorMessage::From(s));
      return false;
    }
    if (tamper) answer[2] = answer[2] == 'A' ? 'B' : 'A';
    Write(f.request_id, protocol::AuthOkMessage{answer, 42, 7, "main"});
    return true;
  }

  // Answers a QUERY with one INTEGER column holding `values` (one batch).
  void AnswerRows(uint32_t id, const std::vector<int32_t>& values) {
    Write(id, protocol::ColumnsMessage{{{"n", LogicalType(TypeId::Integer)}}});
    DataChunk chunk;
    chunk.Initialize({LogicalType(TypeId::Integer)}, values.size());
    for (size_t i = 0; i < values.size(); ++i) chunk.column(0).SetValue(i, Value::Integer(values[i]));
    chunk.SetSize(values.size());
    protocol::PayloadWriter batch;
    protocol::EncodeBatch(chunk, batch);
    Write(MessageType::Batch, id, batch.buffer());
    Write(id, protocol::CompleteMessage{"SELECT " + std::to_string(values.size()), values.size()});
  }

 private:
  int fd_;
  SSL* ssl_ = nullptr;
  protocol::FrameDecoder decoder_{protocol::Receiver::Server};
};

// Runs `script` on the first connection `listener` accepts, on a thread of its own.
class FakeServer {
 public:
  explicit FakeServer(std::function<void(Peer&)> script)
      : thread_([this, script = std::move(script)] {
          int fd = listener_.Accept();
          if (fd < 0) return;
          Peer peer(fd);
          script(peer);
        }) {}
  ~FakeServer() { thread_.join(); }
  std::string Uri(const std::string& query = "") const { return listener_.Uri(query); }

 private:
  Listener listener_;
  std::thread thread_;
};

Status ConnectTo(const std::string& uri, std::unique_ptr<Connection>* conn, ConnectOptions options = {}) {
  if (options.connect_timeout.count() == 0) options.connect_timeout = milliseconds(5000);
  return Connection::Connect(uri, conn, options);
}

TEST(ClientConnect, MalformedUriIs22023) {
  std::unique_ptr<Connection> conn;
  Status s = Connection::Connect("postgres://localhost", &conn);
  EXPECT_EQ(s.sqlstate(), "22023");
}

TEST(ClientConnect, RefusedPortGives08001NamingHostAndPort) {
  uint16_t port = ClosedPort();
  std::unique_ptr<Connection> conn;
  Status s = Connection::Connect("lyt://u:p@127.0.0.1:" + std::to_string(port), &conn);
  EXPECT_EQ(s.sqlstate(), "08001");
  EXPECT_NE(s.message().find("\"127.0.0.1:" + std::to_string(port) + "\""), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("refused"), std::string::npos) << s.message();
  EXPECT_EQ(conn, nullptr);
}

TEST(ClientConnect, EveryFailedHostIsListed) {
  uint16_t a = ClosedPort();
  uint16_t b = ClosedPort();
  std::unique_ptr<Connection> conn;
  Status s = Connection::Connect("lyt://u:p@127.0.0.1:" + std::to_string(a) + ",[::1]:" + std::to_string(b), &conn);
  EXPECT_EQ(s.sqlstate(), "08001");
  EXPECT_NE(s.message().find("any of 2 hosts"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("127.0.0.1:" + std::to_string(a)), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("[::1]:" + std::to_string(b)), std::string::npos) << s.message();
}

TEST(ClientConnect, ConnectTimeoutAgainstSilentListener) {
  Listener silent;  // the kernel completes the TCP handshake; nobody ever answers HELLO
  ConnectOptions options;
  options.connect_timeout = milliseconds(200);
  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Connection> conn;
  Status s = Connection::Connect(silent.Uri(), &conn, options);
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(s.sqlstate(), "08001");
  EXPECT_NE(s.message().find("timeout expired"), std::string::npos) << s.message();
  EXPECT_LT(elapsed, std::chrono::seconds(3));
  EXPECT_GE(elapsed, milliseconds(150));
}

TEST(ClientConnect, TimeoutFromUri) {
  Listener silent;
  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Connection> conn;
  Status s = Connection::Connect(silent.Uri("?connect_timeout=1"), &conn);
  EXPECT_EQ(s.sqlstate(), "08001") << s.ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

TEST(ClientConnect, GarbageIsAProtocolViolation) {
  FakeServer server([](Peer& peer) { peer.WriteRaw("HTTP/1.1 400 Bad Request\r\n\r\n"); });
  std::unique_ptr<Connection> conn;
  Status s = ConnectTo(server.Uri(), &conn);
  EXPECT_EQ(s.sqlstate(), "08P01") << s.ToString();
  EXPECT_NE(s.message().find("unknown message type"), std::string::npos) << s.message();
}

TEST(ClientConnect, ImmediateCloseIs08006) {
  FakeServer server([](Peer&) {});
  std::unique_ptr<Connection> conn;
  Status s = ConnectTo(server.Uri(), &conn);
  EXPECT_EQ(s.sqlstate(), "08006") << s.ToString();
  EXPECT_NE(s.message().find("closed"), std::string::npos) << s.message();
}

TEST(ClientConnect, OversizedFrameIsRefusedBeforeReading) {
  FakeServer server([](Peer& peer) {
    protocol::PayloadWriter header;
    header.U8(static_cast<uint8_t>(MessageType::HelloOk));
    header.U32(1);
    header.U32(0xFFFFFFF0u);
    peer.WriteRaw(header.buffer());
  });
  std::unique_ptr<Connection> conn;
  Status s = ConnectTo(server.Uri(), &conn);
  EXPECT_EQ(s.sqlstate(), "08P01") << s.ToString();
  EXPECT_NE(s.message().find("exceeds the limit"), std::string::npos) << s.message();
}

TEST(ClientConnect, MalformedPayloadIsAProtocolViolation) {
  FakeServer server([](Peer& peer) {
    protocol::Frame f;
    peer.Read(&f);
    peer.Write(MessageType::HelloOk, f.request_id, "\x01");  // far too short
  });
  std::unique_ptr<Connection> conn;
  EXPECT_EQ(ConnectTo(server.Uri(), &conn).sqlstate(), "08P01");
}

TEST(ClientConnect, ServerErrorDuringStartupIsReturnedAsSent) {
  FakeServer server([](Peer& peer) {
    protocol::Frame f;
    peer.Read(&f);
    peer.Write(f.request_id, protocol::ErrorMessage{"3D000", "database \"main\" does not exist", 0, 0});
  });
  std::unique_ptr<Connection> conn;
  Status s = ConnectTo(server.Uri(), &conn);
  EXPECT_EQ(s.sqlstate(), "3D000");
  EXPECT_EQ(s.message(), "database \"main\" does not exist");
}

TEST(ClientConnect, WrongPasswordIs28P01) {
  FakeServer server([](Peer& peer) { peer.Startup(); });
  std::unique_ptr<Connection> conn;
  ConnectOptions options;
  options.password = "not the password";
  EXPECT_EQ(ConnectTo(server.Uri(), &conn, options).sqlstate(), "28P01");
}

TEST(ClientConnect, WrongServerSignatureIsRefused) {
  FakeServer server([](Peer& peer) { peer.Startup(/*tamper=*/true); });
  std::unique_ptr<Connection> conn;
  Status s = ConnectTo(server.Uri(), &conn);
  EXPECT_EQ(s.sqlstate(), "28000") << s.ToString();
  EXPECT_EQ(conn, nullptr);
}

TEST(ClientConnect, TlsRequiredButRefused) {
  FakeServer server([](Peer& peer) {
    protocol::Frame f;
    peer.Read(&f);
    EXPECT_EQ(f.type, static_cast<uint8_t>(MessageType::TlsRequest));
    peer.Write(MessageType::TlsRefuse, f.request_id);
  });
  std::unique_ptr<Connection> conn;
  Status s = ConnectTo(server.Uri("?tls=require"), &conn);
  EXPECT_EQ(s.sqlstate(), "08001");
  EXPECT_NE(s.message().find("does not support TLS"), std::string::npos) << s.message();
}

// A self-signed certificate naming `san` ("IP:127.0.0.1"), its key, and a server context using them.
class TestCertificate {
 public:
  explicit TestCertificate(const char* san) {
    key_ = EVP_EC_gen("P-256");
    cert_ = X509_new();
    X509_set_version(cert_, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert_), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert_), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert_), 3600);
    X509_set_pubkey(cert_, key_);
    X509_NAME* name = X509_get_subject_name(cert_);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("lyt test"), -1, -1, 0);
    X509_set_issuer_name(cert_, name);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, cert_, cert_, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, san);
    X509_add_ext(cert_, ext, -1);
    X509_EXTENSION_free(ext);
    X509_sign(cert_, key_, EVP_sha256());
    ctx_ = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(ctx_, cert_);
    SSL_CTX_use_PrivateKey(ctx_, key_);
    path_ = ::testing::TempDir() + "lyt_client_test_ca_" + std::to_string(getpid()) + ".pem";
    FILE* file = std::fopen(path_.c_str(), "w");
    PEM_write_X509(file, cert_);
    std::fclose(file);
  }
  ~TestCertificate() {
    std::remove(path_.c_str());
    SSL_CTX_free(ctx_);
    X509_free(cert_);
    EVP_PKEY_free(key_);
  }
  SSL_CTX* context() const { return ctx_; }
  const std::string& pem_path() const { return path_; }

 private:
  EVP_PKEY* key_ = nullptr;
  X509* cert_ = nullptr;
  SSL_CTX* ctx_ = nullptr;
  std::string path_;
};

// A fake server that speaks TLS, then runs the startup and answers one PING.
Status ConnectOverTls(const TestCertificate& cert, const std::string& mode, const std::string& ca_file) {
  FakeServer server([&](Peer& peer) {
    if (!peer.AcceptTls(cert.context()) || !peer.Startup()) return;
    protocol::Frame f;
    if (peer.Read(&f)) peer.Write(MessageType::Pong, f.request_id);
    peer.Read(&f);  // until the client closes
  });
  ConnectOptions options;
  options.tls_ca_file = ca_file;
  std::unique_ptr<Connection> conn;
  Status s = ConnectTo(server.Uri("?tls=" + mode), &conn, options);
  if (s.ok()) s = conn->Ping();
  return s;
}

TEST(ClientTls, RequireEncryptsWithoutCheckingTheCertificate) {
  TestCertificate cert("IP:10.9.9.9");  // names another host, and nobody trusts it
  Status s = ConnectOverTls(cert, "require", "");
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(ClientTls, VerifyFullAcceptsATrustedCertificateForTheHost) {
  TestCertificate cert("IP:127.0.0.1");
  Status s = ConnectOverTls(cert, "verify-full", cert.pem_path());
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(ClientTls, VerifyFullRefusesAnUntrustedCertificate) {
  TestCertificate cert("IP:127.0.0.1");
  Status s = ConnectOverTls(cert, "verify-full", "");  // the system store does not know it
  EXPECT_EQ(s.sqlstate(), "08001");
  EXPECT_NE(s.message().find("certificate verification failed"), std::string::npos) << s.message();
}

TEST(ClientTls, VerifyFullRefusesACertificateForAnotherHost) {
  TestCertificate cert("IP:10.9.9.9");
  Status s = ConnectOverTls(cert, "verify-full", cert.pem_path());
  EXPECT_EQ(s.sqlstate(), "08001");
  EXPECT_NE(s.message().find("mismatch"), std::string::npos) << s.message();
}

TEST(ClientTls, MissingCaFileIsReported) {
  TestCertificate cert("IP:127.0.0.1");
  Status s = ConnectOverTls(cert, "verify-full", "/nonexistent/ca.pem");
  EXPECT_EQ(s.sqlstate(), "08001");
  EXPECT_NE(s.message().find("/nonexistent/ca.pem"), std::string::npos) << s.message();
}

TEST(ClientSession, QueryResultsErrorsAndPipelining) {
  FakeServer server([](Peer& peer) {
    ASSERT_TRUE(peer.Startup());
    protocol::Frame f;
    // Two pipelined queries, each response ended by READY.
    for (int i = 0; i < 2; ++i) {
      ASSERT_TRUE(peer.Read(&f));
      auto query = protocol::DecodePayload<protocol::QueryMessage>(f.payload);
      if (query.sql == "SELECT n") {
        ASSERT_EQ(query.params.size(), 1u);
        peer.AnswerRows(f.request_id, {1, 2, query.params[0].is_null() ? -1 : int32_t(query.params[0].AsInt64())});
      } else {  // "CREATE ...; SELECT bad": one command, then an error
        peer.Write(f.request_id, protocol::CompleteMessage{"CREATE TABLE", 0});
        peer.Write(f.request_id, protocol::ErrorMessage{"42703", "column \"bad\" does not exist", 1, 8});
      }
      peer.Write(f.request_id, protocol::ReadyMessage{});
    }
    ASSERT_TRUE(peer.Read(&f));  // Ping()
    peer.Write(protocol::NoticeMessage::kType, f.request_id, protocol::EncodePayload(protocol::NoticeMessage{"01000", "hi"}));
    peer.Write(MessageType::Pong, f.request_id);
    ASSERT_TRUE(peer.Read(&f));  // a query answered with a frame for another request
    peer.Write(MessageType::Complete, f.request_id + 100, protocol::EncodePayload(protocol::CompleteMessage{"X", 0}));
    peer.Read(&f);
  });
  std::unique_ptr<Connection> conn;
  ASSERT_TRUE(ConnectTo(server.Uri(), &conn).ok());
  EXPECT_EQ(conn->session_id(), 42u);
  EXPECT_EQ(conn->database(), "main");
  EXPECT_EQ(conn->server_version(), "lytdb-fake 0.1");

  uint32_t first = conn->Send("SELECT n", {Value::Integer(9)});
  uint32_t second = conn->Send("CREATE TABLE t (a INT); SELECT bad");
  EXPECT_EQ(conn->pending(), 2u);
  auto error = conn->Receive(second);  // reads the first response on the way
  EXPECT_EQ(error->status().sqlstate(), "42703");
  EXPECT_EQ(error->status().line(), 1);
  EXPECT_EQ(error->status().column(), 8);
  auto rows = conn->Receive(first);
  ASSERT_TRUE(rows->ok()) << rows->status().ToString();
  EXPECT_EQ(rows->command_tag(), "SELECT 3");
  EXPECT_EQ(rows->rows_affected(), 3);
  ASSERT_EQ(rows->columns().size(), 1u);
  EXPECT_EQ(rows->columns()[0].name, "n");
  const ResultBatch* batch = rows->NextBatch();
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(batch->GetInt64(0, 2), 9);
  EXPECT_EQ(conn->Receive(first)->status().sqlstate(), "22023");  // received already
  EXPECT_EQ(conn->pending(), 0u);

  EXPECT_TRUE(conn->Ping().ok());
  auto notices = conn->TakeNotices();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].message, "hi");

  auto violation = conn->Query("SELECT 1");
  EXPECT_EQ(violation->status().sqlstate(), "08P01");
  EXPECT_TRUE(conn->is_broken());
  EXPECT_EQ(conn->Query("SELECT 1")->status().sqlstate(), "08006");
}

TEST(ClientSession, ServerClosingMidQueryBreaksTheConnection) {
  FakeServer server([](Peer& peer) {
    ASSERT_TRUE(peer.Startup());
    protocol::Frame f;
    peer.Read(&f);
    peer.Write(f.request_id, protocol::ColumnsMessage{{{"n", LogicalType(TypeId::Integer)}}});
  });
  std::unique_ptr<Connection> conn;
  ASSERT_TRUE(ConnectTo(server.Uri(), &conn).ok());
  auto result = conn->Query("SELECT 1");
  EXPECT_EQ(result->status().sqlstate(), "08006") << result->status().ToString();
  EXPECT_TRUE(conn->is_broken());
}

TEST(ClientSession, QueryTimeoutSendsCancel) {
  Listener listener;
  std::thread thread([&] {
    Peer session(listener.Accept());
    ASSERT_TRUE(session.Startup());
    protocol::Frame f;
    ASSERT_TRUE(session.Read(&f));  // the query: not answered until the cancel arrives
    uint32_t id = f.request_id;
    {
      Peer cancel(listener.Accept());
      ASSERT_TRUE(cancel.Read(&f));
      EXPECT_EQ(f.type, static_cast<uint8_t>(MessageType::Cancel));
      auto message = protocol::DecodePayload<protocol::CancelMessage>(f.payload);
      EXPECT_EQ(message.session_id, 42u);
      EXPECT_EQ(message.cancel_key, 7u);
    }
    session.Write(id, protocol::ErrorMessage{"57014", "canceling statement due to user request", 0, 0});
    session.Write(id, protocol::ReadyMessage{});
  });
  std::unique_ptr<Connection> conn;
  ConnectOptions options;
  options.query_timeout = milliseconds(100);
  ASSERT_TRUE(ConnectTo(listener.Uri(), &conn, options).ok());
  auto result = conn->Query("SELECT slow()");
  EXPECT_EQ(result->status().sqlstate(), "57014");
  EXPECT_NE(result->status().message().find("client query timeout (100 ms)"), std::string::npos)
      << result->status().message();
  EXPECT_FALSE(conn->is_broken());
  thread.join();
}

TEST(ClientPool, AcquireTimesOutWhenAllAreLent) {
  // Declared before the pool: its thread ends when the pool closes the connection.
  FakeServer server([](Peer& peer) {
    peer.Startup();
    protocol::Frame f;
    peer.Read(&f);  // until the client closes
  });
  std::unique_ptr<ConnectionPool> pool;
  EXPECT_EQ(ConnectionPool::Create("nonsense", {}, &pool).sqlstate(), "22023");
  PoolOptions options;
  options.max_size = 1;
  options.connect.connect_timeout = milliseconds(5000);
  ASSERT_TRUE(ConnectionPool::Create(server.Uri(), options, &pool).ok());
  PooledConnection first;
  ASSERT_TRUE(pool->Acquire(&first).ok());
  EXPECT_EQ(first->session_id(), 42u);
  PooledConnection second;
  Status s = pool->Acquire(&second, milliseconds(50));
  EXPECT_EQ(s.sqlstate(), "53300");
  Connection* raw = first.get();
  first.Release();
  EXPECT_EQ(pool->idle(), 1u);
  ASSERT_TRUE(pool->Acquire(&second, milliseconds(50)).ok());
  EXPECT_EQ(second.get(), raw);  // the same connection, reused
  EXPECT_EQ(pool->size(), 1u);
}

}  // namespace
}  // namespace lyt::client
