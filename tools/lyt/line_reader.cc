#include "line_reader.h"

#include <editline/readline.h>
#include <signal.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "completion.h"

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

// Completion state for libedit's C callbacks (one reader at a time).
struct CompletionState {
  TableNameSource tables;
  bool tables_loaded = false;  // reset for every line read
  std::vector<std::string> table_names;
  std::vector<std::string> matches;  // of the completion in progress
  size_t next_match = 0;              // the next of `matches` NextMatch returns
};
CompletionState* g_completion = nullptr;

// libedit's generator protocol: state 0 starts a completion; return malloc'ed words, then null.
char* NextMatch(const char*, int state) {
  size_t& next = g_completion->next_match;
  if (state == 0) next = 0;
  if (next >= g_completion->matches.size()) return nullptr;
  return strdup(g_completion->matches[next++].c_str());
}

char** Complete(const char* text, int start, int) {
  rl_attempted_completion_over = 1;  // never fall back to file names
  std::string_view prefix(text);
  bool at_line_start = std::string_view(rl_line_buffer, static_cast<size_t>(start))
                           .find_first_not_of(" \t") == std::string_view::npos;
  if (prefix.starts_with('\\') && !at_line_start) return nullptr;
  if (!prefix.starts_with('\\') && !g_completion->tables_loaded) {
    g_completion->table_names = g_completion->tables ? g_completion->tables()
                                                     : std::vector<std::string>();
    g_completion->tables_loaded = true;
  }
  g_completion->matches = CompletionCandidates(prefix, g_completion->table_names);
  if (g_completion->matches.empty()) return nullptr;
  return rl_completion_matches(text, NextMatch);
}

class EditLineReader : public LineReader {
 public:
  EditLineReader(std::string history_path, TableNameSource tables)
      : history_path_(std::move(history_path)) {
    completion_.tables = std::move(tables);
    g_completion = &completion_;
    rl_readline_name = const_cast<char*>("lyt");  // the section name for ~/.editrc
    rl_attempted_completion_function = Complete;
    // The default breaks words at '\', which would hide a backslash command's name.
    rl_basic_word_break_characters = " \t\n\"'`@$><=;|&{(),";
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
    rl_attempted_completion_function = nullptr;
    g_completion = nullptr;
    if (history_path_.empty()) return;
    // History may hold passwords (CREATE USER ... PASSWORD): the user's eyes only, as psql does.
    mode_t previous_mask = umask(077);
    if (write_history(history_path_.c_str()) == 0) chmod(history_path_.c_str(), 0600);
    umask(previous_mask);
  }

  InputLine ReadLine(const std::string& prompt) override {
    completion_.tables_loaded = false;  // tables may have changed since the last line
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
  CompletionState completion_;
  struct sigaction previous_action_;
};

}  // namespace

std::unique_ptr<LineReader> MakeEditLineReader(std::string history_path, TableNameSource tables) {
  return std::make_unique<EditLineReader>(std::move(history_path), std::move(tables));
}

std::string DefaultHistoryPath() {
  if (const char* path = std::getenv("LYT_HISTFILE"); path != nullptr && *path != '\0') return path;
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return {};
  return std::string(home) + "/.lyt_history";
}

}  // namespace lyt::shell
