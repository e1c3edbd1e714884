#include "base/rounding.hpp"

#include "base/json_fields.hpp"

namespace cartkeep {
namespace jf = json_fields;

namespace {
__extension__ typedef __int128 Wide;

constexpr Wide kInt64Max = INT64_MAX;
constexpr Wide kInt64Min = INT64_MIN;

// Floor division and the non-negative remainder for d > 0.
void floorDivide(Wide n, Wide d, Wide& quotient, Wide& remainder) {
  quotient = n / d;
  remainder = n % d;
  if (remainder < 0) {
    remainder += d;
    quotient -= 1;
  }
}
}  // namespace

const char* roundingModeId(RoundingMode mode) noexcept {
  switch (mode) {
    case RoundingMode::HalfUp: return "half-up";
    case RoundingMode::HalfEven: return "half-even";
    case RoundingMode::Up: return "up";
    case RoundingMode::Down: return "down";
  }
  return "half-even";
}

const char* roundingLevelId(RoundingLevel level) noexcept {
  return level == RoundingLevel::Line ? "line" : "order";
}

std::optional<RoundingMode> parseRoundingMode(std::string_view id) noexcept {
  if (id == "half-up") return RoundingMode::HalfUp;
  if (id == "half-even") return RoundingMode::HalfEven;
  if (id == "up") return RoundingMode::Up;
  if (id == "down") return RoundingMode::Down;
  return std::nullopt;
}

std::optional<RoundingLevel> parseRoundingLevel(std::string_view id) noexcept {
  if (id == "line") return RoundingLevel::Line;
  if (id == "order") return RoundingLevel::Order;
  return std::nullopt;
}

Error overflowError(const std::string& path) {
  return Error{ErrorCode::Overflow, path, "the amount is beyond the representable range (int64 minor units)"};
}

Result<Minor> mulDivRound(std::int64_t a, std::int64_t b, std::int64_t d, RoundingMode mode) {
  if (d <= 0) return Error{ErrorCode::InvalidArgument, "", "division by a non-positive number"};
  const Wide n = static_cast<Wide>(a) * static_cast<Wide>(b);  // |a*b| < 2^126: exact
  Wide q = 0, r = 0;
  floorDivide(n, d, q, r);
  if (r != 0) {
    const Wide twice = r * 2;
    switch (mode) {
      case RoundingMode::Down: break;
      case RoundingMode::Up: q += 1; break;
      case RoundingMode::HalfUp:
        if (twice >= d) q += 1;
        break;
      case RoundingMode::HalfEven:
        if (twice > d || (twice == d && (q % 2 != 0))) q += 1;
        break;
    }
  }
  if (q > kInt64Max || q < kInt64Min) return overflowError();
  return static_cast<Minor>(q);
}

Result<Rate> readPercent(const nlohmann::json& value, const std::string& path, ErrorCode code,
                         std::int64_t maxPercent) {
  const std::string expectation = "expected a percentage from 0 to " + std::to_string(maxPercent) +
                                  " as an integer or a decimal string with at most 4 decimals (\"17.5\")";
  std::int64_t millionths = 0;
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() ? value.get<std::uint64_t>() > static_cast<std::uint64_t>(maxPercent)
                                   : (value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > maxPercent))
      return jf::invalid(code, path, expectation + ", " + jf::describeValue(value));
    millionths = value.get<std::int64_t>() * 10000;
  } else if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    std::size_t i = 0;
    std::int64_t whole = 0, fraction = 0;
    int decimals = 0, digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 4) {
      whole = whole * 10 + (text[i] - '0');
      ++i, ++digits;
    }
    bool okText = digits > 0;
    if (okText && i < text.size() && text[i] == '.') {
      ++i;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9' && decimals < 4) {
        fraction = fraction * 10 + (text[i] - '0');
        ++i, ++decimals;
      }
      okText = decimals > 0;
    }
    if (!okText || i != text.size() || whole > maxPercent)
      return jf::invalid(code, path, expectation + ", " + jf::describeValue(value));
    for (int k = decimals; k < 4; ++k) fraction *= 10;
    millionths = whole * 10000 + fraction;
    if (millionths > maxPercent * 10000) return jf::invalid(code, path, expectation + ", " + jf::describeValue(value));
  } else if (value.is_number_float()) {
    return jf::invalid(code, path, expectation + "; write fractional percentages as strings so they stay exact, " +
                                        jf::describeValue(value));
  } else {
    return jf::invalid(code, path, expectation + ", " + jf::describeValue(value));
  }
  return Rate{millionths};
}

std::string percentText(Rate rate) {
  std::string text = std::to_string(rate.millionths / 10000);
  std::int64_t fraction = rate.millionths % 10000;
  if (fraction) {
    std::string digits = std::to_string(fraction);
    digits.insert(0, 4 - digits.size(), '0');
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    text += "." + digits;
  }
  return text;
}

Result<Minor> applyRate(Minor amount, Rate rate, RoundingMode mode) {
  return mulDivRound(amount, rate.millionths, kRateOne, mode);
}

Result<Minor> includedPortion(Minor gross, Rate rate, RoundingMode mode) {
  return mulDivRound(gross, rate.millionths, kRateOne + rate.millionths, mode);
}

}  // namespace cartkeep
