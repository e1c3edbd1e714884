#pragma once
// Bit streams for the item index's neighbour lists: least significant bit first, and Rice codes (a unary
// quotient then r low bits), which keep the small gaps between sorted neighbour positions in a few bits.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cartkeep::index_format {

// Bits the Rice code with parameter r takes for `value`.
inline std::size_t riceBits(std::uint64_t value, unsigned r) noexcept { return static_cast<std::size_t>(value >> r) + 1 + r; }

class BitWriter {
 public:
  explicit BitWriter(std::string& out) : out_(out) {}
  void put(std::uint64_t value, unsigned bits);  // bits <= 32
  void putRice(std::uint64_t value, unsigned r);
  void finish();  // zero bits up to the next byte

 private:
  std::string& out_;
  std::uint64_t buffer_ = 0;
  unsigned buffered_ = 0;
};

// Reads bits from bytes [begin, end) of `bytes`; a read past the end fails and leaves the position unchanged.
class BitReader {
 public:
  BitReader(std::string_view bytes, std::size_t begin, std::size_t end) : bytes_(bytes), bit_(begin * 8), end_(end * 8) {}
  std::size_t bit() const noexcept { return bit_; }
  std::size_t byte() const noexcept { return (bit_ + 7) / 8; }  // the first byte after the bits read
  bool take(unsigned bits, std::uint64_t& value);                 // bits <= 32
  // A Rice code whose quotient is at most maxQuotient (a longer run of ones fails: a damaged stream).
  bool takeRice(unsigned r, std::uint64_t maxQuotient, std::uint64_t& value);
  // The bits from here to the byte boundary are zero.
  bool paddingIsZero() const noexcept;

 private:
  bool bitAt(std::size_t bit) const noexcept { return (static_cast<unsigned char>(bytes_[bit / 8]) >> (bit % 8)) & 1u; }
  std::string_view bytes_;
  std::size_t bit_;
  std::size_t end_;
};

}  // namespace cartkeep::index_format
