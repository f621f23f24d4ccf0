#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sql/lexer.h"

namespace lyt::sql {
namespace {

// Kinds of all tokens but the final End.
std::vector<TokenKind> Kinds(std::string_view sql) {
  std::vector<TokenKind> kinds;
  for (const Token& token : Lex(sql).tokens) {
    if (token.kind != TokenKind::End) kinds.push_back(token.kind);
  }
  return kinds;
}

// The single token of `sql` (asserting there is exactly one).
Token Only(std::string_view sql) {
  LexResult result = Lex(sql);
  EXPECT_FALSE(result.error) << sql << ": " << result.error->what();
  EXPECT_EQ(result.tokens.size(), 2u) << sql;
  return result.tokens.front();
}

TEST(LexerTest, EmptyInputHasOnlyEnd) {
  LexResult result = Lex("");
  ASSERT_EQ(result.tokens.size(), 1u);
  EXPECT_EQ(result.tokens[0].kind, TokenKind::End);
  EXPECT_EQ(result.tokens[0].pos, 0);
  EXPECT_FALSE(result.error);
  EXPECT_FALSE(result.unterminated);
}

TEST(LexerTest, EndTokenSitsAtEndOfInput) {
  LexResult result = Lex("SELECT 1  ");
  EXPECT_EQ(result.tokens.back().kind, TokenKind::End);
  EXPECT_EQ(result.tokens.back().pos, 10);
}

TEST(LexerTest, IdentifiersAreFoldedToLowerCase) {
  LexResult result = Lex("SeLeCt FooBar _x1 a$b");
  ASSERT_EQ(result.tokens.size(), 5u);
  EXPECT_EQ(result.tokens[0].text, "select");
  EXPECT_TRUE(result.tokens[0].IsKeyword("select"));
  EXPECT_EQ(result.tokens[1].text, "foobar");
  EXPECT_EQ(result.tokens[2].text, "_x1");
  EXPECT_EQ(result.tokens[3].text, "a$b");
}

TEST(LexerTest, ManyShortTokensOutgrowTheReservation) {
  std::string sql;
  for (int i = 0; i < 5000; ++i) sql += "X,";
  LexResult result = Lex(sql);
  ASSERT_EQ(result.tokens.size(), 10001u);
  EXPECT_EQ(result.tokens[9998].text, "x");
  EXPECT_EQ(result.tokens[9998].pos, 9998);
  EXPECT_EQ(result.tokens[9999].kind, TokenKind::Comma);
  EXPECT_EQ(result.tokens[10000].kind, TokenKind::End);
}

TEST(LexerTest, NonAsciiLettersBelongToIdentifiers) {
  Token token = Only("Café");
  EXPECT_EQ(token.kind, TokenKind::Identifier);
  EXPECT_EQ(token.text, "caf\xc3\xa9");  // only ASCII letters are folded
}

TEST(LexerTest, QuotedIdentifiersKeepCaseAndUndoubleQuotes) {
  Token token = Only("\"My \"\"Col\"\"\"");
  EXPECT_EQ(token.kind, TokenKind::QuotedIdentifier);
  EXPECT_EQ(token.text, "My \"Col\"");
  EXPECT_FALSE(token.IsKeyword("my"));
}

TEST(LexerTest, QuotedKeywordIsNotAKeyword) {
  Token token = Only("\"select\"");
  EXPECT_EQ(token.kind, TokenKind::QuotedIdentifier);
  EXPECT_FALSE(token.IsKeyword("select"));
}

TEST(LexerTest, StringsUndoubleQuotes) {
  Token token = Only("'it''s'");
  EXPECT_EQ(token.kind, TokenKind::String);
  EXPECT_EQ(token.text, "it's");
  EXPECT_EQ(Only("''").text, "");
}

TEST(LexerTest, PlainStringsKeepBackslashes) {
  EXPECT_EQ(Only(R"('a\nb')").text, "a\\nb");
}

TEST(LexerTest, EscapeStringsDecodeBackslashes) {
  EXPECT_EQ(Only(R"(E'a\nb\tc\\d\'e')").text, "a\nb\tc\\d'e");
  EXPECT_EQ(Only(R"(e'\x41\x4a\x4')").text, "AJ\x04");
  EXPECT_EQ(Only(R"(E'\101\60')").text, "A0");
  EXPECT_EQ(Only(R"(E'\u00e9')").text, "\xc3\xa9");
  EXPECT_EQ(Only(R"(E'\q')").text, "q");
  EXPECT_EQ(Only("E'it''s'").text, "it's");
  EXPECT_EQ(Only("E'x'").kind, TokenKind::String);
}

TEST(LexerTest, BadUnicodeEscapeIsAnError) {
  LexResult result = Lex(R"(SELECT E'\u12')");
  ASSERT_TRUE(result.error);
  EXPECT_STREQ(result.error->sqlstate(), "22025");
  EXPECT_EQ(result.error->position(), 9);
}

TEST(LexerTest, BlobLiterals) {
  Token token = Only("X'41aF'");
  EXPECT_EQ(token.kind, TokenKind::Blob);
  EXPECT_EQ(token.text, std::string("A\xaf"));
  EXPECT_EQ(Only("x''").text, "");
}

TEST(LexerTest, BadBlobLiteralsAreErrors) {
  for (std::string_view sql : {"SELECT X'ABC'", "SELECT X'GG'"}) {
    LexResult result = Lex(sql);
    ASSERT_TRUE(result.error) << sql;
    EXPECT_STREQ(result.error->sqlstate(), "42601");
    EXPECT_EQ(result.error->position(), 7);
    EXPECT_EQ(std::string(result.error->what()),
              "syntax error at or near \"" + std::string(sql.substr(7)) +
                  "\": expected an even number of hexadecimal digits");
  }
}

TEST(LexerTest, IdentifierStartingWithEOrXIsNotAString) {
  EXPECT_EQ(Kinds("ex 'a'"), (std::vector<TokenKind>{TokenKind::Identifier, TokenKind::String}));
  EXPECT_EQ(Kinds("x 'a'"), (std::vector<TokenKind>{TokenKind::Identifier, TokenKind::String}));
}

TEST(LexerTest, Numbers) {
  EXPECT_EQ(Only("42").kind, TokenKind::Integer);
  EXPECT_EQ(Only("42").text, "42");
  EXPECT_EQ(Only("1.5").kind, TokenKind::Decimal);
  EXPECT_EQ(Only(".5").kind, TokenKind::Decimal);
  EXPECT_EQ(Only("1.").kind, TokenKind::Decimal);
  EXPECT_EQ(Only("1e10").kind, TokenKind::Decimal);
  EXPECT_EQ(Only("2.5E-3").text, "2.5E-3");
  EXPECT_EQ(Only("99999999999999999999999").kind, TokenKind::Integer);
}

TEST(LexerTest, ExponentNeedsDigits) {
  EXPECT_EQ(Kinds("1e"), (std::vector<TokenKind>{TokenKind::Integer, TokenKind::Identifier}));
  EXPECT_EQ(Kinds("1e+"),
            (std::vector<TokenKind>{TokenKind::Integer, TokenKind::Identifier, TokenKind::Plus}));
}

TEST(LexerTest, Operators) {
  EXPECT_EQ(Kinds("+ - * / % || = <> != < <= > >= :: ( ) , . ;"),
            (std::vector<TokenKind>{TokenKind::Plus, TokenKind::Minus, TokenKind::Star,
                                    TokenKind::Slash, TokenKind::Percent, TokenKind::Concat,
                                    TokenKind::Equal, TokenKind::NotEqual, TokenKind::NotEqual,
                                    TokenKind::Less, TokenKind::LessEqual, TokenKind::Greater,
                                    TokenKind::GreaterEqual, TokenKind::DoubleColon,
                                    TokenKind::LParen, TokenKind::RParen, TokenKind::Comma,
                                    TokenKind::Dot, TokenKind::Semicolon}));
}

TEST(LexerTest, OperatorsNeedNoSpaces) {
  EXPECT_EQ(Kinds("a<=b"),
            (std::vector<TokenKind>{TokenKind::Identifier, TokenKind::LessEqual, TokenKind::Identifier}));
  EXPECT_EQ(Kinds("1::int"),
            (std::vector<TokenKind>{TokenKind::Integer, TokenKind::DoubleColon, TokenKind::Identifier}));
  EXPECT_EQ(Kinds("a.b"), (std::vector<TokenKind>{TokenKind::Identifier, TokenKind::Dot, TokenKind::Identifier}));
  EXPECT_EQ(Kinds("-1"), (std::vector<TokenKind>{TokenKind::Minus, TokenKind::Integer}));
}

TEST(LexerTest, UnknownCharactersBecomeInvalidTokens) {
  LexResult result = Lex("a @ b");
  EXPECT_FALSE(result.error);
  ASSERT_EQ(result.tokens.size(), 4u);
  EXPECT_EQ(result.tokens[1].kind, TokenKind::Invalid);
  EXPECT_EQ(result.tokens[1].pos, 2);
  EXPECT_EQ(Kinds("| ! :"), (std::vector<TokenKind>{TokenKind::Invalid, TokenKind::Invalid, TokenKind::Invalid}));
}

TEST(LexerTest, Parameters) {
  LexResult result = Lex("$1 ? $12 ? ?");
  ASSERT_EQ(result.tokens.size(), 6u);
  std::vector<int> indexes;
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(result.tokens[i].kind, TokenKind::Parameter);
    indexes.push_back(result.tokens[i].param_index);
  }
  EXPECT_EQ(indexes, (std::vector<int>{1, 1, 12, 2, 3}));
}

TEST(LexerTest, DollarWithoutDigitsIsInvalid) {
  EXPECT_EQ(Kinds("$a"), (std::vector<TokenKind>{TokenKind::Invalid, TokenKind::Identifier}));
}

TEST(LexerTest, HugeParameterNumberIsAnError) {
  LexResult result = Lex("SELECT $99999999999");
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->position(), 7);
  EXPECT_EQ(std::string(result.error->what()),
            "syntax error at or near \"$99999999999\": expected a parameter number up to 2147483647");
  EXPECT_EQ(Lex("$2147483647").tokens[0].param_index, 2147483647);
  EXPECT_FALSE(Lex("$2147483647").error);
}

