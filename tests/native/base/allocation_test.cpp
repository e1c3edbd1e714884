// Largest-remainder allocation: exact sums, proportional parts, deterministic ties.
#include <catch2/catch.hpp>

#include <numeric>
#include <random>

#include "base/allocation.hpp"

using namespace cartkeep;

TEST_CASE("largest remainder gives leftover units to the largest fractions", "[allocation]") {
  // 100 over 1:1:1 -> 33.33 each; one unit left goes to the first (ties by index).
  CHECK(allocateLargestRemainder(100, {1, 1, 1}).value() == std::vector<Minor>{34, 33, 33});
  // 10 over 3:3:4 -> 3, 3, 4 exactly.
  CHECK(allocateLargestRemainder(10, {3, 3, 4}).value() == std::vector<Minor>{3, 3, 4});
  // 7 over 1:2:4 (weights sum 7) exact; 5 over 1:2:4 -> 0.71, 1.43, 2.86 -> floors 0,1,2 + 2 left: .86, .71
  CHECK(allocateLargestRemainder(5, {1, 2, 4}).value() == std::vector<Minor>{1, 1, 3});
  // zero weights never receive a unit
  CHECK(allocateLargestRemainder(3, {0, 1, 0, 1}).value() == std::vector<Minor>{0, 2, 0, 1});
  CHECK(allocateLargestRemainder(-100, {1, 1, 1}).value() == std::vector<Minor>{-34, -33, -33});
  CHECK(allocateLargestRemainder(0, {}).value().empty());
}

TEST_CASE("allocation rejects impossible inputs", "[allocation]") {
  CHECK(allocateLargestRemainder(5, {0, 0}).error().code == ErrorCode::InvalidArgument);
  CHECK(allocateLargestRemainder(5, {1, -1}).error().code == ErrorCode::InvalidArgument);
  CHECK(allocateLargestRemainder(INT64_MIN, {1}).error().code == ErrorCode::Overflow);
}

TEST_CASE("property: allocations always sum exactly and stay within one unit of the ideal", "[allocation][property]") {
  std::mt19937_64 random(20241203);
  for (int round = 0; round < 20000; ++round) {
    const std::size_t n = 1 + random() % 12;
    std::vector<Minor> weights(n);
    for (auto& w : weights) w = static_cast<Minor>(random() % 5 == 0 ? 0 : random() % 1000000);
    if (std::accumulate(weights.begin(), weights.end(), Minor{0}) == 0) weights[0] = 1;
    const Minor amount = static_cast<Minor>(random() % 100000000000ULL) - (round % 3 == 0 ? 50000000000LL : 0);
    auto parts = allocateLargestRemainder(amount, weights);
    REQUIRE(parts.ok());
    REQUIRE(std::accumulate(parts.value().begin(), parts.value().end(), Minor{0}) == amount);
    const Minor weightSum = std::accumulate(weights.begin(), weights.end(), Minor{0});
    for (std::size_t i = 0; i < n; ++i) {
      __extension__ typedef __int128 Wide;
      const Wide ideal = static_cast<Wide>(amount) * weights[i];
      const Wide got = static_cast<Wide>(parts.value()[i]) * weightSum;
      const Wide gap = ideal > got ? ideal - got : got - ideal;
      REQUIRE(gap < static_cast<Wide>(weightSum));  // |part - ideal| < 1 unit
      if (weights[i] == 0) REQUIRE(parts.value()[i] == 0);
    }
  }
}
