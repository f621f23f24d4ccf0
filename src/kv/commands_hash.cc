// Hashes (Redis's t_hash.c semantics).
#include <cmath>
#include <limits>

#include "kv/command.h"
#include "protocol/resp.h"

namespace lyt::kv {

namespace {

HashValue* HashOf(Entry* e) { return e ? e->container<HashValue>() : nullptr; }

// Sets `field` to `value`; true when the field is new.
bool PutField(FieldTable& fields, std::string_view field, std::string_view value) {
  FieldNode* old = fields.Find(field);
  if (old && old->value_len == value.size()) {
    if (!value.empty()) std::memcpy(old->bytes() + old->field_len, value.data(), value.size());
    return false;
  }
  FieldNode* fresh = FieldNode::Make(field, value);
  if (old) {
    FieldTraits::Free(fields.Replace(old, fresh));
    return false;
  }
  fields.Insert(fresh);
  return true;
}

// The hash of args[1] for reading: null (and *done set, with a reply already given for a wrong
// type) when absent.
HashValue* ReadHash(CommandContext& c, bool* wrong) { return HashOf(c.LookupTyped(c.args[1], Type::kHash, wrong)); }

void HSet(CommandContext& c) {
  if (c.args.size() % 2 != 0) {
    std::string name(c.args[0]);
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    c.Error("ERR wrong number of arguments for '" + name + "' command");
    return;
  }
  Entry* e = c.LookupOrCreate(c.args[1], Type::kHash);
  if (!e) return;
  int64_t added = 0;
  for (size_t i = 2; i < c.args.size(); i += 2) added += PutField(HashOf(e)->fields, c.args[i], c.args[i + 1]) ? 1 : 0;
  c.Log();
  if (IsOption(c.args[0], "HMSET")) c.reply.Ok();
  else c.reply.Integer(added);
}

void HSetNx(CommandContext& c) {
  Entry* e = c.LookupOrCreate(c.args[1], Type::kHash);
  if (!e) return;
  if (HashOf(e)->fields.Find(c.args[2])) {
    c.reply.Integer(0);
    return;
  }
  PutField(HashOf(e)->fields, c.args[2], c.args[3]);
  c.Log({"HSET", c.args[1], c.args[2], c.args[3]});
  c.reply.Integer(1);
}

void HGet(CommandContext& c) {
  bool wrong;
  HashValue* h = ReadHash(c, &wrong);
  if (wrong) return;
  FieldNode* n = h ? h->fields.Find(c.args[2]) : nullptr;
  n ? c.reply.Bulk(n->value()) : c.reply.Null();
}

void HMGet(CommandContext& c) {
  bool wrong;
  HashValue* h = ReadHash(c, &wrong);
  if (wrong) return;
  c.reply.Array(c.args.size() - 2);
  for (size_t i = 2; i < c.args.size(); ++i) {
    FieldNode* n = h ? h->fields.Find(c.args[i]) : nullptr;
    n ? c.reply.Bulk(n->value()) : c.reply.Null();
  }
}

void HDel(CommandContext& c) {
  RemoveMembers(c, Type::kHash, "HDEL", [](Entry* e, std::string_view field) {
    FieldNode* n = HashOf(e)->fields.Remove(field);
    FieldTraits::Free(n);
    return n != nullptr;
  });
}

// HGETALL, HKEYS, HVALS.
void HGetAll(CommandContext& c) {
  bool wrong;
  HashValue* h = ReadHash(c, &wrong);
  if (wrong) return;
  bool keys = IsOption(c.args[0], "HKEYS"), values = IsOption(c.args[0], "HVALS");
  size_t n = h ? h->fields.size() : 0;
  if (keys || values) c.reply.Array(n);
  else c.reply.Map(n);
  if (!h) return;
  h->fields.ForEach([&](FieldNode* f) {
    if (!values) c.reply.Bulk(f->field());
    if (!keys) c.reply.Bulk(f->value());
  });
}

void HLen(CommandContext& c) {
  bool wrong;
  HashValue* h = ReadHash(c, &wrong);
  if (!wrong) c.reply.Integer(h ? static_cast<int64_t>(h->fields.size()) : 0);
}

void HExists(CommandContext& c) {
  bool wrong;
  HashValue* h = ReadHash(c, &wrong);
  if (!wrong) c.reply.Integer(h && h->fields.Find(c.args[2]) ? 1 : 0);
}

void HStrLen(CommandContext& c) {
  bool wrong;
  HashValue* h = ReadHash(c, &wrong);
  if (wrong) return;
  FieldNode* n = h ? h->fields.Find(c.args[2]) : nullptr;
  c.reply.Integer(n ? n->value_len : 0);
}

void HIncrBy(CommandContext& c) {
  int64_t delta;
  if (!c.ParseInt(c.args[3], &delta)) return;
  Entry* e = c.LookupOrCreate(c.args[1], Type::kHash);
  if (!e) return;
  FieldNode* n = HashOf(e)->fields.Find(c.args[2]);
  int64_t value = 0;
  if (n && !ParseInt64(n->value(), &value)) {
    c.Error("ERR hash value is not an integer");
    c.DeleteIfEmpty(e);
    return;
  }
  if ((delta < 0 && value < 0 && delta < std::numeric_limits<int64_t>::min() - value) ||
      (delta > 0 && value > 0 && delta > std::numeric_limits<int64_t>::max() - value)) {
    c.Error("ERR increment or decrement would overflow");
    return;
  }
  value += delta;
  PutField(HashOf(e)->fields, c.args[2], FormatInt(value));
  c.Log();
  c.reply.Integer(value);
}

void HIncrByFloat(CommandContext& c) {
  double delta;
  if (!c.ParseDouble(c.args[3], &delta)) return;
  Entry* e = c.LookupOrCreate(c.args[1], Type::kHash);
  if (!e) return;
  FieldNode* n = HashOf(e)->fields.Find(c.args[2]);
  double current = 0;
  if (n && !ParseFiniteOrInfDouble(n->value(), &current)) {
    c.Error("ERR hash value is not a float");
    c.DeleteIfEmpty(e);
    return;
  }
  long double value = static_cast<long double>(current) + delta;
  if (std::isnan(value) || std::isinf(value)) {
    c.Error("ERR increment would produce NaN or Infinity");
    c.DeleteIfEmpty(e);
    return;
  }
  std::string text = FormatHumanDouble(value);
  PutField(HashOf(e)->fields, c.args[2], text);
  c.Log({"HSET", c.args[1], c.args[2], text});
  c.reply.Bulk(text);
}

void HScan(CommandContext& c) {
  uint64_t cursor;
  ScanOptions o;
  if (!ParseScan(c, 2, false, &cursor, &o)) return;
  bool wrong;
  HashValue* h = ReadHash(c, &wrong);
  if (wrong) return;
  std::vector<std::string_view> items;
  if (h) {
    cursor = ScanBuckets(h->fields, cursor, o.count, [&](FieldNode* f) {
      if (!ScanMatches(o, f->field())) return;
      items.push_back(f->field());
      items.push_back(f->value());
    });
  } else {
    cursor = 0;
  }
  ReplyScan(c, cursor, items);
}

}  // namespace

void AddHashCommands(std::vector<CommandSpec>& t) {
  t.push_back({"hset", -4, kWrite, 1, 1, 1, HSet});
  t.push_back({"hmset", -4, kWrite, 1, 1, 1, HSet});
  t.push_back({"hsetnx", 4, kWrite, 1, 1, 1, HSetNx});
  t.push_back({"hget", 3, kReadOnly, 1, 1, 1, HGet});
  t.push_back({"hmget", -3, kReadOnly, 1, 1, 1, HMGet});
  t.push_back({"hdel", -3, kWrite, 1, 1, 1, HDel});
  t.push_back({"hgetall", 2, kReadOnly, 1, 1, 1, HGetAll});
  t.push_back({"hkeys", 2, kReadOnly, 1, 1, 1, HGetAll});
  t.push_back({"hvals", 2, kReadOnly, 1, 1, 1, HGetAll});
  t.push_back({"hlen", 2, kReadOnly, 1, 1, 1, HLen});
  t.push_back({"hexists", 3, kReadOnly, 1, 1, 1, HExists});
  t.push_back({"hstrlen", 3, kReadOnly, 1, 1, 1, HStrLen});
  t.push_back({"hincrby", 4, kWrite, 1, 1, 1, HIncrBy});
  t.push_back({"hincrbyfloat", 4, kWrite, 1, 1, 1, HIncrByFloat});
  t.push_back({"hscan", -3, kReadOnly, 1, 1, 1, HScan});
}

}  // namespace lyt::kv
