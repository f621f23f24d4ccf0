#include "kv/sorted_set.h"

#include <absl/container/flat_hash_set.h>
#include <malloc.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

namespace lyt::kv {

namespace sorted_set_internal {

// Leaves and inner nodes are 1016 bytes: with glibc's 8-byte chunk header, exactly 1 KiB.
constexpr uint32_t kLeafCapacity = 62;
constexpr uint32_t kInnerCapacity = 32;
// Below these a node (other than the root) is merged with or refilled from a sibling. A quarter,
// not a half, so that alternating inserts and erases at a boundary do not merge and split by turns.
constexpr uint32_t kLeafMin = kLeafCapacity / 4;
constexpr uint32_t kInnerMin = kInnerCapacity / 4;
// A root leaf starts this small and doubles up to kLeafCapacity: small sets are common.
constexpr uint32_t kFirstLeafCapacity = 2;
// Inner nodes have at least kInnerMin children, so 2^64 entries fit in fewer levels than this.
constexpr size_t kMaxDepth = 32;

// Entries in a node are two parallel arrays, scores and member blocks, so that a search by score
// (the common case: members are compared only between equal scores) reads half the cache lines.
struct EntryArrays {
  double* scores;
  char** members;

  Entry operator[](size_t i) const { return {scores[i], members[i]}; }
  void Set(size_t i, const Entry& e) const {
    scores[i] = e.score;
    members[i] = e.member;
  }
};

struct Node {
  uint32_t count;     // entries (leaf) or children (inner)
  uint16_t capacity;  // room for entries (leaf); kInnerCapacity (inner)
  bool leaf;
};

// Followed by `capacity` scores, then `capacity` member blocks; the first `count` in order.
struct Leaf : Node {
  Leaf* prev;
  Leaf* next;
  // Mutable through a const leaf too: const callers only read.
  EntryArrays entries() const {
    auto* scores = reinterpret_cast<double*>(const_cast<Leaf*>(this) + 1);
    return {scores, reinterpret_cast<char**>(scores + capacity)};
  }
};
static_assert(sizeof(Leaf) == 24 && sizeof(double) == sizeof(char*));

struct Inner : Node {
  double key_scores[kInnerCapacity - 1];  // keys[i]: the first entry under children[i + 1]
  char* key_members[kInnerCapacity - 1];
  size_t sizes[kInnerCapacity];  // entries under each child
  Node* children[kInnerCapacity];
  EntryArrays keys() const { return {const_cast<double*>(key_scores), const_cast<char**>(key_members)}; }
};
static_assert(sizeof(Inner) == 1016);

namespace {

// ---- Member blocks: [score: 8 bytes][byte count: LEB128][bytes] in one allocation ----

constexpr size_t kScoreBytes = sizeof(double);

double ScoreOf(const char* block) {
  double score;
  std::memcpy(&score, block, kScoreBytes);
  return score;
}

std::string_view MemberOf(const char* block) {
  const auto* p = reinterpret_cast<const unsigned char*>(block + kScoreBytes);
  size_t length = 0;
  for (int shift = 0;; shift += 7) {
    length |= size_t(*p & 0x7f) << shift;
    if (!(*p++ & 0x80)) break;
  }
  return {reinterpret_cast<const char*>(p), length};
}

size_t VarintBytes(size_t n) {
  size_t bytes = 1;
  for (; n >= 0x80; n >>= 7) ++bytes;
  return bytes;
}

// ---- Allocation, counted as malloc's chunk: usable size plus its 8-byte header ----

void* Allocate(size_t bytes, size_t* heap) {
  void* p = std::malloc(bytes);
  if (!p) throw std::bad_alloc();
  *heap += malloc_usable_size(p) + 8;
  return p;
}

void Release(void* p, size_t* heap) {
  *heap -= malloc_usable_size(p) + 8;
  std::free(p);
}

char* NewMemberBlock(std::string_view member, double score, size_t* heap) {
  char* block = static_cast<char*>(Allocate(kScoreBytes + VarintBytes(member.size()) + member.size(), heap));
  std::memcpy(block, &score, kScoreBytes);
  auto* p = reinterpret_cast<unsigned char*>(block + kScoreBytes);
  size_t n = member.size();
  for (; n >= 0x80; n >>= 7) *p++ = static_cast<unsigned char>(n | 0x80);
  *p++ = static_cast<unsigned char>(n);
  if (!member.empty()) std::memcpy(p, member.data(), member.size());
  return block;
}

// ---- Entry order: score, then member bytes ----

[[gnu::noinline]] bool MemberLess(const char* a, const char* b) {
  return a != b && MemberOf(a) < MemberOf(b);
}

bool Less(const Entry& a, const Entry& b) {
  if (a.score != b.score) return a.score < b.score;
  return MemberLess(a.member, b.member);
}

bool SameEntry(const Entry& a, const Entry& b) {
  return a.member == b.member && a.score == b.score;
}

// The number of leading items for which before(item) holds; when that is not a prefix, still some
// index in [0, n] (a plain binary search, never an unchecked precondition).
template <class Before>
size_t PrefixLength(const EntryArrays& items, size_t n, const Before& before) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (before(items[mid])) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

// Starts loading `n` values at `p` at once, so that a binary search over them (or a sum) waits for
// one memory round trip instead of one per probe: a large set's nodes are mostly not in cache.
template <class T>
void Prefetch(const T* p, size_t n) {
  constexpr uintptr_t kLine = 64;
  uintptr_t end = reinterpret_cast<uintptr_t>(p + n);
  for (uintptr_t a = reinterpret_cast<uintptr_t>(p) & ~(kLine - 1); a < end; a += kLine) {
    __builtin_prefetch(reinterpret_cast<const void*>(a));
  }
}

Leaf* AsLeaf(Node* n) {
  return static_cast<Leaf*>(n);
}
const Leaf* AsLeaf(const Node* n) {
  return static_cast<const Leaf*>(n);
}
Inner* AsInner(Node* n) {
  return static_cast<Inner*>(n);
}
const Inner* AsInner(const Node* n) {
  return static_cast<const Inner*>(n);
}

// The keys or entries a search of `n` reads, prefetched.
void PrefetchScores(const Node* n) {
  Prefetch(n->leaf ? AsLeaf(n)->entries().scores : AsInner(n)->key_scores, n->count);
}

size_t SumSizes(const Inner* in, size_t children) {
  size_t sum = 0;
  for (size_t i = 0; i < children; ++i) sum += in->sizes[i];
  return sum;
}

size_t SizeOf(const Node* n) {
  return n->leaf ? n->count : SumSizes(AsInner(n), n->count);
}

bool Underfull(const Node* n) {
  return n->count < (n->leaf ? kLeafMin : kInnerMin);
}

Entry FirstEntry(const Node* n) {
  while (!n->leaf) n = AsInner(n)->children[0];
  return AsLeaf(n)->entries()[0];
}

Leaf* NewLeaf(uint32_t capacity, size_t* heap) {
  void* p = Allocate(sizeof(Leaf) + capacity * (sizeof(double) + sizeof(char*)), heap);
  Leaf* leaf = new (p) Leaf{};
  leaf->capacity = static_cast<uint16_t>(capacity);
  leaf->leaf = true;
  return leaf;
}

Inner* NewInner(size_t* heap) {
  Inner* in = new (Allocate(sizeof(Inner), heap)) Inner{};
  in->capacity = kInnerCapacity;
  return in;
}

void FreeSubtree(Node* n, size_t* heap) {
  if (!n->leaf) {
    for (uint32_t i = 0; i < n->count; ++i) FreeSubtree(AsInner(n)->children[i], heap);
  }
  Release(n, heap);
}

// ---- Array edits ----

template <class T>
void InsertInArray(T* array, size_t count, size_t at, const T& value) {
  std::copy_backward(array + at, array + count, array + count + 1);
  array[at] = value;
}

template <class T>
void EraseFromArray(T* array, size_t count, size_t at) {
  std::copy(array + at + 1, array + count, array + at);
}

void InsertInArray(const EntryArrays& a, size_t count, size_t at, const Entry& e) {
  InsertInArray(a.scores, count, at, e.score);
  InsertInArray(a.members, count, at, e.member);
}

void EraseFromArray(const EntryArrays& a, size_t count, size_t at) {
  EraseFromArray(a.scores, count, at);
  EraseFromArray(a.members, count, at);
}

void CopyEntries(const EntryArrays& from, size_t n, const EntryArrays& to) {
  std::copy(from.scores, from.scores + n, to.scores);
  std::copy(from.members, from.members + n, to.members);
}

EntryArrays Offset(const EntryArrays& a, size_t by) {
  return {a.scores + by, a.members + by};
}

// ---- Runs: the contents of one or two sibling nodes laid end to end, to split or rebalance ----

struct LeafRun {
  size_t count = 0;
  double scores[2 * kLeafCapacity];
  char* members[2 * kLeafCapacity];

