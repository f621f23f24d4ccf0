// Lists (Redis's t_list.c semantics). BLPOP and BRPOP pop at once when they can; otherwise they
// set `would_block` and the front end parks the client until a key changes or time runs out.
#include <algorithm>
#include <cmath>

#include "kv/command.h"
#include "protocol/resp.h"

namespace lyt::kv {

namespace {

using Items = std::deque<std::string>;

Items* ListOf(Entry* e) { return e ? &e->container<ListValue>()->items : nullptr; }

// Normalizes Redis's [start, stop] with negative indexes to a half-open range within `size`;
// false when empty.
bool ClampRange(int64_t start, int64_t stop, size_t size, size_t* first, size_t* end) {
  int64_t n = static_cast<int64_t>(size);
  if (start < 0) start += n;
  if (stop < 0) stop += n;
  if (start < 0) start = 0;
  if (start > stop || start >= n) return false;
  if (stop >= n) stop = n - 1;
  *first = static_cast<size_t>(start);
  *end = static_cast<size_t>(stop) + 1;
  return true;
}

// LPUSH, RPUSH, LPUSHX, RPUSHX.
void Push(CommandContext& c) {
  std::string_view name = c.args[0];
  bool left = name[0] == 'l' || name[0] == 'L';
  bool only_existing = name.size() == 6;
  Entry* e;
  if (only_existing) {
    bool wrong;
    e = c.LookupTyped(c.args[1], Type::kList, &wrong);
    if (wrong) return;
    if (!e) {
      c.reply.Integer(0);
      return;
    }
  } else {
    e = c.LookupOrCreate(c.args[1], Type::kList);
    if (!e) return;
  }
  Items& items = *ListOf(e);
  for (size_t i = 2; i < c.args.size(); ++i) {
    if (left) items.emplace_front(c.args[i]);
    else items.emplace_back(c.args[i]);
  }
  c.Log();
  c.reply.Integer(static_cast<int64_t>(items.size()));
}

// LPOP, RPOP with an optional count.
void Pop(CommandContext& c) {
  bool left = c.args[0][0] == 'l' || c.args[0][0] == 'L';
  if (c.args.size() > 3) {
    c.Error(std::string("ERR wrong number of arguments for '") + (left ? "lpop" : "rpop") + "' command");
    return;
  }
  int64_t count;
  bool with_count;
  if (!ParsePopCount(c, &count, &with_count)) return;
  bool wrong;
  Entry* e = c.LookupTyped(c.args[1], Type::kList, &wrong);
  if (wrong) return;
  if (!e) {
    with_count ? c.reply.NullArray() : c.reply.Null();
    return;
  }
  Items& items = *ListOf(e);
  size_t n = std::min<size_t>(static_cast<size_t>(count), items.size());
  if (with_count) c.reply.Array(n);
  for (size_t i = 0; i < n; ++i) {
    if (left) {
      c.reply.Bulk(items.front());
      items.pop_front();
    } else {
      c.reply.Bulk(items.back());
      items.pop_back();
    }
  }
  if (n > 0) {
    c.Log();
    c.DeleteIfEmpty(e);
  }
}

// BLPOP, BRPOP: key... timeout.
void BlockingPop(CommandContext& c) {
  double timeout;
  if (!ParseFiniteOrInfDouble(c.args.back(), &timeout) || std::isinf(timeout)) {
    c.Error("ERR timeout is not a float or out of range");
    return;
  }
  if (timeout < 0) {
    c.Error("ERR timeout is negative");
    return;
  }
  bool left = c.args[0][1] == 'l' || c.args[0][1] == 'L';
  for (size_t i = 1; i + 1 < c.args.size(); ++i) {
    bool wrong;
    Entry* e = c.LookupTyped(c.args[i], Type::kList, &wrong);
    if (wrong) return;
    if (!e) continue;
    Items& items = *ListOf(e);
    c.reply.Array(2);
    c.reply.Bulk(c.args[i]);
    if (left) {
      c.reply.Bulk(items.front());
      items.pop_front();
    } else {
      c.reply.Bulk(items.back());
      items.pop_back();
    }
    c.Log({left ? "LPOP" : "RPOP", c.args[i]});
    c.DeleteIfEmpty(e);
    return;
  }
  c.would_block = true;
}

void LRange(CommandContext& c) {
  int64_t start, stop;
  if (!c.ParseInt(c.args[2], &start) || !c.ParseInt(c.args[3], &stop)) return;
  bool wrong;
  Items* items = ListOf(c.LookupTyped(c.args[1], Type::kList, &wrong));
  if (wrong) return;
  size_t first, end;
  if (!items || !ClampRange(start, stop, items->size(), &first, &end)) {
    c.reply.Array(0);
    return;
  }
  c.reply.Array(end - first);
  for (size_t i = first; i < end; ++i) c.reply.Bulk((*items)[i]);
}

void LLen(CommandContext& c) {
  bool wrong;
  Items* items = ListOf(c.LookupTyped(c.args[1], Type::kList, &wrong));
  if (!wrong) c.reply.Integer(items ? static_cast<int64_t>(items->size()) : 0);
}

// The position of index `index` (negative from the end); false when out of range.
bool Position(int64_t index, size_t size, size_t* pos) {
  int64_t n = static_cast<int64_t>(size);
  if (index < 0) index += n;
  if (index < 0 || index >= n) return false;
  *pos = static_cast<size_t>(index);
  return true;
}

void LIndex(CommandContext& c) {
  int64_t index;
  if (!c.ParseInt(c.args[2], &index)) return;
  bool wrong;
  Items* items = ListOf(c.LookupTyped(c.args[1], Type::kList, &wrong));
  if (wrong) return;
  size_t pos;
  if (!items || !Position(index, items->size(), &pos)) c.reply.Null();
  else c.reply.Bulk((*items)[pos]);
}

void LSet(CommandContext& c) {
  int64_t index;
  if (!c.ParseInt(c.args[2], &index)) return;
  bool wrong;
  Items* items = ListOf(c.LookupTyped(c.args[1], Type::kList, &wrong));
  if (wrong) return;
  if (!items) {
    c.Error("ERR no such key");
    return;
  }
  size_t pos;
  if (!Position(index, items->size(), &pos)) {
    c.Error("ERR index out of range");
    return;
  }
  (*items)[pos].assign(c.args[3]);
  c.Log();
  c.reply.Ok();
}

void LRem(CommandContext& c) {
  int64_t count;
  if (!c.ParseInt(c.args[2], &count)) return;
  bool wrong;
  Entry* e = c.LookupTyped(c.args[1], Type::kList, &wrong);
  if (wrong) return;
  if (!e) {
    c.reply.Integer(0);
    return;
  }
  Items& items = *ListOf(e);
  std::string_view value = c.args[3];
  uint64_t limit = count == 0 ? UINT64_MAX : (count < 0 ? 0 - static_cast<uint64_t>(count) : static_cast<uint64_t>(count));
  uint64_t removed = 0;
  if (count >= 0) {
    for (auto it = items.begin(); it != items.end() && removed < limit;) {
      if (*it == value) {
        it = items.erase(it);
        ++removed;
      } else {
        ++it;
      }
    }
  } else {
    for (size_t i = items.size(); i-- > 0 && removed < limit;) {
      if (items[i] == value) {
        items.erase(items.begin() + static_cast<ptrdiff_t>(i));
        ++removed;
      }
    }
  }
  if (removed > 0) {
    c.Log();
    c.DeleteIfEmpty(e);
  }
  c.reply.Integer(static_cast<int64_t>(removed));
}

void LTrim(CommandContext& c) {
  int64_t start, stop;
  if (!c.ParseInt(c.args[2], &start) || !c.ParseInt(c.args[3], &stop)) return;
  bool wrong;
  Entry* e = c.LookupTyped(c.args[1], Type::kList, &wrong);
  if (wrong) return;
  if (e) {
    Items& items = *ListOf(e);
    size_t first, end;
    if (!ClampRange(start, stop, items.size(), &first, &end)) {
      items.clear();
    } else {
      items.erase(items.begin() + static_cast<ptrdiff_t>(end), items.end());
      items.erase(items.begin(), items.begin() + static_cast<ptrdiff_t>(first));
    }
    c.Log();
    c.DeleteIfEmpty(e);
  }
  c.reply.Ok();
}

void LInsert(CommandContext& c) {
  bool before = IsOption(c.args[2], "BEFORE");
  if (!before && !IsOption(c.args[2], "AFTER")) {
    c.SyntaxError();
    return;
  }
  bool wrong;
  Entry* e = c.LookupTyped(c.args[1], Type::kList, &wrong);
  if (wrong) return;
  if (!e) {
    c.reply.Integer(0);
    return;
  }
  Items& items = *ListOf(e);
  auto it = std::find(items.begin(), items.end(), c.args[3]);
  if (it == items.end()) {
    c.reply.Integer(-1);
    return;
  }
  items.emplace(before ? it : it + 1, c.args[4]);
  c.Log();
  c.reply.Integer(static_cast<int64_t>(items.size()));
}

}  // namespace

void AddListCommands(std::vector<CommandSpec>& t) {
  t.push_back({"lpush", -3, kWrite, 1, 1, 1, Push});
  t.push_back({"rpush", -3, kWrite, 1, 1, 1, Push});
  t.push_back({"lpushx", -3, kWrite, 1, 1, 1, Push});
  t.push_back({"rpushx", -3, kWrite, 1, 1, 1, Push});
  t.push_back({"lpop", -2, kWrite, 1, 1, 1, Pop});
  t.push_back({"rpop", -2, kWrite, 1, 1, 1, Pop});
  t.push_back({"blpop", -3, kWrite | kBlocking, 1, -2, 1, BlockingPop});
  t.push_back({"brpop", -3, kWrite | kBlocking, 1, -2, 1, BlockingPop});
  t.push_back({"lrange", 4, kReadOnly, 1, 1, 1, LRange});
  t.push_back({"llen", 2, kReadOnly, 1, 1, 1, LLen});
  t.push_back({"lindex", 3, kReadOnly, 1, 1, 1, LIndex});
  t.push_back({"lset", 4, kWrite, 1, 1, 1, LSet});
  t.push_back({"lrem", 4, kWrite, 1, 1, 1, LRem});
  t.push_back({"ltrim", 4, kWrite, 1, 1, 1, LTrim});
  t.push_back({"linsert", 5, kWrite, 1, 1, 1, LInsert});
}

}  // namespace lyt::kv
