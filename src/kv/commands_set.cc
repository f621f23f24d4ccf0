// Sets (Redis's t_set.c semantics).
#include <algorithm>
#include <random>

#include "kv/command.h"
#include "protocol/resp.h"

namespace lyt::kv {

namespace {

FieldTable* MembersOf(Entry* e) { return e ? &e->container<SetValue>()->members : nullptr; }

uint64_t Draw() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  return random();
}

void SAdd(CommandContext& c) {
  Entry* e = c.LookupOrCreate(c.args[1], Type::kSet);
  if (!e) return;
  FieldTable& members = *MembersOf(e);
  int64_t added = 0;
  for (size_t i = 2; i < c.args.size(); ++i) {
    if (members.Find(c.args[i])) continue;
    members.Insert(FieldNode::Make(c.args[i], {}));
    ++added;
  }
  if (added > 0) c.Log();
  c.reply.Integer(added);
}

void SRem(CommandContext& c) {
  RemoveMembers(c, Type::kSet, "SREM", [](Entry* e, std::string_view member) {
    FieldNode* n = MembersOf(e)->Remove(member);
    FieldTraits::Free(n);
    return n != nullptr;
  });
}

void SMembers(CommandContext& c) {
  bool wrong;
  FieldTable* m = MembersOf(c.LookupTyped(c.args[1], Type::kSet, &wrong));
  if (wrong) return;
  c.reply.Set(m ? m->size() : 0);
  if (m) m->ForEach([&](FieldNode* n) { c.reply.Bulk(n->field()); });
}

void SIsMember(CommandContext& c) {
  bool wrong;
  FieldTable* m = MembersOf(c.LookupTyped(c.args[1], Type::kSet, &wrong));
  if (!wrong) c.reply.Integer(m && m->Find(c.args[2]) ? 1 : 0);
}

void SMIsMember(CommandContext& c) {
  bool wrong;
  FieldTable* m = MembersOf(c.LookupTyped(c.args[1], Type::kSet, &wrong));
  if (wrong) return;
  c.reply.Array(c.args.size() - 2);
  for (size_t i = 2; i < c.args.size(); ++i) c.reply.Integer(m && m->Find(c.args[i]) ? 1 : 0);
}

void SCard(CommandContext& c) {
  bool wrong;
  FieldTable* m = MembersOf(c.LookupTyped(c.args[1], Type::kSet, &wrong));
  if (!wrong) c.reply.Integer(m ? static_cast<int64_t>(m->size()) : 0);
}

void SPop(CommandContext& c) {
  if (c.args.size() > 3) {
    c.SyntaxError();
    return;
  }
  int64_t count;
  bool with_count;
  if (!ParsePopCount(c, &count, &with_count)) return;
  bool wrong;
  Entry* e = c.LookupTyped(c.args[1], Type::kSet, &wrong);
  if (wrong) return;
  if (!e) {
    with_count ? c.reply.Set(0) : c.reply.Null();
    return;
  }
  FieldTable& members = *MembersOf(e);
  size_t n = std::min<size_t>(static_cast<size_t>(count), members.size());
  std::vector<FieldNode*> popped;
  for (size_t i = 0; i < n; ++i) {
    FieldNode* node = members.RandomNode(Draw);
    members.Remove(node->field());
    popped.push_back(node);
  }
  if (with_count) c.reply.Set(popped.size());
  std::vector<std::string_view> words{"SREM", c.args[1]};
  for (FieldNode* node : popped) {
    c.reply.Bulk(node->field());
    words.push_back(node->field());
  }
  if (!popped.empty()) c.LogArgs(words);
  for (FieldNode* node : popped) FieldTraits::Free(node);
  c.DeleteIfEmpty(e);
}

void SRandMember(CommandContext& c) {
  int64_t count = 1;
  bool with_count = c.args.size() == 3;
  if (c.args.size() > 3) {
    c.SyntaxError();
    return;
  }
  if (with_count && !c.ParseInt(c.args[2], &count)) return;
  bool wrong;
  FieldTable* m = MembersOf(c.LookupTyped(c.args[1], Type::kSet, &wrong));
  if (wrong) return;
  if (!m) {
    with_count ? c.reply.Array(0) : c.reply.Null();
    return;
  }
  if (!with_count) {
    c.reply.Bulk(m->RandomNode(Draw)->field());
    return;
  }
  if (count < 0) {
    // Repeats allowed: exactly -count draws.
    uint64_t n = 0 - static_cast<uint64_t>(count);
    if (n > (1u << 24)) {
      c.Error("ERR value is out of range");
      return;
    }
    c.reply.Array(n);
    for (uint64_t i = 0; i < n; ++i) c.reply.Bulk(m->RandomNode(Draw)->field());
    return;
  }
  // Distinct members: all of them when count covers the set, else a random sample.
  std::vector<FieldNode*> all;
  all.reserve(m->size());
  m->ForEach([&](FieldNode* n) { all.push_back(n); });
  size_t n = std::min<size_t>(static_cast<size_t>(count), all.size());
  for (size_t i = 0; i < n; ++i) std::swap(all[i], all[i + Draw() % (all.size() - i)]);
  c.reply.Array(n);
  for (size_t i = 0; i < n; ++i) c.reply.Bulk(all[i]->field());
}

// The members of SINTER / SUNION / SDIFF over args[first..]; false when a key has another type.
bool Combine(CommandContext& c, size_t first, std::vector<std::string>* out) {
  std::string_view op = c.args[0];
  bool inter = IsOption(op.substr(0, 6), "SINTER"), uni = IsOption(op.substr(0, 6), "SUNION");
  std::vector<FieldTable*> sets;
  for (size_t i = first; i < c.args.size(); ++i) {
    bool wrong;
    sets.push_back(MembersOf(c.LookupTyped(c.args[i], Type::kSet, &wrong)));
    if (wrong) return false;
  }
  out->clear();
  if (inter) {
    for (FieldTable* s : sets) {
      if (!s) return true;
    }
    // Walk the smallest set, probe the others.
    auto smallest = std::min_element(sets.begin(), sets.end(), [](FieldTable* a, FieldTable* b) { return a->size() < b->size(); });
    (*smallest)->ForEach([&](FieldNode* n) {
      for (FieldTable* s : sets) {
        if (s != *smallest && !s->Find(n->field())) return;
      }
      out->emplace_back(n->field());
    });
    return true;
  }
  if (uni) {
    FieldTable seen;
    for (FieldTable* s : sets) {
      if (!s) continue;
      s->ForEach([&](FieldNode* n) {
        if (seen.Find(n->field())) return;
        seen.Insert(FieldNode::Make(n->field(), {}));
        out->emplace_back(n->field());
      });
    }
    return true;
  }
  if (!sets[0]) return true;
  sets[0]->ForEach([&](FieldNode* n) {
    for (size_t i = 1; i < sets.size(); ++i) {
      if (sets[i] && sets[i]->Find(n->field())) return;
    }
    out->emplace_back(n->field());
  });
  return true;
}

void SetAlgebra(CommandContext& c) {
  std::vector<std::string> members;
  if (!Combine(c, 1, &members)) return;
  c.reply.Set(members.size());
  for (const auto& m : members) c.reply.Bulk(m);
}

// SINTERSTORE, SUNIONSTORE, SDIFFSTORE destination key...
void SetAlgebraStore(CommandContext& c) {
  std::vector<std::string> members;
  if (!Combine(c, 2, &members)) return;
  std::string destination(c.args[1]);
  if (Entry* old = c.Lookup(destination)) c.Delete(old);
  std::vector<std::string_view> words{"DEL", destination};
  c.LogArgs(words);
  if (!members.empty()) {
    Entry* e = c.LookupOrCreate(destination, Type::kSet);
    words = {"SADD", destination};
    for (const auto& m : members) {
      MembersOf(e)->Insert(FieldNode::Make(m, {}));
      words.push_back(m);
    }
    c.LogArgs(words);
  }
  c.reply.Integer(static_cast<int64_t>(members.size()));
}

void SMove(CommandContext& c) {
  bool wrong;
  Entry* source = c.LookupTyped(c.args[1], Type::kSet, &wrong);
  if (wrong) return;
  Entry* target = c.LookupTyped(c.args[2], Type::kSet, &wrong);
  if (wrong) return;
  if (!source || !MembersOf(source)->Find(c.args[3])) {
    c.reply.Integer(0);
    return;
  }
  if (c.args[1] == c.args[2]) {
    c.reply.Integer(1);
    return;
  }
  FieldTraits::Free(MembersOf(source)->Remove(c.args[3]));
  c.Log({"SREM", c.args[1], c.args[3]});
  c.DeleteIfEmpty(source);
  if (!target) target = c.LookupOrCreate(c.args[2], Type::kSet);
  if (!MembersOf(target)->Find(c.args[3])) MembersOf(target)->Insert(FieldNode::Make(c.args[3], {}));
  c.Log({"SADD", c.args[2], c.args[3]});
  c.reply.Integer(1);
}

void SScan(CommandContext& c) {
  uint64_t cursor;
  ScanOptions o;
  if (!ParseScan(c, 2, false, &cursor, &o)) return;
  bool wrong;
  FieldTable* m = MembersOf(c.LookupTyped(c.args[1], Type::kSet, &wrong));
  if (wrong) return;
  std::vector<std::string_view> items;
  if (m) {
    cursor = ScanBuckets(*m, cursor, o.count, [&](FieldNode* n) {
      if (ScanMatches(o, n->field())) items.push_back(n->field());
    });
  } else {
    cursor = 0;
  }
  ReplyScan(c, cursor, items);
}

}  // namespace

