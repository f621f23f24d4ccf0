// Checkpoint files: everything committed up to one snapshot, in the framing of log_format.h.
//
//   <data dir>/checkpoint-<commit timestamp, 16 hex digits>.lyt
//   records: kCheckpointMeta (u64 timestamp, u64 first log segment after it), then
//            kCheckpointEntry records (u8 codec 1 = zstd, u64 raw size, compressed entries:
//            the catalog image, then every table's rows column by column, log_entries.h),
//            then kCheckpointEnd (u64 number of entry records)
// Written to a .tmp file, flushed, renamed, and the directory flushed: a checkpoint file either
// is complete or does not exist under its name.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "durability/file.h"
#include "storage/version.h"

namespace lyt {
class Catalog;
namespace auth {
class UserStore;
}
namespace kv {
class Store;
}
}  // namespace lyt

namespace lyt::durability {

class Replayer;

std::string CheckpointFileName(version_t timestamp);
// Whether `name` is a checkpoint file name; its timestamp into *timestamp.
bool ParseCheckpointFileName(const std::string& name, version_t* timestamp);

struct CheckpointInfo {
  version_t timestamp = 0;   // every commit up to it is in the checkpoint
  uint64_t log_segment = 0;  // the first log segment holding later commits
  uint64_t bytes = 0;        // file size
};

// Writes the checkpoint of what `snapshot` sees (the caller holds the catalog lock shared, so
// the catalog and users do not change meanwhile) into `dir`, then the image of every keyspace of
// `kv` (may be null), each as it is when its turn comes (kv/store.h).
Status WriteCheckpoint(FileSystem& fs, const std::string& dir, Catalog& catalog, const auth::UserStore& users,
                       const Snapshot& snapshot, uint64_t log_segment, kv::Store* kv, CheckpointInfo* info);

// Reads checkpoint file `path` into `replayer`. Any damage (checksum, truncation, unknown
// version, malformed content) is an error naming the file and the byte offset.
Status LoadCheckpoint(const std::string& path, Replayer& replayer, CheckpointInfo* info);
// The same for a checkpoint already in memory; `path` names it in errors.
Status DecodeCheckpoint(std::string_view file, const std::string& path, Replayer& replayer, CheckpointInfo* info);

// The payload of a kCheckpointEntry record holding `entries` (codec, raw size, compressed bytes).
Status CompressEntries(std::string_view entries, std::string* payload);

}  // namespace lyt::durability
