// Every KPI on scripted sessions with answers worked out by hand (see the comments), the uplift through the
// whole aggregator on Newcombe's example, duplicates counted once, and malformed records named by path.
#include <catch2/catch.hpp>

#include "events/kpi.hpp"

using namespace cartkeep;
using Catch::Detail::Approx;
using nlohmann::json;

namespace {

int seq = 0;
json ev(const std::string& name, std::int64_t time, const std::string& session, const std::string& cart, json data = json::object()) {
  json r{{"id", "r" + std::to_string(++seq)}, {"name", name}, {"time", time}, {"session", session}, {"data", std::move(data)}};
  if (!cart.empty()) r["cart"] = cart;
  return r;
}

json src(const char* source, const char* medium) { return json{{"source", source}, {"medium", medium}, {"campaign", ""}}; }

// Six sessions, five carts:
//   s1 google/organic:     cA created, add (120 ms), checkout after 60 s, contact, payment, purchase 2500 (4 pages, 2 steps)
//   s2 newsletter/email:   cB created, add (80 ms), abandoned (3 items, 1770), back: checkout after 4,500 s, contact,
//                          payment, purchase 2165 (6 pages, 2 steps): recovered
//   s3 direct:             cC created, add (200 ms), checkout after 30 s, contact, abandoned (1 item, 850)
//   s4 direct:             cD created, add (100 ms), abandoned twice (latest: 2 items, 678)
//   s5 direct:             cE created, add without a click, then emptied
//   s6 direct:             a bounce
json scripted() {
  json r = json::array();
  r.push_back(ev("page-view", 1000, "s1", "", {{"path", "/"}, {"type", "home"}, {"landing", true}, {"source", src("google", "organic")}}));
  r.push_back(ev("view-item", 1100, "s1", "", {{"currency", "GBP"}}));
  r.push_back(ev("cart-created", 1200, "s1", "cA", {{"source", src("google", "organic")}}));
  r.push_back(ev("add-to-cart", 1200, "s1", "cA", {{"currency", "GBP"}, {"value", 2500}, {"responseMs", 120}}));
  r.push_back(ev("checkout-started", 61200, "s1", "cA", {{"sinceCartMs", 60000}}));
  r.push_back(ev("page-timing", 61300, "s1", "", {{"type", "checkout"}, {"loadMs", 900}}));
  r.push_back(ev("checkout-step", 62000, "s1", "cA", {{"step", "contact"}}));
  r.push_back(ev("checkout-step", 63000, "s1", "cA", {{"step", "payment"}}));
  r.push_back(ev("purchase", 100000, "s1", "cA", {{"orderId", "A-1"}, {"currency", "GBP"}, {"value", 2500}, {"pages", 4}, {"steps", 2}}));

  r.push_back(ev("page-view", 2000, "s2", "", {{"path", "/p"}, {"type", "product"}, {"landing", true}, {"source", src("newsletter", "email")}}));
  r.push_back(ev("view-item", 2000, "s2", "", {{"currency", "GBP"}}));
  r.push_back(ev("cart-created", 2100, "s2", "cB", {{"source", src("newsletter", "email")}}));
  r.push_back(ev("add-to-cart", 2100, "s2", "cB", {{"currency", "GBP"}, {"value", 590}, {"responseMs", 80}}));
  r.push_back(ev("cart-abandoned", 3000000, "s2", "cB", {{"currency", "GBP"}, {"count", 3}, {"subtotal", 1770}}));
  r.push_back(ev("checkout-started", 4502100, "s2", "cB", {{"sinceCartMs", 4500000}}));
  r.push_back(ev("page-timing", 4502200, "s2", "", {{"type", "checkout"}, {"loadMs", 1500}}));
  r.push_back(ev("checkout-step", 4503000, "s2", "cB", {{"step", "contact"}}));
  r.push_back(ev("checkout-step", 4504000, "s2", "cB", {{"step", "payment"}}));
  r.push_back(ev("purchase", 5000000, "s2", "cB", {{"orderId", "B-1"}, {"currency", "GBP"}, {"value", 2165}, {"pages", 6}, {"steps", 2}}));

  r.push_back(ev("page-view", 3000, "s3", "", {{"path", "/p"}, {"type", "product"}, {"landing", true}, {"source", src("direct", "none")}}));
  r.push_back(ev("view-item", 3000, "s3", "", {{"currency", "GBP"}}));
  r.push_back(ev("cart-created", 3100, "s3", "cC", {{"source", src("direct", "none")}}));
  r.push_back(ev("add-to-cart", 3100, "s3", "cC", {{"currency", "GBP"}, {"value", 850}, {"responseMs", 200}}));
  r.push_back(ev("checkout-started", 33100, "s3", "cC", {{"sinceCartMs", 30000}}));
  r.push_back(ev("page-timing", 33200, "s3", "", {{"type", "checkout"}, {"loadMs", 1200}}));
  r.push_back(ev("page-timing", 33300, "s3", "", {{"type", "cart"}, {"loadMs", 300}}));  // not a checkout page
  r.push_back(ev("checkout-step", 34000, "s3", "cC", {{"step", "contact"}}));
  r.push_back(ev("cart-abandoned", 2000000, "s3", "cC", {{"currency", "GBP"}, {"count", 1}, {"subtotal", 850}}));

  r.push_back(ev("page-view", 4000, "s4", "", {{"path", "/"}, {"type", "home"}, {"landing", true}}));  // no source: direct
  r.push_back(ev("view-item", 4000, "s4", "", {{"currency", "GBP"}}));
  r.push_back(ev("cart-created", 4100, "s4", "cD", json::object()));  // no source: the session's
  r.push_back(ev("add-to-cart", 4100, "s4", "cD", {{"currency", "GBP"}, {"value", 339}, {"responseMs", 100}}));
  r.push_back(ev("cart-abandoned", 2000000, "s4", "cD", {{"currency", "GBP"}, {"count", 1}, {"subtotal", 339}}));
  r.push_back(ev("cart-abandoned", 9000000, "s4", "cD", {{"currency", "GBP"}, {"count", 2}, {"subtotal", 678}}));

  r.push_back(ev("page-view", 5000, "s5", "", {{"path", "/"}, {"type", "home"}, {"landing", true}, {"source", src("direct", "none")}}));
  r.push_back(ev("view-item", 5050, "s5", "", {{"currency", "GBP"}}));
  r.push_back(ev("cart-created", 5100, "s5", "cE", {{"source", src("direct", "none")}}));
  r.push_back(ev("add-to-cart", 5100, "s5", "cE", {{"currency", "GBP"}, {"value", 42}}));
  r.push_back(ev("remove-from-cart", 5200, "s5", "cE", {{"currency", "GBP"}, {"value", 42}}));

  r.push_back(ev("page-view", 6000, "s6", "", {{"path", "/"}, {"type", "home"}, {"landing", true}, {"source", src("direct", "none")}}));
  return r;
}

json compute(const json& records, std::vector<std::string> steps = {"contact", "payment"}) {
  MetricsOptions o;
  o.currency = "GBP";
  o.checkoutSteps = std::move(steps);
  auto m = computeMetrics(records, o);
  REQUIRE(m.ok());
  return m.value();
}

}  // namespace

