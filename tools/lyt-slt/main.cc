// lyt-slt: runs sqllogictest files against the embedded engine (see slt_options.h for usage).
#include <iostream>
#include <string_view>
#include <vector>

#include "crash_context.h"
#include "slt_options.h"
#include "slt_runner.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string_view> args(argv + 1, argv + argc);
  lyt::slt::CommandLine command_line = lyt::slt::ParseCommandLine(args);
  if (command_line.help) {
    std::cout << lyt::slt::kUsage;
    return 0;
  }
  if (!command_line.error.empty()) {
    std::cerr << "lyt-slt: " << command_line.error << "\n" << lyt::slt::kUsage;
    return 2;
  }
  lyt::slt::InstallCrashHandler();
  lyt::slt::Tally total;
  for (const std::string& file : command_line.files) {
    bool stop = false;
    total += lyt::slt::RunFile(file, command_line.options, std::cout, &stop);
    if (stop) break;
  }
  std::cout << total.passed << " passed, " << total.failed << " failed, " << total.skipped
            << " skipped" << std::endl;
  return total.failed > 0 ? 1 : 0;
}
