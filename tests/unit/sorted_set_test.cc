#include "kv/sorted_set.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define LYT_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LYT_SANITIZED 1
#endif
#endif

namespace lyt::kv {
namespace {

using Entries = std::vector<std::pair<std::string, double>>;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr size_t kAll = SIZE_MAX;

LexBound Incl(std::string v) {
  return {LexBound::Kind::kInclusive, std::move(v)};
}
LexBound Excl(std::string v) {
  return {LexBound::Kind::kExclusive, std::move(v)};
}
const LexBound kMinusInf{LexBound::Kind::kMinusInf, ""};
const LexBound kPlusInf{LexBound::Kind::kPlusInf, ""};

// Equal entries: same member, same score bits (so -0.0 and 0.0 differ here).
bool SameEntries(const Entries& a, const Entries& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].first != b[i].first || a[i].second != b[i].second) return false;
    if (std::signbit(a[i].second) != std::signbit(b[i].second)) return false;
  }
  return true;
}

Entries All(const SortedSet& s) {
  Entries out;
  s.ForEach([&](std::string_view m, double score) { out.emplace_back(m, score); });
  return out;
}

Entries Ranks(const SortedSet& s, size_t first, size_t last, bool reverse) {
  Entries out;
  s.ForRanks(first, last, reverse, [&](std::string_view m, double score) { out.emplace_back(m, score); });
  return out;
}

Entries ByScore(const SortedSet& s, ScoreBound min, ScoreBound max, bool reverse, size_t offset = 0,
                size_t limit = kAll) {
  Entries out;
  s.ForScoreRange(min, max, reverse, offset, limit,
                  [&](std::string_view m, double score) { out.emplace_back(m, score); });
  return out;
}

Entries ByLex(const SortedSet& s, const LexBound& min, const LexBound& max, bool reverse, size_t offset = 0,
              size_t limit = kAll) {
  Entries out;
  s.ForLexRange(min, max, reverse, offset, limit,
                [&](std::string_view m, double score) { out.emplace_back(m, score); });
  return out;
}

std::vector<std::string> Members(const Entries& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.first);
  return out;
}

// ---- The naive reference: a sorted vector and a map ----

bool EntryLess(const std::pair<std::string, double>& a, const std::pair<std::string, double>& b) {
  if (a.second != b.second) return a.second < b.second;
  return a.first < b.first;  // std::string compares bytes as unsigned: memcmp order
}

struct Reference {
  std::map<std::string, double> scores;
  Entries sorted;

  bool Set(const std::string& m, double score) {
    auto it = scores.find(m);
    if (it != scores.end()) {
      if (it->second == score) return false;  // as Redis: an equal score (±0 too) stays as it was
      Erase(m, it->second);
      it->second = score;
      Insert(m, score);
      return false;
    }
    scores[m] = score;
    Insert(m, score);
    return true;
  }
  bool Remove(const std::string& m) {
    auto it = scores.find(m);
    if (it == scores.end()) return false;
    Erase(m, it->second);
    scores.erase(it);
    return true;
  }
  void Insert(const std::string& m, double score) {
    std::pair<std::string, double> e{m, score};
    sorted.insert(std::lower_bound(sorted.begin(), sorted.end(), e, EntryLess), e);
  }
  void Erase(const std::string& m, double score) {
    sorted.erase(std::lower_bound(sorted.begin(), sorted.end(), std::pair<std::string, double>{m, score}, EntryLess));
  }
  std::optional<size_t> Rank(const std::string& m) const {
    auto it = scores.find(m);
    if (it == scores.end()) return std::nullopt;
    return std::lower_bound(sorted.begin(), sorted.end(), std::pair<std::string, double>{m, it->second}, EntryLess) -
           sorted.begin();
  }
  template <class Pred>
  Entries Filter(const Pred& in_range, bool reverse, size_t offset, size_t limit) const {
    Entries matching;
    for (const auto& e : sorted) {
      if (in_range(e)) matching.push_back(e);
    }
    if (reverse) std::reverse(matching.begin(), matching.end());
    Entries out;
    for (size_t i = offset; i < matching.size() && out.size() < limit; ++i) out.push_back(matching[i]);
    return out;
  }
  Entries ByScore(ScoreBound min, ScoreBound max, bool reverse, size_t offset, size_t limit) const {
    return Filter(
        [&](const auto& e) {
          bool above = min.exclusive ? e.second > min.value : e.second >= min.value;
          bool below = max.exclusive ? e.second < max.value : e.second <= max.value;
          return above && below;
        },
        reverse, offset, limit);
  }
  Entries ByLex(const LexBound& min, const LexBound& max, bool reverse, size_t offset, size_t limit) const {
    return Filter([&](const auto& e) { return AboveMin(min, e.first) && BelowMax(max, e.first); }, reverse, offset,
                  limit);
  }
  static bool AboveMin(const LexBound& b, const std::string& m) {
    switch (b.kind) {
      case LexBound::Kind::kInclusive:
        return m >= b.value;
      case LexBound::Kind::kExclusive:
        return m > b.value;
      case LexBound::Kind::kMinusInf:
        return true;
      case LexBound::Kind::kPlusInf:
        return false;
    }
    return false;
  }
  static bool BelowMax(const LexBound& b, const std::string& m) {
    switch (b.kind) {
      case LexBound::Kind::kInclusive:
        return m <= b.value;
      case LexBound::Kind::kExclusive:
        return m < b.value;
      case LexBound::Kind::kMinusInf:
        return false;
      case LexBound::Kind::kPlusInf:
        return true;
    }
    return false;
  }
  Entries Ranks(size_t first, size_t last, bool reverse) const {
    Entries view = sorted;
    if (reverse) std::reverse(view.begin(), view.end());
    Entries out;
    for (size_t i = first; i <= last && i < view.size(); ++i) out.push_back(view[i]);
    return out;
  }
  Entries Pop(size_t count, bool highest) {
    Entries out = Ranks(0, count == 0 ? 0 : count - 1, highest);
    if (count == 0) out.clear();
    for (const auto& e : out) Remove(e.first);
    return out;
  }
};

