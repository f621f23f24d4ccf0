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
  kExpanded,       // \x [on|off]: one "column | value" block per row
  kFormat,         // \format [table|csv|json]
  kConnect,        // \c NAME or \connect NAME: another database
  kConnInfo,       // \conninfo: what the shell is connected to
  kListDatabases,  // \l: SHOW DATABASES
  kListTables,     // \dt: SHOW TABLES
  kDescribe,       // \d: SHOW TABLES; \d NAME: DESCRIBE NAME
  kListUsers,      // \du: SHOW USERS
  kInclude,        // \i FILE: run the statements in FILE
  kUnknown,
};

// One backslash command: its names (the first is the one help shows), its arguments as help
// shows them, and what it does. The table below drives recognition, \? and tab completion.
struct MetaCommandSpec {
  MetaCommandKind kind;
  std::vector<std::string_view> names;
  std::string_view usage;  // arguments after the name, for help
  std::string_view help;
};

inline const std::vector<MetaCommandSpec>& MetaCommandSpecs() {
  static const std::vector<MetaCommandSpec> specs = {
      {MetaCommandKind::kQuit, {"\\q", "\\quit"}, "", "quit"},
      {MetaCommandKind::kHelp, {"\\?", "\\help", "\\h"}, "", "show this help"},
      {MetaCommandKind::kConnInfo, {"\\conninfo"}, "", "say what the shell is connected to"},
      {MetaCommandKind::kConnect, {"\\c", "\\connect"}, "NAME",
       "switch to database NAME (on a server: a new connection, same user)"},
      {MetaCommandKind::kListDatabases, {"\\l", "\\list"}, "", "list databases (SHOW DATABASES)"},
      {MetaCommandKind::kListTables, {"\\dt"}, "", "list tables (SHOW TABLES)"},
      {MetaCommandKind::kDescribe, {"\\d"}, "[NAME]",
       "describe table NAME (DESCRIBE NAME); without NAME list tables"},
      {MetaCommandKind::kListUsers, {"\\du"}, "", "list users (SHOW USERS)"},
      {MetaCommandKind::kInclude, {"\\i", "\\include"}, "FILE", "run the statements in FILE"},
      {MetaCommandKind::kTiming, {"\\timing"}, "[on|off]",
       "print how long each statement takes (no argument: toggle)"},
      {MetaCommandKind::kExpanded, {"\\x"}, "[on|off]",
       "expanded display: \"column | value\" lines per row (no argument: toggle)"},
      {MetaCommandKind::kFormat, {"\\format"}, "[table|csv|json]",
       "set the output format (no argument: show it)"},
  };
  return specs;
}

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

inline char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

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
  for (const MetaCommandSpec& spec : MetaCommandSpecs()) {
    for (std::string_view known : spec.names) {
      if (name == known) return spec.kind;
    }
  }
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

// The help for every backslash command, one line each ("  \c, \connect NAME   switch ..."):
// its names, its arguments, what it does.
inline std::string MetaCommandHelp() {
  constexpr size_t kHelpColumn = 24;
  std::string text;
  for (const MetaCommandSpec& spec : MetaCommandSpecs()) {
    std::string call = "  " + std::string(spec.names[0]);
    for (size_t i = 1; i < spec.names.size(); ++i) call += ", " + std::string(spec.names[i]);
    if (!spec.usage.empty()) call += " " + std::string(spec.usage);
    text += call;
    text += call.size() + 1 < kHelpColumn ? std::string(kHelpColumn - call.size(), ' ')
                                          : "\n" + std::string(kHelpColumn, ' ');
    text += std::string(spec.help) + "\n";
  }
  return text;
}

// The name an SQL identifier argument of a backslash command stands for, by the lexer's rules:
// "Quoted" keeps its case (with "" for a quote), anything else is folded to lower case.
inline std::string IdentifierFromArgument(std::string_view arg) {
  std::string name;
  if (arg.size() >= 2 && arg.front() == '"' && arg.back() == '"') {
    for (size_t i = 1; i + 1 < arg.size(); ++i) {
      name += arg[i];
      if (arg[i] == '"' && arg[i + 1] == '"') ++i;
    }
    return name;
  }
  for (char c : arg) name += detail::AsciiLower(c);
  return name;
}

}  // namespace lyt::shell
