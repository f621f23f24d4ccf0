// Command line of lyt-slt: `lyt-slt [--label NAME]... [--verbose] [--stop-on-fail] FILE...`.
// Header-only and dependency-free so unit tests can check it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "slt_runner.h"

namespace lyt::slt {

inline constexpr const char* kUsage =
    "Usage: lyt-slt [OPTIONS] FILE...\n"
    "Runs sqllogictest files, each against a fresh in-memory LytDB database.\n"
    "\n"
    "Options:\n"
    "  --label NAME        engine name for skipif/onlyif (default: lytdb; may repeat)\n"
    "  -v, --verbose       print every record before running it\n"
    "  -x, --stop-on-fail  stop at the first failure\n"
    "  -h, --help          show this help\n"
    "\n"
    "Prints one line per failure (FILE:LINE: reason) and ends with\n"
    "'N passed, M failed, K skipped'. Exit status: 0 when nothing failed, 1 when something\n"
    "failed, 2 on a usage error.\n";

struct CommandLine {
  RunnerOptions options;
  std::vector<std::string> files;
  bool help = false;
  std::string error;  // non-empty: a usage error
};

inline CommandLine ParseCommandLine(const std::vector<std::string_view>& args) {
  CommandLine line;
  bool default_label = true;
  bool options_done = false;  // after "--" every argument is a file
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (options_done || arg.empty() || arg[0] != '-' || arg == "-") {
      line.files.emplace_back(arg);
    } else if (arg == "--") {
      options_done = true;
    } else if (arg == "--label" || arg.starts_with("--label=")) {
      std::string_view name;
      if (arg == "--label") {
        if (i + 1 >= args.size()) {
          line.error = "--label needs a NAME";
          return line;
        }
        name = args[++i];
      } else {
        name = arg.substr(8);
      }
      if (default_label) line.options.labels.clear();
      default_label = false;
      line.options.labels.emplace_back(name);
    } else if (arg == "-v" || arg == "--verbose") {
      line.options.verbose = true;
    } else if (arg == "-x" || arg == "--stop-on-fail") {
      line.options.stop_on_fail = true;
    } else if (arg == "-h" || arg == "--help") {
      line.help = true;
    } else {
      line.error = "unknown option '" + std::string(arg) + "'";
      return line;
    }
  }
  if (!line.help && line.files.empty()) line.error = "no test files given";
  return line;
}

}  // namespace lyt::slt
