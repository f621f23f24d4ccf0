// Collects input lines until they form complete SQL statements (the shell's query buffer).
#pragma once

#include <string>
#include <string_view>

namespace lyt::shell {

class StatementBuffer {
 public:
  // Appends one line of input (without its line end). Blank lines and whole-line "--" comments
  // are dropped while the buffer is empty, so they neither start a statement nor shift the line
  // numbers of its errors.
  void AddLine(std::string_view line);

  // True when the buffer ends with a ';' that closes a statement (lyt::IsCompleteStatement).
  // Only rechecked after a line containing ';', so a long statement stays linear to read.
  bool complete() const { return complete_; }
  bool empty() const { return text_.empty(); }
  const std::string& text() const { return text_; }

  // Returns the buffered text and empties the buffer.
  std::string Take();

 private:
  std::string text_;
  bool complete_ = false;
};

}  // namespace lyt::shell
