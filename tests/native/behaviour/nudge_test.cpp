// The nudge playbook and its caps: first matching rule, per session, per N days, global, never after a
// conversion, a gap between nudges, coupons above a cart value on a share of visits, the holdout.
#include <catch2/catch.hpp>

#include "behaviour/behaviour.hpp"
#include "behaviour/nudge.hpp"

using namespace cartkeep;
using nlohmann::json;

namespace {

constexpr double kNudgeDay = 86400000.0;

json playbookOptions(json extra = json::object()) {
  json nudges{{"maxPerSession", 2},
              {"maxPerDays", {{"count", 3}, {"days", 7}}},
              {"minGapMs", 0},
              {"playbook", json::array({
                   {{"id", "coupon"}, {"offer", {{"type", "coupon"}, {"code", "STAY10"}, {"percentOff", 10}}},
                    {"minCartValue", 5000}, {"minRisk", 0.5}, {"visitShare", 1}},
                   {{"id", "help"}, {"offer", {{"type", "help"}, {"whatsapp", "+447700900123"}, {"email", "help@example.com"}}},
                    {"reasons", json::array({"couponHunting"})}},
                   {{"id", "reassure"}, {"offer", {{"type", "reassurance"}, {"returnsDays", 30}}}, {"maxPerSession", 2}},
               })}};
  nudges.update(extra);
  return json{{"nudges", nudges}};
}

struct Session {
  Behaviour b;
  explicit Session(const json& options, const json& stored = nullptr, std::string session = "s1", double epoch = 1.7e12,
                   std::string visitor = "v1", bool anonymous = false)
      : b(parseBehaviourOptions(options).value()) {
    REQUIRE(b.session(0, json{{"visitor", visitor}, {"session", session}, {"epochMs", epoch}, {"stored", stored},
                              {"anonymous", anonymous}}).ok());
    b.viewport(0, 1280, 800, false);
    b.route(0, "/cart", "", "");
  }
  // A top exit at time t (armed, deep); returns the nudge output or null.
  json exitAt(double t) {
    b.pointerMove(t - 200, 600, 400);
    b.pointerMove(t - 100, 600, 200);
    b.pointerOut(t, 600, -3);
    json result = nullptr;
    for (auto& o : b.drain())
      if (o["type"] == "nudge" || o["type"] == "nudge-skipped") result = o;
    return result;
  }
};

}  // namespace

TEST_CASE("the first rule whose conditions hold wins", "[nudge]") {
  Session small(playbookOptions());
  small.b.cart(10, 1, 1200, "init");
  json n = small.exitAt(2000);
  CHECK(n["type"] == "nudge");
  CHECK(n["rule"] == "reassure");  // below the coupon's cart value
  CHECK(n["offer"]["returnsDays"] == 30);

  Session big(playbookOptions());
  big.b.cart(10, 3, 9000, "init");
  json c = big.exitAt(2000);
  CHECK(c["rule"] == "coupon");
  CHECK(c["offer"]["code"] == "STAY10");
  CHECK(c["offer"]["expiresAt"] == 1.7e12 + 2000 + 15 * 60000);

  Session hunting(playbookOptions());
  hunting.b.cart(10, 1, 1200, "init");
  hunting.b.field(500, "coupon", true);
  hunting.b.field(900, "coupon", false);
  CHECK(hunting.exitAt(2000)["rule"] == "help");
}

TEST_CASE("caps: per session, per rule, the gap, and an empty cart", "[nudge][caps]") {
  Session s(playbookOptions({{"minGapMs", 30000}}));
  s.b.cart(10, 1, 1200, "init");
  CHECK(s.exitAt(2000)["rule"] == "reassure");
  CHECK(s.exitAt(10000)["reason"] == "too-soon");
  CHECK(s.exitAt(40000)["rule"] == "reassure");
  CHECK(s.exitAt(80000)["reason"] == "session-cap");
  Session empty(playbookOptions());
  CHECK(empty.exitAt(2000)["reason"] == "empty-cart");
}

TEST_CASE("caps persist across sessions through the JS-stored state: N per window of days", "[nudge][caps]") {
  json stored = nullptr;
  double epoch = 1.7e12;
  std::vector<std::string> seen;
  for (int visit = 0; visit < 5; ++visit) {
    Session s(playbookOptions(), stored, "session-" + std::to_string(visit), epoch + visit * 3600000.0);
    s.b.cart(10, 1, 1200, "init");
    json n = s.exitAt(2000);
    seen.push_back(n["type"] == "nudge" ? std::string("shown") : n["reason"].get<std::string>());
    stored = s.b.capState();
  }
  CHECK(seen == std::vector<std::string>{"shown", "shown", "shown", "window-cap", "window-cap"});
  CHECK(stored["visits"] == 5);
  // Eight days later the window has rolled past.
  Session later(playbookOptions(), stored, "session-later", epoch + 8 * kNudgeDay);
  later.b.cart(10, 1, 1200, "init");
  CHECK(later.exitAt(2000)["type"] == "nudge");
  // A state from another visitor id, or garbage from storage, starts fresh without failing.
  Session other(playbookOptions(), json{{"visitor", "someone-else"}, {"shown", "x"}}, "s", epoch);
  CHECK(other.b.capState()["visits"] == 1);
  Session garbage(playbookOptions(), json("not an object"), "s", epoch);
  CHECK(garbage.b.capState()["shown"].empty());
}

