// Keys of any type: DEL, EXISTS, TYPE, RENAME, expiry, KEYS, SCAN, RANDOMKEY, DBSIZE, FLUSHDB
// (Redis's db.c and expire.c semantics).
#include <limits>

#include "kv/command.h"
#include "kv/glob.h"
#include "protocol/resp.h"

namespace lyt::kv {

namespace {

void Del(CommandContext& c) {
  std::vector<std::string_view> deleted{"DEL"};
  for (size_t i = 1; i < c.args.size(); ++i) {
    if (Entry* e = c.Lookup(c.args[i])) {
      c.Delete(e);
      deleted.push_back(c.args[i]);
    }
  }
  if (deleted.size() > 1) c.LogArgs(deleted);
  c.reply.Integer(static_cast<int64_t>(deleted.size() - 1));
}

void Exists(CommandContext& c) {
  int64_t n = 0;
  for (size_t i = 1; i < c.args.size(); ++i) n += c.Lookup(c.args[i]) ? 1 : 0;
  c.reply.Integer(n);
}

void TypeOf(CommandContext& c) {
  Entry* e = c.Lookup(c.args[1]);
  c.reply.Simple(e ? TypeName(e->type()) : "none");
}

void RenameGeneric(CommandContext& c, bool nx) {
  Entry* e = c.Lookup(c.args[1]);
  if (!e) {
    c.Error("ERR no such key");
    return;
  }
  if (c.args[1] == c.args[2]) {
    nx ? c.reply.Integer(0) : c.reply.Ok();
    return;
  }
  if (Entry* target = c.Lookup(c.args[2])) {
    if (nx) {
      c.reply.Integer(0);
      return;
    }
    c.Delete(target);
  }
  c.ks.Rename(e, c.args[2], e->expire_at());
  c.Touch(c.args[2]);
  c.Log({"RENAME", c.args[1], c.args[2]});
  nx ? c.reply.Integer(1) : c.reply.Ok();
}

void Rename(CommandContext& c) { RenameGeneric(c, false); }
void RenameNx(CommandContext& c) { RenameGeneric(c, true); }

// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX | XX | GT | LT.
void Expire(CommandContext& c) {
  std::string_view name = c.args[0];
  bool ms = name[0] == 'p' || name[0] == 'P';
  bool absolute = name.size() >= 8;  // [P]EXPIREAT
  int64_t when;
  if (!c.ParseInt(c.args[2], &when)) return;
  bool nx = false, xx = false, gt = false, lt = false;
  for (size_t i = 3; i < c.args.size(); ++i) {
    std::string_view a = c.args[i];
    if (IsOption(a, "NX")) nx = true;
    else if (IsOption(a, "XX")) xx = true;
    else if (IsOption(a, "GT")) gt = true;
    else if (IsOption(a, "LT")) lt = true;
    else {
      c.Error("ERR Unsupported option " + std::string(a));
      return;
    }
  }
  if (nx && (xx || gt || lt)) {
    c.Error("ERR NX and XX, GT or LT options at the same time are not compatible");
    return;
  }
  if (gt && lt) {
    c.Error("ERR GT and LT options at the same time are not compatible");
    return;
  }
  std::string lower(name);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto invalid = [&] { c.Error("ERR invalid expire time in '" + lower + "' command"); };
  if (!ms) {
    if (when > std::numeric_limits<int64_t>::max() / 1000 || when < std::numeric_limits<int64_t>::min() / 1000) return invalid();
    when *= 1000;
  }
  if (!absolute) {
    if ((when > 0 && when > std::numeric_limits<int64_t>::max() - c.now_ms) ||
        (when < 0 && when < std::numeric_limits<int64_t>::min() + c.now_ms)) {
      return invalid();
    }
    when += c.now_ms;
  }
  Entry* e = c.Lookup(c.args[1]);
  if (!e) {
    c.reply.Integer(0);
    return;
  }
  bool has = e->has_ttl();
  int64_t current = e->expire_at();
  if ((nx && has) || (xx && !has) || (gt && (!has || when <= current)) || (lt && has && when >= current)) {
    c.reply.Integer(0);
    return;
  }
  std::string key(c.args[1]);
  if (!c.replaying && when <= c.now_ms) {
    c.Delete(e);
    c.Log({"DEL", key});
  } else {
    c.ks.SetExpiry(e, when == 0 ? -1 : when);
    std::string at = FormatInt(when == 0 ? -1 : when);
    c.Log({"PEXPIREAT", key, at});
  }
  c.reply.Integer(1);
}

// TTL, PTTL, EXPIRETIME, PEXPIRETIME.
void Ttl(CommandContext& c) {
  std::string_view name = c.args[0];
  bool ms = name[0] == 'p' || name[0] == 'P';
  bool absolute = name.size() >= 10;
  Entry* e = c.Lookup(c.args[1]);
  if (!e) {
    c.reply.Integer(-2);
    return;
  }
  if (!e->has_ttl()) {
    c.reply.Integer(-1);
    return;
  }
  int64_t at = e->expire_at();
  if (absolute) {
    c.reply.Integer(ms ? at : (at + 500) / 1000);
    return;
  }
  int64_t left = std::max<int64_t>(at - c.now_ms, 0);
  c.reply.Integer(ms ? left : (left + 500) / 1000);
}

void Persist(CommandContext& c) {
  Entry* e = c.Lookup(c.args[1]);
  if (!e || !e->has_ttl()) {
    c.reply.Integer(0);
    return;
  }
  c.ks.SetExpiry(e, 0);
  c.Log();
  c.reply.Integer(1);
}

void Keys(CommandContext& c) {
  std::vector<Entry*> found;
  bool all = c.args[1] == "*";
  c.ks.ForEach([&](Entry* e) {
    if (e->has_ttl() && e->expire_at() <= c.now_ms) return;
    if (all || GlobMatch(c.args[1], e->key())) found.push_back(e);
  });
  c.reply.Array(found.size());
  for (Entry* e : found) c.reply.Bulk(e->key());
}

void Scan(CommandContext& c) {
  uint64_t cursor;
  ScanOptions o;
  if (!ParseScan(c, 1, true, &cursor, &o)) return;
  std::vector<std::string_view> items;
  cursor = ScanBuckets(c.ks, cursor, o.count, [&](Entry* e) {
    if (e->has_ttl() && e->expire_at() <= c.now_ms) return;
    if (o.has_type && !EqualsIgnoreCase(o.type, TypeName(e->type()))) return;
    if (ScanMatches(o, e->key())) items.push_back(e->key());
  });
  ReplyScan(c, cursor, items);
}

void RandomKey(CommandContext& c) {
  for (int tries = 0; tries < 100; ++tries) {
    Entry* e = c.ks.RandomEntry();
    if (!e) break;
    if (e->has_ttl() && e->expire_at() <= c.now_ms) {
      if (tries < 99) continue;
    }
    c.reply.Bulk(e->key());
    return;
  }
  c.reply.Null();
}

void DbSize(CommandContext& c) { c.reply.Integer(static_cast<int64_t>(c.ks.size())); }

void FlushDb(CommandContext& c) {
  if (c.args.size() > 2 || (c.args.size() == 2 && !IsOption(c.args[1], "ASYNC") && !IsOption(c.args[1], "SYNC"))) {
    c.SyntaxError();
    return;
  }
  c.ks.TouchAll();
  c.ks.Clear();
  c.Log({"FLUSHDB"});
  c.reply.Ok();
}

void Touch(CommandContext& c) {
  int64_t n = 0;
  for (size_t i = 1; i < c.args.size(); ++i) n += c.Lookup(c.args[i]) ? 1 : 0;
  c.reply.Integer(n);
}

}  // namespace

void AddKeyCommands(std::vector<CommandSpec>& t) {
  t.push_back({"del", -2, kWrite, 1, -1, 1, Del});
  t.push_back({"unlink", -2, kWrite, 1, -1, 1, Del});
  t.push_back({"exists", -2, kReadOnly, 1, -1, 1, Exists});
  t.push_back({"touch", -2, kReadOnly, 1, -1, 1, Touch});
  t.push_back({"type", 2, kReadOnly, 1, 1, 1, TypeOf});
  t.push_back({"rename", 3, kWrite, 1, 2, 1, Rename});
  t.push_back({"renamenx", 3, kWrite, 1, 2, 1, RenameNx});
  t.push_back({"expire", -3, kWrite, 1, 1, 1, Expire});
  t.push_back({"pexpire", -3, kWrite, 1, 1, 1, Expire});
  t.push_back({"expireat", -3, kWrite, 1, 1, 1, Expire});
  t.push_back({"pexpireat", -3, kWrite, 1, 1, 1, Expire});
  t.push_back({"ttl", 2, kReadOnly, 1, 1, 1, Ttl});
  t.push_back({"pttl", 2, kReadOnly, 1, 1, 1, Ttl});
  t.push_back({"expiretime", 2, kReadOnly, 1, 1, 1, Ttl});
  t.push_back({"pexpiretime", 2, kReadOnly, 1, 1, 1, Ttl});
  t.push_back({"persist", 2, kWrite, 1, 1, 1, Persist});
  t.push_back({"keys", 2, kReadOnly, 0, 0, 0, Keys});
  t.push_back({"scan", -2, kReadOnly, 0, 0, 0, Scan});
  t.push_back({"randomkey", 1, kReadOnly, 0, 0, 0, RandomKey});
  t.push_back({"dbsize", 1, kReadOnly, 0, 0, 0, DbSize});
  t.push_back({"flushdb", -1, kWrite | kAdminCommand, 0, 0, 0, FlushDb});
}

}  // namespace lyt::kv
