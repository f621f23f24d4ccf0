#include "durability/store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <shared_mutex>

#include "common/error.h"
#include "durability/log_entries.h"
#include "durability/log_format.h"
#include "kv/store.h"
#include "main/engine.h"

namespace lyt::durability {

namespace {

constexpr const char* kLockFile = "lytdb.lock";

Status Corrupt(const std::string& message) { return Status::Error(sqlstate::kDataCorrupted, message); }

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

StoreOptions StoreOptionsFor(const DatabaseOptions& options, FileSystem* fs) {
  StoreOptions o;
  o.dir = options.data_dir;
  o.fsync = options.fsync;
  o.fsync_batch_ms = options.fsync_batch_ms;
  o.checkpoint_wal_bytes = options.checkpoint_wal_bytes;
  o.checkpoint_interval_seconds = options.checkpoint_interval_seconds;
  o.checkpoint_on_close = options.checkpoint_on_close;
  o.notice = options.notice;
  if (fs) o.fs = fs;
  return o;
}

Status Store::Open(StoreOptions options, Engine& engine, std::unique_ptr<Store>* out) {
  std::unique_ptr<Store> store(new Store(std::move(options), engine));
  const StoreOptions& o = store->options_;
  if (!o.check_only) {
    Status s = MakeDirectory(o.dir);
    if (s.ok()) s = MakeDirectory(o.dir + "/" + kLogDir);
    if (s.ok()) s = store->Lock();
    if (!s.ok()) return s;
  }
  Status s = store->Recover();
  if (!s.ok() || o.check_only) {
    *out = o.check_only && s.ok() ? std::move(store) : nullptr;
    return s;
  }
  LogOptions log_options;
  log_options.dir = o.dir + "/" + kLogDir;
  log_options.fsync = o.fsync;
  log_options.batch_ms = std::max<uint32_t>(1, o.fsync_batch_ms);
  log_options.segment_bytes = o.segment_bytes;
  log_options.fs = o.fs;
  log_options.fsync_seconds = &engine.metrics().wal_fsync_seconds();
  store->log_ = std::make_unique<LogWriter>(log_options);
  s = store->log_->Start(store->next_segment_);
  if (!s.ok()) return s;
  Store* raw = store.get();
  engine.transactions().SetCommitSink([raw](const ChangeSet& changes) { return raw->LogCommit(changes); });
  store->last_checkpoint_ = std::chrono::steady_clock::now();
  if (!store->have_checkpoint_) {
    // The first checkpoint makes the directory's state independent of the first segments.
    s = store->Checkpoint();
    if (!s.ok()) return s;
  }
  // What recovery replayed is checkpointed in the background at once, so that restarts do not
  // pile up log segments; the server serves meanwhile.
  store->checkpoint_soon_ = store->recovery_.commits_replayed > 0 && o.checkpoint_wal_bytes > 0;
  store->checkpointer_ = std::thread([raw] { raw->CheckpointLoop(); });
  *out = std::move(store);
  return Status::OK();
}

Store::~Store() {
  {
    std::lock_guard lock(loop_mutex_);
    stop_ = true;
  }
  loop_wake_.notify_all();
  if (checkpointer_.joinable()) checkpointer_.join();
  if (log_) {
    bool replayed_since = recovery_.commits_replayed > 0 && checkpoint_soon_;
    if (options_.checkpoint_on_close && (log_->bytes_since_checkpoint() > 0 || log_->broken() || replayed_since)) {
      Status s = Checkpoint();
      if (!s.ok()) Notice("checkpoint at close failed: " + s.message() + " (the log keeps every commit)");
    }
    engine_.transactions().SetCommitSink(nullptr);
    log_.reset();  // flushes
  }
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

Status Store::Lock() {
  std::string path = options_.dir + "/" + kLockFile;
  lock_fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) return IoError("open lock file", path, errno);
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    char pid[32] = {0};
    ssize_t n = ::pread(lock_fd_, pid, sizeof(pid) - 1, 0);
    std::string owner = n > 0 ? std::string(pid, static_cast<size_t>(n)) : "";
    while (!owner.empty() && (owner.back() == '\n' || owner.back() == ' ')) owner.pop_back();
    ::close(lock_fd_);
    lock_fd_ = -1;
    return Status::Error(sqlstate::kObjectInUse, "data directory \"" + options_.dir + "\" is in use by another process" +
                                                     (owner.empty() ? "" : " (pid " + owner + ")"));
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(lock_fd_, 0) == 0) (void)!::pwrite(lock_fd_, pid.data(), pid.size(), 0);
  return Status::OK();
}

Status Store::Recover() {
  auto started = std::chrono::steady_clock::now();
  Replayer replayer(engine_.catalog(), engine_.users(), &engine_.kv());
  std::vector<std::string> names;
  Status s = ListDirectory(options_.dir, &names);
  if (!s.ok()) return s;
  bool found = false;
  version_t newest = 0;
  for (const auto& name : names) {
    version_t ts;
    if (ParseCheckpointFileName(name, &ts) && (!found || ts > newest)) {
      found = true;
      newest = ts;
    }
  }
  version_t last_ts = 0;
  if (found) {
    s = LoadCheckpoint(options_.dir + "/" + CheckpointFileName(newest), replayer, &recovery_.checkpoint);
    if (!s.ok()) return s;
    have_checkpoint_ = true;
    recovery_.had_checkpoint = true;
    last_ts = recovery_.checkpoint.timestamp;
  }

  std::string log_dir = options_.dir + "/" + kLogDir;
  std::vector<uint64_t> segments;
  if (::access(log_dir.c_str(), F_OK) == 0) {
    s = ListDirectory(log_dir, &names);
    if (!s.ok()) return s;
    for (const auto& name : names) {
      if (uint64_t seq = ParseSegmentFileName(name)) segments.push_back(seq);
    }
  }
  std::sort(segments.begin(), segments.end());
  uint64_t first = have_checkpoint_ ? recovery_.checkpoint.log_segment : 1;
  segments.erase(segments.begin(), std::lower_bound(segments.begin(), segments.end(), first));  // older: replaced
  if (have_checkpoint_ && (segments.empty() || segments.front() != first)) {
    return Corrupt("log segment \"" + log_dir + "/" + SegmentFileName(first) + "\" is missing (the checkpoint " +
                   CheckpointFileName(recovery_.checkpoint.timestamp) + " continues there)");
  }
  if (!have_checkpoint_ && !segments.empty() && segments.front() != 1) {
    return Corrupt("log segment \"" + log_dir + "/" + SegmentFileName(1) + "\" is missing and there is no checkpoint");
  }
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0 && segments[i] != segments[i - 1] + 1) {
      return Corrupt("log segment \"" + log_dir + "/" + SegmentFileName(segments[i - 1] + 1) + "\" is missing (segments " +
                     SegmentFileName(segments[i - 1]) + " and " + SegmentFileName(segments[i]) + " exist)");
    }
    s = ReplaySegment(log_dir + "/" + SegmentFileName(segments[i]), i + 1 == segments.size(), replayer, &last_ts);
    if (!s.ok()) return s;
  }
  recovery_.segments = segments.size();
  next_segment_ = segments.empty() ? first : segments.back() + 1;
  try {
    replayer.Finish();
  } catch (const Error& e) {
    return Corrupt(std::string("recovered data is inconsistent: ") + e.what());
  }
  engine_.transactions().ResetClock(last_ts);
  recovery_.seconds = SecondsSince(started);
  return Status::OK();
}