  void Append(const EntryArrays& from, size_t n) {
    CopyEntries(from, n, {scores + count, members + count});
    count += n;
  }
  // Entries [from, to) become `leaf`'s.
  void MoveTo(size_t from, size_t to, Leaf* leaf) {
    CopyEntries({scores + from, members + from}, to - from, leaf->entries());
    leaf->count = static_cast<uint32_t>(to - from);
  }
};

// Children with their sizes, and between each two children their separator.
struct InnerRun {
  size_t count = 0;  // children; count - 1 keys
  size_t sizes[2 * kInnerCapacity];
  Node* children[2 * kInnerCapacity];
  double key_scores[2 * kInnerCapacity];
  char* key_members[2 * kInnerCapacity];

  EntryArrays keys() { return {key_scores, key_members}; }
  // Appends `in`'s children; `separator` goes between the run's last child and them.
  void Append(const Inner* in, const Entry* separator) {
    if (separator) keys().Set(count - 1, *separator);
    std::copy(in->sizes, in->sizes + in->count, sizes + count);
    std::copy(in->children, in->children + in->count, children + count);
    CopyEntries(in->keys(), in->count - 1, Offset(keys(), count));
    count += in->count;
  }
  // Children [from, to) and the keys between them become `in`'s.
  void MoveTo(size_t from, size_t to, Inner* in) {
    std::copy(sizes + from, sizes + to, in->sizes);
    std::copy(children + from, children + to, in->children);
    CopyEntries(Offset(keys(), from), to - from - 1, in->keys());
    in->count = static_cast<uint32_t>(to - from);
  }
};

void InsertChild(Inner* in, size_t at, Node* child, size_t size, const Entry& separator) {
  InsertInArray(in->sizes, in->count, at, size);
  InsertInArray(in->children, in->count, at, child);
  InsertInArray(in->keys(), in->count - 1, at - 1, separator);
  ++in->count;
}

// Removes children[at] (at > 0) and the separator before it.
void RemoveChild(Inner* in, size_t at) {
  EraseFromArray(in->sizes, in->count, at);
  EraseFromArray(in->children, in->count, at);
  EraseFromArray(in->keys(), in->count - 1, at - 1);
  --in->count;
}

void LinkAfter(Leaf* leaf, Leaf* right) {
  right->prev = leaf;
  right->next = leaf->next;
  if (leaf->next) leaf->next->prev = right;
  leaf->next = right;
}

void Unlink(Leaf* leaf) {
  if (leaf->prev) leaf->prev->next = leaf->next;
  if (leaf->next) leaf->next->prev = leaf->prev;
}

// Where a full leaf splits once `at` receives an entry. At the ends of the whole order the old
// entries stay together, so that ascending (or descending) inserts leave full leaves behind.
size_t LeafSplitPoint(const Leaf* leaf, size_t at) {
  if (at == leaf->count && !leaf->next) return leaf->count;
  if (at == 0 && !leaf->prev) return 1;
  return (leaf->count + 1) / 2;
}

// Inserts `e` at `at` of the full `leaf`, moving the upper part into the empty `right`.
void SplitLeaf(Leaf* leaf, size_t at, const Entry& e, Leaf* right) {
  LeafRun run;
  run.Append(leaf->entries(), at);
  run.Append({const_cast<double*>(&e.score), const_cast<char**>(&e.member)}, 1);
  run.Append(Offset(leaf->entries(), at), leaf->count - at);
  size_t split = LeafSplitPoint(leaf, at);
  run.MoveTo(0, split, leaf);
  run.MoveTo(split, run.count, right);
  LinkAfter(leaf, right);
}

// Inserts `child` at `at` of the full `in`, moving the upper half into the empty `right`; returns
// the separator between the halves.
Entry SplitInner(Inner* in, size_t at, Node* child, size_t size, const Entry& separator, Inner* right) {
  InnerRun run;
  run.Append(in, nullptr);
  InsertInArray(run.sizes, run.count, at, size);
  InsertInArray(run.children, run.count, at, child);
  InsertInArray(run.keys(), run.count - 1, at - 1, separator);
  ++run.count;
  size_t split = run.count / 2;
  run.MoveTo(0, split, in);
  run.MoveTo(split, run.count, right);
  return run.keys()[split - 1];
}

// Children `l` and `l + 1` of `parent`, leaves, one of them underfull: merged into `l` when they
// fit in one leaf, else their entries shared out evenly.
void RebalanceLeaves(Inner* parent, size_t l, size_t* heap) {
  Leaf* a = AsLeaf(parent->children[l]);
  Leaf* b = AsLeaf(parent->children[l + 1]);
  size_t n = a->count + b->count;
  if (n <= kLeafCapacity) {
    CopyEntries(b->entries(), b->count, Offset(a->entries(), a->count));
    a->count = static_cast<uint32_t>(n);
    Unlink(b);
    Release(b, heap);
    RemoveChild(parent, l + 1);
    parent->sizes[l] = n;
    return;
  }
  LeafRun run;
  run.Append(a->entries(), a->count);
  run.Append(b->entries(), b->count);
  run.MoveTo(0, n / 2, a);
  run.MoveTo(n / 2, n, b);
  parent->keys().Set(l, b->entries()[0]);
  parent->sizes[l] = a->count;
  parent->sizes[l + 1] = b->count;
}

// As RebalanceLeaves, for inner children; their separator moves down into the run.
void RebalanceInners(Inner* parent, size_t l, size_t* heap) {
  Inner* a = AsInner(parent->children[l]);
  Inner* b = AsInner(parent->children[l + 1]);
  InnerRun run;
  Entry separator = parent->keys()[l];
  run.Append(a, nullptr);
  run.Append(b, &separator);
  if (run.count <= kInnerCapacity) {
    run.MoveTo(0, run.count, a);
    Release(b, heap);
    RemoveChild(parent, l + 1);
    parent->sizes[l] = SizeOf(a);
    return;
  }
  size_t split = run.count / 2;
  run.MoveTo(0, split, a);
  run.MoveTo(split, run.count, b);
  parent->keys().Set(l, run.keys()[split - 1]);
  parent->sizes[l] = SizeOf(a);
  parent->sizes[l + 1] = SizeOf(b);
}

// The inner nodes passed on the way down to a leaf, and the child taken at each.
struct Path {
  struct Step {
    Inner* node;
    size_t child;
  };
  Step steps[kMaxDepth];
  size_t depth = 0;
};

// Descends from `root` to the leaf holding the first entry for which before() fails (or, when
// that entry begins a node, possibly the end of the leaf before it).
template <class Before>
Leaf* Descend(Node* root, const Before& before, Path* path) {
  Node* n = root;
  while (!n->leaf) {
    Inner* in = AsInner(n);
    PrefetchScores(in);
    size_t child = PrefixLength(in->keys(), in->count - 1, before);
    assert(path->depth < kMaxDepth);
    path->steps[path->depth++] = {in, child};
    n = in->children[child];
  }
  PrefetchScores(n);
  return AsLeaf(n);
}

auto LessThan(const Entry& e) {
  return [&e](const Entry& x) { return Less(x, e); };
}
auto NotAfter(const Entry& e) {
  return [&e](const Entry& x) { return !Less(e, x); };
}

// Where `e` (present) is: its leaf and index.
std::pair<Leaf*, size_t> Find(Node* root, const Entry& e, Path* path) {
  Leaf* leaf = Descend(root, NotAfter(e), path);
  size_t at = PrefixLength(leaf->entries(), leaf->count, NotAfter(e));
  assert(at > 0 && leaf->entries().members[at - 1] == e.member);
  return {leaf, at - 1};
}

// Whether the entry at `at` of `leaf` may take `moved`'s score without moving: its neighbours
// still bracket it, and it is not a separator (the first entry of a leaf other than the first).
bool StaysInPlace(const Leaf* leaf, size_t at, const Entry& moved) {
  EntryArrays es = leaf->entries();
  bool above_lower = at > 0 ? Less(es[at - 1], moved) : leaf->prev == nullptr;
  bool below_upper = at + 1 < leaf->count ? Less(moved, es[at + 1]) : leaf->next == nullptr;
  return above_lower && below_upper;
}

// The nodes an insert into a full leaf needs, allocated before anything changes so that a failed
// allocation leaves the tree as it was.
struct SpareNodes {
  Leaf* leaf = nullptr;
  Inner* inners[kMaxDepth + 1];
  size_t inner_count = 0;
  size_t* heap;

