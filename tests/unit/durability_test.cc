// Durability (src/durability): reopening a data directory, torn log tails, damaged and missing
// files, the directory lock, and commits whose log write, preallocation or flush fails (through
// a FileSystem that fails where a test tells it to). Each test runs on a fresh directory.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/error.h"
#include "durability/checksum.h"
#include "durability/file.h"
#include "durability/log_entries.h"
#include "durability/log_format.h"
#include "durability/log_writer.h"
#include "durability/store.h"
#include "lyt/database.h"
#include "main/engine.h"
#include "main/session.h"

namespace lyt {
namespace {

namespace fs = std::filesystem;
using durability::FileSystem;

#define ASSERT_OK(expr)                              \
  do {                                               \
    Status status_ = (expr);                         \
    ASSERT_TRUE(status_.ok()) << status_.ToString(); \
  } while (0)

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes(fs::file_size(path), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

// Overwrites `bytes` at `offset` in place (segments are 64 MiB: no rewriting of whole files).
void Patch(const std::string& path, size_t offset, const std::string& bytes) {
  std::fstream out(path, std::ios::binary | std::ios::in | std::ios::out);
  out.seekp(static_cast<std::streamoff>(offset));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The valid records of a log segment or checkpoint file, in order.
std::vector<durability::Record> Records(const std::string& file) {
  std::vector<durability::Record> records;
  durability::RecordReader reader(file);
  durability::Record record;
  while (reader.Next(&record) == durability::RecordReader::Result::kRecord) records.push_back(record);
  return records;
}

// The paths of the entries of `dir` whose names start with `prefix`, sorted.
std::vector<std::string> Files(const std::string& dir, const std::string& prefix = "") {
  std::vector<std::string> paths;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().rfind(prefix, 0) == 0) paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// A FileSystem over the real one that fails the next N calls of a kind when told to.
class FaultyFileSystem : public FileSystem {
 public:
  static constexpr int kUntilCleared = 1 << 30;
  std::atomic<int> fail_allocate{0};  // with ENOSPC
  std::atomic<int> fail_write{0};     // half the bytes are written, then `write_error`
  std::atomic<int> write_error{EIO};
  std::atomic<int> fail_sync{0};      // with EIO

  void Clear() { fail_allocate = fail_write = fail_sync = 0; }

  Status Open(const std::string& path, bool truncate, std::unique_ptr<durability::File>* out) override {
    std::unique_ptr<durability::File> file;
    Status s = FileSystem::Posix().Open(path, truncate, &file);
    if (s.ok()) *out = std::make_unique<FaultyFile>(std::move(file), path, *this);
    return s;
  }
  Status SyncDirectory(const std::string& dir) override { return FileSystem::Posix().SyncDirectory(dir); }
  Status Rename(const std::string& from, const std::string& to) override { return FileSystem::Posix().Rename(from, to); }
  Status Remove(const std::string& path) override { return FileSystem::Posix().Remove(path); }

 private:
  static bool Take(std::atomic<int>& count) {
    int n = count.load();
    while (n > 0) {
      if (count.compare_exchange_weak(n, n - 1)) return true;
    }
    return false;
  }

  class FaultyFile : public durability::File {
   public:
    FaultyFile(std::unique_ptr<durability::File> file, std::string path, FaultyFileSystem& faults)
        : file_(std::move(file)), path_(std::move(path)), faults_(faults) {}
    Status Write(uint64_t offset, std::string_view bytes) override {
      if (!Take(faults_.fail_write)) return file_->Write(offset, bytes);
      (void)file_->Write(offset, bytes.substr(0, bytes.size() / 2));
      return durability::IoError("write to file", path_, faults_.write_error);
    }
    Status Sync() override { return Take(faults_.fail_sync) ? durability::IoError("flush file", path_, EIO) : file_->Sync(); }
    Status Allocate(uint64_t size) override {
      return Take(faults_.fail_allocate) ? durability::IoError("allocate space for file", path_, ENOSPC) : file_->Allocate(size);
    }
    Status Truncate(uint64_t size) override { return file_->Truncate(size); }

   private:
    std::unique_ptr<durability::File> file_;
    std::string path_;
    FaultyFileSystem& faults_;
  };
};

// An engine on a data directory with a session on it.
class Db {
 public:
  // Opens options.data_dir as Database::Open does (Engine::OpenStorage) or, given
  // `segment_bytes` (which DatabaseOptions does not offer), through a Store of its own.
  static Status Open(const DatabaseOptions& options, std::unique_ptr<Db>* out, FileSystem* fs = nullptr,
                     uint64_t segment_bytes = 0) {
    std::unique_ptr<Db> db(new Db(options));
    Status s;
    if (segment_bytes == 0) {
      s = db->engine_.OpenStorage(options, fs);
    } else {
      durability::StoreOptions o = durability::StoreOptionsFor(options, fs);
      o.segment_bytes = segment_bytes;
      s = durability::Store::Open(std::move(o), db->engine_, &db->own_store_);
    }
    if (s.ok()) *out = std::move(db);
    return s;
  }

  std::unique_ptr<QueryResult> Run(const std::string& sql) { return session_->Run(sql, {}); }
  Status Exec(const std::string& sql) { return Run(sql)->status(); }
  // The rows of a query as "a|b,c|d" (or the error).
  std::string Rows(const std::string& sql) {
    auto result = Run(sql);
    if (!result->ok()) return "error: " + result->status().ToString();
    std::string out;
    while (const ResultBatch* batch = result->NextBatch()) {
      for (size_t r = 0; r < batch->row_count(); ++r) {
        if (!out.empty()) out += ",";
        for (size_t c = 0; c < batch->column_count(); ++c) out += (c ? "|" : "") + batch->GetValue(c, r).ToString();
      }
    }
    return out;
  }
  Status Checkpoint() { return own_store_ ? own_store_->Checkpoint() : engine_.Checkpoint(); }
  durability::Store& store() { return own_store_ ? *own_store_ : *engine_.store(); }

 private:
  explicit Db(const DatabaseOptions& options) : engine_(options), session_(std::make_unique<Session>(engine_)) {}
  Engine engine_;  // destroyed last
  std::unique_ptr<durability::Store> own_store_;
  std::unique_ptr<Session> session_;
};

class DurabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char path[] = "/tmp/lyt-durability-XXXXXX";
    ASSERT_NE(::mkdtemp(path), nullptr) << std::strerror(errno);
    dir_ = path;
  }
  void TearDown() override { fs::remove_all(dir_); }

  DatabaseOptions Options() {
    DatabaseOptions o;
    o.data_dir = dir_;
    o.checkpoint_interval_seconds = 0;
    o.notice = [this](const std::string& message) {
      std::lock_guard lock(notices_mutex_);
      notices_.push_back(message);
    };
    return o;
  }
  DatabaseOptions OptionsWithoutCloseCheckpoint() {
    DatabaseOptions o = Options();
    o.checkpoint_on_close = false;
    o.checkpoint_wal_bytes = 0;  // no background checkpoints either: the log stays as written
    o.checkpoint_interval_seconds = 0;
    return o;
  }

  std::unique_ptr<Db> OpenDb(const DatabaseOptions& options, FileSystem* fs = nullptr, uint64_t segment_bytes = 0) {
    std::unique_ptr<Db> db;
    Status s = Db::Open(options, &db, fs, segment_bytes);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return db;
  }
  // What Database::Open says about the directory.
  Status OpenStatus(const DatabaseOptions& options) {
    std::unique_ptr<Database> db;
    return Database::Open(options, &db);
  }

  int NoticesContaining(const std::string& text) {
    std::lock_guard lock(notices_mutex_);
    return static_cast<int>(std::count_if(notices_.begin(), notices_.end(),
                                          [&](const std::string& n) { return n.find(text) != std::string::npos; }));
  }

  std::string NewestSegment() {
    auto segments = Files(dir_ + "/wal");
    return segments.empty() ? "" : segments.back();
  }
  std::string CheckpointFile() {
    auto files = Files(dir_, "checkpoint-");
    EXPECT_EQ(files.size(), 1u);
    return files.empty() ? "" : files.back();
  }

  // A table t(id, s) with `n` rows 1..n, each inserted by a commit of its own.
  void Fill(Db& db, int n) {
    ASSERT_OK(db.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, s VARCHAR)"));
    for (int i = 1; i <= n; ++i) ASSERT_OK(db.Exec("INSERT INTO t VALUES (" + std::to_string(i) + ", 'row " + std::to_string(i) + "')"));
  }

  // Six commits (Fill(3), an UPDATE and a DELETE) leaving rows "1|row 1,2|two", then a close.
  void ChangeAndClose(const DatabaseOptions& options) {
    auto db = OpenDb(options);
    ASSERT_NE(db, nullptr);
    Fill(*db, 3);
    ASSERT_OK(db->Exec("UPDATE t SET s = 'two' WHERE id = 2"));
    ASSERT_OK(db->Exec("DELETE FROM t WHERE id = 3"));
  }

  // Fill(3) and a close without a checkpoint: returns the records of the newest segment (the
  // CREATE TABLE and the three INSERTs), whose path and bytes go to *path and *file.
  std::vector<durability::Record> FillAndReadLog(std::string* path, std::string* file) {
    {
      auto db = OpenDb(OptionsWithoutCloseCheckpoint());
      if (!db) return {};
      Fill(*db, 3);
    }
    *path = NewestSegment();
    *file = ReadFile(*path);
    return Records(*file);
  }

  std::string dir_;
  std::mutex notices_mutex_;
  std::vector<std::string> notices_;
};

const char* kIds = "SELECT id FROM t ORDER BY id";

void ExpectStatus(const Status& status, const std::string& sqlstate, const std::vector<std::string>& texts) {
  EXPECT_EQ(status.sqlstate(), sqlstate) << status.ToString();
  for (const auto& text : texts) EXPECT_NE(status.message().find(text), std::string::npos) << "\"" << text << "\" not in: " << status.message();
}

// ---------------------------------------------------------------------------------------------

TEST_F(DurabilityTest, ReopensAfterCleanCloseFromTheCheckpoint) {
  ASSERT_NO_FATAL_FAILURE(ChangeAndClose(Options()));
  auto db = OpenDb(Options());
  EXPECT_EQ(db->Rows("SELECT id, s FROM t ORDER BY id"), "1|row 1,2|two");
  EXPECT_EQ(db->store().recovery().commits_replayed, 0u);  // all of it came from the checkpoint
  EXPECT_TRUE(db->store().recovery().had_checkpoint);
}

TEST_F(DurabilityTest, ReopensFromTheLogWithoutCloseCheckpoint) {
  ASSERT_NO_FATAL_FAILURE(ChangeAndClose(OptionsWithoutCloseCheckpoint()));
  {
    auto db = OpenDb(OptionsWithoutCloseCheckpoint());
    EXPECT_EQ(db->Rows("SELECT id, s FROM t ORDER BY id"), "1|row 1,2|two");
    EXPECT_EQ(db->store().recovery().commits_replayed, 6u);  // CREATE, 3 INSERTs, UPDATE, DELETE
    ASSERT_OK(db->Exec("INSERT INTO t VALUES (3, 'again')"));
  }
  auto db = OpenDb(OptionsWithoutCloseCheckpoint());
  EXPECT_EQ(db->Rows("SELECT id, s FROM t ORDER BY id"), "1|row 1,2|two,3|again");
  EXPECT_EQ(NoticesContaining("torn"), 0);
}

TEST_F(DurabilityTest, CutsATornLastRecord) {
  std::string path, file;
  auto records = FillAndReadLog(&path, &file);
  ASSERT_EQ(records.size(), 4u);
  // The second half of the last record never reached the disk.
  const durability::Record& last = records.back();
  size_t end = last.offset + durability::kRecordHeaderSize + last.payload.size();
  size_t half = last.payload.size() / 2;
  Patch(path, end - half, std::string(half, '\0'));

  {
    auto db = OpenDb(OptionsWithoutCloseCheckpoint());
    EXPECT_EQ(db->Rows(kIds), "1,2");
    EXPECT_EQ(NoticesContaining("torn write at byte " + std::to_string(last.offset)), 1);
  }
  EXPECT_EQ(fs::file_size(path), last.offset);  // cut off
  auto db = OpenDb(OptionsWithoutCloseCheckpoint());
  EXPECT_EQ(db->Rows(kIds), "1,2");
  EXPECT_EQ(NoticesContaining("torn"), 1);  // not again
}

TEST_F(DurabilityTest, CutsGarbageAfterTheLastRecord) {
  std::string path, file;
  auto records = FillAndReadLog(&path, &file);
  ASSERT_EQ(records.size(), 4u);
  size_t end = records.back().offset + durability::kRecordHeaderSize + records.back().payload.size();
  std::string garbage("\x05\x00\x00\x00\x01\x00\x00\x00partial record of a crashed write", 41);
  Patch(path, end, garbage);

  {
    auto db = OpenDb(OptionsWithoutCloseCheckpoint());
    EXPECT_EQ(db->Rows(kIds), "1,2,3");
    EXPECT_EQ(NoticesContaining("torn write at byte " + std::to_string(end)), 1);
    ASSERT_OK(db->Exec("INSERT INTO t VALUES (4, 'after')"));
  }
  auto db = OpenDb(OptionsWithoutCloseCheckpoint());
  EXPECT_EQ(db->Rows(kIds), "1,2,3,4");
  EXPECT_EQ(NoticesContaining("torn"), 1);
}

TEST_F(DurabilityTest, RefusesDamageInTheMiddleOfTheLog) {
  std::string path, file;
  auto records = FillAndReadLog(&path, &file);
  ASSERT_EQ(records.size(), 4u);
  const durability::Record& first_insert = records[1];
  size_t at = first_insert.offset + durability::kRecordHeaderSize + first_insert.payload.size() / 2;
  file[at] ^= 0x20;
  Patch(path, at, file.substr(at, 1));

  Status s = OpenStatus(OptionsWithoutCloseCheckpoint());
  ExpectStatus(s, "XX001", {path, "byte " + std::to_string(first_insert.offset), "not a torn write"});
  EXPECT_EQ(ReadFile(path), file);  // left as it was
  Status again = OpenStatus(OptionsWithoutCloseCheckpoint());
  EXPECT_EQ(again.ToString(), s.ToString());
  EXPECT_EQ(NoticesContaining("torn"), 0);
}

TEST_F(DurabilityTest, RefusesADamagedCheckpoint) {
  {
    auto db = OpenDb(OptionsWithoutCloseCheckpoint());
    Fill(*db, 3);
    ASSERT_OK(db->Exec("CHECKPOINT"));
  }
  std::string path = CheckpointFile();
  const std::string original = ReadFile(path);
  auto records = Records(original);
  ASSERT_EQ(records.size(), 3u);  // meta, one entry record, end

  std::string flipped = original;
  flipped[records[1].offset + durability::kRecordHeaderSize + 20] ^= 1;
  WriteFile(path, flipped);
  ExpectStatus(OpenStatus(Options()), "XX001", {path, "damaged at byte " + std::to_string(records[1].offset)});

  WriteFile(path, original.substr(0, original.size() - 5));
  ExpectStatus(OpenStatus(Options()), "XX001", {path, "damaged at byte " + std::to_string(records[2].offset)});

  std::string header = original;
  header[20] ^= 1;
  WriteFile(path, header);
  ExpectStatus(OpenStatus(Options()), "XX001", {path, "header checksum mismatch"});

  // A header that checks out but names a format this build does not know.
  std::string version = original;
  uint32_t v = durability::kFormatVersion + 1;
  std::memcpy(version.data() + 8, &v, 4);
  uint32_t check = durability::Checksum32(version.data(), 28);
  std::memcpy(version.data() + 28, &check, 4);
  WriteFile(path, version);
  ExpectStatus(OpenStatus(Options()), "XX001", {path, "unknown format version " + std::to_string(v)});

  WriteFile(path, original);
  auto db = OpenDb(Options());
  EXPECT_EQ(db->Rows(kIds), "1,2,3");
}

TEST_F(DurabilityTest, RefusesTheMissingSegmentAfterTheCheckpoint) {
  {
    auto db = OpenDb(OptionsWithoutCloseCheckpoint());
    Fill(*db, 2);
  }
  auto segments = Files(dir_ + "/wal");
  ASSERT_EQ(segments.size(), 1u);  // the first checkpoint replaced the first segment
  fs::remove(segments[0]);
  ExpectStatus(OpenStatus(Options()), "XX001", {segments[0], "is missing", fs::path(CheckpointFile()).filename().string()});
}

TEST_F(DurabilityTest, RefusesAMissingSegmentBetweenOthers) {
  {
    auto db = OpenDb(OptionsWithoutCloseCheckpoint(), nullptr, 1024);
    Fill(*db, 40);
  }
  auto segments = Files(dir_ + "/wal");
  ASSERT_GE(segments.size(), 3u);
  fs::remove(segments[1]);
  ExpectStatus(OpenStatus(Options()), "XX001",
               {segments[1], "is missing", fs::path(segments[0]).filename().string(), fs::path(segments[2]).filename().string()});
}

TEST_F(DurabilityTest, ReplaysSeveralSegments) {
  {
    auto db = OpenDb(OptionsWithoutCloseCheckpoint(), nullptr, 1024);
    Fill(*db, 40);
  }
  ASSERT_GE(Files(dir_ + "/wal").size(), 3u);
  auto db = OpenDb(Options());
  EXPECT_EQ(db->Rows("SELECT count(*), sum(id) FROM t"), "40|820");
  EXPECT_GE(db->store().recovery().segments, 3u);
}

TEST_F(DurabilityTest, LocksTheDirectory) {
  std::unique_ptr<Database> first;
  ASSERT_OK(Database::Open(Options(), &first));
  std::unique_ptr<Database> second;
  ExpectStatus(Database::Open(Options(), &second), "55006", {dir_, "in use"});
  EXPECT_EQ(second, nullptr);
  first.reset();
  ASSERT_OK(Database::Open(Options(), &second));
}

// ---------------------------------------------------------------------------------------------
// Failing file operations

TEST_F(DurabilityTest, DiskFullWhenPreallocatingASegmentFailsTheCommit) {
  FaultyFileSystem faults;
  std::string acknowledged;
  {
    auto db = OpenDb(OptionsWithoutCloseCheckpoint(), &faults, 4096);
    ASSERT_OK(db->Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, s VARCHAR)"));
    size_t segments = Files(dir_ + "/wal").size();
    faults.fail_allocate = FaultyFileSystem::kUntilCleared;
    int id = 1;
    Status failed;
    for (; id <= 100 && failed.ok(); ++id) {
      failed = db->Exec("INSERT INTO t VALUES (" + std::to_string(id) + ", repeat('x', 300))");
      if (failed.ok()) acknowledged += (acknowledged.empty() ? "" : ",") + std::to_string(id);
    }
    ExpectStatus(failed, "53100", {"allocate space", ".wal"});
    EXPECT_EQ(Files(dir_ + "/wal").size(), segments);  // the new segment was removed again
    EXPECT_EQ(db->Rows(kIds), acknowledged);            // the failed row is not there
    ExpectStatus(db->Exec("INSERT INTO t VALUES (1000, repeat('x', 300))"), "53100", {});  // still full
    faults.Clear();
    for (int more = 0; more < 20; ++more, ++id) {
      ASSERT_OK(db->Exec("INSERT INTO t VALUES (" + std::to_string(id) + ", repeat('y', 300))"));
      acknowledged += "," + std::to_string(id);
    }
    EXPECT_GT(Files(dir_ + "/wal").size(), segments);
    EXPECT_EQ(db->Rows(kIds), acknowledged);
  }
  auto db = OpenDb(Options());
  EXPECT_EQ(db->Rows(kIds), acknowledged);
}

TEST_F(DurabilityTest, FailedWriteFailsTheCommitAndLeavesNothing) {
  FaultyFileSystem faults;
  {
    auto db = OpenDb(OptionsWithoutCloseCheckpoint(), &faults);
    Fill(*db, 1);
    faults.fail_write = 1;
    ExpectStatus(db->Exec("INSERT INTO t VALUES (2, repeat('lost', 1000))"), "58030", {"write to file", ".wal"});
    EXPECT_EQ(db->Rows(kIds), "1");
    ASSERT_OK(db->Exec("INSERT INTO t VALUES (3, 'short')"));  // over the zeroed failed record
    ASSERT_OK(db->Exec("INSERT INTO t VALUES (4, 'short')"));
    faults.fail_write = 1;
    ExpectStatus(db->Exec("INSERT INTO t VALUES (5, repeat('lost', 1000))"), "58030", {});
    EXPECT_EQ(db->Rows(kIds), "1,3,4");
  }
  auto db = OpenDb(OptionsWithoutCloseCheckpoint());
  EXPECT_EQ(db->Rows(kIds), "1,3,4");
  EXPECT_EQ(NoticesContaining("torn"), 0);  // the failed writes were zeroed, not left as garbage
  EXPECT_EQ(db->store().recovery().commits_replayed, 4u);
}

TEST_F(DurabilityTest, FailedFlushRefusesChangesUntilACheckpoint) {
  FaultyFileSystem faults;
  {
    auto db = OpenDb(OptionsWithoutCloseCheckpoint(), &faults);
    Fill(*db, 1);
    faults.fail_sync = FaultyFileSystem::kUntilCleared;  // background checkpoints fail too
    ExpectStatus(db->Exec("INSERT INTO t VALUES (2, 'flush failed')"), "58030", {"could not flush the write-ahead log"});
    EXPECT_EQ(db->Rows(kIds), "1,2");  // visible: the commit was not undone
    ExpectStatus(db->Exec("INSERT INTO t VALUES (3, 'refused')"), "58030", {"could not flush file", ".wal"});
    ExpectStatus(db->Exec("CHECKPOINT"), "58030", {});
    EXPECT_EQ(db->Rows(kIds), "1,2");
    faults.Clear();
    ASSERT_OK(db->Exec("CHECKPOINT"));
    ASSERT_OK(db->Exec("INSERT INTO t VALUES (3, 'works again')"));
  }
  auto db = OpenDb(OptionsWithoutCloseCheckpoint());
  EXPECT_EQ(db->Rows(kIds), "1,2,3");  // 2 from the checkpoint, 3 from the log
}

TEST_F(DurabilityTest, SchemaChangeThatCannotBeLoggedStaysAndIsCheckpointed) {
  FaultyFileSystem faults;
  {
    auto db = OpenDb(OptionsWithoutCloseCheckpoint(), &faults);
    Fill(*db, 2);
    faults.write_error = ENOSPC;
    faults.fail_write = 1;
    faults.fail_sync = FaultyFileSystem::kUntilCleared;  // keeps the background repair failing
    ExpectStatus(db->Exec("ALTER TABLE t ADD COLUMN n INTEGER DEFAULT 7"), "53100", {"not yet durable"});
    EXPECT_EQ(db->Rows("SELECT id, n FROM t ORDER BY id"), "1|7,2|7");
    ExpectStatus(db->Exec("INSERT INTO t VALUES (3, 'x', 8)"), "53100", {"until a checkpoint"});
    faults.Clear();
    ASSERT_OK(db->Checkpoint());
    ASSERT_OK(db->Exec("INSERT INTO t VALUES (3, 'x', 8)"));
  }
  auto db = OpenDb(OptionsWithoutCloseCheckpoint());
  EXPECT_EQ(db->Rows("SELECT id, n FROM t ORDER BY id"), "1|7,2|7,3|8");
}

TEST_F(DurabilityTest, RecoversACommitSplitIntoSeveralRecords) {
  {
    auto db = OpenDb(OptionsWithoutCloseCheckpoint());
    ASSERT_OK(db->Exec("CREATE TABLE t(id INTEGER, s VARCHAR)"));
    ASSERT_OK(db->Exec("BEGIN"));
    ASSERT_OK(db->Exec("INSERT INTO t VALUES (1, repeat('x', 1100))"));
    for (int i = 0; i < 14; ++i) ASSERT_OK(db->Exec("INSERT INTO t SELECT id + (SELECT count(*) FROM t), s FROM t"));
    ASSERT_OK(db->Exec("COMMIT"));  // 16384 rows, 18 MB
  }
  const char* kSummary = "SELECT count(*), count(DISTINCT id), min(id), max(id), sum(length(s)) FROM t";
  std::string path = NewestSegment();
  const std::string file = ReadFile(path);
  auto records = Records(file);
  // The commit is larger than a segment: it starts a segment of its own, in two records.
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].type, durability::RecordType::kCommitPart);
  EXPECT_EQ(records[1].type, durability::RecordType::kCommit);

