// CREATE / ALTER / DROP USER, GRANT and REVOKE (SHOW USERS and SHOW GRANTS are in ParseShow).
#include "sql/parser_internal.h"

namespace lyt::sql {

using namespace lyt::ast;

// CREATE USER name [WITH] option ... where option is PASSWORD 'pw' | SUPERUSER | NOSUPERUSER, in
// any order; PASSWORD is required.
StatementPtr Parser::ParseCreateUser(int pos) {
  Advance();  // USER
  auto create = std::make_unique<CreateUserStmt>(pos);
  create->name = ParseColumnName("a user name");
  AcceptKeyword("with");
  bool has_password = false;
  while (true) {
    if (AcceptKeyword("password")) {
      create->password = ParseUserPassword();
      has_password = true;
    } else if (AcceptKeyword("superuser")) {
      create->superuser = true;
    } else if (AcceptKeyword("nosuperuser")) {
      create->superuser = false;
    } else {
      break;
    }
  }
  if (!has_password) Fail("PASSWORD");
  end_hint_ = "PASSWORD, SUPERUSER, NOSUPERUSER or the end of the statement";
  return create;
}

// ALTER USER name [WITH] PASSWORD 'pw' | SUPERUSER | NOSUPERUSER | RENAME TO new_name
StatementPtr Parser::ParseAlterUser() {
  auto alter = std::make_unique<AlterUserStmt>(Advance().pos);
  Advance();  // USER
  alter->name = ParseColumnName("a user name");
  if (AcceptKeyword("rename")) {
    ExpectKeyword("to");
    alter->action = AlterUserStmt::Action::Rename;
    alter->new_name = ParseColumnName("a user name");
    return alter;
  }
  AcceptKeyword("with");
  if (AcceptKeyword("password")) {
    alter->action = AlterUserStmt::Action::Password;
    alter->password = ParseUserPassword();
  } else if (AcceptKeyword("superuser")) {
    alter->action = AlterUserStmt::Action::Superuser;
  } else if (AcceptKeyword("nosuperuser")) {
    alter->action = AlterUserStmt::Action::NoSuperuser;
  } else {
    Fail("PASSWORD, SUPERUSER, NOSUPERUSER or RENAME TO");
  }
  return alter;
}

// DROP USER [IF EXISTS] name [, ...]
StatementPtr Parser::ParseDropUser(int pos) {
  Advance();  // USER
  auto drop = std::make_unique<DropUserStmt>(pos);
  drop->if_exists = ParseIfExists();
  do {
    drop->names.push_back(ParseColumnName("a user name"));
  } while (Accept(TokenKind::Comma));
  return drop;
}

// GRANT {READ | WRITE | ADMIN} ON DATABASE d TO user | REVOKE ... FROM user
StatementPtr Parser::ParseGrant() {
  const Token& verb = Advance();
  auto grant = std::make_unique<GrantStmt>(verb.pos);
  grant->revoke = verb.IsKeyword("revoke");
  if (!AtKeyword("read") && !AtKeyword("write") && !AtKeyword("admin")) Fail("READ, WRITE or ADMIN");
  grant->privilege = Advance().text;
  ExpectKeyword("on");
  if (!AtKeyword("database")) {
    FailNotSupported(Peek(), "privileges are granted on databases only (GRANT level ON DATABASE name TO user)");
  }
  Advance();
  grant->database = ParseColumnName("a database name");
  ExpectKeyword(grant->revoke ? "from" : "to");
  grant->user = ParseColumnName("a user name");
  return grant;
}

// The string after PASSWORD: a password or a SCRAM verifier. The error does not quote what
// stands there instead, since that may be the password written without quotes.
std::string Parser::ParseUserPassword() {
  if (!At(TokenKind::String)) throw Error(sqlstate::kSyntaxError, "syntax error: expected a password in single quotes after PASSWORD", Peek().pos);
  return Advance().text;
}

}  // namespace lyt::sql
