#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "lyt/database.h"
#include "sql/parser.h"
#include "sql/redact.h"

namespace lyt {
namespace {

using namespace ast;

// ---------------------------------------------------------------------------------------------
// A compact S-expression rendering of syntax trees, so tests can state whole shapes.

std::string DumpExpr(const Expr& expr);
std::string DumpQuery(const QueryNode& query);

std::string DumpType(const LogicalType& type) {
  switch (type.id) {
    case TypeId::Null: return "null";
    case TypeId::Boolean: return "boolean";
    case TypeId::SmallInt: return "smallint";
    case TypeId::Integer: return "integer";
    case TypeId::BigInt: return "bigint";
    case TypeId::Real: return "real";
    case TypeId::Double: return "double";
    case TypeId::Varchar:
      return type.max_length < 0 ? "varchar" : "varchar(" + std::to_string(type.max_length) + ")";
    case TypeId::Blob: return "blob";
    case TypeId::Date: return "date";
    case TypeId::Timestamp: return "timestamp";
    case TypeId::Interval: return "interval";
  }
  return "?";
}

// Integers plain, BIGINTs with an L, doubles with a d, strings quoted, blobs as X'..'.
std::string DumpConstant(const Constant& constant) {
  const Value& value = constant.value;
  std::ostringstream out;
  switch (value.type().id) {
    case TypeId::Null: return "NULL";
    case TypeId::Boolean: return value.AsBool() ? "TRUE" : "FALSE";
    case TypeId::Integer: return std::to_string(value.AsInt64());
    case TypeId::BigInt: return std::to_string(value.AsInt64()) + "L";
    case TypeId::Double: out << value.AsDouble() << "d"; return out.str();
    case TypeId::Varchar: return "'" + value.AsString() + "'";
    case TypeId::Blob: {
      out << "X'";
      for (unsigned char c : value.AsString()) out << "0123456789ABCDEF"[c >> 4] << "0123456789ABCDEF"[c & 15];
      out << "'";
      return out.str();
    }
    default: return "?";
  }
}

std::string BinaryName(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add: return "+";
    case BinaryOp::Subtract: return "-";
    case BinaryOp::Multiply: return "*";
    case BinaryOp::Divide: return "/";
    case BinaryOp::Modulo: return "%";
    case BinaryOp::Concat: return "||";
    case BinaryOp::Equal: return "=";
    case BinaryOp::NotEqual: return "<>";
    case BinaryOp::Less: return "<";
    case BinaryOp::LessEqual: return "<=";
    case BinaryOp::Greater: return ">";
    case BinaryOp::GreaterEqual: return ">=";
    case BinaryOp::And: return "and";
    case BinaryOp::Or: return "or";
    case BinaryOp::Like: return "like";
    case BinaryOp::NotLike: return "notlike";
    case BinaryOp::ILike: return "ilike";
    case BinaryOp::NotILike: return "notilike";
  }
  return "?";
}

std::string JoinStrings(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
  return out;
}

std::string DumpExprs(const std::vector<ExprPtr>& exprs) {
  std::vector<std::string> parts;
  for (const ExprPtr& expr : exprs) parts.push_back(expr ? DumpExpr(*expr) : "DEFAULT");
  return JoinStrings(parts, ", ");
}

std::string DumpOrderBy(const std::vector<OrderItem>& items) {
  std::vector<std::string> parts;
  for (const OrderItem& item : items) {
    std::string part = DumpExpr(*item.expr) + (item.descending ? " desc" : "");
    if (item.nulls_first) part += *item.nulls_first ? " nulls first" : " nulls last";
    parts.push_back(part);
  }
  return JoinStrings(parts, ", ");
}

std::string DumpFrameBound(const FrameBound& bound) {
  switch (bound.kind) {
    case FrameBoundKind::UnboundedPreceding: return "unbounded preceding";
    case FrameBoundKind::Preceding: return DumpExpr(*bound.offset) + " preceding";
    case FrameBoundKind::CurrentRow: return "current row";
    case FrameBoundKind::Following: return DumpExpr(*bound.offset) + " following";
    case FrameBoundKind::UnboundedFollowing: return "unbounded following";
  }
  return "?";
}

std::string DumpFrame(const WindowFrame& frame) {
  const char* unit = frame.unit == FrameUnit::Rows ? "rows" : frame.unit == FrameUnit::Range ? "range" : "groups";
  return std::string(unit) + " " + DumpFrameBound(frame.start) + " and " + DumpFrameBound(frame.end);
}

std::string DumpFunction(const Function& call) {
  std::string out = call.name + "(";
  if (call.distinct) out += "distinct ";
  out += call.star ? "*" : DumpExprs(call.args);
  if (!call.order_by.empty()) out += " order by " + DumpOrderBy(call.order_by);
  out += ")";
  if (call.filter) out += " filter(" + DumpExpr(*call.filter) + ")";
  if (call.over) {
    std::vector<std::string> parts;
    if (!call.over->partition_by.empty()) parts.push_back("partition by " + DumpExprs(call.over->partition_by));
    if (!call.over->order_by.empty()) parts.push_back("order by " + DumpOrderBy(call.over->order_by));
    if (call.over->frame) parts.push_back(DumpFrame(*call.over->frame));
    out += " over(" + JoinStrings(parts, " ") + ")";
  }
  return out;
}

std::string DumpExpr(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::Constant: return DumpConstant(expr.As<Constant>());
    case ExprKind::ColumnRef: return JoinStrings(expr.As<ColumnRef>().names, ".");
    case ExprKind::Star: {
      const auto& star = expr.As<Star>();
      return star.table.empty() ? "*" : star.table + ".*";
    }
    case ExprKind::Parameter: return "$" + std::to_string(expr.As<Parameter>().index);
    case ExprKind::Unary: {
      const auto& unary = expr.As<Unary>();
      const char* name = unary.op == UnaryOp::Negate ? "neg" : unary.op == UnaryOp::Plus ? "pos" : "not";
      return std::string("(") + name + " " + DumpExpr(*unary.operand) + ")";
    }
    case ExprKind::Binary: {
      const auto& binary = expr.As<Binary>();
      std::string out = "(" + BinaryName(binary.op) + " " + DumpExpr(*binary.left) + " " + DumpExpr(*binary.right);
      if (binary.escape) out += " escape " + DumpExpr(*binary.escape);
      return out + ")";
    }
    case ExprKind::IsNull: {
      const auto& is = expr.As<IsNull>();
      return std::string(is.negated ? "(isnotnull " : "(isnull ") + DumpExpr(*is.operand) + ")";
    }
    case ExprKind::IsBool: {
      const auto& is = expr.As<IsBool>();
      if (is.right) {
        return std::string(is.negated ? "(notdistinct " : "(distinct ") + DumpExpr(*is.left) + " " +
               DumpExpr(*is.right) + ")";
      }
      return std::string(is.negated ? "(isnot " : "(is ") + DumpExpr(*is.left) + (is.value ? " true)" : " false)");
    }
    case ExprKind::Between: {
      const auto& between = expr.As<Between>();
      return std::string(between.negated ? "(notbetween " : "(between ") + DumpExpr(*between.operand) + " " +
             DumpExpr(*between.low) + " " + DumpExpr(*between.high) + ")";
    }
    case ExprKind::InList: {
      const auto& in = expr.As<InList>();
      return std::string(in.negated ? "(notin " : "(in ") + DumpExpr(*in.operand) + " [" + DumpExprs(in.list) + "])";
    }
    case ExprKind::InSubquery: {
      const auto& in = expr.As<InSubquery>();
      return std::string(in.negated ? "(notin " : "(in ") + DumpExpr(*in.operand) + " " + DumpQuery(*in.query) + ")";
    }
    case ExprKind::Exists: {
      const auto& exists = expr.As<Exists>();
      return std::string(exists.negated ? "(notexists " : "(exists ") + DumpQuery(*exists.query) + ")";
    }
    case ExprKind::ScalarSubquery: return DumpQuery(*expr.As<ScalarSubquery>().query);
    case ExprKind::Quantified: {
      const auto& q = expr.As<Quantified>();
      return "(" + BinaryName(q.op) + (q.all ? " all " : " any ") + DumpExpr(*q.operand) + " " + DumpQuery(*q.query) + ")";
    }
    case ExprKind::Case: {
      const auto& node = expr.As<Case>();
      std::string out = "(case";
      if (node.operand) out += " " + DumpExpr(*node.operand);
      for (const auto& when : node.whens) out += " (when " + DumpExpr(*when.condition) + " " + DumpExpr(*when.result) + ")";
      if (node.else_result) out += " (else " + DumpExpr(*node.else_result) + ")";
      return out + ")";
    }
    case ExprKind::Cast: {
      const auto& cast = expr.As<Cast>();
      return "(cast " + DumpExpr(*cast.operand) + " " + DumpType(cast.type) + ")";
    }
    case ExprKind::Function: return DumpFunction(expr.As<Function>());
    case ExprKind::Interval: {
      const auto& interval = expr.As<ast::Interval>();
      return "interval('" + interval.text + "'" + (interval.unit.empty() ? "" : " " + interval.unit) + ")";
    }
  }
  return "?";
}

std::string DumpTableRef(const TableRef& ref) {
  std::string out;
  switch (ref.kind) {
    case TableRefKind::BaseTable: {
      const auto& table = ref.As<BaseTable>();
      out = (table.name.database.empty() ? "" : table.name.database + ".") + table.name.name;
      break;
    }
    case TableRefKind::Join: {
      const auto& join = ref.As<ast::Join>();
      static const char* kNames[] = {"inner", "left", "right", "full", "cross"};
      out = std::string("(") + (join.natural ? "natural " : "") + kNames[static_cast<int>(join.type)] + " " +
            DumpTableRef(*join.left) + " " + DumpTableRef(*join.right);
      if (join.on) out += " on " + DumpExpr(*join.on);
      if (!join.using_columns.empty()) out += " using " + JoinStrings(join.using_columns, ",");
      out += ")";
      break;
    }
    case TableRefKind::Subquery: out = DumpQuery(*ref.As<SubqueryRef>().query); break;
    case TableRefKind::Values: {
      std::vector<std::string> rows;
      for (const auto& row : ref.As<ValuesRef>().rows) rows.push_back("(" + DumpExprs(row) + ")");
      out = "values[" + JoinStrings(rows, ", ") + "]";
      break;
    }
    case TableRefKind::Function: {
      const auto& function = ref.As<FunctionRef>();
      out = function.name + "[" + DumpExprs(function.args) + "]";
      break;
    }
  }
  if (!ref.alias.empty()) out += " as " + ref.alias;
  if (!ref.column_aliases.empty()) out += "(" + JoinStrings(ref.column_aliases, ",") + ")";
  return out;
}

std::string DumpSelectList(const std::vector<SelectItem>& items) {
  std::vector<std::string> parts;
  for (const SelectItem& item : items) parts.push_back(DumpExpr(*item.expr) + (item.alias.empty() ? "" : " as " + item.alias));
  return JoinStrings(parts, ", ");
}

