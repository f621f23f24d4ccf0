// Expressions: precedence climbing over PostgreSQL's operator levels (see Precedence).
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>

#include "sql/parser_internal.h"

namespace lyt::sql {

using namespace lyt::ast;

namespace {

std::optional<BinaryOp> ArithmeticOp(TokenKind kind) {
  switch (kind) {
    case TokenKind::Plus: return BinaryOp::Add;
    case TokenKind::Minus: return BinaryOp::Subtract;
    case TokenKind::Star: return BinaryOp::Multiply;
    case TokenKind::Slash: return BinaryOp::Divide;
    case TokenKind::Percent: return BinaryOp::Modulo;
    case TokenKind::Concat: return BinaryOp::Concat;
    default: return std::nullopt;
  }
}

std::optional<BinaryOp> ComparisonOp(TokenKind kind) {
  switch (kind) {
    case TokenKind::Equal: return BinaryOp::Equal;
    case TokenKind::NotEqual: return BinaryOp::NotEqual;
    case TokenKind::Less: return BinaryOp::Less;
    case TokenKind::LessEqual: return BinaryOp::LessEqual;
    case TokenKind::Greater: return BinaryOp::Greater;
    case TokenKind::GreaterEqual: return BinaryOp::GreaterEqual;
    default: return std::nullopt;
  }
}

// Integer literals take the narrowest of INTEGER, BIGINT and DOUBLE that holds them; the sign
// is part of the literal so that -2147483648 is still an INTEGER.
Value IntegerLiteral(const std::string& digits, bool negative) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  uint64_t magnitude = 0;
  bool overflow = false;
  for (char c : digits) {
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (magnitude > (kMax - digit) / 10) {
      overflow = true;
      break;
    }
    magnitude = magnitude * 10 + digit;
  }
  if (!overflow) {
    constexpr uint64_t kInt32Limit = uint64_t{1} << 31;  // |INT32_MIN|
    constexpr uint64_t kInt64Limit = uint64_t{1} << 63;  // |INT64_MIN|
    uint64_t int32_max = negative ? kInt32Limit : kInt32Limit - 1;
    uint64_t int64_max = negative ? kInt64Limit : kInt64Limit - 1;
    if (magnitude <= int32_max) {
      int64_t value = negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
      return Value::Integer(static_cast<int32_t>(value));
    }
    if (magnitude <= int64_max) {
      // Negating via unsigned arithmetic keeps INT64_MIN well-defined.
      return Value::BigInt(negative ? static_cast<int64_t>(~magnitude + 1) : static_cast<int64_t>(magnitude));
    }
  }
  double value = std::strtod(digits.c_str(), nullptr);
  return Value::Double(negative ? -value : value);
}

template <class Node, class... Args>
std::unique_ptr<Node> Make(Args&&... args) {
  return std::make_unique<Node>(std::forward<Args>(args)...);
}

}  // namespace

ExprPtr Parser::ParseExpr(int min_precedence) {
  DepthGuard guard(*this);
  HeightScope height(*this);
  ExprPtr left = ParsePrefix();
  height.Wrap();
  while (true) {
    int precedence = InfixPrecedence();
    if (precedence == kPrecNone || precedence < min_precedence) return left;
    left = ParseInfix(std::move(left), precedence);
    height.Wrap();
  }
}

std::vector<ExprPtr> Parser::ParseExprList() {
  std::vector<ExprPtr> list;
  do {
    list.push_back(ParseExpr());
  } while (Accept(TokenKind::Comma));
  return list;
}

// ---------------------------------------------------------------------------------------------
// Prefix operators

ExprPtr Parser::ParsePrefix() {
  const Token& token = Peek();
  if (token.kind == TokenKind::Minus) return ParseNegation();
  if (token.kind == TokenKind::Plus) {
    Advance();
    return Make<Unary>(UnaryOp::Plus, ParseExpr(kPrecUnary), token.pos);
  }
  if (token.IsKeyword("not")) {
    Advance();
    ExprPtr operand = ParseExpr(kPrecNot);
    if (operand->kind == ExprKind::Exists) {  // NOT EXISTS (...)
      auto& exists = operand->As<Exists>();
      exists.negated = !exists.negated;
      exists.pos = token.pos;
      return operand;
    }
    return Make<Unary>(UnaryOp::Not, std::move(operand), token.pos);
  }
  return ParsePrimary();
}

