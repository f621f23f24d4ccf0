// CREATE / ALTER / DROP USER, GRANT / REVOKE, SHOW USERS and SHOW GRANTS. Session::RunStatement
// has already checked that the session's user may run them (auth/authorize.h); what is left here
// is what PostgreSQL checks at execution: existence, and a session's hold on its own user.
#include <string_view>

#include "auth/user_store.h"
#include "common/error.h"
#include "main/statement_context.h"

namespace lyt {

namespace {

// Throws a UserStore error as the statement's Error. Error keeps its SQLSTATE as a pointer to a
// constant, so the store's code is mapped back to the constant it came from.
void Check(const Status& status, int pos) {
  if (status.ok()) return;
  static const char* const kStates[] = {sqlstate::kDuplicateObject, sqlstate::kUndefinedObject,
                                        sqlstate::kInvalidParameterValue, sqlstate::kOutOfMemory};
  const char* state = sqlstate::kInternalError;
  for (const char* known : kStates) {
    if (status.sqlstate() == known) state = known;
  }
  throw Error(state, status.message(), pos);
}

auth::UserStore& Users(StatementContext& ctx) { return ctx.session.engine().users(); }
const std::string& SessionUser(StatementContext& ctx) { return ctx.session.info().user; }

void CheckUserExists(StatementContext& ctx, const std::string& name, int pos) {
  if (!Users(ctx).Exists(name)) throw Error(sqlstate::kUndefinedObject, "role \"" + name + "\" does not exist", pos);
}

}  // namespace

ResultPtr ExecuteCreateUser(StatementContext& ctx, ast::CreateUserStmt& stmt) {
  Check(Users(ctx).CreateUser(stmt.name, stmt.password, stmt.superuser), stmt.pos);
  return QueryResult::MakeCommand("CREATE ROLE", 0);
}

ResultPtr ExecuteAlterUser(StatementContext& ctx, ast::AlterUserStmt& stmt) {
  using Action = ast::AlterUserStmt::Action;
  auth::UserStore& users = Users(ctx);
  switch (stmt.action) {
    case Action::Password: Check(users.SetPassword(stmt.name, stmt.password), stmt.pos); break;
    case Action::Superuser: Check(users.SetSuperuser(stmt.name, true), stmt.pos); break;
    case Action::NoSuperuser: Check(users.SetSuperuser(stmt.name, false), stmt.pos); break;
    case Action::Rename:
      if (stmt.name == SessionUser(ctx)) throw Error(sqlstate::kFeatureNotSupported, "session user cannot be renamed", stmt.pos);
      Check(users.RenameUser(stmt.name, stmt.new_name), stmt.pos);
      break;
  }
  return QueryResult::MakeCommand("ALTER ROLE", 0);
}

ResultPtr ExecuteDropUser(StatementContext& ctx, ast::DropUserStmt& stmt) {
  // Check every name first so that a failing DROP USER a, b drops nothing.
  for (const auto& name : stmt.names) {
    if (name == SessionUser(ctx)) throw Error(sqlstate::kObjectInUse, "current user cannot be dropped", stmt.pos);
    if (!stmt.if_exists) CheckUserExists(ctx, name, stmt.pos);
  }
  for (const auto& name : stmt.names) {
    if (Users(ctx).Exists(name)) Check(Users(ctx).DropUser(name), stmt.pos);
  }
  return QueryResult::MakeCommand("DROP ROLE", 0);
}

ResultPtr ExecuteGrant(StatementContext& ctx, ast::GrantStmt& stmt) {
  std::optional<auth::Privilege> privilege = auth::PrivilegeFromName(stmt.privilege);
  if (!privilege || *privilege == auth::Privilege::None) ThrowInternal("GRANT of an unknown privilege");
  if (!ctx.catalog().FindDatabase(stmt.database)) {
    throw Error(sqlstate::kInvalidCatalogName, "database \"" + stmt.database + "\" does not exist", stmt.pos);
  }
  auth::UserStore& users = Users(ctx);
  Check(stmt.revoke ? users.Revoke(stmt.user, stmt.database, *privilege) : users.Grant(stmt.user, stmt.database, *privilege),
        stmt.pos);
  return QueryResult::MakeCommand(stmt.revoke ? "REVOKE" : "GRANT", 0);
}

ResultPtr ShowUsers(StatementContext& ctx) {
  std::vector<std::vector<Value>> rows;
  Users(ctx).ForEachUser([&](const auth::UserRecord& user) {
    rows.push_back({Value::Varchar(user.name), Value::Boolean(user.superuser)});
  });
  return MakeTextResult({"name", "superuser"}, rows);
}

// SHOW GRANTS FOR u: u's grants. Without FOR: the session user's own, or all of them for
// superusers and embedded sessions. Superusers' implicit privileges are not listed.
ResultPtr ShowGrants(StatementContext& ctx, const ast::ShowStmt& stmt) {
  std::string only = stmt.user;
  if (!only.empty()) {
    CheckUserExists(ctx, only, stmt.pos);
  } else if (!SessionUser(ctx).empty() && !Users(ctx).IsSuperuser(SessionUser(ctx))) {
    only = SessionUser(ctx);
  }
  std::vector<std::vector<Value>> rows;
  Users(ctx).ForEachGrant([&](const auth::GrantRecord& grant) {
    if (!only.empty() && grant.user != only) return;
    rows.push_back({Value::Varchar(grant.user), Value::Varchar(grant.database),
                    Value::Varchar(auth::PrivilegeName(grant.privilege))});
  });
  return MakeTextResult({"user", "database", "privilege"}, rows);
}

}  // namespace lyt