  SpareNodes(const Path& path, size_t* heap_bytes) : heap(heap_bytes) {
    // Every full inner node from the bottom up splits; a new root when all of them do.
    size_t splits = 0;
    while (splits < path.depth && path.steps[path.depth - 1 - splits].node->count == kInnerCapacity) ++splits;
    if (splits == path.depth) ++splits;
    try {
      leaf = NewLeaf(kLeafCapacity, heap);
      for (; inner_count < splits; ++inner_count) inners[inner_count] = NewInner(heap);
    } catch (...) {
      if (leaf) Release(leaf, heap);
      while (inner_count > 0) Release(inners[--inner_count], heap);
      throw;
    }
  }
  Inner* TakeInner() {
    assert(inner_count > 0);
    return inners[--inner_count];
  }
};

// Counts one more entry under the child taken at each of the first `levels` steps of `path`.
void AddToSizes(const Path& path, size_t levels) {
  for (size_t i = 0; i < levels; ++i) ++path.steps[i].node->sizes[path.steps[i].child];
}

// Moves the last `k` entries of `a` to the front of its right neighbour `b`.
void MoveTail(Leaf* a, Leaf* b, size_t k) {
  EntryArrays to = b->entries();
  std::copy_backward(to.scores, to.scores + b->count, to.scores + b->count + k);
  std::copy_backward(to.members, to.members + b->count, to.members + b->count + k);
  CopyEntries(Offset(a->entries(), a->count - k), k, to);
  a->count -= static_cast<uint32_t>(k);
  b->count += static_cast<uint32_t>(k);
}

// Moves the first `k` entries of `b` to the end of its left neighbour `a`.
void MoveHead(Leaf* a, Leaf* b, size_t k) {
  CopyEntries(b->entries(), k, Offset(a->entries(), a->count));
  CopyEntries(Offset(b->entries(), k), b->count - k, b->entries());
  a->count += static_cast<uint32_t>(k);
  b->count -= static_cast<uint32_t>(k);
}

// Inserts `e` at `at` of the full `leaf` (child step.child of step.node) after moving some of its
// entries into a neighbour under the same parent with room for several, and counts the two
// leaves' sizes afresh; false (nothing changed) when neither neighbour has the room. Splitting
// only when both neighbours are nearly full keeps leaves fuller under random inserts.
bool InsertViaSibling(const Path::Step& step, Leaf* leaf, size_t at, const Entry& e) {
  constexpr size_t kMinMove = 2;
  Inner* parent = step.node;
  size_t j = step.child;
  auto half_room = [&](size_t child) { return (kLeafCapacity - parent->children[child]->count) / 2; };
  size_t first;  // the left one of the two leaves
  size_t pos;    // where `e` goes in their entries laid end to end
  if (j + 1 < parent->count && half_room(j + 1) >= kMinMove) {
    first = j;
    pos = at;
    MoveTail(leaf, AsLeaf(parent->children[j + 1]), half_room(j + 1));
  } else if (j > 0 && half_room(j - 1) >= kMinMove) {
    first = j - 1;
    pos = parent->children[first]->count + at;
    MoveHead(AsLeaf(parent->children[first]), leaf, half_room(j - 1));
  } else {
    return false;
  }
  Leaf* a = AsLeaf(parent->children[first]);
  Leaf* b = AsLeaf(parent->children[first + 1]);
  // At the boundary `e` ends `a`, so that b's first entry (the separator) is one already there.
  Leaf* target = pos <= a->count ? a : b;
  InsertInArray(target->entries(), target->count, target == a ? pos : pos - a->count, e);
  ++target->count;
  parent->keys().Set(first, b->entries()[0]);
  parent->sizes[first] = a->count;
  parent->sizes[first + 1] = b->count;
  return true;
}

// Doubles the room of the root leaf (only the root leaf is ever smaller than kLeafCapacity).
Leaf* GrowRoot(Node** root, size_t* heap) {
  Leaf* leaf = AsLeaf(*root);
  Leaf* grown = NewLeaf(std::min<uint32_t>(2 * leaf->capacity, kLeafCapacity), heap);
  CopyEntries(leaf->entries(), leaf->count, grown->entries());
  grown->count = leaf->count;
  Release(leaf, heap);
  *root = grown;
  return grown;
}

// Inserts `e` at `at` of the full `leaf` by splitting it, and its ancestors as they fill up.
void Split(Node** root, const Path& path, Leaf* leaf, size_t at, const Entry& e, size_t* heap) {
  SpareNodes spares(path, heap);
  AddToSizes(path, path.depth);
  SplitLeaf(leaf, at, e, spares.leaf);
  Node* right = spares.leaf;
  Entry separator = spares.leaf->entries()[0];
  // Each parent takes the new right sibling; a full parent splits in turn.
  for (size_t level = path.depth; level > 0 && right; --level) {
    auto [parent, child] = path.steps[level - 1];
    size_t right_size = SizeOf(right);
    parent->sizes[child] -= right_size;  // it counted the whole of the split child
    if (parent->count < kInnerCapacity) {
      InsertChild(parent, child + 1, right, right_size, separator);
      right = nullptr;
    } else {
      Inner* sibling = spares.TakeInner();
      separator = SplitInner(parent, child + 1, right, right_size, separator, sibling);
      right = sibling;
    }
  }
  if (right) {
    Inner* top = spares.TakeInner();
    top->count = 2;
    top->children[0] = *root;
    top->children[1] = right;
    top->sizes[0] = SizeOf(*root);
    top->sizes[1] = SizeOf(right);
    top->keys().Set(0, separator);
    *root = top;
  }
  assert(spares.inner_count == 0);
}

}  // namespace

RankTree::~RankTree() {
  if (root_) FreeSubtree(root_, &bytes_);
}

void RankTree::Swap(RankTree& other) noexcept {
  std::swap(root_, other.root_);
  std::swap(size_, other.size_);
  std::swap(bytes_, other.bytes_);
}

void RankTree::Insert(const Entry& e) {
  if (!root_) root_ = NewLeaf(kFirstLeafCapacity, &bytes_);
  Path path;
  Leaf* leaf = Descend(root_, LessThan(e), &path);
  size_t at = PrefixLength(leaf->entries(), leaf->count, LessThan(e));
  if (leaf->count == leaf->capacity && leaf->capacity < kLeafCapacity) leaf = GrowRoot(&root_, &bytes_);
  if (leaf->count < leaf->capacity) {
    InsertInArray(leaf->entries(), leaf->count, at, e);
    ++leaf->count;
    AddToSizes(path, path.depth);
  } else if (path.depth > 0 && InsertViaSibling(path.steps[path.depth - 1], leaf, at, e)) {
    AddToSizes(path, path.depth - 1);  // the parent's sizes are counted afresh
  } else {
    Split(&root_, path, leaf, at, e, &bytes_);
  }
  ++size_;
}

void RankTree::Erase(const Entry& e) {
  Path path;
  auto [leaf, at] = Find(root_, e, &path);
  EraseFromArray(leaf->entries(), leaf->count, at);
  --leaf->count;
  --size_;
  for (size_t level = path.depth; level > 0; --level) {
    auto [in, child] = path.steps[level - 1];
    --in->sizes[child];
    Node* n = in->children[child];
    // `e` was the first entry of this child: its separator becomes the new first entry. (An
    // emptied leaf is merged just below, its separator with it.)
    if (child > 0 && n->count > 0 && SameEntry(in->keys()[child - 1], e)) in->keys().Set(child - 1, FirstEntry(n));
    if (Underfull(n) && in->count > 1) {
      size_t l = child > 0 ? child - 1 : 0;
      if (n->leaf) {
        RebalanceLeaves(in, l, &bytes_);
      } else {
        RebalanceInners(in, l, &bytes_);
      }
    }
  }
  while (!root_->leaf && root_->count == 1) {
    Node* only = AsInner(root_)->children[0];
    Release(root_, &bytes_);
    root_ = only;
  }
  if (root_->count == 0) {
    Release(root_, &bytes_);
    root_ = nullptr;
  }
}

void RankTree::Rescore(const Entry& e, double score) {
  Path path;
  auto [leaf, at] = Find(root_, e, &path);
  Entry moved{score, e.member};
  if (StaysInPlace(leaf, at, moved)) {
    leaf->entries().scores[at] = score;
    return;
  }
  Insert(moved);
  Erase(e);
}

template <class Before>
size_t RankTree::CountBefore(const Before& before) const {
  if (!root_) return 0;
  size_t rank = 0;
  const Node* n = root_;
  while (!n->leaf) {
    const Inner* in = AsInner(n);
    PrefetchScores(in);
    Prefetch(in->sizes, in->count);
    size_t child = PrefixLength(in->keys(), in->count - 1, before);
    rank += SumSizes(in, child);
    n = in->children[child];
  }
  PrefetchScores(n);
  return rank + PrefixLength(AsLeaf(n)->entries(), n->count, before);
}

template <class Visit>
void RankTree::VisitRanks(size_t begin, size_t end, bool reverse, const Visit& visit) const {
  if (begin >= end) return;
  // Down to the leaf of the first rank visited.
  size_t rank = reverse ? end - 1 : begin;
  const Node* n = root_;
  while (!n->leaf) {
    const Inner* in = AsInner(n);
    Prefetch(in->sizes, in->count);
    size_t child = 0;
    for (; rank >= in->sizes[child]; ++child) rank -= in->sizes[child];
    n = in->children[child];
  }
  const Leaf* leaf = AsLeaf(n);
  size_t remaining = end - begin;
  if (!reverse) {
    for (size_t i = rank;; leaf = leaf->next, i = 0) {
      for (; i < leaf->count; ++i) {
        visit(leaf->entries()[i]);
        if (--remaining == 0) return;
      }
    }
  }
  for (size_t i = rank + 1;; leaf = leaf->prev, i = leaf->count) {
    for (; i > 0; --i) {
      visit(leaf->entries()[i - 1]);
      if (--remaining == 0) return;
    }
  }
}

}  // namespace sorted_set_internal

using sorted_set_internal::Entry;
using sorted_set_internal::MemberOf;
using sorted_set_internal::ScoreOf;

namespace {

// Whether a score lies below a range's lower end, or at most its upper end.
bool BelowMin(const ScoreBound& min, double score) {
  return min.exclusive ? score <= min.value : score < min.value;
}
bool NotAboveMax(const ScoreBound& max, double score) {
  return max.exclusive ? score < max.value : score <= max.value;
}

// The same for members against lex bounds.
bool BelowMin(const LexBound& min, std::string_view member) {
  switch (min.kind) {
    case LexBound::Kind::kInclusive:
      return member < min.value;
    case LexBound::Kind::kExclusive:
      return member <= min.value;
    case LexBound::Kind::kMinusInf:
      return false;
    case LexBound::Kind::kPlusInf:
      return true;
  }
  return false;
}
bool NotAboveMax(const LexBound& max, std::string_view member) {
  switch (max.kind) {
    case LexBound::Kind::kInclusive:
      return member <= max.value;
    case LexBound::Kind::kExclusive:
      return member < max.value;
    case LexBound::Kind::kMinusInf:
      return false;
    case LexBound::Kind::kPlusInf:
      return true;
  }
  return false;
}

// The ranks [lo, hi) of the entries between two bounds (empty when min lies above max).
template <class Bound, class Key>
std::pair<size_t, size_t> RankRange(const sorted_set_internal::RankTree& tree, const Bound& min, const Bound& max,
                                    const Key& key) {
  size_t lo = tree.CountBefore([&](const Entry& e) { return BelowMin(min, key(e)); });
  size_t hi = tree.CountBefore([&](const Entry& e) { return NotAboveMax(max, key(e)); });
  return {lo, std::max(lo, hi)};
}

auto ScoreKey = [](const Entry& e) { return e.score; };
auto MemberKey = [](const Entry& e) { return MemberOf(e.member); };

}  // namespace

namespace {

// Hashes and compares member blocks and the string_views that look them up.
struct MemberHash {
  using is_transparent = void;
  size_t operator()(std::string_view member) const { return absl::Hash<std::string_view>{}(member); }
  size_t operator()(const char* block) const { return (*this)(MemberOf(block)); }
};

struct MemberEq {
  using is_transparent = void;
  static std::string_view View(std::string_view member) { return member; }
  static std::string_view View(const char* block) { return MemberOf(block); }
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    return View(a) == View(b);
  }
};

}  // namespace

