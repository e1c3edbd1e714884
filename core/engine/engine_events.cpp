// Engine's event-stream methods (declared in engine.hpp): each answers the effects the page carries out
// (emit, dataLayer, store, flushAt, deadline); times are ms since 1970.
#include "cartkeep/engine.hpp"
#include "base/json_fields.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {

// Optional JSON from the page: "" reads as null.
Result<json> parsedOrNull(std::string_view text, const std::string& what) {
  if (text.empty()) return json(nullptr);
  return jf::parse(text, what);
}

}  // namespace

#define CARTKEEP_EVENTS_PREAMBLE            \
  if (!state_ || !tracking_) return notInitialised(); \
  const TrackingStore store{state_->options, state_->catalog, state_->cart}

Result<json> Engine::eventsStart(std::string_view infoJson) {
  CARTKEEP_EVENTS_PREAMBLE;
  CARTKEEP_TRY_ASSIGN(json info, parsedOrNull(infoJson, "start"));
  return tracking_->start(store, info);
}

Result<json> Engine::eventsObserve(std::string_view name, std::string_view detailJson, double now, double responseMs) {
  CARTKEEP_EVENTS_PREAMBLE;
  CARTKEEP_TRY_ASSIGN(json detail, parsedOrNull(detailJson, "detail"));
  return tracking_->observe(store, name, detail, now, responseMs);
}

Result<json> Engine::eventsTrack(std::string_view name, std::string_view detailJson, double now) {
  CARTKEEP_EVENTS_PREAMBLE;
  CARTKEEP_TRY_ASSIGN(json detail, parsedOrNull(detailJson, "detail"));
  return tracking_->track(store, name, detail, now);
}

Result<json> Engine::eventsPageTiming(std::string_view timingJson, double now) {
  CARTKEEP_EVENTS_PREAMBLE;
  CARTKEEP_TRY_ASSIGN(json timing, parsedOrNull(timingJson, "timing"));
  return tracking_->pageTiming(store, timing, now);
}

Result<json> Engine::eventsActivity(double now) {
  CARTKEEP_EVENTS_PREAMBLE;
  return tracking_->activity(store, now);
}

Result<json> Engine::eventsTick(double now) {
  CARTKEEP_EVENTS_PREAMBLE;
  return tracking_->tick(store, now);
}

// requestJson: {events?, level?, minArm?, checkoutSteps?}; without events, this device's history.
Result<json> Engine::eventsMetrics(std::string_view requestJson) {
  CARTKEEP_EVENTS_PREAMBLE;
  CARTKEEP_TRY_ASSIGN(json request, parsedOrNull(requestJson, "metrics"));
  const json* records = request.is_object() && request.contains("events") ? &request["events"] : nullptr;
  return tracking_->metrics(store, records, request);
}

#undef CARTKEEP_EVENTS_PREAMBLE

Result<json> Engine::eventsConsent(std::string_view choice, std::string_view source, double now) {
  if (!tracking_) return notInitialised();
  return tracking_->setConsent(choice, source, now);
}

Result<json> Engine::eventsNext(double now, std::string_view reason) {
  if (!tracking_) return notInitialised();
  return tracking_->next(now, reason);
}

Result<json> Engine::eventsResult(std::string_view batchId, double status, double retryAfterMs, double now) {
  if (!tracking_) return notInitialised();
  return tracking_->result(batchId, status, retryAfterMs, now);
}

Result<json> Engine::eventsPersist(bool closed, std::string_view storedHistory, double now) {
  if (!tracking_) return notInitialised();
  return tracking_->persist(closed, storedHistory, now);
}

Result<json> Engine::eventsReclaim(bool ownOutboxStillStored, double now) {
  if (!tracking_) return notInitialised();
  return tracking_->reclaim(ownOutboxStillStored, now);
}

Result<json> Engine::eventsState(double now) const {
  if (!tracking_) return notInitialised();
  return tracking_->state(now);
}

Result<json> Engine::eventsForget() {
  if (!tracking_) return notInitialised();
  return tracking_->forget();
}

}  // namespace cartkeep