std::string DumpQueryBody(const QueryNode& query) {
  switch (query.kind) {
    case QueryKind::Select: {
      const auto& select = query.As<SelectNode>();
      std::string out = std::string("select ") + (select.distinct ? "distinct " : "") + DumpSelectList(select.select_list);
      if (select.from) out += " from " + DumpTableRef(*select.from);
      if (select.where) out += " where " + DumpExpr(*select.where);
      if (!select.group_by.empty()) out += " group by " + DumpExprs(select.group_by);
      if (select.having) out += " having " + DumpExpr(*select.having);
      return out;
    }
    case QueryKind::SetOp: {
      const auto& setop = query.As<SetOpNode>();
      static const char* kNames[] = {"union", "intersect", "except"};
      return std::string("(") + kNames[static_cast<int>(setop.op)] + (setop.all ? " all " : " ") +
             DumpQuery(*setop.left) + " " + DumpQuery(*setop.right) + ")";
    }
    case QueryKind::Values: {
      std::vector<std::string> rows;
      for (const auto& row : query.As<ValuesNode>().rows) rows.push_back("(" + DumpExprs(row) + ")");
      return "values " + JoinStrings(rows, ", ");
    }
  }
  return "?";
}

std::string DumpQuery(const QueryNode& query) {
  std::string out = "{";
  if (!query.ctes.empty()) {
    std::vector<std::string> ctes;
    for (const CommonTableExpr& cte : query.ctes) {
      std::string columns = cte.column_names.empty() ? "" : "(" + JoinStrings(cte.column_names, ",") + ")";
      ctes.push_back(cte.name + columns + " as " + DumpQuery(*cte.query));
    }
    out += std::string("with ") + (query.recursive_ctes ? "recursive " : "") + JoinStrings(ctes, ", ") + " ";
  }
  out += DumpQueryBody(query);
  if (!query.order_by.empty()) out += " order by " + DumpOrderBy(query.order_by);
  if (query.limit) out += " limit " + DumpExpr(*query.limit);
  if (query.offset) out += " offset " + DumpExpr(*query.offset);
  return out + "}";
}

// ---------------------------------------------------------------------------------------------
// Helpers

std::string Expr(std::string_view sql) { return DumpExpr(*ParseExpression(sql)); }

StatementPtr ParseOne(std::string_view sql) {
  std::vector<StatementPtr> statements = ParseSql(sql);
  EXPECT_EQ(statements.size(), 1u) << sql;
  return statements.empty() ? nullptr : std::move(statements[0]);
}

// The query of a single SELECT-like statement, dumped.
std::string Query(std::string_view sql) {
  StatementPtr statement = ParseOne(sql);
  EXPECT_EQ(statement->kind, StmtKind::Select) << sql;
  return DumpQuery(*statement->As<SelectStmt>().query);
}

// The parse of `sql` fails with exactly this SQLSTATE, message and byte offset.
void ExpectError(std::string_view sql, const char* state, const std::string& message, int position) {
  try {
    ParseSql(sql);
    ADD_FAILURE() << "no error for: " << sql;
  } catch (const Error& error) {
    EXPECT_STREQ(error.sqlstate(), state) << sql;
    EXPECT_EQ(std::string(error.what()), message) << sql;
    EXPECT_EQ(error.position(), position) << sql;
  }
}

void ExpectSyntaxError(std::string_view sql, const std::string& message, int position) {
  ExpectError(sql, sqlstate::kSyntaxError, message, position);
}

template <class T>
struct Parsed {
  StatementPtr statement;
  T& operator*() { return statement->As<T>(); }
  T* operator->() { return &statement->As<T>(); }
};

