// The process's memory as the operating system and the allocator see it (/v1/status, /metrics,
// the Redis INFO command).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace lyt {

// The resident set (/proc/self/statm); 0 when it cannot be read.
uint64_t ResidentBytes();
// Bytes handed out by malloc and not yet freed (glibc's mallinfo2).
uint64_t HeapBytes();

// The heap block behind `s`: none while it fits the string itself (the short-string buffer).
inline size_t StringHeapBytes(const std::string& s) {
  return s.capacity() > std::string().capacity() ? s.capacity() + 1 : 0;
}

}  // namespace lyt