TEST_CASE("KPIs: carts, abandonment rate, abandoned and recovered carts, orders", "[kpi]") {
  const json m = compute(scripted());
  CHECK(m["sessions"] == 6);
  CHECK(m["carts"]["created"] == 5);
  CHECK(m["carts"]["completed"] == 2);
  // Ended carts: cA and cB bought, cC and cD abandoned; cE (emptied, never abandoned) is still open: 2 of 4.
  CHECK(m["carts"]["abandonmentRate"].get<double>() == Approx(0.5));
  CHECK(m["abandoned"] == json{{"carts", 3}, {"items", 6}, {"value", 3298}});  // 3+1+2 items; 1770+850+678
  CHECK(m["recovered"]["carts"] == 1);
  CHECK(m["recovered"]["revenue"] == 2165);
  CHECK(m["recovered"]["rate"].get<double>() == Approx(1.0 / 3));
  CHECK(m["orders"] == json{{"count", 2}, {"revenue", 4665}, {"averageValue", 2333}});  // 2332.5 rounds half up
  CHECK(m["period"] == json{{"from", 1000}, {"to", 9000000}});
  CHECK(m["records"] == json{{"counted", scripted().size()}, {"duplicates", 0}, {"skipped", 0}});
}

TEST_CASE("KPIs: time to checkout, path length, add-to-cart response, checkout load", "[kpi]") {
  const json m = compute(scripted());
  // 30,000 / 60,000 / 4,500,000: median the middle, p90 the 3rd of 3 (ceil 2.7), mean 1,530,000
  CHECK(m["timeToCheckout"] == json{{"count", 3}, {"medianMs", 60000}, {"p90Ms", 4500000}, {"meanMs", 1530000}});
  // purchases: pages 4 and 6, steps 2 and 2
  CHECK(m["pathLength"] == json{{"count", 2}, {"pages", {{"median", 5.0}, {"mean", 5.0}}}, {"steps", {{"median", 2.0}, {"mean", 2.0}}}});
  // 80, 100, 120, 200: median (100 + 120) / 2, p90 the 4th of 4 (ceil 3.6)
  CHECK(m["addToCartResponse"] == json{{"count", 4}, {"medianMs", 110}, {"p90Ms", 200}});
  // checkout pages only: 900, 1200, 1500
  CHECK(m["checkoutLoad"] == json{{"count", 3}, {"medianMs", 1200}, {"p90Ms", 1500}});
}

