#include "durability/file.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace lyt::durability {

Status IoError(const std::string& what, const std::string& path, int error) {
  const char* state = error == ENOSPC || error == EDQUOT ? sqlstate::kDiskFull : sqlstate::kIoError;
  return Status::Error(state, "could not " + what + " \"" + path + "\": " + std::strerror(error));
}

namespace {

class PosixFile : public File {
 public:
  PosixFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixFile() override { ::close(fd_); }

  Status Write(uint64_t offset, std::string_view bytes) override {
    while (!bytes.empty()) {
      ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return IoError("write to file", path_, errno);
      if (n == 0) return IoError("write to file", path_, EIO);
      bytes.remove_prefix(static_cast<size_t>(n));
      offset += static_cast<uint64_t>(n);
    }
    return Status::OK();
  }
  Status Sync() override {
    if (::fdatasync(fd_) != 0) return IoError("flush file", path_, errno);
    return Status::OK();
  }
  Status Allocate(uint64_t size) override {
    int error = ::posix_fallocate(fd_, 0, static_cast<off_t>(size));
    // File systems without fallocate (EOPNOTSUPP/EINVAL) just do without the reservation.
    if (error != 0 && error != EOPNOTSUPP && error != EINVAL) return IoError("allocate space for file", path_, error);
    return Status::OK();
  }
  Status Truncate(uint64_t size) override {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return IoError("truncate file", path_, errno);
    return Status::OK();
  }

 private:
  int fd_;
  std::string path_;
};

class PosixFileSystem : public FileSystem {
 public:
  Status Open(const std::string& path, bool truncate, std::unique_ptr<File>* out) override {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | (truncate ? O_TRUNC : 0), 0600);
    if (fd < 0) return IoError("open file", path, errno);
    *out = std::make_unique<PosixFile>(fd, path);
    return Status::OK();
  }
  Status SyncDirectory(const std::string& dir) override {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return IoError("open directory", dir, errno);
    int rc = ::fsync(fd);
    int error = errno;
    ::close(fd);
    if (rc != 0) return IoError("flush directory", dir, error);
    return Status::OK();
  }
  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return IoError("rename file", from, errno);
    return Status::OK();
  }
  Status Remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return IoError("remove file", path, errno);
    return Status::OK();
  }
};

}  // namespace

FileSystem& FileSystem::Posix() {
  static PosixFileSystem fs;
  return fs;
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(data_, size_);
}

Status MappedFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError("open file", path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int error = errno;
    ::close(fd);
    return IoError("read file", path, error);
  }
  size_ = static_cast<size_t>(st.st_size);
  if (size_ > 0) {
    data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (data_ == MAP_FAILED) {
      int error = errno;
      data_ = nullptr;
      size_ = 0;
      ::close(fd);
      return IoError("map file", path, error);
    }
  }
  ::close(fd);
  return Status::OK();
}

Status ListDirectory(const std::string& dir, std::vector<std::string>* names) {
  names->clear();
  DIR* d = ::opendir(dir.c_str());
  if (!d) return IoError("open directory", dir, errno);
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names->push_back(std::move(name));
  }
  ::closedir(d);
  std::sort(names->begin(), names->end());
  return Status::OK();
}

Status MakeDirectory(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0 || errno == EEXIST) return Status::OK();
  return IoError("create directory", path, errno);
}

}  // namespace lyt::durability
