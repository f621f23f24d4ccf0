#include "read_input.h"

#include <cerrno>
#include <cstring>
#include <iostream>

namespace lyt::shell {

bool ScriptInput::Open(const std::string& path, std::string* error) {
  if (path == "-") {
    standard_input_ = true;
    return true;
  }
  file_.open(path, std::ios::binary);
  if (!file_) {
    *error = path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

std::istream& ScriptInput::stream() { return standard_input_ ? std::cin : file_; }

}  // namespace lyt::shell
