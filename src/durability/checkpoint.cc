#include "durability/checkpoint.h"

#include <zstd.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "catalog/catalog.h"
#include "common/error.h"
#include "durability/log_entries.h"
#include "durability/log_format.h"
#include "kv/store.h"
#include "protocol/wire.h"

namespace lyt::durability {

using protocol::GetFixed;
using protocol::PutFixed;

namespace {

constexpr uint8_t kCodecZstd = 1;
constexpr size_t kEntryBytes = 4u << 20;  // raw entry bytes per compressed record
constexpr int kZstdLevel = 3;

// Writes records to a file, sequentially.
class RecordFile {
 public:
  RecordFile(File& file, uint64_t offset) : file_(file), offset_(offset) {}
  Status Append(RecordType type, std::string_view payload) {
    buffer_.clear();
    AppendRecord(type, payload, buffer_);
    Status s = file_.Write(offset_, buffer_);
    offset_ += buffer_.size();
    return s;
  }
  uint64_t offset() const { return offset_; }

 private:
  File& file_;
  uint64_t offset_;
  std::string buffer_;
};

}  // namespace

std::string CheckpointFileName(version_t timestamp) {
  char name[48];
  std::snprintf(name, sizeof(name), "checkpoint-%016" PRIx64 ".lyt", timestamp);
  return name;
}

bool ParseCheckpointFileName(const std::string& name, version_t* timestamp) {
  if (name.size() != 31 || name.rfind("checkpoint-", 0) != 0 || name.substr(27) != ".lyt") return false;
  version_t value = 0;
  for (size_t i = 11; i < 27; ++i) {
    char c = name[i];
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0) return false;
    value = value * 16 + static_cast<version_t>(digit);
  }
  *timestamp = value;
  return true;
}

Status CompressEntries(std::string_view entries, std::string* payload) {
  payload->clear();
  PutFixed<uint8_t>(*payload, kCodecZstd);
  PutFixed<uint64_t>(*payload, entries.size());
  size_t head = payload->size();
  payload->resize(head + ZSTD_compressBound(entries.size()));
  size_t n = ZSTD_compress(payload->data() + head, payload->size() - head, entries.data(), entries.size(), kZstdLevel);
  if (ZSTD_isError(n)) return Status::Error(sqlstate::kInternalError, std::string("zstd: ") + ZSTD_getErrorName(n));
  payload->resize(head + n);
  return Status::OK();
}

Status WriteCheckpoint(FileSystem& fs, const std::string& dir, Catalog& catalog, const auth::UserStore& users,
                       const Snapshot& snapshot, uint64_t log_segment, kv::Store* kv, CheckpointInfo* info) {
  version_t timestamp = snapshot.start;
  std::string final_path = dir + "/" + CheckpointFileName(timestamp);
  std::string temp_path = final_path + ".tmp";
  std::unique_ptr<File> file;
  Status s = fs.Open(temp_path, true, &file);
  if (!s.ok()) return s;
  std::string header = EncodeFileHeader(kCheckpointMagic, timestamp);
  s = file->Write(0, header);
  RecordFile out(*file, header.size());
  std::string meta;
  PutFixed<uint64_t>(meta, timestamp);
  PutFixed<uint64_t>(meta, log_segment);
  if (s.ok()) s = out.Append(RecordType::kCheckpointMeta, meta);

  std::string entries;
  std::string compressed;
  uint64_t entry_records = 0;
  auto flush_entries = [&]() -> Status {
    if (entries.empty()) return Status::OK();
    Status c = CompressEntries(entries, &compressed);
    if (!c.ok()) return c;
    entries.clear();
    ++entry_records;
    return out.Append(RecordType::kCheckpointEntry, compressed);
  };

  EntryWriter writer(entries);
  if (s.ok()) writer.CatalogImage(catalog, users);
  for (auto& [db_name, db] : catalog.databases()) {
    for (auto& [name, table] : db->tables()) {
      if (!s.ok()) break;
      writer.TableImage(*table, snapshot, [&] {
        if (s.ok() && entries.size() >= kEntryBytes) s = flush_entries();
      });
    }
  }
  if (s.ok()) s = flush_entries();
  if (kv) {
    // Each keyspace is copied out under its lock (in pieces of about kEntryBytes), then
    // compressed and written without it.
    for (auto& keyspace : kv->All()) {
      if (!s.ok()) break;
      std::vector<std::string> pieces;
      {
        std::lock_guard lock(keyspace->mutex);
        if (keyspace->dropped) continue;
        kv->WriteImage(*keyspace, entries, [&] {
          if (entries.size() >= kEntryBytes) pieces.push_back(std::exchange(entries, std::string()));
        });
      }
      pieces.push_back(std::exchange(entries, std::string()));
      for (auto& piece : pieces) {
        entries = std::move(piece);
        if (s.ok()) s = flush_entries();
      }
      entries.clear();
    }
  }
  std::string end;
  PutFixed<uint64_t>(end, entry_records);
  if (s.ok()) s = out.Append(RecordType::kCheckpointEnd, end);
  if (s.ok()) s = file->Sync();
  file.reset();
  if (s.ok()) s = fs.Rename(temp_path, final_path);
  if (s.ok()) s = fs.SyncDirectory(dir);
  if (!s.ok()) {
    (void)fs.Remove(temp_path);
    return s;
  }
  info->timestamp = timestamp;
  info->log_segment = log_segment;
  info->bytes = out.offset();
  return Status::OK();
}