// A minus directly before a numeric literal is folded into it, as PostgreSQL does; before a
// cast (-2::int) it stays an operator because :: binds tighter.
ExprPtr Parser::ParseNegation() {
  const Token& minus = Advance();
  const Token& next = Peek();
  bool number = next.kind == TokenKind::Integer || next.kind == TokenKind::Decimal;
  if (number && Peek(1).kind != TokenKind::DoubleColon) {
    Advance();
    return ParseNumber(next, /*negative=*/true, minus.pos);
  }
  return Make<Unary>(UnaryOp::Negate, ParseExpr(kPrecUnary), minus.pos);
}

// ---------------------------------------------------------------------------------------------
// Infix operators

int Parser::InfixPrecedence() const {
  const Token& token = Peek();
  if (ArithmeticOp(token.kind)) {
    if (token.kind == TokenKind::Concat) return kPrecOther;
    if (token.kind == TokenKind::Plus || token.kind == TokenKind::Minus) return kPrecAdd;
    return kPrecMul;
  }
  if (ComparisonOp(token.kind)) return kPrecCompare;
  if (token.kind == TokenKind::DoubleColon) return kPrecCast;
  if (token.kind != TokenKind::Identifier) return kPrecNone;
  std::string_view word = token.text;  // compares lengths first
  if (word == "or") return kPrecOr;
  if (word == "and") return kPrecAnd;
  if (word == "is" || word == "isnull" || word == "notnull") return kPrecIs;
  const Token& next = word == "not" ? Peek(1) : token;
  if (next.IsKeyword("between") || next.IsKeyword("in") || next.IsKeyword("like") || next.IsKeyword("ilike")) {
    return kPrecLike;
  }
  return kPrecNone;
}

ExprPtr Parser::ParseInfix(ExprPtr left, int precedence) {
  const Token& op = Peek();
  int pos = left->pos;
  if (op.kind == TokenKind::DoubleColon) {
    Advance();
    return Make<Cast>(std::move(left), ParseType(), pos);
  }
  if (ComparisonOp(op.kind)) return ParseComparison(std::move(left));
  if (std::optional<BinaryOp> arithmetic = ArithmeticOp(op.kind)) {
    Advance();
    return Make<Binary>(*arithmetic, std::move(left), ParseExpr(precedence + 1), pos);
  }
  if (op.IsKeyword("and") || op.IsKeyword("or")) {
    BinaryOp logical = op.IsKeyword("and") ? BinaryOp::And : BinaryOp::Or;
    Advance();
    return Make<Binary>(logical, std::move(left), ParseExpr(precedence + 1), pos);
  }
  if (op.IsKeyword("is")) return ParseIsPredicate(std::move(left));
  if (op.IsKeyword("isnull") || op.IsKeyword("notnull")) {
    Advance();
    return Make<IsNull>(std::move(left), op.IsKeyword("notnull"), pos);
  }
  return ParseNegatablePredicate(std::move(left));
}

// a op b, or a op ANY|SOME|ALL (subquery).
ExprPtr Parser::ParseComparison(ExprPtr left) {
  BinaryOp op = *ComparisonOp(Advance().kind);
  bool quantifier = AtKeyword("any") || AtKeyword("some") || AtKeyword("all");
  if (quantifier && Peek(1).kind == TokenKind::LParen) {
    auto quantified = Make<Quantified>(left->pos);
    quantified->op = op;
    quantified->all = Advance().IsKeyword("all");
    quantified->operand = std::move(left);
    quantified->query = ParseParenthesizedQuery();
    return quantified;
  }
  int pos = left->pos;
  return Make<Binary>(op, std::move(left), ParseExpr(kPrecCompare + 1), pos);
}

ExprPtr Parser::ParseIsPredicate(ExprPtr left) {
  Advance();  // IS
  bool negated = AcceptKeyword("not");
  int pos = left->pos;
  if (AcceptKeyword("null") || AcceptKeyword("unknown")) return Make<IsNull>(std::move(left), negated, pos);
  auto is = Make<IsBool>(pos);
  is->negated = negated;
  is->left = std::move(left);
  if (AtKeyword("true") || AtKeyword("false")) {
    is->value = Advance().IsKeyword("true");
  } else if (AcceptKeyword("distinct")) {
    ExpectKeyword("from");
    is->right = ParseExpr(kPrecIs + 1);
  } else {
    Fail("NULL, TRUE, FALSE or DISTINCT FROM");
  }
  return is;
}

