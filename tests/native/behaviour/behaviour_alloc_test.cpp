// Steady state allocates nothing: after a warm-up, many pointer moves, presses, keys, scrolls, visibility
// flips and timer ticks through the behaviour core make no call to global operator new. The count comes
// from replacing the global allocation functions for this test binary (they still allocate with malloc);
// it is only read while a test switches it on.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>

#include "behaviour/behaviour.hpp"

// Sanitizers bring their own operator new: there the count is not ours to take, so the cases are left out.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(thread_sanitizer)
#define CARTKEEP_NO_ALLOC_COUNT 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CARTKEEP_NO_ALLOC_COUNT 1
#endif

#ifndef CARTKEEP_NO_ALLOC_COUNT
namespace {
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};

void* allocate(std::size_t size) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size ? size : 1);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace cartkeep;
using nlohmann::json;

namespace {

struct Counter {
  Counter() {
    allocations = 0;
    counting = true;
  }
  ~Counter() { counting = false; }
  long count() const { return allocations.load(); }
};

Behaviour startedBehaviour(const json& options, bool touch) {
  auto parsed = parseBehaviourOptions(options);
  REQUIRE(parsed.ok());
  Behaviour b(parsed.value());
  REQUIRE(b.session(0, json{{"visitor", "v"}, {"session", "s"}, {"epochMs", 1767225600000.0}}).ok());
  b.viewport(0, touch ? 390 : 1280, touch ? 844 : 800, touch);
  b.route(0, "/product/mug", "", "mug");
  b.cart(0, 1, 2299, "init");
  b.drain();
  return b;
}

// One "reading" second: moves across the middle of the page at 60 Hz, a press, a key, scrolling down
// and back, and the timer tick the page would run. Nothing here is an exit, so no decision is queued.
void readFor(Behaviour& b, double& t, int seconds) {
  for (int s = 0; s < seconds; ++s) {
    for (int i = 0; i < 60; ++i) {
      t += 16.6;
      b.pointerMove(t, 300 + (i * 7) % 600, 250 + (i * 13) % 300);
    }
    b.pointerDown(t, 500, 400);
    b.key(t);
    b.scroll(t, 400 + (s % 5) * 40);
    if (b.nextDeadline(t) <= t + 1) b.tick(t);
    b.tick(t);
  }
}

}  // namespace

TEST_CASE("the counter sees allocations (so a zero below means something)", "[behaviour][alloc]") {
  Counter counter;
  auto* p = new int(7);
  delete p;
  json j = json::array({1, 2, 3});
  CHECK(counter.count() >= 2);
}

TEST_CASE("desktop: pointer, keys, scroll and ticks allocate nothing in steady state", "[behaviour][alloc]") {
  Behaviour b = startedBehaviour(json::object(), false);
  double t = 0;
  readFor(b, t, 20);  // warm-up: the first second arms the classifier, buffers reach their size
  b.visibility(t, true);  // a glance at another tab (shorter than a tab-return exit): risk reports it once
  t += 2000;
  b.visibility(t, false);
  readFor(b, t, 5);
  b.drain();
  long seen = 0;
  std::uint32_t pending = 0;
  {
    Counter counter;
    readFor(b, t, 600);  // ten minutes of reading: 36,000 moves
    b.visibility(t, true);  // the same glance again: no new decision, no allocation
    t += 2000;
    b.visibility(t, false);
    readFor(b, t, 60);
    seen = counter.count();
    pending = b.pending();
  }
  INFO("decisions: " << b.drain().dump());
  CHECK(pending == 0);
  CHECK(seen == 0);
}

TEST_CASE("touch: scrolling and taps allocate nothing in steady state", "[behaviour][alloc]") {
  Behaviour b = startedBehaviour(json::object(), true);
  double t = 0;
  auto read = [&](int seconds) {
    for (int s = 0; s < seconds; ++s) {
      for (int i = 0; i < 60; ++i) {
        t += 16.6;
        b.scroll(t, 500 + (s % 10) * 60 + i);  // reading downwards, slowly
      }
      b.pointerDown(t, 200, 500);
      b.tick(t);
    }
  };
  read(20);
  b.drain();
  long seen = 0;
  {
    Counter counter;
    read(600);
    seen = counter.count();
  }
  CHECK(b.pending() == 0);
  CHECK(seen == 0);
}

TEST_CASE("recording is the documented exception: it allocates per observation", "[behaviour][alloc]") {
  Behaviour b = startedBehaviour(json{{"behaviour", {{"record", true}}}}, false);
  double t = 0;
  readFor(b, t, 2);
  Counter counter;
  readFor(b, t, 1);
  CHECK(counter.count() > 0);
}

#endif  // CARTKEEP_NO_ALLOC_COUNT