void AddSetCommands(std::vector<CommandSpec>& t) {
  t.push_back({"sadd", -3, kWrite, 1, 1, 1, SAdd});
  t.push_back({"srem", -3, kWrite, 1, 1, 1, SRem});
  t.push_back({"smembers", 2, kReadOnly, 1, 1, 1, SMembers});
  t.push_back({"sismember", 3, kReadOnly, 1, 1, 1, SIsMember});
  t.push_back({"smismember", -3, kReadOnly, 1, 1, 1, SMIsMember});
  t.push_back({"scard", 2, kReadOnly, 1, 1, 1, SCard});
  t.push_back({"spop", -2, kWrite, 1, 1, 1, SPop});
  t.push_back({"srandmember", -2, kReadOnly, 1, 1, 1, SRandMember});
  t.push_back({"sinter", -2, kReadOnly, 1, -1, 1, SetAlgebra});
  t.push_back({"sunion", -2, kReadOnly, 1, -1, 1, SetAlgebra});
  t.push_back({"sdiff", -2, kReadOnly, 1, -1, 1, SetAlgebra});
  t.push_back({"sinterstore", -3, kWrite, 1, -1, 1, SetAlgebraStore});
  t.push_back({"sunionstore", -3, kWrite, 1, -1, 1, SetAlgebraStore});
  t.push_back({"sdiffstore", -3, kWrite, 1, -1, 1, SetAlgebraStore});
  t.push_back({"smove", 4, kWrite, 1, 2, 1, SMove});
  t.push_back({"sscan", -3, kReadOnly, 1, 1, 1, SScan});
}

}  // namespace lyt::kv
