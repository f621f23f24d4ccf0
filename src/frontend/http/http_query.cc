// POST /v1/query (docs/http-api.md, "Queries"): the statements run in a session of their own on
// the worker pool; their result is encoded as JSON while it is sent, 64 KiB at a time.
#include <boost/asio/steady_timer.hpp>
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <shared_mutex>

#include "auth/authorize.h"
#include "common/cast.h"
#include "common/datetime.h"
#include "common/error.h"
#include "common/interval.h"
#include "frontend/http/http_internal.h"
#include "frontend/http/json_text.h"
#include "main/engine.h"
#include "main/session.h"

namespace lyt::frontend::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// How much encoded JSON one part of a streamed body holds, about.
constexpr size_t kPartBytes = 64 * 1024;

struct QueryRequest {
  std::string database = "main";
  std::string sql;
  std::vector<Value> params;
  bool transaction = false;
};

Status ParamValue(const json::value& v, size_t index, Value* out) {
  switch (v.kind()) {
    case json::kind::null: *out = Value(); return Status::OK();
    case json::kind::bool_: *out = Value::Boolean(v.get_bool()); return Status::OK();
    case json::kind::int64: *out = Value::BigInt(v.get_int64()); return Status::OK();
    case json::kind::uint64:
      if (v.get_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) break;
      *out = Value::BigInt(static_cast<int64_t>(v.get_uint64()));
      return Status::OK();
    case json::kind::double_: *out = Value::Double(v.get_double()); return Status::OK();
    case json::kind::string: *out = Value::Varchar(std::string(v.get_string())); return Status::OK();
    default: break;
  }
  return Status::Error(sqlstate::kProtocolViolation, "params[" + std::to_string(index) +
                                                         "] must be null, a boolean, a number within BIGINT or DOUBLE, or a string");
}

Status ParseQueryRequest(const Request& request, QueryRequest* out) {
  json::object body;
  Status status = ParseJsonObject(request, &body);
  if (status.ok()) status = StringField(body, "database", false, &out->database);
  if (status.ok()) status = StringField(body, "sql", true, &out->sql);
  if (!status.ok()) return status;
  if (const json::value* params = body.if_contains("params"); params != nullptr && !params->is_null()) {
    if (!params->is_array()) return Status::Error(sqlstate::kProtocolViolation, "\"params\" must be an array");
    for (const json::value& p : params->get_array()) {
      Value value;
      status = ParamValue(p, out->params.size(), &value);
      if (!status.ok()) return status;
      out->params.push_back(std::move(value));
    }
  }
  if (const json::value* transaction = body.if_contains("transaction"); transaction != nullptr && !transaction->is_null()) {
    if (!transaction->is_bool()) return Status::Error(sqlstate::kProtocolViolation, "\"transaction\" must be true or false");
    out->transaction = transaction->get_bool();
  }
  return Status::OK();
}

struct Outcome {
  std::unique_ptr<QueryResult> last;  // the last statement's result (or the error that stopped them)
  size_t statements = 0;              // statements that ran
  uint64_t ticket = 0;                // of the last commit, for the durability wait
};

// Runs the request's statements in `session` (on a worker).
Outcome RunStatements(net::ServerContext& server, Session& session, const QueryRequest& query) {
  Outcome outcome;
  try {
    std::shared_lock lock(server.engine.catalog_lock());
    auth::CheckCanConnect(server.engine.users(), server.engine.catalog(), session.info().user, query.database);
  } catch (const Error& e) {
    outcome.last = QueryResult::MakeError(ToStatus(e, ""));
    return outcome;
  }
  session.set_current_database(query.database);
  auto keep_last = [&](std::unique_ptr<QueryResult> result) {
    ++outcome.statements;
    outcome.last = std::move(result);
  };
  if (query.transaction) {
    auto begun = session.Run("BEGIN", {});
    if (!begun->ok()) {
      outcome.last = std::move(begun);
      return outcome;
    }
  }
  session.RunEach(query.sql, query.params, keep_last);
  if (query.transaction) {
    bool failed = outcome.last == nullptr || !outcome.last->ok();
    auto ended = session.Run(failed ? "ROLLBACK" : "COMMIT", {});
    if (!failed && !ended->ok()) outcome.last = std::move(ended);
  }
  if (outcome.last == nullptr) outcome.last = QueryResult::MakeCommand("", 0);  // no statement at all
  outcome.ticket = session.TakeDeferredFlush();
  return outcome;
}

// A durability ticket's wait as an awaitable: resumes on the calling executor.
asio::awaitable<Status> WaitDurable(net::ServerContext& server, uint64_t ticket) {
  if (ticket == 0) co_return Status::OK();
  auto home = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Status)>(
      [&server, ticket, home](auto handler) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        server.engine.WhenDurable(ticket, [shared, home](Status status) {
          asio::post(home, [shared, status = std::move(status)]() mutable { (*shared)(std::move(status)); });
        });
      },
      asio::use_awaitable);
}

