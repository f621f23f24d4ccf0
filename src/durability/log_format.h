// The framing shared by write-ahead log segments and checkpoint files (docs/durability.md).
//
//   file   = file header, then records
//   header = 8-byte magic, u32 format version, u32 0, u64 sequence, u32 0, u32 header check
//   record = u32 payload length, u8 type, 3 zero bytes, u32 payload check, u32 header check,
//            then the payload
// Integers are little-endian. A check is the low 32 bits of durability::Checksum64 over the
// bytes it covers: the header check covers the header bytes before it, the payload check the
// payload. Checks are seeded, so the zeros of preallocated, never-written space never pass.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lyt/status.h"

namespace lyt::durability {

inline constexpr uint32_t kFormatVersion = 1;
inline constexpr size_t kFileHeaderSize = 32;
inline constexpr size_t kRecordHeaderSize = 16;
// No record is longer (a larger commit is split into parts); longer lengths are garbage.
inline constexpr uint32_t kMaxRecordPayload = 16u << 20;

inline constexpr std::string_view kLogMagic{"LYTWAL\r\n", 8};
inline constexpr std::string_view kCheckpointMagic{"LYTCKP\r\n", 8};

enum class RecordType : uint8_t {
  kCommit = 1,      // a commit's payload (or its last part)
  kCommitPart = 2,  // a leading part of a commit too large for one record
  kCheckpointMeta = 16,
  kCheckpointEntry = 17,
  kCheckpointEnd = 18,
};

// The header of a file with `magic`.
std::string EncodeFileHeader(std::string_view magic, uint64_t sequence);
// Checks the header of `file` and returns its sequence; a clear error for a short or damaged
// header, a wrong magic or an unknown format version (`path` names the file in messages).
Status DecodeFileHeader(std::string_view file, std::string_view magic, const std::string& path, uint64_t* sequence);

// Appends one record (header and payload) to `out`.
void AppendRecord(RecordType type, std::string_view payload, std::string& out);

struct Record {
  RecordType type;
  std::string_view payload;
  size_t offset = 0;  // of the record header within the file
};

// Reads the records of a file one by one, checking each.
class RecordReader {
 public:
  // `file` is the whole file; reading starts after its header.
  explicit RecordReader(std::string_view file) : file_(file), pos_(kFileHeaderSize) {}

  enum class Result {
    kRecord,  // *out is the next record
    kEnd,     // no more records: the end of the file, or where only zero bytes follow
    kBad,     // the bytes at offset() are not a valid record
  };
  Result Next(Record* out);
  // Where the next record would start (after kBad: where the bad one starts).
  size_t offset() const { return pos_; }
  // Whether a valid record starts anywhere after `offset` (tells a torn tail, after which
  // nothing valid follows, from damage in the middle of a file).
  bool ValidRecordAfter(size_t offset) const;

 private:
  bool ValidAt(size_t offset, Record* out) const;
  bool ZerosAt(size_t offset) const;       // a record header's worth of zero bytes
  bool AllZerosFrom(size_t offset) const;  // nothing but zeros to the end

  std::string_view file_;
  size_t pos_;
};

}  // namespace lyt::durability
