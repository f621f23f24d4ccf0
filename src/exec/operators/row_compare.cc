#include "exec/operators/row_compare.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <string>

#include "exec/exec_context.h"
#include "exec/worker_pool.h"
#include "exec/expr_internal.h"
#include "storage/ordered_key.h"

namespace lyt {

int CompareRows(const Batches& batches, const std::vector<OrderKey>& keys, RowId a, RowId b) {
  const DataChunk& ca = *batches[RowBatch(a)];
  const DataChunk& cb = *batches[RowBatch(b)];
  idx_t ra = RowIndex(a), rb = RowIndex(b);
  for (const OrderKey& k : keys) {
    const Vector& va = ca.column(k.column);
    const Vector& vb = cb.column(k.column);
    int c = CompareSortKey(va, ra, vb, rb, k.descending, k.nulls_first);
    if (c != 0) return c;
  }
  return 0;
}

namespace {

// Rows ids[0..n) of column `column` of `batches` into rows 0..n of `out`, one row at a time
// (sorted rows come from anywhere in the batches).
template <typename T>
void GatherColumn(const Batches& batches, idx_t column, const RowId* ids, idx_t n, Vector& out) {
  out.MakeOwned();
  T* values = out.data<T>();
  uint8_t* nulls = out.nulls();
  for (idx_t i = 0; i < n; ++i) {
    const Vector& source = batches[RowBatch(ids[i])]->column(column);
    sel_t row = RowIndex(ids[i]);
    nulls[i] = source.nulls()[row];
    values[i] = source.data<T>()[row];
  }
}

// Strings are copied into out's heap: the batches may go before the rows are used.
void GatherStrings(const Batches& batches, idx_t column, const RowId* ids, idx_t n, Vector& out) {
  out.MakeOwned();
  StringRef* values = out.data<StringRef>();
  uint8_t* nulls = out.nulls();
  StringHeap& heap = out.heap();
  for (idx_t i = 0; i < n; ++i) {
    const Vector& source = batches[RowBatch(ids[i])]->column(column);
    sel_t row = RowIndex(ids[i]);
    nulls[i] = source.nulls()[row];
    values[i] = nulls[i] ? StringRef{} : heap.Add(source.data<StringRef>()[row].view());
  }
}

}  // namespace

void GatherRows(const Batches& batches, const RowId* ids, idx_t n, DataChunk& out, idx_t first_column) {
  if (n == 0) return;
  const DataChunk& first = *batches[RowBatch(ids[0])];
  for (idx_t c = 0; c < first.ColumnCount(); ++c) {
    Vector& dst = out.column(first_column + c);
    const LogicalType& type = first.column(c).type();
    switch (type.IsString() ? 0 : PhysicalSize(type.id)) {
      case 1: GatherColumn<uint8_t>(batches, c, ids, n, dst); break;
      case 2: GatherColumn<int16_t>(batches, c, ids, n, dst); break;
      case 4: GatherColumn<int32_t>(batches, c, ids, n, dst); break;
      case 8: GatherColumn<int64_t>(batches, c, ids, n, dst); break;
      case 16: GatherColumn<Interval>(batches, c, ids, n, dst); break;
      default: GatherStrings(batches, c, ids, n, dst); break;
    }
  }
}

bool NextSortedBatch(const Batches& batches, const std::vector<RowId>& order, size_t& next, DataChunk& out) {
  if (next >= order.size()) return false;
  out.Reset();
  idx_t n = std::min<idx_t>(kVectorSize, order.size() - next);
  GatherRows(batches, &order[next], n, out);
  next += n;
  out.SetSize(n);
  return true;
}

namespace {

// Sorts of fewer rows compare rows directly: encoding keys would cost more than it saves.
constexpr size_t kMinKeyedSort = 64;
// The most words of normalized key per row (32 bytes): wider keys rarely decide more orders.
constexpr size_t kMaxKeyWords = 4;

// Words of normalized key for `keys`: per key a marker byte, then 8 bytes of value (16 for an
// INTERVAL; for text, its first 8 bytes or so), at most kMaxKeyWords.
size_t KeyWords(const Batches& batches, const std::vector<OrderKey>& keys) {
  size_t bytes = 0;
  for (const OrderKey& k : keys) {
    TypeId type = batches[0]->column(k.column).type().id;
    bytes += type == TypeId::Null ? 1 : type == TypeId::Interval ? 17 : 9;
  }
  return std::clamp<size_t>((bytes + 7) / 8, 1, kMaxKeyWords);
}

// Appends row `row`'s keys: per key a marker byte putting NULL first or last, then (not NULL)
// the value's ordered encoding, every bit flipped for DESC. The encodings are self-delimiting, so
// unsigned byte order of the result is the rows' order, whatever follows them.
void EncodeSortKey(const DataChunk& chunk, idx_t row, const std::vector<OrderKey>& keys, std::string& out) {
  for (const OrderKey& k : keys) {
    size_t start = out.size();
    EncodeOrderedValue(chunk.column(k.column), row, out);
    if (out[start] == kNullMarker) {
      out[start] = k.nulls_first ? 0 : 2;
      continue;
    }
    out[start] = 1;
    if (k.descending) {
      for (size_t i = start + 1; i < out.size(); ++i) out[i] = static_cast<char>(~out[i]);
    }
  }
}

// Sorts of fewer rows run on one thread.
constexpr size_t kMinParallelSort = 100000;

// Runs task(0..parts) on the worker pool (inline for one part).
void RunSlices(size_t parts, const std::function<void(size_t)>& task) {
  if (parts == 1) return task(0);
  WorkerPool::Shared().Run(parts, task);
}

template <size_t K>
struct KeyedRow {
  uint64_t words[K];
  RowId id;
};

// Rows [begin, end) of `ids` keyed into rows[begin, end); false when some key did not fit.
template <size_t K>
bool EncodeRows(const Batches& batches, const std::vector<OrderKey>& keys, const std::vector<RowId>& ids, size_t begin,
                size_t end, KeyedRow<K>* rows) {
  std::string encoded;
  bool exact = true;
  for (size_t i = begin; i < end; ++i) {
    encoded.clear();
    EncodeSortKey(*batches[RowBatch(ids[i])], RowIndex(ids[i]), keys, encoded);
    exact = exact && encoded.size() <= K * 8;
    // Zero padding cannot tie two different complete keys: neither is a prefix of the other.
    encoded.resize(std::max(encoded.size(), K * 8), 0);
    for (size_t w = 0; w < K; ++w) {
      uint64_t word;
      std::memcpy(&word, encoded.data() + w * 8, 8);
      rows[i].words[w] = __builtin_bswap64(word);
    }
    rows[i].id = ids[i];
  }
  return exact;
}

// Sorts with K words of normalized key per row, on `parts` threads: each encodes and sorts a
// slice of the rows, then the sorted slices are merged pairwise (the last merge writes only the
// ids).
template <size_t K>
void SortKeyed(const Batches& batches, const std::vector<OrderKey>& keys, std::vector<RowId>& ids, size_t parts) {
  size_t n = ids.size();
  std::vector<KeyedRow<K>> rows(n);
  std::vector<size_t> bounds;  // slice p is [bounds[p], bounds[p + 1])
  for (size_t p = 0; p <= parts; ++p) bounds.push_back(n * p / parts);
  std::vector<char> slice_exact(parts);
  RunSlices(parts, [&](size_t p) {
    slice_exact[p] = EncodeRows(batches, keys, ids, bounds[p], bounds[p + 1], rows.data());
  });
  bool exact = std::all_of(slice_exact.begin(), slice_exact.end(), [](char e) { return e != 0; });
  auto less = [&](const KeyedRow<K>& a, const KeyedRow<K>& b) {
    for (size_t w = 0; w < K; ++w) {
      if (a.words[w] != b.words[w]) return a.words[w] < b.words[w];
    }
    if (!exact) {
      int c = CompareRows(batches, keys, a.id, b.id);
      if (c != 0) return c < 0;
    }
    return a.id < b.id;
  };
  RunSlices(parts, [&](size_t p) { std::sort(rows.begin() + bounds[p], rows.begin() + bounds[p + 1], less); });
  // Merges neighbouring sorted slices until two are left, then those two into `ids`.
  std::vector<KeyedRow<K>> merged(parts > 2 ? n : 0);
  while (bounds.size() > 3) {
    std::vector<size_t> next = {0};
    for (size_t p = 0; p + 1 < bounds.size(); p += 2) {
      auto first = rows.begin() + bounds[p], mid = rows.begin() + bounds[p + 1];
      if (p + 2 < bounds.size()) {
        std::merge(first, mid, mid, rows.begin() + bounds[p + 2], merged.begin() + bounds[p], less);
        next.push_back(bounds[p + 2]);
      } else {
        std::copy(first, mid, merged.begin() + bounds[p]);  // an odd slice out
        next.push_back(bounds[p + 1]);
      }
    }
    rows.swap(merged);
    bounds = std::move(next);
  }
  size_t a = 0, mid = bounds[1], b = mid, out = 0;
  while (a < mid && b < n) ids[out++] = less(rows[b], rows[a]) ? rows[b++].id : rows[a++].id;
  while (a < mid) ids[out++] = rows[a++].id;
  while (b < n) ids[out++] = rows[b++].id;
}

}  // namespace

void SortRows(const Batches& batches, const std::vector<OrderKey>& keys, std::vector<RowId>& ids, MemoryTracker& memory,
              size_t threads) {
  if (ids.empty() || keys.empty()) return;
  if (ids.size() < kMinKeyedSort) {
    std::sort(ids.begin(), ids.end(), RowLess{batches, keys});
    return;
  }
  size_t width = KeyWords(batches, keys);
  size_t parts = 1;
  if (ids.size() >= kMinParallelSort) parts = threads == 0 ? WorkerPool::Shared().threads() + 1 : threads;
  MemoryReservation scratch(memory);
  // The keyed rows, twice while more than two slices are merged.
  scratch.Add(ids.size() * (width + 1) * sizeof(uint64_t) * (parts > 2 ? 2 : 1));
  switch (width) {
    case 1: return SortKeyed<1>(batches, keys, ids, parts);
    case 2: return SortKeyed<2>(batches, keys, ids, parts);
    case 3: return SortKeyed<3>(batches, keys, ids, parts);
    default: return SortKeyed<4>(batches, keys, ids, parts);
  }
}

}  // namespace lyt
