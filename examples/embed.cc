// Embedding LytDB: open an in-memory instance, create a table, insert with parameters, and read
// typed results batch by batch. Run: build/release/examples/embed_example
#include <cstdio>

#include "lyt/database.h"

int main() {
  std::unique_ptr<lyt::Database> db;
  lyt::Status status = lyt::Database::Open({}, &db);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  auto conn = db->Connect();
  status = conn->Execute("CREATE TABLE readings (sensor TEXT NOT NULL, value DOUBLE PRECISION, taken DATE)");
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  for (int i = 0; i < 10; ++i) {
    status = conn->Execute("INSERT INTO readings VALUES ($1, $2, DATE '2026-01-01' + $3)",
                           {lyt::Value::Varchar(i % 2 ? "north" : "south"), lyt::Value::Double(i * 1.5), lyt::Value::Integer(i)});
    if (!status.ok()) {
      std::fprintf(stderr, "%s\n", status.ToString().c_str());
      return 1;
    }
  }
  auto result = conn->Query("SELECT sensor, count(*), avg(value) FROM readings GROUP BY sensor ORDER BY sensor");
  if (!result->ok()) {
    std::fprintf(stderr, "%s\n", result->status().ToString().c_str());
    return 1;
  }
  int rows = 0;
  while (const lyt::ResultBatch* batch = result->NextBatch()) {
    for (size_t r = 0; r < batch->row_count(); ++r, ++rows) {
      std::printf("%.*s %lld %.2f\n", static_cast<int>(batch->GetString(0, r).size()), batch->GetString(0, r).data(),
                  static_cast<long long>(batch->GetInt64(1, r)), batch->GetDouble(2, r));
    }
  }
  // The example doubles as a smoke test: it fails unless both groups came back.
  return rows == 2 ? 0 : 1;
}
