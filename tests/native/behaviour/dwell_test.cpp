// Dwell accounting on scripted traces: active, idle (trimmed retroactively), hidden; blur, iframes,
// pagehide and the back/forward cache, SPA routes, product pages and cards on screen.
#include <catch2/catch.hpp>

#include "behaviour/behaviour.hpp"
#include "replay_trace.hpp"
#include "behaviour/dwell.hpp"

using namespace cartkeep;
using nlohmann::json;

namespace {

// Pointer moves every `step` ms from `from` to `to` (inclusive of both ends).
void moveFor(DwellTracker& d, double from, double to, double step = 16) {
  for (double t = from; t < to; t += step) d.activity(t);
  d.activity(to);
}

}  // namespace

TEST_CASE("active time is counted between activity within the idle window", "[dwell]") {
  DwellTracker d(30000);
  d.start(0, false);
  d.route(0, "/", PageType::Home, "");
  moveFor(d, 0, 10000);
  auto t = d.totals(10000);
  CHECK(t.activeMs == Approx(10000));
  CHECK(t.idleMs == 0);
  CHECK(t.hiddenMs == 0);
}

TEST_CASE("idle gaps are trimmed retroactively: none of the gap is active", "[dwell][idle]") {
  DwellTracker d(30000);
  d.start(0, false);
  moveFor(d, 0, 10000);
  // 29 s of reading is still active...
  moveFor(d, 39000, 40000);
  CHECK(d.totals(40000).activeMs == Approx(40000));
  // ...but 45 s without a sign of life is idle, all of it.
  moveFor(d, 85000, 90000);
  auto t = d.totals(90000);
  CHECK(t.activeMs == Approx(45000));
  CHECK(t.idleMs == Approx(45000));
  // The report at a later time classifies the pending stretch the same way, without changing the tracker.
  CHECK(d.totals(100000).activeMs == Approx(55000));
  CHECK(d.totals(100000).idleMs == Approx(45000));
  CHECK(d.totals(200000).activeMs == Approx(45000));
  CHECK(d.totals(200000).idleMs == Approx(155000));
}

TEST_CASE("hidden time: visibility, pagehide and the back/forward cache", "[dwell][hidden]") {
  DwellTracker d(30000);
  d.start(0, false);
  moveFor(d, 0, 5000);
  d.visibility(5000, true);
  d.visibility(25000, false);  // 20 s in another tab
  moveFor(d, 25000, 30000);
  d.pageHide(30000, true);     // into the bfcache
  d.visibility(30001, true);   // the browser may also report hidden: no double counting
  d.pageShow(90000, true);     // restored a minute later
  moveFor(d, 90000, 95000);
  auto t = d.totals(95000);
  CHECK(t.activeMs == Approx(15000));
  CHECK(t.hiddenMs == Approx(80000));
  CHECK(t.idleMs == 0);
  CHECK(d.pageCount() == 1);  // a restore is the same page
}

TEST_CASE("a page that loads hidden (prerender, background tab) counts hidden until shown", "[dwell][hidden]") {
  DwellTracker d(30000);
  d.start(0, true);
  d.activity(1000);  // nothing is active while hidden
  d.visibility(8000, false);
  moveFor(d, 8000, 10000);
  auto t = d.totals(10000);
  CHECK(t.hiddenMs == Approx(8000));
  CHECK(t.activeMs == Approx(2000));
}

TEST_CASE("window blur ends activity, focus in an iframe of the page keeps it active", "[dwell][blur]") {
  DwellTracker d(30000);
  d.start(0, false);
  moveFor(d, 0, 5000);
  d.blur(5000, false);  // another window
  d.focus(15000);
  moveFor(d, 15000, 20000);
  d.blur(20000, true);  // the payment iframe: no events reach the page for 60 s, but the shopper is typing
  d.focus(80000);
  moveFor(d, 80000, 85000);
  auto t = d.totals(85000);
  CHECK(t.idleMs == Approx(10000));
  CHECK(t.activeMs == Approx(75000));
  // Hiding the tab while the iframe has focus ends the iframe's active time.
  d.blur(85000, true);
  d.visibility(90000, true);
  d.visibility(100000, false);
  auto after = d.totals(100000);
  CHECK(after.activeMs == Approx(80000));
  CHECK(after.hiddenMs == Approx(10000));
}