  // The commit's last record torn: the whole commit goes, its first part too.
  const durability::Record& last = records[1];
  Patch(path, last.offset + durability::kRecordHeaderSize + last.payload.size() / 2, std::string(16, '\0'));
  {
    auto db = OpenDb(OptionsWithoutCloseCheckpoint());
    EXPECT_EQ(db->Rows(kSummary), "0|0|NULL|NULL|NULL");
    EXPECT_EQ(NoticesContaining("torn write at byte " + std::to_string(records[0].offset)), 1);
  }
  EXPECT_EQ(fs::file_size(path), records[0].offset);

  WriteFile(path, file);  // undamaged again (and now followed by the segment the last open made)
  auto db = OpenDb(OptionsWithoutCloseCheckpoint());
  EXPECT_EQ(db->Rows(kSummary), "16384|16384|1|16384|18022400");
  EXPECT_EQ(db->store().recovery().commits_replayed, 2u);
}

// ---------------------------------------------------------------------------------------------
// Staged commits (LogWriter::Stage / WriteStaged): what the event loops use for key-value batches.

class StagedLogTest : public DurabilityTest {
 protected:
  std::unique_ptr<durability::LogWriter> StartLog(DatabaseOptions::Fsync fsync, FileSystem* fs = nullptr,
                                                  uint64_t segment_bytes = 1 << 20) {
    fs::create_directories(dir_ + "/wal");
    durability::LogOptions o;
    o.dir = dir_ + "/wal";
    o.fsync = fsync;
    o.batch_ms = 1;
    o.segment_bytes = segment_bytes;
    if (fs) o.fs = fs;
    auto log = std::make_unique<durability::LogWriter>(o);
    Status s = log->Start(1);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return log;
  }
  static std::string Commit(const std::string& payload) {
    std::string out;
    durability::AppendRecord(durability::RecordType::kCommit, payload, out);
    return out;
  }
  // The payloads of the records in the log's segments, in order, separated by commas.
  std::string Payloads() {
    std::string out;
    for (const auto& segment : Files(dir_ + "/wal")) {
      std::string file = ReadFile(segment);
      for (const auto& record : Records(file)) out += (out.empty() ? "" : ",") + std::string(record.payload);
    }
    return out;
  }
};

