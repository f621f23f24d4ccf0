// The sorted set behind the key-value store's zset commands (ZADD, ZRANGE, ZRANK, ...), with
// Redis's semantics: members are binary strings, scores are doubles (never NaN: callers reject it),
// and entries are ordered by score, then by member bytes (memcmp order, a prefix first). -0.0 and
// 0.0 are equal scores. Ranks are 0-based and ascending.
//
// Layout, for memory: each member is one allocation holding its score and bytes (a "member
// block"), found by member through a hash set of block pointers (Score in O(1)), and placed in
// order by an order-statistic B+ tree (RankTree) whose 1 KiB leaves hold up to 62 (score, block
// pointer) pairs and whose inner nodes count the entries under each child (ranks in O(log n)). A
// set of up to 62 members is one leaf sized to fit. At 1M members of 8 to 15 bytes that is 72
// bytes per member: 32 the block, 20 the tree, 10 to 19 the hash index by its load (the test's
// microbenchmark prints the figures).
//
// Not thread-safe: the owner's lock guards it. Visitors must not modify the set they visit.
// Allocation failure throws std::bad_alloc and leaves the set unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lyt::kv {

// A score limit of a range: -inf and +inf are allowed.
struct ScoreBound {
  double value;
  bool exclusive = false;
};

// A member limit of a lexicographic range, as ZRANGEBYLEX spells it: "[a" kInclusive, "(a"
// kExclusive, "-" kMinusInf, "+" kPlusInf (`value` unused for the infinities).
struct LexBound {
  enum class Kind : uint8_t { kInclusive, kExclusive, kMinusInf, kPlusInf } kind;
  std::string value;
};

namespace sorted_set_internal {

// One entry of the tree: its score (copied from the block, so that comparisons rarely touch the
// block) and its member block (owned by SortedSet).
struct Entry {
  double score;
  char* member;
};

struct Node;
struct Leaf;
struct Inner;

// An order-statistic B+ tree of distinct entries: leaves linked both ways; each inner node keeps,
// per child, the number of entries under it and (for every child but the first) the child's first
// entry as separator. Knows nothing of hashing; SortedSet keeps it and the hash index in step.
class RankTree {
 public:
  RankTree() = default;
  ~RankTree();
  RankTree(const RankTree&) = delete;
  RankTree& operator=(const RankTree&) = delete;
  RankTree(RankTree&& other) noexcept { Swap(other); }
  RankTree& operator=(RankTree&& other) noexcept {
    Swap(other);
    return *this;
  }

  size_t size() const { return size_; }
  // Heap bytes of the nodes, malloc's rounding and chunk headers included.
  size_t bytes() const { return bytes_; }

  // Adds `e`, which must not be present. Throws std::bad_alloc before changing anything.
  void Insert(const Entry& e);
  // Removes the entry equal to `e`, which must be present. Never allocates.
  void Erase(const Entry& e);
  // Gives the present entry `e` the score `score` (not equal to e.score): in place when it keeps
  // its position, else as an insert then an erase. Throws std::bad_alloc before changing anything.
  void Rescore(const Entry& e, double score);
  // The number of leading entries, in order, for which before(entry) holds: the rank where a
  // range starts or ends. `before` must hold for a prefix of the order to mean that; when it does
  // not (BYLEX over mixed scores) the answer is some rank in [0, size()].
  template <class Before>
  size_t CountBefore(const Before& before) const;
  // Calls visit(entry) for the entries of ranks [begin, end) (end <= size()), ascending, or
  // descending from end - 1 when `reverse`.
  template <class Visit>
  void VisitRanks(size_t begin, size_t end, bool reverse, const Visit& visit) const;

 private:
  void Swap(RankTree& other) noexcept;

  Node* root_ = nullptr;  // owned; nullptr when empty
  size_t size_ = 0;
  size_t bytes_ = 0;
};

}  // namespace sorted_set_internal

class SortedSet {
 public:
  using Visitor = std::function<void(std::string_view member, double score)>;

  SortedSet();
  ~SortedSet();
  SortedSet(const SortedSet&) = delete;
  SortedSet& operator=(const SortedSet&) = delete;
  SortedSet(SortedSet&& other) noexcept;
  SortedSet& operator=(SortedSet&& other) noexcept;

  size_t size() const { return tree_.size(); }

  // The member's score; nullopt when absent. O(1) average.
  std::optional<double> Score(std::string_view member) const;
  // Inserts `member` with `score`, or moves it to `score`; returns true when the member is new.
  // A score equal to the present one (0.0 and -0.0 included) changes nothing, as in Redis. O(log n).
  bool Set(std::string_view member, double score);
  // Removes `member`; returns false when absent. O(log n).
  bool Remove(std::string_view member);
  // The member's ascending rank; nullopt when absent. O(log n).
  std::optional<size_t> Rank(std::string_view member) const;

  // Visits the entries of ranks [first, last], ascending; when `reverse`, ranks count from the
  // highest entry (rank 0) and the visit descends. Ranks past the end are ignored. O(log n + visited).
  void ForRanks(size_t first, size_t last, bool reverse, const Visitor& visit) const;

  // The number of entries with min <= score <= max (each end exclusive on request). O(log n).
  size_t CountByScore(ScoreBound min, ScoreBound max) const;
  // Visits the entries within [min, max] in score order (descending when `reverse`: from max down
  // to min), skipping the first `offset` of them and visiting at most `limit` (SIZE_MAX: all).
  // O(log n + limit).
  void ForScoreRange(ScoreBound min, ScoreBound max, bool reverse, size_t offset, size_t limit,
                     const Visitor& visit) const;

  // As the two above, by member bytes. They assume every score is equal, as Redis documents; on a
  // set with mixed scores the entries chosen are unspecified (the calls stay safe and as fast).
  size_t CountByLex(const LexBound& min, const LexBound& max) const;
  void ForLexRange(const LexBound& min, const LexBound& max, bool reverse, size_t offset, size_t limit,
                   const Visitor& visit) const;

  // Removes and returns up to `count` lowest (PopMin) or highest (PopMax) entries, in the order
  // popped. O(count log n).
  std::vector<std::pair<std::string, double>> PopMin(size_t count);
  std::vector<std::pair<std::string, double>> PopMax(size_t count);

  // Visits every entry in ascending order (checkpoints, the SQL view).
  void ForEach(const Visitor& visit) const;

  // Heap bytes used (INFO memory, MEMORY USAGE): the object, nodes, member blocks and hash index,
  // malloc's rounding included (the index's slots estimated from its capacity).
  size_t MemoryBytes() const;

 private:
  // The hash set of member blocks (an absl::flat_hash_set, sorted_set.cc), in storage of its own
  // size here so that abseil stays out of this header without costing an allocation.
  class Index;
  Index& index();
  const Index& index() const;

  // Visits ranks [lo + offset, ...) of the range [lo, hi), at most `limit`, from the end when
  // `reverse`: what the score and lex ranges share.
  void ForRankRange(size_t lo, size_t hi, bool reverse, size_t offset, size_t limit, const Visitor& visit) const;
  std::vector<std::pair<std::string, double>> Pop(size_t count, bool highest);
  void FreeMember(char* block);
  void ShrinkIndex();

  alignas(8) unsigned char index_storage_[40];  // every member block, owned
  sorted_set_internal::RankTree tree_;
  size_t member_bytes_ = 0;  // heap bytes of the member blocks
};

}  // namespace lyt::kv
