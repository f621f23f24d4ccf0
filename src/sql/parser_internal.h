// The recursive-descent parser behind sql/parser.h, shared by the parser_*.cc files: parser.cc
// (token cursor, errors, names, statement dispatch), parser_expr.cc (Pratt expression parsing),
// parser_func.cc (calls and their special syntaxes), parser_query.cc (SELECT, set operations,
// VALUES), parser_from.cc (FROM items), parser_type.cc, parser_dml.cc, parser_ddl.cc,
// parser_utility.cc (the remaining statements) and parser_users.cc (users and privileges).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/error.h"
#include "sql/ast.h"
#include "sql/token.h"

namespace lyt::sql {

// Binding powers of PostgreSQL's operator precedence levels, loosest first. An infix operator
// continues an expression parsed with minimum power p only when its power is >= p.
enum Precedence : int {
  kPrecNone = 0,
  kPrecOr,
  kPrecAnd,
  kPrecNot,      // prefix NOT
  kPrecIs,       // IS ..., ISNULL, NOTNULL
  kPrecCompare,  // = <> < > <= >=
  kPrecLike,     // BETWEEN, IN, LIKE, ILIKE
  kPrecOther,    // ||
  kPrecAdd,      // + -
  kPrecMul,      // * / %
  kPrecUnary,    // prefix + -
  kPrecCast,     // ::
};

// Nested expressions, queries and parenthesized joins beyond this depth are rejected with
// SQLSTATE 54000 instead of risking the parser's stack.
inline constexpr int kMaxNestingDepth = 500;
// Left-deep chains (a + b + c ..., UNION chains, join lists) are parsed by loops, yet build
// trees as deep as they are long, which every later recursive pass (and the destructors) must
// descend. Trees deeper than this are rejected with SQLSTATE 54000, as SQLite does.
inline constexpr int kMaxTreeHeight = 1000;

class Parser {
 public:
  Parser(std::string_view sql, std::vector<Token> tokens);

  std::vector<ast::StatementPtr> ParseStatements();
  ast::ExprPtr ParseWholeExpression();
  LogicalType ParseWholeType();
  // Hands the token vector back for reuse; the parser must not be used afterwards.
  std::vector<Token> ReleaseTokens() { return std::move(tokens_); }

 private:
  // Counts one level of nesting for as long as it lives.
  class DepthGuard {
   public:
    explicit DepthGuard(Parser& parser);
    ~DepthGuard() { --parser_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser& parser_;
  };

  // Measures the height of the tree built by one chain-building loop. Subtrees completed while
  // it lives report their heights through `child_height_`; constructs without a scope of their
  // own (function calls, CASE, SELECT blocks, ...) pass their children's heights through, so the
  // count is a slight overestimate.
  class HeightScope {
   public:
    explicit HeightScope(Parser& parser) : parser_(parser), enclosing_(parser.child_height_) {
      parser.child_height_ = 0;
    }
    ~HeightScope() { parser_.child_height_ = std::max(enclosing_, height_); }
    HeightScope(const HeightScope&) = delete;
    HeightScope& operator=(const HeightScope&) = delete;
    // Counts a new root over the tree so far and the subtrees completed since the last call.
    void Wrap();

   private:
    Parser& parser_;
    int enclosing_;  // the enclosing scope's tallest child so far
    int height_ = 0;
  };

  // --- token cursor (defined here: called several times per token) and errors (parser.cc)
  const Token& Peek(size_t ahead = 0) const {
    size_t index = pos_ + ahead;
    return index < tokens_.size() ? tokens_[index] : tokens_.back();
  }
  // Never moves past the End token.
  const Token& Advance() {
    const Token& token = tokens_[pos_];
    if (token.kind != TokenKind::End) ++pos_;
    return token;
  }
  bool At(TokenKind kind) const { return Peek().kind == kind; }
  bool AtKeyword(std::string_view keyword) const { return Peek().IsKeyword(keyword); }
  bool Accept(TokenKind kind) {
    if (!At(kind)) return false;
    Advance();
    return true;
  }
  bool AcceptKeyword(std::string_view keyword) {
    if (!AtKeyword(keyword)) return false;
    Advance();
    return true;
  }
  // Accepts `first second` only when both follow.
  bool AcceptKeywords(std::string_view first, std::string_view second);
  const Token& Expect(TokenKind kind, std::string_view expected);
  // Fails with "expected KEYWORD" when the keyword is missing.
  void ExpectKeyword(std::string_view keyword);
  [[noreturn]] void Fail(std::string_view expected) const;
  [[noreturn]] void FailAt(const Token& token, std::string_view expected) const;
  [[noreturn]] void FailNotSupported(const Token& token, std::string what) const;
  bool AtStatementEnd() const { return At(TokenKind::Semicolon) || At(TokenKind::End); }
  // Source text from token `first` through the last consumed token.
  std::string SourceFrom(size_t first_token) const;

