// The touch scroll-up thresholds against scripted scroll traces (seeded, 60 Hz, iOS-like momentum: the speed
// decays with a 325 ms time constant after the finger lifts). A shopper looking back up to reread stops
// mid-page; one heading for the address bar flings to the top of the page. Each threshold is shown to be
// needed: without it, a class of ordinary scroll-ups fires.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <random>

#include "behaviour/exit_intent.hpp"

using namespace cartkeep;

namespace {

constexpr double kHeight = 844, kFrame = 1000.0 / 60, kTau = 325;

struct ScrollTrace {
  std::mt19937 rng;
  double t = 1200, y = 0;
  std::vector<std::pair<double, double>> samples;
  explicit ScrollTrace(std::uint32_t seed) : rng(seed) {}
  double uniform(double lo, double hi) { return lo + (hi - lo) * (rng() / 4294967296.0); }
  void at(double ny) {
    t += kFrame;
    y = std::max(0.0, ny);
    samples.emplace_back(t, y);
  }
  // A flick with momentum: speed v0 px/ms (negative: up), decaying until it stops or hits the top.
  void flick(double v0) {
    for (double v = v0; std::fabs(v) > 0.02; v *= std::exp(-kFrame / kTau)) {
      at(y + v * kFrame);
      if (y <= 0) return;
    }
  }
  // A steady drag with the finger at `speed` px/ms to `goal`.
  void drag(double goal, double speed) {
    const double step = (goal > y ? 1 : -1) * speed * kFrame;
    while (std::fabs(goal - y) > std::fabs(step)) at(y + step);
    at(goal);
  }
  // Reading down to `depth`: flicks down with pauses.
  void readTo(double depth) {
    while (y < depth) {
      flick(uniform(0.8, 2.0));
      t += uniform(500, 1500);
    }
  }
};

// How many traces of one kind fire a scroll-up decision with these options.
int fires(const ExitIntentOptions& options, std::uint32_t seed, const std::function<void(ScrollTrace&)>& script, int n = 200) {
  int count = 0;
  for (int i = 0; i < n; ++i) {
    ScrollTrace trace(seed * 7919 + i);
    script(trace);
    ExitIntentClassifier c(options);
    c.start(0, false);
    c.viewport(390, kHeight);
    c.device(true);
    bool fired = false;
    for (const auto& [t, y] : trace.samples) fired = c.scroll(t, y) || fired;
    count += fired;
  }
  return count;
}

// Looking back up to reread, at any speed, from anywhere past the first screen: stops mid-page.
void rereadMidPage(ScrollTrace& s) {
  const double v0 = s.uniform(0.5, 4.5);
  s.readTo(s.uniform(0.4 * kHeight, 2.5 * kHeight) + v0 * kTau);
  s.t += 800;
  s.flick(-v0);
}
// Dragging slowly back to the top to see the photos again (0.3-1.2 px/ms).
void slowBackToTop(ScrollTrace& s) {
  s.readTo(s.uniform(1.2 * kHeight, 3 * kHeight));
  s.t += 800;
  s.drag(0, s.uniform(0.3, 1.2));
}
// A short fast flick to the top from the page's first half-screen (after reading deeper and coming back).
void shortFlickNearTop(ScrollTrace& s) {
  s.readTo(s.uniform(1.2 * kHeight, 2 * kHeight));
  s.t += 800;
  s.drag(s.uniform(0.15 * kHeight, 0.5 * kHeight), 0.6);
  s.t += 1500;
  s.flick(-s.uniform(2.5, 5));
}
// Heading for the address bar: hard flicks up until the page hits the top.
void flingToTop(ScrollTrace& s) {
  s.readTo(s.uniform(1.2 * kHeight, 4 * kHeight));
  s.t += 800;
  while (s.y > 0) {
    s.flick(-s.uniform(3, 6));
    s.t += s.uniform(60, 160);  // the finger comes back for the next flick
  }
}

}  // namespace

TEST_CASE("touch scroll-up: flings to the top decide, ordinary scroll-ups do not", "[exit-intent][touch][scroll-traces]") {
  const ExitIntentOptions defaults;
  CHECK(fires(defaults, 1, rereadMidPage) == 0);
  CHECK(fires(defaults, 2, slowBackToTop) == 0);
  CHECK(fires(defaults, 3, shortFlickNearTop) == 0);
  CHECK(fires(defaults, 4, flingToTop) >= 198);  // >= 99% of 200
}

TEST_CASE("touch scroll-up: each threshold is needed on the scripted traces", "[exit-intent][touch][scroll-traces]") {
  // Without the top condition, fast looks back mid-page fire (the nudge on an ordinary scroll back up).
  ExitIntentOptions noTop;
  noTop.scrollUpTopFraction = 1e9;
  CHECK(fires(noTop, 1, rereadMidPage) >= 20);
  // With a low speed threshold, slow drags back to the top fire.
  ExitIntentOptions slow;
  slow.scrollUpSpeed = 0.3;
  CHECK(fires(slow, 2, slowBackToTop) >= 20);
  // With a short distance, a flick from the first half-screen fires.
  ExitIntentOptions shortRun;
  shortRun.scrollUpMinFraction = 0.1;
  CHECK(fires(shortRun, 3, shortFlickNearTop) >= 20);
  // Without having read a screen down, nothing was read to leave from: the same flings fire only after reading.
  ExitIntentOptions defaults;
  CHECK(fires(defaults, 5, [](ScrollTrace& s) { s.t += 800, s.y = 0, s.drag(0.5 * kHeight, 0.8), s.flick(-5); }) == 0);
}
