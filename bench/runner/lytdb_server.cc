#include "runner/lytdb_server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

extern char** environ;

namespace lyt::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr auto kStartTimeout = std::chrono::seconds(120);  // first start writes a checkpoint
constexpr auto kStopTimeout = std::chrono::seconds(30);    // beyond lytdb's shutdown grace

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string RandomPassword() {
  std::random_device random;
  std::string password = "bench-";
  for (int i = 0; i < 4; ++i) {
    char chunk[9];
    std::snprintf(chunk, sizeof chunk, "%08x", random());
    password += chunk;
  }
  return password;
}

// The environment without LYT_* variables, plus LYT_ADMIN_PASSWORD.
std::vector<std::string> ServerEnvironment(const std::string& password) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (std::strncmp(*entry, "LYT_", 4) != 0) env.emplace_back(*entry);
  }
  env.push_back("LYT_ADMIN_PASSWORD=" + password);
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// fork + exec; the child's stdout and stderr go to `output`, stdin is /dev/null. Returns the pid,
// or -1.
int Spawn(std::vector<std::string> args, std::vector<std::string> env, const std::string& output) {
  std::vector<char*> argv = CStrings(args);
  std::vector<char*> envp = CStrings(env);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid != 0) return pid;
  // The child: only async-signal-safe calls from here on.
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) _exit(127);  // the parent died before prctl
  int out = ::open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  int in = ::open("/dev/null", O_RDONLY);
  if (out < 0 || in < 0) _exit(127);
  dup2(in, 0);
  dup2(out, 1);
  dup2(out, 2);
  execve(argv[0], argv.data(), envp.data());
  constexpr char kCannot[] = "cannot execute ";
  (void)!write(out, kCannot, sizeof kCannot - 1);
  (void)!write(out, argv[0], std::strlen(argv[0]));
  (void)!write(out, "\n", 1);
  _exit(127);
}

// "exit status N" or "signal N" for a wait status.
std::string DescribeExit(int status) {
  return WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                           : "signal " + std::to_string(WTERMSIG(status));
}

// Waits up to `timeout` for `pid`; its wait status, or -1 when it is still running.
int WaitExit(int pid, Clock::duration timeout) {
  Clock::time_point deadline = Clock::now() + timeout;
  do {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  } while (Clock::now() < deadline);
  return -1;
}

std::string MakeTempDir() {
  char name[] = "/tmp/lyt-bench-wire-XXXXXX";
  const char* dir = mkdtemp(name);
  return dir != nullptr ? dir : "";
}

}  // namespace

std::unique_ptr<LytdbServer> LytdbServer::Start(const std::string& binary, const std::string& work_dir,
                                                const std::vector<std::string>& extra_args, std::string* error) {
  std::unique_ptr<LytdbServer> server(new LytdbServer());
  server->own_work_dir_ = work_dir.empty();
  server->work_dir_ = work_dir.empty() ? MakeTempDir() : work_dir;
  if (server->work_dir_.empty()) {
    *error = std::string("cannot create a temporary directory: ") + std::strerror(errno);
    return nullptr;
  }
  server->password_ = RandomPassword();
  const std::string data_dir = server->work_dir_ + "/data";
  std::vector<std::string> args = {binary, "--data-dir", data_dir, "--listen", "127.0.0.1:0", "--resp", "127.0.0.1:0", "--http", "127.0.0.1:0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  server->pid_ = Spawn(args, ServerEnvironment(server->password_), server->work_dir_ + "/lytdb.out");
  if (server->pid_ < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    return nullptr;
  }
  // lytdb writes "pid\nport\nresp port\n" into DATA_DIR/lytdb.pid once it listens.
  Clock::time_point deadline = Clock::now() + kStartTimeout;
  while (Clock::now() < deadline) {
    std::istringstream pid_file(ReadAll(data_dir + "/lytdb.pid"));
    long pid = 0, port = 0;
    if (pid_file >> pid >> port && pid == server->pid_ && port > 0) {
      server->port_ = static_cast<uint16_t>(port);
      return server;
    }
    int status = 0;
    if (waitpid(server->pid_, &status, WNOHANG) == server->pid_) {
      server->pid_ = -1;
      *error = binary + " exited during start-up (" + DescribeExit(status) + "): " + server->OutputTail();
      return nullptr;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  *error = binary + " did not listen within " + std::to_string(kStartTimeout.count()) + " s: " + server->OutputTail();
  return nullptr;  // the destructor stops it
}

LytdbServer::~LytdbServer() {
  Stop();
  std::error_code ignored;
  if (own_work_dir_ && !work_dir_.empty()) fs::remove_all(work_dir_, ignored);
}

std::string LytdbServer::AdminUri() const {
  return "lyt://admin:" + password_ + "@127.0.0.1:" + std::to_string(port_) + "/main?tls=disable";
}

void LytdbServer::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = WaitExit(pid_, kStopTimeout);
  if (status < 0) {
    std::fprintf(stderr, "lyt_bench: lytdb (pid %d) still running %lld s after SIGTERM; killing it\n", pid_,
                 static_cast<long long>(kStopTimeout.count()));
    kill(pid_, SIGKILL);
    WaitExit(pid_, std::chrono::seconds(10));
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "lyt_bench: lytdb did not exit cleanly (%s): %s\n", DescribeExit(status).c_str(),
                 OutputTail().c_str());
  }
  pid_ = -1;
}

std::string LytdbServer::OutputTail() const {
  std::string output = ReadAll(work_dir_ + "/lytdb.out");
  constexpr size_t kTail = 2000;
  return output.size() > kTail ? "..." + output.substr(output.size() - kTail) : output;
}

std::string DefaultLytdbBinary() {
  std::error_code error;
  fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) return "lytdb";
  return (self.parent_path().parent_path() / "tools" / "lytdb").string();
}

}  // namespace lyt::bench