Status LoadCheckpoint(const std::string& path, Replayer& replayer, CheckpointInfo* info) {
  MappedFile mapped;
  Status s = mapped.Open(path);
  if (!s.ok()) return s;
  return DecodeCheckpoint(mapped.data(), path, replayer, info);
}

Status DecodeCheckpoint(std::string_view file, const std::string& path, Replayer& replayer, CheckpointInfo* info) {
  uint64_t sequence = 0;
  Status s = DecodeFileHeader(file, kCheckpointMagic, path, &sequence);
  if (!s.ok()) return s;
  auto corrupt = [&](size_t offset, const std::string& what) {
    return Status::Error(sqlstate::kDataCorrupted, "checkpoint \"" + path + "\" is damaged at byte " + std::to_string(offset) + ": " + what);
  };
  RecordReader reader(file);
  Record record;
  bool have_meta = false;
  uint64_t entry_records = 0;
  std::string raw;
  while (true) {
    RecordReader::Result r = reader.Next(&record);
    if (r == RecordReader::Result::kBad) return corrupt(reader.offset(), "record checksum mismatch");
    if (r == RecordReader::Result::kEnd) return corrupt(reader.offset(), "the file ends before its end record (truncated)");
    if (!have_meta) {
      if (record.type != RecordType::kCheckpointMeta || record.payload.size() != 16) return corrupt(record.offset, "no checkpoint header record");
      info->timestamp = GetFixed<uint64_t>(record.payload.data());
      info->log_segment = GetFixed<uint64_t>(record.payload.data() + 8);
      if (info->timestamp != sequence) return corrupt(record.offset, "timestamp does not match the file header");
      have_meta = true;
      continue;
    }
    if (record.type == RecordType::kCheckpointEnd) {
      if (record.payload.size() != 8 || GetFixed<uint64_t>(record.payload.data()) != entry_records) {
        return corrupt(record.offset, "end record does not match the records read");
      }
      if (reader.offset() != file.size()) return corrupt(reader.offset(), "bytes after the end record");
      break;
    }
    if (record.type != RecordType::kCheckpointEntry) return corrupt(record.offset, "unexpected record type " + std::to_string(static_cast<int>(record.type)));
    if (record.payload.size() < 9 || static_cast<uint8_t>(record.payload[0]) != kCodecZstd) return corrupt(record.offset, "unknown compression");
    uint64_t raw_size = GetFixed<uint64_t>(record.payload.data() + 1);
    if (raw_size > 64 * static_cast<uint64_t>(kEntryBytes)) return corrupt(record.offset, "implausible entry size");
    raw.resize(raw_size);
    size_t n = ZSTD_decompress(raw.data(), raw.size(), record.payload.data() + 9, record.payload.size() - 9);
    if (ZSTD_isError(n) || n != raw_size) return corrupt(record.offset, "compressed data does not decompress");
    try {
      replayer.Apply(raw);
    } catch (const Error& e) {
      return corrupt(record.offset, e.what());
    }
    ++entry_records;
  }
  info->bytes = file.size();
  return Status::OK();
}

}  // namespace lyt::durability
