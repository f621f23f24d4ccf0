// TEMPORARY SHIM
#pragma once
#include <chrono>
#include <string>
namespace lyt::auth {
class LoginThrottle {
 public:
  std::chrono::milliseconds DelayFor(const std::string&, const std::string&) { return std::chrono::milliseconds(0); }
  void RecordFailure(const std::string&, const std::string&) {}
  void RecordSuccess(const std::string&, const std::string&) {}
};
}
