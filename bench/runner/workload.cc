#include "runner/workload.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string_view>

namespace lyt::bench {
namespace {

std::string_view Trim(std::string_view s) {
  const char* blank = " \t\r\n";
  size_t begin = s.find_first_not_of(blank);
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(blank);
  return s.substr(begin, end - begin + 1);
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// For "-- @kind name" returns true and fills kind/name; *malformed is set when the line looks
// like a directive but is not a valid one.
bool ParseDirective(std::string_view line, Step* step, bool* malformed) {
  if (!StartsWith(line, "--")) return false;
  std::string_view rest = Trim(line.substr(2));
  if (!StartsWith(rest, "@")) return false;
  size_t space = rest.find_first_of(" \t");
  std::string_view word = rest.substr(1, space == std::string_view::npos ? rest.npos : space - 1);
  std::string_view name = space == std::string_view::npos ? "" : Trim(rest.substr(space));
  if (word == "query") {
    step->kind = StepKind::kQuery;
  } else if (word == "setup") {
    step->kind = StepKind::kSetup;
  } else if (word == "reset") {
    step->kind = StepKind::kReset;
  } else {
    *malformed = true;
  }
  if (name.empty() || name.find_first_of(" \t") != std::string_view::npos) *malformed = true;
  step->name = std::string(name);
  return true;
}

void FinishStatement(Step* step) {
  std::string_view sql = Trim(step->sql);
  while (!sql.empty() && sql.back() == ';') sql = Trim(sql.substr(0, sql.size() - 1));
  step->sql = std::string(sql);
}

void MoveResetsFirst(std::vector<Step>* steps) {
  std::stable_partition(steps->begin(), steps->end(),
                        [](const Step& s) { return s.kind == StepKind::kReset; });
}

}  // namespace

const char* StepKindName(StepKind kind) {
  switch (kind) {
    case StepKind::kReset: return "reset";
    case StepKind::kQuery: return "query";
    case StepKind::kSetup: return "setup";
  }
  return "?";
}

std::vector<Step> ParseWorkload(const std::string& text, std::string* error) {
  std::vector<Step> steps;
  std::istringstream in(text);
  std::string raw;
  for (int line_number = 1; std::getline(in, raw); ++line_number) {
    std::string_view line = Trim(raw);
    Step directive;
    bool malformed = false;
    if (ParseDirective(line, &directive, &malformed)) {
      if (malformed) {
        *error = "line " + std::to_string(line_number) + ": malformed directive: " + raw;
        return {};
      }
      if (!steps.empty()) FinishStatement(&steps.back());
      steps.push_back(std::move(directive));
    } else if (!steps.empty() && !line.empty() && !StartsWith(line, "--")) {
      steps.back().sql.append(raw).append("\n");
    }
  }
  if (!steps.empty()) FinishStatement(&steps.back());
  for (const Step& step : steps) {
    if (step.sql.empty()) {
      *error = "step " + step.name + " has no statement";
      return {};
    }
  }
  MoveResetsFirst(&steps);
  return steps;
}

std::string ReadFile(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path;
    return "";
  }
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace lyt::bench