// Without consent JS keeps the caps in sessionStorage with the ids taken out; every page has new random ids.
json withoutIds(json state) {
  state.erase("visitor");
  state.erase("session");
  state.erase("visits");
  return state;
}

TEST_CASE("without consent the caps hold for the whole visit from an id-free state", "[nudge][caps][consent]") {
  json options = playbookOptions({{"maxPerSession", 1}, {"minGapMs", 60000}});
  json stored = nullptr;
  std::vector<std::string> seen;
  for (int page = 0; page < 6; ++page) {
    Session s(options, stored, "page-" + std::to_string(page), 1.7e12 + page * 120000.0,
              "random-" + std::to_string(page), true);
    s.b.cart(10, 1, 1200, "init");
    json n = s.exitAt(2000);
    seen.push_back(n["type"] == "nudge" ? std::string("shown") : n["reason"].get<std::string>());
    stored = withoutIds(s.b.capState());
    CHECK_FALSE(stored.contains("visitor"));
  }
  CHECK(seen == std::vector<std::string>{"shown", "session-cap", "session-cap", "session-cap", "session-cap", "session-cap"});
  // The same state read as a consented visitor's (ids must match) does not carry over: a different visitor.
  Session consented(options, stored, "page-x", 1.7e12, "someone");
  consented.b.cart(10, 1, 1200, "init");
  CHECK(consented.exitAt(2000)["type"] == "nudge");
}

TEST_CASE("the gap between nudges holds across the pages of a visit", "[nudge][caps]") {
  json options = playbookOptions({{"minGapMs", 60000}});
  Session first(options, nullptr, "p1", 1.7e12, "a", true);
  first.b.cart(10, 1, 1200, "init");
  CHECK(first.exitAt(2000)["type"] == "nudge");
  Session second(options, withoutIds(first.b.capState()), "p2", 1.7e12 + 20000, "b", true);
  second.b.cart(10, 1, 1200, "init");
  CHECK(second.exitAt(2000)["reason"] == "too-soon");
}

TEST_CASE("a coupon's deadline is fixed once per visit and kept across pages", "[nudge][coupon]") {
  json options{{"nudges", {{"minGapMs", 0}, {"maxPerSession", 5},
                           {"playbook", json::array({{{"id", "coupon"}, {"maxPerSession", 5}, {"visitShare", 1}, {"minCartValue", 1000},
                                                      {"maxPerDays", {{"count", 5}, {"days", 14}}},
                                                      {"offer", {{"type", "coupon"}, {"code", "X"}, {"percentOff", 10},
                                                                 {"expiresInMinutes", 15}}}}})}}}};
  const double start = 1.7e12;
  Session first(options, nullptr, "p1", start, "a", true);
  first.b.cart(10, 1, 2000, "init");
  json offered = first.exitAt(2000);
  REQUIRE(offered["type"] == "nudge");
  const double deadline = offered["offer"]["expiresAt"].get<double>();
  CHECK(deadline == start + 2000 + 15 * 60000);
  // Five minutes later on the next page: the same deadline, not a fresh 15 minutes.
  Session second(options, withoutIds(first.b.capState()), "p2", start + 5 * 60000, "b", true);
  second.b.cart(10, 1, 2000, "init");
  json again = second.exitAt(2000);
  INFO(again.dump());
  REQUIRE(again["type"] == "nudge");
  CHECK(again["offer"]["expiresAt"].get<double>() == deadline);
  // Once it has passed, the coupon is not offered again in this visit.
  Session late(options, withoutIds(second.b.capState()), "p3", start + 20 * 60000, "c", true);
  late.b.cart(10, 1, 2000, "init");
  CHECK(late.exitAt(2000)["reason"] == "coupon-expired");
}

TEST_CASE("never after a conversion: that session and the quiet days after it", "[nudge][conversion]") {
  Session s(playbookOptions());
  s.b.cart(10, 1, 1200, "init");
  s.b.convert(500);
  CHECK(s.exitAt(2000)["reason"] == "converted");
  json stored = s.b.capState();
  Session next(playbookOptions(), stored, "s2", 1.7e12 + 2 * kNudgeDay);
  next.b.cart(10, 1, 1200, "init");
  CHECK(next.exitAt(2000)["reason"] == "converted-recently");
  Session month(playbookOptions(), stored, "s3", 1.7e12 + 31 * kNudgeDay);
  month.b.cart(10, 1, 1200, "init");
  CHECK(month.exitAt(2000)["type"] == "nudge");
}

