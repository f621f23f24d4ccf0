// Memory for the buffers of column vectors and selection vectors.
#pragma once

#include <cstddef>

namespace lyt {

// Each thread keeps a few recently freed blocks of the sizes batches use (a column of
// kVectorSize values plus null bytes: 4 to 34 KiB). A short statement builds a dozen batches and
// frees them; without the cache every one of those blocks takes malloc's slow path (blocks that
// size bypass its per-thread caches and are merged and split on each free and allocation).
// A block may be freed on another thread than the one that allocated it.
void* AllocateBuffer(size_t bytes);
void FreeBuffer(void* block, size_t bytes);

// Allocator for std::allocate_shared over AllocateBuffer/FreeBuffer.
template <class T>
struct CachedBufferAllocator {
  using value_type = T;
  CachedBufferAllocator() = default;
  template <class U>
  CachedBufferAllocator(const CachedBufferAllocator<U>&) {}  // NOLINT: rebinding is implicit
  T* allocate(size_t n) { return static_cast<T*>(AllocateBuffer(n * sizeof(T))); }
  void deallocate(T* p, size_t n) { FreeBuffer(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const CachedBufferAllocator<U>&) const {
    return true;
  }
};

}  // namespace lyt
