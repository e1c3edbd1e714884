// Embind surface for the event stream, consent, transport and KPIs (Engine's events methods,
// core/engine/engine_events.cpp). Every call returns the effects JS carries out as JSON.
#include <emscripten/bind.h>

#include "bound_result.hpp"
#include "cartkeep/engine.hpp"

namespace cartkeep::bindings {
namespace {

BoundResult eventsStart(Engine& e, const std::string& infoJson) { return toBound(e.eventsStart(infoJson)); }
BoundResult eventsObserve(Engine& e, const std::string& name, const std::string& detailJson, double now, double responseMs) {
  return toBound(e.eventsObserve(name, detailJson, now, responseMs));
}
BoundResult eventsTrack(Engine& e, const std::string& name, const std::string& detailJson, double now) {
  return toBound(e.eventsTrack(name, detailJson, now));
}
BoundResult eventsPageTiming(Engine& e, const std::string& timingJson, double now) {
  return toBound(e.eventsPageTiming(timingJson, now));
}
BoundResult eventsActivity(Engine& e, double now) { return toBound(e.eventsActivity(now)); }
BoundResult eventsTick(Engine& e, double now) { return toBound(e.eventsTick(now)); }
BoundResult eventsConsent(Engine& e, const std::string& choice, const std::string& source, double now) {
  return toBound(e.eventsConsent(choice, source, now));
}
BoundResult eventsNext(Engine& e, double now, const std::string& reason) { return toBound(e.eventsNext(now, reason)); }
BoundResult eventsResult(Engine& e, const std::string& batchId, double status, double retryAfterMs, double now) {
  return toBound(e.eventsResult(batchId, status, retryAfterMs, now));
}
BoundResult eventsPersist(Engine& e, bool closed, const std::string& storedHistory, double now) {
  return toBound(e.eventsPersist(closed, storedHistory, now));
}
BoundResult eventsReclaim(Engine& e, bool stillStored, double now) { return toBound(e.eventsReclaim(stillStored, now)); }
BoundResult eventsMetrics(Engine& e, const std::string& requestJson) { return toBound(e.eventsMetrics(requestJson)); }
BoundResult eventsState(const Engine& e, double now) { return toBound(e.eventsState(now)); }
BoundResult eventsForget(Engine& e) { return toBound(e.eventsForget()); }

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
