// The write-ahead log's staged commits under real threads (durability/log_writer.h): event loops
// stage commits under the commit lock and write them once per pass, while commits of their own
// (Append) go through, and checkpoints switch segments. Whatever the interleaving, the log holds
// every commit once, in the order the commit lock gave them, and every ticket is answered.
// Run in the ASan build and, in the test command, under ThreadSanitizer. Loops are bounded in
// count; nothing here asserts on timing.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "durability/log_format.h"
#include "durability/log_writer.h"

namespace lyt {
namespace {

namespace fs = std::filesystem;

class LogWriterThreads : public ::testing::TestWithParam<DatabaseOptions::Fsync> {
 protected:
  void SetUp() override {
    char path[] = "/tmp/lyt-log-threads-XXXXXX";
    ASSERT_NE(::mkdtemp(path), nullptr);
    dir_ = path;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The payloads of every record of every segment, in log order.
  std::vector<std::string> Payloads() {
    std::vector<std::string> segments;
    for (const auto& e : fs::directory_iterator(dir_)) segments.push_back(e.path().string());
    std::sort(segments.begin(), segments.end());
    std::vector<std::string> out;
    for (const auto& segment : segments) {
      std::ifstream in(segment, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      durability::RecordReader reader(bytes);
      durability::Record record;
      while (reader.Next(&record) == durability::RecordReader::Result::kRecord) out.emplace_back(record.payload);
    }
    return out;
  }

  std::string dir_;
};

TEST_P(LogWriterThreads, StagedAppendedAndCheckpointedCommitsKeepCommitOrder) {
  durability::LogOptions options;
  options.dir = dir_;
  options.fsync = GetParam();
  options.batch_ms = 1;
  options.segment_bytes = 64 << 10;  // small: writes of staged commits switch segments too
  std::vector<std::string> expected;
  std::atomic<int> answered{0};
  constexpr int kLoops = 2, kPerLoop = 400;
  {
    durability::LogWriter log(options);
    ASSERT_TRUE(log.Start(1).ok());
    std::mutex commit_lock;  // the transaction manager's: its order is the log's order
    auto commit = [&](bool stage, const std::string& name) {
      std::string records;
      durability::AppendRecord(durability::RecordType::kCommit, name + std::string(100, '.'), records);
      std::lock_guard lock(commit_lock);
      expected.push_back(name + std::string(100, '.'));
      return stage ? log.Stage(records) : log.Append(records);
    };
    auto answer = [&](Status status) {
      if (status.ok()) answered++;
    };
    std::vector<std::thread> threads;
    for (int l = 0; l < kLoops; ++l) {
      threads.emplace_back([&, l] {  // an event loop: stages a few batches, then writes once
        for (int i = 0; i < kPerLoop; ++i) {
          log.WhenDurable(commit(true, "loop" + std::to_string(l) + "-" + std::to_string(i)), answer);
          if (i % 4 == 3) {
            EXPECT_TRUE(log.WriteStaged().ok());
          }
        }
        EXPECT_TRUE(log.WriteStaged().ok());
      });
    }
    threads.emplace_back([&] {  // a SQL session
      for (int i = 0; i < kPerLoop / 4; ++i) log.WhenDurable(commit(false, "sql-" + std::to_string(i)), answer);
    });
    threads.emplace_back([&] {  // checkpoints
      for (int i = 0; i < 10; ++i) {
        uint64_t segment;
        std::lock_guard lock(commit_lock);
        EXPECT_TRUE(log.StartNewSegment(&segment).ok());
      }
    });
    for (auto& t : threads) t.join();
    ASSERT_TRUE(log.Flush().ok());
  }  // closing answers whatever still waits for a flush
  EXPECT_EQ(answered.load(), kLoops * kPerLoop + kPerLoop / 4);
  EXPECT_EQ(Payloads(), expected);
}

INSTANTIATE_TEST_SUITE_P(Fsync, LogWriterThreads,
                         ::testing::Values(DatabaseOptions::Fsync::kBatch, DatabaseOptions::Fsync::kAlways),
                         [](const auto& info) { return info.param == DatabaseOptions::Fsync::kBatch ? "Batch" : "Always"; });

}  // namespace
}  // namespace lyt