class SortedSet::Index : public absl::flat_hash_set<char*, MemberHash, MemberEq> {};

SortedSet::Index& SortedSet::index() {
  return *std::launder(reinterpret_cast<Index*>(index_storage_));
}
const SortedSet::Index& SortedSet::index() const {
  return *std::launder(reinterpret_cast<const Index*>(index_storage_));
}

SortedSet::SortedSet() {
  static_assert(sizeof(Index) == sizeof(index_storage_) && alignof(Index) <= 8, "index_storage_ must fit the table");
  new (index_storage_) Index();
}

SortedSet::~SortedSet() {
  for (char* block : index()) std::free(block);
  index().~Index();
}

SortedSet::SortedSet(SortedSet&& other) noexcept : tree_(std::move(other.tree_)), member_bytes_(other.member_bytes_) {
  new (index_storage_) Index(std::move(other.index()));
  other.index().clear();
  other.member_bytes_ = 0;
}

SortedSet& SortedSet::operator=(SortedSet&& other) noexcept {
  index().swap(other.index());
  std::swap(tree_, other.tree_);
  std::swap(member_bytes_, other.member_bytes_);
  return *this;
}

std::optional<double> SortedSet::Score(std::string_view member) const {
  auto it = index().find(member);
  if (it == index().end()) return std::nullopt;
  return ScoreOf(*it);
}

