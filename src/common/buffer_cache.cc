#include "common/buffer_cache.h"

#include <array>
#include <new>

namespace lyt {

namespace {

// Blocks below this size are served fast by malloc's own per-thread caches.
constexpr size_t kMinCachedBytes = 2048;
constexpr size_t kMaxCachedBytes = 64 * 1024;
// At most kBuckets sizes × kBlocksPerBucket blocks per thread (under 5 MiB).
constexpr size_t kBuckets = 8;
constexpr size_t kBlocksPerBucket = 8;

class BufferCache {
 public:
  ~BufferCache();
  void* Take(size_t bytes);
  bool Keep(void* block, size_t bytes);

 private:
  struct Bucket {
    size_t bytes = 0;  // 0: unclaimed
    size_t count = 0;
    std::array<void*, kBlocksPerBucket> blocks{};
  };
  std::array<Bucket, kBuckets> buckets_;
};

// Set when this thread's cache has been destroyed (thread exit): blocks freed afterwards, by
// thread-local or static objects destroyed later, go straight back to the heap.
thread_local bool cache_destroyed = false;
thread_local BufferCache cache;

BufferCache::~BufferCache() {
  for (Bucket& b : buckets_) {
    for (size_t i = 0; i < b.count; ++i) ::operator delete(b.blocks[i]);
  }
  cache_destroyed = true;
}

void* BufferCache::Take(size_t bytes) {
  for (Bucket& b : buckets_) {
    if (b.bytes == bytes && b.count > 0) return b.blocks[--b.count];
  }
  return nullptr;
}

bool BufferCache::Keep(void* block, size_t bytes) {
  Bucket* unclaimed = nullptr;
  for (Bucket& b : buckets_) {
    if (b.bytes == bytes) {
      if (b.count == kBlocksPerBucket) return false;
      b.blocks[b.count++] = block;
      return true;
    }
    if (!unclaimed && b.count == 0) unclaimed = &b;
  }
  if (!unclaimed) return false;
  unclaimed->bytes = bytes;
  unclaimed->blocks[0] = block;
  unclaimed->count = 1;
  return true;
}

bool Cacheable(size_t bytes) { return bytes >= kMinCachedBytes && bytes <= kMaxCachedBytes && !cache_destroyed; }

}  // namespace

void* AllocateBuffer(size_t bytes) {
  if (Cacheable(bytes)) {
    if (void* block = cache.Take(bytes)) return block;
  }
  return ::operator new(bytes);
}

void FreeBuffer(void* block, size_t bytes) {
  if (Cacheable(bytes) && cache.Keep(block, bytes)) return;
  ::operator delete(block);
}

}  // namespace lyt
