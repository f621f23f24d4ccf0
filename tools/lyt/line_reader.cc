#include "line_reader.h"

#include <editline/readline.h>
#include <signal.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace lyt::shell {

namespace {

constexpr int kHistoryLimit = 2000;

// Set only around readline(): SIGINT then means "drop this line", otherwise the default action.
volatile sig_atomic_t g_at_prompt = 0;
volatile sig_atomic_t g_interrupted = 0;

void OnInterrupt(int signal_number) {
  if (g_at_prompt) {
    g_interrupted = 1;
    return;
  }
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

class EditLineReader : public LineReader {
 public:
  explicit EditLineReader(std::string history_path) : history_path_(std::move(history_path)) {
    rl_readline_name = const_cast<char*>("lyt");  // the section name for ~/.editrc
    using_history();
    stifle_history(kHistoryLimit);
    if (!history_path_.empty()) read_history(history_path_.c_str());
    struct sigaction action;
    std::memset(&action, 0, sizeof action);
    action.sa_handler = OnInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: the terminal read must return so readline gives up
    sigaction(SIGINT, &action, &previous_action_);
  }

  ~EditLineReader() override {
    sigaction(SIGINT, &previous_action_, nullptr);
    if (!history_path_.empty()) write_history(history_path_.c_str());
  }

  InputLine ReadLine(const std::string& prompt) override {
    g_interrupted = 0;
    g_at_prompt = 1;
    char* line = readline(prompt.c_str());
    g_at_prompt = 0;
    InputLine input;
    if (line != nullptr) {
      input.kind = InputLine::Kind::kLine;
      input.text = line;
      std::free(line);
    } else if (g_interrupted) {
      input.kind = InputLine::Kind::kInterrupted;
    }
    return input;
  }

  void AddHistory(const std::string& line) override { add_history(line.c_str()); }

 private:
  std::string history_path_;
  struct sigaction previous_action_;
};

}  // namespace

std::unique_ptr<LineReader> MakeEditLineReader(std::string history_path) {
  return std::make_unique<EditLineReader>(std::move(history_path));
}

std::string DefaultHistoryPath() {
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return {};
  return std::string(home) + "/.lyt_history";
}

}  // namespace lyt::shell
