#include "sql/redact.h"

#include <algorithm>

#include "sql/lexer.h"

namespace lyt::sql {

namespace {

// A case-insensitive search for "password" without a locale call per byte: most statements
// contain no 'p' or 'P' at all, and each one found costs a short comparison.
bool MentionsPassword(std::string_view sql) {
  constexpr std::string_view kWord = "password";
  for (size_t i = 0; i + kWord.size() <= sql.size(); ++i) {
    if ((sql[i] | 0x20) != 'p') continue;
    size_t k = 1;
    while (k < kWord.size() && (sql[i + k] | 0x20) == kWord[k]) ++k;
    if (k == kWord.size()) return true;
  }
  return false;
}

}  // namespace

std::string RedactPasswords(std::string_view sql) {
  if (!MentionsPassword(sql)) return std::string(sql);  // the common case: no lexing
  LexResult lexed = Lex(sql);
  // Where lexing fails, token boundaries cannot be trusted to find the secret.
  if (lexed.error || lexed.unterminated) return "(a statement mentioning PASSWORD that could not be read; not shown)";
  std::string out;
  size_t copied = 0;
  const auto& tokens = lexed.tokens;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (tokens[i].kind != TokenKind::Identifier || tokens[i].text != "password") continue;
    const Token& secret = tokens[i + 1];
    if (secret.kind == TokenKind::End) break;
    out.append(sql.substr(copied, static_cast<size_t>(secret.pos) - copied));
    out.append("'***'");
    copied = static_cast<size_t>(secret.end);
    ++i;
  }
  out.append(sql.substr(std::min(copied, sql.size())));
  return out;
}

}  // namespace lyt::sql
