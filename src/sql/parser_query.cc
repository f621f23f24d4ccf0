// Query expressions: WITH, set operations, SELECT blocks, VALUES, ORDER BY / LIMIT / OFFSET,
// and telling a parenthesized query from a parenthesized expression or join.
#include <string>

#include "sql/parser_internal.h"

namespace lyt::sql {

using namespace lyt::ast;

// [WITH ...] set-operation tree [ORDER BY] [LIMIT] [OFFSET]
QueryPtr Parser::ParseQuery() {
  DepthGuard guard(*this);
  const Token& start = Peek();
  std::vector<CommonTableExpr> ctes;
  bool recursive = false;
  if (AtKeyword("with")) ParseWith(ctes, recursive);
  QueryPtr query = ParseSetOperations(/*intersect_level=*/false);
  ParseQueryTail(*query);
  if (!ctes.empty()) {
    if (!query->ctes.empty()) throw Error(sqlstate::kSyntaxError, "multiple WITH clauses not allowed", start.pos);
    query->ctes = std::move(ctes);
    query->recursive_ctes = recursive;
    query->pos = start.pos;
  }
  return query;
}

void Parser::ParseWith(std::vector<CommonTableExpr>& ctes, bool& recursive) {
  Advance();  // WITH
  recursive = AcceptKeyword("recursive");
  do {
    CommonTableExpr cte;
    cte.pos = Peek().pos;
    cte.name = ParseColumnName("a query name");
    if (At(TokenKind::LParen)) cte.column_names = ParseColumnNameList();
    ExpectKeyword("as");
    if (!AcceptKeyword("materialized")) AcceptKeywords("not", "materialized");
    cte.query = ParseParenthesizedQuery();
    ctes.push_back(std::move(cte));
  } while (Accept(TokenKind::Comma));
}

// INTERSECT binds tighter than UNION and EXCEPT; all are left-associative.
QueryPtr Parser::ParseSetOperations(bool intersect_level) {
  auto operand = [&] { return intersect_level ? ParseQueryPrimary() : ParseSetOperations(true); };
  HeightScope height(*this);
  QueryPtr left = operand();
  height.Wrap();
  while (true) {
    SetOpType type;
    if (intersect_level && AtKeyword("intersect")) {
      type = SetOpType::Intersect;
    } else if (!intersect_level && AtKeyword("union")) {
      type = SetOpType::Union;
    } else if (!intersect_level && AtKeyword("except")) {
      type = SetOpType::Except;
    } else {
      return left;
    }
    Advance();
    auto node = std::make_unique<SetOpNode>(left->pos);
    node->op = type;
    node->all = AcceptKeyword("all");
    if (!node->all) AcceptKeyword("distinct");
    node->left = std::move(left);
    node->right = operand();
    left = std::move(node);
    height.Wrap();
  }
}

QueryPtr Parser::ParseQueryPrimary() {
  if (AtKeyword("select")) return ParseSelectBlock();
  if (AtKeyword("values")) return ParseValuesQuery();
  if (At(TokenKind::LParen)) return ParseParenthesizedQuery();
  Fail("SELECT, VALUES or '('");
}

// ORDER BY, then LIMIT / OFFSET / FETCH in any order. Clauses after a parenthesized query
// apply to it directly (as in PostgreSQL), so each may appear only once.
void Parser::ParseQueryTail(QueryNode& query) {
  auto once = [&](bool already_set, const Token& clause, const char* name) {
    if (already_set) {
      throw Error(sqlstate::kSyntaxError, std::string("multiple ") + name + " clauses not allowed", clause.pos);
    }
  };
  if (AtKeyword("order")) {
    const Token& clause = Advance();
    ExpectKeyword("by");
    once(!query.order_by.empty(), clause, "ORDER BY");
    query.order_by = ParseOrderByList();
    end_hint_ = "LIMIT, OFFSET or the end of the statement";
  }
  while (true) {
    const Token& clause = Peek();
    if (AcceptKeyword("limit")) {
      once(query.limit != nullptr, clause, "LIMIT");
      if (!AcceptKeyword("all")) query.limit = ParseExpr();
    } else if (AcceptKeyword("offset")) {
      once(query.offset != nullptr, clause, "OFFSET");
      query.offset = ParseExpr();
      if (!AcceptKeyword("rows")) AcceptKeyword("row");
    } else if (AcceptKeyword("fetch")) {  // FETCH {FIRST|NEXT} [n] {ROW|ROWS} ONLY
      once(query.limit != nullptr, clause, "LIMIT");
      if (!AcceptKeyword("first") && !AcceptKeyword("next")) Fail("FIRST or NEXT");
      if (AtKeyword("row") || AtKeyword("rows")) {
        query.limit = std::make_unique<Constant>(Value::Integer(1), clause.pos);
      } else {
        query.limit = ParseExpr();
      }
      if (!AcceptKeyword("rows")) ExpectKeyword("row");
      ExpectKeyword("only");
    } else {
      return;
    }
    end_hint_ = query.limit ? (query.offset ? "the end of the statement" : "OFFSET or the end of the statement")
                            : "LIMIT or the end of the statement";
  }
}

QueryPtr Parser::ParseSelectBlock() {
  auto select = std::make_unique<SelectNode>(Advance().pos);
  if (AcceptKeyword("distinct")) {
    if (AtKeyword("on")) FailNotSupported(Peek(), "SELECT DISTINCT ON is not supported");
    select->distinct = true;
  } else {
    AcceptKeyword("all");
  }
  select->select_list = ParseSelectList();
  end_hint_ = "FROM or the end of the statement";
  if (AcceptKeyword("from")) {
    select->from = ParseFromList();
    end_hint_ = "WHERE, GROUP BY, ORDER BY, a join or the end of the statement";
  }
  if (AcceptKeyword("where")) {
    select->where = ParseExpr();
    end_hint_ = "GROUP BY, ORDER BY, LIMIT or the end of the statement";
  }
  if (AcceptKeyword("group")) {
    ExpectKeyword("by");
    select->group_by = ParseExprList();
    end_hint_ = "HAVING, ORDER BY, LIMIT or the end of the statement";
  }
  if (AcceptKeyword("having")) {
    select->having = ParseExpr();
    end_hint_ = "ORDER BY, LIMIT or the end of the statement";
  }
  if (AcceptKeyword("window")) {
    do {
      NamedWindow window;
      window.pos = Peek().pos;
      window.name = ParseLabel("a window name");
      ExpectKeyword("as");
      window.spec = ParseWindowSpec();
      select->windows.push_back(std::move(window));
    } while (Accept(TokenKind::Comma));
    end_hint_ = "ORDER BY, LIMIT or the end of the statement";
  }
  return select;
}

std::vector<SelectItem> Parser::ParseSelectList() {
  constexpr size_t kTypicalItems = 4;  // one allocation for most select lists
  std::vector<SelectItem> items;
  items.reserve(kTypicalItems);
  do {
    items.push_back(ParseSelectItem());
  } while (Accept(TokenKind::Comma));
  return items;
}

// *, t.*, or expr [[AS] alias].
SelectItem Parser::ParseSelectItem() {
  SelectItem item;
  if (At(TokenKind::Star)) {
    item.expr = std::make_unique<Star>(Advance().pos);
    return item;
  }
  item.expr = ParseExpr();
  if (item.expr->kind == ExprKind::Star) return item;
  if (AcceptKeyword("as")) {
    item.alias = ParseLabel("an alias");
  } else if (AtColumnName()) {
    item.alias = Advance().text;
  }
  return item;
}

std::vector<OrderItem> Parser::ParseOrderByList() {
  std::vector<OrderItem> items;
  do {
    items.push_back(ParseOrderItem());
  } while (Accept(TokenKind::Comma));
  return items;
}

// expr [ASC | DESC] [NULLS FIRST | LAST]
OrderItem Parser::ParseOrderItem() {
  OrderItem item;
  item.expr = ParseExpr();
  if (AcceptKeyword("desc")) {
    item.descending = true;
  } else {
    AcceptKeyword("asc");
  }
  if (AcceptKeyword("nulls")) {
    if (AcceptKeyword("first")) {
      item.nulls_first = true;
    } else if (AcceptKeyword("last")) {
      item.nulls_first = false;
    } else {
      Fail("FIRST or LAST");
    }
  }
  return item;
}

QueryPtr Parser::ParseValuesQuery() {
  auto values = std::make_unique<ValuesNode>(Advance().pos);
  values->rows = ParseValuesRows(/*allow_default=*/false);
  end_hint_ = "ORDER BY, LIMIT or the end of the statement";
  return values;
}

std::vector<std::vector<ExprPtr>> Parser::ParseValuesRows(bool allow_default) {
  std::vector<std::vector<ExprPtr>> rows;
  do {
    const Token& open = Expect(TokenKind::LParen, "'('");
    std::vector<ExprPtr> row;
    do {
      if (allow_default && AcceptKeyword("default")) {
        row.push_back(nullptr);
      } else {
        row.push_back(ParseExpr());
      }
    } while (Accept(TokenKind::Comma));
    Expect(TokenKind::RParen, "',' or ')'");
    if (!rows.empty() && row.size() != rows.front().size()) {
      throw Error(sqlstate::kSyntaxError, "VALUES lists must all be the same length", open.pos);
    }
    rows.push_back(std::move(row));
  } while (Accept(TokenKind::Comma));
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Parenthesized queries

bool Parser::IsQueryStart(size_t ahead) const {
  const Token& token = Peek(ahead);
  if (token.IsKeyword("select") || token.IsKeyword("with")) return true;
  return token.IsKeyword("values") && Peek(ahead + 1).kind == TokenKind::LParen;
}

// True when the parentheses starting at `ahead` open onto a query: (((SELECT ...
bool Parser::LooksLikeParenthesizedQuery(size_t ahead) const {
  while (Peek(ahead).kind == TokenKind::LParen) ++ahead;
  return IsQueryStart(ahead);
}

QueryPtr Parser::ParseParenthesizedQuery() {
  Expect(TokenKind::LParen, "'('");
  QueryPtr query = ParseQuery();
  Expect(TokenKind::RParen, "')'");
  return query;
}

// `(SELECT` is always a query. `((SELECT 1) + 1)` and `((SELECT 1) UNION SELECT 2)` look
// alike up to the operator, so a `((` leading to a query is tried as a query first and the
// caller falls back to its other reading on failure.
QueryPtr Parser::TryParseParenthesizedQuery(std::optional<Error>& failure) {
  if (IsQueryStart(1)) return ParseParenthesizedQuery();
  if (Peek(1).kind != TokenKind::LParen || !LooksLikeParenthesizedQuery(1)) return nullptr;
  if (auto failed = failed_query_attempts_.find(pos_); failed != failed_query_attempts_.end()) {
    failure = failed->second;
    return nullptr;
  }
  size_t saved_pos = pos_;
  int saved_height = child_height_;
  std::string_view saved_hint = end_hint_;
  try {
    return ParseParenthesizedQuery();
  } catch (const Error& error) {
    if (std::string_view(error.sqlstate()) == sqlstate::kProgramLimitExceeded) throw;
    pos_ = saved_pos;
    child_height_ = saved_height;
    end_hint_ = saved_hint;
    failure = error;
    failed_query_attempts_.emplace(saved_pos, error);
    return nullptr;
  }
}

void Parser::RethrowFurthest(const Error& error, const std::optional<Error>& other) const {
  bool other_further = other && std::string_view(error.sqlstate()) != sqlstate::kProgramLimitExceeded &&
                       other->position() > error.position();
  if (other_further) throw *other;
  throw error;
}

}  // namespace lyt::sql
