// Delivery estimates: processing days, cut-off, business days, holidays, transit ranges, countdown.
#include "quote_fixture.hpp"

#include "quote/delivery.hpp"

using namespace quote_fixture;
using namespace cartkeep;

namespace {
LocalDateTime at(const char* text) {
  auto parsed = parseLocalDateTime(text, "now", ErrorCode::InvalidArgument);
  REQUIRE(parsed.ok());
  return parsed.value();
}
DeliveryConfig calendar() {
  DeliveryConfig config;
  config.configured = true;
  config.processingDays = 1;
  config.cutoffMinute = 14 * 60;
  config.holidays = {dayFromCivil(2024, 12, 25), dayFromCivil(2024, 12, 26)};
  return config;
}
}  // namespace

TEST_CASE("calendar basics", "[delivery]") {
  CHECK(formatDate(dayFromCivil(2024, 12, 3)) == "2024-12-03");
  CHECK(isoWeekday(dayFromCivil(2024, 12, 3)) == 2);  // Tuesday
  CHECK(isoWeekday(dayFromCivil(1970, 1, 1)) == 4);
  CHECK(formatDate(dayFromCivil(2024, 2, 29) + 1) == "2024-03-01");
  CHECK_FALSE(parseLocalDateTime("2023-02-29", "p", ErrorCode::InvalidOptions).ok());
  CHECK_FALSE(parseLocalDateTime("2024-12-02T24:00", "p", ErrorCode::InvalidOptions).ok());
  CHECK(at("2024-12-02T13:35").minute == 13 * 60 + 35);
  CHECK(formatDateTime(at("2024-12-02T13:35")) == "2024-12-02T13:35");
}

TEST_CASE("before the cut-off the order counts today, after it tomorrow", "[delivery]") {
  const DeliveryConfig config = calendar();
  // Monday 2 Dec 2024, 11:45: processing 1 day -> dispatch Tue 3, transit 2-3 -> Thu 5 to Fri 6.
  auto before = estimateDelivery(config, at("2024-12-02T11:45"), Transit{2, 3});
  CHECK(formatDate(before.dispatchDay) == "2024-12-03");
  CHECK(formatDate(before.earliest) == "2024-12-05");
  CHECK(formatDate(before.latest) == "2024-12-06");
  REQUIRE(before.minutesToCutoff);
  CHECK(*before.minutesToCutoff == 135);
  auto after = estimateDelivery(config, at("2024-12-02T14:00"), Transit{2, 3});
  CHECK(formatDate(after.dispatchDay) == "2024-12-04");
  CHECK_FALSE(after.minutesToCutoff);
}

TEST_CASE("weekends and holidays are skipped", "[delivery]") {
  const DeliveryConfig config = calendar();
  // Friday 20 Dec after cut-off: order day Mon 23, dispatch Tue 24, transit 1-2 skips 25/26 -> Fri 27 to Mon 30.
  auto e = estimateDelivery(config, at("2024-12-20T16:00"), Transit{1, 2});
  CHECK(formatDate(e.orderDay) == "2024-12-23");
  CHECK(formatDate(e.dispatchDay) == "2024-12-24");
  CHECK(formatDate(e.earliest) == "2024-12-27");
  CHECK(formatDate(e.latest) == "2024-12-30");
  // Saturday: nothing counts until Monday.
  auto weekend = estimateDelivery(config, at("2024-12-07T09:00"), Transit{1, 1});
  CHECK(formatDate(weekend.orderDay) == "2024-12-09");
  CHECK_FALSE(weekend.minutesToCutoff);
}

TEST_CASE("quotes carry the selected method's estimate and the countdown message", "[delivery]") {
  auto store = engine();
  auto q = quote(store, {{"lines", lines({{"mug", 1}})}, {"now", "2024-12-02T11:45"}});
  REQUIRE(q["delivery"].is_object());
  CHECK(q["delivery"]["method"] == "standard");
  CHECK(q["delivery"]["earliest"] == "2024-12-05");
  CHECK(q["delivery"]["latest"] == "2024-12-06");
  CHECK(q["delivery"]["message"]["key"] == "quote.delivery.range");
  CHECK(q["delivery"]["message"]["values"]["dates"]["dateRange"] == json::array({"2024-12-05", "2024-12-06"}));
  CHECK(q["delivery"]["countdown"]["values"]["time"]["minutes"] == 135);
  auto express = quote(store, {{"lines", lines({{"mug", 1}})}, {"now", "2024-12-02T11:45"}, {"method", "express"}});
  CHECK(express["delivery"]["message"]["key"] == "quote.delivery.on");
  CHECK(express["delivery"]["earliest"] == "2024-12-04");
  CHECK(express["methods"][0]["delivery"]["earliest"] == "2024-12-05");
  auto noClock = quote(store, {{"lines", lines({{"mug", 1}})}});
  CHECK(noClock["delivery"].is_null());
}
