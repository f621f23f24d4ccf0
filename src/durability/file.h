// The file operations under the write-ahead log and the checkpoints, behind an interface so
// that tests can make them fail (short writes, ENOSPC, fsync errors) exactly where they choose.
// Errors are Status values with SQLSTATE 58030 (io_error) naming the file and the system error;
// ENOSPC gets 53100 (disk_full).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lyt/status.h"

namespace lyt::durability {

// One open file, written at explicit offsets. Not thread-safe.
class File {
 public:
  virtual ~File() = default;
  // Writes all of `bytes` at `offset` (a short write is retried; failing that, an error).
  virtual Status Write(uint64_t offset, std::string_view bytes) = 0;
  // fdatasync: everything written so far is on disk when it returns OK.
  virtual Status Sync() = 0;
  // Reserves disk space for [0, size) so later writes there cannot fail for lack of space.
  virtual Status Allocate(uint64_t size) = 0;
  virtual Status Truncate(uint64_t size) = 0;
};

// Opens files and changes directories. The default one (Posix()) is the real file system.
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Opens `path` for writing, creating it (mode 0600) when missing; `truncate` empties it.
  virtual Status Open(const std::string& path, bool truncate, std::unique_ptr<File>* out) = 0;
  // Makes renames and new or removed files in `dir` durable.
  virtual Status SyncDirectory(const std::string& dir) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status Remove(const std::string& path) = 0;

  static FileSystem& Posix();
};

// A file mapped read-only into memory (reads are never faked): recovery reads log segments and
// checkpoints through it without copying them, and the never-written preallocated tail of a
// segment costs no reads.
class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  Status Open(const std::string& path);
  std::string_view data() const { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
};
// The names (not paths) of the entries of `dir`, sorted.
Status ListDirectory(const std::string& dir, std::vector<std::string>* names);
// Creates directory `path` (mode 0700); an existing one is fine.
Status MakeDirectory(const std::string& path);
// A Status for a failed system call on `path` (errno `error`).
Status IoError(const std::string& what, const std::string& path, int error);

}  // namespace lyt::durability
