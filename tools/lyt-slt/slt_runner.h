// Runs parsed sqllogictest files against a fresh embedded LytDB, one database per file.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace lyt::slt {

struct RunnerOptions {
  // Engine names this run answers to in `skipif` / `onlyif`.
  std::vector<std::string> labels{"lytdb"};
  bool verbose = false;       // print every record before running it
  bool stop_on_fail = false;  // stop everything at the first failure
};

// Records run (statements and queries), and the ones skipped by conditions, halt or require.
struct Tally {
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;

  Tally& operator+=(const Tally& other) {
    passed += other.passed;
    failed += other.failed;
    skipped += other.skipped;
    return *this;
  }
};

// Runs the file at `path`; writes one line per failure (FILE:LINE: reason, then indented
// details) to `out`. An unreadable file or an unparsable record counts as a failure.
// Sets *stop when options.stop_on_fail is set and something failed.
Tally RunFile(const std::string& path, const RunnerOptions& options, std::ostream& out,
              bool* stop);

}  // namespace lyt::slt
