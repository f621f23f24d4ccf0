#include "auth/authorize.h"

#include "catalog/catalog.h"
#include "common/error.h"

namespace lyt::auth {
namespace {

using ast::StmtKind;

// Builds a Requirement: READ on the current database unless the statement says otherwise.
class RequirementBuilder {
 public:
  RequirementBuilder(const std::string& user, const std::string& current) : user_(user), current_(current) {}

  Requirement Build(const ast::Statement& s) {
    Add(s);
    return std::move(requirement_);
  }

 private:
  void Add(const ast::Statement& s) {
    switch (s.kind) {
      case StmtKind::Transaction: return;
      case StmtKind::Use: return Need(s.As<ast::UseStmt>().database, Privilege::Read, s.pos);
      case StmtKind::Set: return AddSet(s.As<ast::SetStmt>());
      case StmtKind::Select: return Current();
      case StmtKind::Show: return AddShow(s.As<ast::ShowStmt>());
      case StmtKind::Describe: return Target(s.As<ast::DescribeStmt>().table, Privilege::Read);
      case StmtKind::Explain: return Add(*s.As<ast::ExplainStmt>().statement);
      case StmtKind::Insert: return Target(s.As<ast::InsertStmt>().table, Privilege::Write);
      case StmtKind::Update: return Target(s.As<ast::UpdateStmt>().table, Privilege::Write);
      case StmtKind::Delete: return Target(s.As<ast::DeleteStmt>().table, Privilege::Write);
      case StmtKind::Truncate:
        for (const auto& table : s.As<ast::TruncateStmt>().tables) Target(table, Privilege::Write);
        return;
      case StmtKind::CreateTable: return Target(s.As<ast::CreateTableStmt>().name, Privilege::Write);
      case StmtKind::CreateView: return Target(s.As<ast::CreateViewStmt>().name, Privilege::Write);
      case StmtKind::CreateIndex: return Target(s.As<ast::CreateIndexStmt>().table, Privilege::Write);
      case StmtKind::AlterTable: return Target(s.As<ast::AlterTableStmt>().table, Privilege::Write);
      case StmtKind::Drop: return AddDrop(s.As<ast::DropStmt>());
      case StmtKind::Grant: {
        const auto& grant = s.As<ast::GrantStmt>();
        Current();
        return Need(grant.database, Privilege::Admin, grant.pos);
      }
      case StmtKind::CreateDatabase: return Superuser("create database");
      case StmtKind::Analyze: return AddAnalyze(s.As<ast::AnalyzeStmt>());
      case StmtKind::Checkpoint: return Superuser("checkpoint");
      case StmtKind::Backup: return Superuser("backup");
      case StmtKind::Copy: return Superuser("COPY to or from a file");
      case StmtKind::CreateUser: return Superuser("create user");
      case StmtKind::DropUser: return Superuser("drop user");
      case StmtKind::AlterUser: {
        const auto& alter = s.As<ast::AlterUserStmt>();
        bool own_password = alter.action == ast::AlterUserStmt::Action::Password && alter.name == user_;
        return own_password ? Current() : Superuser("alter user");
      }
    }
    Superuser("run this statement");  // a statement kind the rules do not know yet
  }

  void AddSet(const ast::SetStmt& set) {
    if (set.name == "database" && !set.reset) return Need(set.value, Privilege::Read, set.pos);
    Current();
  }

  // ANALYZE changes what every session's plans are built from, so it needs WRITE (PostgreSQL asks
  // for the table's owner or the MAINTAIN privilege; reading the table is not enough).
  void AddAnalyze(const ast::AnalyzeStmt& analyze) {
    if (analyze.all) return Need(current_, Privilege::Write, -1);
    Target(analyze.table, Privilege::Write);
  }

  void AddShow(const ast::ShowStmt& show) {
    if (show.what == ast::ShowStmt::What::Users) return Superuser("show users");
    if (show.what == ast::ShowStmt::What::Grants && !show.user.empty() && show.user != user_) {
      return Superuser("show grants of other users");
    }
    Current();
  }

  void AddDrop(const ast::DropStmt& drop) {
    Current();
    for (const auto& name : drop.names) {
      if (drop.object == ast::ObjectKind::Database) Need(name.name, Privilege::Admin, name.pos);
      else Target(name, Privilege::Write);
    }
  }

  // `privilege` on the database of `name` (the current one when unqualified), and READ on the
  // current database.
  void Target(const ast::QualifiedName& name, Privilege privilege) {
    Current();
    if (name.database.empty()) Need(current_, privilege, -1);
    else Need(name.database, privilege, name.pos);
  }

  void Current() { Need(current_, Privilege::Read, -1); }

  void Need(const std::string& database, Privilege privilege, int pos) {
    for (auto& need : requirement_.databases) {
      if (need.database != database) continue;
      if (privilege > need.privilege) need = {database, privilege, pos};
      return;
    }
    requirement_.databases.push_back({database, privilege, pos});
  }

  void Superuser(const char* action) {
    if (!requirement_.superuser_action) requirement_.superuser_action = action;
  }

  const std::string& user_;
  const std::string& current_;
  Requirement requirement_;
};

[[noreturn]] void DenyDatabase(const std::string& database, int pos) {
  throw Error(sqlstate::kInsufficientPrivilege, "permission denied for database \"" + database + "\"", pos);
}

}  // namespace

Requirement RequirementOf(const ast::Statement& statement, const std::string& user, const std::string& current_database) {
  return RequirementBuilder(user, current_database).Build(statement);
}

void Authorize(const UserStore& users, Catalog& catalog, const std::string& user, const ast::Statement& statement,
               const std::string& current_database) {
  if (user.empty() || users.IsSuperuser(user)) return;
  Requirement requirement = RequirementOf(statement, user, current_database);
  if (requirement.superuser_action) {
    throw Error(sqlstate::kInsufficientPrivilege, std::string("permission denied to ") + requirement.superuser_action,
                statement.pos);
  }
  for (const auto& need : requirement.databases) {
    if (!catalog.FindDatabase(need.database)) continue;  // the handler reports it (or IF EXISTS skips it)
    CheckPrivilege(users, user, need.database, need.privilege, need.pos);
  }
}

void CheckPrivilege(const UserStore& users, const std::string& user, const std::string& database, Privilege needed,
                    int pos) {
  if (user.empty()) return;
  if (users.PrivilegeOn(user, database) < needed) DenyDatabase(database, pos);
}

void CheckCanConnect(const UserStore& users, Catalog& catalog, const std::string& user, const std::string& database) {
  if (!catalog.FindDatabase(database)) {
    throw Error(sqlstate::kInvalidCatalogName, "database \"" + database + "\" does not exist");
  }
  CheckPrivilege(users, user, database, Privilege::Read);
}

}  // namespace lyt::auth
