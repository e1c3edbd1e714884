// Cost per pointer event through the behaviour core (Behaviour::pointerMove: clock, dwell accounting,
// exit-intent trajectory), natively, beside a baseline that only reads the clock and the coordinates.
// Usage: behaviour_bench [batches]; prints median and p99 per event over batches of 1000 moves, and one
// JSON line. Figures only; the no-allocation proof is tests/native/behaviour/behaviour_alloc_test.cpp.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "behaviour/behaviour.hpp"

using cartkeep::Behaviour;
using nlohmann::json;

namespace {

constexpr int kBatch = 1000;

// What the shopper does while reading: moves across the middle of the page at 60 Hz.
struct Reader {
  double t = 0;
  int i = 0;
  double x() const { return 300 + (i * 7) % 600; }
  double y() const { return 250 + (i * 13) % 300; }
  void step() {
    t += 16.6;
    ++i;
  }
};

volatile double sink = 0;

template <class Fn>
std::vector<double> perEvent(int batches, Fn&& fn) {
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(batches));
  for (int k = 0; k < batches; ++k) {
    const auto start = std::chrono::steady_clock::now();
    for (int j = 0; j < kBatch; ++j) fn();
    const auto end = std::chrono::steady_clock::now();
    out.push_back(std::chrono::duration<double, std::nano>(end - start).count() / kBatch);
  }
  std::sort(out.begin(), out.end());
  return out;
}

double at(const std::vector<double>& sorted, double q) {
  return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(q * static_cast<double>(sorted.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  const int batches = argc > 1 ? std::max(10, std::atoi(argv[1])) : 2000;
  auto options = cartkeep::parseBehaviourOptions(json::object());
  if (!options.ok()) {
    std::fprintf(stderr, "%s\n", options.error().describe().c_str());
    return 1;
  }
  Behaviour b(options.value());
  if (!b.session(0, json{{"visitor", "bench"}, {"session", "bench"}, {"epochMs", 1767225600000.0}}).ok()) return 1;
  b.viewport(0, 1280, 800, false);
  b.route(0, "/product/mug", "", "mug");
  Reader reader;
  std::uint32_t pending = 0;
  for (int i = 0; i < 20000; ++i) {  // warm-up: caches, branch predictors, the classifier armed
    reader.step();
    pending += b.pointerMove(reader.t, reader.x(), reader.y());
  }
  const auto core = perEvent(batches, [&] {
    reader.step();
    pending += b.pointerMove(reader.t, reader.x(), reader.y());
  });
  Reader baselineReader;
  const auto baseline = perEvent(batches, [&] {
    baselineReader.step();
    sink = sink + baselineReader.t + baselineReader.x() + baselineReader.y();
  });
  std::printf("pointer event through the behaviour core, %d batches of %d moves:\n", batches, kBatch);
  std::printf("  core      median %.1f ns/event, p99 %.1f ns/event\n", at(core, 0.5), at(core, 0.99));
  std::printf("  baseline  median %.1f ns/event, p99 %.1f ns/event (reading the clock and coordinates only)\n",
              at(baseline, 0.5), at(baseline, 0.99));
  std::printf("  core / baseline: %.1fx; decisions while reading: %u\n", at(core, 0.5) / std::max(0.01, at(baseline, 0.5)),
              pending);
  std::printf("{\"medianNs\":%.2f,\"p99Ns\":%.2f,\"baselineMedianNs\":%.2f,\"batches\":%d}\n", at(core, 0.5),
              at(core, 0.99), at(baseline, 0.5), batches);
  return 0;
}
