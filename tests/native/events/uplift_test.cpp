// Uplift statistics with published known answers: Wilson score intervals and Newcombe's hybrid score
// interval for a difference of proportions (Newcombe, Statistics in Medicine 17 (1998) 873-890, Table II,
// method 10), the normal quantile, and the median/percentile conventions the KPIs use.
#include <catch2/catch.hpp>

#include "events/kpi.hpp"

using namespace cartkeep;
using Catch::Detail::Approx;

namespace {
Approx four(double v) { return Approx(v).margin(0.00005); }
}  // namespace

TEST_CASE("normal quantile: known critical values", "[uplift][stats]") {
  CHECK(zForLevel(0.95) == Approx(1.959963984540054).epsilon(1e-12));
  CHECK(zForLevel(0.90) == Approx(1.644853626951472).epsilon(1e-12));
  CHECK(zForLevel(0.99) == Approx(2.575829303548901).epsilon(1e-12));
  CHECK(normalQuantile(0.5) == Approx(0.0).margin(1e-15));
  CHECK(normalQuantile(0.001) == Approx(-3.090232306167813).epsilon(1e-12));  // the lower tail branch
  CHECK(normalQuantile(0.999) == Approx(3.090232306167813).epsilon(1e-12));
}

TEST_CASE("Wilson score interval: Newcombe's single-proportion examples", "[uplift][stats]") {
  const double z = zForLevel(0.95);
  Interval a = wilsonInterval(81, 263, z);  // 0.2553 to 0.3662
  CHECK(a.low == four(0.2553));
  CHECK(a.high == four(0.3662));
  Interval b = wilsonInterval(15, 148, z);  // 0.0624 to 0.1605
  CHECK(b.low == four(0.0624));
  CHECK(b.high == four(0.1605));
  Interval c = wilsonInterval(0, 20, z);  // 0 to 0.1611: never below 0
  CHECK(c.low == 0.0);
  CHECK(c.high == four(0.1611));
  Interval d = wilsonInterval(1, 29, z);  // 0.0061 to 0.1718
  CHECK(d.low == four(0.0061));
  CHECK(d.high == four(0.1718));
}

TEST_CASE("Newcombe hybrid score interval: Table II, method 10", "[uplift][stats]") {
  const double z = zForLevel(0.95);
  struct Row {
    std::int64_t x1, n1, x2, n2;
    double low, high;
  };
  const Row rows[] = {
      {56, 70, 48, 80, 0.0524, 0.3339},  {9, 10, 3, 10, 0.1705, 0.8090},  {6, 7, 2, 7, 0.0582, 0.8062},
      {5, 56, 0, 29, -0.0381, 0.1926},   {0, 10, 0, 20, -0.1611, 0.2775}, {0, 10, 0, 10, -0.2775, 0.2775},
      {10, 10, 0, 20, 0.6791, 1.0000},   {10, 10, 0, 10, 0.6075, 1.0000},
  };
  for (const Row& r : rows) {
    INFO(r.x1 << "/" << r.n1 << " - " << r.x2 << "/" << r.n2);
    Interval i = newcombeInterval(r.x1, r.n1, r.x2, r.n2, z);
    CHECK(i.low == four(r.low));
    CHECK(i.high == four(r.high));
  }
}

TEST_CASE("median and nearest-rank percentile", "[uplift][stats]") {
  CHECK(medianOf({}) == 0);
  CHECK(medianOf({5}) == 5);
  CHECK(medianOf({4, 1, 3, 2}) == 2.5);
  CHECK(medianOf({9, 1, 5}) == 5);
  CHECK(nearestRank({15, 20, 35, 40, 50}, 0.9) == 50);  // ceil(4.5) = 5th
  CHECK(nearestRank({15, 20, 35, 40, 50}, 0.4) == 20);  // ceil(2.0) = 2nd
  CHECK(nearestRank({3, 1, 2}, 1.0) == 3);
  CHECK(nearestRank({7}, 0.9) == 7);
}
