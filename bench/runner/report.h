// One line of lyt_bench output per measured step, as JSON or as text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace lyt::bench {

// A measurement or a failure. kind is "meta", "schema", "load", "reset", "query" or "setup".
struct Record {
  std::string engine;
  std::string name;
  std::string kind;
  std::optional<double> median_ms;
  int runs = 0;
  int64_t rows = 0;
  std::string result_json;   // the warm-up run's rows (queries only), see result_capture.h
  bool result_truncated = false;  // the result was too large to keep
  std::string error;    // set when the engine failed the step
  std::string version;  // meta only
};

// Writes `record` as one line to stdout and flushes, so a driver reading the pipe sees every
// finished step even if the process dies later. JSON lines hold the fields that are set.
void PrintRecord(const Record& record, bool json);

}  // namespace lyt::bench
