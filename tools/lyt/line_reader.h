// Reading input lines from a terminal, with line editing and history (libedit).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

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

// Lists the table names tab completion offers; called at most once per line read, on the
// first Tab that needs them.
using TableNameSource = std::function<std::vector<std::string>()>;

// A libedit reader. History (the last 2000 lines) is loaded from `history_path` and saved back,
// readable by the user alone, when the reader is destroyed, best effort (an empty path or an
// unwritable file just means no saved history). Tab completes SQL key words, backslash commands
// and the names `tables` gives (see completion.h). Only one reader may exist at a time. While it
// exists, Ctrl-C at the prompt interrupts the line; Ctrl-C at any other time ends the process as
// before.
std::unique_ptr<LineReader> MakeEditLineReader(std::string history_path, TableNameSource tables);

// $LYT_HISTFILE when set and not empty, else ~/.lyt_history, else empty (HOME not set).
std::string DefaultHistoryPath();

}  // namespace lyt::shell
