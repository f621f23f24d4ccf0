// The shell's backslash commands (\q, \timing, \d ...): recognising and splitting them.
// Header-only: pure text work, unit-tested without the lyt program.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lyt::shell {

enum class MetaCommandKind {
  kQuit,           // \q
  kHelp,           // \? or \help
  kTiming,         // \timing [on|off]
  kConnect,        // \c NAME or \connect NAME: USE NAME
  kDescribe,       // \d: SHOW TABLES; \d NAME: DESCRIBE NAME
  kListDatabases,  // \l: SHOW DATABASES
  kFormat,         // \format [table|csv|json]
  kUnknown,
};

struct MetaCommand {
  MetaCommandKind kind = MetaCommandKind::kUnknown;
  std::string name;               // as typed, with its backslash: "\timing"
  std::vector<std::string> args;  // double-quoted arguments keep their quotes (SQL identifiers)
};

// True when `line` is a backslash command: its first non-blank character is '\'.
inline bool IsMetaCommand(std::string_view line) {
  size_t first = line.find_first_not_of(" \t");
  return first != std::string_view::npos && line[first] == '\\';
}

namespace detail {

// Splits on blanks; a double-quoted run ("my table", with "" for a quote) stays one argument.
inline std::vector<std::string> SplitMetaArguments(std::string_view text) {
  std::vector<std::string> args;
  size_t i = 0;
  while (true) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
    if (i >= text.size()) return args;
    std::string arg;
    bool quoted = false;
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (!quoted && (c == ' ' || c == '\t' || c == '\r')) break;
      if (c == '"') quoted = !quoted;
      arg += c;
    }
    args.push_back(std::move(arg));
  }
}

inline MetaCommandKind KindOf(std::string_view name) {
  if (name == "\\q" || name == "\\quit") return MetaCommandKind::kQuit;
  if (name == "\\?" || name == "\\help" || name == "\\h") return MetaCommandKind::kHelp;
  if (name == "\\timing") return MetaCommandKind::kTiming;
  if (name == "\\c" || name == "\\connect") return MetaCommandKind::kConnect;
  if (name == "\\d" || name == "\\dt") return MetaCommandKind::kDescribe;
  if (name == "\\l" || name == "\\list") return MetaCommandKind::kListDatabases;
  if (name == "\\format") return MetaCommandKind::kFormat;
  return MetaCommandKind::kUnknown;
}

}  // namespace detail

// Parses a line for which IsMetaCommand is true. The command name runs from the backslash to
// the first blank; a trailing ';' on the name or the last argument is dropped, as users type
// "\c db;" or "\d;".
inline MetaCommand ParseMetaCommand(std::string_view line) {
  MetaCommand command;
  size_t start = line.find('\\');
  if (start == std::string_view::npos) return command;
  size_t end = line.find_first_of(" \t\r", start);
  if (end == std::string_view::npos) end = line.size();
  command.name = std::string(line.substr(start, end - start));
  if (command.name.size() > 2 && command.name.back() == ';') command.name.pop_back();
  command.kind = detail::KindOf(command.name);
  command.args = detail::SplitMetaArguments(line.substr(end));
  if (!command.args.empty()) {
    std::string& last = command.args.back();
    if (last.size() > 1 && last.back() == ';') last.pop_back();
  }
  return command;
}

}  // namespace lyt::shell
