// Coupons: percentage, fixed, free shipping; minimum subtotal, dates, restrictions, stacking, reasons.
#include "quote_fixture.hpp"

using namespace quote_fixture;

namespace {
const json* couponResult(const json& q, const std::string& code) {
  for (const auto& c : q["coupons"])
    if (c["code"] == code) return &c;
  return nullptr;
}
}  // namespace

TEST_CASE("percentage coupon: per line rounding, component names the coupon", "[coupon]") {
  auto store = engine();
  auto q = quote(store, {{"lines", lines({{"lantern", 1}, {"mug", 1}})}, {"coupon", "welcome10"}, {"now", "2024-12-02T09:00"}});
  const json* applied = couponResult(q, "WELCOME10");
  REQUIRE(applied);
  CHECK((*applied)["status"] == "applied");
  // half-up: 199.9 -> 200, 85 -> 85
  CHECK((*applied)["amount"] == 285);
  CHECK(q["discount"] == 285);
  const json* discount = component(q, "discount");
  REQUIRE(discount);
  CHECK((*discount)["amount"] == -285);
  CHECK((*discount)["rule"] == "options.coupons[0]");
  CHECK((*discount)["label"]["values"]["code"] == "WELCOME10");
  CHECK(q["lines"][0]["discount"] == 200);
  CHECK(q["lines"][0]["net"] == 1799);
  CHECK(componentSum(q) == q["total"].get<std::int64_t>());
}

TEST_CASE("order-level percentage is rounded once and allocated by largest remainder", "[coupon][rounding]") {
  auto options = ukStore();
  options["rounding"] = {{"mode", "half-up"}, {"level", "order"}};
  auto q = quote(engine(options), {{"lines", lines({{"lantern", 1}, {"mug", 1}})}, {"coupon", "WELCOME10"}, {"now", "2024-12-02T09:00"}});
  CHECK(q["discount"] == 285);  // 284.9 -> 285
  CHECK(q["lines"][0]["discount"].get<std::int64_t>() + q["lines"][1]["discount"].get<std::int64_t>() == 285);
}

TEST_CASE("refusals carry the reason the shopper sees", "[coupon]") {
  auto store = engine();
  auto unknown = quote(store, {{"lines", lines({{"mug", 3}})}, {"coupon", "NOPE"}, {"now", "2024-12-02T09:00"}});
  CHECK(couponResult(unknown, "NOPE")->at("status") == "unknown");
  CHECK(couponResult(unknown, "NOPE")->at("message")["key"] == "coupon.unknown");
  CHECK(unknown["discount"] == 0);

  auto small = quote(store, {{"lines", lines({{"mug", 1}})}, {"coupon", "WELCOME10"}, {"now", "2024-12-02T09:00"}});
  const json* minimum = couponResult(small, "WELCOME10");
  CHECK((*minimum)["status"] == "min-subtotal");
  CHECK((*minimum)["message"]["values"]["amount"]["money"] == 2000 - 850);
  CHECK((*minimum)["message"]["values"]["minimum"]["money"] == 2000);

  auto expired = quote(store, {{"lines", lines({{"mug", 3}})}, {"coupon", "WELCOME10"}, {"now", "2031-01-01T00:00"}});
  CHECK(couponResult(expired, "WELCOME10")->at("status") == "expired");
  // The expiry date is inclusive to the end of its day.
  auto lastDay = quote(store, {{"lines", lines({{"mug", 3}})}, {"coupon", "WELCOME10"}, {"now", "2030-12-31T23:59"}});
  CHECK(couponResult(lastDay, "WELCOME10")->at("status") == "applied");

  auto early = quote(store, {{"lines", lines({{"mug", 3}})}, {"coupon", "SPRING"}, {"now", "2024-02-29T12:00"}});
  CHECK(couponResult(early, "SPRING")->at("status") == "not-started");
  CHECK(couponResult(early, "SPRING")->at("message")["values"]["date"]["date"] == "2024-03-01");

  auto wrongCategory = quote(store, {{"lines", lines({{"mug", 3}})}, {"coupon", "LIGHTS5"}, {"now", "2024-12-02T09:00"}});
  CHECK(couponResult(wrongCategory, "LIGHTS5")->at("status") == "not-eligible");

  CHECK(quoteError(store, {{"lines", lines({{"mug", 3}})}, {"coupon", "WELCOME10"}}).path == "request.now");
}

