// The process's memory as the operating system and the allocator see it (/v1/status, /metrics,
// the Redis INFO command).
#pragma once

#include <cstdint>

namespace lyt {

// The resident set (/proc/self/statm); 0 when it cannot be read.
uint64_t ResidentBytes();
// Bytes handed out by malloc and not yet freed (glibc's mallinfo2).
uint64_t HeapBytes();

}  // namespace lyt
