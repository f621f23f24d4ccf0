// libFuzzer target: arbitrary bytes as a Redis client's request stream (RequestParser) and as a
// RESP2/RESP3 value (DecodeValue). The first byte chooses the limits (its low bit: Redis's defaults
// or small ones, so that every limit is reached) and where the stream is split. Checked: consumed
// counts stay within the input; arguments lie in the input or outside it (the parser's storage);
// the stream split into pieces gives exactly the commands, the error and the leftover the whole
// stream gives; a size hint asks for more than is buffered; a value's prefixes need more bytes and the value re-encodes
// stably. Anything else (a crash, a sanitizer report, an abort) is a bug.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/resp.h"

namespace {

using lyt::resp::DecodeResult;
using lyt::resp::Limits;
using lyt::resp::RequestParser;

struct Outcome {
  std::vector<std::vector<std::string>> commands;
  std::string error;
  size_t unconsumed = 0;

  bool operator==(const Outcome&) const = default;
};

void Check(bool ok) {
  if (!ok) std::abort();
}

bool Inside(std::string_view part, std::string_view whole) {
  const auto p = reinterpret_cast<uintptr_t>(part.data());
  const auto w = reinterpret_cast<uintptr_t>(whole.data());
  return p >= w && p + part.size() <= w + whole.size();
}

bool Outside(std::string_view part, std::string_view whole) {
  const auto p = reinterpret_cast<uintptr_t>(part.data());
  const auto w = reinterpret_cast<uintptr_t>(whole.data());
  return p + part.size() <= w || p >= w + whole.size();
}

// The stream arriving in pieces of `piece` bytes, appended to a buffer from which each command's
// bytes are erased once handled, as a server does.
Outcome FeedRequests(std::string_view stream, size_t piece, const Limits& limits) {
  RequestParser parser(limits);
  Outcome outcome;
  std::string buffer;
  for (size_t at = 0; at < stream.size(); at += piece) {
    buffer.append(stream.substr(at, piece));
    for (;;) {
      size_t consumed = 0;
      const RequestParser::Result r = parser.Parse(buffer, &consumed);
      Check(consumed <= buffer.size());
      if (r == RequestParser::Result::kError) {
        Check(!parser.error().empty());
        outcome.error = parser.error();
        return outcome;
      }
      if (r == RequestParser::Result::kCommand) {
        Check(!parser.args().empty());
        auto& command = outcome.commands.emplace_back();
        for (std::string_view arg : parser.args()) {
          Check(Inside(arg, std::string_view(buffer).substr(0, consumed)) || Outside(arg, buffer));
          command.emplace_back(arg);
        }
      }
      buffer.erase(0, consumed);
      if (r == RequestParser::Result::kNeedMore) {
        Check(parser.bytes_hint() == 0 || parser.bytes_hint() > buffer.size());
        break;
      }
    }
  }
  outcome.unconsumed = buffer.size();
  return outcome;
}

std::string Encode(const lyt::resp::Value& value) {
  std::string out;
  lyt::resp::ReplyWriter writer(out, lyt::resp::Protocol::kResp3);
  AppendValue(writer, value);
  return out;
}

void CheckValue(std::string_view in, size_t split, const Limits& limits) {
  lyt::resp::Value value;
  std::string error;
  size_t consumed = 0;
  const DecodeResult r = DecodeValue(in, limits, &consumed, &value, &error);
  Check(consumed <= in.size());
  Check((r == DecodeResult::kError) == !error.empty());
  if (r == DecodeResult::kError) return;
  // A prefix of what needs more, or of a whole value, needs more too.
  const size_t end = r == DecodeResult::kValue ? consumed : in.size();
  if (split < end) {
    lyt::resp::Value part;
    std::string part_error;
    size_t part_consumed = 0;
    Check(DecodeValue(in.substr(0, split), limits, &part_consumed, &part, &part_error) == DecodeResult::kNeedMore);
  }
  if (r != DecodeResult::kValue) return;
  // Encoding is stable: what was written decodes (within the same depth) to what writes the same.
  const std::string once = Encode(value);
  Limits roomy;
  roomy.max_depth = limits.max_depth;
  lyt::resp::Value again;
  Check(DecodeValue(once, roomy, &consumed, &again, &error) == DecodeResult::kValue && consumed == once.size());
  Check(Encode(again) == once);
  // The RESP2 form of a value is a value too.
  std::string resp2;
  lyt::resp::ReplyWriter writer(resp2, lyt::resp::Protocol::kResp2);
  AppendValue(writer, value);
  Check(DecodeValue(resp2, roomy, &consumed, &again, &error) == DecodeResult::kValue && consumed == resp2.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Limits limits;
  if (data[0] & 1) {
    limits.max_bulk_bytes = 40;
    limits.max_args = 6;
    limits.max_inline_bytes = 24;
    limits.max_depth = 4;
  }
  const size_t piece = 1 + data[0] / 2;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  Check(FeedRequests(stream, piece, limits) == FeedRequests(stream, stream.size() + 1, limits));
  CheckValue(stream, piece, limits);
  return 0;
}
