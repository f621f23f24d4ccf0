#include "storage/unique_index.h"

#include "common/error.h"
#include "common/process_memory.h"
#include "common/interval.h"
#include "storage/key_scanner.h"

namespace lyt {

bool EncodeKey(const std::vector<const Vector*>& columns, idx_t row, std::string& out) {
  for (const Vector* v : columns) {
    if (v->IsNull(row)) return false;
    TypeId id = v->type().id;
    if (id == TypeId::Varchar || id == TypeId::Blob) {
      StringRef s = v->data<StringRef>()[row];
      uint32_t len = s.size;
      out.append(reinterpret_cast<const char*>(&len), sizeof(len));
      out.append(s.data, s.size);
    } else if (id == TypeId::Interval) {
      // Equal intervals ('1 day', '24 hours') are one key: encode their normalized total.
      __int128 total = IntervalTotal(v->data<Interval>()[row]);
      out.append(reinterpret_cast<const char*>(&total), sizeof(total));
    } else if (id == TypeId::Real || id == TypeId::Double) {
      // -0.0 equals 0.0 in SQL: normalize before taking the bytes.
      double d = id == TypeId::Real ? v->data<float>()[row] : v->data<double>()[row];
      if (d == 0) d = 0;
      out.append(reinterpret_cast<const char*>(&d), sizeof(d));
    } else {
      size_t width = PhysicalSize(id);
      out.append(reinterpret_cast<const char*>(v->data<uint8_t>() + row * width), width);
    }
  }
  return true;
}

row_t UniqueIndex::FindLive(const DataTable& table, const Snapshot& snapshot, version_t horizon, const std::string& key) {
  std::unique_lock guard(mutex_);
  row_t live = -1;
  std::vector<row_t>& stale = stale_;
  stale.clear();
  ForEachRow(key, [&](row_t row) {
    DataTable::RowVersions v = table.GetVersions(row);
    if (v.insert == kNever || (IsCommitted(v.del) && v.del <= horizon)) {  // rolled back, or dead for everyone
      stale.push_back(row);
      return;
    }
    if (IsCommitted(v.del)) {
      // Deleted by a commit this snapshot does not see: the key is free, but not in this snapshot.
      if (snapshot.Sees(v.insert) && !snapshot.Sees(v.del)) throw StaleSnapshotError();
      return;
    }
    if (v.del == snapshot.txn_id) return;  // this transaction deleted it
    if (v.del != kNever || (!IsCommitted(v.insert) && v.insert != snapshot.txn_id)) {
      throw Error(sqlstate::kSerializationFailure, "could not serialize access due to concurrent update");
    }
    if (IsCommitted(v.insert) && !snapshot.Sees(v.insert)) throw StaleSnapshotError();
    live = row;
  });
  for (row_t row : stale) Erase(key, row);
  return live;
}

void UniqueIndex::Erase(const std::string& key, row_t row) {
  if (SmallKeyMap::Fits(key)) {
    small_.Erase(key, row);
    return;
  }
  for (auto [it, end] = large_.equal_range(key); it != end; ++it) {
    if (it->second == row) {
      large_key_heap_bytes_ -= StringHeapBytes(it->first);
      large_.erase(it);
      return;
    }
  }
}

bool UniqueIndex::Lookup(const DataTable& table, const Snapshot& snapshot, const std::string& key,
                         std::vector<row_t>& out) const {
  std::shared_lock guard(mutex_);
  if (snapshot.start < complete_from_) return false;
  ForEachRow(key, [&](row_t row) {
    DataTable::RowVersions v = table.GetVersions(row);
    if (snapshot.SeesRow(v.insert, v.del)) out.push_back(row);
  });
  return true;
}

void UniqueIndex::Insert(std::string key, row_t row) {
  std::unique_lock guard(mutex_);
  if (SmallKeyMap::Fits(key)) {
    small_.Insert(key, row);
  } else {
    EmplaceLarge(std::move(key), row);
  }
}

void UniqueIndex::Clear() {
  std::unique_lock guard(mutex_);
  small_.Clear();
  large_.clear();
  large_key_heap_bytes_ = 0;
  complete_from_ = 0;
}

size_t UniqueIndex::size() const {
  std::shared_lock guard(mutex_);
  return small_.size() + large_.size();
}

size_t UniqueIndex::MemoryBytes() const {
  // A node of large_ holds its next pointer, key, row and cached hash.
  constexpr size_t kLargeNodeBytes = sizeof(void*) + sizeof(std::string) + sizeof(row_t) + sizeof(size_t);
  std::shared_lock guard(mutex_);
  return sizeof(*this) + small_.MemoryBytes() + large_.bucket_count() * sizeof(void*) + large_.size() * kLargeNodeBytes +
         large_key_heap_bytes_ + stale_.capacity() * sizeof(row_t);
}

void UniqueIndex::Rebuild(const DataTable& table, const std::string& constraint_name) {
  std::unique_lock guard(mutex_);
  small_.Clear();
  large_.clear();
  large_key_heap_bytes_ = 0;
  complete_from_ = table.LatestCommittedDelete();
  std::vector<std::string> keys;
  std::vector<bool> has_key;
  small_.Reserve(table.slot_count());
  KeyScanner scan(table, columns_);
  while (scan.Next()) {
    // Keys first, with their slots prefetched, then the inserts: the cache misses of a chunk's
    // random slots overlap instead of following one another.
    keys.resize(scan.size());
    has_key.assign(scan.size(), false);
    for (idx_t r = 0; r < scan.size(); ++r) {
      keys[r].clear();
      has_key[r] = EncodeKey(scan.keys(), r, keys[r]);
      if (has_key[r] && SmallKeyMap::Fits(keys[r])) small_.Prefetch(keys[r]);
    }
    for (idx_t r = 0; r < scan.size(); ++r) {
      if (!has_key[r]) continue;
      row_t row = scan.row_ids()[r];
      bool inserted = SmallKeyMap::Fits(keys[r]) ? small_.InsertIfAbsent(keys[r], row) : InsertLargeIfAbsent(keys[r], row);
      if (!inserted) {
        throw Error(sqlstate::kUniqueViolation,
                    "could not create unique index \"" + constraint_name + "\": key is duplicated");
      }
    }
  }
}

bool UniqueIndex::InsertLargeIfAbsent(const std::string& key, row_t row) {
  if (large_.count(key) != 0) return false;
  EmplaceLarge(key, row);
  return true;
}

void UniqueIndex::EmplaceLarge(std::string key, row_t row) {
  auto it = large_.emplace(std::move(key), row);
  large_key_heap_bytes_ += StringHeapBytes(it->first);
}

}  // namespace lyt
