// Embind surface for the event stream, consent, transport and KPIs (events.hpp). Every call returns the
// effects JS carries out (emit, dataLayer, store, flushAt, deadline) as JSON; times are ms since 1970.
#include <emscripten/bind.h>

#include "bound_result.hpp"
#include "cartkeep/engine.hpp"
#include "base/json_fields.hpp"

namespace cartkeep::bindings {
namespace {

Result<Tracking*> need(Engine& e) {
  Tracking* t = e.initialised() ? e.tracking() : nullptr;
  if (!t) return Error{ErrorCode::NotInitialised, "", "the engine has no valid options: call init first"};
  return t;
}

TrackingStore storeOf(Engine& e) { return TrackingStore{e.storeOptions(), e.catalog(), e.mutableCart()}; }

Result<nlohmann::json> parsed(const std::string& text, const char* what) {
  if (text.empty()) return nlohmann::json(nullptr);
  return json_fields::parse(text, what);
}

#define CARTKEEP_TRACKING(engine, t) \
  auto t##Result = need(engine);     \
  if (!t##Result) return toBound(t##Result.error()); \
  Tracking* t = t##Result.value()

BoundResult eventsStart(Engine& e, const std::string& infoJson) {
  CARTKEEP_TRACKING(e, t);
  auto info = parsed(infoJson, "start");
  if (!info) return toBound(info.error());
  return toBound(t->start(storeOf(e), info.value()));
}

BoundResult eventsObserve(Engine& e, const std::string& name, const std::string& detailJson, double now, double responseMs) {
  CARTKEEP_TRACKING(e, t);
  auto detail = parsed(detailJson, "detail");
  if (!detail) return toBound(detail.error());
  return toBound(t->observe(storeOf(e), name, detail.value(), now, responseMs));
}

BoundResult eventsTrack(Engine& e, const std::string& name, const std::string& detailJson, double now) {
  CARTKEEP_TRACKING(e, t);
  auto detail = parsed(detailJson, "detail");
  if (!detail) return toBound(detail.error());
  return toBound(t->track(storeOf(e), name, detail.value(), now));
}

BoundResult eventsPageTiming(Engine& e, const std::string& timingJson, double now) {
  CARTKEEP_TRACKING(e, t);
  auto timing = parsed(timingJson, "timing");
  if (!timing) return toBound(timing.error());
  return toBound(t->pageTiming(storeOf(e), timing.value(), now));
}

BoundResult eventsActivity(Engine& e, double now) {
  CARTKEEP_TRACKING(e, t);
  return toBound(t->activity(storeOf(e), now));
}

BoundResult eventsTick(Engine& e, double now) {
  CARTKEEP_TRACKING(e, t);
  return toBound(t->tick(storeOf(e), now));
}

BoundResult eventsConsent(Engine& e, const std::string& choice, const std::string& source, double now) {
  CARTKEEP_TRACKING(e, t);
  return toBound(t->setConsent(choice, source, now));
}

BoundResult eventsNext(Engine& e, double now, const std::string& reason) {
  CARTKEEP_TRACKING(e, t);
  return toBound(t->next(now, reason));
}

BoundResult eventsResult(Engine& e, const std::string& batchId, double status, double retryAfterMs, double now) {
  CARTKEEP_TRACKING(e, t);
  return toBound(t->result(batchId, status, retryAfterMs, now));
}

BoundResult eventsPersist(Engine& e, bool closed, const std::string& storedHistory, double now) {
  CARTKEEP_TRACKING(e, t);
  return toBound(t->persist(closed, storedHistory, now));
}

BoundResult eventsReclaim(Engine& e, bool stillStored, double now) {
  CARTKEEP_TRACKING(e, t);
  return toBound(t->reclaim(stillStored, now));
}

// requestJson: {events?, level?, minArm?, checkoutSteps?}; without events, this device's history.
BoundResult eventsMetrics(Engine& e, const std::string& requestJson) {
  CARTKEEP_TRACKING(e, t);
  auto request = parsed(requestJson, "metrics");
  if (!request) return toBound(request.error());
  const nlohmann::json& r = request.value();
  const nlohmann::json* records = r.is_object() && r.contains("events") ? &r["events"] : nullptr;
  return toBound(t->metrics(storeOf(e), records, r));
}

BoundResult eventsState(Engine& e, double now) {
  CARTKEEP_TRACKING(e, t);
  return toBound(t->state(now));
}

BoundResult eventsForget(Engine& e) {
  CARTKEEP_TRACKING(e, t);
  return toBound(t->forget());
}

#undef CARTKEEP_TRACKING

}  // namespace
}  // namespace cartkeep::bindings

EMSCRIPTEN_BINDINGS(cartkeep_events) {
  using namespace emscripten;
  using namespace cartkeep::bindings;
  function("eventsStart", &eventsStart);
  function("eventsObserve", &eventsObserve);
  function("eventsTrack", &eventsTrack);
  function("eventsPageTiming", &eventsPageTiming);
  function("eventsActivity", &eventsActivity);
  function("eventsTick", &eventsTick);
  function("eventsConsent", &eventsConsent);
  function("eventsNext", &eventsNext);
  function("eventsResult", &eventsResult);
  function("eventsPersist", &eventsPersist);
  function("eventsReclaim", &eventsReclaim);
  function("eventsMetrics", &eventsMetrics);
  function("eventsState", &eventsState);
  function("eventsForget", &eventsForget);
}
