// Sorted sets (Redis's t_zset.c semantics) over kv::SortedSet.
#include <cmath>
#include <limits>

#include "kv/command.h"
#include "kv/sorted_set.h"
#include "protocol/resp.h"

namespace lyt::kv {

namespace {

SortedSet* ZSetOf(Entry* e) { return e ? e->container<SortedSet>() : nullptr; }

SortedSet* ReadZSet(CommandContext& c, bool* wrong) { return ZSetOf(c.LookupTyped(c.args[1], Type::kZSet, wrong)); }

// "1.5", "(1.5", "-inf", "+inf".
bool ParseScoreBound(std::string_view text, ScoreBound* out) {
  out->exclusive = !text.empty() && text[0] == '(';
  if (out->exclusive) text.remove_prefix(1);
  return ParseFiniteOrInfDouble(text, &out->value);
}

bool ParseLexBound(std::string_view text, LexBound* out) {
  if (text == "-") {
    out->kind = LexBound::Kind::kMinusInf;
  } else if (text == "+") {
    out->kind = LexBound::Kind::kPlusInf;
  } else if (!text.empty() && (text[0] == '[' || text[0] == '(')) {
    out->kind = text[0] == '[' ? LexBound::Kind::kInclusive : LexBound::Kind::kExclusive;
    out->value.assign(text.substr(1));
  } else {
    return false;
  }
  return true;
}

// A member and its score as ZRANGE ... WITHSCORES writes them: flat in RESP2, a pair in RESP3.
void ReplyScored(CommandContext& c, std::string_view member, double score, bool nested) {
  if (nested) c.reply.Array(2);
  c.reply.Bulk(member);
  c.reply.Double(score);
}

void ZAdd(CommandContext& c) {
  bool nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
  size_t i = 2;
  for (; i < c.args.size(); ++i) {
    std::string_view a = c.args[i];
    if (IsOption(a, "NX")) nx = true;
    else if (IsOption(a, "XX")) xx = true;
    else if (IsOption(a, "GT")) gt = true;
    else if (IsOption(a, "LT")) lt = true;
    else if (IsOption(a, "CH")) ch = true;
    else if (IsOption(a, "INCR")) incr = true;
    else break;
  }
  size_t pairs_words = c.args.size() - i;
  if (pairs_words == 0 || pairs_words % 2 != 0) {
    c.SyntaxError();
    return;
  }
  if (nx && xx) {
    c.Error("ERR XX and NX options at the same time are not compatible");
    return;
  }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    c.Error("ERR GT, LT, and/or NX options at the same time are not compatible");
    return;
  }
  if (incr && pairs_words != 2) {
    c.Error("ERR INCR option supports a single increment-element pair");
    return;
  }
  std::vector<double> scores;
  for (size_t j = i; j < c.args.size(); j += 2) {
    double score;
    if (!c.ParseDouble(c.args[j], &score)) return;
    scores.push_back(score);
  }
  Entry* e = nullptr;
  bool wrong;
  e = c.LookupTyped(c.args[1], Type::kZSet, &wrong);
  if (wrong) return;
  if (!e && xx) {
    incr ? c.reply.Null() : c.reply.Integer(0);
    return;
  }
  if (!e) e = c.LookupOrCreate(c.args[1], Type::kZSet);
  SortedSet& zs = *ZSetOf(e);
  int64_t added = 0, changed = 0;
  double result = 0;
  bool performed = false;
  for (size_t k = 0; k < scores.size(); ++k) {
    std::string_view member = c.args[i + 2 * k + 1];
    double score = scores[k];
    std::optional<double> current = zs.Score(member);
    if ((current && nx) || (!current && xx)) continue;
    if (incr) {
      score += current.value_or(0);
      if (std::isnan(score)) {
        c.Error("ERR resulting score is not a number (NaN)");
        c.DeleteIfEmpty(e);
        return;
      }
    }
    if (current && ((gt && score <= *current) || (lt && score >= *current))) continue;
    performed = true;
    result = score;
    if (!current) {
      zs.Set(member, score);
      ++added;
    } else if (*current != score) {
      zs.Set(member, score);
      ++changed;
    }
  }
  if (added + changed > 0) c.Log();
  c.DeleteIfEmpty(e);
  if (incr) {
    performed ? c.reply.Double(result) : c.reply.Null();
  } else {
    c.reply.Integer(ch ? added + changed : added);
  }
}

void ZIncrBy(CommandContext& c) {
  double delta;
  if (!c.ParseDouble(c.args[2], &delta)) return;
  Entry* e = c.LookupOrCreate(c.args[1], Type::kZSet);
  if (!e) return;
  SortedSet& zs = *ZSetOf(e);
  double score = zs.Score(c.args[3]).value_or(0) + delta;
  if (std::isnan(score)) {
    c.Error("ERR resulting score is not a number (NaN)");
    c.DeleteIfEmpty(e);
    return;
  }
  zs.Set(c.args[3], score);
  c.Log();
  c.reply.Double(score);
}

void ZRem(CommandContext& c) {
  RemoveMembers(c, Type::kZSet, "ZREM", [](Entry* e, std::string_view member) { return ZSetOf(e)->Remove(member); });
}

void ZScore(CommandContext& c) {
  bool wrong;
  SortedSet* zs = ReadZSet(c, &wrong);
  if (wrong) return;
  std::optional<double> score = zs ? zs->Score(c.args[2]) : std::nullopt;
  score ? c.reply.Double(*score) : c.reply.Null();
}

void ZMScore(CommandContext& c) {
  bool wrong;
  SortedSet* zs = ReadZSet(c, &wrong);
  if (wrong) return;
  c.reply.Array(c.args.size() - 2);
  for (size_t i = 2; i < c.args.size(); ++i) {
    std::optional<double> score = zs ? zs->Score(c.args[i]) : std::nullopt;
    score ? c.reply.Double(*score) : c.reply.Null();
  }
}

void ZCard(CommandContext& c) {
  bool wrong;
  SortedSet* zs = ReadZSet(c, &wrong);
  if (!wrong) c.reply.Integer(zs ? static_cast<int64_t>(zs->size()) : 0);
}

// ZRANK, ZREVRANK.
void ZRank(CommandContext& c) {
  bool wrong;
  SortedSet* zs = ReadZSet(c, &wrong);
  if (wrong) return;
  std::optional<size_t> rank = zs ? zs->Rank(c.args[2]) : std::nullopt;
  if (!rank) {
    c.reply.Null();
    return;
  }
  bool reverse = IsOption(c.args[0], "ZREVRANK");
  c.reply.Integer(static_cast<int64_t>(reverse ? zs->size() - 1 - *rank : *rank));
}

void ZCount(CommandContext& c) {
  ScoreBound min, max;
  if (!ParseScoreBound(c.args[2], &min) || !ParseScoreBound(c.args[3], &max)) {
    c.Error("ERR min or max is not a float");
    return;
  }
  bool wrong;
  SortedSet* zs = ReadZSet(c, &wrong);
  if (!wrong) c.reply.Integer(zs ? static_cast<int64_t>(zs->CountByScore(min, max)) : 0);
}

void ZLexCount(CommandContext& c) {
  LexBound min, max;
  if (!ParseLexBound(c.args[2], &min) || !ParseLexBound(c.args[3], &max)) {
    c.Error("ERR min or max not valid string range item");
    return;
  }
  bool wrong;
  SortedSet* zs = ReadZSet(c, &wrong);
  if (!wrong) c.reply.Integer(zs ? static_cast<int64_t>(zs->CountByLex(min, max)) : 0);
}

enum class RangeBy { kRank, kScore, kLex };

struct RangeRequest {
  RangeBy by = RangeBy::kRank;
  bool reverse = false;
  bool with_scores = false;
  bool has_limit = false;
  int64_t offset = 0;
  int64_t count = -1;
};

// Runs a range over args[1] (key), `start` and `stop` (already in min/max order for scores and
// lex, i.e. swapped for REV by the caller) and replies.
void ReplyRange(CommandContext& c, std::string_view start, std::string_view stop, const RangeRequest& r) {
  bool nested = c.reply.protocol() == resp::Protocol::kResp3 && r.with_scores;
  std::vector<std::pair<std::string_view, double>> found;
  auto collect = [&](std::string_view member, double score) { found.emplace_back(member, score); };
  size_t offset = static_cast<size_t>(std::max<int64_t>(r.offset, 0));
  size_t limit = r.count < 0 ? SIZE_MAX : static_cast<size_t>(r.count);
  if (r.by == RangeBy::kRank) {
    int64_t first, last;
    if (!c.ParseInt(start, &first) || !c.ParseInt(stop, &last)) return;
    bool wrong;
    SortedSet* zs = ReadZSet(c, &wrong);
    if (wrong) return;
    int64_t n = zs ? static_cast<int64_t>(zs->size()) : 0;
    if (first < 0) first += n;
    if (last < 0) last += n;
    if (first < 0) first = 0;
    if (zs && first <= last && first < n) {
      if (last >= n) last = n - 1;
      zs->ForRanks(static_cast<size_t>(first), static_cast<size_t>(last), r.reverse, collect);
    }
  } else if (r.by == RangeBy::kScore) {
    ScoreBound min, max;
    if (!ParseScoreBound(start, &min) || !ParseScoreBound(stop, &max)) {
      c.Error("ERR min or max is not a float");
      return;
    }
    bool wrong;
    SortedSet* zs = ReadZSet(c, &wrong);
    if (wrong) return;
    if (zs && r.offset >= 0) zs->ForScoreRange(min, max, r.reverse, offset, limit, collect);
  } else {
    LexBound min, max;
    if (!ParseLexBound(start, &min) || !ParseLexBound(stop, &max)) {
      c.Error("ERR min or max not valid string range item");
      return;
    }
    bool wrong;
    SortedSet* zs = ReadZSet(c, &wrong);
    if (wrong) return;
    if (zs && r.offset >= 0) zs->ForLexRange(min, max, r.reverse, offset, limit, collect);
  }
  c.reply.Array(r.with_scores && !nested ? found.size() * 2 : found.size());
  for (auto& [member, score] : found) {
    if (r.with_scores) ReplyScored(c, member, score, nested);
    else c.reply.Bulk(member);
  }
}

// Parses [WITHSCORES] [LIMIT offset count] (and, for ZRANGE, BYSCORE BYLEX REV) from args[from].
bool ParseRangeOptions(CommandContext& c, size_t from, bool zrange, RangeRequest* r) {
  for (size_t i = from; i < c.args.size(); ++i) {
    std::string_view a = c.args[i];
    if (IsOption(a, "WITHSCORES")) {
      r->with_scores = true;
    } else if (IsOption(a, "LIMIT") && i + 2 < c.args.size()) {
      if (!c.ParseInt(c.args[i + 1], &r->offset) || !c.ParseInt(c.args[i + 2], &r->count)) return false;
      r->has_limit = true;
      i += 2;
    } else if (zrange && IsOption(a, "BYSCORE")) {
      r->by = RangeBy::kScore;
    } else if (zrange && IsOption(a, "BYLEX")) {
      r->by = RangeBy::kLex;
    } else if (zrange && IsOption(a, "REV")) {
      r->reverse = true;
    } else {
      c.SyntaxError();
      return false;
    }
  }
  if (r->has_limit && r->by == RangeBy::kRank) {
    c.Error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
    return false;
  }
  if (r->with_scores && r->by == RangeBy::kLex) {
    c.Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    return false;
  }
  return true;
}

void ZRange(CommandContext& c) {
  RangeRequest r;
  if (!ParseRangeOptions(c, 4, true, &r)) return;
  // With REV, BYSCORE and BYLEX take the upper end first.
  bool swap = r.reverse && r.by != RangeBy::kRank;
  ReplyRange(c, swap ? c.args[3] : c.args[2], swap ? c.args[2] : c.args[3], r);
}

// ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX: the older spellings.
void ZRangeLegacy(CommandContext& c) {
  std::string_view name = c.args[0];
  RangeRequest r;
  r.reverse = IsOption(name.substr(0, 4), "ZREV");
  bool by_score = name.size() >= 10 && IsOption(name.substr(name.size() - 7), "BYSCORE");
  bool by_lex = IsOption(name.substr(name.size() - 5), "BYLEX");
  r.by = by_score ? RangeBy::kScore : by_lex ? RangeBy::kLex : RangeBy::kRank;
  if (r.by == RangeBy::kRank) {
    if (c.args.size() > 5 || (c.args.size() == 5 && !IsOption(c.args[4], "WITHSCORES"))) {
      c.SyntaxError();
      return;
    }
    r.with_scores = c.args.size() == 5;
  } else if (!ParseRangeOptions(c, 4, false, &r)) {
    return;
  }
  bool swap = r.reverse && r.by != RangeBy::kRank;
  ReplyRange(c, swap ? c.args[3] : c.args[2], swap ? c.args[2] : c.args[3], r);
}

// ZPOPMIN, ZPOPMAX [count].
void ZPop(CommandContext& c) {
  bool highest = IsOption(c.args[0], "ZPOPMAX");
  if (c.args.size() > 3) {
    c.SyntaxError();
    return;
  }
  int64_t count;
  bool with_count;
  if (!ParsePopCount(c, &count, &with_count)) return;
  bool wrong;
  Entry* e = c.LookupTyped(c.args[1], Type::kZSet, &wrong);
  if (wrong) return;
  bool nested = with_count && c.reply.protocol() == resp::Protocol::kResp3;
  if (!e) {
    c.reply.Array(0);
    return;
  }
  auto popped = highest ? ZSetOf(e)->PopMax(static_cast<size_t>(count)) : ZSetOf(e)->PopMin(static_cast<size_t>(count));
  c.reply.Array(nested ? popped.size() : popped.size() * 2);
  std::vector<std::string_view> words{"ZREM", c.args[1]};
  for (auto& [member, score] : popped) {
    ReplyScored(c, member, score, nested);
    words.push_back(member);
  }
  if (!popped.empty()) {
    c.LogArgs(words);
    c.DeleteIfEmpty(e);
  }
}

// ZREMRANGEBYSCORE, ZREMRANGEBYRANK, ZREMRANGEBYLEX.
void ZRemRange(CommandContext& c) {
  std::string_view name = c.args[0];
  RangeRequest r;
  r.by = IsOption(name.substr(name.size() - 5), "BYLEX") ? RangeBy::kLex : IsOption(name.substr(name.size() - 6), "BYRANK") ? RangeBy::kRank : RangeBy::kScore;
  bool wrong;
  Entry* e = c.LookupTyped(c.args[1], Type::kZSet, &wrong);
  if (wrong) return;
  std::vector<std::string> members;
  if (e) {
    SortedSet& zs = *ZSetOf(e);
    auto collect = [&](std::string_view member, double) { members.emplace_back(member); };
    if (r.by == RangeBy::kRank) {
      int64_t first, last;
      if (!c.ParseInt(c.args[2], &first) || !c.ParseInt(c.args[3], &last)) return;
      int64_t n = static_cast<int64_t>(zs.size());
      if (first < 0) first += n;
      if (last < 0) last += n;
      if (first < 0) first = 0;
      if (first <= last && first < n) zs.ForRanks(static_cast<size_t>(first), static_cast<size_t>(std::min(last, n - 1)), false, collect);
    } else if (r.by == RangeBy::kScore) {
      ScoreBound min, max;
      if (!ParseScoreBound(c.args[2], &min) || !ParseScoreBound(c.args[3], &max)) {
        c.Error("ERR min or max is not a float");
        return;
      }
      zs.ForScoreRange(min, max, false, 0, SIZE_MAX, collect);
    } else {
      LexBound min, max;
      if (!ParseLexBound(c.args[2], &min) || !ParseLexBound(c.args[3], &max)) {
        c.Error("ERR min or max not valid string range item");
        return;
      }
      zs.ForLexRange(min, max, false, 0, SIZE_MAX, collect);
    }
    if (!members.empty()) {
      std::vector<std::string_view> words{"ZREM", c.args[1]};
      for (const auto& m : members) {
        zs.Remove(m);
        words.push_back(m);
      }
      c.LogArgs(words);
      c.DeleteIfEmpty(e);
    }
  }
  c.reply.Integer(static_cast<int64_t>(members.size()));
}

void ZScan(CommandContext& c) {
  uint64_t cursor;
  ScanOptions o;
  if (!ParseScan(c, 2, false, &cursor, &o)) return;
  bool wrong;
  SortedSet* zs = ReadZSet(c, &wrong);
  if (wrong) return;
  // The cursor is a rank: entries added or removed meanwhile may shift what a later call sees.
  std::vector<std::pair<std::string_view, double>> found;
  uint64_t next = 0;
  if (zs && cursor < zs->size()) {
    size_t last = std::min<size_t>(zs->size() - 1, cursor + static_cast<uint64_t>(o.count) - 1);
    zs->ForRanks(cursor, last, false, [&](std::string_view member, double score) {
      if (ScanMatches(o, member)) found.emplace_back(member, score);
    });
    next = last + 1 >= zs->size() ? 0 : last + 1;
  }
  std::vector<std::string> scores;
  for (auto& f : found) scores.push_back(resp::FormatDouble(f.second));
  std::vector<std::string_view> items;
  for (size_t i = 0; i < found.size(); ++i) {
    items.push_back(found[i].first);
    items.push_back(scores[i]);
  }
  ReplyScan(c, next, items);
}

}  // namespace

