// libFuzzer target: arbitrary bytes as a lyt protocol stream (docs/protocol.md), received by a
// server (first byte even) or a client (odd), arriving in pieces of a size taken from the first
// byte. Framing and every message decoder must either produce messages or throw lyt::Error;
// whatever decodes must re-encode to bytes that decode to the same encoding. Anything else
// (a crash, a sanitizer report, an abort) is a bug.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/error.h"
#include "protocol/frame.h"
#include "protocol/messages.h"

namespace {

using namespace lyt::protocol;

// Decoding is deterministic, and encoding what was decoded is stable.
template <class M>
void Check(const Frame& frame) {
  M message = DecodePayload<M>(frame.payload);
  std::string once = EncodePayload(message);
  if (EncodePayload(DecodePayload<M>(once)) != once) std::abort();
}

void DecodeFrame(const Frame& frame, std::vector<lyt::LogicalType>& columns) {
  switch (static_cast<MessageType>(frame.type)) {
    case MessageType::Hello: return Check<HelloMessage>(frame);
    case MessageType::AuthScramFirst: return Check<ScramFirstMessage>(frame);
    case MessageType::AuthScramFinal: return Check<ScramFinalMessage>(frame);
    case MessageType::Query: return Check<QueryMessage>(frame);
    case MessageType::Prepare: return Check<PrepareMessage>(frame);
    case MessageType::Execute: return Check<ExecuteMessage>(frame);
    case MessageType::Close: return Check<CloseMessage>(frame);
    case MessageType::Cancel: return Check<CancelMessage>(frame);
    case MessageType::HelloOk: return Check<HelloOkMessage>(frame);
    case MessageType::AuthScramChallenge: return Check<ScramChallengeMessage>(frame);
    case MessageType::AuthOk: return Check<AuthOkMessage>(frame);
    case MessageType::Columns: {
      Check<ColumnsMessage>(frame);
      columns = DecodePayload<ColumnsMessage>(frame.payload).Types();
      return;
    }
    case MessageType::Batch: {
      PayloadReader in(frame.payload);
      lyt::DataChunk chunk;
      DecodeBatch(in, columns, chunk);
      in.ExpectEnd();
      PayloadWriter out;
      EncodeBatch(chunk, out);
      PayloadReader again(out.buffer());
      lyt::DataChunk chunk2;
      DecodeBatch(again, columns, chunk2);
      if (chunk2.size() != chunk.size()) std::abort();
      return;
    }
    case MessageType::Complete: return Check<CompleteMessage>(frame);
    case MessageType::Error: return Check<ErrorMessage>(frame);
    case MessageType::Prepared: return Check<PreparedMessage>(frame);
    case MessageType::Notice: return Check<NoticeMessage>(frame);
    case MessageType::Ready: return Check<ReadyMessage>(frame);
    default: return;  // messages without a payload
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Receiver receiver = data[0] % 2 == 0 ? Receiver::Server : Receiver::Client;
  size_t piece = 1 + data[0] / 2;
  std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  FrameDecoder decoder(receiver, 1 << 20);
  // A batch's columns come from the last COLUMNS; before one, an INTEGER and a VARCHAR column.
  std::vector<lyt::LogicalType> columns = {lyt::TypeId::Integer, lyt::TypeId::Varchar};
  try {
    for (size_t i = 0; i < stream.size(); i += piece) {
      decoder.Append(stream.substr(i, piece));
      while (auto frame = decoder.Next()) {
        try {
          DecodeFrame(*frame, columns);
        } catch (const lyt::Error&) {
          // A bad message: a server would answer ERROR and close; keep fuzzing the framing.
        }
      }
    }
  } catch (const lyt::Error&) {
  }
  return 0;
}
