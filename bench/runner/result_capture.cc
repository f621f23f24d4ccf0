#include "runner/result_capture.h"

#include <cmath>
#include <cstdio>

#include "runner/json_text.h"

namespace lyt::bench {
namespace {
constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53) - 1;  // largest exact JavaScript integer
}  // namespace

void CapturingVisitor::Null() { Cell("null"); }

void CapturingVisitor::Int(int64_t value) {
  std::string digits = std::to_string(value);
  bool exact = value >= -kMaxSafeInteger && value <= kMaxSafeInteger;
  Cell(exact ? digits : JsonString(digits));
}

void CapturingVisitor::Double(double value) {
  if (std::isnan(value)) {
    Cell("\"nan\"");
  } else if (std::isinf(value)) {
    Cell(value > 0 ? "\"inf\"" : "\"-inf\"");
  } else {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    Cell(buffer);
  }
}

void CapturingVisitor::Text(std::string_view value) { Cell(JsonString(value)); }

void CapturingVisitor::EndRow() {
  if (truncated()) return;
  if (!row_open_) OpenRow();
  json_ += ']';
  row_open_ = false;
}

void CapturingVisitor::OpenRow() {
  if (!json_.empty()) json_ += ',';
  json_ += '[';
  row_open_ = true;
}

void CapturingVisitor::Cell(const std::string& json) {
  if (++cells_ > kMaxCells) {
    json_.clear();
    return;
  }
  if (row_open_) {
    json_ += ',';
  } else {
    OpenRow();
  }
  json_ += json;
}

}  // namespace lyt::bench
