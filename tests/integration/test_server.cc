#include "test_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "auth/scram.h"
#include "common/vector.h"

extern char** environ;

namespace lyt::testing {

namespace fs = std::filesystem;
using protocol::Frame;
using protocol::MessageType;

namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string MakeTempDir() {
  char name[] = "/tmp/lytdb-test-XXXXXX";
  char* dir = mkdtemp(name);
  return dir ? dir : "";
}

// fork + exec of lytdb with `args`, stdout and stderr to `output`, the environment plus `env`.
int Spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env, const std::string& output) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    std::string key = entry.substr(0, entry.find('='));
    if (!env.count(key)) env_strings.push_back(entry);
  }
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> argv{const_cast<char*>(LYTDB_BINARY)};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  int pid = fork();
  if (pid == 0) {
    int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    dup2(fd, 1);
    dup2(fd, 2);
    int null = ::open("/dev/null", O_RDONLY);
    dup2(null, 0);
    execve(LYTDB_BINARY, argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

// Waits for `pid` up to `timeout`; the exit status (128+signal when killed), or -1.
int WaitExit(int pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    int r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

}  // namespace

TestServer::TestServer(std::vector<std::string> args, std::map<std::string, std::string> env, std::string data_dir) {
  std::string temp = MakeTempDir();
  output_file_ = temp + "/server.out";
  own_data_dir_ = data_dir.empty();
  data_dir_ = own_data_dir_ ? temp + "/data" : data_dir;
  if (!env.count("LYT_ADMIN_PASSWORD")) env["LYT_ADMIN_PASSWORD"] = kAdminPassword;
  std::vector<std::string> full{"--data-dir", data_dir_, "--listen", "127.0.0.1:0", "--resp", "127.0.0.1:0", "--http", "127.0.0.1:0"};
  full.insert(full.end(), args.begin(), args.end());
  pid_ = Spawn(full, env, output_file_);
  // lytdb writes "pid\nport\nresp port\n" into DATA_DIR/lytdb.pid once it listens.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::istringstream pidfile(ReadAll(data_dir_ + "/lytdb.pid"));
    long pid = 0, port = 0, resp_port = 0;
    if (pidfile >> pid >> port >> resp_port && pid == pid_ && port > 0) {
      port_ = static_cast<uint16_t>(port);
      resp_port_ = static_cast<uint16_t>(resp_port);
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

TestServer::~TestServer() {
  if (pid_ > 0 && Stop(SIGTERM) < 0) {
    kill(pid_, SIGKILL);
    WaitExit(pid_, std::chrono::seconds(5));
  }
  std::error_code ignored;
  if (own_data_dir_ && !keep_data_dir_) fs::remove_all(fs::path(data_dir_).parent_path(), ignored);
  if (!own_data_dir_) fs::remove_all(fs::path(output_file_).parent_path(), ignored);  // the output only
}

std::string TestServer::Uri(const std::string& user, const std::string& password, const std::string& database) const {
  return "lyt://" + user + ":" + password + "@127.0.0.1:" + std::to_string(port_) + "/" + database + "?tls=disable";
}

void TestServer::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

int TestServer::Stop(int signal, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  int status = WaitExit(pid_, timeout);
  if (status >= 0) pid_ = -1;
  return status;
}

std::string TestServer::Output() const { return ReadAll(output_file_); }

int TestServer::RunToExit(std::vector<std::string> args, std::map<std::string, std::string> env, std::string* out) {
  std::string temp = MakeTempDir();
  std::string output = temp + "/server.out";
  int pid = Spawn(args, env, output);
  int status = WaitExit(pid, std::chrono::seconds(20));
  if (status < 0) {
    kill(pid, SIGKILL);
    WaitExit(pid, std::chrono::seconds(5));
  }
  *out = ReadAll(output);
  std::error_code ignored;
  fs::remove_all(temp, ignored);
  return status;
}

// ---------------------------------------------------------------------------------------------

std::optional<protocol::ErrorMessage> Response::error() const {
  for (const auto& f : frames) {
    if (f.type == static_cast<uint8_t>(MessageType::Error)) return protocol::DecodePayload<protocol::ErrorMessage>(f.payload);
  }
  return std::nullopt;
}

std::vector<std::vector<Value>> Response::rows() const {
  std::vector<std::vector<Value>> rows;
  std::vector<LogicalType> types;
  for (const auto& f : frames) {
    if (f.type == static_cast<uint8_t>(MessageType::Columns)) types = protocol::DecodePayload<protocol::ColumnsMessage>(f.payload).Types();
    if (f.type != static_cast<uint8_t>(MessageType::Batch)) continue;
    DataChunk chunk;
    protocol::PayloadReader in(f.payload);
    protocol::DecodeBatch(in, types, chunk);
    for (idx_t r = 0; r < chunk.size(); ++r) {
      std::vector<Value> row;
      for (idx_t c = 0; c < chunk.ColumnCount(); ++c) row.push_back(chunk.GetValue(c, r));
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::vector<std::string> Response::tags() const {
  std::vector<std::string> tags;
  for (const auto& f : frames) {
    if (f.type == static_cast<uint8_t>(MessageType::Complete)) tags.push_back(protocol::DecodePayload<protocol::CompleteMessage>(f.payload).tag);
  }
  return tags;
}

RawConnection::RawConnection(uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

void RawConnection::SendBytes(std::string_view bytes) {
  while (!bytes.empty() && fd_ >= 0) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

void RawConnection::SendFrame(MessageType type, uint32_t request_id, std::string_view payload) {
  std::string bytes;
  protocol::AppendFrame(bytes, static_cast<uint8_t>(type), request_id, payload);
  SendBytes(bytes);
}

std::optional<Frame> RawConnection::ReadFrame(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (auto frame = decoder_.Next()) return frame;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0 || fd_ < 0) return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) return std::nullopt;
    char buffer[65536];
    ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (n <= 0) return std::nullopt;
    decoder_.Append(std::string_view(buffer, static_cast<size_t>(n)));
  }
}

bool RawConnection::WaitClosed(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(std::max<long>(left, 1))) <= 0) return false;
    char buffer[65536];
    ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (n <= 0) return true;  // EOF or reset
  }
  return false;
}

std::optional<protocol::AuthOkMessage> RawConnection::Login(const std::string& user, const std::string& password, const std::string& database,
                                                            protocol::ErrorMessage* error) {
  auto fail = [&](const Frame& f) -> std::optional<protocol::AuthOkMessage> {
    if (error && f.type == static_cast<uint8_t>(MessageType::Error)) *error = protocol::DecodePayload<protocol::ErrorMessage>(f.payload);
    return std::nullopt;
  };
  protocol::HelloMessage hello;
  hello.params = {{"user", user}, {"database", database}, {"client", "lyt integration test"}};
  Send(1, hello);
  auto f = ReadFrame();
  if (!f) return std::nullopt;
  if (f->type != static_cast<uint8_t>(MessageType::HelloOk)) return fail(*f);
  auth::ScramClient scram(password);
  Send(2, protocol::ScramFirstMessage{scram.ClientFirst()});
  f = ReadFrame();
  if (!f) return std::nullopt;
  if (f->type != static_cast<uint8_t>(MessageType::AuthScramChallenge)) return fail(*f);
  protocol::ScramFinalMessage final_message;
  if (!scram.HandleServerFirst(protocol::DecodePayload<protocol::ScramChallengeMessage>(f->payload).text, &final_message.text).ok()) {
    return std::nullopt;
  }
  Send(3, final_message);
  f = ReadFrame();
  if (!f) return std::nullopt;
  if (f->type != static_cast<uint8_t>(MessageType::AuthOk)) return fail(*f);
  auto ok = protocol::DecodePayload<protocol::AuthOkMessage>(f->payload);
  if (!scram.HandleServerFinal(ok.server_final).ok()) return std::nullopt;
  return ok;
}

Response RawConnection::Query(const std::string& sql, const std::vector<Value>& params, uint32_t request_id) {
  Send(request_id, protocol::QueryMessage{sql, params});
  return ReadResponse(request_id);
}

Response RawConnection::ReadResponse(uint32_t request_id, bool until_ready) {
  Response response;
  for (;;) {
    auto f = ReadFrame(std::chrono::seconds(60));
    if (!f) break;
    bool ours = f->request_id == request_id;
    auto type = static_cast<MessageType>(f->type);
    response.frames.push_back(std::move(*f));
    if (!ours) continue;
    if (type == MessageType::Ready) break;
    if (!until_ready && (type == MessageType::Error || type == MessageType::Pong || type == MessageType::Prepared || type == MessageType::Closed)) break;
  }
  return response;
}

}  // namespace lyt::testing
