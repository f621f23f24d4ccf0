// StringRef and the arena that owns the bytes it points to.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace lyt {

// A non-owning view of string or blob bytes; the bytes live in a StringHeap (or in storage) that
// outlives every StringRef into it. Trivially copyable so vectors of them stay flat.
struct StringRef {
  const char* data = nullptr;
  uint32_t size = 0;

  std::string_view view() const { return {data, size}; }
  // Equal bytes; the same pointer (values interned by storage) answers without reading them.
  bool operator==(const StringRef& o) const {
    return size == o.size && (data == o.data || size == 0 || std::memcmp(data, o.data, size) == 0);
  }
  int Compare(const StringRef& o) const {
    int c = std::memcmp(data, o.data, size < o.size ? size : o.size);
    if (c != 0) return c;
    return size < o.size ? -1 : (size > o.size ? 1 : 0);
  }
};

// Append-only arena of string bytes. Pointers handed out stay valid until the heap is destroyed
// or Reset(). Not thread-safe.
class StringHeap {
 public:
  StringRef Add(std::string_view s) {
    char* p = Allocate(s.size());
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    return StringRef{p, static_cast<uint32_t>(s.size())};
  }
  // Uninitialized space for `n` bytes.
  char* Allocate(size_t n) {
    if (n > kBlockSize / 4) {
      big_.push_back(std::make_unique_for_overwrite<char[]>(n));
      bytes_ += n;
      return big_.back().get();
    }
    if (blocks_.empty() || used_ + n > block_size_) {
      // Blocks grow from 1 KiB, so the heap of a small result (one row of a point lookup)
      // stays small and cheap.
      block_size_ = blocks_.empty() ? kFirstBlockSize : std::min(kBlockSize, block_size_ * 2);
      while (block_size_ < n) block_size_ *= 2;
      blocks_.push_back(std::make_unique_for_overwrite<char[]>(block_size_));
      used_ = 0;
      bytes_ += block_size_;
    }
    char* p = blocks_.back().get() + used_;
    used_ += n;
    return p;
  }
  void Reset() {
    blocks_.clear();
    big_.clear();
    used_ = 0;
    block_size_ = 0;
    bytes_ = 0;
  }
  size_t bytes_allocated() const { return bytes_; }

 private:
  static constexpr size_t kFirstBlockSize = 1024;
  static constexpr size_t kBlockSize = 64 * 1024;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<std::unique_ptr<char[]>> big_;
  size_t used_ = 0;
  size_t block_size_ = 0;  // of the newest block
  size_t bytes_ = 0;
};

}  // namespace lyt
