// Integration-test helpers: TestServer starts the real `lytdb` binary on a free loopback port
// in a fresh data directory; RawConnection speaks the lyt protocol frame by frame over a
// blocking socket (for protocol-level tests: malformed frames, pipelining, cancel).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lyt/value.h"
#include "protocol/frame.h"
#include "protocol/messages.h"

namespace lyt::testing {

inline constexpr const char* kAdminPassword = "admin-secret-1";

class TestServer {
 public:
  // Starts lytdb with `args` (besides --data-dir, --listen 127.0.0.1:0, --resp 127.0.0.1:0, --http 127.0.0.1:0) and `env` (besides
  // LYT_ADMIN_PASSWORD=kAdminPassword unless given) and waits until it listens. `data_dir`:
  // reuse an existing directory (a restart); empty: a fresh one.
  explicit TestServer(std::vector<std::string> args = {}, std::map<std::string, std::string> env = {}, std::string data_dir = "");
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  bool started() const { return port_ != 0; }
  uint16_t port() const { return port_; }
  uint16_t resp_port() const { return resp_port_; }  // the Redis protocol's (0: not served)
  const std::string& data_dir() const { return data_dir_; }
  std::string Uri(const std::string& user = "admin", const std::string& password = kAdminPassword,
                  const std::string& database = "main") const;
  // Sends `signal` and waits (up to `timeout`) for the exit; returns the exit status, or -1.
  int Stop(int signal = 15, std::chrono::milliseconds timeout = std::chrono::seconds(15));
  void Signal(int signal);
  // What the server wrote to stdout and stderr so far.
  std::string Output() const;
  // Keep the data directory when destroyed (for a restart).
  void KeepDataDir() { keep_data_dir_ = true; }

  // Runs lytdb to completion (for start-up failures); returns its exit status, output in *out.
  static int RunToExit(std::vector<std::string> args, std::map<std::string, std::string> env, std::string* out);

 private:
  int pid_ = -1;
  uint16_t port_ = 0;
  uint16_t resp_port_ = 0;
  std::string data_dir_;
  std::string output_file_;
  bool own_data_dir_ = false;
  bool keep_data_dir_ = false;
};

// A suite sharing one server (started before its first test, stopped after its last).
class SharedServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new TestServer({"--worker-threads", "4"}); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_->started()) << server_->Output(); }

  static inline TestServer* server_ = nullptr;
};

// Response frames of one request (several statements for a multi-statement QUERY).
struct Response {
  std::vector<protocol::Frame> frames;
  // The ERROR of the response, if any.
  std::optional<protocol::ErrorMessage> error() const;
  // Every cell of every BATCH, row by row, as Values.
  std::vector<std::vector<Value>> rows() const;
  std::vector<std::string> tags() const;  // the COMPLETE tags, in order
};

class RawConnection {
 public:
  explicit RawConnection(uint16_t port);
  ~RawConnection();
  bool connected() const { return fd_ >= 0; }

  void SendBytes(std::string_view bytes);
  void SendFrame(protocol::MessageType type, uint32_t request_id, std::string_view payload);
  template <class M>
  void Send(uint32_t request_id, const M& message) {
    SendFrame(M::kType, request_id, protocol::EncodePayload(message));
  }
  // The next frame, or nullopt on EOF / timeout.
  std::optional<protocol::Frame> ReadFrame(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // True when the server closed the connection (EOF) within `timeout`, all frames before it read.
  bool WaitClosed(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // HELLO + SCRAM; returns the AUTH_OK or the ERROR that ended the login.
  std::optional<protocol::AuthOkMessage> Login(const std::string& user, const std::string& password, const std::string& database = "",
                                               protocol::ErrorMessage* error = nullptr);
  // Sends QUERY and reads its response (through READY).
  Response Query(const std::string& sql, const std::vector<Value>& params = {}, uint32_t request_id = 1);
  // Reads the frames of a response: through READY (QUERY, EXECUTE), or else through the one
  // answering frame (PREPARED, CLOSED, PONG, ERROR). Stops early at EOF or a 60 s silence: a
  // hang detector, generous because the sanitized builds run heavy queries next to other tests.
  Response ReadResponse(uint32_t request_id, bool until_ready = true);

 private:
  int fd_ = -1;
  protocol::FrameDecoder decoder_{protocol::Receiver::Client, 64u << 20};
};

}  // namespace lyt::testing
