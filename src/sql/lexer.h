// SQL text to tokens, PostgreSQL's lexical rules: case-insensitive keywords, "quoted
// identifiers", '' doubling in strings, E'..' backslash escapes, X'..' blobs, -- and nested
// /* */ comments.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "sql/token.h"

namespace lyt::sql {

struct LexResult {
  std::vector<Token> tokens;  // always ends with an End token
  // The first lexical error (a syntax error located at its token). Lexing goes on after it so
  // that statement splitting still sees the whole input.
  std::optional<Error> error;
  // The input ends inside a quoted string, quoted identifier or comment: more text is needed.
  bool unterminated = false;
};

// Tokenizes all of `sql`. Never throws. `?` parameters are numbered from 1, left to right.
// The tokens go into `buffer` (cleared first), so that a caller may reuse its allocation.
LexResult Lex(std::string_view sql, std::vector<Token> buffer = {});

// `name` as a quoted identifier ("a""b"), which the lexer reads back as `name`.
std::string QuoteIdentifier(std::string_view name);

// The message of every syntax error at a token: `syntax error at or near "TOKEN": expected X`,
// or `syntax error at end of input: expected X` when `token_text` is null.
std::string SyntaxErrorMessage(std::optional<std::string_view> token_text, std::string_view expected);

}  // namespace lyt::sql
