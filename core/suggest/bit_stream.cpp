#include "suggest/bit_stream.hpp"

namespace cartkeep::index_format {

void BitWriter::put(std::uint64_t value, unsigned bits) {
  buffer_ |= (value & ((std::uint64_t{1} << bits) - 1)) << buffered_;
  buffered_ += bits;
  while (buffered_ >= 8) {
    out_.push_back(static_cast<char>(buffer_ & 0xFFu));
    buffer_ >>= 8;
    buffered_ -= 8;
  }
}

void BitWriter::putRice(std::uint64_t value, unsigned r) {
  for (std::uint64_t ones = value >> r; ones > 0; ones -= ones > 24 ? 24 : ones) {
    const unsigned run = ones > 24 ? 24 : static_cast<unsigned>(ones);
    put((std::uint64_t{1} << run) - 1, run);
  }
  put(0, 1);
  if (r) put(value, r);
}

void BitWriter::finish() {
  if (buffered_) out_.push_back(static_cast<char>(buffer_ & 0xFFu));
  buffer_ = 0;
  buffered_ = 0;
}

bool BitReader::take(unsigned bits, std::uint64_t& value) {
  if (end_ - bit_ < bits) return false;
  std::uint64_t out = 0;
  for (unsigned i = 0; i < bits; ++i) out |= static_cast<std::uint64_t>(bitAt(bit_ + i)) << i;
  bit_ += bits;
  value = out;
  return true;
}

bool BitReader::takeRice(unsigned r, std::uint64_t maxQuotient, std::uint64_t& value) {
  const std::size_t start = bit_;
  std::uint64_t quotient = 0;
  for (;;) {
    if (bit_ >= end_) break;
    const bool one = bitAt(bit_++);
    if (!one) {
      std::uint64_t low = 0;
      if (r && !take(r, low)) break;
      value = (quotient << r) | low;
      return true;
    }
    if (++quotient > maxQuotient) break;
  }
  bit_ = start;
  return false;
}

bool BitReader::paddingIsZero() const noexcept {
  for (std::size_t bit = bit_; bit % 8 != 0 && bit < end_; ++bit)
    if (bitAt(bit)) return false;
  return true;
}

}  // namespace cartkeep::index_format
