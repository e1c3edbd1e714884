// Money: currency exponents, the four rounding modes, exact percentages, overflow as an error.
#include <catch2/catch.hpp>

#include "base/currency.hpp"
#include "base/rounding.hpp"

using namespace cartkeep;

namespace {
Minor round(std::int64_t a, std::int64_t b, std::int64_t d, RoundingMode mode) {
  auto result = mulDivRound(a, b, d, mode);
  REQUIRE(result.ok());
  return result.value();
}
Rate percent(const nlohmann::json& value) {
  auto result = readPercent(value, "options.x", ErrorCode::InvalidOptions);
  REQUIRE(result.ok());
  return result.value();
}
}  // namespace

TEST_CASE("currency exponents cover 0, 2 and 3 decimals", "[money]") {
  CHECK(findCurrency("JPY")->exponent == 0);
  CHECK(findCurrency("GBP")->exponent == 2);
  CHECK(findCurrency("KWD")->exponent == 3);
  CHECK_FALSE(findCurrency("XXX"));
}

TEST_CASE("rounding modes on ties and non-ties", "[money][rounding]") {
  using M = RoundingMode;
  // 25/10 = 2.5 (tie), 35/10 = 3.5 (tie), 26/10 = 2.6, 24/10 = 2.4
  CHECK(round(25, 1, 10, M::HalfUp) == 3);
  CHECK(round(25, 1, 10, M::HalfEven) == 2);
  CHECK(round(35, 1, 10, M::HalfEven) == 4);
  CHECK(round(25, 1, 10, M::Up) == 3);
  CHECK(round(25, 1, 10, M::Down) == 2);
  CHECK(round(24, 1, 10, M::HalfUp) == 2);
  CHECK(round(26, 1, 10, M::HalfEven) == 3);
  CHECK(round(21, 1, 10, M::Up) == 3);
  CHECK(round(29, 1, 10, M::Down) == 2);
  CHECK(round(30, 1, 10, M::Up) == 3);  // exact quotients never move
  CHECK(round(0, 7, 3, M::Up) == 0);
  // Negative values follow the mathematical definitions (floor, ceiling, ties towards +infinity).
  CHECK(round(-25, 1, 10, M::HalfUp) == -2);
  CHECK(round(-25, 1, 10, M::HalfEven) == -2);
  CHECK(round(-21, 1, 10, M::Down) == -3);
  CHECK(round(-29, 1, 10, M::Up) == -2);
}

TEST_CASE("percentages are exact decimals", "[money][rounding]") {
  CHECK(percent(20).millionths == 200000);
  CHECK(percent("17.5").millionths == 175000);
  CHECK(percent("8.875").millionths == 88750);
  CHECK(percent("0.0001").millionths == 1);
  CHECK(percentText(percent("8.875")) == "8.875");
  CHECK(percentText(percent(20)) == "20");
  auto floating = readPercent(nlohmann::json(17.5), "options.tax.rate", ErrorCode::InvalidOptions);
  REQUIRE_FALSE(floating.ok());
  CHECK(floating.error().path == "options.tax.rate");
  CHECK(floating.error().message.find("strings") != std::string::npos);
  CHECK_FALSE(readPercent("12.34567", "p", ErrorCode::InvalidOptions).ok());
  CHECK_FALSE(readPercent(101, "p", ErrorCode::InvalidOptions).ok());
  CHECK_FALSE(readPercent(-1, "p", ErrorCode::InvalidOptions).ok());
  CHECK_FALSE(readPercent("1e2", "p", ErrorCode::InvalidOptions).ok());
  CHECK_FALSE(readPercent(".5", "p", ErrorCode::InvalidOptions).ok());
}

TEST_CASE("VAT: exclusive and inclusive portions", "[money][rounding]") {
  const Rate vat{200000};
  CHECK(applyRate(1999, vat, RoundingMode::HalfUp).value() == 400);     // 399.8
  CHECK(includedPortion(2490, vat, RoundingMode::HalfUp).value() == 415);  // 2490/6 = 415
  CHECK(includedPortion(1999, vat, RoundingMode::HalfEven).value() == 333);  // 333.17
  CHECK(includedPortion(1999, vat, RoundingMode::Up).value() == 334);
  // 12.5% of 4 = 0.5: a tie
  CHECK(applyRate(4, Rate{125000}, RoundingMode::HalfEven).value() == 0);
  CHECK(applyRate(4, Rate{125000}, RoundingMode::HalfUp).value() == 1);
}

TEST_CASE("line-level and order-level rounding give different totals", "[money][rounding]") {
  // Three lines of 0.05 at 10%: per line 3 x round(0.5) vs once round(1.5).
  const Rate ten{100000};
  Minor perLine = 0;
  for (int i = 0; i < 3; ++i) perLine += applyRate(5, ten, RoundingMode::HalfUp).value();
  const Minor perOrder = applyRate(15, ten, RoundingMode::HalfUp).value();
  CHECK(perLine == 3);
  CHECK(perOrder == 2);
}

TEST_CASE("overflow is an error, never a wrap", "[money][overflow]") {
  auto huge = mulDivRound(INT64_MAX, 3, 2, RoundingMode::HalfUp);
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.error().code == ErrorCode::Overflow);
  // 128-bit intermediates: a large product divided back down is exact.
  CHECK(mulDivRound(INT64_MAX, 1000000, 1000000, RoundingMode::Down).value() == INT64_MAX);
  CHECK_FALSE(checkedAdd(INT64_MAX, 1));
  CHECK_FALSE(checkedMul(INT64_MAX / 2, 3));
  CHECK(mulDivRound(1, 1, 0, RoundingMode::Down).error().code == ErrorCode::InvalidArgument);
}