TEST_CASE("KPIs: traffic sources of the sessions that created carts", "[kpi]") {
  const json m = compute(scripted());
  const json expected = json::array({
      {{"source", "direct"}, {"medium", "none"}, {"sessions", 4}, {"carts", 3}, {"completed", 0}, {"abandonmentRate", 1.0}},
      {{"source", "google"}, {"medium", "organic"}, {"sessions", 1}, {"carts", 1}, {"completed", 1}, {"abandonmentRate", 0.0}},
      {{"source", "newsletter"}, {"medium", "email"}, {"sessions", 1}, {"carts", 1}, {"completed", 1}, {"abandonmentRate", 0.0}},
  });
  CHECK(m["traffic"] == expected);
}

TEST_CASE("KPIs: a checkout step taken by default counts as reached", "[kpi][funnel]") {
  // The delivery step's option is preselected: the shopper goes from contact straight to payment and buys.
  json r = json::array();
  r.push_back(ev("page-view", 1000, "d1", "", {{"path", "/"}, {"type", "home"}, {"landing", true}, {"source", src("direct", "none")}}));
  r.push_back(ev("cart-created", 1200, "d1", "cX", {{"source", src("direct", "none")}}));
  r.push_back(ev("checkout-started", 2000, "d1", "cX", {{"sinceCartMs", 800}}));
  r.push_back(ev("checkout-step", 3000, "d1", "cX", {{"step", "contact"}}));
  r.push_back(ev("checkout-step", 4000, "d1", "cX", {{"step", "payment"}}));
  r.push_back(ev("purchase", 5000, "d1", "cX", {{"orderId", "X-1"}, {"currency", "GBP"}, {"value", 1000}, {"pages", 2}, {"steps", 2}}));
  const json m = compute(r, {"contact", "delivery", "payment"});
  const json& f = m["funnel"];
  REQUIRE(f.size() == 8);
  CHECK(f[5]["id"] == "step:delivery");
  CHECK(f[5]["count"] == 1);
  CHECK(f[5]["dropOff"].get<double>() == Approx(0.0));
  CHECK(f[6]["id"] == "step:payment");
  CHECK(f[6]["count"] == 1);
}

TEST_CASE("KPIs: the drop-off funnel in the merchant's step order", "[kpi][funnel]") {
  const json m = compute(scripted());
  const json& f = m["funnel"];
  REQUIRE(f.size() == 7);
  auto stage = [&](std::size_t i) { return std::make_tuple(f[i]["id"].get<std::string>(), f[i]["count"].get<int>()); };
  CHECK(stage(0) == std::make_tuple(std::string("sessions"), 6));
  CHECK(stage(1) == std::make_tuple(std::string("product"), 5));
  CHECK(stage(2) == std::make_tuple(std::string("cart"), 5));
  CHECK(stage(3) == std::make_tuple(std::string("checkout"), 3));
  CHECK(stage(4) == std::make_tuple(std::string("step:contact"), 3));
  CHECK(stage(5) == std::make_tuple(std::string("step:payment"), 2));
  CHECK(stage(6) == std::make_tuple(std::string("purchase"), 2));
  CHECK(f[0]["dropOff"].is_null());
  CHECK(f[1]["dropOff"].get<double>() == Approx(1.0 / 6));
  CHECK(f[2]["dropOff"].get<double>() == Approx(0.0));
  CHECK(f[3]["dropOff"].get<double>() == Approx(0.4));
  CHECK(f[5]["dropOff"].get<double>() == Approx(1.0 / 3));
  CHECK(f[4]["label"] == "Step: contact");
  CHECK(f[6]["label"] == "Purchased");
  // Steps the merchant did not list follow in first-seen order.
  const json unordered = compute(scripted(), {"payment"});
  CHECK(unordered["funnel"][4]["id"] == "step:payment");
  CHECK(unordered["funnel"][5]["id"] == "step:contact");
  // Labels come from the strings (Arabic here).
  Strings ar{{"metrics.stage.step", "الخطوة: {step}"}, {"metrics.stage.sessions", "الجلسات"}};
  MetricsOptions o;
  o.currency = "GBP";
  o.strings = &ar;
  auto arabic = computeMetrics(scripted(), o);
  REQUIRE(arabic.ok());
  CHECK(arabic.value()["funnel"][0]["label"] == "الجلسات");
  CHECK(arabic.value()["funnel"][4]["label"] == "الخطوة: contact");
}