Status Store::ReplaySegment(const std::string& path, bool last, Replayer& replayer, version_t* last_ts) {
  MappedFile mapped;
  Status s = mapped.Open(path);
  if (!s.ok()) return s;
  std::string_view file = mapped.data();
  uint64_t sequence = 0;
  s = DecodeFileHeader(file, kLogMagic, path, &sequence);
  if (!s.ok()) {
    bool never_written = file.find_first_not_of('\0', std::min(file.size(), kFileHeaderSize)) == std::string_view::npos;
    if (last && never_written) {
      // A segment whose creation was cut short holds nothing: it is made again.
      Notice("removed log segment \"" + path + "\", whose creation was interrupted");
      if (!options_.check_only) (void)options_.fs->Remove(path);
      return Status::OK();
    }
    return s;
  }
  if (sequence != ParseSegmentFileName(path.substr(path.size() - 20))) {
    return Corrupt("log segment \"" + path + "\" has sequence number " + std::to_string(sequence) + " in its header");
  }
  RecordReader reader(file);
  Record record;
  std::string pending;  // the leading parts of a large commit
  size_t pending_offset = 0;
  while (true) {
    RecordReader::Result r = reader.Next(&record);
    if (r == RecordReader::Result::kEnd) break;
    if (r == RecordReader::Result::kBad) {
      size_t at = reader.offset();
      if (!last || reader.ValidRecordAfter(at)) {
        return Corrupt("log segment \"" + path + "\" is damaged at byte " + std::to_string(at) +
                       ": record checksum mismatch" + (last ? " (valid records follow it, so it is not a torn write)" : ""));
      }
      uint64_t cut = (pending.empty() ? at : pending_offset);
      size_t nonzero_end = file.find_last_not_of('\0');
      recovery_.torn_bytes = nonzero_end == std::string_view::npos || nonzero_end < cut ? 0 : nonzero_end + 1 - cut;
      Notice("log segment \"" + path + "\" ends in a torn write at byte " + std::to_string(cut) + " (" +
             std::to_string(recovery_.torn_bytes) + " bytes of an unacknowledged commit cut off)");
      if (!options_.check_only) {
        std::unique_ptr<File> f;
        s = options_.fs->Open(path, false, &f);
        if (s.ok()) s = f->Truncate(cut);
        if (s.ok()) s = f->Sync();
        if (!s.ok()) return s;
      }
      return Status::OK();
    }
    if (record.type == RecordType::kCommitPart) {
      if (pending.empty()) pending_offset = record.offset;
      pending.append(record.payload);
      continue;
    }
    if (record.type != RecordType::kCommit) {
      return Corrupt("log segment \"" + path + "\" has a record of unknown type " + std::to_string(static_cast<int>(record.type)) +
                     " at byte " + std::to_string(record.offset));
    }
    std::string_view payload = record.payload;
    if (!pending.empty()) {
      pending.append(record.payload);
      payload = pending;
    }
    if (payload.size() < 8) return Corrupt("log segment \"" + path + "\": commit record too short at byte " + std::to_string(record.offset));
    version_t ts;
    std::memcpy(&ts, payload.data(), 8);
    if (ts > *last_ts) {
      try {
        replayer.ApplyCommit(payload);
      } catch (const Error& e) {
        return Corrupt("log segment \"" + path + "\", commit at byte " + std::to_string(pending.empty() ? record.offset : pending_offset) +
                       ": " + e.what());
      }
      *last_ts = ts;
      ++recovery_.commits_replayed;
    } else if (!have_checkpoint_ || ts > recovery_.checkpoint.timestamp) {
      return Corrupt("log segment \"" + path + "\": commit timestamps go backwards at byte " + std::to_string(record.offset));
    }
    pending.clear();
  }
  if (!pending.empty()) {
    if (!last) return Corrupt("log segment \"" + path + "\" ends inside a commit");
    Notice("log segment \"" + path + "\" ends inside a large commit that was never acknowledged: it is dropped");
    if (!options_.check_only) {
      std::unique_ptr<File> f;
      s = options_.fs->Open(path, false, &f);
      if (s.ok()) s = f->Truncate(pending_offset);
      if (s.ok()) s = f->Sync();
      if (!s.ok()) return s;
    }
  }
  return Status::OK();
}

