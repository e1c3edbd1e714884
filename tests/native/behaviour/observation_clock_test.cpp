// Behaviour's clock: an observation whose time cannot be read, or comes before the previous one, is refused
// (never taken at some other time); the error waits for the drain, naming the observation.
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include "behaviour/behaviour.hpp"

using namespace cartkeep;
using nlohmann::json;

namespace {

Behaviour clockStartedAt(double t) {
  auto options = parseBehaviourOptions(json::object());
  REQUIRE(options.ok());
  Behaviour b(options.value());
  REQUIRE(b.session(t, json{{"visitor", "v"}, {"session", "s"}, {"epochMs", 0}}).ok());
  b.viewport(t, 1280, 800, false);
  b.drain();
  return b;
}

}  // namespace

TEST_CASE("a NaN, infinite or negative time is refused and its error waits for the drain", "[behaviour][clock]") {
  for (double bad : {std::nan(""), std::numeric_limits<double>::infinity(), -1.0}) {
    Behaviour b = clockStartedAt(100);
    CHECK(b.pointerMove(bad, 10, 10) == 1);  // the error is what is waiting
    CHECK(b.lastTime() == 100);               // the clock did not move
    auto error = b.takeClockError();
    REQUIRE(error);
    CHECK(error->code == ErrorCode::InvalidArgument);
    CHECK(error->path == "move.t");
    CHECK(error->message.rfind("expected the page's clock in ms", 0) == 0);
    CHECK(b.pending() == 0);
    CHECK_FALSE(b.takeClockError());
  }
}

TEST_CASE("a time before the previous observation is refused, the observation is not taken", "[behaviour][clock]") {
  Behaviour b = clockStartedAt(100);
  b.pointerMove(500, 10, 10);
  CHECK(b.tick(400) == 1);
  CHECK(b.lastTime() == 500);
  CHECK(b.key(450) == 1);  // the first refusal is the one reported
  auto error = b.takeClockError();
  REQUIRE(error);
  CHECK(error->path == "tick.t");
  CHECK(error->message.find("not before the previous observation's 500.0, got 400.0") != std::string::npos);
  CHECK(b.key(500) == 0);  // the same time as the last is in order
}

TEST_CASE("a trace observation with a bad time is its own error, naming the element", "[behaviour][clock]") {
  Behaviour b = clockStartedAt(100);
  auto refused = b.observe(json::array({50, "key"}));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().path == "observation[0]");
  CHECK(b.pending() == 0);
  auto session = b.session(10, json{{"visitor", "v"}, {"session", "s"}, {"epochMs", 0}});
  REQUIRE_FALSE(session);
  CHECK(session.error().path == "session.t");
}