TEST_CASE("KPIs: nudge uplift against the holdout with Newcombe's interval (Newcombe 1998 example a)", "[kpi][uplift]") {
  // 70 carts shown a nudge, 56 bought; 80 carts held out, 48 bought: +20 points, 95% CI 5.24 to 33.39.
  json r = json::array();
  for (int i = 0; i < 150; ++i) {
    const bool treated = i < 70;
    const bool bought = treated ? i < 56 : i < 70 + 48;
    const std::string cart = "c" + std::to_string(i), session = "s" + std::to_string(i);
    r.push_back(ev("cart-created", 10 * i, session, cart));
    r.push_back(ev("nudge-shown", 10 * i + 1, session, cart, {{"heldOut", !treated}, {"rule", "save"}}));
    if (i % 10 == 0) r.push_back(ev("nudge-shown", 10 * i + 2, session, cart, {{"heldOut", treated}}));  // the first decision counts
    if (bought) r.push_back(ev("purchase", 10 * i + 5, session, cart, {{"currency", "GBP"}, {"value", 1000}, {"orderId", "o" + std::to_string(i)}}));
    if (treated && i < 35) r.push_back(ev("nudge-accepted", 10 * i + 3, session, cart));
    if (treated && i >= 60) r.push_back(ev("nudge-dismissed", 10 * i + 3, session, cart));
  }
  const json m = compute(r);
  const json& u = m["uplift"];
  CHECK(u["method"] == "newcombe-hybrid-score");
  CHECK(u["level"] == 0.95);
  CHECK(u["treatment"]["carts"] == 70);
  CHECK(u["treatment"]["converted"] == 56);
  CHECK(u["holdout"]["carts"] == 80);
  CHECK(u["holdout"]["converted"] == 48);
  CHECK(u["difference"].get<double>() == Approx(56.0 / 70 - 48.0 / 80));
  CHECK(u["interval"][0].get<double>() == Approx(0.0524).margin(0.00005));
  CHECK(u["interval"][1].get<double>() == Approx(0.3339).margin(0.00005));
  CHECK(u["treatment"]["interval"][0].get<double>() == Approx(0.6918).margin(0.00005));  // Wilson 56/70: 0.6918 to 0.8770
  CHECK(u["treatment"]["interval"][1].get<double>() == Approx(0.8770).margin(0.00005));
  CHECK(u["significant"] == true);
  CHECK(u["sufficient"] == true);
  CHECK(m["nudges"]["shown"] == 70 + 8);      // plus the 8 later decisions of held-out carts (i % 10 == 0)
  CHECK(m["nudges"]["heldOut"] == 80 + 7);
  CHECK(m["nudges"]["accepted"] == 35);
  CHECK(m["nudges"]["dismissed"] == 10);
  // A smaller minimum arm, a 99% level: wider, and with 9 vs 10 carts not sufficient.
  MetricsOptions o;
  o.currency = "GBP";
  o.level = 0.99;
  auto wide = computeMetrics(r, o);
  REQUIRE(wide.ok());
  CHECK(wide.value()["uplift"]["interval"][0].get<double>() < 0.0524);
  // One arm empty: no difference, no interval.
  const json one = compute(json::array({ev("cart-created", 1, "s", "c"), ev("nudge-shown", 2, "s", "c", {{"heldOut", false}})}));
  CHECK(one["uplift"]["difference"].is_null());
  CHECK(one["uplift"]["interval"].is_null());
  CHECK(one["uplift"]["holdout"]["rate"].is_null());
  CHECK(one["uplift"]["significant"] == false);
  CHECK(one["uplift"]["sufficient"] == false);
}

TEST_CASE("KPIs: each id counts once, batches and other currencies", "[kpi]") {
  const json records = scripted();
  const json batches = json::array({json{{"v", 1}, {"batch", "b1"}, {"events", records}}, json{{"v", 1}, {"batch", "b2"}, {"events", records}}});
  const json m = compute(batches);
  CHECK(m["records"]["duplicates"] == records.size());
  CHECK(m["carts"] == compute(records)["carts"]);
  CHECK(m["orders"] == compute(records)["orders"]);
  json mixed = records;
  mixed.push_back(ev("purchase", 10, "s9", "cZ", {{"orderId", "Z"}, {"currency", "EUR"}, {"value", 99999}}));
  mixed.push_back(ev("purchase", 11, "s1", "cA", {{"orderId", "A-1"}, {"currency", "GBP"}, {"value", 2500}}));  // same order again
  const json m2 = compute(mixed);
  CHECK(m2["records"]["skipped"] == 1);
  CHECK(m2["orders"]["count"] == 2);
  CHECK(m2["orders"]["revenue"] == 4665);
  const json none = compute(json::array());
  CHECK(none["carts"]["abandonmentRate"].is_null());
  CHECK(none["timeToCheckout"]["medianMs"].is_null());
  CHECK(none["orders"]["averageValue"].is_null());
  CHECK(none["period"]["from"].is_null());
}

