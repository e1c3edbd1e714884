// Hesitation signals and the risk score: bounds, weights, top reasons, and the signals from observations.
#include <catch2/catch.hpp>

#include "behaviour/behaviour.hpp"
#include "behaviour/risk.hpp"

using namespace cartkeep;
using nlohmann::json;

TEST_CASE("the score is a noisy-OR of weighted signals, 0 for an empty cart", "[risk]") {
  RiskOptions o;
  RiskInputs in;
  in.cartEmpty = false;
  CHECK(scoreRisk(o, in).score == 0);
  in.couponFocus = true;
  CHECK(scoreRisk(o, in).score == Approx(0.3));
  in.exitIntent = 1;
  RiskScore both = scoreRisk(o, in);
  CHECK(both.score == Approx(1 - 0.4 * 0.7));
  REQUIRE(both.reasonCount == 2);
  CHECK(both.reasons[0].signal == RiskSignal::ExitIntent);
  CHECK(both.reasons[1].signal == RiskSignal::CouponHunting);
  // Every signal at full strength and every weight 1: exactly 1, never above.
  RiskOptions all;
  all.weights.fill(1);
  RiskInputs full{false, false, 1, 1e9, 100, 100, true, true, 1e9};
  CHECK(scoreRisk(all, full).score == 1);
  CHECK(scoreRisk(all, full).reasonCount == kRiskSignalCount);
  // Nothing to abandon.
  full.cartEmpty = true;
  CHECK(scoreRisk(all, full).score == 0);
  full.cartEmpty = false;
  full.converted = true;
  CHECK(scoreRisk(all, full).score == 0);
  // A weight of 0 removes a signal.
  o.weights[static_cast<std::size_t>(RiskSignal::CouponHunting)] = 0;
  in.exitIntent = 0;
  CHECK(scoreRisk(o, in).score == 0);
  CHECK(scoreRisk(o, in).reasonCount == 0);
}

TEST_CASE("signals come from observations: cart views, removals, coupon, cost preview idle, time away, dwell", "[risk]") {
  auto options = parseBehaviourOptions(json{{"behaviour", {{"risk", {{"cartDwellMs", 60000}, {"costPreviewIdleMs", 10000}}}}}});
  REQUIRE(options.ok());
  Behaviour b(options.value());
  REQUIRE(b.session(0, json{{"visitor", "v"}, {"session", "s"}, {"epochMs", 0}}).ok());
  b.route(0, "/product/mug", "", "mug");
  b.cart(100, 1, 850, "add");
  CHECK(b.risk(100)["score"] == 0);
  b.route(1000, "/cart", "", "");
  b.route(2000, "/product/mug", "", "mug");
  b.route(3000, "/cart", "", "");
  json r = b.risk(3000);
  CHECK(r["reasons"][0]["signal"] == "repeatCartViews");
  CHECK(r["reasons"][0]["strength"] == 0.5);
  b.cart(4000, 2, 1700, "add");
  b.cart(5000, 1, 850, "remove");
  b.field(6000, "coupon", true);
  b.field(7000, "coupon", false);
  b.costPreview(8000);
  CHECK(b.nextDeadline(8000) <= 18000);  // the cost-preview idle check is due 10 s after the last activity
  b.tick(18000);
  json later = b.risk(18000);
  std::vector<std::string> signals;
  for (const auto& reason : later["reasons"]) signals.push_back(reason["signal"]);
  CHECK(std::find(signals.begin(), signals.end(), "costPreviewIdle") != signals.end());
  CHECK(std::find(signals.begin(), signals.end(), "itemRemovals") != signals.end());
  CHECK(std::find(signals.begin(), signals.end(), "couponHunting") != signals.end());
  CHECK(later["score"].get<double>() > 0.7);
  CHECK(later["score"].get<double>() < 1);
  // Progress (checkout) clears the cost-preview and cart-dwell signals.
  b.route(19000, "/checkout", "", "");
  json after = b.risk(19000);
  for (const auto& reason : after["reasons"]) CHECK(reason["signal"] != "costPreviewIdle");
  // Conversion: nothing at risk any more.
  b.route(20000, "/thank-you", "", "");
  CHECK(b.risk(20000)["score"] == 0);
}

