// Row versions for multi-version concurrency control (snapshot isolation).
//
// Every row carries an insert version and a delete version. A version is one of:
//   - a commit timestamp, 1 .. kFirstTransactionId-1: the change is committed and visible to
//     snapshots taken at or after that timestamp;
//   - a transaction id, >= kFirstTransactionId: the change is not committed yet and visible only
//     to that transaction;
//   - kNever: no such change (the row is not deleted), or an insert that was rolled back.
// A row is visible to a snapshot when the snapshot sees its insert and does not see its delete.
#pragma once

#include <cstdint>

namespace lyt {

using version_t = uint64_t;

inline constexpr version_t kFirstTransactionId = version_t(1) << 62;
inline constexpr version_t kNever = ~version_t(0);

// The insert version of rows a schema change rewrites: visible to every snapshot (schema changes
// run alone and carry committed rows over unchanged).
inline constexpr version_t kVisibleToAll = 0;

inline bool IsCommitted(version_t v) { return v < kFirstTransactionId; }

// What one transaction (or one statement of it) sees.
struct Snapshot {
  version_t start = 0;   // every commit with a timestamp <= start
  version_t txn_id = 0;  // plus this transaction's own uncommitted changes (0: none)

  bool Sees(version_t v) const { return v <= start || v == txn_id; }
  bool SeesRow(version_t insert, version_t del) const { return Sees(insert) && !Sees(del); }

  // Every committed change and nothing uncommitted: what DDL works on (it runs alone).
  static Snapshot Latest() { return Snapshot{kFirstTransactionId - 1, 0}; }
};

}  // namespace lyt
