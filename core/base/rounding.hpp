#pragma once
// Exact rounding of rational amounts: round(a * b / d) in int64 minor units with 128-bit intermediates.
// Rates (tax, percentage discounts, fees) are exact decimals held in millionths of the base (20% = 200000).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"
#include "base/money.hpp"

namespace cartkeep {

// Modes follow the usual definitions (and dinero.js): half-up breaks ties towards +infinity, half-even
// to the even neighbour, up is the ceiling, down the floor. Every amount CartKeep rounds is >= 0.
enum class RoundingMode { HalfUp, HalfEven, Up, Down };
// Line: each line's tax and percentage discount is rounded, then summed. Order: amounts are summed
// exactly and rounded once (per tax rate, per coupon); allocation to lines keeps the sum.
enum class RoundingLevel { Line, Order };

struct Rounding {
  RoundingMode mode = RoundingMode::HalfEven;
  RoundingLevel level = RoundingLevel::Line;
};

const char* roundingModeId(RoundingMode mode) noexcept;    // "half-up", "half-even", "up", "down"
const char* roundingLevelId(RoundingLevel level) noexcept;  // "line", "order"
std::optional<RoundingMode> parseRoundingMode(std::string_view id) noexcept;
std::optional<RoundingLevel> parseRoundingLevel(std::string_view id) noexcept;

// round(a * b / d) with d > 0; an Overflow error when the result leaves int64 (never wraps).
Result<Minor> mulDivRound(std::int64_t a, std::int64_t b, std::int64_t d, RoundingMode mode);

// A percentage as an exact decimal: millionths of the base (12.5% = 125000, 100% = 1000000).
struct Rate {
  std::int64_t millionths = 0;
  bool operator==(const Rate& other) const noexcept { return millionths == other.millionths; }
  bool operator<(const Rate& other) const noexcept { return millionths < other.millionths; }
};
constexpr std::int64_t kRateOne = 1000000;

// Reads a percentage given as an integer (20) or a decimal string ("8.875", at most 4 decimals),
// within [0, maxPercent]; floats are refused so no binary fraction ever reaches money.
Result<Rate> readPercent(const nlohmann::json& value, const std::string& path, ErrorCode code,
                         std::int64_t maxPercent = 100);
std::string percentText(Rate rate);  // "20", "8.875"

// amount * rate, rounded.
Result<Minor> applyRate(Minor amount, Rate rate, RoundingMode mode);
// The tax contained in a tax-inclusive amount: gross * r / (1 + r), rounded.
Result<Minor> includedPortion(Minor gross, Rate rate, RoundingMode mode);

Error overflowError(const std::string& path = "");

}  // namespace cartkeep
