// The workload file format shared with bench.mjs (see the header of ../shared/bench/queries.sql).
#pragma once

#include <string>
#include <vector>

namespace lyt::bench {

// @reset: run once, untimed, before everything else. @query: one warm-up, then timed runs, the
// median reported. @setup: run once, timed once.
enum class StepKind { kReset, kQuery, kSetup };

struct Step {
  StepKind kind;
  std::string name;
  std::string sql;  // one statement, without its trailing ';'
};

const char* StepKindName(StepKind kind);

// Parses a workload: a directive line ("-- @query NAME", "-- @setup NAME", "-- @reset NAME")
// starts a step whose statement is every following line up to the next directive, leaving out
// lines that are only a "--" comment or blank, and dropping the trailing ';'. Text before the
// first directive is ignored. Returns the steps in file order with every @reset moved first
// (keeping their relative order). On a malformed directive sets *error and returns {}.
std::vector<Step> ParseWorkload(const std::string& text, std::string* error);

// Reads a whole file; on failure sets *error and returns "".
std::string ReadFile(const std::string& path, std::string* error);

}  // namespace lyt::bench
