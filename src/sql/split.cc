// lyt::SplitStatements and lyt::IsCompleteStatement (declared in lyt/database.h), driven by the
// lexer so that ';' inside strings, quoted identifiers and comments is not a boundary.
#include <string>
#include <string_view>
#include <vector>

#include "lyt/database.h"
#include "sql/lexer.h"

namespace lyt {

// Each statement's text runs from its first token to the end of its last one, so comments
// before or after it (and the ';') are not part of it.
std::vector<std::string> SplitStatements(std::string_view sql) {
  std::vector<sql::Token> tokens = sql::Lex(sql).tokens;
  std::vector<std::string> statements;
  size_t first = 0;
  bool in_statement = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    sql::TokenKind kind = tokens[i].kind;
    if (kind != sql::TokenKind::Semicolon && kind != sql::TokenKind::End) {
      if (!in_statement) first = i;
      in_statement = true;
      continue;
    }
    if (in_statement) {
      int begin = tokens[first].pos;
      statements.emplace_back(sql.substr(begin, tokens[i - 1].end - begin));
    }
    in_statement = false;
  }
  return statements;
}

bool IsCompleteStatement(std::string_view sql) {
  sql::LexResult lexed = sql::Lex(sql);
  if (lexed.unterminated) return false;
  const std::vector<sql::Token>& tokens = lexed.tokens;
  size_t count = tokens.size() - 1;  // without the End token
  if (count == 0 || tokens[count - 1].kind != sql::TokenKind::Semicolon) return false;
  for (size_t i = 0; i < count; ++i) {
    if (tokens[i].kind != sql::TokenKind::Semicolon) return true;
  }
  return false;
}

}  // namespace lyt
