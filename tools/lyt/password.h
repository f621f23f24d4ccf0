// Where the shell's password for a server comes from when the URI has none.
#pragma once

#include <optional>
#include <string>

namespace lyt::shell {

// The password for `user`: $LYT_PASSWORD when set; else, when `may_prompt` (standard input is
// a terminal), what the user types on /dev/tty after "Password for user NAME: " with echo off;
// else none (the client then sends an empty password and the server's error speaks).
// Ctrl-C at the prompt restores the terminal and ends the process as usual.
std::optional<std::string> FindPassword(const std::string& user, bool may_prompt);

}  // namespace lyt::shell