// Counts the WhenDurable answers (and keeps the last status) for a test to wait on.
struct Answers {
  std::mutex mutex;
  std::condition_variable changed;
  int count = 0;
  Status last;
  std::function<void(Status)> Callback() {
    return [this](Status status) {
      std::lock_guard lock(mutex);
      ++count;
      last = status;
      changed.notify_all();
    };
  }
  int Get() {
    std::lock_guard lock(mutex);
    return count;
  }
  bool WaitFor(int n) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(10), [&] { return count >= n; });
  }
};

TEST_F(StagedLogTest, StagedCommitsAreWrittenInLogOrderAndAnsweredOnlyThen) {
  auto log = StartLog(DatabaseOptions::Fsync::kBatch);
  uint64_t a = log->Stage(Commit("a"));
  uint64_t b = log->Stage(Commit("b"));
  EXPECT_LT(a, b);
  EXPECT_EQ(log->unwritten_end(), b);
  Answers answers;
  log->WhenDurable(b, answers.Callback());
  EXPECT_EQ(answers.Get(), 0);  // not written yet
  EXPECT_EQ(Payloads(), "");
  ASSERT_OK(log->WriteStaged());
  EXPECT_EQ(answers.Get(), 1);
  EXPECT_TRUE(answers.last.ok());
  EXPECT_EQ(log->unwritten_end(), 0u);
  EXPECT_EQ(Payloads(), "a,b");
  // An Append writes the commits staged before it first, in the same write.
  uint64_t c = log->Stage(Commit("c"));
  uint64_t d = log->Append(Commit("d"));
  EXPECT_LT(c, d);
  EXPECT_EQ(log->unwritten_end(), 0u);
  log->WhenDurable(c, answers.Callback());
  EXPECT_EQ(answers.Get(), 2);
  EXPECT_EQ(Payloads(), "a,b,c,d");
  ASSERT_OK(log->WriteStaged());  // nothing staged: nothing written
  EXPECT_EQ(Payloads(), "a,b,c,d");
}

