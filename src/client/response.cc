#include "client/response.h"

#include "common/error.h"

namespace lyt::client {

using protocol::MessageType;

namespace {

[[noreturn]] void Violation(const std::string& what) { throw Error(sqlstate::kProtocolViolation, what); }

}  // namespace

bool StatementAssembler::Add(const protocol::Frame& frame) {
  switch (static_cast<MessageType>(frame.type)) {
    case MessageType::Columns: {
      if (columns_) Violation("COLUMNS received twice for one statement");
      auto message = protocol::DecodePayload<protocol::ColumnsMessage>(frame.payload);
      columns_.emplace();
      for (auto& c : message.columns) columns_->push_back(ColumnInfo{std::move(c.name), c.type});
      types_ = message.Types();
      return false;
    }
    case MessageType::Batch: {
      if (!columns_) Violation("BATCH received before COLUMNS");
      protocol::PayloadReader in(frame.payload);
      auto chunk = std::make_unique<DataChunk>();
      protocol::DecodeBatch(in, types_, *chunk);
      in.ExpectEnd();
      batches_.push_back(std::move(chunk));
      return false;
    }
    case MessageType::Complete: {
      auto message = protocol::DecodePayload<protocol::CompleteMessage>(frame.payload);
      if (columns_) {
        result_ = QueryResult::MakeRows(std::move(*columns_), std::move(batches_), std::move(message.tag));
      } else {
        result_ = QueryResult::MakeCommand(std::move(message.tag), static_cast<int64_t>(message.rows));
      }
      return true;
    }
    case MessageType::Error:
      result_ = QueryResult::MakeError(protocol::DecodePayload<protocol::ErrorMessage>(frame.payload).ToStatus());
      return true;
    default:
      Violation(std::string(protocol::MessageName(frame.type)) + " received in a statement's response");
  }
}

std::unique_ptr<QueryResult> StatementAssembler::Take() {
  columns_.reset();
  types_.clear();
  batches_.clear();
  return std::move(result_);
}

}  // namespace lyt::client