// Every entry in order, every member's rank and score.
void ExpectSame(const SortedSet& s, const Reference& ref) {
  ASSERT_EQ(s.size(), ref.sorted.size());
  ASSERT_TRUE(SameEntries(All(s), ref.sorted));
  for (size_t i = 0; i < ref.sorted.size(); ++i) {
    ASSERT_EQ(s.Rank(ref.sorted[i].first), i);
    ASSERT_EQ(s.Score(ref.sorted[i].first), ref.sorted[i].second);
  }
}

// ---- Random inputs: short members over {NUL, 'a', 'b', 0xff} share prefixes and collide ----

struct Random {
  std::mt19937_64 gen{20240611};

  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(gen); }
  std::string Member() {
    static const char kAlphabet[] = {'\0', 'a', 'b', '\xff'};
    std::string m(Below(7), ' ');
    for (char& c : m) c = kAlphabet[Below(4)];
    return m;
  }
  double Score() {
    static const double kPool[] = {-kInf, kInf, -0.0, 0.0, 1.5, -2.0, 1e300, -1e300, 0.25};
    return Below(3) == 0 ? kPool[Below(std::size(kPool))] : static_cast<double>(Below(40)) - 10;
  }
  ScoreBound ScoreLimit() { return {Score(), Below(2) == 0}; }
  LexBound LexLimit() {
    switch (Below(8)) {
      case 0:
        return kMinusInf;
      case 1:
        return kPlusInf;
      case 2:
      case 3:
      case 4:
        return Excl(Member());
      default:
        return Incl(Member());
    }
  }
  size_t Offset() { return Below(4) == 0 ? Below(3000) : Below(5); }
  size_t Limit() {
    switch (Below(4)) {
      case 0:
        return kAll;
      case 1:
        return Below(3);
      default:
        return Below(200);
    }
  }
};

