// Behaviour's decisions reach the event stream inside the core: the answer that carries a decision carries the
// stream's effects for it, so the page never sends a decision back in.
#include <cmath>

#include <catch2/catch.hpp>

#include "../quote/quote_fixture.hpp"
#include "cartkeep/engine.hpp"

using namespace cartkeep;
using nlohmann::json;

namespace {

constexpr double kStreamAt = 1733140800000;  // 2024-12-02T12:00Z

Engine streamStarted() {
  Engine engine;
  json options = quote_fixture::ukStore();
  options["events"] = {{"endpoint", "https://collect.example/e"}, {"dataLayer", true}};
  options["consent"] = "granted";
  REQUIRE(engine.init(options.dump()));
  json info = {{"pageId", "pagebehaviour1"}, {"now", kStreamAt}, {"url", "https://shop.example/cart"}, {"referrer", ""}};
  REQUIRE(engine.eventsStart(info.dump()));
  REQUIRE(engine.cartAction(json({{"type", "add"}, {"productId", "mug"}, {"quantity", 2}, {"at", kStreamAt}, {"pageMs", 1}}).dump()));
  json session = {{"visitor", "v"}, {"session", "s"}, {"epochMs", kStreamAt}};
  REQUIRE(engine.behaviourSession(2, session.dump()));
  engine.behaviourViewport(2, 1280, 800, false);
  engine.behaviourRoute(2, "/cart", "", "");
  REQUIRE(engine.behaviourDrain(kStreamAt));  // whatever the start decided
  return engine;
}

// The pointer glides up and leaves through the top: returns the decisions waiting after it left.
std::uint32_t exitThroughTheTop(Engine& engine) {
  for (double t = 100; t <= 1500; t += 16) engine.behaviourMove(t, 600, 500 - (t - 100) / 4);
  return engine.behaviourOut(1516, 600, -4);
}

bool pushedEvent(const json& events, const std::string& event) {
  if (!events.is_object()) return false;
  for (const json& push : events["dataLayer"])
    if (push.value("event", std::string()) == event) return true;
  return false;
}

const json* outputOfType(const json& outputs, const std::string& type) {
  for (const json& o : outputs)
    if (o.value("type", std::string()) == type) return &o;
  return nullptr;
}

}  // namespace

TEST_CASE("an observation that yields exit intent answers with the stream's event in the same drain", "[engine][behaviour]") {
  Engine engine = streamStarted();
  REQUIRE(exitThroughTheTop(engine) >= 1);
  json answer = engine.behaviourDrain(kStreamAt + 2000).value();
  REQUIRE(outputOfType(answer["outputs"], "exit-intent"));
  REQUIRE(answer["events"].is_object());
  CHECK(pushedEvent(answer["events"], "cartkeep_exit_intent"));
  CHECK(pushedEvent(answer["events"], "cartkeep_nudge_shown"));  // the nudge the exit led to, recorded with it
  CHECK(engine.behaviourDrain(kStreamAt + 2001).value() == json({{"outputs", json::array()}, {"events", nullptr}, {"error", nullptr}}));

  SECTION("the shopper's answer to the nudge is recorded with the next drain, with the nudge's rule") {
    const json* nudge = outputOfType(answer["outputs"], "nudge");
    REQUIRE(nudge);
    CHECK(engine.behaviourNudge(1600, (*nudge)["id"].get<std::string>(), "accepted") >= 1);
    json next = engine.behaviourDrain(kStreamAt + 3000).value();
    CHECK(next["outputs"].empty());
    REQUIRE(pushedEvent(next["events"], "cartkeep_nudge_accepted"));
    for (const json& push : next["events"]["dataLayer"])
      if (push["event"] == "cartkeep_nudge_accepted") CHECK(push["cartkeep"]["rule"] == (*nudge)["rule"]);
  }
}

TEST_CASE("a replayed trace's decisions are the caller's: the stream records none", "[engine][behaviour]") {
  Engine engine = streamStarted();
  REQUIRE(exitThroughTheTop(engine) >= 1);
  json answer = engine.behaviourDrain(0, false).value();
  CHECK(outputOfType(answer["outputs"], "exit-intent"));
  CHECK(answer["events"].is_null());
}

TEST_CASE("a drain that would record at a bad wall clock is refused and keeps its decisions", "[engine][behaviour]") {
  Engine engine = streamStarted();
  REQUIRE(exitThroughTheTop(engine) >= 1);
  auto refused = engine.behaviourDrain(std::nan(""));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().path == "now");
  json answer = engine.behaviourDrain(kStreamAt + 2000).value();
  CHECK(outputOfType(answer["outputs"], "exit-intent"));
}

TEST_CASE("a cart action records the cart event and the decisions it led to in one answer", "[engine][behaviour][action]") {
  Engine engine = streamStarted();
  json update = engine.cartAction(json({{"type", "add"}, {"productId", "lantern"}, {"at", kStreamAt + 100}, {"pageMs", 50}}).dump()).value();
  REQUIRE(update["events"].is_object());
  CHECK(pushedEvent(update["events"], "add_to_cart"));
}
