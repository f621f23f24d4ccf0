// Reading input lines from a terminal, with line editing and history (libedit).
#pragma once

#include <memory>
#include <string>

namespace lyt::shell {

struct InputLine {
  enum class Kind {
    kLine,         // `text` holds the line, without its line end
    kInterrupted,  // Ctrl-C at the prompt: the caller drops what was typed so far
    kEnd,          // end of input (Ctrl-D)
  } kind = Kind::kEnd;
  std::string text;
};

class LineReader {
 public:
  virtual ~LineReader() = default;
  // Shows `prompt` and reads one line.
  virtual InputLine ReadLine(const std::string& prompt) = 0;
  virtual void AddHistory(const std::string& line) = 0;
};

// A libedit reader. History is loaded from `history_path` and saved back when the reader is
// destroyed, best effort (an empty path or an unwritable file just means no saved history).
// While it exists, Ctrl-C at the prompt interrupts the line; Ctrl-C at any other time (while a
// statement runs: the engine has no cancellation yet) ends the process as before.
std::unique_ptr<LineReader> MakeEditLineReader(std::string history_path);

// ~/.lyt_history, or empty when HOME is not set.
std::string DefaultHistoryPath();

}  // namespace lyt::shell