TEST_CASE("the coupon: one per 14 days by default and only on a share of visits", "[nudge][coupon]") {
  json options{{"nudges", {{"minGapMs", 0}, {"maxPerDays", {{"count", 100}, {"days", 7}}},
                           {"playbook", json::array({{{"id", "coupon"},
                                                      {"offer", {{"type", "coupon"}, {"code", "X"}, {"amountOff", 500}}},
                                                      {"minCartValue", 1000}}})}}}};
  int offered = 0;
  json stored = nullptr;
  for (int visit = 0; visit < 40; ++visit) {
    // Each visit 15 days apart, so the 14-day cap never binds: only the visit share decides.
    Session s(options, stored, "v" + std::to_string(visit), 1.7e12 + visit * 15 * kNudgeDay, "shopper");
    s.b.cart(10, 1, 2000, "init");
    offered += s.exitAt(2000)["type"] == "nudge";
    stored = s.b.capState();
  }
  // visitShare defaults to 0.5 for coupons: about half the visits, never all.
  CHECK(offered >= 12);
  CHECK(offered <= 28);
  // Two visits within 14 days: the second never gets a coupon.
  Session a(options, nullptr, "a", 1.7e12, "x");
  a.b.cart(10, 1, 2000, "init");
  json first = a.exitAt(2000);
  (void)first;
  json st = a.b.capState();
  st["shown"] = json::array({json::array({"coupon", 1.7e12})});
  Session b(options, st, "b", 1.7e12 + 3 * kNudgeDay, "x");
  b.b.cart(10, 1, 2000, "init");
  json second = b.exitAt(2000);
  CHECK(second["type"] == "nudge-skipped");
}

TEST_CASE("the holdout is deterministic per visitor and near the configured share", "[nudge][holdout]") {
  json options = playbookOptions({{"holdout", 0.2}});
  int heldOut = 0;
  for (int i = 0; i < 1000; ++i) {
    Session s(options, nullptr, "s", 1.7e12, "visitor-" + std::to_string(i));
    s.b.cart(10, 1, 1200, "init");
    json n = s.exitAt(2000);
    REQUIRE(n["type"] == "nudge");
    heldOut += n["heldOut"].get<bool>();
    Session again(options, nullptr, "t", 1.7e12, "visitor-" + std::to_string(i));
    again.b.cart(10, 1, 1200, "init");
    CHECK(again.exitAt(2000)["heldOut"] == n["heldOut"]);
  }
  CHECK(heldOut > 160);
  CHECK(heldOut < 240);
  CHECK(stableShare("abc") == stableShare("abc"));
}

TEST_CASE("a bad playbook is rejected with the option path", "[nudge][options]") {
  struct Case {
    json options;
    std::string described;
  };
  std::vector<Case> cases{
      {json{{"nudges", {{"playbook", json::array({{{"offer", {{"type", "coupon"}, {"code", "X"}, {"percentOff", 10}}}}})}}}},
       "options.nudges.playbook[0].minCartValue: required for a coupon offer: the cart value (minor units) above which a "
       "discount is offered"},
      {json{{"nudges", {{"playbook", json::array({{{"offer", {{"type", "popup"}}}}})}}}},
       "options.nudges.playbook[0].offer.type: expected \"reassurance\", \"save\", \"coupon\" or \"help\", got \"popup\""},
      {json{{"nudges", {{"playbook", json::array({{{"offer", {{"type", "help"}, {"chatUrl", "javascript:alert(1)"}}}}})}}}},
       "options.nudges.playbook[0].offer.chatUrl: expected a relative, http(s), mailto: or tel: URL, got "
       "\"javascript:alert(1)\""},
      {json{{"nudges", {{"playbook", json::array({{{"offer", {{"type", "help"}}}}})}}}},
       "options.nudges.playbook[0].offer: a help offer needs at least one of chatUrl, whatsapp, phone or email"},
      {json{{"nudges", {{"playbook", json::array({{{"offer", {{"type", "reassurance"}}}, {"triggers", json::array({"leave"})}}})}}}},
       "options.nudges.playbook[0].triggers[0]: expected one of \"trajectory\", \"top-exit\", \"scroll-up\", \"tab-return\", "
       "\"idle\", \"back-button\", got \"leave\""},
      {json{{"nudges", {{"holdout", 0.9}}}}, "options.nudges.holdout: expected a number from 0 to 0.5, got 0.9"},
      {json{{"nudges", {{"maxPerDays", {{"count", -1}}}}}}, "options.nudges.maxPerDays.count: expected an integer from 0 to 1000, got -1"},
  };
  for (const auto& c : cases) {
    auto parsed = parseBehaviourOptions(c.options);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().describe() == c.described);
  }
}