bool SortedSet::Set(std::string_view member, double score) {
  assert(!std::isnan(score));  // NaN is unordered: the callers refuse it
  auto it = index().find(member);
  if (it != index().end()) {
    char* block = *it;
    double old = ScoreOf(block);
    if (score == old) return false;
    tree_.Rescore({old, block}, score);
    std::memcpy(block, &score, sizeof score);
    return false;
  }
  char* block = sorted_set_internal::NewMemberBlock(member, score, &member_bytes_);
  try {
    index().insert(block);
    try {
      tree_.Insert({score, block});
    } catch (...) {
      index().erase(block);
      throw;
    }
  } catch (...) {
    FreeMember(block);
    throw;
  }
  return true;
}

bool SortedSet::Remove(std::string_view member) {
  auto it = index().find(member);
  if (it == index().end()) return false;
  char* block = *it;
  tree_.Erase({ScoreOf(block), block});
  index().erase(it);
  FreeMember(block);
  ShrinkIndex();
  return true;
}

void SortedSet::ShrinkIndex() {
  // absl's tables never shrink by themselves: a set emptied down to a few members would keep the
  // slots of its largest size.
  if (index().capacity() < 16 || index().size() * 8 > index().capacity()) return;
  try {
    index().rehash(0);  // to the capacity its size needs
  } catch (const std::bad_alloc&) {
    // Shrinking is an optimization: the table stays as it was.
  }
}