uint64_t Store::LogCommit(const ChangeSet& changes) {
  std::string payload;
  EncodeCommit(changes, engine_.catalog(), engine_.users(), payload);
  std::string records;
  records.reserve(payload.size() + 2 * kRecordHeaderSize);
  std::string_view rest = payload;
  while (rest.size() > kMaxRecordPayload) {
    AppendRecord(RecordType::kCommitPart, rest.substr(0, kMaxRecordPayload), records);
    rest.remove_prefix(kMaxRecordPayload);
  }
  AppendRecord(RecordType::kCommit, rest, records);
  try {
    return changes.write_later ? log_->Stage(records) : log_->Append(records);
  } catch (const Error& e) {
    if (!changes.catalog && changes.rewritten_tables.empty() && changes.encoded_entries.empty()) throw;
    // A schema change (or a key-value change, made before it is logged) cannot be rolled back: it
    // stays in memory, and the log, which no longer describes memory, refuses changes until a
    // checkpoint writes everything.
    std::string message = std::string(e.what()) + "; the change is in effect but not yet durable: changes are refused until a checkpoint succeeds";
    log_->MarkBroken(Status::Error(e.sqlstate(), message));
    loop_wake_.notify_all();
    throw Error(e.sqlstate(), message);
  }
}

bool Store::WaitDurable(uint64_t ticket) { return log_->WaitDurable(ticket); }