TEST(LexerTest, CommentsAreSkipped) {
  EXPECT_EQ(Kinds("a -- comment ; 'x\nb"), (std::vector<TokenKind>{TokenKind::Identifier, TokenKind::Identifier}));
  EXPECT_EQ(Kinds("a /* ; ' \" */ b"), (std::vector<TokenKind>{TokenKind::Identifier, TokenKind::Identifier}));
  EXPECT_EQ(Kinds("a/**/b"), (std::vector<TokenKind>{TokenKind::Identifier, TokenKind::Identifier}));
  EXPECT_EQ(Kinds("-- only a comment"), std::vector<TokenKind>{});
}

TEST(LexerTest, BlockCommentsNest) {
  LexResult result = Lex("a /* x /* y */ z */ b");
  EXPECT_FALSE(result.error);
  ASSERT_EQ(result.tokens.size(), 3u);
  EXPECT_EQ(result.tokens[1].text, "b");
}

TEST(LexerTest, MinusMinusInsideExpressionStartsAComment) {
  EXPECT_EQ(Kinds("1 --2"), std::vector<TokenKind>{TokenKind::Integer});
  EXPECT_EQ(Kinds("1 - -2"), (std::vector<TokenKind>{TokenKind::Integer, TokenKind::Minus, TokenKind::Minus,
                                                     TokenKind::Integer}));
}

