// Exit-intent rules one at a time, on short hand-written traces.
#include <catch2/catch.hpp>

#include "behaviour/behaviour.hpp"
#include "behaviour/exit_intent.hpp"

using namespace cartkeep;

namespace {

ExitIntentClassifier desktop(ExitIntentOptions options = {}) {
  ExitIntentClassifier c(options);
  c.start(0, false);
  c.viewport(1280, 800);
  return c;
}

// Moves in a straight line from (x0,y0) to (x1,y1) at `speed` px/ms, 16 ms frames; returns the last time.
double glide(ExitIntentClassifier& c, double t, double x0, double y0, double x1, double y1, double speed,
             bool* fired = nullptr) {
  const double distance = std::hypot(x1 - x0, y1 - y0);
  const int steps = std::max(1, static_cast<int>(distance / speed / 16));
  for (int i = 1; i <= steps; ++i) {
    t += 16;
    bool f = c.pointerMove(t, x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps);
    if (fired) *fired = *fired || f;
  }
  return t;
}

}  // namespace

TEST_CASE("a top exit decides once the page is armed, side and bottom exits do not", "[exit-intent]") {
  auto c = desktop();
  double t = glide(c, 1000, 640, 400, 600, 300, 0.5);
  CHECK(c.pointerOut(t + 16, 600, -3));
  CHECK(c.decision().reason == ExitReason::TopExit);

  auto side = desktop();
  t = glide(side, 1000, 640, 400, 1270, 420, 1);
  CHECK_FALSE(side.pointerOut(t + 16, 1283, 420));
  CHECK(std::string(side.lastSuppression()) == "side");
  auto bottom = desktop();
  t = glide(bottom, 1000, 640, 400, 640, 790, 1);
  CHECK_FALSE(bottom.pointerOut(t + 16, 640, 803));
  CHECK(std::string(bottom.lastSuppression()) == "bottom");
}

TEST_CASE("arming: not in the first second, not before the pointer was below the top", "[exit-intent][arming]") {
  auto early = desktop();
  early.pointerMove(100, 600, 300);
  CHECK_FALSE(early.pointerOut(300, 600, -2));
  CHECK(std::string(early.lastSuppression()) == "arming");

  // Entering from the toolbar at the top and going straight back.
  auto toolbar = desktop();
  double t = glide(toolbar, 2000, 600, 1, 610, 40, 0.3);
  CHECK_FALSE(toolbar.pointerOut(t + 16, 612, -2));
  CHECK(std::string(toolbar.lastSuppression()) == "not-below-top");
  // Once it has been down in the page, the same exit counts.
  t = glide(toolbar, t + 500, 612, 1, 600, 300, 1);
  t = glide(toolbar, t, 600, 300, 600, 20, 1);
  CHECK(toolbar.pointerOut(t + 16, 600, -2));
}

TEST_CASE("only an open native popup suppresses the exit, not a focused field", "[exit-intent][suppression]") {
  // A focused search field, nothing typed: a real exit.
  auto focused = desktop();
  double t = glide(focused, 1000, 640, 400, 640, 200, 1);
  focused.fieldFocus(FieldKind::Search);
  CHECK(focused.pointerOut(t + 16, 640, -2));

  // Typing shows the autocomplete list: suppressed until Escape (reported as a closed popup) or a press.
  auto c = desktop();
  t = glide(c, 1000, 640, 400, 640, 200, 1);
  c.fieldFocus(FieldKind::Text);
  c.typed();
  CHECK_FALSE(c.pointerOut(t + 16, 640, -2));
  CHECK(std::string(c.lastSuppression()) == "autocomplete-open");
  c.selectOpen(false);
  t = glide(c, t + 500, 640, 300, 640, 200, 1);
  CHECK(c.pointerOut(t + 16, 640, -2));

  // An open <select> list: suppressed; after a choice or Escape (closed) with the select still focused: decided.
  auto s = desktop();
  t = glide(s, 1000, 640, 300, 640, 200, 1);
  s.fieldFocus(FieldKind::Select);
  s.press();
  s.selectOpen(true);
  CHECK_FALSE(s.pointerOut(t + 16, 640, -2));
  CHECK(std::string(s.lastSuppression()) == "select-open");
  s.selectOpen(false);
  t = glide(s, t + 500, 640, 300, 640, 200, 1);
  CHECK(s.pointerOut(t + 16, 640, -2));
}

