// Where a script comes from: a -f FILE argument, a \i FILE command, or piped standard input.
#pragma once

#include <fstream>
#include <istream>
#include <string>

namespace lyt::shell {

// A script's input stream, read line by line as it arrives (a pipe need not be closed before
// its first statements run).
class ScriptInput {
 public:
  // Opens `path`; "-" is standard input. False with "<path>: <errno's message>" in *error.
  bool Open(const std::string& path, std::string* error);
  std::istream& stream();

 private:
  std::ifstream file_;
  bool standard_input_ = false;
};

}  // namespace lyt::shell