TEST_F(StagedLogTest, UnderFsyncAlwaysAStagedCommitIsAnsweredAfterItsFlush) {
  auto log = StartLog(DatabaseOptions::Fsync::kAlways);
  Answers answers;
  uint64_t a = log->Stage(Commit("a"));
  log->WhenDurable(a, answers.Callback());
  EXPECT_EQ(answers.Get(), 0);
  ASSERT_OK(log->WriteStaged());  // written; the flusher flushes it and answers
  ASSERT_TRUE(answers.WaitFor(1));
  EXPECT_TRUE(answers.last.ok());
  EXPECT_TRUE(log->WaitDurable(log->Append(Commit("b"))));
  EXPECT_EQ(Payloads(), "a,b");
}

TEST_F(StagedLogTest, CheckpointSegmentSwitchWritesStagedCommitsIntoTheOldSegment) {
  auto log = StartLog(DatabaseOptions::Fsync::kBatch);
  (void)log->Stage(Commit("before the checkpoint"));
  uint64_t segment = 0;
  ASSERT_OK(log->StartNewSegment(&segment));
  EXPECT_EQ(segment, 2u);
  auto segments = Files(dir_ + "/wal");
  ASSERT_EQ(segments.size(), 2u);
  std::string first = ReadFile(segments[0]);
  auto records = Records(first);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].payload, "before the checkpoint");
}

