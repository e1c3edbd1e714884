// Embind surface for shopper behaviour (Engine's behaviour methods, core/engine/engine_behaviour.cpp).
// Observations are plain numbers and strings and return the number of decisions waiting (almost always 0), so
// the pointer path crosses the boundary without JSON or allocation; decisions are read with behaviourDrain().
#include <emscripten/bind.h>

#include "bound_result.hpp"
#include "cartkeep/engine.hpp"

namespace cartkeep::bindings {
namespace {

int behaviourMove(Engine& e, double t, double x, double y) { return e.behaviourMove(t, x, y); }
int behaviourOut(Engine& e, double t, double x, double y) { return e.behaviourOut(t, x, y); }
int behaviourDown(Engine& e, double t, double x, double y) { return e.behaviourDown(t, x, y); }
int behaviourKey(Engine& e, double t) { return e.behaviourKey(t); }
int behaviourScroll(Engine& e, double t, double y) { return e.behaviourScroll(t, y); }
int behaviourVisibility(Engine& e, double t, bool hidden) { return e.behaviourVisibility(t, hidden); }
int behaviourBlur(Engine& e, double t, bool intoFrame) { return e.behaviourBlur(t, intoFrame); }
int behaviourFocus(Engine& e, double t) { return e.behaviourFocus(t); }
int behaviourPageHide(Engine& e, double t, bool persisted) { return e.behaviourPageHide(t, persisted); }
int behaviourPageShow(Engine& e, double t, bool persisted) { return e.behaviourPageShow(t, persisted); }
int behaviourRoute(Engine& e, double t, const std::string& path, const std::string& type, const std::string& product) {
  return e.behaviourRoute(t, path, type, product);
}
int behaviourCard(Engine& e, double t, const std::string& id, bool visible) { return e.behaviourCard(t, id, visible); }
int behaviourField(Engine& e, double t, const std::string& kind, bool focused) { return e.behaviourField(t, kind, focused); }
int behaviourSelect(Engine& e, double t, bool open) { return e.behaviourSelect(t, open); }
int behaviourCart(Engine& e, double t, double count, double subtotal, const std::string& action) {
  return e.behaviourCart(t, count, subtotal, action);
}
int behaviourCostPreview(Engine& e, double t) { return e.behaviourCostPreview(t); }
int behaviourProgress(Engine& e, double t) { return e.behaviourProgress(t); }
int behaviourConvert(Engine& e, double t) { return e.behaviourConvert(t); }
int behaviourBack(Engine& e, double t) { return e.behaviourBack(t); }
int behaviourTick(Engine& e, double t) { return e.behaviourTick(t); }
int behaviourViewport(Engine& e, double t, double w, double h, bool touch) { return e.behaviourViewport(t, w, h, touch); }
int behaviourNudge(Engine& e, double t, const std::string& id, const std::string& outcome) {
  return e.behaviourNudge(t, id, outcome);
}
BoundResult behaviourSession(Engine& e, double t, const std::string& infoJson) { return toBound(e.behaviourSession(t, infoJson)); }
BoundResult behaviourObserve(Engine& e, const std::string& eventJson) { return toBound(e.behaviourObserve(eventJson)); }
BoundResult behaviourDrain(Engine& e, double now, bool record) { return toBound(e.behaviourDrain(now, record)); }
double behaviourDeadline(const Engine& e, double now) { return e.behaviourDeadline(now); }
BoundResult behaviourDwell(const Engine& e, double now) { return toBound(e.behaviourDwell(now)); }
BoundResult behaviourRisk(const Engine& e, double now) { return toBound(e.behaviourRisk(now)); }
BoundResult behaviourCaps(const Engine& e) { return toBound(e.behaviourCaps()); }
BoundResult behaviourSummary(const Engine& e, double now) { return toBound(e.behaviourSummary(now)); }
BoundResult behaviourRecorded(const Engine& e) { return toBound(e.behaviourRecorded()); }

}  // namespace
}  // namespace cartkeep::bindings

EMSCRIPTEN_BINDINGS(cartkeep_behaviour) {
  using namespace emscripten;
  using namespace cartkeep::bindings;
  function("behaviourMove", &behaviourMove);
  function("behaviourOut", &behaviourOut);
  function("behaviourDown", &behaviourDown);
  function("behaviourKey", &behaviourKey);
  function("behaviourScroll", &behaviourScroll);
  function("behaviourVisibility", &behaviourVisibility);
  function("behaviourBlur", &behaviourBlur);
  function("behaviourFocus", &behaviourFocus);
  function("behaviourPageHide", &behaviourPageHide);
  function("behaviourPageShow", &behaviourPageShow);
  function("behaviourRoute", &behaviourRoute);
  function("behaviourCard", &behaviourCard);
  function("behaviourField", &behaviourField);
  function("behaviourSelect", &behaviourSelect);
  function("behaviourCart", &behaviourCart);
  function("behaviourCostPreview", &behaviourCostPreview);
  function("behaviourProgress", &behaviourProgress);
  function("behaviourConvert", &behaviourConvert);
  function("behaviourBack", &behaviourBack);
  function("behaviourTick", &behaviourTick);
  function("behaviourViewport", &behaviourViewport);
  function("behaviourNudge", &behaviourNudge);
  function("behaviourSession", &behaviourSession);
  function("behaviourObserve", &behaviourObserve);
  function("behaviourDrain", &behaviourDrain);
  function("behaviourDeadline", &behaviourDeadline);
  function("behaviourDwell", &behaviourDwell);
  function("behaviourRisk", &behaviourRisk);
  function("behaviourCaps", &behaviourCaps);
  function("behaviourSummary", &behaviourSummary);
  function("behaviourRecorded", &behaviourRecorded);
}
