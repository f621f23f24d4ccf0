#include "lyt/status.h"

namespace lyt {

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out = "ERROR " + sqlstate_ + ": " + message_;
  if (line_ > 0) out += " (line " + std::to_string(line_) + ", column " + std::to_string(column_) + ")";
  return out;
}

}  // namespace lyt
