// libFuzzer target: arbitrary bytes as SQL run against a small database, and as a CSV file
// loaded with COPY. Every input must end in a result or a clean error, never a crash. A statement
// still running after a second is interrupted (57014): SQL may legitimately ask for years of work
// (generate_series to 2^62), which is no finding, and must not trip libFuzzer's -timeout.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>

#include "lyt/database.h"

namespace {

lyt::Connection& Conn() {
  static std::unique_ptr<lyt::Database> db = [] {
    std::unique_ptr<lyt::Database> d;
    lyt::DatabaseOptions options;
    options.memory_limit_bytes = 256ull << 20;
    (void)lyt::Database::Open(options, &d);
    return d;
  }();
  static std::unique_ptr<lyt::Connection> conn = [] {
    auto c = db->Connect();
    (void)c->Execute(
        "CREATE TABLE t (a INTEGER, b TEXT, c DOUBLE PRECISION, d DATE);"
        "INSERT INTO t VALUES (1, 'x', 1.5, '2024-01-01'), (NULL, NULL, NULL, NULL), (3, 'zz', -2, '1999-12-31')");
    return c;
  }();
  return *conn;
}

// When the running input started (steady clock, ms; 0: none runs); a watchdog thread interrupts
// the connection once it has run for kMaxRunMs.
std::atomic<int64_t> run_started_ms{0};
constexpr int64_t kMaxRunMs = 1000;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void StartWatchdog(lyt::Connection& conn) {
  static bool started = [&conn] {
    std::thread([&conn] {  // detached: it lives as long as the process
      while (true) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        int64_t since = run_started_ms.load();
        if (since != 0 && NowMs() - since > kMaxRunMs) conn.Interrupt();
      }
    }).detach();
    return true;
  }();
  (void)started;
}

// Marks one input's run for the watchdog.
struct Run {
  Run() { run_started_ms = NowMs(); }
  ~Run() { run_started_ms = 0; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
  lyt::Connection& conn = Conn();
  StartWatchdog(conn);
  Run run;
  if (data[0] & 1) {
    // The rest of the input is a CSV file for COPY.
    static const std::string path = "/tmp/lyt_query_fuzzer_" + std::to_string(getpid()) + ".csv";
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return 0;
    std::fwrite(input.data(), 1, input.size(), f);
    std::fclose(f);
    (void)conn.Execute("CREATE TABLE IF NOT EXISTS c (a INTEGER, b TEXT, c DOUBLE PRECISION, d DATE)");
    (void)conn.Execute("COPY c FROM '" + path + "' WITH (FORMAT csv, HEADER " + ((data[0] & 2) ? "true" : "false") + ")");
    (void)conn.Execute("TRUNCATE c");
  } else {
    auto result = conn.Query(input);
    while (result->ok() && result->NextBatch()) {
    }
    // Keep the fixture intact for the next input.
    (void)conn.Execute("USE main");
  }
  return 0;
}
