#include "interactive.h"

#include <string>
#include <string_view>

#include "shell_options.h"

namespace lyt::shell {

namespace {

std::string_view Trimmed(std::string_view line) {
  size_t begin = line.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  size_t end = line.find_last_not_of(" \t\r;");
  return end == std::string_view::npos || end < begin ? std::string_view()
                                                      : line.substr(begin, end - begin + 1);
}

}  // namespace

int RunInteractive(Shell& shell, LineReader& reader, std::ostream& out) {
  out << "lyt (LytDB " LYT_VERSION "), " << shell.backend().Summary() << ".\n"
      << "Type \\? for help, \\q to quit.\n\n";
  while (!shell.quit_requested()) {
    out.flush();  // readline writes the prompt itself, past our stream's buffer
    InputLine input = reader.ReadLine(shell.Prompt());
    if (input.kind == InputLine::Kind::kEnd) {
      out << '\n';  // end of input after a prompt: leave the terminal on a fresh line
      break;
    }
    if (input.kind == InputLine::Kind::kInterrupted) {
      out << '\n';
      shell.DiscardStatement();  // like psql: Ctrl-C drops the statement being typed
      continue;
    }
    std::string_view word = Trimmed(input.text);
    if (!word.empty()) reader.AddHistory(input.text);
    if (!shell.in_statement() && (word == "quit" || word == "exit")) break;
    shell.FeedLine(input.text);  // failures are reported by the shell; the session goes on
  }
  out.flush();
  return 0;
}

}  // namespace lyt::shell