void Store::WriteStagedLog() {
  if (!log_->WriteStaged().ok()) loop_wake_.notify_all();
}

Status Store::FlushLog() { return log_ ? log_->Flush() : Status::OK(); }

Status Store::Checkpoint() {
  if (!log_) return Status::OK();
  std::lock_guard checkpoint_lock(checkpoint_mutex_);
  auto started = std::chrono::steady_clock::now();
  std::shared_lock catalog_lock(engine_.catalog_lock());
  TransactionManager& transactions = engine_.transactions();
  uint64_t segment = 0;
  Status s;
  auto txn = transactions.BeginWith([&](version_t) { s = log_->StartNewSegment(&segment); });
  CheckpointInfo info;
  if (s.ok()) {
    s = WriteCheckpoint(*options_.fs, options_.dir, engine_.catalog(), engine_.users(), txn->snapshot(), segment, &engine_.kv(),
                        &info);
  }
  transactions.Rollback(*txn);
  if (!s.ok()) return s;
  RemoveOldFiles(info.timestamp, segment);
  have_checkpoint_ = true;
  last_checkpoint_ = std::chrono::steady_clock::now();
  engine_.metrics().RecordCheckpoint(std::chrono::duration<double>(last_checkpoint_ - started).count(),
                                     std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::system_clock::now().time_since_epoch()).count());
  if (log_->broken()) {
    log_->Repaired();
    Notice("the write-ahead log works again: a checkpoint wrote every change");
  }
  return Status::OK();
}

void Store::RemoveOldFiles(version_t keep_checkpoint, uint64_t first_segment) {
  std::vector<std::string> names;
  if (ListDirectory(options_.dir, &names).ok()) {
    for (const auto& name : names) {
      version_t ts;
      bool old = ParseCheckpointFileName(name, &ts) && ts != keep_checkpoint;
      bool stale_temp = name.rfind("checkpoint-", 0) == 0 && name.size() > 4 && name.substr(name.size() - 4) == ".tmp";
      if (old || stale_temp) (void)options_.fs->Remove(options_.dir + "/" + name);
    }
  }
  std::string log_dir = options_.dir + "/" + kLogDir;
  if (ListDirectory(log_dir, &names).ok()) {
    for (const auto& name : names) {
      uint64_t seq = ParseSegmentFileName(name);
      if (seq != 0 && seq < first_segment) (void)options_.fs->Remove(log_dir + "/" + name);
    }
  }
  (void)options_.fs->SyncDirectory(options_.dir);
  (void)options_.fs->SyncDirectory(log_dir);
}

void Store::CheckpointLoop() {
  std::unique_lock lock(loop_mutex_);
  while (!stop_) {
    if (!checkpoint_soon_) loop_wake_.wait_for(lock, std::chrono::seconds(1), [&] { return stop_; });
    if (stop_) break;
    bool broken = log_->broken();
    uint64_t bytes = log_->bytes_since_checkpoint();
    double age;
    {
      std::lock_guard cp(checkpoint_mutex_);
      age = SecondsSince(last_checkpoint_);
    }
    bool due = checkpoint_soon_ || broken || (options_.checkpoint_wal_bytes > 0 && bytes >= options_.checkpoint_wal_bytes) ||
               (bytes > 0 && options_.checkpoint_interval_seconds > 0 && age >= options_.checkpoint_interval_seconds);
    if (!due) continue;
    lock.unlock();
    Status s = Checkpoint();
    lock.lock();
    checkpoint_soon_ = false;  // on failure the usual triggers try again
    lock.unlock();
    if (!s.ok()) {
      Notice("checkpoint failed: " + s.message() + (broken ? " (retrying every second)" : ""));
      // Not again at once: the interval or the log size triggers the next try.
      std::lock_guard cp(checkpoint_mutex_);
      last_checkpoint_ = std::chrono::steady_clock::now();
    }
    lock.lock();
  }
}

}  // namespace lyt::durability
