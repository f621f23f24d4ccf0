#include "kv/command.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

#include "durability/log_entries.h"
#include "kv/glob.h"
#include "kv/sorted_set.h"
#include "protocol/resp.h"

namespace lyt::kv {

Entry* CommandContext::Lookup(std::string_view key) {
  Entry* e = ks.Find(key);
  if (!e) return nullptr;
  if (e->has_ttl() && !replaying && e->expire_at() <= now_ms) {
    DeleteExpired(ks, e, log);
    return nullptr;
  }
  return e;
}

void DeleteExpired(Keyspace& ks, Entry* e, std::string* log) {
  std::string key(e->key());
  if (log) {
    std::string_view words[] = {"DEL", key};
    durability::AppendKvCommand(*log, ks.database(), words);
  }
  ks.Delete(e);
  ks.Touch(key);
  ++ks.expired_keys;
}

Entry* CommandContext::LookupTyped(std::string_view key, Type type, bool* wrong_type) {
  Entry* e = Lookup(key);
  *wrong_type = e && e->type() != type;
  if (*wrong_type) {
    WrongType();
    return nullptr;
  }
  return e;
}

Entry* CommandContext::LookupOrCreate(std::string_view key, Type type) {
  bool wrong = false;
  Entry* e = LookupTyped(key, type, &wrong);
  if (e || wrong) return e;
  e = AllocateEntry(type, key, 0, 0);
  void* container = nullptr;
  switch (type) {
    case Type::kList: container = new ListValue(); break;
    case Type::kSet: container = new SetValue(); break;
    case Type::kZSet: container = new SortedSet(); break;
    case Type::kHash: container = new HashValue(); break;
    case Type::kString: break;
  }
  std::memcpy(e->value_bytes(), &container, sizeof container);
  ks.Insert(e);
  return e;
}

void CommandContext::Delete(Entry* entry) {
  std::string key(entry->key());
  ks.Delete(entry);
  ks.Touch(key);
}

void CommandContext::DeleteIfEmpty(Entry* entry) {
  bool empty = false;
  switch (entry->type()) {
    case Type::kString: return;
    case Type::kList: empty = entry->container<ListValue>()->items.empty(); break;
    case Type::kSet: empty = entry->container<SetValue>()->members.empty(); break;
    case Type::kZSet: empty = entry->container<SortedSet>()->size() == 0; break;
    case Type::kHash: empty = entry->container<HashValue>()->fields.empty(); break;
  }
  if (empty) ks.Delete(entry);
}

void CommandContext::SetString(std::string_view key, std::string_view value, int64_t expire_at_ms) {
  Entry* old = ks.Find(key);
  if (old && old->type() == Type::kString && old->value_len == value.size() && old->has_ttl() == (expire_at_ms != 0)) {
    // Same shape: overwrite in place (the common SET of a counter or a fixed-size value).
    if (!value.empty()) std::memcpy(old->value_bytes(), value.data(), value.size());
    if (expire_at_ms != 0) old->set_expire_at(expire_at_ms);
    return;
  }
  Entry* fresh = MakeStringEntry(key, value, expire_at_ms);
  if (old) ks.Replace(old, fresh);
  else ks.Insert(fresh);
}

void CommandContext::Log() { LogArgs(args); }

void CommandContext::Log(std::initializer_list<std::string_view> words) {
  LogArgs(std::span<const std::string_view>(words.begin(), words.size()));
}

void CommandContext::LogArgs(std::span<const std::string_view> words) {
  if (log) durability::AppendKvCommand(*log, ks.database(), words);
  if (words.size() > 1) ks.Touch(words[1]);
}

void CommandContext::WrongType() { reply.Error("WRONGTYPE Operation against a key holding the wrong kind of value"); }
void CommandContext::SyntaxError() { reply.Error("ERR syntax error"); }
void CommandContext::Error(std::string_view message) { reply.Error(message); }
void CommandContext::NotInteger() { reply.Error("ERR value is not an integer or out of range"); }
void CommandContext::NotFloat() { reply.Error("ERR value is not a valid float"); }

bool CommandContext::ParseInt(std::string_view text, int64_t* out) {
  if (ParseInt64(text, out)) return true;
  NotInteger();
  return false;
}

bool CommandContext::ParseDouble(std::string_view text, double* out) {
  if (ParseFiniteOrInfDouble(text, out)) return true;
  NotFloat();
  return false;
}

bool ParseInt64(std::string_view s, int64_t* out) {
  // Redis's string2ll: optional '-', then digits without leading zeros ("0" alone is fine).
  if (s.empty() || s.size() > 20) return false;
  size_t i = 0;
  bool negative = s[0] == '-';
  if (negative) {
    if (s.size() == 1) return false;
    i = 1;
  }
  if (s[i] == '0') {
    if (s.size() == 1) {
      *out = 0;
      return true;
    }
    return false;
  }
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    if (v > (UINT64_MAX - static_cast<uint64_t>(c - '0')) / 10) return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (negative) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

bool ParseFiniteOrInfDouble(std::string_view s, double* out) {
  // Redis's string2d: strtod over the whole text, no leading space, no NaN.
  if (s.empty() || s.size() > 5000 || std::isspace(static_cast<unsigned char>(s[0]))) return false;
  std::string text(s);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || std::isnan(v)) return false;
  if (errno == ERANGE && !std::isinf(v) && v != 0) return false;
  *out = v;
  return true;
}

std::string FormatInt(int64_t v) { return std::to_string(v); }

// Redis's ld2string(LD_STR_HUMAN): "%.17Lf" without trailing zeros (and without a trailing '.').
std::string FormatHumanDouble(long double v) {
  char buf[5600];
  int n = std::snprintf(buf, sizeof buf, "%.17Lf", v);
  std::string s(buf, static_cast<size_t>(n > 0 ? n : 0));
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

bool IsOption(std::string_view a, std::string_view upper) { return EqualsIgnoreCase(a, upper); }

bool ParseScan(CommandContext& c, size_t cursor_arg, bool allow_type, uint64_t* cursor, ScanOptions* o) {
  std::string_view text = c.args[cursor_arg];
  uint64_t v = 0;
  bool ok = !text.empty() && text.size() <= 20;
  for (char ch : text) {
    if (ch < '0' || ch > '9' || v > (UINT64_MAX - static_cast<uint64_t>(ch - '0')) / 10) {
      ok = false;
      break;
    }
    v = v * 10 + static_cast<uint64_t>(ch - '0');
  }
  if (!ok) {
    c.Error("ERR invalid cursor");
    return false;
  }
  *cursor = v;
  for (size_t i = cursor_arg + 1; i < c.args.size(); i += 2) {
    if (i + 1 >= c.args.size()) {
      c.SyntaxError();
      return false;
    }
    std::string_view name = c.args[i], value = c.args[i + 1];
    if (IsOption(name, "COUNT")) {
      if (!c.ParseInt(value, &o->count)) return false;
      if (o->count < 1) {
        c.SyntaxError();
        return false;
      }
    } else if (IsOption(name, "MATCH")) {
      o->pattern = value;
      o->has_pattern = !(value.size() == 1 && value[0] == '*');
    } else if (IsOption(name, "TYPE") && allow_type) {
      o->type = value;
      o->has_type = true;
    } else {
      c.SyntaxError();
      return false;
    }
  }
  return true;
}

bool ParsePopCount(CommandContext& c, int64_t* count, bool* given) {
  *count = 1;
  *given = c.args.size() == 3;
  if (*given && (!ParseInt64(c.args[2], count) || *count < 0)) {
    c.Error("ERR value is out of range, must be positive");
    return false;
  }
  return true;
}

void RemoveMembers(CommandContext& c, Type type, std::string_view command, bool (*remove)(Entry*, std::string_view)) {
  bool wrong;
  Entry* e = c.LookupTyped(c.args[1], type, &wrong);
  if (wrong) return;
  if (!e) {
    c.reply.Integer(0);
    return;
  }
  std::vector<std::string_view> removed{command, c.args[1]};
  for (size_t i = 2; i < c.args.size(); ++i) {
    if (remove(e, c.args[i])) removed.push_back(c.args[i]);
  }
  if (removed.size() > 2) {
    c.LogArgs(removed);
    c.DeleteIfEmpty(e);
  }
  c.reply.Integer(static_cast<int64_t>(removed.size() - 2));
}

bool ScanMatches(const ScanOptions& o, std::string_view text) { return !o.has_pattern || GlobMatch(o.pattern, text); }

void ReplyScan(CommandContext& c, uint64_t cursor, const std::vector<std::string_view>& items) {
  c.reply.Array(2);
  c.reply.Bulk(std::to_string(cursor));
  c.reply.Array(items.size());
  for (std::string_view s : items) c.reply.Bulk(s);
}

namespace {

struct Table {
  std::vector<CommandSpec> specs;
  std::vector<const CommandSpec*> all;
  std::unordered_map<std::string_view, const CommandSpec*> by_name;

  Table() {
    AddStringCommands(specs);
    AddKeyCommands(specs);
    AddHashCommands(specs);
    AddListCommands(specs);
    AddSetCommands(specs);
    AddZSetCommands(specs);
    for (const auto& s : specs) {
      all.push_back(&s);
      by_name[s.name] = &s;
    }
  }
};

const Table& Commands() {
  static const Table table;
  return table;
}

}  // namespace

void Execute(const CommandSpec& spec, CommandContext& c) {
  if (spec.first_key > 0) {
    int64_t words = static_cast<int64_t>(c.args.size());
    int64_t last = spec.last_key < 0 ? words + spec.last_key : spec.last_key;
    for (int64_t i = spec.first_key; i <= last && i < words; i += std::max(spec.key_step, 1)) {
      if (c.args[static_cast<size_t>(i)].size() > Entry::kMaxKeyBytes) {
        c.Error("ERR key is too long (at most " + std::to_string(Entry::kMaxKeyBytes) + " bytes)");
        return;
      }
    }
  }
  spec.run(c);
}

const CommandSpec* FindCommand(std::string_view name) {
  char lower[32];
  if (name.size() > sizeof lower) return nullptr;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    lower[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
  }
  const auto& by_name = Commands().by_name;
  auto it = by_name.find(std::string_view(lower, name.size()));
  return it == by_name.end() ? nullptr : it->second;
}

std::span<const CommandSpec* const> AllCommands() { return Commands().all; }

}  // namespace lyt::kv
