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

// Whether row a sorts before row b under `keys`; ties go by RowId, so sorting is stable.
struct RowLess {
  const Batches& batches;
  const std::vector<OrderKey>& keys;
  bool operator()(RowId a, RowId b) const {
    int c = CompareRows(batches, keys, a, b);
    return c != 0 ? c < 0 : a < b;
  }
};

// Rows' normalized sort keys, in the order of a sorted list of row ids: row i's words are
// words[i * width, (i + 1) * width). When `exact`, equal words mean equal keys; else (a key was
// cut short) rows with equal words must be compared with CompareRows.
struct SortKeys {
  size_t width = 0;
  std::vector<uint64_t> words;
  bool exact = true;
};

// Three-way comparison of rows i of `a` and j of `b` on their words alone.
int CompareSortWords(const SortKeys& a, size_t i, const SortKeys& b, size_t j);

// Sorts `ids` (rows of `batches`) by `keys`, ties in RowId order (a stable sort when the ids come
// in RowId order). The normalized keys are counted against `memory` while sorting; with
// `keys_out`, they are kept there in the new order (the caller counts those).
void SortRows(const Batches& batches, const std::vector<OrderKey>& keys, std::vector<RowId>& ids, MemoryTracker& memory,
              SortKeys* keys_out = nullptr);

}  // namespace lyt
