// Memory for big arrays (column extents of large tables, index slot tables): zero-filled, and
// from 2 MiB up mapped straight from the kernel, aligned to 2 MiB and marked for transparent
// huge pages (madvise), so that filling a 10-million-row table costs thousands of page faults
// rather than hundreds of thousands.
#pragma once

#include <cstddef>
#include <cstdint>

namespace lyt {

class LargeBuffer {
 public:
  static constexpr size_t kHugePage = size_t(2) << 20;

  // Throws std::bad_alloc.
  explicit LargeBuffer(size_t bytes);
  LargeBuffer() = default;
  ~LargeBuffer();
  LargeBuffer(LargeBuffer&& other) noexcept;
  LargeBuffer& operator=(LargeBuffer&& other) noexcept;
  LargeBuffer(const LargeBuffer&) = delete;
  LargeBuffer& operator=(const LargeBuffer&) = delete;

  uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  void Release();
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  bool mapped_ = false;  // from mmap (else calloc)
};

}  // namespace lyt
