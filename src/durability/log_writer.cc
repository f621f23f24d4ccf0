#include "durability/log_writer.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

#include "common/error.h"
#include "common/metrics.h"
#include "durability/log_format.h"

namespace lyt::durability {

namespace {

// Error keeps its SQLSTATE as a pointer to a constant: map the Status's text back to one.
[[noreturn]] void Throw(const Status& status) {
  const char* state = status.sqlstate() == sqlstate::kDiskFull ? sqlstate::kDiskFull : sqlstate::kIoError;
  throw Error(state, status.message());
}

}  // namespace

std::string SegmentFileName(uint64_t sequence) {
  char name[32];
  std::snprintf(name, sizeof(name), "%016" PRIx64 ".wal", sequence);
  return name;
}

uint64_t ParseSegmentFileName(const std::string& name) {
  if (name.size() != 20 || name.substr(16) != ".wal") return 0;
  uint64_t value = 0;
  for (size_t i = 0; i < 16; ++i) {
    char c = name[i];
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0) return 0;
    value = value * 16 + static_cast<uint64_t>(digit);
  }
  return value;
}

LogWriter::LogWriter(LogOptions options) : options_(std::move(options)) {}

LogWriter::~LogWriter() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  work_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  {
    std::lock_guard lock(mutex_);
    if (file_ && broken_.ok() && written_ > flushed_upto_ && file_->Sync().ok()) flushed_upto_ = written_;
    if (flushed_upto_ < written_) failed_from_ = std::min(failed_from_, flushed_upto_);
  }
  ReleaseWaiters();
}

Status LogWriter::Start(uint64_t sequence) {
  {
    std::lock_guard lock(mutex_);
    Status s = OpenSegment(sequence);
    if (!s.ok()) return s;
  }
  flusher_ = std::thread([this] { FlushLoop(); });
  return Status::OK();
}

Status LogWriter::OpenSegment(uint64_t sequence) {
  std::string path = options_.dir + "/" + SegmentFileName(sequence);
  std::unique_ptr<File> file;
  Status s = options_.fs->Open(path, true, &file);
  if (!s.ok()) return s;
  std::string header = EncodeFileHeader(kLogMagic, sequence);
  s = file->Allocate(options_.segment_bytes);
  if (s.ok()) s = file->Write(0, header);
  if (s.ok()) s = file->Sync();
  if (s.ok()) s = options_.fs->SyncDirectory(options_.dir);
  if (!s.ok()) {
    file.reset();
    (void)options_.fs->Remove(path);
    return s;
  }
  file_ = std::move(file);
  sequence_ = sequence;
  offset_ = header.size();
  allocated_ = options_.segment_bytes;
  segment_start_ = written_;
  return Status::OK();
}

uint64_t LogWriter::Append(std::string_view records) {
  std::unique_lock lock(mutex_);
  if (!broken_.ok()) Throw(broken_);
  if (offset_ + records.size() > allocated_ && offset_ > kFileHeaderSize) {
    // The next segment: this one is flushed first, so a segment is complete before the next
    // one holds anything (only the last segment can end in a torn write).
    Status s = file_->Sync();
    if (!s.ok()) {
      broken_ = s;
      failed_from_ = flushed_upto_;
      flushed_.notify_all();
      work_.notify_one();
      Throw(s);
    }
    flushed_upto_ = written_;
    flushed_.notify_all();
    work_.notify_one();  // waiters the switch's flush covered
    s = OpenSegment(sequence_ + 1);
    if (!s.ok()) Throw(s);  // the current segment stays, intact; a later commit tries again
  }
  if (offset_ + records.size() > allocated_) {  // a commit larger than a segment
    Status s = file_->Allocate(offset_ + records.size());
    if (!s.ok()) Throw(s);
    allocated_ = offset_ + records.size();
  }
  Status s = file_->Write(offset_, records);
  if (!s.ok()) {
    // Part of the records may have reached the file: zero them, so that recovery never reads a
    // record of this rolled-back commit. If even that fails, only a checkpoint can repair it.
    if (!file_->Write(offset_, std::string(records.size(), '\0')).ok()) {
      broken_ = s;
      failed_from_ = flushed_upto_;
    }
    Throw(s);
  }
  offset_ += records.size();
  written_ += records.size();
  return written_;
}

bool LogWriter::WaitDurable(uint64_t ticket) {
  if (ticket == 0 || options_.fsync != DatabaseOptions::Fsync::kAlways) return false;
  std::unique_lock lock(mutex_);
  while (flushed_upto_ < ticket && ticket <= failed_from_) {
    if (flushing_) {
      flushed_.wait(lock);
    } else if (broken_.ok()) {
      FlushLocked(lock);  // the leader: this flush covers every commit appended so far
    } else {
      break;
    }
  }
  if (flushed_upto_ >= ticket) return true;
  throw Error(sqlstate::kIoError, FlushFailure().message());
}

Status LogWriter::FlushFailure() const {
  return Status::Error(sqlstate::kIoError, "could not flush the write-ahead log (" + broken_.message() +
                                               "): this commit is visible but may not survive a crash; "
                                               "changes are refused until a checkpoint succeeds");
}

