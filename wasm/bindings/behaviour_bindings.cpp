// Embind surface for shopper behaviour (behaviour.hpp). Observations are plain numbers and strings and
// return the number of decisions waiting (almost always 0), so the pointer path crosses the boundary
// without JSON or allocation; decisions are read with behaviourDrain() when the count is not 0.
#include <cmath>
#include <limits>

#include <emscripten/bind.h>

#include "bound_result.hpp"
#include "cartkeep/engine.hpp"
#include "base/json_fields.hpp"

namespace cartkeep::bindings {
namespace {

// A destroyed or uninitialised engine observes nothing: 0 decisions.
#define CARTKEEP_BEHAVIOUR(engine, call) \
  do {                                   \
    Behaviour* b = (engine).behaviour(); \
    return b ? static_cast<int>(b->call) : 0; \
  } while (0)

int behaviourMove(Engine& e, double t, double x, double y) { CARTKEEP_BEHAVIOUR(e, pointerMove(t, x, y)); }
int behaviourOut(Engine& e, double t, double x, double y) { CARTKEEP_BEHAVIOUR(e, pointerOut(t, x, y)); }
int behaviourDown(Engine& e, double t, double x, double y) { CARTKEEP_BEHAVIOUR(e, pointerDown(t, x, y)); }
int behaviourKey(Engine& e, double t) { CARTKEEP_BEHAVIOUR(e, key(t)); }
int behaviourScroll(Engine& e, double t, double y) { CARTKEEP_BEHAVIOUR(e, scroll(t, y)); }
int behaviourVisibility(Engine& e, double t, bool hidden) { CARTKEEP_BEHAVIOUR(e, visibility(t, hidden)); }
int behaviourBlur(Engine& e, double t, bool intoFrame) { CARTKEEP_BEHAVIOUR(e, blur(t, intoFrame)); }
int behaviourFocus(Engine& e, double t) { CARTKEEP_BEHAVIOUR(e, focus(t)); }
int behaviourPageHide(Engine& e, double t, bool persisted) { CARTKEEP_BEHAVIOUR(e, pageHide(t, persisted)); }
int behaviourPageShow(Engine& e, double t, bool persisted) { CARTKEEP_BEHAVIOUR(e, pageShow(t, persisted)); }
int behaviourRoute(Engine& e, double t, const std::string& path, const std::string& type, const std::string& product) {
  CARTKEEP_BEHAVIOUR(e, route(t, path, type, product));
}
int behaviourCard(Engine& e, double t, const std::string& id, bool visible) { CARTKEEP_BEHAVIOUR(e, card(t, id, visible)); }
int behaviourField(Engine& e, double t, const std::string& kind, bool focused) {
  CARTKEEP_BEHAVIOUR(e, field(t, kind, focused));
}
int behaviourSelect(Engine& e, double t, bool open) { CARTKEEP_BEHAVIOUR(e, selectOpen(t, open)); }
int behaviourCart(Engine& e, double t, double count, double subtotal, const std::string& action) {
  auto whole = [](double v) {
    return std::isfinite(v) && v > 0 && v < 9.0e15 ? static_cast<std::int64_t>(v) : std::int64_t{0};
  };
  CARTKEEP_BEHAVIOUR(e, cart(t, whole(count), whole(subtotal), action));
}
int behaviourCostPreview(Engine& e, double t) { CARTKEEP_BEHAVIOUR(e, costPreview(t)); }
int behaviourProgress(Engine& e, double t) { CARTKEEP_BEHAVIOUR(e, progress(t)); }
int behaviourConvert(Engine& e, double t) { CARTKEEP_BEHAVIOUR(e, convert(t)); }
int behaviourBack(Engine& e, double t) { CARTKEEP_BEHAVIOUR(e, back(t)); }
int behaviourTick(Engine& e, double t) { CARTKEEP_BEHAVIOUR(e, tick(t)); }
int behaviourViewport(Engine& e, double t, double w, double h, bool touch) { CARTKEEP_BEHAVIOUR(e, viewport(t, w, h, touch)); }
int behaviourNudge(Engine& e, double t, const std::string& id, const std::string& outcome) {
  CARTKEEP_BEHAVIOUR(e, nudgeOutcome(t, id, outcome));
}

#undef CARTKEEP_BEHAVIOUR

Result<Behaviour*> need(Engine& e) {
  Behaviour* b = e.behaviour();
  if (!b) return Error{ErrorCode::NotInitialised, "", "the engine has no valid options: call init first"};
  return b;
}

BoundResult behaviourSession(Engine& e, double t, const std::string& infoJson) {
  auto b = need(e);
  if (!b) return toBound(b.error());
  auto info = json_fields::parse(infoJson, "session");
  if (!info) return toBound(info.error());
  auto pending = b.value()->session(t, info.value());
  if (!pending) return toBound(pending.error());
  return toBound(nlohmann::json(pending.value()));
}

BoundResult behaviourObserve(Engine& e, const std::string& eventJson) {
  auto b = need(e);
  if (!b) return toBound(b.error());
  auto event = json_fields::parse(eventJson, "observation");
  if (!event) return toBound(event.error());
  auto pending = b.value()->observe(event.value());
  if (!pending) return toBound(pending.error());
  return toBound(nlohmann::json(pending.value()));
}

BoundResult behaviourDrain(Engine& e) {
  auto b = need(e);
  if (!b) return toBound(b.error());
  return toBound(b.value()->drain());
}

double behaviourDeadline(Engine& e, double now) {
  Behaviour* b = e.behaviour();
  return b ? b->nextDeadline(now) : std::numeric_limits<double>::infinity();
}

BoundResult behaviourDwell(Engine& e, double now) {
  auto b = need(e);
  if (!b) return toBound(b.error());
  return toBound(b.value()->dwell(now));
}

BoundResult behaviourRisk(Engine& e, double now) {
  auto b = need(e);
  if (!b) return toBound(b.error());
  return toBound(b.value()->risk(now));
}

BoundResult behaviourCaps(Engine& e) {
  auto b = need(e);
  if (!b) return toBound(b.error());
  return toBound(b.value()->capState());
}

BoundResult behaviourSummary(Engine& e, double now) {
  auto b = need(e);
  if (!b) return toBound(b.error());
  return toBound(b.value()->summary(now));
}

BoundResult behaviourRecorded(Engine& e) {
  auto b = need(e);
  if (!b) return toBound(b.error());
  return toBound(b.value()->recorded());
}

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
