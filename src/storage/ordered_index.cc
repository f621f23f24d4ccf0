#include "storage/ordered_index.h"

#include <absl/container/btree_set.h>

#include <mutex>
#include <shared_mutex>

#include "common/process_memory.h"
#include "storage/key_scanner.h"
#include "storage/ordered_key.h"

namespace lyt {

namespace {

struct Entry {
  std::string key;
  row_t row;
  bool operator<(const Entry& other) const { return key < other.key || (key == other.key && row < other.row); }
};

// Entries read per hold of the shared lock.
constexpr size_t kScanBatch = 1024;

}  // namespace

struct OrderedIndex::Tree {
  mutable std::shared_mutex mutex;
  absl::btree_set<Entry> entries;
  size_t key_heap_bytes = 0;  // the heap blocks of the entries' keys
  // Rebuild indexes the rows live at the latest commit only: Scan answers snapshots taken at or
  // after the newest delete it left out (0: every snapshot).
  version_t complete_from = 0;
};

OrderedIndex::OrderedIndex(std::vector<idx_t> columns) : columns_(std::move(columns)), tree_(std::make_unique<Tree>()) {}

OrderedIndex::~OrderedIndex() = default;

void OrderedIndex::Insert(std::string key, row_t row) {
  std::unique_lock guard(tree_->mutex);
  auto [it, inserted] = tree_->entries.insert(Entry{std::move(key), row});
  if (inserted) tree_->key_heap_bytes += StringHeapBytes(it->key);
}

void OrderedIndex::Clear() {
  std::unique_lock guard(tree_->mutex);
  tree_->entries.clear();
  tree_->key_heap_bytes = 0;
  tree_->complete_from = 0;
}

size_t OrderedIndex::MemoryBytes() const {
  // B-tree nodes run about three quarters full.
  std::shared_lock guard(tree_->mutex);
  return sizeof(Tree) + tree_->entries.size() * sizeof(Entry) * 4 / 3 + tree_->key_heap_bytes;
}

size_t OrderedIndex::size() const {
  std::shared_lock guard(tree_->mutex);
  return tree_->entries.size();
}

void OrderedIndex::Rebuild(const DataTable& table) {
  std::vector<Entry> entries;
  entries.reserve(table.slot_count());
  size_t key_heap_bytes = 0;
  version_t complete_from = table.LatestCommittedDelete();
  KeyScanner scan(table, columns_);
  while (scan.Next()) {
    for (idx_t r = 0; r < scan.size(); ++r) {
      Entry e{{}, scan.row_ids()[r]};
      EncodeOrderedKey(scan.keys(), r, e.key);
      key_heap_bytes += StringHeapBytes(e.key);
      entries.push_back(std::move(e));
    }
  }
  std::sort(entries.begin(), entries.end());
  absl::btree_set<Entry> tree(std::make_move_iterator(entries.begin()), std::make_move_iterator(entries.end()));
  std::unique_lock guard(tree_->mutex);
  tree_->entries = std::move(tree);
  tree_->key_heap_bytes = key_heap_bytes;
  tree_->complete_from = complete_from;
}

bool OrderedIndex::Scan(const DataTable& table, const Snapshot& snapshot, const std::string& lower, const std::string& upper,
                        size_t max_rows, std::vector<row_t>& out) const {
  Cursor cursor{lower, upper};
  while (!cursor.done) {
    if (!Read(table, snapshot, cursor, std::min(kScanBatch - 1, max_rows - cursor.read) + 1, out)) return false;
    if (cursor.read > max_rows) return false;
  }
  return true;
}

bool OrderedIndex::Read(const DataTable& table, const Snapshot& snapshot, Cursor& cursor, size_t batch,
                        std::vector<row_t>& out) const {
  if (cursor.done) return true;
  size_t batch_start = out.size();
  {
    // Candidates of one batch under the tree's lock, then their visibility under the table's.
    std::shared_lock guard(tree_->mutex);
    if (snapshot.start < tree_->complete_from) return false;
    const auto& entries = tree_->entries;
    // Re-seek from the last entry read: inserts meanwhile invalidate iterators, not the order.
    Entry last{cursor.key, cursor.row};
    bool started = cursor.read > 0;
    auto it = entries.end();
    size_t n = 0;
    if (!cursor.reverse) {
      it = started ? entries.upper_bound(last) : entries.lower_bound(Entry{cursor.lower, std::numeric_limits<row_t>::min()});
      for (; n < batch && it != entries.end() && (cursor.upper.empty() || it->key < cursor.upper); ++it, ++n) out.push_back(it->row);
      cursor.done = n < batch;
      if (n > 0) --it;
    } else {
      if (started) {
        it = entries.lower_bound(last);
      } else if (!cursor.upper.empty()) {
        it = entries.lower_bound(Entry{cursor.upper, std::numeric_limits<row_t>::min()});
      }
      for (; n < batch && it != entries.begin() && std::prev(it)->key >= cursor.lower; ++n) out.push_back((--it)->row);
      cursor.done = n < batch;
    }
    if (n > 0) {
      cursor.key = it->key;
      cursor.row = it->row;
      cursor.read += n;
    }
  }
  table.KeepVisible(snapshot, out, batch_start);
  return true;
}

}  // namespace lyt
