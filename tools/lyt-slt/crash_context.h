// Names the record being run when lyt-slt dies from a signal, so an engine crash in a file of
// ten thousand queries points at its line.
#pragma once

#include <string_view>

namespace lyt::slt {

// Installs handlers for SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT that print the current
// record ("lyt-slt: crashed while running FILE:LINE: SQL") to stderr, then die as before.
void InstallCrashHandler();

// Records what is running now; cheap enough to call before every record.
void SetCrashContext(std::string_view path, int line, std::string_view sql);

}  // namespace lyt::slt
