// The primitive encodings of the lyt protocol (docs/protocol.md): little-endian integers and
// floats, length-prefixed strings. PayloadReader is the bounds-checked side for bytes from
// outside: every read that would pass the end of its payload throws 08P01 instead.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace lyt::protocol {

// A fixed-width value's bytes, little-endian (the machine is little-endian, checked in wire.cc,
// so values are stored as they are in memory), appended to `out` / read at `p` (which the caller
// has checked holds sizeof(T) bytes). The log and checkpoint formats use them too.
template <class T>
void PutFixed(std::string& out, T v) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out.append(bytes, sizeof(T));
}

template <class T>
T GetFixed(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

class PayloadWriter {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U16(uint16_t v) { Fixed(v); }
  void U32(uint32_t v) { Fixed(v); }
  void U64(uint64_t v) { Fixed(v); }
  void I16(int16_t v) { Fixed(v); }
  void I32(int32_t v) { Fixed(v); }
  void I64(int64_t v) { Fixed(v); }
  void F32(float v) { Fixed(v); }
  void F64(double v) { Fixed(v); }
  // u32 length, then the bytes.
  void String(std::string_view s);
  void Raw(std::string_view bytes) { out_.append(bytes); }

  std::string& buffer() { return out_; }
  size_t size() const { return out_.size(); }

 private:
  template <class T>
  void Fixed(T v) {
    PutFixed(out_, v);
  }
  std::string out_;
};

class PayloadReader {
 public:
  explicit PayloadReader(std::string_view payload) : data_(payload) {}

  uint8_t U8() { return Fixed<uint8_t>(); }
  uint16_t U16() { return Fixed<uint16_t>(); }
  uint32_t U32() { return Fixed<uint32_t>(); }
  uint64_t U64() { return Fixed<uint64_t>(); }
  int16_t I16() { return Fixed<int16_t>(); }
  int32_t I32() { return Fixed<int32_t>(); }
  int64_t I64() { return Fixed<int64_t>(); }
  float F32() { return Fixed<float>(); }
  double F64() { return Fixed<double>(); }
  // A view into the payload (valid as long as the payload is).
  std::string_view String();
  std::string_view Raw(size_t n);

  size_t remaining() const { return data_.size() - pos_; }
  // Throws 08P01 unless every byte was read.
  void ExpectEnd() const;

 private:
  void Need(size_t n) const;
  template <class T>
  T Fixed() {
    Need(sizeof(T));
    T v = GetFixed<T>(data_.data() + pos_);
    pos_ += sizeof(T);
    return v;
  }
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace lyt::protocol
