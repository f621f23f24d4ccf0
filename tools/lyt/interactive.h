// The shell's interactive mode: prompts, line editing, history.
#pragma once

#include <ostream>

#include "line_reader.h"
#include "shell.h"

namespace lyt::shell {

// Reads lines from `reader` until end of input, \q, or a bare "quit"/"exit", feeding them to
// `shell`. Errors are printed and the session goes on. Returns the exit status (0).
int RunInteractive(Shell& shell, LineReader& reader, std::ostream& out);

}  // namespace lyt::shell
