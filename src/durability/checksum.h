// Checksums of the write-ahead log and checkpoint files: XXH3 (libxxhash), seeded so that a run
// of zero bytes (preallocated, never written) never checks out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace lyt::durability {

uint64_t Checksum64(const void* data, size_t size);
inline uint64_t Checksum64(std::string_view bytes) { return Checksum64(bytes.data(), bytes.size()); }
inline uint32_t Checksum32(const void* data, size_t size) { return static_cast<uint32_t>(Checksum64(data, size)); }

}  // namespace lyt::durability
