// The authorization check: which statements a user may run (docs/security.md, "Privileges").
//
// Session::RunStatement calls Authorize before it dispatches any statement, so every front end
// (the server, the shell, lyt-slt, the embedding API) goes through this one check. Queries may
// also read tables of other databases by qualified name (db.table), including through views;
// the binder asks CheckPrivilege for READ on each database it resolves by name, and Authorize
// checks the databases a statement names as its target (INSERT INTO db.t, DROP TABLE db.t, ...).
//
// An empty user is embedded use: it holds every privilege (whoever holds the process holds the
// data). Every check reads the UserStore afresh, so GRANT, REVOKE and DROP USER apply to open
// sessions from their next statement.
#pragma once

#include <string>
#include <vector>

#include "auth/user_store.h"
#include "sql/ast.h"

namespace lyt {
class Catalog;
}

namespace lyt::auth {

// What a statement needs of the user running it.
struct Requirement {
  // Non-null for statements only superusers may run: what is denied, for the message
  // ("create user" gives `permission denied to create user`).
  const char* superuser_action = nullptr;
  struct OnDatabase {
    std::string database;
    Privilege privilege = Privilege::None;
    int pos = -1;  // where the statement names the database; -1 for the current one
  };
  std::vector<OnDatabase> databases;  // each must be held (after the superuser test)
};

// The rules, in one place: what `statement` needs when `user` runs it in `current_database`.
//   READ on the current database: SELECT, SHOW, DESCRIBE, EXPLAIN of a query, SET
//   READ on the target: USE db, SET database = db
//   WRITE on the target database: INSERT, UPDATE, DELETE, TRUNCATE, CREATE / ALTER / DROP of
//     tables, views and indexes (and READ on the current database)
//   ADMIN on the named database: GRANT, REVOKE, DROP DATABASE
//   superuser: CREATE DATABASE, CREATE / ALTER / DROP USER (except ALTER USER of one's own
//     password), SHOW USERS, SHOW GRANTS FOR another user, COPY (server files)
//   nothing: transaction control (it reads and changes nothing by itself, and a session whose
//     privileges were revoked must still be able to end its transaction block)
// EXPLAIN needs what its statement needs.
Requirement RequirementOf(const ast::Statement& statement, const std::string& user, const std::string& current_database);

// Throws 42501 unless `user` may run `statement` in `current_database`: `permission denied for
// database "d"` or `permission denied to <action>`. Requirements on databases that do not exist
// are left to the statement's handler (which reports 3D000, or skips them for IF EXISTS). The
// caller holds the engine's catalog lock (shared or exclusive) so the catalog cannot change
// between this check and the statement. An empty user passes everything.
void Authorize(const UserStore& users, Catalog& catalog, const std::string& user, const ast::Statement& statement,
               const std::string& current_database);

// Throws 42501 `permission denied for database "<database>"` unless `user` (non-empty) holds at
// least `needed` on `database`. `pos` locates the error in the statement (-1: nowhere).
void CheckPrivilege(const UserStore& users, const std::string& user, const std::string& database, Privilege needed,
                    int pos = -1);

// For the server's login, after authentication: throws 3D000 `database "<database>" does not
// exist` or 42501 `permission denied for database "<database>"` unless `user` may open a
// session in `database` (READ on it). Hold the engine's catalog lock (shared) around the call.
void CheckCanConnect(const UserStore& users, Catalog& catalog, const std::string& user,
                     const std::string& database);

}  // namespace lyt::auth