  // --- names (parser.cc)
  static bool IsReservedWord(std::string_view word);
  static bool IsNonColumnWord(std::string_view word);
  // A name usable for a column, table or alias: a quoted identifier or a non-reserved word.
  bool AtColumnName() const;
  std::string ParseColumnName(std::string_view expected);
  // After AS: any identifier, reserved words included.
  std::string ParseLabel(std::string_view expected);
  ast::QualifiedName ParseQualifiedName(std::string_view expected);
  // ( name, name, ... )
  std::vector<std::string> ParseColumnNameList();
  // Either `IF EXISTS` / `IF NOT EXISTS`.
  bool ParseIfExists();
  bool ParseIfNotExists();

  // --- statements (parser.cc)
  ast::StatementPtr ParseStatement();
  ast::StatementPtr ParseQueryStatement();

  // --- expressions (parser_expr.cc)
  ast::ExprPtr ParseExpr(int min_precedence = kPrecOr);
  std::vector<ast::ExprPtr> ParseExprList();
  ast::ExprPtr ParsePrefix();
  ast::ExprPtr ParseNegation();
  int InfixPrecedence() const;
  ast::ExprPtr ParseInfix(ast::ExprPtr left, int precedence);
  ast::ExprPtr ParseComparison(ast::ExprPtr left);
  ast::ExprPtr ParseIsPredicate(ast::ExprPtr left);
  ast::ExprPtr ParseNegatablePredicate(ast::ExprPtr left);
  ast::ExprPtr ParseBetween(ast::ExprPtr left, bool negated);
  ast::ExprPtr ParseIn(ast::ExprPtr left, bool negated);
  ast::ExprPtr ParseLike(ast::ExprPtr left, bool negated);
  ast::ExprPtr ParsePrimary();
  ast::ExprPtr ParseKeywordPrimary();
  ast::ExprPtr ParseNumber(const Token& token, bool negative, int pos);
  ast::ExprPtr ParseStringConstant();
  ast::ExprPtr ParseParenthesized();
  ast::ExprPtr ParseNameOrCall();
  ast::ExprPtr ParseCase();
  ast::ExprPtr ParseCast();
  ast::ExprPtr ParseExists();
  ast::ExprPtr ParseInterval();
  ast::ExprPtr ParseTypedLiteral(LogicalType type);

  // --- function calls (parser_func.cc)
  ast::ExprPtr ParseFunctionCall(std::string name, int pos);
  ast::ExprPtr ParseSpecialCall(const std::string& name, int pos);
  void ParseCallArguments(ast::Function& call);
  void ParseCallSuffixes(ast::Function& call);
  std::unique_ptr<ast::WindowSpec> ParseWindowSpec();
  void ParseWindowFrame(ast::WindowSpec& spec);
  ast::FrameBound ParseFrameBound();
  ast::ExprPtr ParseExtract(int pos);
  ast::ExprPtr ParsePosition(int pos);
  ast::ExprPtr ParseSubstring(int pos);
  ast::ExprPtr ParseTrim(int pos);

  // --- queries (parser_query.cc)
  ast::QueryPtr ParseQuery();
  void ParseWith(std::vector<ast::CommonTableExpr>& ctes, bool& recursive);
  // UNION/EXCEPT terms of INTERSECT terms, both left-associative.
  ast::QueryPtr ParseSetOperations(bool intersect_level);
  ast::QueryPtr ParseQueryPrimary();
  void ParseQueryTail(ast::QueryNode& query);
  ast::QueryPtr ParseSelectBlock();
  std::vector<ast::SelectItem> ParseSelectList();
  ast::SelectItem ParseSelectItem();
  std::vector<ast::OrderItem> ParseOrderByList();
  ast::OrderItem ParseOrderItem();
  ast::QueryPtr ParseValuesQuery();
  // VALUES rows; `allow_default` admits DEFAULT (stored as a null ExprPtr) for INSERT.
  std::vector<std::vector<ast::ExprPtr>> ParseValuesRows(bool allow_default);
  bool IsQueryStart(size_t ahead) const;
  bool LooksLikeParenthesizedQuery(size_t ahead) const;
  // At '(': parses `( query )` when the parentheses hold a query, else returns null with the
  // cursor unchanged; a failed attempt at an ambiguous `((` is remembered in `failure`.
  ast::QueryPtr TryParseParenthesizedQuery(std::optional<Error>& failure);
  ast::QueryPtr ParseParenthesizedQuery();
  [[noreturn]] void RethrowFurthest(const Error& error, const std::optional<Error>& other) const;
  // Runs `parse` (the non-query reading of a parenthesis); when it fails after a failed query
  // attempt, reports whichever of the two errors got further into the text.
  template <class Parse>
  auto WithQueryFallback(const std::optional<Error>& failure, Parse parse) -> decltype(parse()) {
    if (!failure) return parse();
    try {
      return parse();
    } catch (const Error& error) {
      RethrowFurthest(error, failure);
    }
  }