// [NOT] BETWEEN / IN / LIKE / ILIKE.
ExprPtr Parser::ParseNegatablePredicate(ExprPtr left) {
  bool negated = AcceptKeyword("not");
  if (AtKeyword("between")) return ParseBetween(std::move(left), negated);
  if (AtKeyword("in")) return ParseIn(std::move(left), negated);
  return ParseLike(std::move(left), negated);
}

ExprPtr Parser::ParseBetween(ExprPtr left, bool negated) {
  Advance();  // BETWEEN
  auto between = Make<Between>(left->pos);
  between->negated = negated;
  between->operand = std::move(left);
  between->low = ParseExpr(kPrecOther);
  ExpectKeyword("and");
  between->high = ParseExpr(kPrecOther);
  return between;
}

ExprPtr Parser::ParseIn(ExprPtr left, bool negated) {
  Advance();  // IN
  int pos = left->pos;
  if (!At(TokenKind::LParen)) Fail("'('");
  std::optional<Error> failure;
  if (QueryPtr query = TryParseParenthesizedQuery(failure)) {
    auto in = Make<InSubquery>(pos);
    in->negated = negated;
    in->operand = std::move(left);
    in->query = std::move(query);
    return in;
  }
  auto in = Make<InList>(pos);
  in->negated = negated;
  in->operand = std::move(left);
  in->list = WithQueryFallback(failure, [&] {
    Advance();  // (
    std::vector<ExprPtr> list;
    if (Accept(TokenKind::RParen)) return list;  // x IN (): SQLite's empty list
    list = ParseExprList();
    Expect(TokenKind::RParen, "',' or ')'");
    return list;
  });
  return in;
}

ExprPtr Parser::ParseLike(ExprPtr left, bool negated) {
  bool ilike = Advance().IsKeyword("ilike");
  BinaryOp op = ilike ? (negated ? BinaryOp::NotILike : BinaryOp::ILike)
                      : (negated ? BinaryOp::NotLike : BinaryOp::Like);
  int pos = left->pos;
  auto like = Make<Binary>(op, std::move(left), ParseExpr(kPrecOther), pos);
  if (AcceptKeyword("escape")) like->escape = ParseExpr(kPrecOther);
  return like;
}

// ---------------------------------------------------------------------------------------------
// Primary expressions

ExprPtr Parser::ParsePrimary() {
  const Token& token = Peek();
  switch (token.kind) {
    case TokenKind::Integer:
    case TokenKind::Decimal:
      Advance();
      return ParseNumber(token, /*negative=*/false, token.pos);
    case TokenKind::String:
      return ParseStringConstant();
    case TokenKind::Blob:
      Advance();
      return Make<Constant>(Value::Blob(token.text), token.pos);
    case TokenKind::Parameter:
      Advance();
      return Make<Parameter>(token.param_index, token.pos);
    case TokenKind::LParen:
      return ParseParenthesized();
    case TokenKind::QuotedIdentifier:
      return ParseNameOrCall();
    case TokenKind::Identifier:
      if (ExprPtr expr = ParseKeywordPrimary()) return expr;
      if (!IsReservedWord(token.text)) return ParseNameOrCall();
      break;
    default:
      break;
  }
  Fail("an expression");
}

// Expressions introduced by a key word; null when the word is an ordinary name here.
ExprPtr Parser::ParseKeywordPrimary() {
  const Token& token = Peek();
  std::string_view word = token.text;  // compares lengths first
  if (word == "true" || word == "false") {
    Advance();
    return Make<Constant>(Value::Boolean(word == "true"), token.pos);
  }
  if (word == "null") {
    Advance();
    return Make<Constant>(Value(), token.pos);
  }
  if (word == "case") return ParseCase();
  if (word == "cast") return ParseCast();
  if (word == "exists") return ParseExists();
  if (word == "current_date" || word == "current_timestamp" || word == "localtimestamp") {
    Advance();
    return Make<Function>(token.text, token.pos);
  }
  if (Peek(1).kind != TokenKind::String) return nullptr;
  if (word == "interval") return ParseInterval();
  if (word == "date") return ParseTypedLiteral(TypeId::Date);
  if (word == "timestamp") return ParseTypedLiteral(TypeId::Timestamp);
  return nullptr;
}