// ~50k random operations of every kind against the reference, the set growing and shrinking by
// turns (so that leaves and inner nodes split, merge and share entries).
TEST(SortedSet, MatchesAReferenceUnderRandomOperations) {
  Random rnd;
  SortedSet s;
  Reference ref;
  for (int op = 0; op < 50000; ++op) {
    bool growing = (op / 5000) % 2 == 0;
    size_t kind = rnd.Below(16);
    bool reverse = rnd.Below(2) == 0;
    if (kind < (growing ? 7u : 3u)) {
      std::string m = rnd.Member();
      double score = rnd.Score();
      ASSERT_EQ(s.Set(m, score), ref.Set(m, score));
    } else if (kind < 8) {
      std::string m = rnd.Member();
      ASSERT_EQ(s.Remove(m), ref.Remove(m));
    } else if (kind == 8) {
      std::string m = rnd.Member();
      ASSERT_EQ(s.Score(m), ref.scores.count(m) ? std::optional<double>(ref.scores[m]) : std::nullopt);
      ASSERT_EQ(s.Rank(m), ref.Rank(m));
    } else if (kind == 9) {
      size_t first = rnd.Below(s.size() + 5), last = rnd.Below(s.size() + 5);
      ASSERT_TRUE(SameEntries(Ranks(s, first, last, reverse), ref.Ranks(first, last, reverse)));
    } else if (kind == 10 || kind == 11) {
      ScoreBound min = rnd.ScoreLimit(), max = rnd.ScoreLimit();
      size_t offset = rnd.Offset(), limit = rnd.Limit();
      Entries expected = ref.ByScore(min, max, reverse, offset, limit);
      ASSERT_TRUE(SameEntries(ByScore(s, min, max, reverse, offset, limit), expected));
      ASSERT_EQ(s.CountByScore(min, max), ref.ByScore(min, max, false, 0, kAll).size());
    } else if (kind == 12) {
      // BYLEX over mixed scores: unspecified entries, but consistent and safe.
      LexBound min = rnd.LexLimit(), max = rnd.LexLimit();
      size_t count = s.CountByLex(min, max);
      ASSERT_LE(count, s.size());
      ASSERT_EQ(ByLex(s, min, max, reverse).size(), count);
    } else if (kind == 13 && (!growing || rnd.Below(4) == 0)) {
      size_t count = rnd.Below(6);
      bool highest = rnd.Below(2) == 0;
      Entries popped = highest ? s.PopMax(count) : s.PopMin(count);
      ASSERT_TRUE(SameEntries(popped, ref.Pop(count, highest)));
    }
    if (op % 997 == 0) ExpectSame(s, ref);
  }
  ExpectSame(s, ref);
}

// Lexicographic ranges on a set whose scores are all zero (of either sign, which are equal).
TEST(SortedSet, LexRangesMatchAReferenceWhenScoresAreEqual) {
  Random rnd;
  SortedSet s;
  Reference ref;
  for (int op = 0; op < 30000; ++op) {
    bool growing = (op / 3000) % 2 == 0;
    size_t kind = rnd.Below(10);
    bool reverse = rnd.Below(2) == 0;
    if (kind < (growing ? 5u : 2u)) {
      std::string m = rnd.Member();
      double zero = rnd.Below(2) ? 0.0 : -0.0;
      ASSERT_EQ(s.Set(m, zero), ref.Set(m, zero));
    } else if (kind < 6) {
      std::string m = rnd.Member();
      ASSERT_EQ(s.Remove(m), ref.Remove(m));
    } else if (kind < 9) {
      LexBound min = rnd.LexLimit(), max = rnd.LexLimit();
      size_t offset = rnd.Offset(), limit = rnd.Limit();
      ASSERT_TRUE(SameEntries(ByLex(s, min, max, reverse, offset, limit), ref.ByLex(min, max, reverse, offset, limit)));
      ASSERT_EQ(s.CountByLex(min, max), ref.ByLex(min, max, false, 0, kAll).size());
    } else {
      size_t count = rnd.Below(4);
      ASSERT_TRUE(SameEntries(reverse ? s.PopMax(count) : s.PopMin(count), ref.Pop(count, reverse)));
    }
    if (op % 1009 == 0) ExpectSame(s, ref);
  }
  ExpectSame(s, ref);
}

TEST(SortedSet, EmptySetAnswersNothing) {
  SortedSet s;
  EXPECT_EQ(s.size(), 0u);
  EXPECT_EQ(s.Score("a"), std::nullopt);
  EXPECT_EQ(s.Rank("a"), std::nullopt);
  EXPECT_FALSE(s.Remove("a"));
  EXPECT_TRUE(Ranks(s, 0, 10, false).empty());
  EXPECT_TRUE(Ranks(s, 0, 0, true).empty());
  EXPECT_EQ(s.CountByScore({-kInf}, {kInf}), 0u);
  EXPECT_TRUE(ByScore(s, {-kInf}, {kInf}, true).empty());
  EXPECT_EQ(s.CountByLex(kMinusInf, kPlusInf), 0u);
  EXPECT_TRUE(ByLex(s, kMinusInf, kPlusInf, false).empty());
  EXPECT_TRUE(s.PopMin(3).empty());
  EXPECT_TRUE(s.PopMax(3).empty());
  EXPECT_TRUE(All(s).empty());
  EXPECT_GT(s.MemoryBytes(), 0u);
}