template <class T>
Parsed<T> Parse(std::string_view sql, StmtKind kind) {
  Parsed<T> parsed{ParseOne(sql)};
  EXPECT_EQ(parsed.statement->kind, kind) << sql;
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// Literals and names

TEST(ParserLiteralTest, IntegersTakeTheNarrowestType) {
  EXPECT_EQ(Expr("2147483647"), "2147483647");
  EXPECT_EQ(Expr("2147483648"), "2147483648L");
  EXPECT_EQ(Expr("9223372036854775807"), "9223372036854775807L");
  EXPECT_EQ(Expr("9223372036854775808"), "9.22337e+18d");
  EXPECT_EQ(Expr("0"), "0");
}

TEST(ParserLiteralTest, MinusIsFoldedIntoNumbers) {
  EXPECT_EQ(Expr("-2147483648"), "-2147483648");
  EXPECT_EQ(Expr("-2147483649"), "-2147483649L");
  EXPECT_EQ(Expr("-9223372036854775808"), "-9223372036854775808L");
  EXPECT_EQ(Expr("- 1.5"), "-1.5d");
  EXPECT_EQ(Expr("- - 5"), "(neg -5)");
}

TEST(ParserLiteralTest, Decimals) {
  EXPECT_EQ(Expr("1.5"), "1.5d");
  EXPECT_EQ(Expr("1e3"), "1000d");
  EXPECT_EQ(Expr(".25"), "0.25d");
}

TEST(ParserLiteralTest, DoubleOverflowIsAnError) {
  ExpectError("SELECT 1e999", sqlstate::kNumericOutOfRange,
              "\"1e999\" is out of range for type double precision", 7);
}

TEST(ParserLiteralTest, StringsAreUntypedLiterals) {
  ExprPtr expr = ParseExpression("'2024-01-01'");
  ASSERT_EQ(expr->kind, ExprKind::Constant);
  EXPECT_TRUE(expr->As<Constant>().is_string_literal);
  EXPECT_EQ(expr->As<Constant>().value, Value::Varchar("2024-01-01"));
  EXPECT_EQ(Expr("E'a\\tb'"), "'a\tb'");
  EXPECT_FALSE(ParseExpression("1")->As<Constant>().is_string_literal);
}

TEST(ParserLiteralTest, BooleansNullAndBlobs) {
  EXPECT_EQ(Expr("TRUE"), "TRUE");
  EXPECT_EQ(Expr("false"), "FALSE");
  EXPECT_EQ(Expr("NULL"), "NULL");
  EXPECT_EQ(ParseExpression("NULL")->As<Constant>().value, Value());
  EXPECT_EQ(Expr("X'0aFF'"), "X'0AFF'");
  EXPECT_EQ(ParseExpression("x'41'")->As<Constant>().value, Value::Blob("A"));
}

TEST(ParserLiteralTest, TypedLiterals) {
  EXPECT_EQ(Expr("DATE '2024-01-01'"), "(cast '2024-01-01' date)");
  EXPECT_EQ(Expr("TIMESTAMP '2024-01-01 10:00:00'"), "(cast '2024-01-01 10:00:00' timestamp)");
  EXPECT_EQ(Expr("INTERVAL '3 days'"), "interval('3 days')");
  EXPECT_EQ(Expr("INTERVAL '2' HOUR"), "interval('2' hour)");
}

TEST(ParserLiteralTest, TypeWordsAreColumnsWithoutAString) {
  EXPECT_EQ(Expr("date + 1"), "(+ date 1)");
  EXPECT_EQ(Expr("timestamp"), "timestamp");
  EXPECT_EQ(Expr("date(x)"), "date(x)");
}

TEST(ParserLiteralTest, Parameters) {
  EXPECT_EQ(Expr("$1 + $2"), "(+ $1 $2)");
  EXPECT_EQ(Expr("? + ? * ?"), "(+ $1 (* $2 $3))");
}

TEST(ParserLiteralTest, QuestionMarksAreNumberedAcrossStatements) {
  std::vector<StatementPtr> statements = ParseSql("SELECT ?, ?; SELECT ?");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(DumpQuery(*statements[1]->As<SelectStmt>().query), "{select $3}");
}

TEST(ParserNameTest, UnquotedNamesFoldQuotedKeepCase) {
  EXPECT_EQ(Expr("FooBar"), "foobar");
  EXPECT_EQ(Expr("\"FooBar\""), "FooBar");
  EXPECT_EQ(Expr("\"select\""), "select");
}

TEST(ParserNameTest, QualifiedNames) {
  ExprPtr expr = ParseExpression("Db.T.\"Col\"");
  ASSERT_EQ(expr->kind, ExprKind::ColumnRef);
  EXPECT_EQ(expr->As<ColumnRef>().names, (std::vector<std::string>{"db", "t", "Col"}));
  EXPECT_EQ(Expr("t.x"), "t.x");
  EXPECT_EQ(Expr("t.select"), "t.select");
}

TEST(ParserNameTest, TooManyDots) {
  ExpectSyntaxError("SELECT a.b.c.d", "improper qualified name (too many dotted names): a.b.c.d", 7);
}

TEST(ParserNameTest, NonReservedKeywordsAreNames) {
  EXPECT_EQ(Expr("key + value + name + year + text"), "(+ (+ (+ (+ key value) name) year) text)");
  EXPECT_EQ(Expr("left('abc', 2)"), "left('abc', 2)");
}

TEST(ParserNameTest, ReservedWordIsNotAnExpression) {
  ExpectSyntaxError("SELECT FROM", "syntax error at or near \"FROM\": expected an expression", 7);
}

TEST(ParserNameTest, WordsLikeReservedOnesAreNames) {
  EXPECT_EQ(Expr("froms + fro + wher + current_dat + joins"), "(+ (+ (+ (+ froms fro) wher) current_dat) joins)");
  ExpectSyntaxError("SELECT WHERE", "syntax error at or near \"WHERE\": expected an expression", 7);
  ExpectSyntaxError("SELECT current_user", "syntax error at or near \"current_user\": expected an expression", 7);
}

// ---------------------------------------------------------------------------------------------
// Operators and precedence

TEST(ParserPrecedenceTest, Arithmetic) {
  EXPECT_EQ(Expr("1 + 2 * 3"), "(+ 1 (* 2 3))");
  EXPECT_EQ(Expr("(1 + 2) * 3"), "(* (+ 1 2) 3)");
  EXPECT_EQ(Expr("1 - 2 - 3"), "(- (- 1 2) 3)");
  EXPECT_EQ(Expr("8 / 4 % 3 * 2"), "(* (% (/ 8 4) 3) 2)");
}

TEST(ParserPrecedenceTest, Logic) {
  EXPECT_EQ(Expr("a OR b AND c"), "(or a (and b c))");
  EXPECT_EQ(Expr("a AND b OR c"), "(or (and a b) c)");
  EXPECT_EQ(Expr("NOT a = b"), "(not (= a b))");
  EXPECT_EQ(Expr("NOT a AND b"), "(and (not a) b)");
  EXPECT_EQ(Expr("NOT NOT a"), "(not (not a))");
  EXPECT_EQ(Expr("a = NOT b"), "(= a (not b))");
}

TEST(ParserPrecedenceTest, UnaryAndCast) {
  EXPECT_EQ(Expr("-2::int"), "(neg (cast 2 integer))");
  EXPECT_EQ(Expr("- a * b"), "(* (neg a) b)");
  EXPECT_EQ(Expr("+ col1"), "(pos col1)");
  EXPECT_EQ(Expr("col1 * - + 7"), "(* col1 (neg (pos 7)))");
  EXPECT_EQ(Expr("NOT - col2 IS NULL"), "(not (isnull (neg col2)))");
  EXPECT_EQ(Expr("a::text::int"), "(cast (cast a varchar) integer)");
  EXPECT_EQ(Expr("1 + a::real"), "(+ 1 (cast a real))");
}

TEST(ParserPrecedenceTest, ComparisonLevels) {
  EXPECT_EQ(Expr("a = b IS NULL"), "(isnull (= a b))");
  EXPECT_EQ(Expr("a < b = c"), "(= (< a b) c)");
  EXPECT_EQ(Expr("a || b + c"), "(|| a (+ b c))");
  EXPECT_EQ(Expr("a || b = c"), "(= (|| a b) c)");
  EXPECT_EQ(Expr("a <> b AND c != d"), "(and (<> a b) (<> c d))");
  EXPECT_EQ(Expr("a <= b OR a >= b"), "(or (<= a b) (>= a b))");
  EXPECT_EQ(Expr("a = b BETWEEN c AND d"), "(= a (between b c d))");
  EXPECT_EQ(Expr("a LIKE b = c"), "(= (like a b) c)");
}

TEST(ParserPrecedenceTest, SqlLogicTestShapes) {
  EXPECT_EQ(Expr("- 14 + 42 * 46 * + 6 + - - 1 - - 22"),
            "(- (+ (+ -14 (* (* 42 46) (pos 6))) (neg -1)) -22)");
  EXPECT_EQ(Expr("CAST( NULL AS INTEGER )"), "(cast NULL integer)");
  EXPECT_EQ(Expr("20 / - - 96 + CAST ( 90 AS INTEGER )"), "(+ (/ 20 (neg -96)) (cast 90 integer))");
  EXPECT_EQ(Expr("NOT ( - col0 ) IN ( col1 )"), "(not (in (neg col0) [col1]))");
}

TEST(ParserPredicateTest, Is) {
  EXPECT_EQ(Expr("a IS NULL"), "(isnull a)");
  EXPECT_EQ(Expr("a IS NOT NULL"), "(isnotnull a)");
  EXPECT_EQ(Expr("a ISNULL"), "(isnull a)");
  EXPECT_EQ(Expr("a NOTNULL"), "(isnotnull a)");
  EXPECT_EQ(Expr("a IS UNKNOWN"), "(isnull a)");
  EXPECT_EQ(Expr("a IS TRUE"), "(is a true)");
  EXPECT_EQ(Expr("a IS NOT FALSE"), "(isnot a false)");
  EXPECT_EQ(Expr("a IS DISTINCT FROM b + 1"), "(distinct a (+ b 1))");
  EXPECT_EQ(Expr("a IS NOT DISTINCT FROM b"), "(notdistinct a b)");
}

TEST(ParserPredicateTest, Between) {
  EXPECT_EQ(Expr("a BETWEEN 1 AND 2 AND c"), "(and (between a 1 2) c)");
  EXPECT_EQ(Expr("a NOT BETWEEN b + 1 AND - c"), "(notbetween a (+ b 1) (neg c))");
}

TEST(ParserPredicateTest, InList) {
  EXPECT_EQ(Expr("a IN (1, 2 + 3)"), "(in a [1, (+ 2 3)])");
  EXPECT_EQ(Expr("a NOT IN ('x')"), "(notin a ['x'])");
  EXPECT_EQ(Expr("a IN ()"), "(in a [])");
  EXPECT_EQ(Expr("a IN ((SELECT 1), 2)"), "(in a [{select 1}, 2])");
}

TEST(ParserPredicateTest, InSubquery) {
  EXPECT_EQ(Expr("a IN (SELECT b FROM t)"), "(in a {select b from t})");
  EXPECT_EQ(Expr("a NOT IN (VALUES (1))"), "(notin a {values (1)})");
  EXPECT_EQ(Expr("a IN ((SELECT 1) UNION (SELECT 2))"), "(in a {(union {select 1} {select 2})})");
}

TEST(ParserPredicateTest, Like) {
  EXPECT_EQ(Expr("a LIKE 'x%'"), "(like a 'x%')");
  EXPECT_EQ(Expr("a NOT LIKE 'x!%' ESCAPE '!'"), "(notlike a 'x!%' escape '!')");
  EXPECT_EQ(Expr("a ILIKE b || '%'"), "(ilike a (|| b '%'))");
  EXPECT_EQ(Expr("a NOT ILIKE b"), "(notilike a b)");
}

TEST(ParserPredicateTest, Exists) {
  EXPECT_EQ(Expr("EXISTS (SELECT 1)"), "(exists {select 1})");
  EXPECT_EQ(Expr("NOT EXISTS (SELECT 1) AND a"), "(and (notexists {select 1}) a)");
  ExprPtr expr = ParseExpression("NOT EXISTS (SELECT 1)");
  EXPECT_EQ(expr->pos, 0);
}

TEST(ParserPredicateTest, Quantified) {
  EXPECT_EQ(Expr("a = ANY (SELECT b FROM t)"), "(= any a {select b from t})");
  EXPECT_EQ(Expr("a < SOME (SELECT 1)"), "(< any a {select 1})");
  EXPECT_EQ(Expr("a <> ALL (SELECT 1)"), "(<> all a {select 1})");
}

TEST(ParserExprTest, ScalarSubqueries) {
  EXPECT_EQ(Expr("(SELECT 1)"), "{select 1}");
  EXPECT_EQ(Expr("((SELECT 1) + 1)"), "(+ {select 1} 1)");
  EXPECT_EQ(Expr("((SELECT 1) UNION SELECT 2)"), "{(union {select 1} {select 2})}");
  EXPECT_EQ(Expr("(((SELECT 1)))"), "{select 1}");
  EXPECT_EQ(Expr("1 + (SELECT max(a) FROM t)"), "(+ 1 {select max(a) from t})");
}

TEST(ParserExprTest, Case) {
  EXPECT_EQ(Expr("CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END"), "(case (when a 1) (when b 2) (else 3))");
  EXPECT_EQ(Expr("CASE x + 1 WHEN 1 THEN 'a' END"), "(case (+ x 1) (when 1 'a'))");
}

TEST(ParserExprTest, Casts) {
  EXPECT_EQ(Expr("CAST(x AS DOUBLE PRECISION)"), "(cast x double)");
  EXPECT_EQ(Expr("x::varchar(10)"), "(cast x varchar(10))");
  EXPECT_EQ(Expr("CAST('1' AS timestamp without time zone)"), "(cast '1' timestamp)");
}

TEST(ParserExprTest, FunctionCalls) {
  EXPECT_EQ(Expr("now()"), "now()");
  EXPECT_EQ(Expr("COALESCE(a, NULLIF(b, 0), 1)"), "coalesce(a, nullif(b, 0), 1)");
  EXPECT_EQ(Expr("\"MyFunc\"(1)"), "MyFunc(1)");
  EXPECT_EQ(Expr("COUNT ( * )"), "count(*)");
  EXPECT_EQ(Expr("count(DISTINCT x)"), "count(distinct x)");
  EXPECT_EQ(Expr("MIN ( ALL - + 32 )"), "min((neg (pos 32)))");
}

TEST(ParserExprTest, CountStarIsFlagged) {
  ExprPtr expr = ParseExpression("count(*)");
  ASSERT_EQ(expr->kind, ExprKind::Function);
  EXPECT_TRUE(expr->As<Function>().star);
  EXPECT_TRUE(expr->As<Function>().args.empty());
}

TEST(ParserExprTest, AggregateModifiers) {
  EXPECT_EQ(Expr("sum(x) FILTER (WHERE x > 0)"), "sum(x) filter((> x 0))");
  EXPECT_EQ(Expr("string_agg(x, ',' ORDER BY y DESC, z)"), "string_agg(x, ',' order by y desc, z)");
}

TEST(ParserExprTest, WindowCalls) {
  EXPECT_EQ(Expr("row_number() OVER (PARTITION BY a, b ORDER BY c NULLS FIRST)"),
            "row_number() over(partition by a, b order by c nulls first)");
  EXPECT_EQ(Expr("sum(x) OVER ()"), "sum(x) over()");
  EXPECT_EQ(Expr("sum(x) OVER (ORDER BY y ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"),
            "sum(x) over(order by y rows unbounded preceding and current row)");
  EXPECT_EQ(Expr("sum(x) OVER (RANGE UNBOUNDED PRECEDING)"), "sum(x) over(range unbounded preceding and current row)");
  EXPECT_EQ(Expr("sum(x) OVER (ORDER BY y ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"),
            "sum(x) over(order by y rows unbounded preceding and unbounded following)");
  EXPECT_EQ(Expr("sum(x) OVER (ROWS BETWEEN 2 PRECEDING AND 1 + 1 FOLLOWING)"),
            "sum(x) over(rows 2 preceding and (+ 1 1) following)");
  EXPECT_EQ(Expr("sum(x) OVER (GROUPS CURRENT ROW)"), "sum(x) over(groups current row and current row)");
  EXPECT_EQ(Expr("count(*) FILTER (WHERE a) OVER (PARTITION BY b)"), "count(*) filter(a) over(partition by b)");
}

TEST(ParserExprTest, UnsupportedWindowFrame) {
  ExpectError("SELECT sum(x) OVER (ROWS CURRENT ROW EXCLUDE TIES)", sqlstate::kFeatureNotSupported,
              "window frame EXCLUDE is not supported", 37);
  ExpectSyntaxError("SELECT sum(x) OVER (ROWS 1)", "syntax error at or near \")\": expected PRECEDING or FOLLOWING", 26);
}

TEST(ParserExprTest, Extract) {
  EXPECT_EQ(Expr("EXTRACT(YEAR FROM d)"), "extract('year', d)");
  EXPECT_EQ(Expr("extract('Epoch' FROM d + 1)"), "extract('epoch', (+ d 1))");
  ExprPtr expr = ParseExpression("EXTRACT(DAY FROM d)");
  EXPECT_TRUE(expr->As<Function>().args[0]->As<Constant>().is_string_literal);
}

TEST(ParserExprTest, Position) {
  EXPECT_EQ(Expr("POSITION('b' IN s)"), "position('b', s)");
  EXPECT_EQ(Expr("position('a' || 'b' IN s || 'x')"), "position((|| 'a' 'b'), (|| s 'x'))");
}

TEST(ParserExprTest, Substring) {
  EXPECT_EQ(Expr("SUBSTRING(s FROM 2 FOR 3)"), "substring(s, 2, 3)");
  EXPECT_EQ(Expr("SUBSTRING(s FROM 2)"), "substring(s, 2)");
  EXPECT_EQ(Expr("SUBSTRING(s FOR 2)"), "substring(s, 1, 2)");
  EXPECT_EQ(Expr("substring(s, 1, 2)"), "substring(s, 1, 2)");
}

TEST(ParserExprTest, Trim) {
  EXPECT_EQ(Expr("TRIM(s)"), "btrim(s)");
  EXPECT_EQ(Expr("TRIM(BOTH 'x' FROM s)"), "btrim(s, 'x')");
  EXPECT_EQ(Expr("TRIM(LEADING FROM s)"), "ltrim(s)");
  EXPECT_EQ(Expr("TRIM(TRAILING 'x' FROM s)"), "rtrim(s, 'x')");
  EXPECT_EQ(Expr("TRIM('x' FROM s)"), "btrim(s, 'x')");
  EXPECT_EQ(Expr("trim(s, 'x')"), "btrim(s, 'x')");
}

TEST(ParserExprTest, SpecialNamesAreColumnsWithoutParentheses) {
  EXPECT_EQ(Expr("position + trim"), "(+ position trim)");
}

TEST(ParserExprTest, CurrentDateAndTime) {
  EXPECT_EQ(Expr("CURRENT_DATE"), "current_date()");
  EXPECT_EQ(Expr("CURRENT_TIMESTAMP - LOCALTIMESTAMP"), "(- current_timestamp() localtimestamp())");
}

TEST(ParserExprTest, Positions) {
  ExprPtr expr = ParseExpression("a + f(b) * -c");
  EXPECT_EQ(expr->pos, 0);
  const auto& product = expr->As<Binary>().right->As<Binary>();
  EXPECT_EQ(product.pos, 4);
  EXPECT_EQ(product.left->pos, 4);
  EXPECT_EQ(product.left->As<Function>().args[0]->pos, 6);
  EXPECT_EQ(product.right->pos, 11);
  EXPECT_EQ(ParseExpression("  CAST(x AS int)")->pos, 2);
  EXPECT_EQ(ParseExpression("x IS NULL")->pos, 0);
}

TEST(ParserExprTest, TrailingTokens) {
  try {
    ParseExpression("1 2");
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), "syntax error at or near \"2\": expected an operator or the end of the expression");
    EXPECT_EQ(error.position(), 2);
  }
}

