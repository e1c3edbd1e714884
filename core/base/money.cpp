#include "base/money.hpp"

namespace cartkeep {

std::optional<Minor> checkedAdd(Minor a, Minor b) noexcept {
  Minor out;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

std::optional<Minor> checkedSub(Minor a, Minor b) noexcept {
  Minor out;
  if (__builtin_sub_overflow(a, b, &out)) return std::nullopt;
  return out;
}

std::optional<Minor> checkedMul(Minor a, Minor b) noexcept {
  Minor out;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

}  // namespace cartkeep
