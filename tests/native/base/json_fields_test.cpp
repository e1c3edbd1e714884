#include <catch2/catch.hpp>

#include <limits>

#include "base/json_fields.hpp"

using namespace cartkeep;
namespace jf = cartkeep::json_fields;
using nlohmann::json;

TEST_CASE("paths name members and elements", "[json_fields]") {
  CHECK(jf::child("options", "cart") == "options.cart");
  CHECK(jf::child("", "catalog") == "catalog");
  CHECK(jf::element("catalog", 12) == "catalog[12]");
  CHECK(jf::child("options.strings", "cart.title") == "options.strings[\"cart.title\"]");
}

TEST_CASE("parse reports where the syntax broke, without throwing", "[json_fields]") {
  auto bad = jf::parse("{\"a\": [1, 2,, 3]}", "options");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::InvalidJson);
  CHECK(bad.error().path == "options");
  CHECK_THAT(bad.error().message, Catch::Contains("line 1, column 13"));
  auto good = jf::parse("{\"a\": 1}", "options");
  REQUIRE(good.ok());
  CHECK(good.value()["a"] == 1);
}

TEST_CASE("integers: fractions, strings, out of range and huge values are rejected", "[json_fields]") {
  const jf::IntegerRule rule{true, 0, 100};
  CHECK(jf::readInteger(json{{"n", 7}}, "n", "o", ErrorCode::InvalidOptions, rule).value() == 7);
  CHECK(jf::readInteger(json{{"n", 7.0}}, "n", "o", ErrorCode::InvalidOptions, rule).value() == 7);
  for (const json& bad : {json(1.5), json("7"), json(-1), json(101), json(true), json(18446744073709551615ULL)}) {
    auto result = jf::readInteger(json{{"n", bad}}, "n", "o", ErrorCode::InvalidOptions, rule);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().path == "o.n");
    CHECK_THAT(result.error().message, Catch::StartsWith("expected an integer from 0 to 100"));
  }
  auto missing = jf::readInteger(json::object(), "n", "o", ErrorCode::InvalidOptions, rule);
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error().message, Catch::StartsWith("required"));
}

TEST_CASE("unknown keys suggest the nearest known one", "[json_fields]") {
  auto result = jf::rejectUnknownKeys(json{{"curency", "GBP"}}, "options", ErrorCode::InvalidOptions,
                                      {"currency", "catalog"});
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().path == "options.curency");
  CHECK(result.error().message == "unknown option (did you mean \"currency\"?)");
  auto far = jf::rejectUnknownKeys(json{{"zzz", 1}}, "options", ErrorCode::InvalidOptions, {"currency"});
  REQUIRE_FALSE(far.ok());
  CHECK(far.error().message == "unknown option");
}

TEST_CASE("string arrays check every element", "[json_fields]") {
  auto result = jf::readStringArray(json{{"tags", {"a", 2}}}, "tags", "catalog[0]", ErrorCode::InvalidCatalog, 10, 10);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().describe() == "catalog[0].tags[1]: expected a string, got 2");
}

TEST_CASE("numbers: fallback when absent or null, range and type checked, bounds written plainly", "[json_fields]") {
  const json o = {{"half", 0.5}, {"ten", 10}, {"none", nullptr}, {"text", "0.5"}, {"big", 1e300}};
  CHECK(jf::readNumber(o, "missing", "options.x", ErrorCode::InvalidOptions, 0, 1, 0.25).value() == 0.25);
  CHECK(jf::readNumber(o, "none", "options.x", ErrorCode::InvalidOptions, 0, 1, 0.25).value() == 0.25);
  CHECK(jf::readNumber(o, "half", "options.x", ErrorCode::InvalidOptions, 0, 1, 0).value() == 0.5);
  CHECK(jf::readNumber(o, "ten", "options.x", ErrorCode::InvalidOptions, 0, 10, 0).value() == 10);

  auto over = jf::readNumber(o, "ten", "options.x", ErrorCode::InvalidOptions, 0, 1, 0);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().code == ErrorCode::InvalidOptions);
  CHECK(over.error().path == "options.x.ten");
  CHECK(over.error().message == "expected a number from 0 to 1, got 10");

  auto text = jf::readNumber(o, "text", "options.x", ErrorCode::InvalidArgument, 0.1, 100, 1);
  REQUIRE_FALSE(text.ok());
  CHECK(text.error().code == ErrorCode::InvalidArgument);
  CHECK(text.error().message == "expected a number from 0.1 to 100, got \"0.5\"");

  auto big = jf::readNumber(o, "big", "options.x", ErrorCode::InvalidOptions, 0, 1e16, 0);
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().message == "expected a number from 0 to 1e+16, got 1e+300");
  // Not finite (only a value built in C++ can be): refused even when the range is unbounded.
  const json infinite = {{"inf", std::numeric_limits<double>::infinity()}};
  CHECK_FALSE(jf::readNumber(infinite, "inf", "x", ErrorCode::InvalidOptions, 0, std::numeric_limits<double>::infinity(), 0).ok());
}
