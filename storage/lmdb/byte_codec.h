// Byte-level encoding shared by the stored records (record_codec) and the
// append relay's messages (relay_codec): a leading format byte, LEB128
// varints and length-prefixed strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace fieldpost {

class ByteWriter {
 public:
  explicit ByteWriter(char format) { out_.push_back(format); }
  void Byte(std::uint8_t value) { out_.push_back(static_cast<char>(value)); }
  void Varint(std::uint64_t value) {
    while (value >= 0x80) {
      out_.push_back(static_cast<char>(value | 0x80));
      value >>= 7;
    }
    out_.push_back(static_cast<char>(value));
  }
  void String(std::string_view text) {
    Varint(text.size());
    out_.append(text);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads values in order; after the first failure every read fails and
// ok() is false, so decoders check once at the end.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  std::uint8_t Byte() {
    if (in_.empty()) return Fail(), 0;
    const auto value = static_cast<std::uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return value;
  }
  std::uint64_t Varint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const std::uint8_t byte = Byte();
      value |= std::uint64_t{byte & 0x7Fu} << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return Fail(), 0;
  }
  std::string String() { return std::string(View()); }
  // A string, viewed where it lies without copying it.
  std::string_view View() {
    const std::uint64_t size = Varint();
    if (size > in_.size()) return Fail(), std::string_view();
    const std::string_view value = in_.substr(0, size);
    in_.remove_prefix(size);
    return value;
  }
  // Passes over a string without copying it.
  void SkipString() {
    const std::uint64_t size = Varint();
    if (size > in_.size()) return Fail();
    in_.remove_prefix(size);
  }
  bool ok() const { return ok_; }
  bool at_end() const { return in_.empty(); }

 private:
  void Fail() {
    ok_ = false;
    in_ = {};
  }
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace fieldpost
