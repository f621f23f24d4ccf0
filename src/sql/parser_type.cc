// Type names, with PostgreSQL's aliases and modifiers.
#include <cstdint>
#include <limits>
#include <string>

#include "sql/parser_internal.h"

namespace lyt::sql {

namespace {

struct TypeAlias {
  std::string_view name;
  TypeId id;
};

// Names that map to a type directly, without modifiers or further words.
constexpr TypeAlias kSimpleTypes[] = {
    {"boolean", TypeId::Boolean}, {"bool", TypeId::Boolean},  {"smallint", TypeId::SmallInt},
    {"int2", TypeId::SmallInt},   {"integer", TypeId::Integer}, {"int", TypeId::Integer},
    {"int4", TypeId::Integer},    {"bigint", TypeId::BigInt},   {"int8", TypeId::BigInt},
    {"real", TypeId::Real},       {"float4", TypeId::Real},     {"float8", TypeId::Double},
    {"text", TypeId::Varchar},    {"string", TypeId::Varchar},  {"blob", TypeId::Blob},
    {"bytea", TypeId::Blob},      {"date", TypeId::Date},       {"interval", TypeId::Interval},
};

// PostgreSQL's cap on declared character lengths.
constexpr int64_t kMaxVarcharLength = 10485760;

[[noreturn]] void ThrowUnknownType(std::string name, int pos) {
  throw Error(sqlstate::kUndefinedObject, "type \"" + name + "\" does not exist", pos);
}

}  // namespace

LogicalType Parser::ParseType() {
  const Token& name = Peek();
  if (name.kind != TokenKind::Identifier) Fail("a type name");
  Advance();
  for (const TypeAlias& alias : kSimpleTypes) {
    if (name.text == alias.name) return alias.id;
  }
  const std::string& word = name.text;
  if (word == "double") {
    AcceptKeyword("precision");
    return TypeId::Double;
  }
  if (word == "float") return ParseFloatType(name);
  if (word == "numeric" || word == "decimal") {
    ParseTypeModifier(/*allow_scale=*/true);
    return TypeId::Double;
  }
  if (word == "varchar") return ParseVarcharType(name, /*varying=*/true);
  if (word == "char" || word == "character") return ParseVarcharType(name, AcceptKeyword("varying"));
  if (word == "timestamp") return ParseTimestampType();
  ThrowUnknownType(word, name.pos);
}

// An optional (n) or, with `allow_scale`, (p, s); returns n or p. Values beyond int32 are
// clamped so callers' range checks reject them.
std::optional<int64_t> Parser::ParseTypeModifier(bool allow_scale) {
  if (!Accept(TokenKind::LParen)) return std::nullopt;
  auto integer = [&] {
    const Token& token = Expect(TokenKind::Integer, "an integer");
    int64_t value = 0;
    for (char c : token.text) {
      value = std::min<int64_t>(value * 10 + (c - '0'), std::numeric_limits<int32_t>::max() + int64_t{1});
    }
    return value;
  };
  int64_t value = integer();
  if (allow_scale && Accept(TokenKind::Comma)) integer();
  Expect(TokenKind::RParen, allow_scale ? "',' or ')'" : "')'");
  return value;
}

// VARCHAR[(n)], CHARACTER VARYING[(n)]: unbounded without n. CHAR[(n)], CHARACTER[(n)]: one
// character without n, as in PostgreSQL.
LogicalType Parser::ParseVarcharType(const Token& type_token, bool varying) {
  std::optional<int64_t> length = ParseTypeModifier(/*allow_scale=*/false);
  if (!length) return LogicalType(TypeId::Varchar, varying ? -1 : 1);
  if (*length < 1 || *length > kMaxVarcharLength) {
    std::string name = varying ? "varchar" : "char";
    std::string problem = *length < 1 ? "must be at least 1" : "cannot exceed " + std::to_string(kMaxVarcharLength);
    throw Error(sqlstate::kInvalidParameterValue, "length for type " + name + " " + problem, type_token.pos);
  }
  return LogicalType(TypeId::Varchar, static_cast<int32_t>(*length));
}

// FLOAT[(p)]: REAL up to 24 bits of precision, DOUBLE beyond.
LogicalType Parser::ParseFloatType(const Token& type_token) {
  std::optional<int64_t> bits = ParseTypeModifier(/*allow_scale=*/false);
  if (!bits) return TypeId::Double;
  if (*bits < 1) {
    throw Error(sqlstate::kInvalidParameterValue, "precision for type float must be at least 1 bit", type_token.pos);
  }
  if (*bits > 53) {
    throw Error(sqlstate::kInvalidParameterValue, "precision for type float must be less than 54 bits", type_token.pos);
  }
  return *bits <= 24 ? TypeId::Real : TypeId::Double;
}

// TIMESTAMP [(p)] [WITHOUT TIME ZONE]; time zones are not supported.
LogicalType Parser::ParseTimestampType() {
  const Token& type_token = tokens_[pos_ - 1];
  ParseTypeModifier(/*allow_scale=*/false);
  if (AcceptKeyword("without")) {
    ExpectKeyword("time");
    ExpectKeyword("zone");
  } else if (AtKeyword("with") && Peek(1).IsKeyword("time") && Peek(2).IsKeyword("zone")) {
    ThrowUnknownType("timestamp with time zone", type_token.pos);
  }
  return TypeId::Timestamp;
}

}  // namespace lyt::sql
