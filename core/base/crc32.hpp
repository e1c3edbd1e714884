#pragma once
// CRC-32 (IEEE 802.3, as zlib's crc32): the checksum of stored carts, resume links and the item index.
#include <cstdint>
#include <string_view>

namespace cartkeep {

std::uint32_t crc32(std::string_view bytes) noexcept;

}  // namespace cartkeep