TEST_CASE("KPIs: malformed records are errors naming the path", "[kpi][errors]") {
  MetricsOptions o;
  o.currency = "GBP";
  auto missing = computeMetrics(json::array({ev("page-view", 1, "s", ""), json{{"id", "x"}, {"name", "page-view"}}}), o);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().describe() == "events[1].time: expected the time in ms since 1970, got nothing");
  auto value = computeMetrics(json::array({ev("purchase", 1, "s", "c", {{"value", 1.5}})}), o);
  REQUIRE_FALSE(value.ok());
  CHECK(value.error().path.find("].data.value") != std::string::npos);
  CHECK(value.error().message == "expected an integer, got 1.5");
  auto noValue = computeMetrics(json::array({ev("purchase", 1, "s", "c")}), o);
  REQUIRE_FALSE(noValue.ok());
  CHECK(noValue.error().message == "required for a purchase event");
  auto batch = computeMetrics(json{{"events", json::array({json{{"id", ""}, {"name", "x"}, {"time", 1}}})}}, o);
  REQUIRE_FALSE(batch.ok());
  CHECK(batch.error().path == "events.events[0].id");
  auto notRecord = computeMetrics(json::array({42}), o);
  REQUIRE_FALSE(notRecord.ok());
  CHECK(notRecord.error().describe() == "events[0]: expected an event record object, got 42");
  json huge = json::array({ev("purchase", 1, "s", "c", {{"value", 9007199254740991LL}, {"orderId", "1"}}),
                           ev("purchase", 2, "s", "d", {{"value", 1}, {"orderId", "2"}})});
  auto overflow = computeMetrics(huge, o);
  REQUIRE_FALSE(overflow.ok());
  CHECK(overflow.error().code == ErrorCode::Overflow);
}

TEST_CASE("KPIs: a cart still open never makes an abandonment rate", "[kpi][no-data]") {
  // One visit, one cart, no order and no abandonment yet: nothing has ended, so there is no rate to give.
  json open = json::array({ev("page-view", 1000, "o1", "", {{"path", "/"}, {"type", "home"}, {"landing", true}}),
                           ev("cart-created", 1100, "o1", "cO")});
  const json m = compute(open);
  CHECK(m["carts"]["created"] == 1);
  CHECK(m["abandoned"]["carts"] == 0);
  CHECK(m["carts"]["abandonmentRate"].is_null());
  CHECK(m["traffic"][0]["abandonmentRate"].is_null());
  // Once abandoned, it ended unbought: 100 %, now backed by one abandoned cart.
  open.push_back(ev("cart-abandoned", 2000000, "o1", "cO", {{"count", 1}, {"subtotal", 295}}));
  CHECK(compute(open)["carts"]["abandonmentRate"] == 1.0);
  // Bought after being abandoned: recovered, and an ended cart that was completed.
  open.push_back(ev("purchase", 3000000, "o1", "cO", {{"orderId", "O-1"}, {"value", 295}}));
  const json recovered = compute(open);
  CHECK(recovered["carts"]["abandonmentRate"] == 0.0);
  CHECK(recovered["recovered"]["carts"] == 1);
}

TEST_CASE("KPIs: no rate from nothing, and no drop-off from an empty stage", "[kpi][no-data]") {
  // A session with a cart but no product view (restored from an earlier visit), no nudge, no abandonment.
  const json m = compute(json::array({ev("page-view", 1000, "n1", "", {{"landing", true}}), ev("cart-created", 1100, "n1", "cN")}));
  CHECK(m["recovered"]["rate"].is_null());         // no abandoned carts
  CHECK(m["nudges"]["acceptanceRate"].is_null());  // no nudge shown
  CHECK(m["orders"]["averageValue"].is_null());
  const json& f = m["funnel"];
  CHECK(f[1]["id"] == "product");
  CHECK(f[1]["count"] == 0);
  CHECK(f[2]["id"] == "cart");
  CHECK(f[2]["count"] == 1);
  CHECK(f[2]["dropOff"].is_null());  // from a stage of 0 there is nothing to drop off from
}
