#include "durability/backup.h"

#include <sys/stat.h>

#include <shared_mutex>
#include <vector>

#include "common/error.h"
#include "durability/log_format.h"
#include "durability/log_writer.h"
#include "durability/store.h"
#include "main/engine.h"

namespace lyt::durability {

namespace {

// `dir` may not exist yet, or be an empty directory: a backup never mixes with other files.
Status PrepareTarget(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
    return Status::Error(sqlstate::kIoError, "backup target \"" + dir + "\" exists and is not a directory");
  }
  std::vector<std::string> names;
  Status s = ListDirectory(dir, &names);
  if (s.ok() && !names.empty()) {
    return Status::Error(sqlstate::kIoError, "backup directory \"" + dir + "\" is not empty");
  }
  s = MakeDirectory(dir);
  if (s.ok()) s = MakeDirectory(dir + "/" + kLogDir);
  return s;
}

// The first log segment of the copy: a header and nothing else (recovery needs the segment
// that follows the checkpoint to exist).
Status WriteEmptySegment(FileSystem& fs, const std::string& log_dir, uint64_t sequence) {
  std::unique_ptr<File> file;
  std::string path = log_dir + "/" + SegmentFileName(sequence);
  Status s = fs.Open(path, true, &file);
  if (s.ok()) s = file->Write(0, EncodeFileHeader(kLogMagic, sequence));
  if (s.ok()) s = file->Sync();
  if (s.ok()) s = fs.SyncDirectory(log_dir);
  return s;
}

}  // namespace

Status WriteBackup(Engine& engine, const std::string& dir, CheckpointInfo* info) {
  if (dir.empty()) return Status::Error(sqlstate::kIoError, "backup directory name is empty");
  Status s = PrepareTarget(dir);
  if (!s.ok()) return s;
  FileSystem& fs = FileSystem::Posix();
  constexpr uint64_t kFirstSegment = 1;
  s = WriteEmptySegment(fs, dir + "/" + kLogDir, kFirstSegment);
  if (!s.ok()) return s;
  std::shared_lock catalog_lock(engine.catalog_lock());
  TransactionManager& transactions = engine.transactions();
  auto txn = transactions.Begin();
  // Every commit the snapshot sees is in the log already (commits are appended before they
  // become visible): flushing now makes them all durable at the source first.
  if (Store* store = engine.store()) s = store->FlushLog();
  if (s.ok()) s = WriteCheckpoint(fs, dir, engine.catalog(), engine.users(), txn->snapshot(), kFirstSegment, &engine.kv(), info);
  transactions.Rollback(*txn);
  if (s.ok()) s = fs.SyncDirectory(dir);
  return s;
}

}  // namespace lyt::durability
