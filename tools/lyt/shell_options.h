// The lyt command line:
//   lyt [URI or PATH] [-c SQL]... [-f FILE]... [--format table|csv|json] [--timing]
//       [--help] [--version]
// Header-only: pure, unit-tested without the lyt program.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "output_format.h"

#ifndef LYT_VERSION
#include "lyt/version.h"
#endif

namespace lyt::shell {

inline constexpr const char* kHelpText =
    "lyt, the LytDB shell.\n"
    "\n"
    "Usage:\n"
    "  lyt [OPTIONS] [URI | PATH]\n"
    "\n"
    "Without URI or PATH, lyt opens a fresh in-memory database.\n"
    "  URI                    lyt://[user[:password]@]host[:port][/database][?options]: a\n"
    "                         LytDB server (see docs/connecting.md)\n"
    "  PATH                   a data directory opened in-process (created when missing; every commit goes to its write-ahead log)\n"
    "\n"
    "Options:\n"
    "  -c, --command=SQL      run SQL (or one backslash command), then exit; may repeat\n"
    "  -f, --file=FILE        run the statements in FILE ('-' for standard input), then exit;\n"
    "                         may repeat; -c and -f run in the order given\n"
    "      --format=FORMAT    output format: table (default), csv or json\n"
    "      --timing           print the time each statement took\n"
    "  -h, --help             show this help, then exit\n"
    "  -V, --version          show the version, then exit\n"
    "\n"
    "With -c or -f, or when standard input is not a terminal, lyt runs the statements in\n"
    "order and stops at the first one that fails (like psql -v ON_ERROR_STOP=1): it prints\n"
    "the error on standard error, runs nothing after it, and exits with status 1.\n"
    "When standard input is a terminal, lyt reads statements interactively; type \\? for the\n"
    "backslash commands.\n"
    "\n"
    "\n"
    "Environment:\n"
    "  LYT_PASSWORD           the server password when the URI has none (otherwise lyt asks\n"
    "                         on the terminal, or connects without one when not interactive)\n"
    "  LYT_HISTFILE           the history file (default ~/.lyt_history)\n"
    "\n"
    "Exit status: 0 on success, 1 when a statement failed or the server could not be reached,\n"
    "2 on a usage error.\n";

inline constexpr const char* kVersionText = "lyt (LytDB) " LYT_VERSION "\n";

// One -c or -f argument, in command-line order.
struct ScriptSource {
  enum class Kind { kCommand, kFile } kind = Kind::kCommand;
  std::string text;  // the SQL for kCommand, the path for kFile ("-" is standard input)
};

struct ShellOptions {
  std::string target;  // URI or PATH as given; empty: in-memory database
  std::vector<ScriptSource> sources;
  OutputFormat format = OutputFormat::kTable;
  bool timing = false;
  bool help = false;
  bool version = false;
};

struct ParsedArguments {
  ShellOptions options;
  std::string error;  // non-empty: a usage error, worded for "lyt: <error>"
};

enum class TargetKind { kInMemory, kServer, kDataDirectory };

inline TargetKind ClassifyTarget(std::string_view target) {
  if (target.empty()) return TargetKind::kInMemory;
  if (target.starts_with("lyt://")) return TargetKind::kServer;
  return TargetKind::kDataDirectory;
}

namespace detail {

// Matches `arg` against an option taking a value, in the forms "-c VALUE", "-cVALUE",
// "--command VALUE" and "--command=VALUE" (short_name may be empty). On a match stores the
// value, advancing *index past a separate value argument, and returns true; sets *error when
// the value is missing.
inline bool TakeValue(const std::vector<std::string_view>& args, size_t* index,
                      std::string_view short_name, std::string_view long_name, std::string* value,
                      std::string* error) {
  std::string_view arg = args[*index];
  bool separate = arg == long_name || (!short_name.empty() && arg == short_name);
  if (separate) {
    if (*index + 1 >= args.size()) {
      *error = "option " + std::string(arg) + " needs an argument";
      return true;
    }
    *value = std::string(args[++*index]);
    return true;
  }
  if (arg.size() > long_name.size() && arg.starts_with(long_name) && arg[long_name.size()] == '=') {
    *value = std::string(arg.substr(long_name.size() + 1));
    return true;
  }
  if (!short_name.empty() && arg.size() > short_name.size() && arg.starts_with(short_name)) {
    *value = std::string(arg.substr(short_name.size()));
    return true;
  }
  return false;
}

}  // namespace detail

// Parses the arguments after the program name. Never exits; the caller prints `error`.
inline ParsedArguments ParseArguments(const std::vector<std::string_view>& args) {
  ParsedArguments parsed;
  ShellOptions& options = parsed.options;
  std::string& error = parsed.error;
  bool options_done = false;  // after "--" every argument is a target
  for (size_t i = 0; i < args.size() && error.empty(); ++i) {
    std::string_view arg = args[i];
    std::string value;
    if (options_done || arg.empty() || arg[0] != '-' || arg == "-") {
      if (!options.target.empty()) {
        error = "too many arguments: '" + options.target + "' and '" + std::string(arg) + "'";
      }
      options.target = std::string(arg);
    } else if (arg == "--") {
      options_done = true;
    } else if (detail::TakeValue(args, &i, "-c", "--command", &value, &error)) {
      options.sources.push_back({ScriptSource::Kind::kCommand, value});
    } else if (detail::TakeValue(args, &i, "-f", "--file", &value, &error)) {
      options.sources.push_back({ScriptSource::Kind::kFile, value});
    } else if (detail::TakeValue(args, &i, "", "--format", &value, &error)) {
      if (error.empty() && !ParseOutputFormat(value, &options.format)) {
        error = "unknown output format '" + value + "' (use table, csv or json)";
      }
    } else if (arg == "--timing") {
      options.timing = true;
    } else if (arg == "-h" || arg == "--help") {
      options.help = true;
    } else if (arg == "-V" || arg == "--version") {
      options.version = true;
    } else {
      error = "unknown option '" + std::string(arg) + "'";
    }
  }
  return parsed;
}

}  // namespace lyt::shell
