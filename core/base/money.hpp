#pragma once
// Amounts are int64 minor units (pence, yen, fils); arithmetic is checked, never wraps.
#include <cstdint>
#include <optional>

namespace cartkeep {

using Minor = std::int64_t;

// Amounts reach JavaScript as numbers: beyond 2^53 - 1 they would silently lose units, so the core
// reports an overflow before handing out a larger amount.
constexpr Minor kMaxJsSafeMinor = 9007199254740991;
inline bool isJsSafe(Minor amount) noexcept { return amount <= kMaxJsSafeMinor && amount >= -kMaxJsSafeMinor; }

std::optional<Minor> checkedAdd(Minor a, Minor b) noexcept;
std::optional<Minor> checkedSub(Minor a, Minor b) noexcept;
std::optional<Minor> checkedMul(Minor a, Minor b) noexcept;

}  // namespace cartkeep
