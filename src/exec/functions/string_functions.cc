// Text functions. Lengths and positions count UTF-8 characters; case mapping is ASCII only.
#include <algorithm>
#include <cstring>

#include "exec/functions/function_util.h"

namespace lyt {

namespace {

using namespace fnutil;
using std::string_view;

constexpr const char* kSubstringError = "22011";

int32_t CharLength(StringRef s) { return static_cast<int32_t>(CountChars(s.view())); }
int32_t OctetLength(StringRef s) { return static_cast<int32_t>(s.size); }

// A copy of `s` in out's heap with every byte mapped through `map`.
template <class Map>
StringRef MapBytes(Vector& out, string_view s, Map map) {
  char* p = out.heap().Allocate(s.size());
  for (size_t i = 0; i < s.size(); ++i) p[i] = map(s[i]);
  return StringRef{p, static_cast<uint32_t>(s.size())};
}

// Characters start..start+length-1 (1-based; length < 0 means to the end), PostgreSQL's rules:
// positions before 1 exist but hold nothing.
string_view Substring(string_view s, int64_t start, int64_t length) {
  int64_t first = std::max<int64_t>(start, 1);
  size_t begin = SkipChars(s, first - 1);
  if (length < 0) return s.substr(begin);
  int64_t end = start + length;  // exclusive
  if (end <= first) return {};
  return s.substr(begin, SkipChars(s.substr(begin), end - first));
}

int64_t CheckSubstringLength(int32_t length) {
  if (length < 0) throw Error(kSubstringError, "negative substring length not allowed");
  return length;
}

// 1-based character position of the first `needle` in `haystack`, 0 when absent.
int32_t Position(string_view needle, string_view haystack) {
  size_t pos = haystack.find(needle);
  if (pos == string_view::npos) return 0;
  return static_cast<int32_t>(CountChars(haystack.substr(0, pos)) + 1);
}

// left(s, n): the first n characters; n < 0: all but the last |n|.
string_view Left(string_view s, int64_t n) {
  if (n < 0) n = std::max<int64_t>(CountChars(s) + n, 0);
  return s.substr(0, SkipChars(s, n));
}

// right(s, n): the last n characters; n < 0: all but the first |n|.
string_view Right(string_view s, int64_t n) {
  int64_t skip = n >= 0 ? std::max<int64_t>(CountChars(s) - n, 0) : -n;
  return s.substr(SkipChars(s, skip));
}

// lpad/rpad: `s` cut or filled with repeats of `fill` to exactly `length` characters (not filled
// when `fill` is empty).
StringRef Pad(Vector& out, string_view s, int64_t length, string_view fill, bool at_left) {
  if (length <= 0) return out.AddString({});
  int64_t chars = CountChars(s);
  if (chars >= length || fill.empty()) return out.AddString(s.substr(0, SkipChars(s, length)));
  int64_t need = length - chars;
  int64_t fill_chars = CountChars(fill);
  size_t tail_bytes = SkipChars(fill, need % fill_chars);
  int64_t pad_bytes = need / fill_chars * static_cast<int64_t>(fill.size()) + static_cast<int64_t>(tail_bytes);
  CheckResultLength(pad_bytes + static_cast<int64_t>(s.size()));
  char* p = out.heap().Allocate(static_cast<size_t>(pad_bytes) + s.size());
  char* pad = at_left ? p : p + s.size();
  AppendBytes(at_left ? p + pad_bytes : p, s);
  for (int64_t i = 0; i < need / fill_chars; ++i) pad = AppendBytes(pad, fill);
  AppendBytes(pad, fill.substr(0, tail_bytes));
  return StringRef{p, static_cast<uint32_t>(pad_bytes + static_cast<int64_t>(s.size()))};
}

// Whether the character `ch` (its UTF-8 bytes) is one of the characters of `set`.
bool InCharSet(string_view set, string_view ch) {
  if (ch.size() == 1 && static_cast<unsigned char>(ch[0]) < 0x80) return set.find(ch[0]) != string_view::npos;
  for (size_t i = 0; i < set.size();) {
    size_t n = std::min(Utf8CharLength(set[i]), set.size() - i);
    if (set.substr(i, n) == ch) return true;
    i += n;
  }
  return false;
}

string_view Trim(string_view s, string_view set, bool leading, bool trailing) {
  size_t begin = 0, end = s.size();
  while (leading && begin < end) {
    size_t n = std::min(Utf8CharLength(s[begin]), end - begin);
    if (!InCharSet(set, s.substr(begin, n))) break;
    begin += n;
  }
  while (trailing && end > begin) {
    size_t start = end - 1;
    while (start > begin && IsContinuation(s[start])) --start;
    if (!InCharSet(set, s.substr(start, end - start))) break;
    end = start;
  }
  return s.substr(begin, end - begin);
}

StringRef Replace(Vector& out, string_view s, string_view from, string_view to) {
  if (from.empty()) return out.AddString(s);
  int64_t matches = 0;
  for (size_t pos = s.find(from); pos != string_view::npos; pos = s.find(from, pos + from.size())) ++matches;
  if (matches == 0) return out.AddString(s);
  int64_t size = static_cast<int64_t>(s.size()) + matches * (static_cast<int64_t>(to.size()) - static_cast<int64_t>(from.size()));
  CheckResultLength(size);
  char* p = out.heap().Allocate(static_cast<size_t>(size));
  char* w = p;
  size_t done = 0;
  for (size_t pos = s.find(from); pos != string_view::npos; pos = s.find(from, done)) {
    w = AppendBytes(w, s.substr(done, pos - done));
    w = AppendBytes(w, to);
    done = pos + from.size();
  }
  AppendBytes(w, s.substr(done));
  return StringRef{p, static_cast<uint32_t>(size)};
}

StringRef Repeat(Vector& out, string_view s, int32_t times) {
  if (times <= 0 || s.empty()) return out.AddString({});
  int64_t size = static_cast<int64_t>(s.size()) * times;
  CheckResultLength(size);
  char* p = out.heap().Allocate(static_cast<size_t>(size));
  char* w = p;
  for (int32_t i = 0; i < times; ++i) w = AppendBytes(w, s);
  return StringRef{p, static_cast<uint32_t>(size)};
}

// Reverses the order of the characters (not bytes).
StringRef Reverse(Vector& out, string_view s) {
  char* p = out.heap().Allocate(s.size());
  char* w = p + s.size();
  for (size_t i = 0; i < s.size();) {
    size_t n = std::min(Utf8CharLength(s[i]), s.size() - i);
    w -= n;
    std::memcpy(w, s.data() + i, n);
    i += n;
  }
  return StringRef{p, static_cast<uint32_t>(s.size())};
}

// Field `n` (1-based; negative counts from the end) of `s` split on `delimiter`; '' when absent.
string_view SplitPart(string_view s, string_view delimiter, int32_t n) {
  if (n == 0) throw Error(sqlstate::kInvalidParameterValue, "field position must not be zero");
  if (s.empty()) return {};
  if (delimiter.empty()) return n == 1 || n == -1 ? s : string_view{};
  int64_t field = n;
  if (field < 0) {
    int64_t fields = 1;
    for (size_t pos = s.find(delimiter); pos != string_view::npos; pos = s.find(delimiter, pos + delimiter.size())) {
      ++fields;
    }
    field += fields + 1;
    if (field < 1) return {};
  }
  size_t start = 0;
  for (int64_t i = 1; i < field; ++i) {
    size_t pos = s.find(delimiter, start);
    if (pos == string_view::npos) return {};
    start = pos + delimiter.size();
  }
  size_t end = s.find(delimiter, start);
  return s.substr(start, end == string_view::npos ? string_view::npos : end - start);
}

// Upper-cases the first letter of each word and lower-cases the rest; words are runs of ASCII
// letters and digits (bytes of non-ASCII characters count as letters).
StringRef InitCap(Vector& out, string_view s) {
  bool word_start = true;
  return MapBytes(out, s, [&word_start](char c) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 static_cast<unsigned char>(c) >= 0x80;
    char mapped = !alnum ? c : (word_start ? AsciiUpper(c) : AsciiLower(c));
    word_start = !alnum;
    return mapped;
  });
}

int32_t Ascii(StringRef s) { return s.size == 0 ? 0 : static_cast<int32_t>(DecodeChar(s.view())); }

StringRef Chr(Vector& out, int32_t code) {
  if (code < 0) throw Error(sqlstate::kProgramLimitExceeded, "character number must be positive");
  if (code == 0) throw Error(sqlstate::kProgramLimitExceeded, "null character not permitted");
  if (code > 0x10FFFF) {
    throw Error(sqlstate::kProgramLimitExceeded, "requested character too large for encoding: " + std::to_string(code));
  }
  if (code >= 0xD800 && code <= 0xDFFF) {
    throw Error(sqlstate::kProgramLimitExceeded, "requested character not valid for encoding: " + std::to_string(code));
  }
  char buf[4];
  return out.AddString({buf, EncodeChar(static_cast<uint32_t>(code), buf)});
}

// concat/concat_ws take any arguments; the binder casts them to text, except booleans, which
// concat prints with PostgreSQL's output form 't'/'f' (not the cast's 'true'/'false').
// `text_args` leading arguments (concat_ws's separator) are always text.
std::optional<LogicalType> BindAllText(std::vector<LogicalType>& types, size_t min_args, size_t text_args) {
  if (types.size() < min_args) return std::nullopt;
  for (size_t i = 0; i < types.size(); ++i) {
    LogicalType& t = types[i];
    bool keep_boolean = t.id == TypeId::Boolean && i >= text_args;
    if (t.id != TypeId::Varchar && !keep_boolean) t = kText;
  }
  return kText;
}

// Argument i of a concat call as text.
string_view ArgText(const FunctionArgs& a, size_t i, idx_t row) {
  const Vector& v = *a.args[i];
  if (v.type().id == TypeId::Boolean) return v.data<uint8_t>()[row] ? "t" : "f";
  return v.data<StringRef>()[row].view();
}

// Joins the non-NULL arguments from `first_arg` on, separated by `separator`.
StringRef Join(Vector& out, const FunctionArgs& a, idx_t row, size_t first_arg, string_view separator) {
  int64_t size = 0;
  int64_t parts = 0;
  for (size_t i = first_arg; i < a.args.size(); ++i) {
    if (a.args[i]->IsNull(row)) continue;
    size += static_cast<int64_t>(ArgText(a, i, row).size());
    ++parts;
  }
  if (parts > 1) size += (parts - 1) * static_cast<int64_t>(separator.size());
  CheckResultLength(size);
  char* p = out.heap().Allocate(static_cast<size_t>(size));
  char* w = p;
  bool first = true;
  for (size_t i = first_arg; i < a.args.size(); ++i) {
    if (a.args[i]->IsNull(row)) continue;
    if (!first) w = AppendBytes(w, separator);
    first = false;
    w = AppendBytes(w, ArgText(a, i, row));
  }
  return StringRef{p, static_cast<uint32_t>(size)};
}

void Concat(const FunctionArgs& a, Vector& out) {
  StringRef* o = out.data<StringRef>();
  for (idx_t i = 0; i < a.count; ++i) {
    idx_t r = a.row(i);
    o[r] = Join(out, a, r, 0, {});
    out.SetNull(r, false);
  }
}

void ConcatWs(const FunctionArgs& a, Vector& out) {
  StringRef* o = out.data<StringRef>();
  const Vector& separator = *a.args[0];
  for (idx_t i = 0; i < a.count; ++i) {
    idx_t r = a.row(i);
    bool null = separator.IsNull(r);
    out.SetNull(r, null);
    if (!null) o[r] = Join(out, a, r, 1, separator.data<StringRef>()[r].view());
  }
}

void AddVariadicText(FunctionRegistry& r, std::string name, size_t min_args, size_t text_args, ScalarFn fn) {
  ScalarFunction f;
  f.name = std::move(name);
  f.result = kText;
  f.varargs = kText;
  f.bind = [min_args, text_args](std::vector<LogicalType>& types) { return BindAllText(types, min_args, text_args); };
  f.fn = std::move(fn);
  f.null_in_null_out = false;
  r.Add(std::move(f));
}

// Registers a text -> text function whose result is a view into the argument, copied to out.
template <class Op>
ScalarFn TextViewFn(Op op) {
  return [op](const FunctionArgs& a, Vector& out) {
    Unary<StringRef, StringRef>(a, out, [&](StringRef s) { return out.AddString(op(s.view())); });
  };
}

template <class Op>
ScalarFn TextBuildFn(Op op) {
  return [op](const FunctionArgs& a, Vector& out) {
    Unary<StringRef, StringRef>(a, out, [&](StringRef s) { return op(out, s.view()); });
  };
}

void RegisterTrim(FunctionRegistry& r, const std::string& name, bool leading, bool trailing) {
  AddFunction(r, name, {kText}, kText, TextViewFn([=](string_view s) { return Trim(s, " ", leading, trailing); }));
  AddFunction(r, name, {kText, kText}, kText, [=](const FunctionArgs& a, Vector& out) {
    Binary<StringRef, StringRef, StringRef>(a, out, [&](StringRef s, StringRef set) {
      return out.AddString(Trim(s.view(), set.view(), leading, trailing));
    });
  });
}

}  // namespace

