// INSERT, UPDATE and DELETE.
#include "sql/parser_internal.h"

namespace lyt::sql {

using namespace lyt::ast;

// {INSERT [OR action] | REPLACE} INTO t [AS alias] [(cols)] {VALUES ... | query | DEFAULT VALUES}
//   [ON CONFLICT ...] [RETURNING ...]
StatementPtr Parser::ParseInsert() {
  auto insert = std::make_unique<InsertStmt>(Peek().pos);
  if (AcceptKeyword("replace")) {
    insert->on_conflict = ConflictAction::Replace;
  } else {
    Advance();  // INSERT
    if (AtKeyword("or")) ParseInsertOr(*insert);
  }
  ExpectKeyword("into");
  insert->table = ParseQualifiedName("a table name");
  if (AcceptKeyword("as")) insert->alias = ParseColumnName("an alias");
  bool column_list = At(TokenKind::LParen) && !IsQueryStart(1) && Peek(1).kind != TokenKind::LParen;
  if (column_list) insert->columns = ParseColumnNameList();
  ParseInsertSource(*insert);
  if (AtKeyword("on")) {
    if (insert->on_conflict != ConflictAction::None) {
      FailNotSupported(Peek(), "ON CONFLICT cannot be combined with INSERT OR REPLACE, INSERT OR IGNORE or REPLACE INTO");
    }
    ParseOnConflict(*insert);
  }
  if (AtKeyword("returning")) insert->returning = ParseReturning();
  return insert;
}

// SQLite's INSERT OR {REPLACE | IGNORE | ABORT | FAIL | ROLLBACK}. ABORT is what every INSERT
// does (a failing statement changes nothing); FAIL (keep the rows written before the error) and
// ROLLBACK (undo the whole transaction) are refused rather than silently run as ABORT.
void Parser::ParseInsertOr(InsertStmt& insert) {
  Advance();  // OR
  if (AcceptKeyword("replace")) {
    insert.on_conflict = ConflictAction::Replace;
  } else if (AcceptKeyword("ignore")) {
    insert.on_conflict = ConflictAction::DoNothing;
  } else if (AtKeyword("fail") || AtKeyword("rollback")) {
    FailNotSupported(Peek(), std::string("INSERT OR ") + (AtKeyword("fail") ? "FAIL" : "ROLLBACK") + " is not supported");
  } else if (!AcceptKeyword("abort")) {
    Fail("REPLACE, IGNORE, ABORT, FAIL or ROLLBACK");
  }
}

void Parser::ParseInsertSource(InsertStmt& insert) {
  if (AcceptKeywords("default", "values")) {
    insert.default_values = true;
  } else if (AtKeyword("values") && Peek(1).kind == TokenKind::LParen) {
    Advance();
    insert.values = ParseValuesRows(/*allow_default=*/true);
  } else if (IsQueryStart(0) || At(TokenKind::LParen)) {
    insert.query = ParseQuery();
    return;  // the query's own hint says what may follow it
  } else {
    Fail(insert.columns.empty() ? "'(', VALUES, SELECT or DEFAULT VALUES" : "VALUES or SELECT");
  }
  end_hint_ = "ON CONFLICT, RETURNING or the end of the statement";
}

// ON CONFLICT [(cols)] DO NOTHING | DO UPDATE SET c = e, ... [WHERE cond]
void Parser::ParseOnConflict(InsertStmt& insert) {
  Advance();  // ON
  ExpectKeyword("conflict");
  if (At(TokenKind::LParen)) insert.conflict_columns = ParseColumnNameList();
  ExpectKeyword("do");
  if (AcceptKeyword("nothing")) {
    insert.on_conflict = ConflictAction::DoNothing;
  } else if (AcceptKeyword("update")) {
    insert.on_conflict = ConflictAction::DoUpdate;
    ExpectKeyword("set");
    insert.conflict_set = ParseSetClauses();
    if (AcceptKeyword("where")) insert.conflict_where = ParseExpr();
  } else {
    Fail("NOTHING or UPDATE");
  }
  end_hint_ = "RETURNING or the end of the statement";
}

// UPDATE t [[AS] alias] SET c = e, ... [FROM ...] [WHERE ...] [RETURNING ...]
StatementPtr Parser::ParseUpdate() {
  auto update = std::make_unique<UpdateStmt>(Advance().pos);
  update->table = ParseQualifiedName("a table name");
  update->alias = ParseTargetAlias("set");
  ExpectKeyword("set");
  update->set = ParseSetClauses();
  end_hint_ = "FROM, WHERE, RETURNING or the end of the statement";
  if (AcceptKeyword("from")) {
    update->from = ParseFromList();
    end_hint_ = "WHERE, RETURNING or the end of the statement";
  }
  if (AcceptKeyword("where")) {
    update->where = ParseExpr();
    end_hint_ = "RETURNING or the end of the statement";
  }
  if (AtKeyword("returning")) update->returning = ParseReturning();
  return update;
}

// DELETE FROM t [[AS] alias] [USING ...] [WHERE ...] [RETURNING ...]
StatementPtr Parser::ParseDelete() {
  auto del = std::make_unique<DeleteStmt>(Advance().pos);
  ExpectKeyword("from");
  del->table = ParseQualifiedName("a table name");
  del->alias = ParseTargetAlias("using");
  end_hint_ = "USING, WHERE, RETURNING or the end of the statement";
  if (AcceptKeyword("using")) {
    del->from = ParseFromList();
    end_hint_ = "WHERE, RETURNING or the end of the statement";
  }
  if (AcceptKeyword("where")) {
    del->where = ParseExpr();
    end_hint_ = "RETURNING or the end of the statement";
  }
  if (AtKeyword("returning")) del->returning = ParseReturning();
  return del;
}

// c = expr | c = DEFAULT, ...
std::vector<SetClause> Parser::ParseSetClauses() {
  std::vector<SetClause> clauses;
  do {
    SetClause clause;
    clause.pos = Peek().pos;
    clause.column = ParseColumnName("a column name");
    Expect(TokenKind::Equal, "'='");
    if (!AcceptKeyword("default")) clause.value = ParseExpr();
    clauses.push_back(std::move(clause));
  } while (Accept(TokenKind::Comma));
  return clauses;
}

std::vector<SelectItem> Parser::ParseReturning() {
  Advance();  // RETURNING
  std::vector<SelectItem> items = ParseSelectList();
  end_hint_ = "the end of the statement";
  return items;
}

}  // namespace lyt::sql