void AddZSetCommands(std::vector<CommandSpec>& t) {
  t.push_back({"zadd", -4, kWrite, 1, 1, 1, ZAdd});
  t.push_back({"zincrby", 4, kWrite, 1, 1, 1, ZIncrBy});
  t.push_back({"zrem", -3, kWrite, 1, 1, 1, ZRem});
  t.push_back({"zscore", 3, kReadOnly, 1, 1, 1, ZScore});
  t.push_back({"zmscore", -3, kReadOnly, 1, 1, 1, ZMScore});
  t.push_back({"zcard", 2, kReadOnly, 1, 1, 1, ZCard});
  t.push_back({"zrank", 3, kReadOnly, 1, 1, 1, ZRank});
  t.push_back({"zrevrank", 3, kReadOnly, 1, 1, 1, ZRank});
  t.push_back({"zcount", 4, kReadOnly, 1, 1, 1, ZCount});
  t.push_back({"zlexcount", 4, kReadOnly, 1, 1, 1, ZLexCount});
  t.push_back({"zrange", -4, kReadOnly, 1, 1, 1, ZRange});
  t.push_back({"zrevrange", -4, kReadOnly, 1, 1, 1, ZRangeLegacy});
  t.push_back({"zrangebyscore", -4, kReadOnly, 1, 1, 1, ZRangeLegacy});
  t.push_back({"zrevrangebyscore", -4, kReadOnly, 1, 1, 1, ZRangeLegacy});
  t.push_back({"zrangebylex", -4, kReadOnly, 1, 1, 1, ZRangeLegacy});
  t.push_back({"zrevrangebylex", -4, kReadOnly, 1, 1, 1, ZRangeLegacy});
  t.push_back({"zpopmin", -2, kWrite, 1, 1, 1, ZPop});
  t.push_back({"zpopmax", -2, kWrite, 1, 1, 1, ZPop});
  t.push_back({"zremrangebyscore", 4, kWrite, 1, 1, 1, ZRemRange});
  t.push_back({"zremrangebyrank", 4, kWrite, 1, 1, 1, ZRemRange});
  t.push_back({"zremrangebylex", 4, kWrite, 1, 1, 1, ZRemRange});
  t.push_back({"zscan", -3, kReadOnly, 1, 1, 1, ZScan});
}

}  // namespace lyt::kv
