// libFuzzer target: arbitrary bytes as a write-ahead log segment (docs/durability.md; a valid
// file header is put in front unless the input starts with the log magic) replayed into a fresh
// engine record by record as recovery does; then the same records with their checksums made
// valid (so that mutated payloads get past the framing); then the bytes as a checkpoint's entry
// stream; then as a whole checkpoint file (a valid header in front unless the input starts with
// the checkpoint magic), that file with its records' checks made valid, and a well-framed
// checkpoint whose one compressed entry record holds the input.
// Damage must surface as lyt::Error XX001 (data_corrupted); anything else (a crash, a sanitizer
// report, another exception or SQLSTATE) is a bug.
#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "common/error.h"
#include "durability/checkpoint.h"
#include "durability/log_entries.h"
#include "durability/log_format.h"
#include "main/engine.h"
#include "protocol/wire.h"

namespace {

using namespace lyt::durability;

// Row ids stay small: a hostile range must not make the fuzzer allocate gigabytes.
constexpr lyt::row_t kMaxRowId = lyt::row_t(1) << 16;

template <class F>
void ExpectCorruptionOnly(F&& f) {
  try {
    f();
  } catch (const lyt::Error& e) {
    if (std::string_view(e.sqlstate()) != lyt::sqlstate::kDataCorrupted) std::abort();
  }
}

void ReplayLog(std::string_view file) {
  lyt::Engine engine{lyt::DatabaseOptions{}};
  Replayer replayer(engine.catalog(), engine.users(), &engine.kv());
  replayer.set_max_row_id(kMaxRowId);
  uint64_t sequence = 0;
  (void)DecodeFileHeader(file, kLogMagic, "fuzz.wal", &sequence);
  RecordReader reader(file);
  Record record;
  std::string pending;  // the leading parts of a large commit, as Store::ReplaySegment keeps them
  RecordReader::Result r;
  while ((r = reader.Next(&record)) == RecordReader::Result::kRecord) {
    if (record.type == RecordType::kCommitPart) {
      pending.append(record.payload);
    } else if (record.type == RecordType::kCommit) {
      pending.append(record.payload);
      ExpectCorruptionOnly([&] { replayer.ApplyCommit(pending); });
      pending.clear();
    }
  }
  if (r == RecordReader::Result::kBad) (void)reader.ValidRecordAfter(reader.offset());
  ExpectCorruptionOnly([&] { replayer.Finish(); });
}

// `file` with every record's checks recomputed: its length and type fields are kept (a length
// running past the end takes the rest), the payload and header checks made to match.
std::string Reframed(std::string_view file) {
  std::string out(file.substr(0, std::min(file.size(), kFileHeaderSize)));
  for (size_t pos = kFileHeaderSize; pos + kRecordHeaderSize <= file.size();) {
    uint32_t length;
    std::memcpy(&length, file.data() + pos, 4);
    auto type = static_cast<RecordType>(static_cast<uint8_t>(file[pos + 4]));
    std::string_view payload = file.substr(pos + kRecordHeaderSize, std::min<size_t>(length, kMaxRecordPayload));
    AppendRecord(type, payload, out);
    pos += kRecordHeaderSize + payload.size();
  }
  return out;
}

void ReplayEntries(std::string_view entries) {
  lyt::Engine engine{lyt::DatabaseOptions{}};
  Replayer replayer(engine.catalog(), engine.users(), &engine.kv());
  replayer.set_max_row_id(kMaxRowId);
  ExpectCorruptionOnly([&] {
    replayer.Apply(entries);
    replayer.Finish();
  });
}

void LoadCheckpointBytes(std::string_view file) {
  lyt::Engine engine{lyt::DatabaseOptions{}};
  Replayer replayer(engine.catalog(), engine.users(), &engine.kv());
  replayer.set_max_row_id(kMaxRowId);
  CheckpointInfo info;
  lyt::Status s = DecodeCheckpoint(file, "fuzz.lyt", replayer, &info);
  if (s.ok()) {
    ExpectCorruptionOnly([&] { replayer.Finish(); });
  } else if (std::string_view(s.sqlstate()) != lyt::sqlstate::kDataCorrupted) {
    std::abort();
  }
}

// A checkpoint as WriteCheckpoint frames it (timestamp 1) around one entry record of `entries`.
std::string WellFramedCheckpoint(std::string_view entries) {
  std::string file = EncodeFileHeader(kCheckpointMagic, 1);
  std::string payload;
  lyt::protocol::PutFixed<uint64_t>(payload, 1);
  lyt::protocol::PutFixed<uint64_t>(payload, 1);
  AppendRecord(RecordType::kCheckpointMeta, payload, file);
  if (!CompressEntries(entries, &payload).ok()) std::abort();
  AppendRecord(RecordType::kCheckpointEntry, payload, file);
  payload.clear();
  lyt::protocol::PutFixed<uint64_t>(payload, 1);
  AppendRecord(RecordType::kCheckpointEnd, payload, file);
  return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string file;
  if (input.substr(0, kLogMagic.size()) != kLogMagic) file = EncodeFileHeader(kLogMagic, 1);
  file.append(input);
  ReplayLog(file);
  ReplayLog(Reframed(file));
  ReplayEntries(input);
  std::string checkpoint;
  if (input.substr(0, kCheckpointMagic.size()) != kCheckpointMagic) checkpoint = EncodeFileHeader(kCheckpointMagic, 1);
  checkpoint.append(input);
  LoadCheckpointBytes(checkpoint);
  LoadCheckpointBytes(Reframed(checkpoint));
  LoadCheckpointBytes(WellFramedCheckpoint(input));
  return 0;
}
