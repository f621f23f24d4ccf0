#include "common/error.h"

#include <algorithm>

namespace lyt {

void ThrowSyntax(std::string message, int position) {
  throw Error(sqlstate::kSyntaxError, std::move(message), position);
}

void ThrowInternal(std::string message) {
  throw Error(sqlstate::kInternalError, "internal error: " + std::move(message));
}

Status ToStatus(const Error& error, std::string_view sql) {
  int line = 0, column = 0;
  if (error.position() >= 0) {
    size_t pos = std::min<size_t>(static_cast<size_t>(error.position()), sql.size());
    line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < pos; ++i) {
      if (sql[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    column = static_cast<int>(pos - line_start) + 1;
  }
  return Status::Error(error.sqlstate(), error.what(), line, column);
}

}  // namespace lyt
