// Strings: GET, SET and its variants, counters, APPEND, ranges (Redis's t_string.c semantics).
#include <cmath>
#include <cstdio>
#include <limits>

#include "kv/command.h"
#include "protocol/resp.h"

namespace lyt::kv {

namespace {

constexpr int64_t kMaxStringBytes = 512ll << 20;  // Redis's proto-max-bulk-len

bool TooBig(CommandContext& c, int64_t bytes) {
  if (bytes <= kMaxStringBytes) return false;
  c.Error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  return true;
}

// The string entry of `key` (null when absent); replies WRONGTYPE and returns false for another
// type.
bool GetString(CommandContext& c, std::string_view key, Entry** out) {
  bool wrong = false;
  *out = c.LookupTyped(key, Type::kString, &wrong);
  return !wrong;
}

// Expiry options of SET and GETEX: EX s, PX ms, EXAT s, PXAT ms (absolute ms result in *at).
enum class Expiry { kNone, kRelative, kAbsolute };

// Converts an expiry option's number to an absolute time in ms; false (with Redis's error) when
// it is not positive or overflows.
bool ExpiryTime(CommandContext& c, std::string_view option, std::string_view number, const char* command, int64_t* at) {
  int64_t v;
  if (!c.ParseInt(number, &v)) return false;
  bool seconds = option[0] == 'e' || option[0] == 'E' ? true : false;
  bool absolute = option.size() == 4;  // EXAT / PXAT
  auto invalid = [&] {
    c.Error(std::string("ERR invalid expire time in '") + command + "' command");
    return false;
  };
  if (v <= 0) return invalid();
  if (seconds) {
    if (v > std::numeric_limits<int64_t>::max() / 1000) return invalid();
    v *= 1000;
  }
  if (!absolute) {
    if (v > std::numeric_limits<int64_t>::max() - c.now_ms) return invalid();
    v += c.now_ms;
  }
  *at = v;
  return true;
}

bool Is(std::string_view a, const char* b) {
  size_t n = std::char_traits<char>::length(b);
  if (a.size() != n) return false;
  for (size_t i = 0; i < n; ++i) {
    char x = a[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 32);
    if (x != b[i]) return false;
  }
  return true;
}

void Get(CommandContext& c) {
  Entry* e;
  if (!GetString(c, c.args[1], &e)) return;
  if (!e) {
    ++c.ks.misses;
    c.reply.Null();
    return;
  }
  ++c.ks.hits;
  c.reply.Bulk(e->string_value());
}

// Logs a SET of `key` to `value` with its final expiry (0: none, -1: keep the current one).
void LogSet(CommandContext& c, std::string_view key, std::string_view value, int64_t expire_at) {
  if (expire_at > 0) {
    std::string at = FormatInt(expire_at);
    c.Log({"SET", key, value, "PXAT", at});
  } else if (expire_at < 0) {
    c.Log({"SET", key, value, "KEEPTTL"});
  } else {
    c.Log({"SET", key, value});
  }
}

// The common core of SET, SETNX, SETEX, PSETEX, GETSET: sets `key` to `value` with
// `expire_at` (0: none, -1: keep the current TTL) when the NX/XX condition holds; replies as asked.
void SetGeneric(CommandContext& c, std::string_view key, std::string_view value, int64_t expire_at, bool nx, bool xx,
                bool get, bool reply_int) {
  Entry* e;
  if (get) {
    if (!GetString(c, key, &e)) return;
  } else {
    e = c.Lookup(key);
  }
  std::string old;
  if (get && e) old.assign(e->string_value());
  bool had = e != nullptr;
  if ((nx && had) || (xx && !had)) {
    if (get) had ? c.reply.Bulk(old) : c.reply.Null();
    else if (reply_int) c.reply.Integer(0);
    else c.reply.Null();
    return;
  }
  int64_t keep = expire_at < 0 && e && e->has_ttl() ? e->expire_at() : 0;
  c.SetString(key, value, expire_at < 0 ? keep : expire_at);
  LogSet(c, key, value, expire_at < 0 ? (keep ? keep : 0) : expire_at);
  if (get) had ? c.reply.Bulk(old) : c.reply.Null();
  else if (reply_int) c.reply.Integer(1);
  else c.reply.Ok();
}

void Set(CommandContext& c) {
  bool nx = false, xx = false, get = false, keepttl = false;
  int64_t at = 0;
  bool have_expiry = false;
  for (size_t i = 3; i < c.args.size(); ++i) {
    std::string_view a = c.args[i];
    bool has_next = i + 1 < c.args.size();
    if (Is(a, "NX") && !xx) nx = true;
    else if (Is(a, "XX") && !nx) xx = true;
    else if (Is(a, "GET")) get = true;
    else if (Is(a, "KEEPTTL") && !have_expiry) keepttl = true;
    else if ((Is(a, "EX") || Is(a, "PX") || Is(a, "EXAT") || Is(a, "PXAT")) && !keepttl && !have_expiry && has_next) {
      if (!ExpiryTime(c, a, c.args[++i], "set", &at)) return;
      have_expiry = true;
    } else {
      c.SyntaxError();
      return;
    }
  }
  if (TooBig(c, static_cast<int64_t>(c.args[2].size()))) return;
  SetGeneric(c, c.args[1], c.args[2], have_expiry ? at : (keepttl ? -1 : 0), nx, xx, get, false);
}

void SetNx(CommandContext& c) { SetGeneric(c, c.args[1], c.args[2], 0, true, false, false, true); }

void SetEx(CommandContext& c) {
  int64_t at;
  bool ms = c.args[0].size() == 6;  // PSETEX
  if (!ExpiryTime(c, ms ? "PX" : "EX", c.args[2], ms ? "psetex" : "setex", &at)) return;
  SetGeneric(c, c.args[1], c.args[3], at, false, false, false, false);
}

void GetSet(CommandContext& c) { SetGeneric(c, c.args[1], c.args[2], 0, false, false, true, false); }

void GetDel(CommandContext& c) {
  Entry* e;
  if (!GetString(c, c.args[1], &e)) return;
  if (!e) {
    c.reply.Null();
    return;
  }
  c.reply.Bulk(e->string_value());
  c.Delete(e);
  c.Log({"DEL", c.args[1]});
}

void GetEx(CommandContext& c) {
  int64_t at = 0;
  bool persist = false, have_expiry = false;
  for (size_t i = 2; i < c.args.size(); ++i) {
    std::string_view a = c.args[i];
    if (Is(a, "PERSIST") && !have_expiry && !persist) persist = true;
    else if ((Is(a, "EX") || Is(a, "PX") || Is(a, "EXAT") || Is(a, "PXAT")) && !persist && !have_expiry && i + 1 < c.args.size()) {
      if (!ExpiryTime(c, a, c.args[++i], "getex", &at)) return;
      have_expiry = true;
    } else {
      c.SyntaxError();
      return;
    }
  }
  Entry* e;
  if (!GetString(c, c.args[1], &e)) return;
  if (!e) {
    c.reply.Null();
    return;
  }
  c.reply.Bulk(e->string_value());
  std::string key(c.args[1]);
  if (have_expiry) {
    std::string value(e->string_value());
    c.SetString(key, value, at);
    std::string when = FormatInt(at);
    c.Log({"PEXPIREAT", key, when});
  } else if (persist && e->has_ttl()) {
    std::string value(e->string_value());
    c.SetString(key, value, 0);
    c.Log({"PERSIST", key});
  }
}

void MGet(CommandContext& c) {
  c.reply.Array(c.args.size() - 1);
  for (size_t i = 1; i < c.args.size(); ++i) {
    Entry* e = c.Lookup(c.args[i]);
    if (e && e->type() == Type::kString) c.reply.Bulk(e->string_value());
    else c.reply.Null();
  }
}

void MSet(CommandContext& c) {
  if (c.args.size() % 2 == 0) {
    c.Error(std::string("ERR wrong number of arguments for '") + (c.args[0].size() == 4 ? "mset" : "msetnx") + "' command");
    return;
  }
  bool nx = c.args[0].size() == 6;
  if (nx) {
    for (size_t i = 1; i < c.args.size(); i += 2) {
      if (c.Lookup(c.args[i])) {
        c.reply.Integer(0);
        return;
      }
    }
  }
  for (size_t i = 1; i < c.args.size(); i += 2) {
    c.SetString(c.args[i], c.args[i + 1], 0);
    c.Touch(c.args[i]);
  }
  if (c.log) {
    std::vector<std::string_view> words(c.args.begin(), c.args.end());
    words[0] = "MSET";
    c.LogArgs(words);
  }
  nx ? c.reply.Integer(1) : c.reply.Ok();
}

// INCR, DECR, INCRBY, DECRBY.
void IncrBy(CommandContext& c, int64_t delta) {
  Entry* e;
  if (!GetString(c, c.args[1], &e)) return;
  int64_t value = 0;
  if (e && !ParseInt64(e->string_value(), &value)) {
    c.NotInteger();
    return;
  }
  if ((delta < 0 && value < 0 && delta < std::numeric_limits<int64_t>::min() - value) ||
      (delta > 0 && value > 0 && delta > std::numeric_limits<int64_t>::max() - value)) {
    c.Error("ERR increment or decrement would overflow");
    return;
  }
  value += delta;
  std::string text = FormatInt(value);
  c.SetString(c.args[1], text, e && e->has_ttl() ? e->expire_at() : 0);
  c.Log();
  c.reply.Integer(value);
}

void Incr(CommandContext& c) { IncrBy(c, c.args[0][0] == 'd' || c.args[0][0] == 'D' ? -1 : 1); }

void IncrByArg(CommandContext& c) {
  int64_t delta;
  if (!c.ParseInt(c.args[2], &delta)) return;
  bool decr = c.args[0][0] == 'd' || c.args[0][0] == 'D';
  if (decr) {
    if (delta == std::numeric_limits<int64_t>::min()) {
      c.Error("ERR decrement would overflow");
      return;
    }
    delta = -delta;
  }
  IncrBy(c, delta);
}

void IncrByFloat(CommandContext& c) {
  Entry* e;
  if (!GetString(c, c.args[1], &e)) return;
  double incr;
  if (!ParseFiniteOrInfDouble(c.args[2], &incr)) {
    c.NotFloat();
    return;
  }
  long double value = 0;
  if (e) {
    double current;
    if (!ParseFiniteOrInfDouble(e->string_value(), &current)) {
      c.NotFloat();
      return;
    }
    value = current;
  }
  value += incr;
  if (std::isnan(value) || std::isinf(value)) {
    c.Error("ERR increment would produce NaN or Infinity");
    return;
  }
  std::string text = FormatHumanDouble(value);
  int64_t keep = e && e->has_ttl() ? e->expire_at() : 0;
  c.SetString(c.args[1], text, keep);
  LogSet(c, c.args[1], text, keep ? -1 : 0);
  c.reply.Bulk(text);
}

void Append(CommandContext& c) {
  Entry* e;
  if (!GetString(c, c.args[1], &e)) return;
  std::string value = e ? std::string(e->string_value()) : std::string();
  if (TooBig(c, static_cast<int64_t>(value.size() + c.args[2].size()))) return;
  value.append(c.args[2]);
  c.SetString(c.args[1], value, e && e->has_ttl() ? e->expire_at() : 0);
  c.Log();
  c.reply.Integer(static_cast<int64_t>(value.size()));
}

void StrLen(CommandContext& c) {
  Entry* e;
  if (!GetString(c, c.args[1], &e)) return;
  c.reply.Integer(e ? e->value_len : 0);
}

void GetRange(CommandContext& c) {
  int64_t start, end;
  if (!c.ParseInt(c.args[2], &start) || !c.ParseInt(c.args[3], &end)) return;
  Entry* e;
  if (!GetString(c, c.args[1], &e)) return;
  std::string_view s = e ? e->string_value() : std::string_view();
  int64_t n = static_cast<int64_t>(s.size());
  // Redis 7: a negative range that stays negative after adding the length is empty.
  if (start < 0 && end < 0 && start > end) {
    c.reply.Bulk("");
    return;
  }
  if (start < 0) start = n + start;
  if (end < 0) end = n + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= n) end = n - 1;
  if (n == 0 || start > end) {
    c.reply.Bulk("");
    return;
  }
  c.reply.Bulk(s.substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1)));
}