TEST(SortedSet, EqualScoresOrderByMemberBytesWithPrefixesFirst) {
  SortedSet s;
  for (const std::string& m :
       std::vector<std::string>{"b", "ab", std::string("a\0", 2), "a", "", "\xff", std::string(1, '\0')}) {
    EXPECT_TRUE(s.Set(m, 1.0));
  }
  EXPECT_EQ(Members(All(s)),
            (std::vector<std::string>{"", std::string(1, '\0'), "a", std::string("a\0", 2), "ab", "b", "\xff"}));
  EXPECT_EQ(s.Rank("ab"), 4u);
  EXPECT_EQ(s.Rank(std::string("a\0", 2)), 3u);
}

TEST(SortedSet, SetMovesAMemberAndReportsOnlyNewOnes) {
  SortedSet s;
  EXPECT_TRUE(s.Set("a", 1));
  EXPECT_TRUE(s.Set("b", 2));
  EXPECT_TRUE(s.Set("c", 3));
  EXPECT_FALSE(s.Set("a", 5));
  EXPECT_EQ(Members(All(s)), (std::vector<std::string>{"b", "c", "a"}));
  EXPECT_EQ(s.Score("a"), 5.0);
  EXPECT_EQ(s.Rank("a"), 2u);
  EXPECT_FALSE(s.Set("c", 0.5));  // moves to the front
  EXPECT_EQ(Members(All(s)), (std::vector<std::string>{"c", "b", "a"}));
  EXPECT_EQ(s.size(), 3u);
}

