// Assembles one statement's result from its response frames (docs/protocol.md, "Server
// messages"): COLUMNS, BATCH..., COMPLETE for a row set; COMPLETE alone for a command; ERROR at
// any point (batches already received are dropped).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "common/vector.h"
#include "lyt/database.h"
#include "protocol/frame.h"
#include "protocol/messages.h"

namespace lyt::client {

class StatementAssembler {
 public:
  // Adds the statement's next frame; true when that frame ended the statement (Take it then).
  // Throws lyt::Error 08P01 for a frame that cannot come at this point or does not decode.
  bool Add(const protocol::Frame& frame);
  // True after a COLUMNS or BATCH that no COMPLETE or ERROR has ended yet.
  bool started() const { return columns_.has_value(); }
  // The finished result; the assembler is then ready for the next statement.
  std::unique_ptr<QueryResult> Take();

 private:
  std::optional<std::vector<ColumnInfo>> columns_;
  std::vector<LogicalType> types_;
  std::vector<std::unique_ptr<DataChunk>> batches_;
  std::unique_ptr<QueryResult> result_;
};

}  // namespace lyt::client
