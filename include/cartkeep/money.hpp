#pragma once
// Amounts are int64 minor units (pence, yen, fils); arithmetic is checked, never wraps.
#include <cstdint>
#include <optional>

namespace cartkeep {

using Minor = std::int64_t;

std::optional<Minor> checkedAdd(Minor a, Minor b) noexcept;
std::optional<Minor> checkedSub(Minor a, Minor b) noexcept;
std::optional<Minor> checkedMul(Minor a, Minor b) noexcept;

}  // namespace cartkeep