void SortedSet::FreeMember(char* block) {
  sorted_set_internal::Release(block, &member_bytes_);
}

std::optional<size_t> SortedSet::Rank(std::string_view member) const {
  auto it = index().find(member);
  if (it == index().end()) return std::nullopt;
  Entry e{ScoreOf(*it), *it};
  return tree_.CountBefore([&](const Entry& x) { return sorted_set_internal::Less(x, e); });
}

void SortedSet::ForRanks(size_t first, size_t last, bool reverse, const Visitor& visit) const {
  // Ranks from the top are offsets from the top end.
  if (first > last) return;
  size_t count = last - first < SIZE_MAX ? last - first + 1 : SIZE_MAX;
  ForRankRange(0, size(), reverse, first, count, visit);
}

void SortedSet::ForRankRange(size_t lo, size_t hi, bool reverse, size_t offset, size_t limit,
                             const Visitor& visit) const {
  if (offset >= hi - lo) return;
  size_t take = std::min(limit, hi - lo - offset);
  size_t begin = reverse ? hi - offset - take : lo + offset;
  tree_.VisitRanks(begin, begin + take, reverse, [&](const Entry& e) { visit(MemberOf(e.member), e.score); });
}

size_t SortedSet::CountByScore(ScoreBound min, ScoreBound max) const {
  auto [lo, hi] = RankRange(tree_, min, max, ScoreKey);
  return hi - lo;
}

