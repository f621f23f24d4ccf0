#include "durability/log_format.h"

#include <cstring>

#include "common/error.h"
#include "durability/checksum.h"
#include "protocol/wire.h"

namespace lyt::durability {

using protocol::GetFixed;
using protocol::PutFixed;

std::string EncodeFileHeader(std::string_view magic, uint64_t sequence) {
  std::string out(magic);
  PutFixed<uint32_t>(out, kFormatVersion);
  PutFixed<uint32_t>(out, 0);
  PutFixed<uint64_t>(out, sequence);
  PutFixed<uint32_t>(out, 0);
  PutFixed<uint32_t>(out, Checksum32(out.data(), out.size()));
  return out;
}

Status DecodeFileHeader(std::string_view file, std::string_view magic, const std::string& path, uint64_t* sequence) {
  auto corrupt = [&](const std::string& what) {
    return Status::Error(sqlstate::kDataCorrupted, "\"" + path + "\": " + what);
  };
  if (file.size() < kFileHeaderSize) return corrupt("file is too short for its header (" + std::to_string(file.size()) + " bytes)");
  if (file.substr(0, magic.size()) != magic) return corrupt("not a LytDB file of this kind (wrong magic bytes)");
  if (GetFixed<uint32_t>(file.data() + 28) != Checksum32(file.data(), 28)) return corrupt("file header checksum mismatch");
  uint32_t version = GetFixed<uint32_t>(file.data() + 8);
  if (version != kFormatVersion) {
    return Status::Error(sqlstate::kDataCorrupted, "\"" + path + "\": unknown format version " + std::to_string(version) +
                                                       " (this lytdb reads version " + std::to_string(kFormatVersion) + ")");
  }
  *sequence = GetFixed<uint64_t>(file.data() + 16);
  return Status::OK();
}

void AppendRecord(RecordType type, std::string_view payload, std::string& out) {
  if (payload.size() > kMaxRecordPayload) ThrowInternal("log record larger than kMaxRecordPayload");
  size_t start = out.size();
  PutFixed<uint32_t>(out, static_cast<uint32_t>(payload.size()));
  PutFixed<uint8_t>(out, static_cast<uint8_t>(type));
  out.append(3, '\0');
  PutFixed<uint32_t>(out, Checksum32(payload.data(), payload.size()));
  PutFixed<uint32_t>(out, Checksum32(out.data() + start, 12));
  out.append(payload);
}

bool RecordReader::ValidAt(size_t offset, Record* out) const {
  if (offset + kRecordHeaderSize > file_.size()) return false;
  const char* h = file_.data() + offset;
  if (GetFixed<uint32_t>(h + 12) != Checksum32(h, 12)) return false;
  uint32_t length = GetFixed<uint32_t>(h);
  if (length > kMaxRecordPayload || length > file_.size() - offset - kRecordHeaderSize) return false;
  if (h[5] != 0 || h[6] != 0 || h[7] != 0) return false;
  std::string_view payload = file_.substr(offset + kRecordHeaderSize, length);
  if (GetFixed<uint32_t>(h + 8) != Checksum32(payload.data(), payload.size())) return false;
  out->type = static_cast<RecordType>(static_cast<uint8_t>(h[4]));
  out->payload = payload;
  out->offset = offset;
  return true;
}

RecordReader::Result RecordReader::Next(Record* out) {
  if (pos_ >= file_.size()) return Result::kEnd;
  if (ValidAt(pos_, out)) {
    pos_ += kRecordHeaderSize + out->payload.size();
    return Result::kRecord;
  }
  // The preallocated tail (all zeros) is the normal end; zeros followed by anything valid are
  // damage.
  if (AllZerosFrom(pos_) || (ZerosAt(pos_) && !ValidRecordAfter(pos_))) return Result::kEnd;
  return Result::kBad;
}

bool RecordReader::ZerosAt(size_t offset) const {
  for (size_t i = offset; i < file_.size() && i < offset + kRecordHeaderSize; ++i) {
    if (file_[i] != 0) return false;
  }
  return true;
}

bool RecordReader::AllZerosFrom(size_t offset) const {
  size_t i = offset;
  for (; i + 8 <= file_.size(); i += 8) {
    if (GetFixed<uint64_t>(file_.data() + i) != 0) return false;
  }
  for (; i < file_.size(); ++i) {
    if (file_[i] != 0) return false;
  }
  return true;
}

bool RecordReader::ValidRecordAfter(size_t offset) const {
  Record ignored;
  for (size_t p = offset + 1; p + kRecordHeaderSize <= file_.size();) {
    // A record's length is never 0: runs of zero bytes are skipped cheaply.
    if (GetFixed<uint64_t>(file_.data() + p) == 0) {
      p += 5;
      continue;
    }
    if (GetFixed<uint32_t>(file_.data() + p) != 0 && ValidAt(p, &ignored)) return true;
    ++p;
  }
  return false;
}

}  // namespace lyt::durability