TEST_F(StagedLogTest, StagedCommitsThatDoNotFitGoWholeToTheNextSegment) {
  auto log = StartLog(DatabaseOptions::Fsync::kBatch, nullptr, 4096);
  (void)log->Append(Commit(std::string(3000, 'x')));
  (void)log->Stage(Commit(std::string(600, 'y')));
  (void)log->Stage(Commit(std::string(600, 'z')));
  ASSERT_OK(log->WriteStaged());
  auto segments = Files(dir_ + "/wal");
  ASSERT_EQ(segments.size(), 2u);
  std::string second = ReadFile(segments[1]);
  auto records = Records(second);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].payload, std::string(600, 'y'));
  EXPECT_EQ(records[1].payload, std::string(600, 'z'));
}

TEST_F(StagedLogTest, AFailedWriteOfStagedCommitsFailsTheirWaitersAndBreaksTheLog) {
  FaultyFileSystem faults;
  auto log = StartLog(DatabaseOptions::Fsync::kBatch, &faults);
  (void)log->Append(Commit("kept"));
  Answers answers;
  uint64_t lost = log->Stage(Commit(std::string(100, 'l')));
  log->WhenDurable(lost, answers.Callback());
  faults.fail_write = 1;
  Status s = log->WriteStaged();
  ExpectStatus(s, "58030", {"write to file"});
  ASSERT_EQ(answers.Get(), 1);
  EXPECT_FALSE(answers.last.ok());
  EXPECT_TRUE(log->broken());
  EXPECT_EQ(log->unwritten_end(), 0u);
  EXPECT_THROW(log->Stage(Commit("refused")), Error);
  EXPECT_THROW(log->Append(Commit("refused")), Error);
  // A waiter that comes late for the lost commit is failed too, not left waiting.
  log->WhenDurable(lost, answers.Callback());
  EXPECT_EQ(answers.Get(), 2);
  EXPECT_FALSE(answers.last.ok());
  EXPECT_EQ(Payloads(), "kept");  // the torn batch was zeroed
  log->Repaired();  // what a successful checkpoint does
  (void)log->Append(Commit("after"));
  EXPECT_EQ(Payloads(), "kept,after");
}