// ---------------------------------------------------------------------------------------------
// Types

TEST(ParserTypeTest, Names) {
  struct Case {
    const char* name;
    LogicalType type;
  };
  const Case cases[] = {
      {"BOOLEAN", TypeId::Boolean},
      {"bool", TypeId::Boolean},
      {"SMALLINT", TypeId::SmallInt},
      {"int2", TypeId::SmallInt},
      {"INTEGER", TypeId::Integer},
      {"int", TypeId::Integer},
      {"INT4", TypeId::Integer},
      {"BIGINT", TypeId::BigInt},
      {"int8", TypeId::BigInt},
      {"REAL", TypeId::Real},
      {"float4", TypeId::Real},
      {"DOUBLE PRECISION", TypeId::Double},
      {"double", TypeId::Double},
      {"FLOAT", TypeId::Double},
      {"float8", TypeId::Double},
      {"FLOAT(24)", TypeId::Real},
      {"float(25)", TypeId::Double},
      {"NUMERIC", TypeId::Double},
      {"DECIMAL(10, 2)", TypeId::Double},
      {"numeric(5)", TypeId::Double},
      {"TEXT", TypeId::Varchar},
      {"string", TypeId::Varchar},
      {"VARCHAR", TypeId::Varchar},
      {"VARCHAR(20)", LogicalType(TypeId::Varchar, 20)},
      {"CHARACTER VARYING(5)", LogicalType(TypeId::Varchar, 5)},
      {"character varying", TypeId::Varchar},
      {"CHAR(3)", LogicalType(TypeId::Varchar, 3)},
      {"character(7)", LogicalType(TypeId::Varchar, 7)},
      {"char", LogicalType(TypeId::Varchar, 1)},
      {"BLOB", TypeId::Blob},
      {"bytea", TypeId::Blob},
      {"DATE", TypeId::Date},
      {"TIMESTAMP", TypeId::Timestamp},
      {"timestamp(3)", TypeId::Timestamp},
      {"TIMESTAMP WITHOUT TIME ZONE", TypeId::Timestamp},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseTypeName(c.name), c.type) << c.name;
}

TEST(ParserTypeTest, UnknownType) {
  try {
    ParseTypeName("foo");
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_STREQ(error.sqlstate(), sqlstate::kUndefinedObject);
    EXPECT_EQ(std::string(error.what()), "type \"foo\" does not exist");
    EXPECT_EQ(error.position(), 0);
  }
  ExpectError("CREATE TABLE t (a int, b Foo)", sqlstate::kUndefinedObject, "type \"foo\" does not exist", 25);
  ExpectError("SELECT CAST(1 AS timestamp with time zone)", sqlstate::kUndefinedObject,
              "type \"timestamp with time zone\" does not exist", 17);
}

TEST(ParserTypeTest, BadModifiers) {
  ExpectError("SELECT 'a'::varchar(0)", sqlstate::kInvalidParameterValue, "length for type varchar must be at least 1", 12);
  ExpectError("SELECT 1::float(54)", sqlstate::kInvalidParameterValue,
              "precision for type float must be less than 54 bits", 10);
  ExpectSyntaxError("SELECT 1::varchar(x)", "syntax error at or near \"x\": expected an integer", 18);
}

TEST(ParserTypeTest, TrailingWords) {
  try {
    ParseTypeName("int foo");
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), "syntax error at or near \"foo\": expected the end of the type name");
  }
}

// ---------------------------------------------------------------------------------------------
// Queries

TEST(ParserQueryTest, SelectList) {
  EXPECT_EQ(Query("SELECT 1"), "{select 1}");
  EXPECT_EQ(Query("SELECT DISTINCT a, b AS x, c y, d \"Q\" FROM t"), "{select distinct a, b as x, c as y, d as Q from t}");
  EXPECT_EQ(Query("SELECT ALL - 8 * - + 42 col0"), "{select (* -8 (neg (pos 42))) as col0}");
  EXPECT_EQ(Query("SELECT *, t.*, 1 AS select FROM t"), "{select *, t.*, 1 as select from t}");
}

TEST(ParserQueryTest, Clauses) {
  EXPECT_EQ(Query("SELECT a, count(*) FROM t WHERE a > 1 GROUP BY a, 2 HAVING count(*) > 1 "
                  "ORDER BY 2 DESC NULLS LAST, a LIMIT 10 OFFSET 5"),
            "{select a, count(*) from t where (> a 1) group by a, 2 having (> count(*) 1) "
            "order by 2 desc nulls last, a limit 10 offset 5}");
  EXPECT_EQ(Query("SELECT a FROM t ORDER BY a ASC NULLS FIRST OFFSET 2 ROWS LIMIT ALL"),
            "{select a from t order by a nulls first offset 2}");
  EXPECT_EQ(Query("SELECT a FROM t FETCH FIRST 3 ROWS ONLY"), "{select a from t limit 3}");
}

TEST(ParserQueryTest, CommaJoinsAreLeftDeepCrossJoins) {
  EXPECT_EQ(Query("SELECT * FROM a, b AS x, c y"), "{select * from (cross (cross a b as x) c as y)}");
}

TEST(ParserQueryTest, Joins) {
  EXPECT_EQ(Query("SELECT * FROM a JOIN b ON a.x = b.x"), "{select * from (inner a b on (= a.x b.x))}");
  EXPECT_EQ(Query("SELECT * FROM a INNER JOIN b USING (x, y)"), "{select * from (inner a b using x,y)}");
  EXPECT_EQ(Query("SELECT * FROM a LEFT OUTER JOIN b ON 1 RIGHT JOIN c ON 2"),
            "{select * from (right (left a b on 1) c on 2)}");
  EXPECT_EQ(Query("SELECT * FROM a FULL JOIN b ON TRUE"), "{select * from (full a b on TRUE)}");
  EXPECT_EQ(Query("SELECT * FROM tab0 AS cor0 CROSS JOIN tab1 cor1"), "{select * from (cross tab0 as cor0 tab1 as cor1)}");
  EXPECT_EQ(Query("SELECT * FROM a NATURAL JOIN b"), "{select * from (natural inner a b)}");
  EXPECT_EQ(Query("SELECT * FROM a NATURAL LEFT JOIN b"), "{select * from (natural left a b)}");
  EXPECT_EQ(Query("SELECT * FROM a, b JOIN c ON TRUE"), "{select * from (cross a (inner b c on TRUE))}");
}

TEST(ParserQueryTest, JoinNeedsACondition) {
  ExpectSyntaxError("SELECT * FROM a JOIN b WHERE x", "syntax error at or near \"WHERE\": expected ON or USING", 23);
}

TEST(ParserQueryTest, ParenthesizedJoins) {
  EXPECT_EQ(Query("SELECT * FROM ( tab0 AS cor0 CROSS JOIN tab0 cor1 )"),
            "{select * from (cross tab0 as cor0 tab0 as cor1)}");
  EXPECT_EQ(Query("SELECT * FROM ((a JOIN b ON TRUE)) AS j"), "{select * from (inner a b on TRUE) as j}");
}

TEST(ParserQueryTest, DerivedTables) {
  EXPECT_EQ(Query("SELECT * FROM (SELECT 1) AS x(a)"), "{select * from {select 1} as x(a)}");
  EXPECT_EQ(Query("SELECT * FROM (SELECT 1) x"), "{select * from {select 1} as x}");
  EXPECT_EQ(Query("SELECT * FROM ((SELECT 1) UNION (SELECT 2)) u"), "{select * from {(union {select 1} {select 2})} as u}");
  EXPECT_EQ(Query("SELECT * FROM ((SELECT 1) x CROSS JOIN b)"), "{select * from (cross {select 1} as x b)}");
}

TEST(ParserQueryTest, ValuesTables) {
  StatementPtr statement = ParseOne("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(n, s)");
  const auto& select = statement->As<SelectStmt>().query->As<SelectNode>();
  ASSERT_EQ(select.from->kind, TableRefKind::Values);
  EXPECT_EQ(DumpTableRef(*select.from), "values[(1, 'a'), (2, 'b')] as v(n,s)");
  EXPECT_EQ(Query("SELECT * FROM (VALUES (1) ORDER BY 1) v"), "{select * from {values (1) order by 1} as v}");
}

TEST(ParserQueryTest, FunctionsInFrom) {
  EXPECT_EQ(Query("SELECT * FROM generate_series(1, 10, 2) AS g(n)"), "{select * from generate_series[1, 10, 2] as g(n)}");
  EXPECT_EQ(Query("SELECT * FROM t, generate_series(1, 3) g"), "{select * from (cross t generate_series[1, 3] as g)}");
  EXPECT_EQ(Query("SELECT * FROM f()"), "{select * from f[]}");
  ExpectSyntaxError("SELECT * FROM generate_series(1, 2", "syntax error at end of input: expected ',' or ')'", 34);
}

TEST(ParserQueryTest, QualifiedTables) {
  StatementPtr statement = ParseOne("SELECT * FROM Db.\"Tab\"");
  const auto& table = statement->As<SelectStmt>().query->As<SelectNode>().from->As<BaseTable>();
  EXPECT_EQ(table.name.database, "db");
  EXPECT_EQ(table.name.name, "Tab");
  EXPECT_EQ(table.name.pos, 14);
  EXPECT_EQ(table.pos, 14);
}

TEST(ParserQueryTest, SetOperations) {
  EXPECT_EQ(Query("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3"),
            "{(union {select 1} {(intersect {select 2} {select 3})})}");
  EXPECT_EQ(Query("SELECT 1 EXCEPT ALL SELECT 2 UNION DISTINCT SELECT 3"),
            "{(union {(except all {select 1} {select 2})} {select 3})}");
  EXPECT_EQ(Query("SELECT 1 INTERSECT ALL SELECT 2 INTERSECT SELECT 3"),
            "{(intersect {(intersect all {select 1} {select 2})} {select 3})}");
}

