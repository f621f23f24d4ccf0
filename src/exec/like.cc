#include "exec/like.h"

#include "common/error.h"

namespace lyt {

namespace {

size_t Utf8Length(unsigned char lead) {
  if (lead < 0xC0) return 1;  // ASCII, or a stray continuation byte taken on its own
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

unsigned char FoldAscii(unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c + 32) : c; }

}  // namespace

// Greedy matching with a single backtrack point: when a literal or '_' fails, retry from the most
// recent '%' with that '%' swallowing one more character. Earlier '%'s never need revisiting,
// because whatever a later '%' can absorb it absorbs for any split chosen before it.
bool LikeMatch(std::string_view text, std::string_view pattern, int escape, bool case_insensitive) {
  const size_t tn = text.size(), pn = pattern.size();
  auto is_escape = [&](size_t p) { return escape >= 0 && static_cast<unsigned char>(pattern[p]) == escape; };
  for (size_t p = 0; p < pn; ++p) {
    if (is_escape(p) && ++p == pn) {
      throw Error(sqlstate::kInvalidEscapeSequence, "LIKE pattern must not end with escape character");
    }
  }
  auto char_len = [&](size_t t) {
    size_t n = Utf8Length(static_cast<unsigned char>(text[t]));
    return n < tn - t ? n : tn - t;
  };

  size_t t = 0, p = 0;
  size_t star_p = std::string_view::npos;  // pattern position just after the last '%'
  size_t star_t = 0;                       // text position that '%' currently stops at
  while (t < tn) {
    if (p < pn && pattern[p] == '%' && !is_escape(p)) {
      while (p < pn && pattern[p] == '%' && !is_escape(p)) ++p;  // consecutive '%' act as one
      if (p == pn) return true;
      star_p = p;
      star_t = t;
      continue;
    }
    if (p < pn && pattern[p] == '_' && !is_escape(p)) {
      t += char_len(t);
      ++p;
      continue;
    }
    if (p < pn) {
      size_t lit = is_escape(p) ? p + 1 : p;
      unsigned char a = static_cast<unsigned char>(text[t]), b = static_cast<unsigned char>(pattern[lit]);
      if (a == b || (case_insensitive && FoldAscii(a) == FoldAscii(b))) {
        ++t;
        p = lit + 1;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    star_t += char_len(star_t);
    t = star_t;
    p = star_p;
  }
  while (p < pn && pattern[p] == '%' && !is_escape(p)) ++p;
  return p == pn;
}

std::optional<std::string> LikePrefix(std::string_view pattern, int escape) {
  std::string prefix;
  bool fixed = true;  // no wildcard yet
  for (size_t p = 0; p < pattern.size(); ++p) {
    bool escaped = escape >= 0 && static_cast<unsigned char>(pattern[p]) == escape;
    if (escaped && ++p == pattern.size()) return std::nullopt;
    fixed = fixed && (escaped || (pattern[p] != '%' && pattern[p] != '_'));
    if (fixed) prefix.push_back(pattern[p]);
  }
  return prefix;
}

}  // namespace lyt