void SetRange(CommandContext& c) {
  int64_t offset;
  if (!c.ParseInt(c.args[2], &offset)) return;
  if (offset < 0) {
    c.Error("ERR offset is out of range");
    return;
  }
  Entry* e;
  if (!GetString(c, c.args[1], &e)) return;
  std::string_view piece = c.args[3];
  if (piece.empty()) {
    c.reply.Integer(e ? e->value_len : 0);
    return;
  }
  if (TooBig(c, offset + static_cast<int64_t>(piece.size()))) return;
  std::string value = e ? std::string(e->string_value()) : std::string();
  size_t end = static_cast<size_t>(offset) + piece.size();
  if (value.size() < end) value.resize(end, '\0');
  value.replace(static_cast<size_t>(offset), piece.size(), piece);
  c.SetString(c.args[1], value, e && e->has_ttl() ? e->expire_at() : 0);
  c.Log();
  c.reply.Integer(static_cast<int64_t>(value.size()));
}

}  // namespace

void AddStringCommands(std::vector<CommandSpec>& t) {
  t.push_back({"get", 2, kReadOnly, 1, 1, 1, Get});
  t.push_back({"set", -3, kWrite, 1, 1, 1, Set});
  t.push_back({"setnx", 3, kWrite, 1, 1, 1, SetNx});
  t.push_back({"setex", 4, kWrite, 1, 1, 1, SetEx});
  t.push_back({"psetex", 4, kWrite, 1, 1, 1, SetEx});
  t.push_back({"getset", 3, kWrite, 1, 1, 1, GetSet});
  t.push_back({"getdel", 2, kWrite, 1, 1, 1, GetDel});
  t.push_back({"getex", -2, kWrite, 1, 1, 1, GetEx});
  t.push_back({"mget", -2, kReadOnly, 1, -1, 1, MGet});
  t.push_back({"mset", -3, kWrite, 1, -1, 2, MSet});
  t.push_back({"msetnx", -3, kWrite, 1, -1, 2, MSet});
  t.push_back({"incr", 2, kWrite, 1, 1, 1, Incr});
  t.push_back({"decr", 2, kWrite, 1, 1, 1, Incr});
  t.push_back({"incrby", 3, kWrite, 1, 1, 1, IncrByArg});
  t.push_back({"decrby", 3, kWrite, 1, 1, 1, IncrByArg});
  t.push_back({"incrbyfloat", 3, kWrite, 1, 1, 1, IncrByFloat});
  t.push_back({"append", 3, kWrite, 1, 1, 1, Append});
  t.push_back({"strlen", 2, kReadOnly, 1, 1, 1, StrLen});
  t.push_back({"getrange", 4, kReadOnly, 1, 1, 1, GetRange});
  t.push_back({"substr", 4, kReadOnly, 1, 1, 1, GetRange});
  t.push_back({"setrange", 4, kWrite, 1, 1, 1, SetRange});
}

}  // namespace lyt::kv