void SortedSet::ForScoreRange(ScoreBound min, ScoreBound max, bool reverse, size_t offset, size_t limit,
                              const Visitor& visit) const {
  auto [lo, hi] = RankRange(tree_, min, max, ScoreKey);
  ForRankRange(lo, hi, reverse, offset, limit, visit);
}

size_t SortedSet::CountByLex(const LexBound& min, const LexBound& max) const {
  auto [lo, hi] = RankRange(tree_, min, max, MemberKey);
  return hi - lo;
}

void SortedSet::ForLexRange(const LexBound& min, const LexBound& max, bool reverse, size_t offset, size_t limit,
                            const Visitor& visit) const {
  auto [lo, hi] = RankRange(tree_, min, max, MemberKey);
  ForRankRange(lo, hi, reverse, offset, limit, visit);
}

std::vector<std::pair<std::string, double>> SortedSet::PopMin(size_t count) {
  return Pop(count, false);
}
std::vector<std::pair<std::string, double>> SortedSet::PopMax(size_t count) {
  return Pop(count, true);
}

std::vector<std::pair<std::string, double>> SortedSet::Pop(size_t count, bool highest) {
  // Copies first, removals after: a failed allocation leaves the set as it was.
  std::vector<std::pair<std::string, double>> popped;
  popped.reserve(std::min(count, size()));
  ForRankRange(0, size(), highest, 0, count,
               [&](std::string_view member, double score) { popped.emplace_back(member, score); });
  for (const auto& entry : popped) Remove(entry.first);
  return popped;
}

void SortedSet::ForEach(const Visitor& visit) const {
  ForRankRange(0, size(), false, 0, SIZE_MAX, visit);
}

size_t SortedSet::MemoryBytes() const {
  // absl's table: a control byte per slot plus 16 more, the slots, and malloc's chunk header.
  size_t capacity = index().capacity();
  size_t index_bytes = capacity ? capacity * (1 + sizeof(char*)) + 16 + 8 : 0;
  return sizeof(SortedSet) + tree_.bytes() + member_bytes_ + index_bytes;
}

}  // namespace lyt::kv
