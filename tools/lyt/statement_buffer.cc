#include "statement_buffer.h"

#include <utility>

#include "lyt/database.h"

namespace lyt::shell {

namespace {

bool IsBlankOrComment(std::string_view line) {
  size_t first = line.find_first_not_of(" \t\r\f\v");
  return first == std::string_view::npos || line.substr(first).starts_with("--");
}

}  // namespace

void StatementBuffer::AddLine(std::string_view line) {
  if (text_.empty() && IsBlankOrComment(line)) return;
  if (!text_.empty()) text_ += '\n';
  text_.append(line);
  // Text can only become complete on a line with a ';'; the caller takes it once complete.
  complete_ = line.find(';') != std::string_view::npos && IsCompleteStatement(text_);
}

std::string StatementBuffer::Take() {
  complete_ = false;
  return std::exchange(text_, std::string());
}

}  // namespace lyt::shell