TEST(ParserQueryTest, OrderAndLimitApplyToTheWholeSetOperation) {
  EXPECT_EQ(Query("SELECT a FROM t UNION ALL SELECT b FROM u ORDER BY 1 LIMIT 3"),
            "{(union all {select a from t} {select b from u}) order by 1 limit 3}");
}

TEST(ParserQueryTest, ParenthesizedQueries) {
  EXPECT_EQ(Query("(SELECT 1)"), "{select 1}");
  EXPECT_EQ(Query("(SELECT 1 ORDER BY 1) UNION (SELECT 2) LIMIT 1"),
            "{(union {select 1 order by 1} {select 2}) limit 1}");
  EXPECT_EQ(Query("((SELECT a FROM t)) ORDER BY a"), "{select a from t order by a}");
  EXPECT_EQ(Query("SELECT 1 UNION (SELECT 2 UNION SELECT 3)"),
            "{(union {select 1} {(union {select 2} {select 3})})}");
}

TEST(ParserQueryTest, RepeatedClausesAfterParentheses) {
  ExpectSyntaxError("(SELECT 1 LIMIT 1) LIMIT 2", "multiple LIMIT clauses not allowed", 19);
  ExpectSyntaxError("(SELECT 1 ORDER BY 1) ORDER BY 1", "multiple ORDER BY clauses not allowed", 22);
}

TEST(ParserQueryTest, ValuesQueries) {
  EXPECT_EQ(Query("VALUES (1, 'a'), (2, 'b') ORDER BY 1"), "{values (1, 'a'), (2, 'b') order by 1}");
  ExpectSyntaxError("VALUES (1, 2), (3)", "VALUES lists must all be the same length", 15);
}

TEST(ParserQueryTest, With) {
  EXPECT_EQ(Query("WITH x AS (SELECT 1), y(a, b) AS (SELECT 2, 3) SELECT * FROM x, y"),
            "{with x as {select 1}, y(a,b) as {select 2, 3} select * from (cross x y)}");
  EXPECT_EQ(Query("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r"),
            "{with recursive r(n) as {(union all {select 1} {select (+ n 1) from r where (< n 3)})} select n from r}");
  EXPECT_EQ(Query("WITH x AS (SELECT 1) SELECT 1 UNION SELECT 2"),
            "{with x as {select 1} (union {select 1} {select 2})}");
}

TEST(ParserQueryTest, WithSetsThePosition) {
  StatementPtr statement = ParseOne("WITH x AS (SELECT 1) SELECT * FROM x");
  EXPECT_EQ(statement->As<SelectStmt>().query->pos, 0);
}

// ---------------------------------------------------------------------------------------------
// Data modification

TEST(ParserInsertTest, Values) {
  auto insert = Parse<InsertStmt>("INSERT INTO t1(e,c) VALUES(103,DEFAULT), (1, - 2)", StmtKind::Insert);
  EXPECT_EQ(insert->table.name, "t1");
  EXPECT_EQ(insert->columns, (std::vector<std::string>{"e", "c"}));
  ASSERT_EQ(insert->values.size(), 2u);
  EXPECT_EQ(DumpExprs(insert->values[0]), "103, DEFAULT");
  EXPECT_EQ(DumpExprs(insert->values[1]), "1, -2");
  EXPECT_FALSE(insert->query);
  EXPECT_FALSE(insert->default_values);
  EXPECT_EQ(insert->on_conflict, ConflictAction::None);
}

TEST(ParserInsertTest, QuerySources) {
  auto insert = Parse<InsertStmt>("INSERT INTO db.t5 SELECT * FROM t4", StmtKind::Insert);
  EXPECT_EQ(insert->table.database, "db");
  EXPECT_EQ(DumpQuery(*insert->query), "{select * from t4}");
  auto parenthesized = Parse<InsertStmt>("INSERT INTO t (SELECT 1)", StmtKind::Insert);
  EXPECT_TRUE(parenthesized->columns.empty());
  EXPECT_EQ(DumpQuery(*parenthesized->query), "{select 1}");
  auto with = Parse<InsertStmt>("INSERT INTO t (a) WITH x AS (SELECT 1) SELECT * FROM x", StmtKind::Insert);
  EXPECT_EQ(with->columns, std::vector<std::string>{"a"});
  ASSERT_TRUE(with->query);
  EXPECT_EQ(with->query->ctes.size(), 1u);
}

TEST(ParserInsertTest, DefaultValuesAndAlias) {
  auto insert = Parse<InsertStmt>("INSERT INTO t AS x DEFAULT VALUES", StmtKind::Insert);
  EXPECT_TRUE(insert->default_values);
  EXPECT_EQ(insert->alias, "x");
}

TEST(ParserInsertTest, OnConflict) {
  auto nothing = Parse<InsertStmt>("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING", StmtKind::Insert);
  EXPECT_EQ(nothing->on_conflict, ConflictAction::DoNothing);
  EXPECT_TRUE(nothing->conflict_columns.empty());
  auto update = Parse<InsertStmt>(
      "INSERT INTO t AS o VALUES (1, 2) ON CONFLICT (k) DO UPDATE SET v = excluded.v + o.v, w = DEFAULT "
      "WHERE o.v < 10 RETURNING *",
      StmtKind::Insert);
  EXPECT_EQ(update->on_conflict, ConflictAction::DoUpdate);
  EXPECT_EQ(update->conflict_columns, std::vector<std::string>{"k"});
  ASSERT_EQ(update->conflict_set.size(), 2u);
  EXPECT_EQ(update->conflict_set[0].column, "v");
  EXPECT_EQ(DumpExpr(*update->conflict_set[0].value), "(+ excluded.v o.v)");
  EXPECT_FALSE(update->conflict_set[1].value);
  EXPECT_EQ(DumpExpr(*update->conflict_where), "(< o.v 10)");
  EXPECT_EQ(DumpSelectList(update->returning), "*");
}

TEST(ParserInsertTest, SqliteConflictClauses) {
  auto replace = Parse<InsertStmt>("REPLACE INTO t(a) VALUES (1) RETURNING a", StmtKind::Insert);
  EXPECT_EQ(replace->on_conflict, ConflictAction::Replace);
  EXPECT_EQ(replace->columns, std::vector<std::string>{"a"});
  EXPECT_EQ(Parse<InsertStmt>("insert or replace into t values (1)", StmtKind::Insert)->on_conflict, ConflictAction::Replace);
  auto ignore = Parse<InsertStmt>("INSERT OR IGNORE INTO t SELECT 1", StmtKind::Insert);
  EXPECT_EQ(ignore->on_conflict, ConflictAction::DoNothing);
  EXPECT_TRUE(ignore->conflict_columns.empty());
  EXPECT_EQ(Parse<InsertStmt>("INSERT OR ABORT INTO t VALUES (1)", StmtKind::Insert)->on_conflict, ConflictAction::None);
  ExpectSyntaxError("INSERT OR UPSERT INTO t VALUES (1)",
                    "syntax error at or near \"UPSERT\": expected REPLACE, IGNORE, ABORT, FAIL or ROLLBACK", 10);
  ExpectSyntaxError("REPLACE t VALUES (1)", "syntax error at or near \"t\": expected INTO", 8);
}

TEST(ParserInsertTest, Returning) {
  auto insert = Parse<InsertStmt>("INSERT INTO t VALUES (1) RETURNING a, b + 1 AS c", StmtKind::Insert);
  EXPECT_EQ(DumpSelectList(insert->returning), "a, (+ b 1) as c");
}

TEST(ParserInsertTest, Errors) {
  ExpectSyntaxError("INSERT t VALUES (1)", "syntax error at or near \"t\": expected INTO", 7);
  ExpectSyntaxError("INSERT INTO t VALUE (1)",
                    "syntax error at or near \"VALUE\": expected '(', VALUES, SELECT or DEFAULT VALUES", 14);
  ExpectSyntaxError("INSERT INTO t VALUES (1) x",
                    "syntax error at or near \"x\": expected ON CONFLICT, RETURNING or the end of the statement", 25);
  ExpectSyntaxError("INSERT INTO t VALUES (DEFAULT + 1)", "syntax error at or near \"+\": expected ',' or ')'", 30);
}

TEST(ParserUpdateTest, Update) {
  auto update = Parse<UpdateStmt>("UPDATE t1 SET x=3, y = DEFAULT WHERE x>0", StmtKind::Update);
  EXPECT_EQ(update->table.name, "t1");
  EXPECT_EQ(update->alias, "");
  ASSERT_EQ(update->set.size(), 2u);
  EXPECT_EQ(update->set[0].column, "x");
  EXPECT_EQ(update->set[0].pos, 14);
  EXPECT_EQ(DumpExpr(*update->set[0].value), "3");
  EXPECT_FALSE(update->set[1].value);
  EXPECT_EQ(DumpExpr(*update->where), "(> x 0)");
}

TEST(ParserUpdateTest, AliasFromAndReturning) {
  auto update = Parse<UpdateStmt>("UPDATE t AS a SET v = b.v FROM b WHERE a.k = b.k RETURNING a.v", StmtKind::Update);
  EXPECT_EQ(update->alias, "a");
  EXPECT_EQ(DumpTableRef(*update->from), "b");
  EXPECT_EQ(DumpSelectList(update->returning), "a.v");
  auto bare = Parse<UpdateStmt>("UPDATE t a SET v = 1", StmtKind::Update);
  EXPECT_EQ(bare->alias, "a");
}

TEST(ParserDeleteTest, Delete) {
  auto del = Parse<DeleteStmt>("DELETE FROM t", StmtKind::Delete);
  EXPECT_EQ(del->table.name, "t");
  EXPECT_FALSE(del->where);
  auto full = Parse<DeleteStmt>("DELETE FROM t AS x WHERE x.a = 1 RETURNING *", StmtKind::Delete);
  EXPECT_EQ(full->alias, "x");
  EXPECT_EQ(DumpExpr(*full->where), "(= x.a 1)");
  EXPECT_EQ(full->returning.size(), 1u);
  ExpectSyntaxError("DELETE t", "syntax error at or near \"t\": expected FROM", 7);
}

// ---------------------------------------------------------------------------------------------
// Definitions

TEST(ParserCreateTableTest, Columns) {
  auto create = Parse<CreateTableStmt>(
      "CREATE TABLE IF NOT EXISTS db.t (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL UNIQUE, "
      "score DOUBLE PRECISION DEFAULT -1.5 NULL, d DATE CONSTRAINT c DEFAULT CURRENT_DATE)",
      StmtKind::CreateTable);
  EXPECT_TRUE(create->if_not_exists);
  EXPECT_FALSE(create->temporary);
  EXPECT_EQ(create->name.database, "db");
  EXPECT_EQ(create->name.name, "t");
  ASSERT_EQ(create->columns.size(), 4u);
  const ColumnDef& id = create->columns[0];
  EXPECT_EQ(id.name, "id");
  EXPECT_EQ(id.type, LogicalType(TypeId::Integer));
  EXPECT_TRUE(id.primary_key);
  EXPECT_EQ(id.pos, 33);
  const ColumnDef& name = create->columns[1];
  EXPECT_EQ(name.type, LogicalType(TypeId::Varchar, 20));
  EXPECT_TRUE(name.not_null);
  EXPECT_TRUE(name.unique);
  EXPECT_FALSE(name.primary_key);
  const ColumnDef& score = create->columns[2];
  EXPECT_EQ(score.type, LogicalType(TypeId::Double));
  EXPECT_EQ(DumpExpr(*score.default_value), "-1.5d");
  EXPECT_FALSE(score.not_null);
  EXPECT_EQ(DumpExpr(*create->columns[3].default_value), "current_date()");
  EXPECT_TRUE(create->constraints.empty());
}

