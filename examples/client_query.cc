// The C++ client: connect to a running lytdb, run SQL with parameters, a prepared statement and a
// pipeline, print the results. Run (docs/client.md):
//   build/dev/examples/client_query_example 'lyt://alice:secret@localhost/main'
#include <cstdio>
#include <string>

#include "lyt/client.h"

namespace {

int Fail(const lyt::Status& status) {
  std::fprintf(stderr, "%s\n", status.ToString().c_str());
  return 1;
}

// Prints every row of `result`, cells separated by tabs.
void Print(lyt::QueryResult& result) {
  for (const auto& column : result.columns()) std::printf("%s\t", column.name.c_str());
  std::printf("\n");
  while (const lyt::ResultBatch* batch = result.NextBatch()) {
    for (size_t r = 0; r < batch->row_count(); ++r) {
      for (size_t c = 0; c < batch->column_count(); ++c) std::printf("%s\t", batch->GetValue(c, r).ToString().c_str());
      std::printf("\n");
    }
  }
  std::printf("(%s)\n", result.command_tag().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s lyt://user:password@host[:port][/database]\n", argv[0]);
    return 2;
  }
  std::unique_ptr<lyt::client::Connection> conn;
  lyt::Status status = lyt::client::Connection::Connect(argv[1], &conn);
  if (!status.ok()) return Fail(status);
  std::printf("connected to %s (%s), database %s, session %llu\n", conn->server_address().c_str(),
              conn->server_version().c_str(), conn->database().c_str(),
              static_cast<unsigned long long>(conn->session_id()));

  status = conn->Execute("CREATE TABLE IF NOT EXISTS client_example (id INTEGER PRIMARY KEY, name TEXT, score DOUBLE PRECISION)");
  if (!status.ok()) return Fail(status);
  status = conn->Execute("DELETE FROM client_example");
  if (!status.ok()) return Fail(status);

  // A prepared INSERT run three times inside one transaction.
  status = conn->Prepare("add", "INSERT INTO client_example VALUES ($1, $2, $3)");
  if (!status.ok()) return Fail(status);
  if (!(status = conn->Begin()).ok()) return Fail(status);
  const char* names[] = {"ada", "grace", "edsger"};
  for (int i = 0; i < 3; ++i) {
    auto inserted = conn->ExecutePrepared("add", {lyt::Value::Integer(i + 1), lyt::Value::Varchar(names[i]),
                                                  i == 2 ? lyt::Value() : lyt::Value::Double(90.5 + i)});
    if (!inserted->ok()) return Fail(inserted->status());
  }
  if (!(status = conn->Commit()).ok()) return Fail(status);
  (void)conn->ClosePrepared("add");

  // A query with a parameter.
  auto result = conn->Query("SELECT id, name, score FROM client_example WHERE id >= $1 ORDER BY id", {lyt::Value::Integer(2)});
  if (!result->ok()) return Fail(result->status());
  Print(*result);

  // A pipeline: three queries sent at once, their results read afterwards.
  uint32_t ids[3];
  for (int i = 0; i < 3; ++i) ids[i] = conn->Send("SELECT count(*) * $1 FROM client_example", {lyt::Value::BigInt(i)});
  for (uint32_t id : ids) {
    auto counted = conn->Receive(id);
    if (!counted->ok()) return Fail(counted->status());
    Print(*counted);
  }

  // A server error is a result, not a broken connection.
  auto error = conn->Query("SELECT nonexistent FROM client_example");
  std::printf("expected error: %s\n", error->status().ToString().c_str());
  return conn->Ping().ok() ? 0 : 1;
}
