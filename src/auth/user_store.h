// The users of a LytDB instance and their per-database privileges (docs/security.md).
//
// A user is a name, a SCRAM-SHA-256 verifier (passwords are never kept in clear) and a superuser
// flag. A grant gives one user one privilege level on one database; superusers hold every
// privilege everywhere without grants. The store does not know the catalog: callers check that
// a database exists before granting on it, and call DropDatabase when one is dropped.
//
// The write-ahead log (src/durability) writes users and grants out through ForEachUser /
// ForEachGrant and reads them back with CreateUser / Grant.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>

#include "auth/scram.h"
#include "lyt/status.h"

namespace lyt::auth {

// Privilege levels on a database, ordered: each includes the ones below it.
//   Read:  query the database (SELECT, SHOW, DESCRIBE, EXPLAIN, USE, SET)
//   Write: Read, plus change rows and tables, views and indexes
//   Admin: Write, plus GRANT / REVOKE on the database and DROP DATABASE
enum class Privilege : uint8_t { None, Read, Write, Admin };

// "NONE", "READ", "WRITE", "ADMIN".
const char* PrivilegeName(Privilege privilege);
// The level named `name` (case-insensitive: "read", "WRITE", ...); nullopt for anything else.
std::optional<Privilege> PrivilegeFromName(std::string_view name);

// One user as the visitors see it.
struct UserRecord {
  std::string name;
  ScramVerifier verifier;
  bool superuser = false;
};

// One explicit grant as the visitors see it (never Privilege::None).
struct GrantRecord {
  std::string user;
  std::string database;
  Privilege privilege = Privilege::None;
};

// Thread-safe: every method takes the store's own reader-writer mutex, so sessions and the
// server's login path may call any of them concurrently. The mutex is never held while calling
// out (visitors run on copies), so a visitor may call back into the store. Errors are Status
// values with PostgreSQL's SQLSTATEs; no message contains a password or a verifier.
class UserStore {
 public:
  UserStore() = default;
  UserStore(const UserStore&) = delete;
  UserStore& operator=(const UserStore&) = delete;

  // --- what the server's login and the authorization check ask

  // The stored verifier of `user`; nullopt when there is no such user.
  std::optional<ScramVerifier> Verifier(const std::string& user) const;
  bool Exists(const std::string& user) const;
  // False for unknown users.
  bool IsSuperuser(const std::string& user) const;
  // The level `user` holds on `database`: Admin for superusers, the grant for others, None for
  // unknown users and databases without a grant.
  Privilege PrivilegeOn(const std::string& user, const std::string& database) const;

  // --- changes (the SQL statements of execute_users.cc, and the server's first start)

  // Creates `name` with `password`: a clear-text password (hashed here with a fresh salt), or a
  // verifier in PostgreSQL's text form "SCRAM-SHA-256$..." (stored as is, as PostgreSQL does).
  // 42710 when the user exists; 22023 for an empty name, an empty password, a password with a
  // NUL byte, or text that starts like a verifier but is not a valid one.
  Status CreateUser(const std::string& name, const std::string& password, bool superuser);
  // The same with an already-built verifier (for loading users back).
  Status CreateUserWithVerifier(const std::string& name, const ScramVerifier& verifier, bool superuser);
  // Replaces the password (same forms as CreateUser). 42704 when the user does not exist.
  Status SetPassword(const std::string& name, const std::string& password);
  // 42704 when the user does not exist.
  Status SetSuperuser(const std::string& name, bool superuser);
  // Renames a user; its grants follow it. 42704 when `name` does not exist, 42710 when
  // `new_name` does, 22023 when `new_name` is empty.
  Status RenameUser(const std::string& name, const std::string& new_name);
  // Drops a user and its grants. 42704 when the user does not exist.
  Status DropUser(const std::string& name);

  // Raises `user`'s level on `database` to at least `privilege` (granting a level the user
  // already holds, or one below it, changes nothing). 42704 when the user does not exist;
  // 22023 for Privilege::None.
  Status Grant(const std::string& user, const std::string& database, Privilege privilege);
  // Takes away `privilege` and every level above it: the user keeps at most the level below.
  // Revoking what the user does not hold changes nothing. 42704 when the user does not exist;
  // 22023 for Privilege::None.
  Status Revoke(const std::string& user, const std::string& database, Privilege privilege);
  // Forgets every grant on `database` (called when it is dropped, so a database created later
  // under the same name starts without grants).
  void DropDatabase(const std::string& database);
  // Forgets every user and grant (recovery, before loading them back).
  void Clear();

  // --- visitors, in name order (over a snapshot taken under the lock)
  void ForEachUser(const std::function<void(const UserRecord&)>& visit) const;
  void ForEachGrant(const std::function<void(const GrantRecord&)>& visit) const;

  // The verifier for `password` as CreateUser and SetPassword read it (see CreateUser).
  static Status MakeVerifier(const std::string& password, ScramVerifier* out);

 private:
  struct User {
    ScramVerifier verifier;
    bool superuser = false;
  };
  using GrantKey = std::pair<std::string, std::string>;  // (user, database)

  Status Store(const std::string& name, const ScramVerifier& verifier, bool superuser);
  Status ChangeGrant(const std::string& user, const std::string& database, Privilege privilege, bool revoke);

  mutable std::shared_mutex mutex_;  // guards users_ and grants_
  std::map<std::string, User> users_;
  std::map<GrantKey, Privilege> grants_;  // only levels above None
};

}  // namespace lyt::auth
