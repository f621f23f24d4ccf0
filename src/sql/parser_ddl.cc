// CREATE TABLE / VIEW / INDEX / DATABASE, DROP, ALTER TABLE and TRUNCATE.
#include "sql/parser_internal.h"

namespace lyt::sql {

using namespace lyt::ast;

// CREATE [OR REPLACE] [TEMP | TEMPORARY] [UNIQUE] {TABLE | VIEW | INDEX | DATABASE} ...
StatementPtr Parser::ParseCreate() {
  int pos = Advance().pos;
  bool or_replace = AcceptKeywords("or", "replace");
  bool temporary = AcceptKeyword("temp") || AcceptKeyword("temporary");
  if (AtKeyword("trigger")) FailNotSupported(Peek(), "triggers are not supported");
  if (AtKeyword("view")) return ParseCreateView(pos, or_replace, temporary);
  if (or_replace) Fail(temporary ? "VIEW" : "VIEW or TEMPORARY VIEW");
  if (AtKeyword("table")) return ParseCreateTable(pos, temporary);
  if (temporary) Fail("TABLE or VIEW");
  if (AcceptKeyword("unique")) {
    if (!AtKeyword("index")) Fail("INDEX");
    return ParseCreateIndex(pos, /*unique=*/true);
  }
  if (AtKeyword("index")) return ParseCreateIndex(pos, /*unique=*/false);
  if (AtKeyword("database")) return ParseCreateDatabase(pos);
  if (AtKeyword("user")) return ParseCreateUser(pos);
  Fail("TABLE, VIEW, INDEX, DATABASE or USER");
}

// CREATE TABLE [IF NOT EXISTS] name ( element, ... ) | CREATE TABLE name AS query
StatementPtr Parser::ParseCreateTable(int pos, bool temporary) {
  Advance();  // TABLE
  auto create = std::make_unique<CreateTableStmt>(pos);
  create->temporary = temporary;
  create->if_not_exists = ParseIfNotExists();
  create->name = ParseQualifiedName("a table name");
  if (AcceptKeyword("as")) {
    create->as_query = ParseQuery();
    return create;
  }
  Expect(TokenKind::LParen, "'(' or AS");
  do {
    ParseTableElement(*create);
  } while (Accept(TokenKind::Comma));
  Expect(TokenKind::RParen, "',' or ')'");
  end_hint_ = "the end of the statement";
  return create;
}

void Parser::ParseTableElement(CreateTableStmt& create) {
  if (std::optional<TableConstraint> constraint = ParseTableConstraint()) {
    create.constraints.push_back(std::move(*constraint));
  } else {
    create.columns.push_back(ParseColumnDef());
  }
}

// [CONSTRAINT name] {PRIMARY KEY | UNIQUE} (cols); nullopt when the element is a column.
std::optional<TableConstraint> Parser::ParseTableConstraint() {
  bool named = AcceptKeyword("constraint");
  if (named) ParseColumnName("a constraint name");
  TableConstraint constraint;
  constraint.pos = Peek().pos;
  if (AcceptKeywords("primary", "key")) {
    constraint.kind = TableConstraint::Kind::PrimaryKey;
  } else if (AcceptKeyword("unique")) {
    constraint.kind = TableConstraint::Kind::Unique;
  } else if (AtKeyword("check") || AtKeyword("foreign")) {
    FailNotSupported(Peek(), AtKeyword("check") ? "CHECK constraints are not supported"
                                                : "FOREIGN KEY constraints are not supported");
  } else if (named) {
    Fail("PRIMARY KEY or UNIQUE");
  } else {
    return std::nullopt;
  }
  constraint.columns = ParseColumnNameList();
  return constraint;
}

// name type [constraint ...]
ColumnDef Parser::ParseColumnDef() {
  ColumnDef column;
  column.pos = Peek().pos;
  column.name = ParseColumnName("a column name");
  column.type = ParseType();
  while (ParseColumnConstraint(column)) {
  }
  return column;
}

// One of [CONSTRAINT name] NOT NULL | NULL | PRIMARY KEY | UNIQUE | DEFAULT expr; false when
// none follows.
bool Parser::ParseColumnConstraint(ColumnDef& column) {
  bool named = AcceptKeyword("constraint");
  if (named) ParseColumnName("a constraint name");
  if (AcceptKeywords("not", "null")) {
    column.not_null = true;
  } else if (AcceptKeyword("null")) {
    column.not_null = false;
  } else if (AcceptKeywords("primary", "key")) {
    column.primary_key = true;
  } else if (AcceptKeyword("unique")) {
    column.unique = true;
  } else if (AcceptKeyword("default")) {
    // PostgreSQL's b_expr: IS, AND and OR would be ambiguous with what follows.
    size_t first = pos_;
    column.default_value = ParseExpr(kPrecCompare);
    column.default_text = SourceFrom(first);
  } else if (AtKeyword("check") || AtKeyword("references")) {
    FailNotSupported(Peek(), AtKeyword("check") ? "CHECK constraints are not supported"
                                                : "FOREIGN KEY constraints are not supported");
  } else if (named) {
    Fail("NOT NULL, NULL, PRIMARY KEY, UNIQUE or DEFAULT");
  } else {
    return false;
  }
  return true;
}

// CREATE [OR REPLACE] [TEMP] VIEW [IF NOT EXISTS] name [(cols)] AS query
StatementPtr Parser::ParseCreateView(int pos, bool or_replace, bool temporary) {
  Advance();  // VIEW
  auto view = std::make_unique<CreateViewStmt>(pos);
  view->or_replace = or_replace;
  view->temporary = temporary;
  view->if_not_exists = ParseIfNotExists();
  view->name = ParseQualifiedName("a view name");
  if (At(TokenKind::LParen)) view->column_names = ParseColumnNameList();
  ExpectKeyword("as");
  size_t first = pos_;
  view->query = ParseQuery();
  view->query_text = SourceFrom(first);
  return view;
}

// CREATE [UNIQUE] INDEX [IF NOT EXISTS] [name] ON t (expr [ASC|DESC] [NULLS ...], ...)
StatementPtr Parser::ParseCreateIndex(int pos, bool unique) {
  Advance();  // INDEX
  auto index = std::make_unique<CreateIndexStmt>(pos);
  index->unique = unique;
  index->if_not_exists = ParseIfNotExists();
  if (!AtKeyword("on")) index->name = ParseColumnName("an index name or ON");
  ExpectKeyword("on");
  index->table = ParseQualifiedName("a table name");
  Expect(TokenKind::LParen, "'('");
  index->columns = ParseOrderByList();
  Expect(TokenKind::RParen, "',' or ')'");
  end_hint_ = "the end of the statement";
  return index;
}

StatementPtr Parser::ParseCreateDatabase(int pos) {
  Advance();  // DATABASE
  auto create = std::make_unique<CreateDatabaseStmt>(pos);
  create->if_not_exists = ParseIfNotExists();
  create->name = ParseColumnName("a database name");
  return create;
}

// DROP {TABLE | VIEW | INDEX | DATABASE} [IF EXISTS] name, ... [CASCADE | RESTRICT]
StatementPtr Parser::ParseDrop() {
  if (Peek(1).IsKeyword("user")) return ParseDropUser(Advance().pos);
  auto drop = std::make_unique<DropStmt>(Advance().pos);
  std::string_view expected;
  if (AcceptKeyword("table")) {
    drop->object = ObjectKind::Table;
    expected = "a table name";
  } else if (AcceptKeyword("view")) {
    drop->object = ObjectKind::View;
    expected = "a view name";
  } else if (AcceptKeyword("index")) {
    drop->object = ObjectKind::Index;
    expected = "an index name";
  } else if (AcceptKeyword("database")) {
    drop->object = ObjectKind::Database;
    expected = "a database name";
  } else if (AtKeyword("trigger")) {
    FailNotSupported(Peek(), "triggers are not supported");
  } else {
    Fail("TABLE, VIEW, INDEX, DATABASE or USER");
  }
  drop->if_exists = ParseIfExists();
  do {
    if (drop->object == ObjectKind::Database) {
      QualifiedName name;
      name.pos = Peek().pos;
      name.name = ParseColumnName(expected);
      drop->names.push_back(std::move(name));
    } else {
      drop->names.push_back(ParseQualifiedName(expected));
    }
  } while (Accept(TokenKind::Comma));
  if (AcceptKeyword("cascade")) {
    drop->cascade = true;
  } else {
    AcceptKeyword("restrict");
  }
  return drop;
}

// ALTER TABLE [IF EXISTS] t action
StatementPtr Parser::ParseAlter() {
  return Peek(1).IsKeyword("user") ? ParseAlterUser() : ParseAlterTable();
}

StatementPtr Parser::ParseAlterTable() {
  auto alter = std::make_unique<AlterTableStmt>(Advance().pos);
  ExpectKeyword("table");
  alter->if_exists = ParseIfExists();
  alter->table = ParseQualifiedName("a table name");
  ParseAlterAction(*alter);
  end_hint_ = "the end of the statement";  // not what a DEFAULT's subquery left
  return alter;
}

// ADD [COLUMN] [IF NOT EXISTS] coldef | DROP [COLUMN] [IF EXISTS] c [CASCADE | RESTRICT] |
// RENAME [COLUMN] a TO b | RENAME TO n | ALTER [COLUMN] c column-action
void Parser::ParseAlterAction(AlterTableStmt& alter) {
  if (AcceptKeyword("add")) {
    AcceptKeyword("column");
    alter.action = AlterKind::AddColumn;
    alter.if_not_exists = ParseIfNotExists();
    alter.column = ParseColumnDef();
  } else if (AcceptKeyword("drop")) {
    AcceptKeyword("column");
    alter.action = AlterKind::DropColumn;
    alter.if_column_exists = ParseIfExists();
    alter.name = ParseColumnName("a column name");
    alter.cascade = AcceptKeyword("cascade");
    if (!alter.cascade) AcceptKeyword("restrict");
  } else if (AcceptKeyword("rename")) {
    if (AcceptKeyword("to")) {
      alter.action = AlterKind::RenameTable;
      alter.name = ParseColumnName("a table name");
      return;
    }
    AcceptKeyword("column");
    alter.action = AlterKind::RenameColumn;
    alter.name = ParseColumnName("a column name");
    ExpectKeyword("to");
    alter.new_name = ParseColumnName("a column name");
  } else if (AcceptKeyword("alter")) {
    AcceptKeyword("column");
    alter.column.pos = Peek().pos;
    alter.column.name = ParseColumnName("a column name");
    ParseAlterColumnAction(alter);
  } else {
    Fail("ADD, DROP, RENAME or ALTER");
  }
}

// After ALTER [COLUMN] c: SET DEFAULT expr | DROP DEFAULT | SET NOT NULL | DROP NOT NULL |
// [SET DATA] TYPE t [USING expr]
void Parser::ParseAlterColumnAction(AlterTableStmt& alter) {
  if (AcceptKeyword("set")) {
    if (AcceptKeyword("default")) {
      alter.action = AlterKind::SetDefault;
      size_t first = pos_;
      alter.column.default_value = ParseExpr(kPrecCompare);  // b_expr, as in a column definition
      alter.column.default_text = SourceFrom(first);
      return;
    }
    if (AcceptKeywords("not", "null")) {
      alter.action = AlterKind::SetNotNull;
      return;
    }
    if (!AtKeyword("data")) Fail("DEFAULT, NOT NULL or DATA TYPE");
    Advance();
  } else if (AcceptKeyword("drop")) {
    if (AcceptKeyword("default")) {
      alter.action = AlterKind::DropDefault;
      return;
    }
    if (!AcceptKeywords("not", "null")) Fail("DEFAULT or NOT NULL");
    alter.action = AlterKind::DropNotNull;
    return;
  } else if (!AtKeyword("type")) {
    Fail("SET, DROP or TYPE");
  }
  ExpectKeyword("type");
  alter.action = AlterKind::AlterColumnType;
  alter.column.type = ParseType();
  if (AcceptKeyword("using")) alter.using_expr = ParseExpr();
}

// TRUNCATE [TABLE] t, ...
StatementPtr Parser::ParseTruncate() {
  auto truncate = std::make_unique<TruncateStmt>(Advance().pos);
  AcceptKeyword("table");
  do {
    truncate->tables.push_back(ParseQualifiedName("a table name"));
  } while (Accept(TokenKind::Comma));
  return truncate;
}

}  // namespace lyt::sql
