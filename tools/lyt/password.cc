#include "password.h"

#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace lyt::shell {

namespace {

volatile sig_atomic_t g_prompt_interrupted = 0;

void OnPromptInterrupt(int) { g_prompt_interrupted = 1; }

void WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

// Reads up to a line end or end of input from `fd`; false when interrupted by a signal.
bool ReadLine(int fd, std::string* line) {
  char c;
  while (true) {
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) {
      if (g_prompt_interrupted) return false;
      continue;
    }
    if (n <= 0 || c == '\n' || c == '\r') return true;
    *line += c;
  }
}

// Prompts on the terminal with echo off. nullopt when there is no terminal to ask.
std::optional<std::string> Prompt(const std::string& prompt) {
  int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  termios saved;
  bool restore = ::tcgetattr(fd, &saved) == 0;
  if (restore) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  // Without SA_RESTART, so Ctrl-C ends the read and the terminal gets its echo back first.
  struct sigaction action, previous;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = OnPromptInterrupt;
  sigemptyset(&action.sa_mask);
  g_prompt_interrupted = 0;
  ::sigaction(SIGINT, &action, &previous);
  WriteAll(fd, prompt);
  std::string password;
  bool complete = ReadLine(fd, &password);
  if (restore) ::tcsetattr(fd, TCSAFLUSH, &saved);
  ::sigaction(SIGINT, &previous, nullptr);
  if (!restore) WriteAll(fd, "\n");
  ::close(fd);
  if (!complete) {
    WriteAll(STDERR_FILENO, "\n");
    ::raise(SIGINT);
    std::exit(130);  // SIGINT was ignored by whoever started us
  }
  return password;
}

}  // namespace

std::optional<std::string> FindPassword(const std::string& user, bool may_prompt) {
  if (const char* env = std::getenv("LYT_PASSWORD"); env != nullptr) return std::string(env);
  if (!may_prompt) return std::nullopt;
  return Prompt("Password for user " + user + ": ");
}

}  // namespace lyt::shell
