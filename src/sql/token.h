// Tokens of SQL text as produced by the lexer (sql/lexer.h).
#pragma once

#include <string>
#include <string_view>

namespace lyt::sql {

enum class TokenKind {
  End,               // end of input; always the last token
  Identifier,        // unquoted name or keyword; `text` is lower-cased
  QuotedIdentifier,  // "Name"; `text` keeps its case, "" unescaped
  String,            // '...' or E'...'; `text` holds the decoded contents
  Blob,              // X'ABCD'; `text` holds the decoded bytes
  Integer,           // digits only; `text` as written
  Decimal,           // with '.' or an exponent; `text` as written
  Parameter,         // $n or ?; `param_index` is its 1-based number
  Plus, Minus, Star, Slash, Percent, Concat,                   // + - * / % ||
  Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual,     // = <> != < <= > >=
  DoubleColon, LParen, RParen, Comma, Dot, Semicolon,          // :: ( ) , . ;
  Invalid,           // a character no token starts with; the parser reports it
};

struct Token {
  Token() = default;
  // The lexer's: `text` is built in place, which costs less than assigning it afterwards.
  Token(TokenKind k, int p, int e, std::string_view t) : kind(k), pos(p), end(e), text(t) {}

  // The ints first keep a Token at 48 bytes, so that the tokens of a short statement fit in
  // one allocation that malloc serves from its fast per-thread cache (up to 1 KiB).
  TokenKind kind = TokenKind::End;
  int pos = 0;  // byte offset of the first character in the source
  int end = 0;  // byte offset just past the last character
  int param_index = 0;
  std::string text;

  // True for an unquoted identifier spelled `keyword` (which must be lower-case): SQL keywords
  // are recognised by the parser from context, so quoted names never act as keywords.
  bool IsKeyword(std::string_view keyword) const {
    return kind == TokenKind::Identifier && text == keyword;
  }
};

}  // namespace lyt::sql