TEST(LexerTest, ByteOffsets) {
  LexResult result = Lex("SELECT  'ab''c', \"Q\"\n  FROM t1");
  ASSERT_EQ(result.tokens.size(), 7u);
  EXPECT_EQ(result.tokens[0].pos, 0);
  EXPECT_EQ(result.tokens[0].end, 6);
  EXPECT_EQ(result.tokens[1].pos, 8);
  EXPECT_EQ(result.tokens[1].end, 15);
  EXPECT_EQ(result.tokens[2].pos, 15);  // ,
  EXPECT_EQ(result.tokens[3].pos, 17);
  EXPECT_EQ(result.tokens[3].end, 20);
  EXPECT_EQ(result.tokens[4].pos, 23);  // FROM
  EXPECT_EQ(result.tokens[5].pos, 28);
  EXPECT_EQ(result.tokens[5].end, 30);
}

TEST(LexerTest, UnterminatedString) {
  LexResult result = Lex("SELECT 'abc");
  ASSERT_TRUE(result.error);
  EXPECT_TRUE(result.unterminated);
  EXPECT_STREQ(result.error->sqlstate(), "42601");
  EXPECT_EQ(std::string(result.error->what()), "unterminated quoted string");
  EXPECT_EQ(result.error->position(), 7);
  // The partial string is still a token, so statement splitting keeps it.
  EXPECT_EQ(result.tokens[1].kind, TokenKind::String);
  EXPECT_EQ(result.tokens[1].end, 11);
}

TEST(LexerTest, UnterminatedEscapeString) {
  LexResult result = Lex(R"(SELECT E'abc\')");
  ASSERT_TRUE(result.error);
  EXPECT_TRUE(result.unterminated);
  EXPECT_EQ(std::string(result.error->what()), "unterminated quoted string");
  EXPECT_EQ(result.error->position(), 7);
}

TEST(LexerTest, UnterminatedQuotedIdentifier) {
  LexResult result = Lex("SELECT \"abc");
  ASSERT_TRUE(result.error);
  EXPECT_TRUE(result.unterminated);
  EXPECT_EQ(std::string(result.error->what()), "unterminated quoted identifier");
  EXPECT_EQ(result.error->position(), 7);
}

TEST(LexerTest, UnterminatedBlockComment) {
  LexResult result = Lex("SELECT 1 /* a /* b */");
  ASSERT_TRUE(result.error);
  EXPECT_TRUE(result.unterminated);
  EXPECT_EQ(std::string(result.error->what()), "unterminated /* comment");
  EXPECT_EQ(result.error->position(), 9);
}

TEST(LexerTest, UnterminatedBlob) {
  LexResult result = Lex("SELECT X'AB");
  ASSERT_TRUE(result.error);
  EXPECT_TRUE(result.unterminated);
  EXPECT_EQ(result.error->position(), 7);
}

TEST(LexerTest, ZeroLengthQuotedIdentifierIsAnError) {
  LexResult result = Lex("SELECT \"\"");
  ASSERT_TRUE(result.error);
  EXPECT_FALSE(result.unterminated);
  EXPECT_EQ(std::string(result.error->what()), "zero-length delimited identifier");
  EXPECT_EQ(result.error->position(), 7);
}

TEST(LexerTest, FirstErrorWinsAndLexingContinues) {
  LexResult result = Lex("SELECT X'A', \"\"; SELECT 2;");
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->position(), 7);
  EXPECT_FALSE(result.unterminated);
  EXPECT_EQ(result.tokens[result.tokens.size() - 2].kind, TokenKind::Semicolon);
}

}  // namespace
}  // namespace lyt::sql
