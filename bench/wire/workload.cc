#include "wire/workload.h"

#include <string_view>

namespace lyt::bench::wire {
namespace {

constexpr const char* kStatement = "wire_bench";
constexpr const char* kSelectSql = "SELECT id, balance, name FROM accounts WHERE id = $1";
constexpr const char* kInsertSql = "INSERT INTO events (id, account, amount) VALUES ($1, $2, $3)";

Status Mismatch(const std::string& what) { return Status::Error("XX000", "wire bench: " + what); }

}  // namespace

bool ParseWorkload(const std::string& name, WorkloadKind* out) {
  if (name == "select") *out = WorkloadKind::PointSelect;
  else if (name == "insert") *out = WorkloadKind::Insert;
  else return false;
  return true;
}

const char* WorkloadName(WorkloadKind kind) { return kind == WorkloadKind::PointSelect ? "select" : "insert"; }

WorkloadClient::WorkloadClient(WorkloadKind kind, int client, int64_t rows, uint64_t seed)
    : kind_(kind), rows_(rows), next_id_(client * kIdStride + 1), rng_(seed + static_cast<uint64_t>(client)) {}

Status WorkloadClient::Prepare(client::Connection& conn) {
  return conn.Prepare(kStatement, kind_ == WorkloadKind::PointSelect ? kSelectSql : kInsertSql);
}

Status WorkloadClient::RunOne(client::Connection& conn) {
  if (kind_ == WorkloadKind::PointSelect) {
    int64_t id = std::uniform_int_distribution<int64_t>(1, rows_)(rng_);
    params_.assign(1, Value::Integer(static_cast<int32_t>(id)));
    auto result = conn.ExecutePrepared(kStatement, params_);
    return result->ok() ? CheckSelect(*result, id) : result->status();
  }
  int32_t account = static_cast<int32_t>(std::uniform_int_distribution<int64_t>(1, rows_)(rng_));
  int32_t amount = static_cast<int32_t>(std::uniform_int_distribution<int64_t>(1, 1000)(rng_));
  params_.assign({Value::BigInt(next_id_++), Value::Integer(account), Value::Integer(amount)});
  auto result = conn.ExecutePrepared(kStatement, params_);
  if (!result->ok()) return result->status();
  return result->rows_affected() == 1 ? Status::OK() : Mismatch("INSERT did not insert one row");
}

Status WorkloadClient::CheckSelect(QueryResult& result, int64_t id) const {
  size_t rows = 0;
  bool id_matches = true;
  size_t name_bytes = 0;
  while (const ResultBatch* batch = result.NextBatch()) {
    for (size_t r = 0; r < batch->row_count(); ++r, ++rows) {
      id_matches = id_matches && batch->GetInt64(0, r) == id;
      (void)batch->GetInt64(1, r);
      name_bytes += batch->GetString(2, r).size();
    }
  }
  if (rows != 1 || !id_matches || name_bytes == 0) {
    return Mismatch("SELECT for id " + std::to_string(id) + " returned " + std::to_string(rows) + " rows");
  }
  return Status::OK();
}

}  // namespace lyt::bench::wire
