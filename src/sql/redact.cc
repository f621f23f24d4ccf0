#include "sql/redact.h"

#include <algorithm>
#include <cctype>

#include "sql/lexer.h"

namespace lyt::sql {

namespace {

bool MentionsPassword(std::string_view sql) {
  constexpr std::string_view kWord = "password";
  auto it = std::search(sql.begin(), sql.end(), kWord.begin(), kWord.end(),
                        [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  return it != sql.end();
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