// A catalog image that breaks off after it reused one table (and before the next) fails with
// XX001 and leaves a catalog without empty slots, which the replayer still indexes correctly.
TEST(Replayer, MalformedCatalogImageLeavesAWellFormedCatalog) {
  Engine engine{DatabaseOptions{}};
  Session session(engine);
  for (const char* sql : {"CREATE TABLE aaaa(x INTEGER PRIMARY KEY)", "CREATE TABLE bbbb(y INTEGER PRIMARY KEY)",
                          "INSERT INTO bbbb VALUES (1)"}) {
    ASSERT_OK(session.Run(sql, {})->status());
  }
  std::string image;
  durability::EntryWriter writer(image);
  writer.CatalogImage(engine.catalog(), engine.users());
  std::string rows;
  durability::EntryWriter(rows).TableImage(*engine.catalog().databases()["main"]->tables()["bbbb"], Snapshot::Latest());

  durability::Replayer replayer(engine.catalog(), engine.users(), &engine.kv());
  size_t cut = image.find("bbbb");
  ASSERT_NE(cut, std::string::npos);
  try {
    replayer.Apply(std::string_view(image).substr(0, cut + 4));
    FAIL() << "a cut catalog image was accepted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), "XX001");
  }
  for (auto& [db_name, db] : engine.catalog().databases()) {
    for (auto& [name, table] : db->tables()) EXPECT_NE(table, nullptr) << name;
  }
  replayer.Apply(rows);  // the table that was not reached is still there
  replayer.Finish();
  EXPECT_EQ(engine.catalog().databases()["main"]->tables()["bbbb"]->storage().slot_count(), 1u);
}

}  // namespace
}  // namespace lyt