void LogWriter::WhenDurable(uint64_t ticket, std::function<void(Status)> done) {
  std::unique_lock lock(mutex_);
  if (ticket != 0 && options_.fsync == DatabaseOptions::Fsync::kAlways && flushed_upto_ < ticket &&
      ticket <= failed_from_) {
    if (flushing_ || !waiters_.empty()) {
      // Others are already waiting for a flush: join them (the flusher serves the group).
      waiters_.emplace(ticket, std::move(done));
      work_.notify_one();
      return;
    }
    // Nobody else is waiting: flushing here saves two thread hand-offs on a lone commit.
    FlushLocked(lock);
  }
  Status status = flushed_upto_ >= ticket || ticket == 0 || options_.fsync != DatabaseOptions::Fsync::kAlways
                      ? Status::OK()
                      : FlushFailure();
  lock.unlock();
  ReleaseWaiters();
  done(status);
}

bool LogWriter::WaitersReady() const {
  return !waiters_.empty() && (waiters_.begin()->first <= flushed_upto_ || waiters_.rbegin()->first > failed_from_);
}

void LogWriter::ReleaseWaiters() {
  std::vector<std::pair<std::function<void(Status)>, Status>> ready;
  {
    std::lock_guard lock(mutex_);
    while (!waiters_.empty() && waiters_.begin()->first <= flushed_upto_) {
      ready.emplace_back(std::move(waiters_.begin()->second), Status::OK());
      waiters_.erase(waiters_.begin());
    }
    while (!waiters_.empty() && waiters_.rbegin()->first > failed_from_) {
      auto last = std::prev(waiters_.end());
      ready.emplace_back(std::move(last->second), FlushFailure());
      waiters_.erase(last);
    }
  }
  for (auto& [done, status] : ready) done(status);
}

Status LogWriter::Flush() {
  std::unique_lock lock(mutex_);
  while (flushing_) flushed_.wait(lock);
  if (!broken_.ok()) return broken_;
  if (written_ > flushed_upto_) FlushLocked(lock);
  return broken_;
}

void LogWriter::FlushLocked(std::unique_lock<std::mutex>& lock) {
  if (!broken_.ok() || written_ <= flushed_upto_) return;
  flushing_ = true;
  uint64_t target = written_;
  std::shared_ptr<File> file = file_;
  lock.unlock();
  auto started = std::chrono::steady_clock::now();
  Status s = file->Sync();
  if (options_.fsync_seconds != nullptr) {
    options_.fsync_seconds->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  lock.lock();
  flushing_ = false;
  if (s.ok()) {
    flushed_upto_ = std::max(flushed_upto_, target);
  } else {
    broken_ = s;
    failed_from_ = std::min(failed_from_, flushed_upto_);
  }
  flushed_.notify_all();
  work_.notify_one();
}

void LogWriter::FlushLoop() {
  using Fsync = DatabaseOptions::Fsync;
  std::unique_lock lock(mutex_);
  while (!stop_) {
    if (options_.fsync == Fsync::kAlways) {
      // Commits flush for themselves (WaitDurable, WhenDurable); the flusher serves the waiters
      // that queued up behind a running flush.
      work_.wait(lock, [&] { return stop_ || (!waiters_.empty() && !flushing_ && broken_.ok()) || WaitersReady(); });
    } else if (options_.fsync == Fsync::kBatch) {
      work_.wait_for(lock, std::chrono::milliseconds(options_.batch_ms), [&] { return stop_; });
    } else {
      work_.wait(lock, [&] { return stop_; });
    }
    if (stop_) break;
    if (!flushing_) FlushLocked(lock);
    lock.unlock();
    ReleaseWaiters();
    lock.lock();
  }
}

Status LogWriter::StartNewSegment(uint64_t* sequence) {
  std::lock_guard lock(mutex_);
  if (broken_.ok()) {
    Status s = file_->Sync();
    if (!s.ok()) {
      broken_ = s;
      failed_from_ = flushed_upto_;
      flushed_.notify_all();
      return s;
    }
    flushed_upto_ = written_;
    flushed_.notify_all();
    work_.notify_one();
  }
  Status s = OpenSegment(sequence_ + 1);
  if (!s.ok()) return s;
  checkpoint_start_ = written_;
  *sequence = sequence_;
  return Status::OK();
}

uint64_t LogWriter::bytes_since_checkpoint() {
  std::lock_guard lock(mutex_);
  return written_ - checkpoint_start_;
}

void LogWriter::MarkBroken(const Status& error) {
  std::lock_guard lock(mutex_);
  if (broken_.ok()) broken_ = error;
  failed_from_ = std::min(failed_from_, flushed_upto_);
  flushed_.notify_all();
  work_.notify_one();
}

void LogWriter::Repaired() {
  std::lock_guard lock(mutex_);
  broken_ = Status::OK();
  flushed_upto_ = written_;
  failed_from_ = ~uint64_t(0);
  flushed_.notify_all();
  work_.notify_one();
}

bool LogWriter::broken() {
  std::lock_guard lock(mutex_);
  return !broken_.ok();
}

}  // namespace lyt::durability