ExprPtr Parser::ParseNumber(const Token& token, bool negative, int pos) {
  if (token.kind == TokenKind::Integer) return Make<Constant>(IntegerLiteral(token.text, negative), pos);
  double value = std::strtod(token.text.c_str(), nullptr);
  if (!std::isfinite(value)) {
    throw Error(sqlstate::kNumericOutOfRange,
                "\"" + token.text + "\" is out of range for type double precision", token.pos);
  }
  return Make<Constant>(Value::Double(negative ? -value : value), pos);
}

ExprPtr Parser::ParseStringConstant() {
  const Token& token = Advance();
  auto constant = Make<Constant>(Value::Varchar(token.text), token.pos);
  constant->is_string_literal = true;
  return constant;
}

// ( expr ) or a scalar subquery ( SELECT ... ).
ExprPtr Parser::ParseParenthesized() {
  int pos = Peek().pos;
  std::optional<Error> failure;
  if (QueryPtr query = TryParseParenthesizedQuery(failure)) {
    auto subquery = Make<ScalarSubquery>(pos);
    subquery->query = std::move(query);
    return subquery;
  }
  return WithQueryFallback(failure, [&] {
    Advance();  // (
    ExprPtr inner = ParseExpr();
    Expect(TokenKind::RParen, "')'");
    return inner;
  });
}

// name, a.b, a.b.c, t.* or name(...).
ExprPtr Parser::ParseNameOrCall() {
  const Token& first = Advance();
  if (At(TokenKind::LParen)) {
    if (first.kind == TokenKind::Identifier) {
      if (ExprPtr special = ParseSpecialCall(first.text, first.pos)) return special;
    }
    return ParseFunctionCall(first.text, first.pos);
  }
  std::vector<std::string> names;
  names.reserve(3);  // column, table.column or database.table.column
  names.push_back(first.text);
  while (Accept(TokenKind::Dot)) {
    if (At(TokenKind::Star) && names.size() == 1) {
      auto star = Make<Star>(first.pos);
      star->table = std::move(names[0]);
      Advance();
      return star;
    }
    names.push_back(ParseLabel("a column name"));
  }
  if (names.size() > 3) {
    std::string dotted = names[0];
    for (size_t i = 1; i < names.size(); ++i) dotted += "." + names[i];
    throw Error(sqlstate::kSyntaxError, "improper qualified name (too many dotted names): " + dotted, first.pos);
  }
  return Make<ColumnRef>(std::move(names), first.pos);
}

ExprPtr Parser::ParseCase() {
  auto node = Make<Case>(Advance().pos);
  if (!AtKeyword("when")) node->operand = ParseExpr();
  if (!AtKeyword("when")) Fail("WHEN");
  while (AcceptKeyword("when")) {
    Case::When when;
    when.condition = ParseExpr();
    ExpectKeyword("then");
    when.result = ParseExpr();
    node->whens.push_back(std::move(when));
  }
  if (AcceptKeyword("else")) node->else_result = ParseExpr();
  if (!AcceptKeyword("end")) Fail(node->else_result ? "END" : "WHEN, ELSE or END");
  return node;
}

ExprPtr Parser::ParseCast() {
  int pos = Advance().pos;
  Expect(TokenKind::LParen, "'('");
  ExprPtr operand = ParseExpr();
  ExpectKeyword("as");
  LogicalType type = ParseType();
  Expect(TokenKind::RParen, "')'");
  return Make<Cast>(std::move(operand), type, pos);
}

ExprPtr Parser::ParseExists() {
  auto exists = Make<Exists>(Advance().pos);
  exists->query = ParseParenthesizedQuery();
  return exists;
}

// INTERVAL 'text' [unit]
ExprPtr Parser::ParseInterval() {
  int pos = Advance().pos;
  std::string text = Advance().text;
  std::string unit;
  for (std::string_view candidate : {"year", "month", "day", "hour", "minute", "second"}) {
    if (AtKeyword(candidate)) {
      unit = Advance().text;
      break;
    }
  }
  return Make<ast::Interval>(std::move(text), std::move(unit), pos);
}

// DATE '...' and TIMESTAMP '...': a cast of the string.
ExprPtr Parser::ParseTypedLiteral(LogicalType type) {
  int pos = Advance().pos;
  return Make<Cast>(ParseStringConstant(), type, pos);
}

}  // namespace lyt::sql
