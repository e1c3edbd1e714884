#pragma once
// ISO 4217 currencies and their minor-unit exponents (JPY 0, GBP 2, KWD 3).
#include <optional>
#include <string_view>

namespace cartkeep {

struct Currency {
  std::string_view code;  // "GBP"
  int exponent;           // digits after the decimal point
};

// The active ISO 4217 currency with this upper-case code, if any.
std::optional<Currency> findCurrency(std::string_view code) noexcept;

}  // namespace cartkeep
