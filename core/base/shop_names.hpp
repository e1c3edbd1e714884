#pragma once
// The shapes of the names features pass to each other (the event stream, saved carts, resume links): one rule
// for each, so a name one feature accepts is never refused by another.
#include <algorithm>
#include <string_view>

namespace cartkeep {

// A checkout step name: "" or 1 to 32 characters a-z 0-9 -.
inline bool isStepName(std::string_view text) noexcept {
  if (text.size() > 32) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

// A coupon code: "" or 1 to 64 characters A-Z a-z 0-9 _ -.
inline bool isCouponCode(std::string_view text) noexcept {
  if (text.size() > 64) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace cartkeep
