// Hashing of column values for hash tables (aggregation, joins, DISTINCT).
#pragma once

#include <cstdint>

#include "common/hash_bytes.h"
#include "common/vector.h"

namespace lyt {

// hashes[i] = combine(hashes[i], hash of column row i) for rows 0..count. NULL hashes to a
// constant, so NULL keys group together.
void CombineHashes(const Vector& column, idx_t count, uint64_t* hashes, bool first);

}  // namespace lyt
