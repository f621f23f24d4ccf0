// USE, SHOW, DESCRIBE, EXPLAIN, COPY, SET / RESET and transaction control.
#include <cctype>
#include <string>

#include "sql/parser_internal.h"

namespace lyt::sql {

using namespace lyt::ast;

StatementPtr Parser::ParseUse() {
  auto use = std::make_unique<UseStmt>(Advance().pos);
  use->database = ParseColumnName("a database name");
  return use;
}

StatementPtr Parser::ParseCheckpoint() { return std::make_unique<CheckpointStmt>(Advance().pos); }

// BACKUP TO 'dir'
StatementPtr Parser::ParseBackup() {
  auto backup = std::make_unique<BackupStmt>(Advance().pos);
  ExpectKeyword("to");
  backup->target = Expect(TokenKind::String, "a directory name in single quotes").text;
  return backup;
}

// ANALYZE [table] (also spelled ANALYSE)
StatementPtr Parser::ParseAnalyze() {
  auto analyze = std::make_unique<AnalyzeStmt>(Advance().pos);
  if (At(TokenKind::End) || At(TokenKind::Semicolon)) return analyze;
  analyze->all = false;
  analyze->table = ParseQualifiedName("a table name");
  return analyze;
}

// SHOW DATABASES | TABLES | ALL | USERS | GRANTS [FOR user] | setting
StatementPtr Parser::ParseShow() {
  auto show = std::make_unique<ShowStmt>(Advance().pos);
  if (AcceptKeyword("users")) {
    show->what = ShowStmt::What::Users;
  } else if (AcceptKeyword("grants")) {
    show->what = ShowStmt::What::Grants;
    if (AcceptKeyword("for")) show->user = ParseColumnName("a user name");
  } else if (AcceptKeyword("databases")) {
    show->what = ShowStmt::What::Databases;
  } else if (AcceptKeyword("tables")) {
    show->what = ShowStmt::What::Tables;
  } else if (AcceptKeyword("all")) {
    show->what = ShowStmt::What::All;
  } else if (AcceptKeywords("time", "zone")) {
    show->what = ShowStmt::What::Setting;
    show->setting = "timezone";
  } else {
    show->what = ShowStmt::What::Setting;
    show->setting = ParseSettingName();
  }
  return show;
}

StatementPtr Parser::ParseDescribe() {
  auto describe = std::make_unique<DescribeStmt>(Advance().pos);
  describe->table = ParseQualifiedName("a table name");
  return describe;
}

// EXPLAIN [ANALYZE] statement | EXPLAIN (option [boolean] [, ...]) statement
StatementPtr Parser::ParseExplain() {
  auto explain = std::make_unique<ExplainStmt>(Advance().pos);
  const Token& next = Peek(1);
  bool query_in_parens = next.kind != TokenKind::Identifier || next.IsKeyword("select") || next.IsKeyword("with") ||
                         next.IsKeyword("values");
  if (At(TokenKind::LParen) && !query_in_parens) {
    ParseExplainOptions(*explain);
  } else {
    explain->analyze = AcceptKeyword("analyze") || AcceptKeyword("analyse");
  }
  size_t first = pos_;
  explain->statement = ParseStatement();
  explain->statement->text = SourceFrom(first);
  return explain;
}

// ( option [boolean] [, ...] ) as PostgreSQL spells it: a missing value means true.
void Parser::ParseExplainOptions(ExplainStmt& explain) {
  Expect(TokenKind::LParen, "'('");
  bool timing_given = false;
  do {
    const Token& option = Peek();
    std::string name = ParseLabel("an EXPLAIN option");
    bool value = At(TokenKind::Comma) || At(TokenKind::RParen) || ParseBooleanOption(name);
    if (name == "analyze" || name == "analyse") {
      explain.analyze = value;
    } else if (name == "costs") {
      explain.costs = value;
    } else if (name == "timing") {
      explain.timing = value;
      timing_given = true;
    } else if (name == "summary") {
      explain.summary = value;
    } else {
      throw Error(sqlstate::kSyntaxError, "unrecognized EXPLAIN option \"" + name + "\"", option.pos);
    }
  } while (Accept(TokenKind::Comma));
  Expect(TokenKind::RParen, "',' or ')'");
  if (timing_given && explain.timing && !explain.analyze) {
    throw Error(sqlstate::kInvalidParameterValue, "EXPLAIN option TIMING requires ANALYZE", explain.pos);
  }
}

// An option's Boolean value: true, false, on, off, 1 or 0 (PostgreSQL's defGetBoolean).
bool Parser::ParseBooleanOption(const std::string& name) {
  const Token& token = Peek();
  std::string value = ParseOptionValue();
  for (auto& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (value == "true" || value == "on" || value == "1") return true;
  if (value == "false" || value == "off" || value == "0") return false;
  throw Error(sqlstate::kSyntaxError, name + " requires a Boolean value", token.pos);
}

// COPY t [(cols)] {FROM | TO} 'file' [options] | COPY (query) TO 'file' [options]
StatementPtr Parser::ParseCopy() {
  auto copy = std::make_unique<CopyStmt>(Advance().pos);
  if (At(TokenKind::LParen)) {
    copy->query = ParseParenthesizedQuery();
    ExpectKeyword("to");
    copy->is_from = false;
  } else {
    copy->table = ParseQualifiedName("a table name or '('");
    if (At(TokenKind::LParen)) copy->columns = ParseColumnNameList();
    if (AcceptKeyword("from")) {
      copy->is_from = true;
    } else if (AcceptKeyword("to")) {
      copy->is_from = false;
    } else {
      Fail("FROM or TO");
    }
  }
  ParseCopyTarget(*copy);
  ParseCopyOptions(*copy);
  end_hint_ = "the end of the statement";  // not what COPY (query)'s query left
  return copy;
}

void Parser::ParseCopyTarget(CopyStmt& copy) {
  if (At(TokenKind::String)) {
    copy.filename = Advance().text;
    return;
  }
  if (AtKeyword("stdin") || AtKeyword("stdout")) {
    std::string stream = AtKeyword("stdin") ? "STDIN" : "STDOUT";
    throw Error(sqlstate::kSyntaxError,
                std::string("COPY ") + (copy.is_from ? "FROM " : "TO ") + stream +
                    " is not supported; use a file path",
                Peek().pos);
  }
  Fail("a file name in single quotes");
}

// [WITH] (name [value], ...) or the pre-9.0 form [WITH] [CSV] [HEADER] [DELIMITER 'x'] ...
void Parser::ParseCopyOptions(CopyStmt& copy) {
  AcceptKeyword("with");
  if (!Accept(TokenKind::LParen)) return ParseLegacyCopyOptions(copy);
  do {
    std::string name = ParseLabel("a COPY option");
    std::string value = At(TokenKind::Comma) || At(TokenKind::RParen) ? "true" : ParseOptionValue();
    copy.options.emplace_back(std::move(name), std::move(value));
  } while (Accept(TokenKind::Comma));
  Expect(TokenKind::RParen, "',' or ')'");
}

void Parser::ParseLegacyCopyOptions(CopyStmt& copy) {
  while (true) {
    if (AcceptKeyword("csv")) {
      copy.options.emplace_back("format", "csv");
    } else if (AcceptKeyword("binary")) {
      copy.options.emplace_back("format", "binary");
    } else if (AcceptKeyword("header")) {
      copy.options.emplace_back("header", "true");
    } else if (AtKeyword("delimiter") || AtKeyword("null") || AtKeyword("quote") || AtKeyword("escape")) {
      std::string name = Advance().text;
      AcceptKeyword("as");
      copy.options.emplace_back(std::move(name), Expect(TokenKind::String, "a quoted string").text);
    } else {
      return;
    }
  }
}

// A setting or option value as text: 'string', [-]number, or a word.
std::string Parser::ParseOptionValue() {
  std::string sign;
  if (At(TokenKind::Minus) && (Peek(1).kind == TokenKind::Integer || Peek(1).kind == TokenKind::Decimal)) {
    Advance();
    sign = "-";
  }
  const Token& token = Peek();
  switch (token.kind) {
    case TokenKind::Integer:
    case TokenKind::Decimal:
      return sign + Advance().text;
    case TokenKind::String:
    case TokenKind::Identifier:
    case TokenKind::QuotedIdentifier:
      if (sign.empty()) return Advance().text;
      break;
    default:
      break;
  }
  Fail("a value");
}

// SET [SESSION] name {= | TO} value [, value ...] | SET [SESSION] TIME ZONE value
StatementPtr Parser::ParseSet() {
  auto set = std::make_unique<SetStmt>(Advance().pos);
  bool session_is_the_name = Peek(1).kind == TokenKind::Equal || Peek(1).IsKeyword("to");
  if (AtKeyword("session") && !session_is_the_name) Advance();  // the default scope
  if (AcceptKeywords("time", "zone")) {
    set->name = "timezone";
  } else {
    set->name = ParseSettingName();
    if (!Accept(TokenKind::Equal) && !AcceptKeyword("to")) Fail("'=' or TO");
  }
  set->value = ParseOptionValue();
  while (Accept(TokenKind::Comma)) set->value += ", " + ParseOptionValue();
  return set;
}

// RESET name | RESET ALL
StatementPtr Parser::ParseReset() {
  auto reset = std::make_unique<SetStmt>(Advance().pos);
  reset->reset = true;
  if (AcceptKeyword("all")) {
    reset->name = "all";
  } else if (AcceptKeywords("time", "zone")) {
    reset->name = "timezone";
  } else {
    reset->name = ParseSettingName();
  }
  return reset;
}

// name or name.name...; key words are allowed (SHOW search_path, SET datestyle).
std::string Parser::ParseSettingName() {
  std::string name = ParseLabel("a setting name");
  while (Accept(TokenKind::Dot)) name += "." + ParseLabel("a setting name");
  return name;
}

// [ISOLATION LEVEL level] [READ ONLY | READ WRITE], in any order, comma-separated or not.
void Parser::ParseTransactionModes(ast::TransactionStmt& txn) {
  for (bool need_mode = false;; need_mode = false) {
    if (Accept(TokenKind::Comma)) need_mode = true;
    if (AcceptKeyword("isolation")) {
      ExpectKeyword("level");
      if (AcceptKeyword("serializable")) {
        txn.isolation = "serializable";
      } else if (AcceptKeyword("repeatable")) {
        ExpectKeyword("read");
        txn.isolation = "repeatable read";
      } else {
        ExpectKeyword("read");
        if (AcceptKeyword("committed")) txn.isolation = "read committed";
        else if (AcceptKeyword("uncommitted")) txn.isolation = "read uncommitted";
        else Fail("COMMITTED or UNCOMMITTED");
      }
    } else if (AcceptKeyword("read")) {
      if (AcceptKeyword("only")) txn.read_only = true;
      else ExpectKeyword("write");
    } else if (need_mode) {
      Fail("ISOLATION LEVEL, READ ONLY or READ WRITE");
    } else {
      return;
    }
  }
}

// BEGIN [TRANSACTION | WORK] [modes] | START TRANSACTION [modes] | COMMIT | END | ROLLBACK | ABORT
// [TRANSACTION | WORK] | ROLLBACK TO [SAVEPOINT] s | SAVEPOINT s | RELEASE [SAVEPOINT] s
StatementPtr Parser::ParseTransaction() {
  const Token& verb = Advance();
  auto txn = std::make_unique<TransactionStmt>(verb.pos);
  auto optional_noise = [&] {
    if (!AcceptKeyword("transaction")) AcceptKeyword("work");
  };
  if (verb.IsKeyword("begin")) {
    txn->type = TxnKind::Begin;
    optional_noise();
    ParseTransactionModes(*txn);
  } else if (verb.IsKeyword("start")) {
    txn->type = TxnKind::Begin;
    ExpectKeyword("transaction");
    ParseTransactionModes(*txn);
  } else if (verb.IsKeyword("commit") || verb.IsKeyword("end")) {
    txn->type = TxnKind::Commit;
    optional_noise();
  } else if (verb.IsKeyword("rollback") || verb.IsKeyword("abort")) {
    txn->type = TxnKind::Rollback;
    optional_noise();
    if (verb.IsKeyword("rollback") && AcceptKeyword("to")) {
      AcceptKeyword("savepoint");
      txn->type = TxnKind::RollbackTo;
      txn->savepoint = ParseColumnName("a savepoint name");
    }
  } else if (verb.IsKeyword("savepoint")) {
    txn->type = TxnKind::Savepoint;
    txn->savepoint = ParseColumnName("a savepoint name");
  } else {  // RELEASE
    txn->type = TxnKind::Release;
    AcceptKeyword("savepoint");
    txn->savepoint = ParseColumnName("a savepoint name");
  }
  return txn;
}

}  // namespace lyt::sql
