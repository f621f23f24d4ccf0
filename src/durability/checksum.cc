#include "durability/checksum.h"

#include <xxhash.h>

namespace lyt::durability {

namespace {
constexpr uint64_t kSeed = 0x4c79744442303031ULL;  // "LytDB001"
}

uint64_t Checksum64(const void* data, size_t size) { return XXH3_64bits_withSeed(data, size, kSeed); }

}  // namespace lyt::durability
