// A hash table of intrusive nodes, keyed by byte strings: the key-value store's keyspaces, hash
// fields and set members.
//
// Why not absl::flat_hash_set: SCAN. Redis promises that a full SCAN returns every element present
// from its start to its end, however the table grows or shrinks between calls. That needs buckets
// that split and merge predictably: here a power-of-two array of chains, and cursors that walk
// bucket indexes with their bits reversed (as Redis's dict does), so that a bucket already visited
// maps, after a resize, onto buckets also already visited. Chains also give O(1) random elements
// (RANDOMKEY, SPOP, active expiry's sampling).
//
// Nodes are owned by the caller's `Traits`: the table links them through `Traits::Next(node)` and
// reads their key with `Traits::Key(node)`; Clear and the destructor hand every node to
// `Traits::Free`. Keys are hashed with XXH3 under a per-process random seed, so that clients
// cannot choose keys that collide (hash flooding).
//
// Resizing: doubles when the table holds more nodes than buckets, halves when it holds fewer than
// an eighth; all at once (a rehash of n nodes takes O(n), about 10 ms per million).
//
// Not thread-safe: the owner's lock guards it.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

namespace lyt::kv {

// The seeded hash of a key (XXH3).
uint64_t HashKey(std::string_view key);

// The 64 bits of `v` in reverse order (SCAN cursors; exposed for tests).
uint64_t ReverseBits(uint64_t v);

template <class Node, class Traits>
class ChainedTable {
 public:
  ChainedTable() = default;
  ~ChainedTable() { Clear(); }
  ChainedTable(const ChainedTable&) = delete;
  ChainedTable& operator=(const ChainedTable&) = delete;
  ChainedTable(ChainedTable&& other) noexcept { Swap(other); }
  ChainedTable& operator=(ChainedTable&& other) noexcept {
    if (this != &other) {
      Clear();
      Swap(other);
    }
    return *this;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t bucket_count() const { return mask_ + (buckets_ ? 1 : 0); }

  Node* Find(std::string_view key) const {
    if (!buckets_) return nullptr;
    for (Node* n = buckets_[HashKey(key) & mask_]; n; n = Traits::Next(n)) {
      if (Traits::Key(n) == key) return n;
    }
    return nullptr;
  }

  // Memory prefetching for a batch of lookups (the key-value front end's pipelined commands): the
  // bucket of `key` (first pass), then the first node of that bucket (second pass, once the
  // bucket has arrived). Neither changes anything or waits.
  void PrefetchBucket(std::string_view key) const {
    if (buckets_) __builtin_prefetch(&buckets_[HashKey(key) & mask_]);
  }
  void PrefetchNode(std::string_view key) const {
    if (buckets_) __builtin_prefetch(buckets_[HashKey(key) & mask_]);
  }

  // Links `node`, whose key must not be present.
  void Insert(Node* node) {
    if (size_ + 1 > bucket_count()) Resize(bucket_count() ? bucket_count() * 2 : 4);
    Node*& head = buckets_[HashKey(Traits::Key(node)) & mask_];
    Traits::Next(node) = head;
    head = node;
    ++size_;
  }

  // Unlinks and returns the node with `key` (nullptr when absent). The caller frees it.
  Node* Remove(std::string_view key) {
    if (!buckets_) return nullptr;
    Node** link = &buckets_[HashKey(key) & mask_];
    for (; *link; link = &Traits::Next(*link)) {
      if (Traits::Key(*link) == key) {
        Node* found = *link;
        *link = Traits::Next(found);
        --size_;
        MaybeShrink();
        return found;
      }
    }
    return nullptr;
  }

  // Puts `replacement` (same key) where `old` is linked; returns `old`, unlinked.
  Node* Replace(Node* old, Node* replacement) {
    Node** link = &buckets_[HashKey(Traits::Key(old)) & mask_];
    while (*link != old) link = &Traits::Next(*link);
    Traits::Next(replacement) = Traits::Next(old);
    *link = replacement;
    return old;
  }

  // Unlinks every node and hands it to Traits::Free.
  void Clear() {
    if (!buckets_) return;
    for (size_t i = 0; i <= mask_; ++i) {
      for (Node* n = buckets_[i]; n;) {
        Node* next = Traits::Next(n);
        Traits::Free(n);
        n = next;
      }
    }
    buckets_.reset();
    mask_ = 0;
    size_ = 0;
  }

  // Calls visit(node) for every node of the bucket at `cursor` and returns the next cursor (0:
  // the scan is complete). Every node present for the whole scan is visited at least once; a
  // node may be visited twice when the table shrank meanwhile. `visit` must not change the table.
  template <class Visit>
  uint64_t ScanStep(uint64_t cursor, Visit&& visit) const {
    if (!buckets_) return 0;
    for (Node* n = buckets_[cursor & mask_]; n; n = Traits::Next(n)) visit(n);
    // Increment the reversed cursor: set the unmasked high bits, reverse, add one, reverse back.
    cursor |= ~mask_;
    cursor = ReverseBits(cursor);
    ++cursor;
    return ReverseBits(cursor);
  }

  // A node picked at random, roughly uniformly (nullptr when empty). `random` is any 64-bit draw.
  template <class Random>
  Node* RandomNode(Random&& random) const {
    if (size_ == 0) return nullptr;
    // Sparse tables (at least 1/8 full) find a non-empty bucket in a few tries.
    for (;;) {
      Node* head = buckets_[random() & mask_];
      if (!head) continue;
      size_t length = 0;
      for (Node* n = head; n; n = Traits::Next(n)) ++length;
      size_t pick = random() % length;
      while (pick--) head = Traits::Next(head);
      return head;
    }
  }

  template <class Visit>
  void ForEach(Visit&& visit) const {
    if (!buckets_) return;
    for (size_t i = 0; i <= mask_; ++i) {
      for (Node* n = buckets_[i]; n; n = Traits::Next(n)) visit(n);
    }
  }

 private:
  void Swap(ChainedTable& other) {
    std::swap(buckets_, other.buckets_);
    std::swap(mask_, other.mask_);
    std::swap(size_, other.size_);
  }

  void MaybeShrink() {
    size_t buckets = bucket_count();
    if (buckets > 4 && size_ < buckets / 8) Resize(buckets / 2);
    if (size_ == 0) {
      buckets_.reset();
      mask_ = 0;
    }
  }

  void Resize(size_t buckets) {
    auto fresh = std::make_unique<Node*[]>(buckets);
    size_t mask = buckets - 1;
    if (buckets_) {
      for (size_t i = 0; i <= mask_; ++i) {
        for (Node* n = buckets_[i]; n;) {
          Node* next = Traits::Next(n);
          Node*& head = fresh[HashKey(Traits::Key(n)) & mask];
          Traits::Next(n) = head;
          head = n;
          n = next;
        }
      }
    }
    buckets_ = std::move(fresh);
    mask_ = mask;
  }

  std::unique_ptr<Node*[]> buckets_;
  uint64_t mask_ = 0;  // bucket_count() - 1 when buckets_ is set
  size_t size_ = 0;
};

}  // namespace lyt::kv