TEST_CASE("fixed coupons only touch the restricted lines and never exceed them", "[coupon]") {
  auto store = engine();
  auto q = quote(store, {{"lines", lines({{"lantern", 1}, {"mug", 2}})}, {"coupon", "LIGHTS5"}, {"now", "2024-12-02T09:00"}});
  CHECK(q["discount"] == 500);
  CHECK(q["lines"][0]["discount"] == 500);
  CHECK(q["lines"][1]["discount"] == 0);
  auto options = ukStore();
  options["coupons"][2]["amount"] = 5000;
  auto capped = quote(engine(options), {{"lines", lines({{"lantern", 1}, {"mug", 1}})}, {"coupon", "LIGHTS5"}, {"now", "2024-12-02T09:00"}});
  CHECK(capped["discount"] == 1999);
  CHECK(capped["lines"][0]["net"] == 0);
}

TEST_CASE("free shipping: waives the covered method, keeps the components summing", "[coupon][shipping]") {
  auto store = engine();
  auto q = quote(store, {{"lines", lines({{"mug", 1}})}, {"coupon", "FREESHIP"}});
  CHECK(couponResult(q, "FREESHIP")->at("status") == "applied");
  CHECK(couponResult(q, "FREESHIP")->at("amount") == 395);
  CHECK(q["shipping"] == 0);
  CHECK(component(q, "shipping")->at("detail")["free"] == "coupon");
  CHECK(component(q, "shipping")->at("detail")["freeRule"] == "options.coupons[1]");
  CHECK(q["freeShipping"]["reached"] == true);
  CHECK(q["freeShipping"]["byCoupon"] == true);
  auto express = quote(store, {{"lines", lines({{"mug", 1}})}, {"coupon", "FREESHIP"}, {"method", "express"}});
  CHECK(couponResult(express, "FREESHIP")->at("status") == "not-eligible");
  CHECK(couponResult(express, "FREESHIP")->at("message")["key"] == "coupon.notEligibleMethod");
  CHECK(express["shipping"] == 795);
}

TEST_CASE("stacking: exclusive coupons stand alone, combinable ones stack", "[coupon]") {
  auto store = engine();
  auto both = quote(store, {{"lines", lines({{"lantern", 2}})}, {"coupons", {"LIGHTS5", "FREESHIP"}}, {"now", "2024-12-02T09:00"}});
  CHECK(couponResult(both, "LIGHTS5")->at("status") == "applied");
  CHECK(couponResult(both, "FREESHIP")->at("status") == "applied");
  auto clash = quote(store, {{"lines", lines({{"lantern", 2}})}, {"coupons", {"LIGHTS5", "WELCOME10"}}, {"now", "2024-12-02T09:00"}});
  CHECK(couponResult(clash, "WELCOME10")->at("status") == "not-combinable");
  CHECK(couponResult(clash, "WELCOME10")->at("message")["values"]["other"] == "LIGHTS5");
  CHECK(clash["discount"] == 500);
  auto exclusiveFirst = quote(store, {{"lines", lines({{"lantern", 2}})}, {"coupons", {"WELCOME10", "FREESHIP"}}, {"now", "2024-12-02T09:00"}});
  CHECK(couponResult(exclusiveFirst, "FREESHIP")->at("status") == "not-combinable");
  // Repeating a code (any case) counts once.
  auto repeated = quote(store, {{"lines", lines({{"lantern", 2}})}, {"coupons", {"LIGHTS5", "lights5"}}, {"now", "2024-12-02T09:00"}});
  CHECK(repeated["coupons"].size() == 1);
}