TEST(SortedSet, NegativeAndPositiveZeroAreEqualScores) {
  SortedSet s;
  s.Set("y", 0.0);
  s.Set("x", -0.0);
  EXPECT_EQ(Members(All(s)), (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(std::signbit(*s.Score("x")));  // stored as given
  EXPECT_EQ(s.CountByScore({0.0}, {0.0}), 2u);
  EXPECT_EQ(s.CountByScore({-0.0, true}, {kInf}), 0u);
  EXPECT_FALSE(s.Set("x", 0.0));  // equal: unchanged, as Redis leaves it
  EXPECT_TRUE(std::signbit(*s.Score("x")));
}

TEST(SortedSet, InfiniteScoresAndBounds) {
  SortedSet s;
  s.Set("lo", -kInf);
  s.Set("mid", 0);
  s.Set("hi", kInf);
  EXPECT_EQ(Members(All(s)), (std::vector<std::string>{"lo", "mid", "hi"}));
  EXPECT_EQ(s.CountByScore({-kInf}, {kInf}), 3u);
  EXPECT_EQ(s.CountByScore({-kInf, true}, {kInf, true}), 1u);
  EXPECT_EQ(s.CountByScore({kInf}, {kInf}), 1u);
  EXPECT_EQ(s.CountByScore({kInf}, {-kInf}), 0u);  // min above max
  EXPECT_EQ(Members(ByScore(s, {-kInf}, {kInf}, true)), (std::vector<std::string>{"hi", "mid", "lo"}));
  EXPECT_EQ(Members(ByScore(s, {-kInf}, {0, true}, false)), (std::vector<std::string>{"lo"}));
  EXPECT_EQ(s.Rank("hi"), 2u);
}

TEST(SortedSet, RankRangesAreClampedAndReversible) {
  SortedSet s;
  for (int i = 0; i < 5; ++i) s.Set(std::string(1, char('a' + i)), i);
  EXPECT_EQ(Members(Ranks(s, 1, 3, false)), (std::vector<std::string>{"b", "c", "d"}));
  EXPECT_EQ(Members(Ranks(s, 1, 3, true)), (std::vector<std::string>{"d", "c", "b"}));
  EXPECT_EQ(Members(Ranks(s, 3, 100, false)), (std::vector<std::string>{"d", "e"}));
  EXPECT_EQ(Members(Ranks(s, 3, 100, true)), (std::vector<std::string>{"b", "a"}));
  EXPECT_TRUE(Ranks(s, 5, 9, false).empty());
  EXPECT_TRUE(Ranks(s, 3, 2, false).empty());
}

TEST(SortedSet, ScoreRangesSkipAndLimitFromEitherEnd) {
  SortedSet s;
  for (int i = 0; i < 10; ++i) s.Set("m" + std::to_string(i), i);
  EXPECT_EQ(Members(ByScore(s, {2}, {7, true}, false, 1, 2)), (std::vector<std::string>{"m3", "m4"}));
  EXPECT_EQ(Members(ByScore(s, {2}, {7, true}, true, 1, 2)), (std::vector<std::string>{"m5", "m4"}));
  EXPECT_EQ(Members(ByScore(s, {2, true}, {7}, true, 0, kAll)),
            (std::vector<std::string>{"m7", "m6", "m5", "m4", "m3"}));
  EXPECT_TRUE(ByScore(s, {2}, {7}, false, 6, kAll).empty());  // offset past the range
  EXPECT_TRUE(ByScore(s, {2}, {7}, false, 0, 0).empty());
  EXPECT_EQ(s.CountByScore({2}, {7, true}), 5u);
}

TEST(SortedSet, LexBoundsAsRedisSpellsThem) {
  SortedSet s;
  for (const char* m : {"a", "ab", "b", "c"}) s.Set(m, 0);
  EXPECT_EQ(s.CountByLex(kMinusInf, kPlusInf), 4u);
  EXPECT_EQ(Members(ByLex(s, Incl("a"), Incl("b"), false)), (std::vector<std::string>{"a", "ab", "b"}));
  EXPECT_EQ(Members(ByLex(s, Excl("a"), Excl("b"), false)), (std::vector<std::string>{"ab"}));
  EXPECT_EQ(Members(ByLex(s, Excl("a"), kPlusInf, true)), (std::vector<std::string>{"c", "b", "ab"}));
  EXPECT_EQ(Members(ByLex(s, kMinusInf, Excl("b"), true, 1, 5)), (std::vector<std::string>{"a"}));
  EXPECT_EQ(s.CountByLex(kPlusInf, kPlusInf), 0u);
  EXPECT_EQ(s.CountByLex(kMinusInf, kMinusInf), 0u);
  EXPECT_EQ(s.CountByLex(Incl("b"), Incl("a")), 0u);
  EXPECT_EQ(s.CountByLex(Incl("aa"), Incl("az")), 1u);  // "ab" only
}

TEST(SortedSet, PopsReturnEntriesInTheOrderPopped) {
  SortedSet s;
  for (int i = 0; i < 6; ++i) s.Set("m" + std::to_string(i), i);
  EXPECT_TRUE(SameEntries(s.PopMax(2), Entries{{"m5", 5}, {"m4", 4}}));
  EXPECT_TRUE(SameEntries(s.PopMin(2), Entries{{"m0", 0}, {"m1", 1}}));
  EXPECT_TRUE(SameEntries(s.PopMin(10), Entries{{"m2", 2}, {"m3", 3}}));
  EXPECT_EQ(s.size(), 0u);
}

TEST(SortedSet, MovesTransferEverything) {
  SortedSet a;
  a.Set("x", 1);
  a.Set("y", 2);
  SortedSet b(std::move(a));
  EXPECT_EQ(b.size(), 2u);
  EXPECT_EQ(b.Rank("y"), 1u);
  SortedSet c;
  c.Set("z", 3);
  c = std::move(b);
  EXPECT_EQ(Members(All(c)), (std::vector<std::string>{"x", "y"}));
}

// Checks every entry, and ranks and score counts at sampled places, against `expected` (sorted).
void ExpectMatchesSorted(const SortedSet& s, const Entries& expected, std::mt19937_64& gen) {
  ASSERT_TRUE(SameEntries(All(s), expected));
  for (int i = 0; i < 300 && !expected.empty(); ++i) {
    size_t at = gen() % expected.size();
    ASSERT_EQ(s.Rank(expected[at].first), at);
    double score = expected[at].second;
    size_t below =
        std::lower_bound(expected.begin(), expected.end(), std::pair<std::string, double>{"", score}, EntryLess) -
        expected.begin();
    ASSERT_EQ(s.CountByScore({-kInf}, {score, true}), below);
  }
}

// Hundreds of thousands of entries (trees four levels deep) built in ascending, descending and
// random order, with heavily tied scores, then emptied in random order.
TEST(SortedSet, DeepTreesStayOrderedWhileGrowingAndShrinking) {
  const int n = 200000;
  std::mt19937_64 gen(7);
  for (int pattern = 0; pattern < 3; ++pattern) {
    SortedSet s;
    std::map<std::string, double> scores;
    for (int i = 0; i < n; ++i) {
      double score = pattern == 0 ? i : pattern == 1 ? -i : static_cast<double>(gen() % 500);
      std::string m = "member" + std::to_string(pattern == 2 ? gen() % 1000000 : i) + std::string(i % 3, '\0');
      ASSERT_EQ(s.Set(m, score), scores.count(m) == 0);
      scores[m] = score;
    }
    Entries expected(scores.begin(), scores.end());
    std::sort(expected.begin(), expected.end(), EntryLess);
    ExpectMatchesSorted(s, expected, gen);
    std::shuffle(expected.begin(), expected.end(), gen);
    while (!expected.empty()) {
      size_t keep = expected.size() > 1000 ? expected.size() / 3 : 0;
      for (size_t i = keep; i < expected.size(); ++i) ASSERT_TRUE(s.Remove(expected[i].first));
      expected.resize(keep);
      Entries sorted = expected;
      std::sort(sorted.begin(), sorted.end(), EntryLess);
      ExpectMatchesSorted(s, sorted, gen);
    }
    EXPECT_EQ(s.size(), 0u);
    EXPECT_LT(s.MemoryBytes(), 256u);
  }
}

// ZINCRBY's pattern: small steps keep most entries in place, large ones move them across leaves.
TEST(SortedSet, RescoringKeepsTheOrder) {
  std::mt19937_64 gen(11);
  SortedSet s;
  std::map<std::string, double> scores;
  for (int i = 0; i < 20000; ++i) {
    std::string m = "p" + std::to_string(i);
    scores[m] = static_cast<double>(i);
    s.Set(m, i);
  }
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 20000; ++i) {
      std::string m = "p" + std::to_string(gen() % 20000);
      double step = gen() % 8 == 0 ? static_cast<double>(gen() % 40000) - 20000 : 0.25;
      scores[m] += step;
      EXPECT_FALSE(s.Set(m, scores[m]));
    }
    Entries expected(scores.begin(), scores.end());
    std::sort(expected.begin(), expected.end(), EntryLess);
    ExpectMatchesSorted(s, expected, gen);
  }
}