TEST(ParserCreateTableTest, DefaultStopsBeforeConstraints) {
  auto create = Parse<CreateTableStmt>("CREATE TABLE t (a INT DEFAULT 1 + 2 NOT NULL)", StmtKind::CreateTable);
  EXPECT_EQ(DumpExpr(*create->columns[0].default_value), "(+ 1 2)");
  EXPECT_TRUE(create->columns[0].not_null);
}

TEST(ParserCreateTableTest, TableConstraints) {
  auto create = Parse<CreateTableStmt>(
      "CREATE TEMP TABLE t (a INT, b TEXT, PRIMARY KEY (a, b), CONSTRAINT u UNIQUE (b))", StmtKind::CreateTable);
  EXPECT_TRUE(create->temporary);
  ASSERT_EQ(create->constraints.size(), 2u);
  EXPECT_EQ(create->constraints[0].kind, TableConstraint::Kind::PrimaryKey);
  EXPECT_EQ(create->constraints[0].columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(create->constraints[0].pos, 36);
  EXPECT_EQ(create->constraints[1].kind, TableConstraint::Kind::Unique);
  EXPECT_EQ(create->constraints[1].columns, std::vector<std::string>{"b"});
}

TEST(ParserCreateTableTest, AsQuery) {
  auto create = Parse<CreateTableStmt>("CREATE TEMPORARY TABLE t AS SELECT * FROM u", StmtKind::CreateTable);
  EXPECT_TRUE(create->temporary);
  EXPECT_TRUE(create->columns.empty());
  EXPECT_EQ(DumpQuery(*create->as_query), "{select * from u}");
}

TEST(ParserCreateTableTest, UnsupportedConstraints) {
  ExpectError("CREATE TABLE t (a INT CHECK (a > 0))", sqlstate::kFeatureNotSupported,
              "CHECK constraints are not supported", 22);
  ExpectError("CREATE TABLE t (a INT, FOREIGN KEY (a) REFERENCES u (b))", sqlstate::kFeatureNotSupported,
              "FOREIGN KEY constraints are not supported", 23);
}

TEST(ParserCreateTableTest, Errors) {
  ExpectSyntaxError("CREATE TABLE t (a INT,)", "syntax error at or near \")\": expected a column name", 22);
  ExpectSyntaxError("CREATE TABLE t (a INT b)", "syntax error at or near \"b\": expected ',' or ')'", 22);
  ExpectSyntaxError("CREATE TABLE (a INT)", "syntax error at or near \"(\": expected a table name", 13);
  ExpectSyntaxError("CREATE TABLE t (select INT)", "syntax error at or near \"select\": expected a column name", 16);
}

TEST(ParserCreateTest, Database) {
  auto create = Parse<CreateDatabaseStmt>("CREATE DATABASE IF NOT EXISTS Sales", StmtKind::CreateDatabase);
  EXPECT_EQ(create->name, "sales");
  EXPECT_TRUE(create->if_not_exists);
}

TEST(ParserCreateTest, Index) {
  auto index = Parse<CreateIndexStmt>("CREATE UNIQUE INDEX IF NOT EXISTS i1 ON t (a DESC, lower(b))",
                                      StmtKind::CreateIndex);
  EXPECT_TRUE(index->unique);
  EXPECT_TRUE(index->if_not_exists);
  EXPECT_EQ(index->name, "i1");
  EXPECT_EQ(index->table.name, "t");
  EXPECT_EQ(DumpOrderBy(index->columns), "a desc, lower(b)");
  auto unnamed = Parse<CreateIndexStmt>("CREATE INDEX ON t1(x)", StmtKind::CreateIndex);
  EXPECT_EQ(unnamed->name, "");
  EXPECT_FALSE(unnamed->unique);
}

TEST(ParserCreateTest, View) {
  auto view = Parse<CreateViewStmt>("CREATE OR REPLACE TEMP VIEW v (a, b) AS SELECT x, y FROM t WHERE x > 0 ;",
                                    StmtKind::CreateView);
  EXPECT_TRUE(view->or_replace);
  EXPECT_TRUE(view->temporary);
  EXPECT_FALSE(view->if_not_exists);
  EXPECT_EQ(view->name.name, "v");
  EXPECT_EQ(view->column_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(view->query_text, "SELECT x, y FROM t WHERE x > 0");
  EXPECT_EQ(DumpQuery(*view->query), "{select x, y from t where (> x 0)}");
  auto plain = Parse<CreateViewStmt>("CREATE VIEW IF NOT EXISTS view1 AS (SELECT 1) /* c */", StmtKind::CreateView);
  EXPECT_TRUE(plain->if_not_exists);
  EXPECT_EQ(plain->query_text, "(SELECT 1)");
}

TEST(ParserCreateTest, Errors) {
  ExpectError("CREATE TRIGGER t1r1 UPDATE ON t1", sqlstate::kFeatureNotSupported, "triggers are not supported", 7);
  ExpectError("REINDEX t1i1", sqlstate::kFeatureNotSupported, "REINDEX is not supported (LytDB's indexes are always up to date)", 0);
  ExpectSyntaxError("CREATE OR REPLACE TABLE t (a INT)",
                    "syntax error at or near \"TABLE\": expected VIEW or TEMPORARY VIEW", 18);
  ExpectSyntaxError("CREATE UNIQUE TABLE t (a INT)", "syntax error at or near \"TABLE\": expected INDEX", 14);
}

TEST(ParserDropTest, Kinds) {
  auto table = Parse<DropStmt>("DROP TABLE IF EXISTS t1, db.t2 CASCADE", StmtKind::Drop);
  EXPECT_EQ(table->object, ObjectKind::Table);
  EXPECT_TRUE(table->if_exists);
  EXPECT_TRUE(table->cascade);
  ASSERT_EQ(table->names.size(), 2u);
  EXPECT_EQ(table->names[1].database, "db");
  EXPECT_EQ(table->names[1].name, "t2");
  EXPECT_EQ(table->names[1].pos, 25);
  auto view = Parse<DropStmt>("DROP VIEW v RESTRICT", StmtKind::Drop);
  EXPECT_EQ(view->object, ObjectKind::View);
  EXPECT_FALSE(view->cascade);
  EXPECT_EQ(Parse<DropStmt>("DROP INDEX t1i1", StmtKind::Drop)->object, ObjectKind::Index);
  auto database = Parse<DropStmt>("DROP DATABASE d", StmtKind::Drop);
  EXPECT_EQ(database->object, ObjectKind::Database);
  EXPECT_EQ(database->names[0].name, "d");
  ExpectError("DROP TRIGGER x", sqlstate::kFeatureNotSupported, "triggers are not supported", 5);
}

TEST(ParserAlterTest, AddColumn) {
  auto alter = Parse<AlterTableStmt>("ALTER TABLE IF EXISTS t ADD COLUMN IF NOT EXISTS c INT NOT NULL DEFAULT 0",
                                     StmtKind::AlterTable);
  EXPECT_TRUE(alter->if_exists);
  EXPECT_EQ(alter->table.name, "t");
  EXPECT_EQ(alter->action, AlterKind::AddColumn);
  EXPECT_TRUE(alter->if_not_exists);
  EXPECT_EQ(alter->column.name, "c");
  EXPECT_TRUE(alter->column.not_null);
  EXPECT_EQ(DumpExpr(*alter->column.default_value), "0");
  EXPECT_EQ(Parse<AlterTableStmt>("ALTER TABLE t ADD c TEXT", StmtKind::AlterTable)->column.type,
            LogicalType(TypeId::Varchar));
}

TEST(ParserAlterTest, DropAndRename) {
  auto drop = Parse<AlterTableStmt>("ALTER TABLE t DROP COLUMN IF EXISTS c", StmtKind::AlterTable);
  EXPECT_EQ(drop->action, AlterKind::DropColumn);
  EXPECT_EQ(drop->name, "c");
  EXPECT_TRUE(drop->if_column_exists);
  EXPECT_FALSE(drop->if_exists);
  EXPECT_FALSE(drop->cascade);
  EXPECT_FALSE(Parse<AlterTableStmt>("ALTER TABLE t DROP c", StmtKind::AlterTable)->if_column_exists);
  EXPECT_TRUE(Parse<AlterTableStmt>("ALTER TABLE t DROP c CASCADE", StmtKind::AlterTable)->cascade);
  auto rename_column = Parse<AlterTableStmt>("ALTER TABLE t RENAME COLUMN a TO b", StmtKind::AlterTable);
  EXPECT_EQ(rename_column->action, AlterKind::RenameColumn);
  EXPECT_EQ(rename_column->name, "a");
  EXPECT_EQ(rename_column->new_name, "b");
  EXPECT_EQ(Parse<AlterTableStmt>("ALTER TABLE t RENAME a TO b", StmtKind::AlterTable)->action,
            AlterKind::RenameColumn);
  auto rename_table = Parse<AlterTableStmt>("ALTER TABLE t RENAME TO u", StmtKind::AlterTable);
  EXPECT_EQ(rename_table->action, AlterKind::RenameTable);
  EXPECT_EQ(rename_table->name, "u");
}

TEST(ParserAlterTest, AlterColumnType) {
  auto alter = Parse<AlterTableStmt>("ALTER TABLE t ALTER COLUMN c SET DATA TYPE BIGINT", StmtKind::AlterTable);
  EXPECT_EQ(alter->action, AlterKind::AlterColumnType);
  EXPECT_EQ(alter->column.name, "c");
  EXPECT_EQ(alter->column.type, LogicalType(TypeId::BigInt));
  EXPECT_EQ(Parse<AlterTableStmt>("ALTER TABLE t ALTER c TYPE varchar(3)", StmtKind::AlterTable)->column.type,
            LogicalType(TypeId::Varchar, 3));
  auto with_using = Parse<AlterTableStmt>("ALTER TABLE t ALTER c TYPE int USING c + 1", StmtKind::AlterTable);
  EXPECT_EQ(DumpExpr(*with_using->using_expr), "(+ c 1)");
  ExpectSyntaxError("ALTER TABLE t FROB c", "syntax error at or near \"FROB\": expected ADD, DROP, RENAME or ALTER", 14);
}

TEST(ParserAlterTest, DefaultsAndNotNull) {
  auto set_default = Parse<AlterTableStmt>("ALTER TABLE t ALTER COLUMN c SET DEFAULT 1 + 2", StmtKind::AlterTable);
  EXPECT_EQ(set_default->action, AlterKind::SetDefault);
  EXPECT_EQ(set_default->column.name, "c");
  EXPECT_EQ(DumpExpr(*set_default->column.default_value), "(+ 1 2)");
  EXPECT_EQ(Parse<AlterTableStmt>("ALTER TABLE t ALTER c DROP DEFAULT", StmtKind::AlterTable)->action, AlterKind::DropDefault);
  EXPECT_EQ(Parse<AlterTableStmt>("ALTER TABLE t ALTER c SET NOT NULL", StmtKind::AlterTable)->action, AlterKind::SetNotNull);
  EXPECT_EQ(Parse<AlterTableStmt>("ALTER TABLE t ALTER c DROP NOT NULL", StmtKind::AlterTable)->action, AlterKind::DropNotNull);
  ExpectSyntaxError("ALTER TABLE t ALTER c SET x", "syntax error at or near \"x\": expected DEFAULT, NOT NULL or DATA TYPE", 26);
}

TEST(ParserDefinitionTest, Truncate) {
  auto truncate = Parse<TruncateStmt>("TRUNCATE TABLE a, b", StmtKind::Truncate);
  ASSERT_EQ(truncate->tables.size(), 2u);
  EXPECT_EQ(truncate->tables[1].name, "b");
  EXPECT_EQ(Parse<TruncateStmt>("TRUNCATE a", StmtKind::Truncate)->tables.size(), 1u);
}

// ---------------------------------------------------------------------------------------------
// Utility statements

TEST(ParserUtilityTest, UseShowDescribe) {
  EXPECT_EQ(Parse<UseStmt>("USE Sales", StmtKind::Use)->database, "sales");
  EXPECT_EQ(Parse<ShowStmt>("SHOW DATABASES", StmtKind::Show)->what, ShowStmt::What::Databases);
  EXPECT_EQ(Parse<ShowStmt>("SHOW TABLES", StmtKind::Show)->what, ShowStmt::What::Tables);
  EXPECT_EQ(Parse<ShowStmt>("SHOW ALL", StmtKind::Show)->what, ShowStmt::What::All);
  auto setting = Parse<ShowStmt>("SHOW Search_Path", StmtKind::Show);
  EXPECT_EQ(setting->what, ShowStmt::What::Setting);
  EXPECT_EQ(setting->setting, "search_path");
  EXPECT_EQ(Parse<DescribeStmt>("DESCRIBE db.t", StmtKind::Describe)->table.database, "db");
  EXPECT_EQ(Parse<DescribeStmt>("DESC t", StmtKind::Describe)->table.name, "t");
}

TEST(ParserUtilityTest, Explain) {
  auto explain = Parse<ExplainStmt>("EXPLAIN SELECT 1", StmtKind::Explain);
  EXPECT_FALSE(explain->analyze);
  ASSERT_EQ(explain->statement->kind, StmtKind::Select);
  EXPECT_EQ(explain->statement->text, "SELECT 1");
  auto analyze = Parse<ExplainStmt>("EXPLAIN ANALYZE DELETE FROM t;", StmtKind::Explain);
  EXPECT_TRUE(analyze->analyze);
  EXPECT_EQ(analyze->statement->kind, StmtKind::Delete);
  EXPECT_EQ(analyze->text, "EXPLAIN ANALYZE DELETE FROM t");
}

TEST(ParserUtilityTest, ExplainOptions) {
  auto defaults = Parse<ExplainStmt>("EXPLAIN SELECT 1", StmtKind::Explain);
  EXPECT_TRUE(defaults->costs && defaults->timing && defaults->summary);
  auto options = Parse<ExplainStmt>("EXPLAIN (ANALYZE, COSTS OFF, TIMING false, SUMMARY 0) SELECT 1", StmtKind::Explain);
  EXPECT_TRUE(options->analyze);
  EXPECT_FALSE(options->costs || options->timing || options->summary);
  EXPECT_EQ(options->statement->text, "SELECT 1");
  auto on = Parse<ExplainStmt>("EXPLAIN (analyze on, costs 'true', timing 1) VALUES (1)", StmtKind::Explain);
  EXPECT_TRUE(on->analyze && on->costs && on->timing);
  EXPECT_FALSE(Parse<ExplainStmt>("EXPLAIN (ANALYZE false) SELECT 1", StmtKind::Explain)->analyze);
  // a parenthesised query is not an option list
  EXPECT_EQ(Parse<ExplainStmt>("EXPLAIN (SELECT 1)", StmtKind::Explain)->statement->kind, StmtKind::Select);
  EXPECT_EQ(Parse<ExplainStmt>("EXPLAIN ((VALUES (1)))", StmtKind::Explain)->statement->kind, StmtKind::Select);
  ExpectSyntaxError("EXPLAIN (VERBOSE) SELECT 1", "unrecognized EXPLAIN option \"verbose\"", 9);
  ExpectSyntaxError("EXPLAIN (COSTS maybe) SELECT 1", "costs requires a Boolean value", 15);
  ExpectSyntaxError("EXPLAIN (ANALYZE SELECT 1", "analyze requires a Boolean value", 17);
  ExpectError("EXPLAIN (TIMING) SELECT 1", sqlstate::kInvalidParameterValue, "EXPLAIN option TIMING requires ANALYZE", 0);
}

TEST(ParserCopyTest, OptionsList) {
  auto copy = Parse<CopyStmt>(
      "COPY t (a, b) FROM '/tmp/x.csv' WITH (FORMAT csv, HEADER, DELIMITER ';', NULL 'n/a', QUOTE '\"', "
      "ESCAPE E'\\\\', HEADER false)",
      StmtKind::Copy);
  EXPECT_TRUE(copy->is_from);
  EXPECT_EQ(copy->table.name, "t");
  EXPECT_EQ(copy->columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(copy->filename, "/tmp/x.csv");
  using Options = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(copy->options, (Options{{"format", "csv"}, {"header", "true"}, {"delimiter", ";"}, {"null", "n/a"},
                                    {"quote", "\""}, {"escape", "\\"}, {"header", "false"}}));
}

TEST(ParserCopyTest, LegacyOptionsAndQueries) {
  auto copy = Parse<CopyStmt>("COPY t TO 'out.csv' WITH CSV HEADER DELIMITER AS '|'", StmtKind::Copy);
  EXPECT_FALSE(copy->is_from);
  using Options = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(copy->options, (Options{{"format", "csv"}, {"header", "true"}, {"delimiter", "|"}}));
  auto query = Parse<CopyStmt>("COPY (SELECT * FROM t) TO 'q.csv' (FORMAT csv)", StmtKind::Copy);
  EXPECT_FALSE(query->is_from);
  EXPECT_EQ(DumpQuery(*query->query), "{select * from t}");
  EXPECT_EQ(query->options.size(), 1u);
  EXPECT_TRUE(Parse<CopyStmt>("COPY t FROM 'f'", StmtKind::Copy)->options.empty());
}

TEST(ParserCopyTest, StandardStreamsAreRejected) {
  ExpectSyntaxError("COPY t FROM STDIN", "COPY FROM STDIN is not supported; use a file path", 12);
  ExpectSyntaxError("COPY t TO stdout WITH CSV", "COPY TO STDOUT is not supported; use a file path", 10);
  ExpectSyntaxError("COPY t FROM x", "syntax error at or near \"x\": expected a file name in single quotes", 12);
}

TEST(ParserSetTest, SetAndReset) {
  auto equal = Parse<SetStmt>("SET search_path = 'a', b", StmtKind::Set);
  EXPECT_EQ(equal->name, "search_path");
  EXPECT_EQ(equal->value, "a, b");
  EXPECT_FALSE(equal->reset);
  auto to = Parse<SetStmt>("SET Threads TO 4", StmtKind::Set);
  EXPECT_EQ(to->name, "threads");
  EXPECT_EQ(to->value, "4");
  EXPECT_EQ(Parse<SetStmt>("SET x = -1.5", StmtKind::Set)->value, "-1.5");
  EXPECT_EQ(Parse<SetStmt>("SET x TO ON", StmtKind::Set)->value, "on");
  EXPECT_EQ(Parse<SetStmt>("SET SESSION x = 1", StmtKind::Set)->name, "x");
  EXPECT_EQ(Parse<SetStmt>("SET session = 1", StmtKind::Set)->name, "session");
  auto zone = Parse<SetStmt>("SET TIME ZONE 'UTC'", StmtKind::Set);
  EXPECT_EQ(zone->name, "timezone");
  EXPECT_EQ(zone->value, "UTC");
  auto reset = Parse<SetStmt>("RESET threads", StmtKind::Set);
  EXPECT_TRUE(reset->reset);
  EXPECT_EQ(reset->name, "threads");
  EXPECT_EQ(reset->value, "");
  EXPECT_EQ(Parse<SetStmt>("RESET ALL", StmtKind::Set)->name, "all");
  ExpectSyntaxError("SET x 1", "syntax error at or near \"1\": expected '=' or TO", 6);
}

TEST(ParserTransactionTest, Kinds) {
  struct Case {
    const char* sql;
    TxnKind kind;
    const char* savepoint;
  };
  const Case cases[] = {
      {"BEGIN", TxnKind::Begin, ""},
      {"BEGIN TRANSACTION", TxnKind::Begin, ""},
      {"begin work", TxnKind::Begin, ""},
      {"START TRANSACTION", TxnKind::Begin, ""},
      {"COMMIT", TxnKind::Commit, ""},
      {"COMMIT WORK", TxnKind::Commit, ""},
      {"END", TxnKind::Commit, ""},
      {"END TRANSACTION", TxnKind::Commit, ""},
      {"ROLLBACK", TxnKind::Rollback, ""},
      {"ABORT", TxnKind::Rollback, ""},
      {"SAVEPOINT s1", TxnKind::Savepoint, "s1"},
      {"RELEASE SAVEPOINT s1", TxnKind::Release, "s1"},
      {"RELEASE s1", TxnKind::Release, "s1"},
      {"ROLLBACK TO SAVEPOINT s1", TxnKind::RollbackTo, "s1"},
      {"ROLLBACK TRANSACTION TO s1", TxnKind::RollbackTo, "s1"},
  };
  for (const Case& c : cases) {
    auto txn = Parse<TransactionStmt>(c.sql, StmtKind::Transaction);
    EXPECT_EQ(txn->type, c.kind) << c.sql;
    EXPECT_EQ(txn->savepoint, c.savepoint) << c.sql;
  }
  ExpectSyntaxError("START", "syntax error at end of input: expected TRANSACTION", 5);
}

// ---------------------------------------------------------------------------------------------
// Statement lists, text and errors

TEST(ParserStatementTest, TextAndPositions) {
  std::vector<StatementPtr> statements = ParseSql("  SELECT 1 ;; -- note\n select /* c */ 2 -- end\n;");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0]->text, "SELECT 1");
  EXPECT_EQ(statements[0]->pos, 2);
  EXPECT_EQ(statements[1]->text, "select /* c */ 2");
  EXPECT_EQ(statements[1]->pos, 23);
}

TEST(ParserStatementTest, EmptyInput) {
  EXPECT_TRUE(ParseSql("").empty());
  EXPECT_TRUE(ParseSql(" ; ;; -- x").empty());
}

TEST(ParserStatementTest, EveryKind) {
  const std::pair<const char*, StmtKind> cases[] = {
      {"SELECT 1", StmtKind::Select},
      {"VALUES (1)", StmtKind::Select},
      {"(SELECT 1)", StmtKind::Select},
      {"WITH x AS (SELECT 1) SELECT 1", StmtKind::Select},
      {"INSERT INTO t VALUES (1)", StmtKind::Insert},
      {"UPDATE t SET a = 1", StmtKind::Update},
      {"DELETE FROM t", StmtKind::Delete},
      {"CREATE TABLE t (a INT)", StmtKind::CreateTable},
      {"CREATE DATABASE d", StmtKind::CreateDatabase},
      {"CREATE INDEX i ON t (a)", StmtKind::CreateIndex},
      {"CREATE VIEW v AS SELECT 1", StmtKind::CreateView},
      {"DROP TABLE t", StmtKind::Drop},
      {"ALTER TABLE t ADD a INT", StmtKind::AlterTable},
      {"TRUNCATE t", StmtKind::Truncate},
      {"USE d", StmtKind::Use},
      {"SHOW TABLES", StmtKind::Show},
      {"DESCRIBE t", StmtKind::Describe},
      {"EXPLAIN SELECT 1", StmtKind::Explain},
      {"COPY t FROM 'f'", StmtKind::Copy},
      {"SET a = 1", StmtKind::Set},
      {"BEGIN", StmtKind::Transaction},
  };
  for (const auto& [sql, kind] : cases) {
    std::vector<StatementPtr> statements = ParseSql(sql);
    ASSERT_EQ(statements.size(), 1u) << sql;
    EXPECT_EQ(statements[0]->kind, kind) << sql;
    EXPECT_EQ(statements[0]->text, sql);
    EXPECT_EQ(statements[0]->pos, 0);
  }
}

TEST(ParserErrorTest, MessagesNameTheAlternatives) {
  ExpectSyntaxError("SELECT * FORM t", "syntax error at or near \"FORM\": expected FROM or the end of the statement", 9);
  ExpectSyntaxError("SELECT 1 2", "syntax error at or near \"2\": expected FROM or the end of the statement", 9);
  ExpectSyntaxError("SELECT a FROM t u v",
                    "syntax error at or near \"v\": expected WHERE, GROUP BY, ORDER BY, a join or the end of the statement",
                    18);
  ExpectSyntaxError("SELECT 1 +", "syntax error at end of input: expected an expression", 10);
  ExpectSyntaxError("SELECT 1 +;", "syntax error at or near \";\": expected an expression", 10);
  ExpectSyntaxError("SELECT (1", "syntax error at end of input: expected ')'", 9);
  ExpectSyntaxError("SELECT f(1 2)", "syntax error at or near \"2\": expected ',' or ')'", 11);
  ExpectSyntaxError("SELECT * FROM", "syntax error at end of input: expected a table name", 13);
  ExpectSyntaxError("SELEC 1", "syntax error at or near \"SELEC\": expected a statement", 0);
  ExpectSyntaxError("SELECT @", "syntax error at or near \"@\": expected an expression", 7);
  ExpectSyntaxError("SELECT a IS 5", "syntax error at or near \"5\": expected NULL, TRUE, FALSE or DISTINCT FROM", 12);
  ExpectSyntaxError("SELECT CASE WHEN 1 THEN 2", "syntax error at end of input: expected WHEN, ELSE or END", 25);
  ExpectSyntaxError("SELECT CASE 1 END", "syntax error at or near \"END\": expected WHEN", 14);
  ExpectSyntaxError("SELECT a FROM t ORDER a", "syntax error at or near \"a\": expected BY", 22);
  ExpectSyntaxError("SELECT 1 LIMIT 1 UNION SELECT 2",
                    "syntax error at or near \"UNION\": expected OFFSET or the end of the statement", 17);
  ExpectSyntaxError("SELECT 1 ORDER BY 1 OFFSET 1 LIMIT 1 x", "syntax error at or near \"x\": expected the end of the statement", 37);
  ExpectSyntaxError("COPY (SELECT 1) TO 'f' x", "syntax error at or near \"x\": expected the end of the statement", 23);
  ExpectSyntaxError("SELECT * FROM (SELECT 1 2) x", "syntax error at or near \"2\": expected ')'", 24);
  ExpectSyntaxError("SELECT \"Q\" FROM t WHERE", "syntax error at end of input: expected an expression", 23);
}

TEST(ParserErrorTest, PositionsAreOffsetsIntoTheWholeInput) {
  ExpectSyntaxError("SELECT 1;\nSELECT * FORM t",
                    "syntax error at or near \"FORM\": expected FROM or the end of the statement", 19);
}

TEST(ParserErrorTest, LexicalErrors) {
  ExpectSyntaxError("SELECT 'abc", "unterminated quoted string", 7);
  ExpectSyntaxError("SELECT 1; SELECT \"abc", "unterminated quoted identifier", 17);
  ExpectSyntaxError("SELECT 1 /* x", "unterminated /* comment", 9);
  ExpectSyntaxError("SELECT X'ABC'", "syntax error at or near \"X'ABC'\": expected an even number of hexadecimal digits", 7);
}

TEST(ParserErrorTest, NestingLimit) {
  std::string sql = "SELECT " + std::string(1000, '(') + "1" + std::string(1000, ')');
  try {
    ParseSql(sql);
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_STREQ(error.sqlstate(), sqlstate::kProgramLimitExceeded);
    EXPECT_EQ(std::string(error.what()), "expression nesting too deep (limit 500)");
  }
  std::string queries = std::string(1000, '(') + "SELECT 1" + std::string(1000, ')');
  EXPECT_THROW(ParseSql(queries), Error);
  std::string negations = "SELECT ";
  for (int i = 0; i < 1000; ++i) negations += "- ";
  EXPECT_THROW(ParseSql(negations + "1"), Error);
  std::string nots = "SELECT ";
  for (int i = 0; i < 1000; ++i) nots += "NOT ";
  EXPECT_THROW(ParseSql(nots + "TRUE"), Error);
  std::string joins = "SELECT * FROM " + std::string(1000, '(') + "t" + std::string(1000, ')');
  EXPECT_THROW(ParseSql(joins), Error);
}

TEST(ParserErrorTest, AmbiguousParenthesesStayPolynomial) {
  // Each level is first tried as a parenthesized query; retrying inner attempts for every
  // enclosing fallback would take 2^60 steps here.
  std::string expr = "1";
  for (int i = 0; i < 60; ++i) expr = "((SELECT " + expr + ") + 1)";
  EXPECT_EQ(ParseSql("SELECT " + expr).size(), 1u);
  std::string in = "1";
  for (int i = 0; i < 60; ++i) in = "x IN ((SELECT " + in + "), 1)";
  EXPECT_EQ(ParseSql("SELECT " + in).size(), 1u);
}

TEST(ParserErrorTest, ModerateNestingIsFine) {
  std::string sql = "SELECT " + std::string(200, '(') + "1" + std::string(200, ')');
  EXPECT_EQ(ParseSql(sql).size(), 1u);
}

TEST(ParserErrorTest, TreeHeightLimit) {
  std::string sql = "SELECT 1";
  for (int i = 0; i < 5000; ++i) sql += " + 1";
  try {
    ParseSql(sql);
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_STREQ(error.sqlstate(), sqlstate::kProgramLimitExceeded);
    EXPECT_EQ(std::string(error.what()), "syntax tree too deep (limit 1000 levels)");
  }
  std::string unions = "SELECT 1";
  for (int i = 0; i < 2000; ++i) unions += " UNION SELECT 1";
  EXPECT_THROW(ParseSql(unions), Error);
  std::string flat = "SELECT 1 IN (0";
  for (int i = 0; i < 5000; ++i) flat += ", 1";
  EXPECT_EQ(ParseSql(flat + ")").size(), 1u);  // lists are flat, not deep
}

// ---------------------------------------------------------------------------------------------
// SplitStatements / IsCompleteStatement

TEST(SplitTest, SplitsOnSemicolonsOutsideQuotesAndComments) {
  EXPECT_EQ(SplitStatements("SELECT ';' ; -- x;"), std::vector<std::string>{"SELECT ';'"});
  EXPECT_EQ(SplitStatements("SELECT 1;;; SELECT \"a;b\" ; "), (std::vector<std::string>{"SELECT 1", "SELECT \"a;b\""}));
  EXPECT_EQ(SplitStatements("/* ; /* ; */ ; */ SELECT 1; SELECT E'\\';'"),
            (std::vector<std::string>{"SELECT 1", "SELECT E'\\';'"}));
  EXPECT_EQ(SplitStatements("  select\n  1  "), std::vector<std::string>{"select\n  1"});
  EXPECT_TRUE(SplitStatements("/* ; */").empty());
  EXPECT_TRUE(SplitStatements(" ; -- ;").empty());
}

TEST(SplitTest, UnterminatedInputStaysInTheLastStatement) {
  EXPECT_EQ(SplitStatements("SELECT 1; SELECT 'ab;c"), (std::vector<std::string>{"SELECT 1", "SELECT 'ab;c"}));
}

TEST(SplitTest, IsCompleteStatement) {
  EXPECT_TRUE(IsCompleteStatement("SELECT ';' ; -- x;"));
  EXPECT_TRUE(IsCompleteStatement("SELECT 1;"));
  EXPECT_TRUE(IsCompleteStatement("SELECT 1; /* ; */ \n"));
  EXPECT_TRUE(IsCompleteStatement("SELECT 1; SELECT 2;"));
  EXPECT_FALSE(IsCompleteStatement("SELECT 1"));
  EXPECT_FALSE(IsCompleteStatement("SELECT 1; SELECT 2"));
  EXPECT_FALSE(IsCompleteStatement("SELECT 1 -- ;"));
  EXPECT_FALSE(IsCompleteStatement("/* ; */"));
  EXPECT_FALSE(IsCompleteStatement(";"));
  EXPECT_FALSE(IsCompleteStatement(""));
  EXPECT_FALSE(IsCompleteStatement("SELECT 'abc;"));
  EXPECT_FALSE(IsCompleteStatement("SELECT 1; /* unterminated ;"));
  EXPECT_FALSE(IsCompleteStatement("SELECT \"x;"));
}

}  // namespace
}  // namespace lyt

