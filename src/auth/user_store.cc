#include "auth/user_store.h"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <vector>

#include "common/error.h"

namespace lyt::auth {
namespace {

constexpr std::string_view kVerifierPrefix = "SCRAM-SHA-256$";

Status RoleMissing(const std::string& name) {
  return Status::Error(sqlstate::kUndefinedObject, "role \"" + name + "\" does not exist");
}

Status RoleExists(const std::string& name) {
  return Status::Error(sqlstate::kDuplicateObject, "role \"" + name + "\" already exists");
}

Status InvalidValue(std::string message) { return Status::Error(sqlstate::kInvalidParameterValue, std::move(message)); }

}  // namespace

const char* PrivilegeName(Privilege privilege) {
  switch (privilege) {
    case Privilege::None: return "NONE";
    case Privilege::Read: return "READ";
    case Privilege::Write: return "WRITE";
    case Privilege::Admin: return "ADMIN";
  }
  return "NONE";
}

std::optional<Privilege> PrivilegeFromName(std::string_view name) {
  std::string upper;
  for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (Privilege p : {Privilege::None, Privilege::Read, Privilege::Write, Privilege::Admin}) {
    if (upper == PrivilegeName(p)) return p;
  }
  return std::nullopt;
}

Status UserStore::MakeVerifier(const std::string& password, ScramVerifier* out) {
  if (password.empty()) return InvalidValue("password must not be empty");
  if (std::string_view(password).substr(0, kVerifierPrefix.size()) == kVerifierPrefix) {
    std::optional<ScramVerifier> parsed = ScramVerifier::Parse(password);
    if (!parsed) return InvalidValue("invalid SCRAM-SHA-256 verifier (expected SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>)");
    *out = std::move(*parsed);
    return Status::OK();
  }
  return ScramVerifier::Create(password, out);
}

std::optional<ScramVerifier> UserStore::Verifier(const std::string& user) const {
  std::shared_lock lock(mutex_);
  auto it = users_.find(user);
  if (it == users_.end()) return std::nullopt;
  return it->second.verifier;
}

bool UserStore::Exists(const std::string& user) const {
  std::shared_lock lock(mutex_);
  return users_.count(user) > 0;
}

bool UserStore::IsSuperuser(const std::string& user) const {
  std::shared_lock lock(mutex_);
  auto it = users_.find(user);
  return it != users_.end() && it->second.superuser;
}

Privilege UserStore::PrivilegeOn(const std::string& user, const std::string& database) const {
  std::shared_lock lock(mutex_);
  auto user_it = users_.find(user);
  if (user_it == users_.end()) return Privilege::None;
  if (user_it->second.superuser) return Privilege::Admin;
  auto it = grants_.find({user, database});
  return it == grants_.end() ? Privilege::None : it->second;
}

Status UserStore::CreateUser(const std::string& name, const std::string& password, bool superuser) {
  ScramVerifier verifier;
  Status s = MakeVerifier(password, &verifier);  // PBKDF2 runs outside the lock
  if (!s.ok()) return s;
  return Store(name, verifier, superuser);
}

Status UserStore::CreateUserWithVerifier(const std::string& name, const ScramVerifier& verifier, bool superuser) {
  return Store(name, verifier, superuser);
}

Status UserStore::Store(const std::string& name, const ScramVerifier& verifier, bool superuser) {
  if (name.empty()) return InvalidValue("user name must not be empty");
  std::unique_lock lock(mutex_);
  if (!users_.emplace(name, User{verifier, superuser}).second) return RoleExists(name);
  return Status::OK();
}

Status UserStore::SetPassword(const std::string& name, const std::string& password) {
  ScramVerifier verifier;
  Status s = MakeVerifier(password, &verifier);
  if (!s.ok()) return s;
  std::unique_lock lock(mutex_);
  auto it = users_.find(name);
  if (it == users_.end()) return RoleMissing(name);
  it->second.verifier = std::move(verifier);
  return Status::OK();
}

Status UserStore::SetSuperuser(const std::string& name, bool superuser) {
  std::unique_lock lock(mutex_);
  auto it = users_.find(name);
  if (it == users_.end()) return RoleMissing(name);
  it->second.superuser = superuser;
  return Status::OK();
}

Status UserStore::RenameUser(const std::string& name, const std::string& new_name) {
  if (new_name.empty()) return InvalidValue("user name must not be empty");
  std::unique_lock lock(mutex_);
  auto it = users_.find(name);
  if (it == users_.end()) return RoleMissing(name);
  if (name == new_name) return Status::OK();
  if (users_.count(new_name)) return RoleExists(new_name);
  auto node = users_.extract(it);
  node.key() = new_name;
  users_.insert(std::move(node));
  std::vector<std::pair<std::string, Privilege>> moved;
  for (auto g = grants_.lower_bound({name, ""}); g != grants_.end() && g->first.first == name;) {
    moved.emplace_back(g->first.second, g->second);
    g = grants_.erase(g);
  }
  for (auto& [database, privilege] : moved) grants_[{new_name, database}] = privilege;
  return Status::OK();
}

Status UserStore::DropUser(const std::string& name) {
  std::unique_lock lock(mutex_);
  if (users_.erase(name) == 0) return RoleMissing(name);
  for (auto g = grants_.lower_bound({name, ""}); g != grants_.end() && g->first.first == name;) g = grants_.erase(g);
  return Status::OK();
}

Status UserStore::Grant(const std::string& user, const std::string& database, Privilege privilege) {
  return ChangeGrant(user, database, privilege, /*revoke=*/false);
}

Status UserStore::Revoke(const std::string& user, const std::string& database, Privilege privilege) {
  return ChangeGrant(user, database, privilege, /*revoke=*/true);
}

// A grant raises the level to at least `privilege`; a revoke lowers it below `privilege`.
Status UserStore::ChangeGrant(const std::string& user, const std::string& database, Privilege privilege, bool revoke) {
  if (privilege == Privilege::None) return InvalidValue("privilege must be READ, WRITE or ADMIN");
  std::unique_lock lock(mutex_);
  if (!users_.count(user)) return RoleMissing(user);
  GrantKey key{user, database};
  auto it = grants_.find(key);
  Privilege held = it == grants_.end() ? Privilege::None : it->second;
  Privilege below = static_cast<Privilege>(static_cast<uint8_t>(privilege) - 1);
  Privilege now = revoke ? std::min(held, below) : std::max(held, privilege);
  if (now == Privilege::None) {
    if (it != grants_.end()) grants_.erase(it);
  } else {
    grants_[key] = now;
  }
  return Status::OK();
}

void UserStore::Clear() {
  std::unique_lock lock(mutex_);
  users_.clear();
  grants_.clear();
}

void UserStore::DropDatabase(const std::string& database) {
  std::unique_lock lock(mutex_);
  for (auto g = grants_.begin(); g != grants_.end();) g = g->first.second == database ? grants_.erase(g) : std::next(g);
}

void UserStore::ForEachUser(const std::function<void(const UserRecord&)>& visit) const {
  std::vector<UserRecord> users;
  {
    std::shared_lock lock(mutex_);
    for (const auto& [name, user] : users_) users.push_back({name, user.verifier, user.superuser});
  }
  for (const auto& user : users) visit(user);
}

void UserStore::ForEachGrant(const std::function<void(const GrantRecord&)>& visit) const {
  std::vector<GrantRecord> grants;
  {
    std::shared_lock lock(mutex_);
    for (const auto& [key, privilege] : grants_) grants.push_back({key.first, key.second, privilege});
  }
  for (const auto& grant : grants) visit(grant);
}

}  // namespace lyt::auth
