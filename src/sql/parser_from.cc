// FROM clauses: comma lists, joins, base tables, derived tables, VALUES tables and aliases.
#include "sql/parser_internal.h"

namespace lyt::sql {

using namespace lyt::ast;

namespace {

bool IsJoinKeyword(const Token& token) {
  for (std::string_view word : {"join", "inner", "left", "right", "full", "cross", "natural"}) {
    if (token.IsKeyword(word)) return true;
  }
  return false;
}

}  // namespace

// item, item, ... as left-deep cross joins; explicit joins bind tighter than commas.
TableRefPtr Parser::ParseFromList() {
  HeightScope height(*this);
  TableRefPtr left = ParseFromItem();
  height.Wrap();
  while (Accept(TokenKind::Comma)) {
    auto join = std::make_unique<Join>(left->pos);
    join->type = JoinType::Cross;
    join->left = std::move(left);
    join->right = ParseFromItem();
    left = std::move(join);
    height.Wrap();
  }
  return left;
}

TableRefPtr Parser::ParseFromItem() {
  HeightScope height(*this);
  TableRefPtr ref = ParseTablePrimary();
  height.Wrap();
  while (IsJoinKeyword(Peek())) {
    ref = ParseJoin(std::move(ref));
    height.Wrap();
  }
  return ref;
}

// [NATURAL] [INNER | LEFT [OUTER] | RIGHT [OUTER] | FULL [OUTER] | CROSS] JOIN t [ON e | USING (..)]
TableRefPtr Parser::ParseJoin(TableRefPtr left) {
  auto join = std::make_unique<Join>(left->pos);
  join->natural = AcceptKeyword("natural");
  if (!join->natural && AcceptKeyword("cross")) {
    join->type = JoinType::Cross;
  } else if (AcceptKeyword("left")) {
    join->type = JoinType::Left;
  } else if (AcceptKeyword("right")) {
    join->type = JoinType::Right;
  } else if (AcceptKeyword("full")) {
    join->type = JoinType::Full;
  } else {
    AcceptKeyword("inner");
  }
  if (join->type == JoinType::Left || join->type == JoinType::Right || join->type == JoinType::Full) {
    AcceptKeyword("outer");
  }
  ExpectKeyword("join");
  join->left = std::move(left);
  join->right = ParseTablePrimary();
  if (join->type == JoinType::Cross || join->natural) return join;
  if (AcceptKeyword("on")) {
    join->on = ParseExpr();
  } else if (AtKeyword("using")) {
    Advance();
    join->using_columns = ParseColumnNameList();
  } else {
    Fail("ON or USING");
  }
  return join;
}

TableRefPtr Parser::ParseTablePrimary() {
  if (At(TokenKind::LParen)) return ParseParenthesizedTableRef();
  if (AtColumnName() && Peek(1).kind == TokenKind::LParen) {  // a table function
    auto function = std::make_unique<FunctionRef>(Peek().pos);
    function->name = ParseColumnName("a function name");
    Advance();  // (
    if (!At(TokenKind::RParen)) function->args = ParseExprList();
    Expect(TokenKind::RParen, "',' or ')'");
    ParseTableAlias(*function);
    return function;
  }
  auto table = std::make_unique<BaseTable>(Peek().pos);
  table->name = ParseQualifiedName("a table name");
  ParseTableAlias(*table);
  return table;
}

// A derived table `(query) [AS] alias` or a parenthesized join `(a JOIN b ON ...)`.
TableRefPtr Parser::ParseParenthesizedTableRef() {
  DepthGuard guard(*this);
  int pos = Peek().pos;
  std::optional<Error> failure;
  TableRefPtr ref;
  if (QueryPtr query = TryParseParenthesizedQuery(failure)) {
    ref = MakeSubqueryRef(std::move(query), pos);
  } else {
    ref = WithQueryFallback(failure, [&] {
      Advance();  // (
      TableRefPtr inner = ParseFromItem();
      Expect(TokenKind::RParen, "')'");
      return inner;
    });
  }
  ParseTableAlias(*ref);
  return ref;
}

// A bare VALUES list becomes a ValuesRef; anything else (with ORDER BY, UNION, ...) a SubqueryRef.
TableRefPtr Parser::MakeSubqueryRef(QueryPtr query, int pos) {
  bool plain_values = query->kind == QueryKind::Values && query->ctes.empty() && query->order_by.empty() &&
                      !query->limit && !query->offset;
  if (plain_values) {
    auto values = std::make_unique<ValuesRef>(pos);
    values->rows = std::move(query->As<ValuesNode>().rows);
    return values;
  }
  auto subquery = std::make_unique<SubqueryRef>(pos);
  subquery->query = std::move(query);
  return subquery;
}

// [AS] alias [(column, ...)]
void Parser::ParseTableAlias(TableRef& ref) {
  if (AcceptKeyword("as")) {
    ref.alias = ParseColumnName("an alias");
  } else if (AtColumnName()) {
    ref.alias = Advance().text;
  } else {
    return;
  }
  if (At(TokenKind::LParen)) ref.column_aliases = ParseColumnNameList();
}

std::string Parser::ParseTargetAlias(std::string_view stop_word) {
  if (AcceptKeyword("as")) return ParseColumnName("an alias");
  if (AtColumnName() && !AtKeyword(stop_word)) return Advance().text;
  return {};
}

}  // namespace lyt::sql