TEST(RedactPasswords, HidesTheValueAfterPassword) {
  using lyt::sql::RedactPasswords;
  EXPECT_EQ(RedactPasswords("SELECT 'password' FROM t"), "SELECT 'password' FROM t");  // a string, not the keyword
  EXPECT_EQ(RedactPasswords("CREATE USER bob WITH PASSWORD 's3cret' SUPERUSER"), "CREATE USER bob WITH PASSWORD '***' SUPERUSER");
  EXPECT_EQ(RedactPasswords("alter user bob password 'a''b'"), "alter user bob password '***'");
  EXPECT_EQ(RedactPasswords("ALTER USER bob PASSWORD s3cret"), "ALTER USER bob PASSWORD '***'");
  EXPECT_EQ(RedactPasswords("CREATE USER bob PASSWORD 'unterminated"), "(a statement mentioning PASSWORD that could not be read; not shown)");
  EXPECT_EQ(RedactPasswords("SELECT 1"), "SELECT 1");
  // The search for the word ignores case and survives near misses before it.
  EXPECT_EQ(RedactPasswords("alter user p PASSWOR PassWord 'x'"), "alter user p PASSWOR PassWord '***'");
  EXPECT_EQ(RedactPasswords("SELECT passwor, asswordp FROM t"), "SELECT passwor, asswordp FROM t");
  EXPECT_EQ(RedactPasswords("ALTER USER bob PASSWORD"), "ALTER USER bob PASSWORD");
}
