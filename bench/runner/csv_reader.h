// A minimal, fast reader for the benchmark's CSV files, used by the SQLite loader.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace lyt::bench {

// Reads records of ','-separated fields ending in "\n" or "\r\n" (the last one may lack it).
// Quoted fields are not supported: gen_data.py never writes them, and a '"' is reported as an
// error rather than misread. Not thread-safe.
class CsvReader {
 public:
  // Opens `path`; check ok() before reading.
  explicit CsvReader(const std::string& path);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  // Fills `fields` with the next record's fields, which stay valid until the next call. Returns
  // false at the end of the file or on an error (then ok() is false).
  bool Next(std::vector<std::string_view>* fields);

 private:
  // Makes room and reads more bytes; false when nothing more could be read.
  bool Refill();
  bool Split(std::string_view line, std::vector<std::string_view>* fields);

  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  size_t begin_ = 0;  // first unread byte in buffer_
  size_t end_ = 0;    // one past the last valid byte in buffer_
  bool at_eof_ = false;
  std::string error_;
};

}  // namespace lyt::bench
