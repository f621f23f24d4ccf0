#include "durability/log_writer.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

#include "common/error.h"
#include "common/metrics.h"
#include "durability/log_format.h"

namespace lyt::durability {

namespace {

// Writes `bytes` at `at`. When that fails, part of them may have reached the file: they are
// zeroed, so that recovery never reads a record of a commit that failed; `zeroed` (optional)
// tells whether that worked (if not, only a checkpoint can repair the log).
Status WriteOrZero(File& file, uint64_t at, std::string_view bytes, bool* zeroed = nullptr) {
  Status s = file.Write(at, bytes);
  bool ok = s.ok() || file.Write(at, std::string(bytes.size(), '\0')).ok();
  if (zeroed) *zeroed = ok;
  return s;
}

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
  if (file_) (void)WriteStaged();
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

Status LogWriter::MakeRoom(uint64_t size) {
  if (offset_ + size > allocated_ && offset_ > kFileHeaderSize) {
    // The next segment: this one is flushed first, so a segment is complete before the next
    // one holds anything (only the last segment can end in a torn write).
    Status s = file_->Sync();
    if (!s.ok()) {
      broken_ = s;
      failed_from_ = flushed_upto_;
      flushed_.notify_all();
      work_.notify_one();
      return s;
    }
    flushed_upto_ = written_;
    flushed_.notify_all();
    work_.notify_one();  // waiters the switch's flush covered
    s = OpenSegment(sequence_ + 1);
    if (!s.ok()) return s;  // the current segment stays, intact; a later commit tries again
  }
  if (offset_ + size > allocated_) {  // a commit larger than a segment
    Status s = file_->Allocate(offset_ + size);
    if (!s.ok()) return s;
    allocated_ = offset_ + size;
  }
  return Status::OK();
}

Status LogWriter::WriteLocked(std::string_view bytes) {
  Status s = MakeRoom(bytes.size());
  if (!s.ok()) return s;
  bool zeroed = true;
  s = WriteOrZero(*file_, offset_, bytes, &zeroed);
  if (!s.ok()) {
    if (!zeroed) {
      broken_ = s;
      failed_from_ = std::min(failed_from_, flushed_upto_);
    }
    return s;
  }
  offset_ += bytes.size();
  written_ += bytes.size();
  return Status::OK();
}

void LogWriter::DropStaged(const Status& error) {
  if (broken_.ok()) broken_ = error;
  failed_from_ = std::min(failed_from_, flushed_upto_);
  // Their tickets stay taken: a checkpoint, which writes what is in memory, makes them durable.
  written_ += staged_.size();
  staged_.clear();
  unwritten_end_.store(0, std::memory_order_release);
  flushed_.notify_all();
  work_.notify_one();
}

Status LogWriter::WriteStagedAnd(std::string_view records) {
  if (staged_.empty()) return WriteLocked(records);
  // One write for the staged commits and `records`. If it fails, `records` is simply not
  // written, but the staged commits, already in memory, cannot roll back: the log turns broken.
  size_t staged = staged_.size();
  staged_.append(records);
  Status s = WriteLocked(staged_);
  if (!s.ok()) {
    staged_.resize(staged);
    DropStaged(s);
    return s;
  }
  staged_.clear();
  unwritten_end_.store(0, std::memory_order_release);
  return s;
}

uint64_t LogWriter::Append(std::string_view records) {
  std::unique_lock lock(mutex_);
  writer_done_.wait(lock, [&] { return !writer_active_; });
  if (!broken_.ok()) Throw(broken_);
  Status s = WriteStagedAnd(records);
  if (!s.ok()) Throw(s);
  return written_;
}

uint64_t LogWriter::Stage(std::string_view records) {
  std::lock_guard lock(mutex_);
  if (!broken_.ok()) Throw(broken_);
  staged_.append(records);
  uint64_t ticket = written_ + in_flight_ + staged_.size();
  unwritten_end_.store(ticket, std::memory_order_release);
  return ticket;
}

Status LogWriter::WriteStaged() {
  std::unique_lock lock(mutex_);
  if (writer_active_ || staged_.empty()) {
    lock.unlock();
    ReleaseWaiters();  // commits that another write covered
    return Status::OK();
  }
  writer_active_ = true;
  Status result;
  while (!staged_.empty()) {
    if (!broken_.ok()) {
      DropStaged(broken_);
      break;
    }
    result = MakeRoom(staged_.size());
    if (!result.ok()) {
      DropStaged(result);
      break;
    }
    // Written without mutex_, so that event loops can stage their next batches meanwhile.
    writing_.swap(staged_);
    in_flight_ = writing_.size();
    std::shared_ptr<File> file = file_;
    uint64_t at = offset_;
    lock.unlock();
    result = WriteOrZero(*file, at, writing_);  // a failure breaks the log, zeroed or not
    lock.lock();
    in_flight_ = 0;
    if (!result.ok()) {
      written_ += writing_.size();  // the lost commits' tickets stay taken, like the staged ones'
      writing_.clear();
      DropStaged(result);
      break;
    }
    offset_ = at + writing_.size();
    written_ += writing_.size();
    writing_.clear();
  }
  if (staged_.empty()) unwritten_end_.store(0, std::memory_order_release);
  writer_active_ = false;
  writer_done_.notify_all();
  if (options_.fsync == DatabaseOptions::Fsync::kAlways && !waiters_.empty()) work_.notify_one();
  lock.unlock();
  ReleaseWaiters();
  return result;
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

uint64_t LogWriter::durable_upto() const {
  return options_.fsync == DatabaseOptions::Fsync::kAlways ? flushed_upto_ : written_;
}

void LogWriter::WhenDurable(uint64_t ticket, std::function<void(Status)> done) {
  std::unique_lock lock(mutex_);
  if (ticket > written_ && ticket <= failed_from_) {
    // Staged, not written yet: the WriteStaged that writes it answers (or the flusher, after it).
    waiters_.emplace(ticket, std::move(done));
    return;
  }
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
  Status status = ticket <= failed_from_ && durable_upto() >= ticket ? Status::OK() : FlushFailure();
  lock.unlock();
  ReleaseWaiters();
  done(status);
}

bool LogWriter::WaitersReady() const {
  return !waiters_.empty() && (waiters_.begin()->first <= durable_upto() || waiters_.rbegin()->first > failed_from_);
}

void LogWriter::ReleaseWaiters() {
  std::vector<std::pair<std::function<void(Status)>, Status>> ready;
  {
    std::lock_guard lock(mutex_);
    // Failures first: the tickets of staged commits lost to a failed write stay below
    // durable_upto() (they are never reused), yet fail.
    while (!waiters_.empty() && waiters_.rbegin()->first > failed_from_) {
      auto last = std::prev(waiters_.end());
      ready.emplace_back(std::move(last->second), FlushFailure());
      waiters_.erase(last);
    }
    while (!waiters_.empty() && waiters_.begin()->first <= durable_upto()) {
      ready.emplace_back(std::move(waiters_.begin()->second), Status::OK());
      waiters_.erase(waiters_.begin());
    }
  }
  for (auto& [done, status] : ready) done(status);
}

Status LogWriter::Flush() {
  Status staged = WriteStaged();
  if (!staged.ok()) return staged;
  std::unique_lock lock(mutex_);
  writer_done_.wait(lock, [&] { return !writer_active_; });  // another thread's write of staged commits
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
      // (A waiter whose commit is still staged needs WriteStaged first, not a flush.)
      work_.wait(lock, [&] {
        return stop_ || (!waiters_.empty() && waiters_.begin()->first <= written_ && !flushing_ && broken_.ok()) ||
               WaitersReady();
      });
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
  std::unique_lock lock(mutex_);
  writer_done_.wait(lock, [&] { return !writer_active_; });
  if (broken_.ok() && !staged_.empty()) {
    // The staged commits precede the checkpoint's snapshot: they belong to this segment.
    Status s = WriteStagedAnd({});
    if (!s.ok()) return s;
  }
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