void RegisterStringFunctions(FunctionRegistry& r) {
  for (const char* name : {"length", "char_length", "character_length"}) {
    AddFunction(r, name, {kText}, kInt, UnaryFn<int32_t, StringRef>(CharLength));
  }
  AddFunction(r, "length", {kBlob}, kInt, UnaryFn<int32_t, StringRef>(OctetLength));
  AddFunction(r, "octet_length", {kText}, kInt, UnaryFn<int32_t, StringRef>(OctetLength));
  AddFunction(r, "octet_length", {kBlob}, kInt, UnaryFn<int32_t, StringRef>(OctetLength));

  AddFunction(r, "lower", {kText}, kText, TextBuildFn([](Vector& out, string_view s) { return MapBytes(out, s, AsciiLower); }));
  AddFunction(r, "upper", {kText}, kText, TextBuildFn([](Vector& out, string_view s) { return MapBytes(out, s, AsciiUpper); }));
  AddFunction(r, "initcap", {kText}, kText, TextBuildFn(InitCap));
  AddFunction(r, "reverse", {kText}, kText, TextBuildFn(Reverse));

  for (const char* name : {"substr", "substring"}) {
    AddFunction(r, name, {kText, kInt}, kText, [](const FunctionArgs& a, Vector& out) {
      Binary<StringRef, StringRef, int32_t>(a, out, [&](StringRef s, int32_t start) {
        return out.AddString(Substring(s.view(), start, -1));
      });
    });
    AddFunction(r, name, {kText, kInt, kInt}, kText, [](const FunctionArgs& a, Vector& out) {
      Ternary<StringRef, StringRef, int32_t, int32_t>(a, out, [&](StringRef s, int32_t start, int32_t length) {
        return out.AddString(Substring(s.view(), start, CheckSubstringLength(length)));
      });
    });
  }

  AddFunction(r, "position", {kText, kText}, kInt, BinaryFn<int32_t, StringRef, StringRef>([](StringRef sub, StringRef s) {
    return Position(sub.view(), s.view());
  }));
  AddFunction(r, "strpos", {kText, kText}, kInt, BinaryFn<int32_t, StringRef, StringRef>([](StringRef s, StringRef sub) {
    return Position(sub.view(), s.view());
  }));
  AddFunction(r, "starts_with", {kText, kText}, kBool, BinaryFn<uint8_t, StringRef, StringRef>([](StringRef s, StringRef p) {
    return static_cast<uint8_t>(s.view().starts_with(p.view()));
  }));

  AddFunction(r, "left", {kText, kInt}, kText, [](const FunctionArgs& a, Vector& out) {
    Binary<StringRef, StringRef, int32_t>(a, out, [&](StringRef s, int32_t n) { return out.AddString(Left(s.view(), n)); });
  });
  AddFunction(r, "right", {kText, kInt}, kText, [](const FunctionArgs& a, Vector& out) {
    Binary<StringRef, StringRef, int32_t>(a, out, [&](StringRef s, int32_t n) { return out.AddString(Right(s.view(), n)); });
  });

  for (bool at_left : {true, false}) {
    std::string name = at_left ? "lpad" : "rpad";
    AddFunction(r, name, {kText, kInt}, kText, [at_left](const FunctionArgs& a, Vector& out) {
      Binary<StringRef, StringRef, int32_t>(a, out, [&](StringRef s, int32_t n) { return Pad(out, s.view(), n, " ", at_left); });
    });
    AddFunction(r, name, {kText, kInt, kText}, kText, [at_left](const FunctionArgs& a, Vector& out) {
      Ternary<StringRef, StringRef, int32_t, StringRef>(a, out, [&](StringRef s, int32_t n, StringRef fill) {
        return Pad(out, s.view(), n, fill.view(), at_left);
      });
    });
  }

  RegisterTrim(r, "btrim", true, true);
  RegisterTrim(r, "trim", true, true);
  RegisterTrim(r, "ltrim", true, false);
  RegisterTrim(r, "rtrim", false, true);

  AddFunction(r, "replace", {kText, kText, kText}, kText, [](const FunctionArgs& a, Vector& out) {
    Ternary<StringRef, StringRef, StringRef, StringRef>(a, out, [&](StringRef s, StringRef from, StringRef to) {
      return Replace(out, s.view(), from.view(), to.view());
    });
  });
  AddFunction(r, "repeat", {kText, kInt}, kText, [](const FunctionArgs& a, Vector& out) {
    Binary<StringRef, StringRef, int32_t>(a, out, [&](StringRef s, int32_t n) { return Repeat(out, s.view(), n); });
  });
  AddFunction(r, "split_part", {kText, kText, kInt}, kText, [](const FunctionArgs& a, Vector& out) {
    Ternary<StringRef, StringRef, StringRef, int32_t>(a, out, [&](StringRef s, StringRef delimiter, int32_t n) {
      return out.AddString(SplitPart(s.view(), delimiter.view(), n));
    });
  });

  AddFunction(r, "ascii", {kText}, kInt, UnaryFn<int32_t, StringRef>(Ascii));
  AddFunction(r, "chr", {kInt}, kText, [](const FunctionArgs& a, Vector& out) {
    Unary<StringRef, int32_t>(a, out, [&](int32_t code) { return Chr(out, code); });
  });

  AddVariadicText(r, "concat", 1, 0, Concat);
  AddVariadicText(r, "concat_ws", 1, 1, ConcatWs);
}

}  // namespace lyt
