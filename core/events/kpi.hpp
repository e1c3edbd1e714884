#pragma once
// KPIs over the event stream (docs/events.md): the same code reads the events this browser recorded
// (instance.metrics()) and the events a merchant's endpoint collected from many shoppers
// (instance.metrics({events})). Records are counted once per id, so duplicates from retries never count twice.
//
// Definitions (all amounts are int64 minor units of the store currency; times are ms):
//   carts.created        distinct carts with cart-created
//   carts.completed      of those, carts with a purchase
//   abandonmentRate      of the carts that ended (bought, or abandoned), the share not bought; carts still open
//                        are not counted (null, "not enough data", until a cart has ended)
//   abandoned            carts with cart-abandoned; items and value from each cart's latest cart-abandoned
//   recovered            abandoned carts purchased after their first cart-abandoned; revenue = their purchase values
//   timeToCheckout       first checkout-started of each cart: sinceCartMs
//   pathLength           purchases: pages viewed and checkout steps taken since the cart was created
//   addToCartResponse    add-to-cart responseMs (click to the next frame after the cart changed)
//   checkoutLoad         page-timing of checkout pages: loadMs (Navigation Timing, navigation start to load end)
//   traffic              per source and medium of the session that created the cart (landing page-view: UTM, else
//                        the referrer's host, else "direct")
//   funnel               sessions -> sessions viewing a product -> carts -> checkout -> each step -> purchase
//   uplift               carts that reached a nudge decision: conversion of those shown the nudge minus those held
//                        out, with Newcombe's hybrid score interval (method 10; from Wilson score intervals)
// The computation runs as named steps: the records to count (each id once, the store's currency, in time order),
// one pass tallying each kind of event, the carts summed, then each section of the report.
// Summaries: median = mean of the two middle values for an even count; p90 = nearest rank (the ceil(0.9 n)-th
// smallest); mean = arithmetic mean; all rounded to whole ms (or to 0.01 for pages and steps).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"
#include "store/strings.hpp"

namespace cartkeep {

struct Interval {
  double low = 0;
  double high = 0;
};

// The standard normal quantile (inverse CDF) for p in (0, 1); Acklam's rational approximation refined by one
// Halley step (relative error below 1e-15).
double normalQuantile(double p) noexcept;
// The two-sided critical value for a confidence level: 0.95 -> 1.959964.
inline double zForLevel(double level) noexcept { return normalQuantile(0.5 + level / 2); }

// Wilson score interval for x successes in n trials (n > 0).
Interval wilsonInterval(std::int64_t x, std::int64_t n, double z) noexcept;
// Newcombe's hybrid score interval for p1 - p2 = x1/n1 - x2/n2 (both n > 0).
Interval newcombeInterval(std::int64_t x1, std::int64_t n1, std::int64_t x2, std::int64_t n2, double z) noexcept;

double medianOf(std::vector<double> values);                // 0 for none
double nearestRank(std::vector<double> values, double p);   // p in (0, 1]; 0 for none

struct MetricsOptions {
  std::string currency;                    // records in another currency are skipped (and counted)
  std::vector<std::string> checkoutSteps;  // funnel order; other steps follow in first-seen order
  double level = 0.95;
  std::int64_t minArm = 30;                // "sufficient" needs at least this many carts in each arm
  const Strings* strings = nullptr;        // funnel labels (metrics.stage.*)
};

// `records` is an array of stream records, or of batch payloads ({events: [...]}), or one payload.
// Malformed records are errors naming their path ("events[3].time: ...").
Result<nlohmann::json> computeMetrics(const nlohmann::json& records, const MetricsOptions& options,
                                      const std::string& path = "events");

}  // namespace cartkeep
