#include "common/large_buffer.h"

#include <sys/mman.h>

#include <cstdlib>
#include <new>
#include <utility>

namespace lyt {

LargeBuffer::LargeBuffer(size_t bytes) : size_(bytes) {
  if (bytes < kHugePage) {
    data_ = static_cast<uint8_t*>(std::calloc(bytes == 0 ? 1 : bytes, 1));
    if (data_ == nullptr) throw std::bad_alloc();
    return;
  }
  // Map a huge page more than asked, then trim both ends to a 2 MiB-aligned range.
  size_t mapped = bytes + kHugePage;
  void* p = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  auto start = reinterpret_cast<uintptr_t>(p);
  uintptr_t aligned = (start + kHugePage - 1) & ~(kHugePage - 1);
  if (aligned > start) ::munmap(p, aligned - start);
  uintptr_t end = start + mapped;
  if (end > aligned + bytes) ::munmap(reinterpret_cast<void*>(aligned + bytes), end - (aligned + bytes));
  data_ = reinterpret_cast<uint8_t*>(aligned);
  mapped_ = true;
  (void)::madvise(data_, bytes, MADV_HUGEPAGE);  // a hint: without THP, plain pages serve
}

LargeBuffer::~LargeBuffer() { Release(); }

LargeBuffer::LargeBuffer(LargeBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)), mapped_(other.mapped_) {}

LargeBuffer& LargeBuffer::operator=(LargeBuffer&& other) noexcept {
  if (this != &other) {
    Release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    mapped_ = other.mapped_;
  }
  return *this;
}

void LargeBuffer::Release() {
  if (data_ == nullptr) return;
  if (mapped_) {
    ::munmap(data_, size_);
  } else {
    std::free(data_);
  }
  data_ = nullptr;
}

}  // namespace lyt
