// Entry points, the token cursor, error reporting, names and statement dispatch.
#include "sql/parser.h"

#include <algorithm>
#include <string>
#include <utility>

#include "sql/lexer.h"
#include "sql/parser_internal.h"
#include "sql/word_set.h"

namespace lyt {

using namespace lyt::ast;

namespace {

sql::LexResult LexOrThrow(std::string_view sql, std::vector<sql::Token> buffer = {}) {
  sql::LexResult lexed = sql::Lex(sql, std::move(buffer));
  if (lexed.error) throw *lexed.error;
  return lexed;
}

// Each thread keeps the token vector of its last statement for the next: short statements need
// a little over 1 KiB of tokens, which glibc's malloc serves slowly (thousands of instructions,
// more than lexing them). Vectors of more than kMaxKept tokens are freed rather than kept.
std::vector<sql::Token>& KeptTokens() {
  thread_local std::vector<sql::Token> kept;
  return kept;
}

void KeepTokens(std::vector<sql::Token> tokens) {
  constexpr size_t kMaxKept = 1024;
  if (tokens.capacity() > kMaxKept) return;
  tokens.clear();
  KeptTokens() = std::move(tokens);
}

}  // namespace

std::vector<StatementPtr> ParseSql(std::string_view sql) {
  sql::Parser parser(sql, LexOrThrow(sql, std::move(KeptTokens())).tokens);
  std::vector<StatementPtr> statements = parser.ParseStatements();
  KeepTokens(parser.ReleaseTokens());
  return statements;
}

int HighestParameter(const std::vector<StatementPtr>& statements) {
  int highest = 0;
  for (const auto& s : statements) highest = std::max(highest, s->highest_param);
  return highest;
}

ExprPtr ParseExpression(std::string_view sql) {
  return sql::Parser(sql, LexOrThrow(sql).tokens).ParseWholeExpression();
}

LogicalType ParseTypeName(std::string_view name) {
  return sql::Parser(name, LexOrThrow(name).tokens).ParseWholeType();
}

namespace sql {

Parser::Parser(std::string_view sql, std::vector<Token> tokens) : sql_(sql), tokens_(std::move(tokens)) {}

std::vector<StatementPtr> Parser::ParseStatements() {
  std::vector<StatementPtr> statements;
  while (true) {
    while (Accept(TokenKind::Semicolon)) {
    }
    if (At(TokenKind::End)) return statements;
    size_t first = pos_;
    StatementPtr statement = ParseStatement();
    if (!AtStatementEnd()) Fail(end_hint_);
    statement->text = SourceFrom(first);
    for (size_t t = first; t < pos_; ++t) {
      if (tokens_[t].kind == TokenKind::Parameter) statement->highest_param = std::max(statement->highest_param, tokens_[t].param_index);
    }
    statements.push_back(std::move(statement));
  }
}

ExprPtr Parser::ParseWholeExpression() {
  ExprPtr expr = ParseExpr();
  if (!At(TokenKind::End)) Fail("an operator or the end of the expression");
  return expr;
}

LogicalType Parser::ParseWholeType() {
  LogicalType type = ParseType();
  if (!At(TokenKind::End)) Fail("the end of the type name");
  return type;
}

Parser::DepthGuard::DepthGuard(Parser& parser) : parser_(parser) {
  if (++parser_.depth_ > kMaxNestingDepth) {
    --parser_.depth_;
    throw Error(sqlstate::kProgramLimitExceeded,
                "expression nesting too deep (limit " + std::to_string(kMaxNestingDepth) + ")",
                parser_.Peek().pos);
  }
}

void Parser::HeightScope::Wrap() {
  height_ = 1 + std::max(height_, parser_.child_height_);
  parser_.child_height_ = 0;
  if (height_ > kMaxTreeHeight) {
    throw Error(sqlstate::kProgramLimitExceeded,
                "syntax tree too deep (limit " + std::to_string(kMaxTreeHeight) + " levels)",
                parser_.Peek().pos);
  }
}

// ---------------------------------------------------------------------------------------------
// Token cursor

bool Parser::AcceptKeywords(std::string_view first, std::string_view second) {
  if (!AtKeyword(first) || !Peek(1).IsKeyword(second)) return false;
  Advance();
  Advance();
  return true;
}

const Token& Parser::Expect(TokenKind kind, std::string_view expected) {
  if (!At(kind)) Fail(expected);
  return Advance();
}

void Parser::ExpectKeyword(std::string_view keyword) {
  if (AcceptKeyword(keyword)) return;
  std::string upper(keyword);
  for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  Fail(upper);
}

void Parser::Fail(std::string_view expected) const { FailAt(Peek(), expected); }

void Parser::FailAt(const Token& token, std::string_view expected) const {
  std::optional<std::string_view> text;
  if (token.kind != TokenKind::End) text = sql_.substr(token.pos, token.end - token.pos);
  throw Error(sqlstate::kSyntaxError, SyntaxErrorMessage(text, expected), token.pos);
}

void Parser::FailNotSupported(const Token& token, std::string what) const {
  throw Error(sqlstate::kFeatureNotSupported, std::move(what), token.pos);
}

std::string Parser::SourceFrom(size_t first_token) const {
  if (pos_ <= first_token) return {};
  int begin = tokens_[first_token].pos;
  int end = tokens_[pos_ - 1].end;
  return std::string(sql_.substr(begin, end - begin));
}

// ---------------------------------------------------------------------------------------------
// Names

// PostgreSQL's reserved key words: never a column, table or function name unless quoted.
bool Parser::IsReservedWord(std::string_view word) {
  static const WordSet kReserved = {
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case",
      "cast", "check", "collate", "column", "constraint", "create", "current_catalog",
      "current_date", "current_role", "current_time", "current_timestamp", "current_user",
      "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false",
      "fetch", "for", "foreign", "from", "grant", "group", "having", "in", "initially",
      "intersect", "into", "lateral", "leading", "limit", "localtime", "localtimestamp", "not",
      "null", "offset", "on", "only", "or", "order", "placing", "primary", "references",
      "returning", "select", "session_user", "some", "symmetric", "table", "then", "to",
      "trailing", "true", "union", "unique", "user", "using", "variadic", "when", "where",
      "window", "with"};
  return kReserved.Contains(word);
}

// Key words that may name a function but not a column, table or alias (JOIN, LEFT, LIKE, ...):
// they follow a table reference or an expression, so a bare alias must not swallow them.
bool Parser::IsNonColumnWord(std::string_view word) {
  static const WordSet kWords = {
      "authorization", "binary", "collation", "concurrently", "cross", "current_schema",
      "freeze", "full", "ilike", "inner", "is", "isnull", "join", "left", "like", "natural",
      "notnull", "outer", "overlaps", "right", "similar", "tablesample", "verbose"};
  return kWords.Contains(word);
}

bool Parser::AtColumnName() const {
  const Token& token = Peek();
  if (token.kind == TokenKind::QuotedIdentifier) return true;
  return token.kind == TokenKind::Identifier && !IsReservedWord(token.text) && !IsNonColumnWord(token.text);
}

std::string Parser::ParseColumnName(std::string_view expected) {
  if (!AtColumnName()) Fail(expected);
  return Advance().text;
}

std::string Parser::ParseLabel(std::string_view expected) {
  if (!At(TokenKind::Identifier) && !At(TokenKind::QuotedIdentifier)) Fail(expected);
  return Advance().text;
}

QualifiedName Parser::ParseQualifiedName(std::string_view expected) {
  QualifiedName name;
  name.pos = Peek().pos;
  name.name = ParseColumnName(expected);
  if (Accept(TokenKind::Dot)) {
    name.database = std::move(name.name);
    name.name = ParseColumnName(expected);
  }
  return name;
}

std::vector<std::string> Parser::ParseColumnNameList() {
  Expect(TokenKind::LParen, "'('");
  std::vector<std::string> names;
  do {
    names.push_back(ParseColumnName("a column name"));
  } while (Accept(TokenKind::Comma));
  Expect(TokenKind::RParen, "',' or ')'");
  return names;
}

bool Parser::ParseIfExists() {
  if (!AcceptKeyword("if")) return false;
  ExpectKeyword("exists");
  return true;
}

bool Parser::ParseIfNotExists() {
  if (!AcceptKeyword("if")) return false;
  ExpectKeyword("not");
  ExpectKeyword("exists");
  return true;
}

// ---------------------------------------------------------------------------------------------
// Statements

StatementPtr Parser::ParseStatement() {
  using Handler = StatementPtr (Parser::*)();
  static const std::pair<std::string_view, Handler> kHandlers[] = {
      {"select", &Parser::ParseQueryStatement}, {"with", &Parser::ParseQueryStatement},
      {"values", &Parser::ParseQueryStatement}, {"insert", &Parser::ParseInsert},
      {"replace", &Parser::ParseInsert},        {"update", &Parser::ParseUpdate},
      {"delete", &Parser::ParseDelete},         {"create", &Parser::ParseCreate},
      {"drop", &Parser::ParseDrop},             {"alter", &Parser::ParseAlter},
      {"truncate", &Parser::ParseTruncate},     {"use", &Parser::ParseUse},
      {"show", &Parser::ParseShow},             {"describe", &Parser::ParseDescribe},
      {"desc", &Parser::ParseDescribe},         {"explain", &Parser::ParseExplain},
      {"copy", &Parser::ParseCopy},             {"set", &Parser::ParseSet},
      {"reset", &Parser::ParseReset},           {"begin", &Parser::ParseTransaction},
      {"start", &Parser::ParseTransaction},     {"commit", &Parser::ParseTransaction},
      {"end", &Parser::ParseTransaction},       {"rollback", &Parser::ParseTransaction},
      {"abort", &Parser::ParseTransaction},     {"savepoint", &Parser::ParseTransaction},
      {"release", &Parser::ParseTransaction},   {"grant", &Parser::ParseGrant},
      {"revoke", &Parser::ParseGrant},         {"checkpoint", &Parser::ParseCheckpoint},
      {"backup", &Parser::ParseBackup},         {"analyze", &Parser::ParseAnalyze},
      {"analyse", &Parser::ParseAnalyze},
  };
  DepthGuard guard(*this);
  end_hint_ = "the end of the statement";
  if (At(TokenKind::LParen)) return ParseQueryStatement();
  for (const auto& [keyword, handler] : kHandlers) {
    if (AtKeyword(keyword)) return (this->*handler)();
  }
  if (AtKeyword("reindex")) FailNotSupported(Peek(), "REINDEX is not supported (LytDB's indexes are always up to date)");
  Fail("a statement");
}

StatementPtr Parser::ParseQueryStatement() {
  auto statement = std::make_unique<SelectStmt>(Peek().pos);
  statement->query = ParseQuery();
  return statement;
}

}  // namespace sql
}  // namespace lyt
