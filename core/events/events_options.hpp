#pragma once
// options.events (docs/events.md): the endpoint and its batching, the dataLayer, abandonment, checkout steps,
// the events never delivered, the on-device history and the session length.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"
#include "events/transport.hpp"

namespace cartkeep {

struct EventsOptions {
  TransportOptions transport;               // endpoint, batch, queue, retry, beacon
  std::string dataLayer;                    // "" = off; else the global array's name, "dataLayer" for true
  double idleMinutes = 30;                  // abandonment.idleMinutes
  std::string resumeUrl;                    // abandonment.resumeUrl: the page a resume link opens ("" = this page)
  std::vector<std::string> checkoutSteps;   // the steps in order, for indexes and the funnel
  bool autoCheckout = true;                 // a checkout page with a cart starts checkout by itself
  bool autoViewItem = true;                 // a product page (behaviour.pages.productParam) records view-item
  std::vector<std::string> exclude;         // stream names never delivered (still counted in metrics)
  bool history = true;                      // keep recorded events on this device for instance.metrics()
  std::int64_t historyCap = 500;
  double sessionMinutes = 30;               // a new session after this long without activity
};

// Reads root["events"] (absent or false: no endpoint and no dataLayer; the stream still runs for metrics).
Result<EventsOptions> parseEventsOptions(const nlohmann::json& root);
nlohmann::json toJson(const EventsOptions& options);

// The names the stream records, in docs/events.md order.
const std::vector<std::string>& streamEventNames();

}  // namespace cartkeep