TEST_CASE("opt-in prediction: the trajectory decides before the pointer leaves, aiming at the top bar does not", "[exit-intent][trajectory]") {
  ExitIntentOptions predictive;
  predictive.predictive = true;
  auto c = desktop(predictive);
  bool fired = false;
  // 3 px/ms straight up: the sample at y~30 is 10 ms from the edge and not slowing.
  double t = glide(c, 1000, 640, 600, 640, 12, 3, &fired);
  CHECK(fired);
  CHECK(c.decision().reason == ExitReason::Trajectory);
  CHECK(c.decision().t <= t);
  // The out that follows is the same exit: no second decision.
  CHECK_FALSE(c.pointerOut(t + 16, 640, -10));

  // A fast move that slows into a link at y=24.
  auto aim = desktop(predictive);
  fired = false;
  double at = 1000, y = 600;
  for (int i = 1; i <= 20; ++i) {
    at += 16;
    double p = 1 - std::pow(1 - i / 20.0, 3);
    fired = aim.pointerMove(at, 520, 600 + (24 - 600) * p) || fired;
    y = 600 + (24 - 600) * p;
  }
  CHECK_FALSE(fired);
  CHECK(y == Approx(24));
  // By default: only the crossing itself.
  auto late = desktop();
  fired = false;
  t = glide(late, 1000, 640, 600, 640, 12, 3, &fired);
  CHECK_FALSE(fired);
  CHECK(late.pointerOut(t + 16, 640, -10));
}

TEST_CASE("a fast exit reported from inside the page still counts as the top", "[exit-intent]") {
  auto c = desktop();
  double t = glide(c, 1000, 640, 500, 640, 200, 1);
  // The browser's last position is 40 px down, heading up at 2.5 px/ms.
  c.pointerMove(t + 16, 640, 80);
  CHECK(c.pointerOut(t + 32, 640, 40));
  CHECK(c.decision().reason == ExitReason::TopExit);
}

TEST_CASE("touch: fast scroll up after reading deep, not a short or slow one", "[exit-intent][touch]") {
  ExitIntentClassifier c;
  c.start(0, false);
  c.viewport(390, 844);
  c.device(true);
  double t = 1000;
  for (double y = 0; y <= 2000; y += 20) c.scroll(t += 16, y);  // reading down, 1.25 px/ms
  // A short flick up (250 px) is re-reading.
  bool fired = false;
  for (double y = 2000; y >= 1750; y -= 50) fired = c.scroll(t += 16, y) || fired;
  CHECK_FALSE(fired);
  t += 2000;
  for (double y = 1750; y >= 0 && !fired; y -= 60) fired = c.scroll(t += 16, y);  // 3.75 px/ms toward the top
  CHECK(fired);
  CHECK(c.decision().reason == ExitReason::ScrollUp);
  // On a desktop the same scrolling is reading.
  ExitIntentClassifier d;
  d.start(0, false);
  d.viewport(1280, 800);
  fired = false;
  t = 1000;
  for (double y = 0; y <= 2000; y += 20) d.scroll(t += 16, y);
  for (double y = 2000; y >= 0; y -= 60) fired = d.scroll(t += 16, y) || fired;
  CHECK_FALSE(fired);
}

TEST_CASE("tab and app switches decide on return when long enough", "[exit-intent][visibility]") {
  auto c = desktop();
  c.pointerMove(2000, 600, 400);
  CHECK_FALSE(c.visibility(3000, true));
  CHECK_FALSE(c.visibility(4500, false));  // 1.5 s: a glance
  CHECK_FALSE(c.visibility(6000, true));
  CHECK(c.visibility(16000, false));
  CHECK(c.decision().reason == ExitReason::TabReturn);
  CHECK(c.decision().awayMs == 10000);
  // A return without deciding (a back/forward-cache restore).
  CHECK_FALSE(c.visibility(17000, true));
  CHECK_FALSE(c.visibility(40000, false, false));
}

TEST_CASE("the idle timeout is a touch signal with a deadline, and the back-button guard is opt-in", "[exit-intent][idle]") {
  ExitIntentClassifier c;
  c.start(0, false);
  c.device(true);
  c.activity(1000);
  CHECK(c.nextDeadline() == 61000);
  CHECK_FALSE(c.tick(30000));
  CHECK(c.tick(61000));
  CHECK(c.decision().reason == ExitReason::Idle);
  CHECK_FALSE(c.tick(70000));  // once per idle stretch
  CHECK(std::isinf(c.nextDeadline()));
  c.activity(80000);
  CHECK(c.nextDeadline() == 140000);
  c.visibility(90000, true);
  CHECK(std::isinf(c.nextDeadline()));  // no timers while hidden

  auto d = desktop();
  d.activity(1000);
  CHECK(std::isinf(d.nextDeadline()));
  CHECK_FALSE(d.back(5000));
  ExitIntentOptions guard;
  guard.backButtonGuard = true;
  auto g = desktop(guard);
  CHECK(g.back(5000));
  CHECK(g.decision().reason == ExitReason::BackButton);
}
