// libFuzzer target: arbitrary bytes as SQL run against a small database, and as a CSV file
// loaded with COPY. Every input must end in a result or a clean error, never a crash.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
  lyt::Connection& conn = Conn();
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
