#include "crash_context.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace lyt::slt {

namespace {

// Filled before each record and only read by the signal handler, which may use nothing but
// async-signal-safe calls: so a fixed buffer, not a std::string.
char g_context[1024] = "";
size_t g_context_length = 0;

void Append(char* buffer, size_t* length, size_t capacity, std::string_view text) {
  size_t n = std::min(text.size(), capacity - *length);
  std::memcpy(buffer + *length, text.data(), n);
  *length += n;
}

void OnFatalSignal(int signal_number) {
  static const char kPrefix[] = "\nlyt-slt: crashed while running ";
  ssize_t ignored = write(STDERR_FILENO, kPrefix, sizeof kPrefix - 1);
  ignored = write(STDERR_FILENO, g_context, g_context_length);
  ignored = write(STDERR_FILENO, "\n", 1);
  (void)ignored;
  // Restore the default action and re-raise, so the exit status and core dump stay as they were.
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

}  // namespace

void InstallCrashHandler() {
  for (int signal_number : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) {
    struct sigaction action;
    std::memset(&action, 0, sizeof action);
    action.sa_handler = OnFatalSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(signal_number, &action, nullptr);
  }
}

void SetCrashContext(std::string_view path, int line, std::string_view sql) {
  char number[16];
  int digits = std::snprintf(number, sizeof number, ":%d: ", line);
  size_t length = 0;
  const size_t capacity = sizeof g_context - 1;
  Append(g_context, &length, capacity, path);
  Append(g_context, &length, capacity, std::string_view(number, static_cast<size_t>(digits)));
  Append(g_context, &length, capacity, sql.substr(0, 200));
  for (size_t i = 0; i < length; ++i) {
    if (g_context[i] == '\n') g_context[i] = ' ';
  }
  g_context_length = length;
}

}  // namespace lyt::slt
