// Ordering of rows buffered in batches, shared by ORDER BY and window functions. A buffered row
// is addressed by a RowId: (batch index << 32) | row within the batch.
//
// Large sorts compare normalized keys: each row's sort keys encoded (storage/ordered_key.h's
// order-preserving encoding, with NULLs placed and DESC keys' bits flipped) into a few 64-bit
// words that order as the rows do, sorted as one contiguous array. Only rows whose keys do not
// fit the words (long strings) and tie on them are compared column by column.
#pragma once

#include <memory>
#include <vector>

#include "common/vector.h"
#include "plan/logical_plan.h"

namespace lyt {

class MemoryTracker;

using RowId = uint64_t;
using Batches = std::vector<std::unique_ptr<DataChunk>>;

inline RowId MakeRowId(uint64_t batch, idx_t row) { return (batch << 32) | row; }
inline uint64_t RowBatch(RowId id) { return id >> 32; }
inline sel_t RowIndex(RowId id) { return static_cast<sel_t>(id & 0xffffffff); }

// Three-way comparison of rows a and b on `keys` (columns of the batches): each key ascending or
// descending, with NULLs first or last as the key says (two NULLs are equal).
int CompareRows(const Batches& batches, const std::vector<OrderKey>& keys, RowId a, RowId b);

// Copies rows ids[0..n) of `batches` (every column) into columns first_column.. of `out`, rows
// 0..n; each run of rows from one batch takes one copy per column. Does not set out's size.
void GatherRows(const Batches& batches, const RowId* ids, idx_t n, DataChunk& out, idx_t first_column = 0);

// Copies the next batch of rows of `order` (from position `next` on, every column) into `out` and
// advances `next`; false when none is left. How sorted rows are returned.
bool NextSortedBatch(const Batches& batches, const std::vector<RowId>& order, size_t& next, DataChunk& out);

// Whether row a sorts before row b under `keys`; ties go by RowId, so sorting is stable.
struct RowLess {
  const Batches& batches;
  const std::vector<OrderKey>& keys;
  bool operator()(RowId a, RowId b) const {
    int c = CompareRows(batches, keys, a, b);
    return c != 0 ? c < 0 : a < b;
  }
};

// Sorts `ids` (rows of `batches`) by `keys`, ties in RowId order (a stable sort when the ids come
// in RowId order). Sorts of 100,000 rows or more are cut into `threads` slices (0: one per core),
// each encoded and sorted as a task of the WorkerPool, then merged. The normalized keys are
// counted against `memory` while they live.
void SortRows(const Batches& batches, const std::vector<OrderKey>& keys, std::vector<RowId>& ids, MemoryTracker& memory,
              size_t threads);

}  // namespace lyt