// Not an assertion: prints the costs at 1M members (100k under sanitizers).
// Prints figures, asserts none: runs only when LYT_MICROBENCH is set (it takes seconds).
TEST(SortedSet, MicrobenchmarkPrintsCostsPerMember) {
  if (!std::getenv("LYT_MICROBENCH")) GTEST_SKIP() << "set LYT_MICROBENCH=1 to print the figures";
  const size_t n = 1000000;
  std::mt19937_64 gen(3);
  std::vector<std::string> members;
  std::vector<double> scores;
  for (size_t i = 0; i < n; ++i) {
    members.push_back("member:" + std::to_string(gen() % 100000000));
    scores.push_back(static_cast<double>(gen() % 1000000) / 7);
  }
  using Clock = std::chrono::steady_clock;
  auto ns_per = [&](Clock::time_point start) {
    return std::chrono::duration<double, std::nano>(Clock::now() - start).count() / static_cast<double>(n);
  };
  // Heap in use: chunks from the arenas plus mmapped ones (the hash index's slot array).
  auto heap_in_use = [] { return mallinfo2().uordblks + mallinfo2().hblkhd; };
  size_t heap_before = heap_in_use();
  auto s = std::make_unique<SortedSet>();
  auto start = Clock::now();
  for (size_t i = 0; i < n; ++i) s->Set(members[i], scores[i]);
  double set_ns = ns_per(start);
  size_t heap_after = heap_in_use();
  double count = static_cast<double>(s->size());
  double estimated = static_cast<double>(s->MemoryBytes()) / count;
  double measured = static_cast<double>(heap_after - heap_before) / count;
  std::shuffle(members.begin(), members.end(), gen);
  start = Clock::now();
  size_t rank_sum = 0;
  for (const auto& m : members) rank_sum += *s->Rank(m);
  double rank_ns = ns_per(start);
  start = Clock::now();
  double score_sum = 0;
  for (const auto& m : members) score_sum += *s->Score(m);
  double score_ns = ns_per(start);
  start = Clock::now();
  for (size_t i = 0; i < n; ++i) s->Set(members[i], scores[i] + 1000);
  double move_ns = ns_per(start);
  std::printf(
      "SortedSet, %zu members (%zu distinct): Set (insert) %.0f ns, Rank %.0f ns, Score %.0f ns, Set (move) %.0f "
      "ns; bytes per member: MemoryBytes %.1f, mallinfo2 %.1f (after the moves: MemoryBytes %.1f)\n",
      n, s->size(), set_ns, rank_ns, score_ns, move_ns, estimated, measured,
      static_cast<double>(s->MemoryBytes()) / count);
  EXPECT_GT(rank_sum + static_cast<size_t>(score_sum), 0u);
}

}  // namespace
}  // namespace lyt::kv