void AppendCell(std::string& out, const ResultBatch& batch, const LogicalType& type, size_t column, size_t row) {
  if (batch.IsNull(column, row)) {
    out += "null";
    return;
  }
  switch (type.id) {
    case TypeId::Null: out += "null"; return;
    case TypeId::Boolean: out += batch.GetInt64(column, row) != 0 ? "true" : "false"; return;
    case TypeId::SmallInt:
    case TypeId::Integer:
    case TypeId::BigInt: AppendJsonInt(out, batch.GetInt64(column, row)); return;
    case TypeId::Real:
    case TypeId::Double: AppendJsonDouble(out, batch.GetDouble(column, row)); return;
    case TypeId::Varchar: AppendJsonString(out, batch.GetString(column, row)); return;
    case TypeId::Blob: AppendJsonString(out, FormatBlob(batch.GetString(column, row))); return;
    case TypeId::Date: AppendJsonString(out, FormatDate(static_cast<int32_t>(batch.GetInt64(column, row)))); return;
    case TypeId::Timestamp: AppendJsonString(out, FormatTimestamp(batch.GetInt64(column, row))); return;
    case TypeId::Interval: AppendJsonString(out, FormatInterval(batch.GetInterval(column, row))); return;
  }
  out += "null";
}

// Encodes a successful result: the head (columns, "rows":[) at once, the rows part by part,
// then the tail with the counts.
class ResultEncoder {
 public:
  ResultEncoder(std::unique_ptr<QueryResult> result, size_t statements, double elapsed_ms)
      : result_(std::move(result)), statements_(statements), elapsed_ms_(elapsed_ms) {}

  void Head(std::string& out) const {
    out += "{\"columns\":[";
    for (size_t i = 0; i < result_->columns().size(); ++i) {
      const ColumnInfo& column = result_->columns()[i];
      if (i > 0) out.push_back(',');
      out += "{";
      AppendJsonKey(out, "name", true);
      AppendJsonString(out, column.name);
      AppendJsonKey(out, "type");
      AppendJsonString(out, column.type.ToString());
      out += "}";
    }
    out += "],\"rows\":[";
  }

  // Appends rows until `out` holds about kPartBytes; false once the whole body is in.
  bool More(std::string& out) {
    while (out.size() < kPartBytes) {
      if (batch_ == nullptr || row_ == batch_->row_count()) {
        batch_ = result_->returns_rows() ? result_->NextBatch() : nullptr;
        row_ = 0;
        if (batch_ == nullptr) {
          Tail(out);
          return false;
        }
        continue;
      }
      if (!first_row_) out.push_back(',');
      first_row_ = false;
      out.push_back('[');
      for (size_t c = 0; c < batch_->column_count(); ++c) {
        if (c > 0) out.push_back(',');
        AppendCell(out, *batch_, result_->columns()[c].type, c, row_);
      }
      out.push_back(']');
      ++row_;
    }
    return true;
  }

 private:
  void Tail(std::string& out) const {
    out += "]";
    AppendJsonKey(out, "rows_affected");
    AppendJsonInt(out, result_->rows_affected());
    AppendJsonKey(out, "command");
    AppendJsonString(out, result_->command_tag());
    AppendJsonKey(out, "statements");
    AppendJsonInt(out, static_cast<int64_t>(statements_));
    AppendJsonKey(out, "elapsed_ms");
    AppendJsonDouble(out, std::round(elapsed_ms_ * 1000) / 1000);
    out += "}";
  }

  std::unique_ptr<QueryResult> result_;
  size_t statements_;
  double elapsed_ms_;
  const ResultBatch* batch_ = nullptr;
  size_t row_ = 0;
  bool first_row_ = true;
};

Reply ResultReply(Outcome outcome, double elapsed_ms) {
  auto encoder = std::make_shared<ResultEncoder>(std::move(outcome.last), outcome.statements, elapsed_ms);
  Reply reply;
  encoder->Head(reply.body);
  if (encoder->More(reply.body)) {
    reply.more = [encoder](std::string& out) { return encoder->More(out); };
  }
  return reply;
}

// Raises the statement timeout on `session` unless canceled first (on the control thread, so it
// fires whatever the event loops do).
std::shared_ptr<asio::steady_timer> ArmStatementTimeout(net::ServerContext& server, const std::shared_ptr<Session>& session) {
  uint32_t limit = server.options.statement_timeout_ms;
  if (limit == 0) return nullptr;
  auto timer = std::make_shared<asio::steady_timer>(server.control, std::chrono::milliseconds(limit));
  timer->async_wait([weak = std::weak_ptr<Session>(session)](const boost::system::error_code& error) {
    if (error) return;
    if (auto s = weak.lock()) s->interrupt().Raise(InterruptFlag::Reason::Timeout);
  });
  return timer;
}

}  // namespace

HandlerResult Query(net::ServerContext& server, const Request& request, const RouteArgs&, const Caller& caller) {
  auto started = std::chrono::steady_clock::now();
  QueryRequest query;
  Status status = ParseQueryRequest(request, &query);
  if (!status.ok()) co_return ErrorReply(status);
  auto session = std::make_shared<Session>(server.engine);
  session->set_defer_flush(true);  // the durability wait below holds no thread
  session->set_info(SessionInfo{0, caller.user, request.peer, "http"});
  auto running = request.running;
  if (running) running->Start(session);
  auto timer = ArmStatementTimeout(server, session);
  Outcome outcome = co_await OnWorker(server, [&] {
    Outcome o = RunStatements(server, *session, query);
    if (running) running->Stop();
    session.reset();  // its temporary tables go now, on the worker
    return o;
  });
  if (timer) timer->cancel();
  status = co_await WaitDurable(server, outcome.ticket);
  if (!status.ok()) co_return ErrorReply(status);
  if (!outcome.last->ok()) co_return ErrorReply(outcome.last->status());
  double elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  co_return ResultReply(std::move(outcome), elapsed_ms);
}

}  // namespace lyt::frontend::http
