// The one reader of times passed from JS (base/time_input.hpp): a bad time is an error naming its path, never
// a clamped value that looks valid.
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "base/time_input.hpp"

using namespace cartkeep;

TEST_CASE("a time from JS is whole ms from 0 to the largest JS Date, else an error naming its path", "[time]") {
  CHECK(readTimeMs(0, "now").value() == 0);
  CHECK(readTimeMs(1.7e12 + 0.9, "now").value() == 1700000000000);
  CHECK(readTimeMs(static_cast<double>(kMaxTimeMs), "now").value() == kMaxTimeMs);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(readTimeMs(nan, "now").error().describe() == "now: expected a time in ms since 1970 (Date.now()), got NaN");
  CHECK(readTimeMs(inf, "at").error().describe() == "at: expected a time in ms since 1970 (Date.now()), got Infinity");
  CHECK(readTimeMs(-1, "now").error().describe() == "now: expected a time in ms since 1970 (Date.now()), got -1.0");
  CHECK(readTimeMs(9.0e15, "now").error().code == ErrorCode::InvalidArgument);
}

TEST_CASE("a time in a JSON request follows the same rule", "[time]") {
  using nlohmann::json;
  CHECK(readOptionalTimeMember(json{{"at", 5}}, "at", "event", ErrorCode::InvalidArgument).value() == 5);
  CHECK_FALSE(readOptionalTimeMember(json::object(), "at", "event", ErrorCode::InvalidArgument).value());
  auto fraction = readOptionalTimeMember(json{{"at", 1.5}}, "at", "event", ErrorCode::InvalidArgument);
  REQUIRE_FALSE(fraction.ok());
  CHECK(fraction.error().path == "event.at");
  CHECK_FALSE(readOptionalTimeMember(json{{"at", -1}}, "at", "event", ErrorCode::InvalidArgument).ok());
}

TEST_CASE("a page-clock time is taken in time order, else an error naming its path", "[time][behaviour]") {
  CHECK(readPageTimeMs(0, 0, "move.t").value() == 0);
  CHECK(readPageTimeMs(12.5, 12.5, "move.t").value() == 12.5);  // the same time as the last is in order
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(readPageTimeMs(nan, 0, "move.t").error().describe() ==
        "move.t: expected the page's clock in ms (performance.now()), not before the previous observation's 0.0, got NaN");
  CHECK(readPageTimeMs(-std::numeric_limits<double>::infinity(), 0, "tick.t").error().path == "tick.t");
  CHECK(readPageTimeMs(-1, -5, "key.t").error().code == ErrorCode::InvalidArgument);  // never negative
  CHECK(readPageTimeMs(10, 20, "out.t").error().describe() ==
        "out.t: expected the page's clock in ms (performance.now()), not before the previous observation's 20.0, got 10.0");
}