TEST_CASE("SPA routes split the time per page and per product", "[dwell][routes]") {
  DwellTracker d(30000);
  d.start(0, false);
  d.route(0, "/product/mug", PageType::Product, "mug");
  moveFor(d, 0, 10000);
  // The route change happens between two moves: the boundary splits the active stretch exactly.
  d.route(10005, "/product/lamp", PageType::Product, "lamp");
  moveFor(d, 10010, 20000);
  d.route(20000, "/product/mug", PageType::Product, "mug");
  moveFor(d, 20000, 24000);
  // A route inside an idle gap: the idle time before it belongs to the mug page, after it to the cart.
  d.route(50000, "/cart", PageType::Cart, "");
  moveFor(d, 70000, 71000);
  json r = d.report(71000);
  REQUIRE(r["pages"].size() == 4);
  CHECK(r["pages"][0]["activeMs"].get<double>() == Approx(10005));
  CHECK(r["pages"][1]["activeMs"].get<double>() == Approx(9995));
  CHECK(r["pages"][2]["activeMs"].get<double>() == Approx(4000));
  CHECK(r["pages"][2]["idleMs"].get<double>() == Approx(26000));
  CHECK(r["pages"][3]["idleMs"].get<double>() == Approx(20000));
  CHECK(r["pages"][3]["activeMs"].get<double>() == Approx(1000));
  CHECK(r["pages"][3]["current"] == true);
  CHECK(r["products"]["mug"]["activeMs"].get<double>() == Approx(14005));
  CHECK(r["products"]["mug"]["visits"] == 2);
  CHECK(r["products"]["lamp"]["activeMs"].get<double>() == Approx(9995));
  CHECK(r["total"]["activeMs"].get<double>() == Approx(25000));
  CHECK(r["total"]["idleMs"].get<double>() == Approx(46000));
  // The same route again (a replaced state) is no new visit.
  CHECK_FALSE(d.route(71000, "/cart", PageType::Cart, ""));
}

TEST_CASE("cards accrue only the active time they were on screen", "[dwell][cards]") {
  DwellTracker d(30000);
  d.start(0, false);
  d.route(0, "/category/lights", PageType::Category, "");
  d.card(0, "lantern", true);
  moveFor(d, 0, 4000);
  d.card(4000, "candle", true);
  moveFor(d, 4000, 6000);
  d.card(6000, "lantern", false);
  moveFor(d, 6000, 8000);
  // The candle stays on screen through an idle minute: visible, not active.
  moveFor(d, 68000, 70000);
  d.card(70000, "candle", false);
  json cards = d.report(70000)["cards"];
  CHECK(cards["lantern"]["activeMs"].get<double>() == Approx(6000));
  CHECK(cards["lantern"]["views"] == 1);
  CHECK(cards["candle"]["activeMs"].get<double>() == Approx(6000));
  CHECK(cards["candle"]["visibleMs"].get<double>() == Approx(66000));
  CHECK(cards["candle"]["onScreen"] == false);
  // Back on screen: a second view, counted while current.
  d.card(70000, "lantern", true);
  moveFor(d, 70000, 71000);
  json again = d.report(71000)["cards"]["lantern"];
  CHECK(again["views"] == 2);
  CHECK(again["activeMs"].get<double>() == Approx(7000));
  CHECK(again["onScreen"] == true);
}

TEST_CASE("a card that appears during an idle stretch gets no active time from it", "[dwell][cards][idle]") {
  DwellTracker d(30000);
  d.start(0, false);
  moveFor(d, 0, 1000);
  d.card(20000, "mug", true);  // e.g. lazy content scrolled in by the page, shopper away
  moveFor(d, 50000, 52000);    // the gap 1000..50000 was idle, retroactively
  json card = d.report(52000)["cards"]["mug"];
  CHECK(card["activeMs"].get<double>() == Approx(2000));
  CHECK(card["visibleMs"].get<double>() == Approx(32000));
}

TEST_CASE("the same trace as JSON through Behaviour gives the same dwell", "[dwell][behaviour]") {
  auto options = parseBehaviourOptions(json{{"behaviour", {{"idleAfterMs", 30000}}}});
  REQUIRE(options.ok());
  Behaviour b(options.value());
  json trace = json::array({
      json::array({0, "session", {{"visitor", "v"}, {"session", "s"}, {"epochMs", 1.7e12}}}),
      json::array({0, "route", "/product/mug", "", "mug"}),
      json::array({100, "move", 10, 400}),
      json::array({5100, "move", 20, 400}),
      json::array({5100, "visibility", "hidden"}),
      json::array({15100, "visibility", "visible"}),
      json::array({16100, "key"}),
      json::array({60000, "scroll", 300}),
  });
  auto outputs = test::replayTrace(b, trace);
  REQUIRE(outputs.ok());
  json dwell = b.dwell(60000);
  CHECK(dwell["total"]["activeMs"].get<double>() == Approx(6100));
  CHECK(dwell["total"]["hiddenMs"].get<double>() == Approx(10000));
  CHECK(dwell["total"]["idleMs"].get<double>() == Approx(43900));
  CHECK(dwell["products"]["mug"]["activeMs"].get<double>() == Approx(6100));
  CHECK(dwell["pages"][0]["type"] == "product");
}

TEST_CASE("an observation that goes back in time is refused, the clock goes on from the last one taken", "[dwell][clock]") {
  Behaviour b(parseBehaviourOptions(json::object()).value());
  REQUIRE(b.session(1000, {{"epochMs", 0}}).ok());
  b.pointerMove(2000, 1, 200);
  CHECK(b.pointerMove(1500, 1, 210) == 1);  // its refusal waits for the drain
  auto refused = b.takeClockError();
  REQUIRE(refused);
  CHECK(refused->path == "move.t");
  CHECK(b.lastTime() == 2000);
  b.pointerMove(3000, 1, 220);
  CHECK(b.dwell(3000)["total"]["activeMs"].get<double>() == Approx(2000));
  CHECK(b.lastTime() == 3000);
}