  // --- FROM (parser_from.cc)
  ast::TableRefPtr ParseFromList();
  ast::TableRefPtr ParseFromItem();
  ast::TableRefPtr ParseJoin(ast::TableRefPtr left);
  ast::TableRefPtr ParseTablePrimary();
  ast::TableRefPtr ParseParenthesizedTableRef();
  ast::TableRefPtr MakeSubqueryRef(ast::QueryPtr query, int pos);
  void ParseTableAlias(ast::TableRef& ref);
  // UPDATE/DELETE target: name [[AS] alias]. `stop_word` is a keyword that cannot be a bare alias.
  std::string ParseTargetAlias(std::string_view stop_word);

  // --- types (parser_type.cc)
  LogicalType ParseType();
  std::optional<int64_t> ParseTypeModifier(bool allow_scale);
  LogicalType ParseVarcharType(const Token& type_token, bool varying);
  LogicalType ParseFloatType(const Token& type_token);
  LogicalType ParseTimestampType();

  // --- INSERT, UPDATE, DELETE (parser_dml.cc)
  ast::StatementPtr ParseInsert();
  void ParseInsertOr(ast::InsertStmt& insert);
  void ParseInsertSource(ast::InsertStmt& insert);
  void ParseOnConflict(ast::InsertStmt& insert);
  ast::StatementPtr ParseUpdate();
  ast::StatementPtr ParseDelete();
  std::vector<ast::SetClause> ParseSetClauses();
  std::vector<ast::SelectItem> ParseReturning();

  // --- CREATE, DROP, ALTER, TRUNCATE (parser_ddl.cc)
  ast::StatementPtr ParseCreate();
  ast::StatementPtr ParseCreateTable(int pos, bool temporary);
  void ParseTableElement(ast::CreateTableStmt& create);
  ast::ColumnDef ParseColumnDef();
  bool ParseColumnConstraint(ast::ColumnDef& column);
  std::optional<ast::TableConstraint> ParseTableConstraint();
  ast::StatementPtr ParseCreateView(int pos, bool or_replace, bool temporary);
  ast::StatementPtr ParseCreateIndex(int pos, bool unique);
  ast::StatementPtr ParseCreateDatabase(int pos);
  ast::StatementPtr ParseDrop();
  // ALTER USER or ALTER TABLE.
  ast::StatementPtr ParseAlter();
  ast::StatementPtr ParseAlterTable();
  void ParseAlterAction(ast::AlterTableStmt& alter);
  void ParseAlterColumnAction(ast::AlterTableStmt& alter);
  ast::StatementPtr ParseTruncate();

  // --- utility statements (parser_utility.cc)
  ast::StatementPtr ParseUse();
  ast::StatementPtr ParseCheckpoint();
  ast::StatementPtr ParseBackup();
  ast::StatementPtr ParseAnalyze();
  ast::StatementPtr ParseShow();
  ast::StatementPtr ParseDescribe();
  ast::StatementPtr ParseExplain();
  void ParseExplainOptions(ast::ExplainStmt& explain);
  bool ParseBooleanOption(const std::string& name);
  ast::StatementPtr ParseCopy();
  void ParseCopyTarget(ast::CopyStmt& copy);
  void ParseCopyOptions(ast::CopyStmt& copy);
  void ParseLegacyCopyOptions(ast::CopyStmt& copy);
  std::string ParseOptionValue();
  ast::StatementPtr ParseSet();
  ast::StatementPtr ParseReset();
  std::string ParseSettingName();
  ast::StatementPtr ParseTransaction();
  void ParseTransactionModes(ast::TransactionStmt& txn);

  // --- users and privileges (parser_users.cc)
  ast::StatementPtr ParseCreateUser(int pos);
  ast::StatementPtr ParseAlterUser();
  ast::StatementPtr ParseDropUser(int pos);
  ast::StatementPtr ParseGrant();
  std::string ParseUserPassword();

  std::string_view sql_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  int child_height_ = 0;  // see HeightScope
  // Parenthesized-query attempts that failed, by the token index of their '('. Parsing from a
  // token is deterministic, so an attempt never needs repeating; without this, enclosing
  // fallbacks re-running inner attempts make `((SELECT ((SELECT ...) + 1)) + 1)` exponential.
  std::unordered_map<size_t, Error> failed_query_attempts_;
  // What may follow the clause parsed last; names the alternatives when a statement has
  // trailing tokens ("FROM or the end of the statement").
  // Always a string literal.
  std::string_view end_hint_;
};

}  // namespace lyt::sql
