// TEMPORARY SHIM (replaced by feat-users)
#pragma once
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include "auth/scram.h"
#include "lyt/status.h"
namespace lyt::auth {
class UserStore {
 public:
  std::optional<ScramVerifier> Verifier(const std::string& user) const {
    std::lock_guard l(m_); auto it = users_.find(user); if (it == users_.end()) return std::nullopt; return it->second;
  }
  Status CreateUser(const std::string& name, const std::string& password, bool) {
    ScramVerifier v;
    if (auto p = ScramVerifier::Parse(password)) v = *p; else { Status s = ScramVerifier::Create(password, &v); if (!s.ok()) return s; }
    std::lock_guard l(m_); users_[name] = v; return Status::OK();
  }
 private:
  mutable std::mutex m_;
  std::map<std::string, ScramVerifier> users_;
};
}
