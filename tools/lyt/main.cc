// lyt: the LytDB shell. Usage in shell_options.h.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "interactive.h"
#include "line_reader.h"
#include "lyt/database.h"
#include "shell.h"
#include "shell_options.h"

namespace {

using lyt::shell::ScriptSource;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// Reads all of `path` ("-" is standard input) into *text; false with errno's message in *error.
bool ReadInput(const std::string& path, std::string* text, std::string* error) {
  if (path == "-") {
    text->assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": " + std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *text = std::move(buffer).str();
  return true;
}

// Runs the -c and -f arguments in order, stopping at the first failure or \q.
int RunSources(lyt::shell::Shell& shell, const std::vector<ScriptSource>& sources) {
  for (const ScriptSource& source : sources) {
    bool ok = true;
    if (source.kind == ScriptSource::Kind::kCommand) {
      ok = shell.RunCommand(source.text);
    } else {
      std::string text, error;
      if (!ReadInput(source.text, &text, &error)) {
        std::cout.flush();
        std::cerr << "lyt: " << error << '\n';
        return kExitFailed;
      }
      ok = shell.RunScript(text);
    }
    if (!ok) return kExitFailed;
    if (shell.quit_requested()) break;
  }
  return kExitOk;
}

int UsageError(const std::string& message) {
  std::cerr << "lyt: " << message << "\nTry 'lyt --help' for more information.\n";
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string_view> args(argv + 1, argv + argc);
  lyt::shell::ParsedArguments parsed = lyt::shell::ParseArguments(args);
  if (!parsed.error.empty()) return UsageError(parsed.error);
  const lyt::shell::ShellOptions& options = parsed.options;
  if (options.help) {
    std::cout << lyt::shell::kHelpText;
    return kExitOk;
  }
  if (options.version) {
    std::cout << lyt::shell::kVersionText;
    return kExitOk;
  }
  switch (lyt::shell::ClassifyTarget(options.target)) {
    case lyt::shell::TargetKind::kServer:
      std::cerr << "lyt: connecting to a server is not supported yet (" << options.target << ")\n";
      return kExitUsage;
    case lyt::shell::TargetKind::kDataDirectory:
      std::cerr << "lyt: opening a data directory is not supported yet (" << options.target
                << ")\n";
      return kExitUsage;
    case lyt::shell::TargetKind::kInMemory:
      break;
  }

  std::unique_ptr<lyt::Database> database;
  lyt::Status status = lyt::Database::Open({}, &database);
  if (!status.ok()) {
    std::cerr << "lyt: cannot open a database: " << status.ToString() << '\n';
    return kExitFailed;
  }
  std::unique_ptr<lyt::Connection> connection = database->Connect();
  lyt::shell::Shell shell(*connection, {options.format, options.timing}, std::cout, std::cerr);

  int exit_code = kExitOk;
  if (!options.sources.empty()) {
    exit_code = RunSources(shell, options.sources);
  } else if (isatty(STDIN_FILENO)) {
    auto reader = lyt::shell::MakeEditLineReader(lyt::shell::DefaultHistoryPath());
    exit_code = lyt::shell::RunInteractive(shell, *reader, std::cout);
  } else {
    exit_code = RunSources(shell, {{ScriptSource::Kind::kFile, "-"}});
  }
  std::cout.flush();
  return exit_code;
}
