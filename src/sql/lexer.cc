// Hand-written scanner: one method per token family, errors recorded rather than thrown.
#include "sql/lexer.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

namespace lyt::sql {
namespace {

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

// Character classes by byte: one table load per character of white space, names and key words.
enum CharClass : uint8_t { kSpaceChar = 1, kIdentChar = 2, kUpperChar = 4 };
constexpr std::array<uint8_t, 256> kCharClasses = [] {
  std::array<uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    char ch = static_cast<char>(c);
    bool space = ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
    bool ident = IsIdentStart(ch) || IsDigit(ch) || ch == '$';
    table[c] = (space ? kSpaceChar : 0) | (ident ? kIdentChar : 0) | (ch >= 'A' && ch <= 'Z' ? kUpperChar : 0);
  }
  return table;
}();
uint8_t ClassOf(char c) { return kCharClasses[static_cast<unsigned char>(c)]; }
bool IsSpace(char c) { return ClassOf(c) & kSpaceChar; }
char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Room for the tokens of `length` bytes of SQL, so that short statements lex without growing
// the vector (moving the tokens costs more than lexing them): a token and its separator take
// two bytes or more ("a, b = 1"), plus the End token. Capped so that long strings or comments
// do not reserve far more than they use.
size_t ExpectedTokenCount(size_t length) {
  constexpr size_t kMaxReserved = 1024;
  return std::min(length / 2 + 2, kMaxReserved);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Lexer {
 public:
  Lexer(std::string_view sql, std::vector<Token> buffer) : sql_(sql) {
    result_.tokens = std::move(buffer);
    result_.tokens.clear();
  }

  LexResult Run() {
    result_.tokens.reserve(ExpectedTokenCount(sql_.size()));
    while (SkipSpaceAndComments()) {
      LexToken();
    }
    Emit(TokenKind::End, pos_);
    return std::move(result_);
  }

 private:
  char At(size_t i) const { return i < sql_.size() ? sql_[i] : '\0'; }
  bool AtEnd() const { return pos_ >= sql_.size(); }

  void RecordError(const char* state, std::string message, size_t pos) {
    if (!result_.error) result_.error.emplace(state, std::move(message), static_cast<int>(pos));
  }
  void RecordUnterminated(std::string message, size_t pos) {
    RecordError(sqlstate::kSyntaxError, std::move(message), pos);
    result_.unterminated = true;
  }

  // Appends the token from `start` to pos_; `text` defaults to empty.
  Token& Emit(TokenKind kind, size_t start, std::string_view text = {}) {
    return result_.tokens.emplace_back(kind, static_cast<int>(start), static_cast<int>(pos_), text);
  }
  // For decoded text.
  Token& Emit(TokenKind kind, size_t start, std::string&& text) {
    Token& token = Emit(kind, start);
    token.text = std::move(text);
    return token;
  }

  std::string_view SourceFrom(size_t start) const { return sql_.substr(start, pos_ - start); }

  // Returns false at the end of input.
  bool SkipSpaceAndComments() {
    while (!AtEnd()) {
      char c = sql_[pos_];
      if (IsSpace(c)) {
        ++pos_;
      } else if (c == '-' && At(pos_ + 1) == '-') {
        while (!AtEnd() && sql_[pos_] != '\n') ++pos_;
      } else if (c == '/' && At(pos_ + 1) == '*') {
        SkipBlockComment();
      } else {
        return true;
      }
    }
    return false;
  }

  // Block comments nest, as in PostgreSQL: /* a /* b */ c */ is one comment.
  void SkipBlockComment() {
    size_t start = pos_;
    int depth = 0;
    while (!AtEnd()) {
      if (sql_[pos_] == '/' && At(pos_ + 1) == '*') {
        ++depth;
        pos_ += 2;
      } else if (sql_[pos_] == '*' && At(pos_ + 1) == '/') {
        pos_ += 2;
        if (--depth == 0) return;
      } else {
        ++pos_;
      }
    }
    RecordUnterminated("unterminated /* comment", start);
  }

  void LexToken() {
    char c = sql_[pos_];
    char next = At(pos_ + 1);
    if ((c == 'e' || c == 'E') && next == '\'') return LexEscapeString();
    if ((c == 'x' || c == 'X') && next == '\'') return LexBlob();
    if (IsIdentStart(c)) return LexIdentifier();
    if (IsDigit(c) || (c == '.' && IsDigit(next))) return LexNumber();
    if (c == '\'') return LexString();
    if (c == '"') return LexQuotedIdentifier();
    if (c == '$' && IsDigit(next)) return LexNumberedParameter();
    if (c == '?') return LexQuestionParameter();
    LexOperator();
  }

  void LexIdentifier() {
    size_t start = pos_;
    uint8_t classes = 0;
    for (; !AtEnd() && (ClassOf(sql_[pos_]) & kIdentChar); ++pos_) classes |= ClassOf(sql_[pos_]);
    std::string& text = Emit(TokenKind::Identifier, start, SourceFrom(start)).text;
    if (classes & kUpperChar) {  // names are mostly written in lower case already
      for (char& c : text) c = ToLower(c);
    }
  }

  // digits [. digits] [e [+-] digits], or . digits [...]; an 'e' not followed by an exponent
  // ends the number.
  void LexNumber() {
    size_t start = pos_;
    bool decimal = false;
    while (IsDigit(At(pos_))) ++pos_;
    if (At(pos_) == '.') {
      decimal = true;
      ++pos_;
      while (IsDigit(At(pos_))) ++pos_;
    }
    if (At(pos_) == 'e' || At(pos_) == 'E') {
      size_t digits = pos_ + 1;
      if (At(digits) == '+' || At(digits) == '-') ++digits;
      if (IsDigit(At(digits))) {
        decimal = true;
        pos_ = digits;
        while (IsDigit(At(pos_))) ++pos_;
      }
    }
    Emit(decimal ? TokenKind::Decimal : TokenKind::Integer, start, SourceFrom(start));
  }

  // Reads the body of a quote-delimited token starting at the opening `quote`, undoubling
  // `quote quote`. Returns false (with pos_ at the end) when the closing quote is missing.
  bool ReadQuoted(char quote, std::string& out) {
    ++pos_;
    while (!AtEnd()) {
      char c = sql_[pos_++];
      if (c != quote) {
        out += c;
      } else if (At(pos_) == quote) {
        out += quote;
        ++pos_;
      } else {
        return true;
      }
    }
    return false;
  }

  void LexString() {
    size_t start = pos_;
    std::string text;
    if (!ReadQuoted('\'', text)) RecordUnterminated("unterminated quoted string", start);
    Emit(TokenKind::String, start, std::move(text));
  }

  void LexQuotedIdentifier() {
    size_t start = pos_;
    std::string text;
    if (!ReadQuoted('"', text)) {
      RecordUnterminated("unterminated quoted identifier", start);
    } else if (text.empty()) {
      RecordError(sqlstate::kSyntaxError, "zero-length delimited identifier", start);
    }
    Emit(TokenKind::QuotedIdentifier, start, std::move(text));
  }

  void LexEscapeString() {
    size_t start = pos_;
    ++pos_;  // E
    ++pos_;  // opening quote
    std::string text;
    while (!AtEnd()) {
      char c = sql_[pos_++];
      if (c == '\\') {
        ReadBackslashEscape(text);
      } else if (c != '\'') {
        text += c;
      } else if (At(pos_) == '\'') {
        text += '\'';
        ++pos_;
      } else {
        Emit(TokenKind::String, start, std::move(text));
        return;
      }
    }
    RecordUnterminated("unterminated quoted string", start);
    Emit(TokenKind::String, start, std::move(text));
  }

  // Reads the escape after a backslash (pos_ is past the backslash). Unknown escapes stand for
  // the escaped character itself, as in PostgreSQL.
  void ReadBackslashEscape(std::string& out) {
    if (AtEnd()) return;
    size_t escape_pos = pos_ - 1;
    char c = sql_[pos_++];
    switch (c) {
      case 'b': out += '\b'; return;
      case 'f': out += '\f'; return;
      case 'n': out += '\n'; return;
      case 'r': out += '\r'; return;
      case 't': out += '\t'; return;
      case 'x':
        if (HexValue(At(pos_)) >= 0) {
          out += static_cast<char>(ReadHexDigits(2));
        } else {
          out += 'x';
        }
        return;
      case 'u':
      case 'U':
        return ReadUnicodeEscape(out, c == 'u' ? 4 : 8, escape_pos);
      default:
        break;
    }
    if (c >= '0' && c <= '7') {
      int value = c - '0';
      for (int i = 0; i < 2 && At(pos_) >= '0' && At(pos_) <= '7'; ++i) value = value * 8 + (sql_[pos_++] - '0');
      out += static_cast<char>(value & 0xFF);
      return;
    }
    out += c;
  }

  // Reads up to `max_digits` hex digits (at least one is present).
  uint32_t ReadHexDigits(int max_digits) {
    uint32_t value = 0;
    for (int i = 0; i < max_digits && HexValue(At(pos_)) >= 0; ++i) value = value * 16 + HexValue(sql_[pos_++]);
    return value;
  }

  void ReadUnicodeEscape(std::string& out, int digits, size_t escape_pos) {
    for (int i = 0; i < digits; ++i) {
      if (HexValue(At(pos_ + i)) < 0) {
        RecordError(sqlstate::kInvalidEscapeSequence, "invalid Unicode escape", escape_pos);
        return;
      }
    }
    uint32_t cp = ReadHexDigits(digits);
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      RecordError(sqlstate::kInvalidEscapeSequence, "invalid Unicode escape value", escape_pos);
      return;
    }
    AppendUtf8(out, cp);
  }

  void LexBlob() {
    size_t start = pos_;
    ++pos_;  // X
    std::string hex;
    if (!ReadQuoted('\'', hex)) {
      RecordUnterminated("unterminated blob literal", start);
      Emit(TokenKind::Blob, start);
      return;
    }
    std::string bytes;
    bool valid = hex.size() % 2 == 0;
    for (size_t i = 0; valid && i < hex.size(); i += 2) {
      int hi = HexValue(hex[i]), lo = HexValue(hex[i + 1]);
      valid = hi >= 0 && lo >= 0;
      bytes += static_cast<char>(hi * 16 + lo);
    }
    if (!valid) {
      RecordError(sqlstate::kSyntaxError,
                  SyntaxErrorMessage(SourceFrom(start), "an even number of hexadecimal digits"), start);
    }
    Emit(TokenKind::Blob, start, std::move(bytes));
  }

  void LexNumberedParameter() {
    size_t start = pos_++;
    int64_t index = 0;
    while (IsDigit(At(pos_))) {
      index = std::min<int64_t>(index * 10 + (sql_[pos_++] - '0'), INT32_MAX + int64_t{1});
    }
    if (index > INT32_MAX) {
      RecordError(sqlstate::kSyntaxError,
                  SyntaxErrorMessage(SourceFrom(start), "a parameter number up to 2147483647"), start);
    }
    Emit(TokenKind::Parameter, start).param_index = static_cast<int>(std::min<int64_t>(index, INT32_MAX));
  }

  void LexQuestionParameter() {
    size_t start = pos_++;
    Emit(TokenKind::Parameter, start).param_index = ++question_marks_;
  }

  void LexOperator() {
    size_t start = pos_;
    char c = sql_[pos_];
    char next = At(pos_ + 1);
    auto two = [&](TokenKind kind) { pos_ += 2; Emit(kind, start); };
    auto one = [&](TokenKind kind) { pos_ += 1; Emit(kind, start); };
    switch (c) {
      case '+': return one(TokenKind::Plus);
      case '-': return one(TokenKind::Minus);
      case '*': return one(TokenKind::Star);
      case '/': return one(TokenKind::Slash);
      case '%': return one(TokenKind::Percent);
      case '=': return one(TokenKind::Equal);
      case '(': return one(TokenKind::LParen);
      case ')': return one(TokenKind::RParen);
      case ',': return one(TokenKind::Comma);
      case '.': return one(TokenKind::Dot);
      case ';': return one(TokenKind::Semicolon);
      case '|': if (next == '|') return two(TokenKind::Concat); break;
      case '!': if (next == '=') return two(TokenKind::NotEqual); break;
      case ':': if (next == ':') return two(TokenKind::DoubleColon); break;
      case '<':
        if (next == '=') return two(TokenKind::LessEqual);
        if (next == '>') return two(TokenKind::NotEqual);
        return one(TokenKind::Less);
      case '>':
        if (next == '=') return two(TokenKind::GreaterEqual);
        return one(TokenKind::Greater);
      default: break;
    }
    one(TokenKind::Invalid);
  }

  std::string_view sql_;
  size_t pos_ = 0;
  int question_marks_ = 0;
  LexResult result_;
};

}  // namespace

LexResult Lex(std::string_view sql, std::vector<Token> buffer) { return Lexer(sql, std::move(buffer)).Run(); }

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out.push_back(c);
    if (c == '"') out.push_back('"');
  }
  return out + "\"";
}

std::string SyntaxErrorMessage(std::optional<std::string_view> token_text, std::string_view expected) {
  std::string message = "syntax error at ";
  if (token_text) {
    message += "or near \"";
    message += *token_text;
    message += "\"";
  } else {
    message += "end of input";
  }
  message += ": expected ";
  message += expected;
  return message;
}

}  // namespace lyt::sql
