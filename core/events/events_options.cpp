// options.events: read, checked (errors name the option path) and written back.
#include "events/events_options.hpp"

#include <algorithm>
#include <cctype>

#include "base/json_build.hpp"
#include "base/json_fields.hpp"
#include "base/url.hpp"
#include "events/stream_fields.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {

constexpr ErrorCode kOpt = ErrorCode::InvalidOptions;

const std::vector<std::string> kStreamNames = {
    "page-view",       "page-timing",      "view-item",        "cart-created",      "add-to-cart",
    "remove-from-cart", "checkout-started", "checkout-step",    "purchase",          "cart-abandoned",
    "cart-restored",   "cart-resumed",     "exit-intent",      "risk",              "nudge-shown",
    "nudge-accepted",  "nudge-dismissed",  "suggestion-impression", "suggestion-click", "suggestion-add"};

bool isKnownStreamName(std::string_view name) {
  return std::find(kStreamNames.begin(), kStreamNames.end(), name) != kStreamNames.end();
}

Status readSection(const json& parent, std::string_view key, const std::string& path,
                   std::initializer_list<std::string_view> known, const json*& out) {
  out = nullptr;
  auto found = parent.find(std::string(key));
  if (found == parent.end() || found->is_null()) return success();
  const std::string at = jf::child(path, key);
  CARTKEEP_TRY(jf::expectObject(*found, at, kOpt));
  CARTKEEP_TRY(jf::rejectUnknownKeys(*found, at, kOpt, known));
  out = &*found;
  return success();
}

}  // namespace

const std::vector<std::string>& streamEventNames() { return kStreamNames; }

