// lyt: the LytDB shell. Usage in shell_options.h.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "backend.h"
#include "interactive.h"
#include "line_reader.h"
#include "password.h"
#include "read_input.h"
#include "shell.h"
#include "shell_options.h"

namespace {

using lyt::shell::ScriptSource;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// Runs the -c and -f arguments in order, stopping at the first failure or \q.
int RunSources(lyt::shell::Shell& shell, const std::vector<ScriptSource>& sources) {
  for (const ScriptSource& source : sources) {
    bool ok = true;
    if (source.kind == ScriptSource::Kind::kCommand) {
      ok = shell.RunCommand(source.text);
    } else {
      lyt::shell::ScriptInput input;
      std::string error;
      if (!input.Open(source.text, &error)) {
        std::cout.flush();
        std::cerr << "lyt: " << error << '\n';
        return kExitFailed;
      }
      ok = shell.RunScript(input.stream());
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

// Connects to the server `target` names. The password: the URI's, else LYT_PASSWORD, else a
// prompt when standard input is a terminal. Returns an exit status (kExitOk when connected).
int ConnectToServer(const std::string& target, std::unique_ptr<lyt::shell::Backend>* out) {
  lyt::shell::RemoteSettings settings;
  lyt::Status status = lyt::ParseConnectionUri(target, &settings.uri);
  if (!status.ok()) return UsageError(status.message());
  if (settings.uri.user.empty()) settings.uri.user = lyt::shell::LoginName();
  if (!settings.uri.password) {
    settings.options.password =
        lyt::shell::FindPassword(settings.uri.user, isatty(STDIN_FILENO) != 0);
  }
  settings.options.client_name = "lyt " LYT_VERSION;
  std::string shown = lyt::FormatConnectionUri(settings.uri, /*with_password=*/false);
  status = lyt::shell::ConnectRemoteBackend(std::move(settings), out);
  if (!status.ok()) {
    std::cerr << "lyt: connection to " << shown << " failed: " << status.sqlstate() << ": "
              << status.message() << '\n';
    return kExitFailed;
  }
  return kExitOk;
}

// Opens what the command line names: a server (lyt://...), a data directory opened in-process
// (with the durability of the server: write-ahead log, fsync always), or, without a target, a
// fresh in-memory database. Returns an exit status (kExitOk when open).
int OpenBackend(const std::string& target, std::unique_ptr<lyt::shell::Backend>* out) {
  std::string data_dir;
  switch (lyt::shell::ClassifyTarget(target)) {
    case lyt::shell::TargetKind::kServer:
      return ConnectToServer(target, out);
    case lyt::shell::TargetKind::kDataDirectory:
      data_dir = target;
      break;
    case lyt::shell::TargetKind::kInMemory:
      break;
  }
  lyt::Status status = lyt::shell::OpenEmbeddedBackend(data_dir, out);
  if (!status.ok()) {
    std::cerr << "lyt: cannot open a database: " << status.ToString() << '\n';
    return kExitFailed;
  }
  return kExitOk;
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
  std::unique_ptr<lyt::shell::Backend> backend;
  if (int status = OpenBackend(options.target, &backend); status != kExitOk) return status;
  lyt::shell::Shell shell(*backend, {options.format, options.timing, false}, std::cout, std::cerr);

  int exit_code = kExitOk;
  if (!options.sources.empty()) {
    exit_code = RunSources(shell, options.sources);
  } else if (isatty(STDIN_FILENO)) {
    auto reader = lyt::shell::MakeEditLineReader(lyt::shell::DefaultHistoryPath(),
                                                 [&shell] { return shell.TableNames(); });
    exit_code = lyt::shell::RunInteractive(shell, *reader, std::cout);
  } else {
    exit_code = RunSources(shell, {{ScriptSource::Kind::kFile, "-"}});
  }
  std::cout.flush();
  return exit_code;
}
