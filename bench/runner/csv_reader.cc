#include "runner/csv_reader.h"

#include <cerrno>
#include <cstring>

namespace lyt::bench {
namespace {
constexpr size_t kInitialBuffer = 1 << 20;
}  // namespace

CsvReader::CsvReader(const std::string& path) : buffer_(kInitialBuffer) {
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) error_ = "cannot open " + path + ": " + std::strerror(errno);
}

CsvReader::~CsvReader() {
  if (file_ != nullptr) std::fclose(file_);
}

bool CsvReader::Next(std::vector<std::string_view>* fields) {
  if (!ok()) return false;
  while (true) {
    const char* start = buffer_.data() + begin_;
    const void* newline = std::memchr(start, '\n', end_ - begin_);
    if (newline != nullptr) {
      size_t length = static_cast<const char*>(newline) - start;
      begin_ += length + 1;
      return Split({start, length}, fields);
    }
    if (!Refill()) break;
  }
  if (begin_ == end_) return false;  // clean end of file
  std::string_view last(buffer_.data() + begin_, end_ - begin_);
  begin_ = end_;
  return Split(last, fields);
}

bool CsvReader::Refill() {
  if (at_eof_) return false;
  size_t pending = end_ - begin_;
  std::memmove(buffer_.data(), buffer_.data() + begin_, pending);
  begin_ = 0;
  end_ = pending;
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);  // a line longer than the buffer
  size_t got = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
  end_ += got;
  if (got == 0) {
    at_eof_ = true;
    if (std::ferror(file_)) error_ = std::string("read error: ") + std::strerror(errno);
  }
  return got > 0;
}

bool CsvReader::Split(std::string_view line, std::vector<std::string_view>* fields) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find('"') != std::string_view::npos) {
    error_ = "quoted CSV fields are not supported";
    return false;
  }
  fields->clear();
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    fields->push_back(line.substr(start, comma - start));
    if (comma == std::string_view::npos) return true;
    start = comma + 1;
  }
}

}  // namespace lyt::bench