Result<EventsOptions> parseEventsOptions(const json& root) {
  jf::Fields fields(kOpt);
  EventsOptions o;
  auto found = root.find("events");
  if (found == root.end() || found->is_null() || (found->is_boolean() && !found->get<bool>())) return o;
  const std::string at = "options.events";
  CARTKEEP_TRY(jf::expectObject(*found, at, kOpt));
  const json& e = *found;
  CARTKEEP_TRY(jf::rejectUnknownKeys(e, at, kOpt,
                                     {"endpoint", "batch", "queue", "retry", "beacon", "dataLayer", "abandonment",
                                      "checkoutSteps", "autoCheckout", "autoViewItem", "exclude", "history",
                                      "sessionMinutes"}));
  CARTKEEP_TRY_ASSIGN(o.transport.endpoint, readUrl(e, "endpoint", at, kOpt));
  const json* section = nullptr;
  CARTKEEP_TRY(readSection(e, "batch", at, {"size", "maxBytes", "intervalMs"}, section));
  if (section) {
    const std::string sat = jf::child(at, "batch");
    CARTKEEP_TRY_ASSIGN(o.transport.batchSize, jf::readInteger(*section, "size", sat, kOpt, {false, 1, 500}, 20));
    CARTKEEP_TRY_ASSIGN(o.transport.maxBatchBytes,
                        jf::readInteger(*section, "maxBytes", sat, kOpt, {false, 2000, 65536}, 60000));
    CARTKEEP_TRY_ASSIGN(o.transport.flushIntervalMs,
                        jf::readInteger(*section, "intervalMs", sat, kOpt, {false, 0, 600000}, 5000));
  }
  CARTKEEP_TRY(readSection(e, "queue", at, {"cap", "maxAgeHours"}, section));
  if (section) {
    const std::string sat = jf::child(at, "queue");
    fields.integer(*section, "cap", sat, o.transport.queueCap, {false, 1, 10000}, 500);
    fields.integer(*section, "maxAgeHours", sat, o.transport.maxAgeHours, {false, 1, 2160}, 168);
    CARTKEEP_TRY(fields.status());
  }
  CARTKEEP_TRY(readSection(e, "retry", at, {"baseMs", "maxMs", "maxAttempts"}, section));
  if (section) {
    const std::string sat = jf::child(at, "retry");
    fields.integer(*section, "baseMs", sat, o.transport.retryBaseMs, {false, 10, 3600000}, 2000);
    fields.integer(*section, "maxMs", sat, o.transport.retryMaxMs, {false, 10, 86400000}, 300000);
    fields.integer(*section, "maxAttempts", sat, o.transport.maxAttempts, {false, 1, 100}, 8);
    CARTKEEP_TRY(fields.status());
    if (o.transport.retryMaxMs < o.transport.retryBaseMs)
      return jf::invalid(kOpt, jf::child(sat, "maxMs"), "must be at least retry.baseMs (" + std::to_string(o.transport.retryBaseMs) + ")");
  }
  CARTKEEP_TRY_ASSIGN(o.transport.beacon, jf::readBool(e, "beacon", at, kOpt, true));
  auto dataLayer = e.find("dataLayer");
  if (dataLayer != e.end() && !dataLayer->is_null()) {
    if (dataLayer->is_boolean()) {
      o.dataLayer = dataLayer->get<bool>() ? "dataLayer" : "";
    } else if (dataLayer->is_string()) {
      o.dataLayer = dataLayer->get<std::string>();
      const bool identifier = !o.dataLayer.empty() && o.dataLayer.size() <= 64 && !std::isdigit(static_cast<unsigned char>(o.dataLayer[0])) &&
                              std::all_of(o.dataLayer.begin(), o.dataLayer.end(), [](char c) {
                                return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
                              });
      if (!identifier)
        return jf::invalid(kOpt, jf::child(at, "dataLayer"),
                           "expected true, false or the name of a global array such as \"dataLayer\", " + jf::describeValue(*dataLayer));
    } else {
      return jf::invalid(kOpt, jf::child(at, "dataLayer"),
                         "expected true, false or the name of a global array such as \"dataLayer\", " + jf::describeValue(*dataLayer));
    }
  }
  CARTKEEP_TRY(readSection(e, "abandonment", at, {"idleMinutes", "resumeUrl"}, section));
  if (section) {
    const std::string sat = jf::child(at, "abandonment");
    CARTKEEP_TRY_ASSIGN(o.idleMinutes, jf::readNumber(*section, "idleMinutes", sat, kOpt, 0.05, 43200, 30));
    CARTKEEP_TRY_ASSIGN(o.resumeUrl, readUrl(*section, "resumeUrl", sat, kOpt));
  }
  auto steps = e.find("checkoutSteps");
  if (steps != e.end() && !steps->is_null()) {
    const std::string sat = jf::child(at, "checkoutSteps");
    CARTKEEP_TRY(jf::expectArray(*steps, sat, kOpt));
    if (steps->size() > 20) return jf::invalid(kOpt, sat, "expected at most 20 steps");
    for (std::size_t i = 0; i < steps->size(); ++i) {
      const json& s = (*steps)[i];
      if (!s.is_string() || !stream_fields::isStep(s.get_ref<const std::string&>()))
        return jf::invalid(kOpt, jf::element(sat, i), "expected a step name of 1 to 32 characters a-z 0-9 -, " + jf::describeValue(s));
      if (std::find(o.checkoutSteps.begin(), o.checkoutSteps.end(), s.get<std::string>()) != o.checkoutSteps.end())
        return jf::invalid(kOpt, jf::element(sat, i), "the step " + s.dump() + " is listed twice");
      o.checkoutSteps.push_back(s.get<std::string>());
    }
  }
  fields.boolean(e, "autoCheckout", at, o.autoCheckout, true);
  fields.boolean(e, "autoViewItem", at, o.autoViewItem, true);
  CARTKEEP_TRY(fields.status());
  CARTKEEP_TRY_ASSIGN(o.exclude, jf::readStringArray(e, "exclude", at, kOpt, 40, 64));
  for (std::size_t i = 0; i < o.exclude.size(); ++i) {
    if (isKnownStreamName(o.exclude[i])) continue;
    std::string list;
    for (const auto& n : kStreamNames) list += (list.empty() ? "" : ", ") + n;
    return jf::invalid(kOpt, jf::element(jf::child(at, "exclude"), i),
                       "unknown event " + json(o.exclude[i]).dump() + " (the stream has: " + list + ")");
  }
  auto history = e.find("history");
  if (history != e.end() && !history->is_null()) {
    const std::string sat = jf::child(at, "history");
    if (history->is_boolean()) {
      o.history = history->get<bool>();
    } else {
      CARTKEEP_TRY(jf::expectObject(*history, sat, kOpt));
      CARTKEEP_TRY(jf::rejectUnknownKeys(*history, sat, kOpt, {"enabled", "cap"}));
      fields.boolean(*history, "enabled", sat, o.history, true);
      fields.integer(*history, "cap", sat, o.historyCap, {false, 10, 5000}, 500);
      CARTKEEP_TRY(fields.status());
    }
  }
  CARTKEEP_TRY_ASSIGN(o.sessionMinutes, jf::readNumber(e, "sessionMinutes", at, kOpt, 1, 1440, 30));
  return o;
}

json toJson(const EventsOptions& o) {
  const TransportOptions& t = o.transport;
  return jsonObject({{"endpoint", t.endpoint},
              {"batch", jsonObject({{"size", t.batchSize}, {"maxBytes", t.maxBatchBytes}, {"intervalMs", t.flushIntervalMs}})},
              {"queue", jsonObject({{"cap", t.queueCap}, {"maxAgeHours", t.maxAgeHours}})},
              {"retry", jsonObject({{"baseMs", t.retryBaseMs}, {"maxMs", t.retryMaxMs}, {"maxAttempts", t.maxAttempts}})},
              {"beacon", t.beacon},
              {"dataLayer", o.dataLayer.empty() ? json(false) : json(o.dataLayer)},
              {"abandonment", jsonObject({{"idleMinutes", o.idleMinutes}, {"resumeUrl", o.resumeUrl}})},
              {"checkoutSteps", o.checkoutSteps},
              {"autoCheckout", o.autoCheckout},
              {"autoViewItem", o.autoViewItem},
              {"exclude", o.exclude},
              {"history", jsonObject({{"enabled", o.history}, {"cap", o.historyCap}})},
              {"sessionMinutes", o.sessionMinutes}});
}

}  // namespace cartkeep
