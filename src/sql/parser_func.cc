// Function calls: arguments, aggregate modifiers, windows, and the SQL-standard call syntaxes
// that the parser desugars into plain calls (see ast::Function).
#include "sql/parser_internal.h"

namespace lyt::sql {

using namespace lyt::ast;

ExprPtr Parser::ParseFunctionCall(std::string name, int pos) {
  auto call = std::make_unique<Function>(std::move(name), pos);
  ParseCallArguments(*call);
  ParseCallSuffixes(*call);
  return call;
}

// ( [DISTINCT | ALL] args [ORDER BY ...] ) or ( * ) or ().
void Parser::ParseCallArguments(Function& call) {
  Expect(TokenKind::LParen, "'('");
  if (Accept(TokenKind::RParen)) return;
  if (Accept(TokenKind::Star)) {
    call.star = true;
    Expect(TokenKind::RParen, "')'");
    return;
  }
  if (AcceptKeyword("distinct")) {
    call.distinct = true;
  } else {
    AcceptKeyword("all");
  }
  call.args = ParseExprList();
  if (AcceptKeyword("order")) {
    ExpectKeyword("by");
    call.order_by = ParseOrderByList();
  }
  Expect(TokenKind::RParen, "',' or ')'");
}

// FILTER (WHERE ...) and OVER (...).
void Parser::ParseCallSuffixes(Function& call) {
  if (AtKeyword("filter") && Peek(1).kind == TokenKind::LParen) {
    Advance();
    Advance();
    ExpectKeyword("where");
    call.filter = ParseExpr();
    Expect(TokenKind::RParen, "')'");
  }
  if (AcceptKeyword("over")) {
    if (At(TokenKind::LParen)) {
      call.over = ParseWindowSpec();
    } else {
      call.over = std::make_unique<WindowSpec>();
      call.over->pos = Peek().pos;
      call.over->base = ParseLabel("'(' or a window name");
    }
  }
}

// ( [name] [PARTITION BY ...] [ORDER BY ...] [frame] )
std::unique_ptr<WindowSpec> Parser::ParseWindowSpec() {
  auto spec = std::make_unique<WindowSpec>();
  spec->pos = Expect(TokenKind::LParen, "'('").pos;
  if (!AtKeyword("partition") && !AtKeyword("order") && !AtKeyword("rows") && !AtKeyword("range") &&
      !AtKeyword("groups") && (At(TokenKind::Identifier) || At(TokenKind::QuotedIdentifier))) {
    spec->base = Advance().text;
    spec->copy = true;
  }
  if (AcceptKeywords("partition", "by")) spec->partition_by = ParseExprList();
  if (AcceptKeywords("order", "by")) spec->order_by = ParseOrderByList();
  if (AtKeyword("rows") || AtKeyword("range") || AtKeyword("groups")) ParseWindowFrame(*spec);
  Expect(TokenKind::RParen, "')'");
  return spec;
}

// {ROWS | RANGE | GROUPS} [BETWEEN] start [AND end]. Which combinations make sense is the
// binder's business; EXCLUDE is refused here.
void Parser::ParseWindowFrame(WindowSpec& spec) {
  const Token& unit = Advance();
  auto frame = std::make_unique<WindowFrame>();
  frame->pos = unit.pos;
  frame->unit = unit.IsKeyword("rows") ? FrameUnit::Rows : unit.IsKeyword("range") ? FrameUnit::Range : FrameUnit::Groups;
  if (AcceptKeyword("between")) {
    frame->start = ParseFrameBound();
    ExpectKeyword("and");
    frame->end = ParseFrameBound();
  } else {
    frame->start = ParseFrameBound();
    frame->end.kind = FrameBoundKind::CurrentRow;
    frame->end.pos = frame->start.pos;
  }
  if (AtKeyword("exclude")) FailNotSupported(Peek(), "window frame EXCLUDE is not supported");
  spec.frame = std::move(frame);
}

FrameBound Parser::ParseFrameBound() {
  FrameBound bound;
  bound.pos = Peek().pos;
  if (AcceptKeyword("unbounded")) {
    if (AcceptKeyword("preceding")) {
      bound.kind = FrameBoundKind::UnboundedPreceding;
    } else if (AcceptKeyword("following")) {
      bound.kind = FrameBoundKind::UnboundedFollowing;
    } else {
      Fail("PRECEDING or FOLLOWING");
    }
    return bound;
  }
  if (AcceptKeywords("current", "row")) {
    bound.kind = FrameBoundKind::CurrentRow;
    return bound;
  }
  bound.offset = ParseExpr();
  if (AcceptKeyword("preceding")) {
    bound.kind = FrameBoundKind::Preceding;
  } else if (AcceptKeyword("following")) {
    bound.kind = FrameBoundKind::Following;
  } else {
    Fail("PRECEDING or FOLLOWING");
  }
  return bound;
}

// The standard's keyword-argument syntaxes; null when `name` is an ordinary function.
ExprPtr Parser::ParseSpecialCall(const std::string& name, int pos) {
  if (name == "extract") return ParseExtract(pos);
  if (name == "position") return ParsePosition(pos);
  if (name == "substring") return ParseSubstring(pos);
  if (name == "trim") return ParseTrim(pos);
  return nullptr;
}

// EXTRACT(field FROM x) -> extract('field', x)
ExprPtr Parser::ParseExtract(int pos) {
  Advance();  // (
  const Token& field = Peek();
  if (field.kind != TokenKind::Identifier && field.kind != TokenKind::String) Fail("a field name");
  Advance();
  std::string name = field.text;
  for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  auto field_constant = std::make_unique<Constant>(Value::Varchar(std::move(name)), field.pos);
  field_constant->is_string_literal = true;
  ExpectKeyword("from");
  auto call = std::make_unique<Function>("extract", pos);
  call->args.push_back(std::move(field_constant));
  call->args.push_back(ParseExpr());
  Expect(TokenKind::RParen, "')'");
  return call;
}

// POSITION(a IN b) -> position(a, b). `a` stops below IN's precedence so IN ends it.
ExprPtr Parser::ParsePosition(int pos) {
  Advance();  // (
  auto call = std::make_unique<Function>("position", pos);
  call->args.push_back(ParseExpr(kPrecOther));
  ExpectKeyword("in");
  call->args.push_back(ParseExpr());
  Expect(TokenKind::RParen, "')'");
  return call;
}

// SUBSTRING(x FROM a [FOR b]), SUBSTRING(x FOR b) (from 1), or substring(x, a [, b]).
ExprPtr Parser::ParseSubstring(int pos) {
  Advance();  // (
  auto call = std::make_unique<Function>("substring", pos);
  call->args.push_back(ParseExpr());
  if (Accept(TokenKind::Comma)) {
    for (ExprPtr& arg : ParseExprList()) call->args.push_back(std::move(arg));
  } else if (AcceptKeyword("from")) {
    call->args.push_back(ParseExpr());
    if (AcceptKeyword("for")) call->args.push_back(ParseExpr());
  } else if (AtKeyword("for")) {
    int for_pos = Advance().pos;
    call->args.push_back(std::make_unique<Constant>(Value::Integer(1), for_pos));
    call->args.push_back(ParseExpr());
  }
  Expect(TokenKind::RParen, call->args.size() == 1 ? "FROM, FOR, ',' or ')'" : "')'");
  return call;
}

// TRIM([BOTH | LEADING | TRAILING] [chars] FROM x) -> btrim/ltrim/rtrim(x [, chars]);
// TRIM(x [, chars]) -> btrim(x [, chars]).
ExprPtr Parser::ParseTrim(int pos) {
  Advance();  // (
  std::string name = "btrim";
  if (AcceptKeyword("leading")) {
    name = "ltrim";
  } else if (AcceptKeyword("trailing")) {
    name = "rtrim";
  } else {
    AcceptKeyword("both");
  }
  auto call = std::make_unique<Function>(std::move(name), pos);
  if (AcceptKeyword("from")) {
    call->args.push_back(ParseExpr());
  } else {
    ExprPtr first = ParseExpr();
    if (AcceptKeyword("from")) {
      call->args.push_back(ParseExpr());
      call->args.push_back(std::move(first));
    } else {
      call->args.push_back(std::move(first));
      while (Accept(TokenKind::Comma)) call->args.push_back(ParseExpr());
    }
  }
  Expect(TokenKind::RParen, "')'");
  return call;
}

}  // namespace lyt::sql
