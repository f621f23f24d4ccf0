// The public embedding API (include/lyt/database.h).
#include "lyt/database.h"

#include "common/cast.h"
#include "common/vector.h"
#include "main/engine.h"
#include "main/session.h"

namespace lyt {

Database::Database() = default;
Database::~Database() = default;

Status Database::Open(const DatabaseOptions& options, std::unique_ptr<Database>* out) {
  std::unique_ptr<Database> db(new Database());
  db->engine_ = std::make_unique<Engine>(options);
  Status status = db->engine_->OpenStorage(options);
  if (!status.ok()) return status;
  *out = std::move(db);
  return Status::OK();
}

std::unique_ptr<Connection> Database::Connect() { return std::unique_ptr<Connection>(new Connection(*engine_)); }

Connection::Connection(Engine& engine) : session_(std::make_unique<Session>(engine)) {}
Connection::~Connection() = default;

std::unique_ptr<QueryResult> Connection::Query(std::string_view sql, const std::vector<Value>& params) {
  return session_->Run(sql, params);
}

Status Connection::Execute(std::string_view sql, const std::vector<Value>& params) {
  return Query(sql, params)->status();
}

const std::string& Connection::current_database() const { return session_->current_database(); }

void Connection::Interrupt() { session_->interrupt().Raise(InterruptFlag::Reason::Cancel); }

QueryResult::QueryResult() = default;
QueryResult::~QueryResult() = default;

std::unique_ptr<QueryResult> QueryResult::MakeError(Status status) {
  std::unique_ptr<QueryResult> r(new QueryResult());
  r->status_ = std::move(status);
  return r;
}

std::unique_ptr<QueryResult> QueryResult::MakeCommand(std::string tag, int64_t rows_affected) {
  std::unique_ptr<QueryResult> r(new QueryResult());
  r->command_tag_ = std::move(tag);
  r->rows_affected_ = rows_affected;
  return r;
}

std::unique_ptr<QueryResult> QueryResult::MakeRows(std::vector<ColumnInfo> columns,
                                                   std::vector<std::unique_ptr<DataChunk>> batches, std::string tag) {
  std::unique_ptr<QueryResult> r(new QueryResult());
  r->returns_rows_ = true;
  r->columns_ = std::move(columns);
  for (const auto& b : batches) r->rows_affected_ += static_cast<int64_t>(b->size());
  r->batches_ = std::move(batches);
  r->command_tag_ = tag.empty() ? "SELECT " + std::to_string(r->rows_affected_) : std::move(tag);
  return r;
}

const ResultBatch* QueryResult::NextBatch() {
  while (next_batch_ < batches_.size()) {
    const DataChunk* chunk = batches_[next_batch_++].get();
    if (chunk->size() == 0) continue;
    current_.chunk_ = chunk;
    return &current_;
  }
  return nullptr;
}

size_t ResultBatch::row_count() const { return chunk_->size(); }
size_t ResultBatch::column_count() const { return chunk_->ColumnCount(); }
bool ResultBatch::IsNull(size_t column, size_t row) const { return chunk_->column(column).IsNull(row); }

int64_t ResultBatch::GetInt64(size_t column, size_t row) const {
  const Vector& v = chunk_->column(column);
  if (v.IsNull(row)) return 0;
  switch (v.type().id) {
    case TypeId::Boolean: return v.data<uint8_t>()[row];
    case TypeId::SmallInt: return v.data<int16_t>()[row];
    case TypeId::Integer:
    case TypeId::Date: return v.data<int32_t>()[row];
    case TypeId::BigInt:
    case TypeId::Timestamp: return v.data<int64_t>()[row];
    case TypeId::Real: return static_cast<int64_t>(v.data<float>()[row]);
    case TypeId::Double: return static_cast<int64_t>(v.data<double>()[row]);
    default: return 0;
  }
}

double ResultBatch::GetDouble(size_t column, size_t row) const {
  const Vector& v = chunk_->column(column);
  if (v.IsNull(row)) return 0;
  switch (v.type().id) {
    case TypeId::Real: return v.data<float>()[row];
    case TypeId::Double: return v.data<double>()[row];
    default: return static_cast<double>(GetInt64(column, row));
  }
}

std::string_view ResultBatch::GetString(size_t column, size_t row) const {
  const Vector& v = chunk_->column(column);
  if (v.IsNull(row) || !v.type().IsString()) return {};
  return v.data<StringRef>()[row].view();
}

Interval ResultBatch::GetInterval(size_t column, size_t row) const {
  const Vector& v = chunk_->column(column);
  if (v.IsNull(row) || v.type().id != TypeId::Interval) return {};
  return v.data<Interval>()[row];
}

Value ResultBatch::GetValue(size_t column, size_t row) const { return chunk_->column(column).GetValue(row); }

}  // namespace lyt