TEST_CASE("long active dwell on the cart without progress grows the score, idle time does not", "[risk][dwell]") {
  auto options = parseBehaviourOptions(json{{"behaviour", {{"risk", {{"cartDwellMs", 60000}}}}}});
  Behaviour b(options.value());
  REQUIRE(b.session(0, json{{"epochMs", 0}}).ok());
  b.cart(0, 1, 850, "init");
  b.route(0, "/cart", "", "");
  for (double t = 0; t <= 30000; t += 100) {
    b.pointerMove(t, 500, 400);
    if (t >= b.nextDeadline(t)) b.tick(t);  // what the JS timer does
  }
  json half = b.risk(30000);
  CHECK(half["reasons"][0]["signal"] == "cartDwell");
  CHECK(half["reasons"][0]["strength"].get<double>() == Approx(0.5).margin(0.01));
  // Five idle minutes add nothing: it was not active dwell.
  b.pointerMove(330000, 500, 400);
  CHECK(b.risk(330000)["reasons"][0]["strength"].get<double>() == Approx(0.5).margin(0.01));
  // `risk` events are emitted as the score moves, with the top reasons.
  json outputs = b.drain();
  bool sawRisk = false;
  for (const auto& o : outputs) sawRisk = sawRisk || (o["type"] == "risk" && o["reasons"].size() >= 1);
  CHECK(sawRisk);
}

TEST_CASE("risk weights and bad risk options are validated with paths", "[risk][options]") {
  auto custom = parseBehaviourOptions(json{{"behaviour", {{"risk", {{"weights", {{"couponHunting", 0.9}}}}}}}});
  REQUIRE(custom.ok());
  CHECK(custom.value().risk.weights[static_cast<std::size_t>(RiskSignal::CouponHunting)] == 0.9);
  CHECK(custom.value().risk.weights[0] == 0.6);
  struct Case {
    json options;
    std::string described;
  };
  std::vector<Case> cases{
      {json{{"behaviour", {{"risk", {{"weights", {{"coupon", 0.5}}}}}}}},
       "options.behaviour.risk.weights.coupon: unknown signal, expected one of \"exitIntent\", \"cartDwell\", "
       "\"repeatCartViews\", \"itemRemovals\", \"couponHunting\", \"costPreviewIdle\", \"tabAway\""},
      {json{{"behaviour", {{"risk", {{"weights", {{"exitIntent", 1.5}}}}}}}},
       "options.behaviour.risk.weights.exitIntent: expected a number from 0 to 1, got 1.5"},
      {json{{"behaviour", {{"risk", {{"cartDwelMs", 1000}}}}}},
       "options.behaviour.risk.cartDwelMs: unknown option (did you mean \"cartDwellMs\"?)"},
      {json{{"behaviour", {{"idleAfterMs", "30s"}}}},
       "options.behaviour.idleAfterMs: expected a number from 1000 to 3600000, got \"30s\""},
      {json{{"behaviour", {{"exitIntent", {{"sensitivity", "max"}}}}}},
       "options.behaviour.exitIntent.sensitivity: expected \"low\", \"normal\" or \"high\", got \"max\""},
      {json{{"behaviour", {{"pages", {{"cart", json::array({"cart"})}}}}}},
       "options.behaviour.pages.cart[0]: expected a path starting with \"/\", got \"cart\""},
  };
  for (const auto& c : cases) {
    auto parsed = parseBehaviourOptions(c.options);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().describe() == c.described);
  }
}

TEST_CASE("page types from paths, merchant patterns and declarations", "[risk][pages]") {
  PageRules rules;
  CHECK(classifyPage(rules, "/", "") == PageType::Home);
  CHECK(classifyPage(rules, "/demo/cart.html", "") == PageType::Cart);
  CHECK(classifyPage(rules, "/basket/", "") == PageType::Cart);
  CHECK(classifyPage(rules, "/checkout/shipping", "") == PageType::Checkout);
  CHECK(classifyPage(rules, "/products/enamel-mug", "") == PageType::Product);
  CHECK(classifyPage(rules, "/demo/product.html", "") == PageType::Product);
  CHECK(classifyPage(rules, "/order-complete", "") == PageType::Confirmation);
  CHECK(classifyPage(rules, "/about", "") == PageType::Other);
  CHECK(classifyPage(rules, "/about", "cart") == PageType::Cart);
  rules.patterns.emplace_back(PageType::Checkout, "/pay");
  rules.patterns.emplace_back(PageType::Product, "/shop/item-*");
  CHECK(classifyPage(rules, "/pay?step=2", "") == PageType::Checkout);
  CHECK(classifyPage(rules, "/payments", "") == PageType::Other);
  CHECK(classifyPage(rules, "/shop/item-42", "") == PageType::Product);
}
