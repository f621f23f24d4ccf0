#include "runner/report.h"

#include <cstdio>
#include <string>

#include "runner/json_text.h"

namespace lyt::bench {
namespace {

std::string FormatMs(double ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6f", ms);
  return buffer;
}

std::string JsonLine(const Record& r) {
  std::string line = "{\"engine\":" + JsonString(r.engine) + ",\"name\":" + JsonString(r.name) +
                     ",\"kind\":" + JsonString(r.kind);
  if (!r.version.empty()) line += ",\"version\":" + JsonString(r.version);
  if (r.median_ms) line += ",\"median_ms\":" + FormatMs(*r.median_ms);
  if (r.error.empty() && r.kind != "meta") {
    line += ",\"runs\":" + std::to_string(r.runs) + ",\"rows\":" + std::to_string(r.rows);
  }
  if (!r.result_json.empty()) line += ",\"result\":" + r.result_json;
  if (r.result_truncated) line += ",\"result_truncated\":true";
  if (!r.error.empty()) line += ",\"error\":" + JsonString(r.error);
  return line + "}";
}

std::string TextLine(const Record& r) {
  char head[160];
  std::snprintf(head, sizeof head, "%-7s %-22s %-6s ", r.engine.c_str(), r.name.c_str(),
                r.kind.c_str());
  if (!r.version.empty()) return head + r.version;
  if (!r.error.empty()) return head + ("ERROR " + r.error);
  char time[32] = "           -   ";
  if (r.median_ms) std::snprintf(time, sizeof time, "%12.3f ms", *r.median_ms);
  char tail[64];
  std::snprintf(tail, sizeof tail, "  runs %-6d rows %lld", r.runs, static_cast<long long>(r.rows));
  return head + std::string(time) + tail;
}

}  // namespace

void PrintRecord(const Record& record, bool json) {
  std::string line = json ? JsonLine(record) : TextLine(record);
  std::fprintf(stdout, "%s\n", line.c_str());
  std::fflush(stdout);
}

}  // namespace lyt::bench
