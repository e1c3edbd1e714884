// Engine's behaviour methods (declared in engine.hpp): the sensors' observations and the decisions they lead
// to. Before init (or after a failed one) an observation observes nothing and answers 0 decisions waiting.
#include <cmath>
#include <limits>

#include "cartkeep/engine.hpp"
#include "base/json_build.hpp"
#include "base/json_fields.hpp"
#include "base/time_input.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

std::uint32_t Engine::behaviourMove(double t, double x, double y) noexcept {
  return behaviour_ ? behaviour_->pointerMove(t, x, y) : 0;
}
std::uint32_t Engine::behaviourOut(double t, double x, double y) { return behaviour_ ? behaviour_->pointerOut(t, x, y) : 0; }
std::uint32_t Engine::behaviourDown(double t, double x, double y) { return behaviour_ ? behaviour_->pointerDown(t, x, y) : 0; }
std::uint32_t Engine::behaviourKey(double t) { return behaviour_ ? behaviour_->key(t) : 0; }
std::uint32_t Engine::behaviourScroll(double t, double y) { return behaviour_ ? behaviour_->scroll(t, y) : 0; }
std::uint32_t Engine::behaviourVisibility(double t, bool hidden) { return behaviour_ ? behaviour_->visibility(t, hidden) : 0; }
std::uint32_t Engine::behaviourBlur(double t, bool intoFrame) { return behaviour_ ? behaviour_->blur(t, intoFrame) : 0; }
std::uint32_t Engine::behaviourFocus(double t) { return behaviour_ ? behaviour_->focus(t) : 0; }
std::uint32_t Engine::behaviourPageHide(double t, bool persisted) { return behaviour_ ? behaviour_->pageHide(t, persisted) : 0; }
std::uint32_t Engine::behaviourPageShow(double t, bool persisted) { return behaviour_ ? behaviour_->pageShow(t, persisted) : 0; }
std::uint32_t Engine::behaviourRoute(double t, std::string_view path, std::string_view type, std::string_view productId) {
  return behaviour_ ? behaviour_->route(t, path, type, productId) : 0;
}
std::uint32_t Engine::behaviourCard(double t, std::string_view productId, bool visible) {
  return behaviour_ ? behaviour_->card(t, productId, visible) : 0;
}
std::uint32_t Engine::behaviourField(double t, std::string_view kind, bool focused) {
  return behaviour_ ? behaviour_->field(t, kind, focused) : 0;
}
std::uint32_t Engine::behaviourSelect(double t, bool open) { return behaviour_ ? behaviour_->selectOpen(t, open) : 0; }
// The page's counts arrive as JS numbers: anything not a whole, plausible count reads as 0.
std::uint32_t Engine::behaviourCart(double t, double count, double subtotal, std::string_view action) {
  auto whole = [](double v) { return std::isfinite(v) && v > 0 && v < 9.0e15 ? static_cast<std::int64_t>(v) : std::int64_t{0}; };
  return behaviour_ ? behaviour_->cart(t, whole(count), whole(subtotal), action) : 0;
}
std::uint32_t Engine::behaviourCostPreview(double t) { return behaviour_ ? behaviour_->costPreview(t) : 0; }
std::uint32_t Engine::behaviourProgress(double t) { return behaviour_ ? behaviour_->progress(t) : 0; }
std::uint32_t Engine::behaviourConvert(double t) { return behaviour_ ? behaviour_->convert(t) : 0; }
std::uint32_t Engine::behaviourBack(double t) { return behaviour_ ? behaviour_->back(t) : 0; }
std::uint32_t Engine::behaviourTick(double t) { return behaviour_ ? behaviour_->tick(t) : 0; }
std::uint32_t Engine::behaviourViewport(double t, double width, double height, bool touch) {
  return behaviour_ ? behaviour_->viewport(t, width, height, touch) : 0;
}
std::uint32_t Engine::behaviourNudge(double t, std::string_view id, std::string_view outcome) {
  if (!behaviour_) return 0;
  const std::uint32_t pending = behaviour_->nudgeOutcome(t, id, outcome);
  if (outcome != "accepted" && outcome != "dismissed") return pending;
  // A nudge's id is its rule's id, "-" and a count (NudgePlanner::decide).
  const std::string_view rule = id.substr(0, id.rfind('-') == std::string_view::npos ? id.size() : id.rfind('-'));
  nudgeOutcomes_.push_back(
      jsonPair("nudge-outcome", jsonObject({{"id", std::string(id)}, {"rule", std::string(rule)}, {"outcome", std::string(outcome)}})));
  return pending + static_cast<std::uint32_t>(nudgeOutcomes_.size());
}

Result<json> Engine::behaviourSession(double t, std::string_view infoJson) {
  if (!behaviour_) return notInitialised();
  CARTKEEP_TRY_ASSIGN(json info, jf::parse(infoJson, "session"));
  CARTKEEP_TRY_ASSIGN(std::uint32_t pending, behaviour_->session(t, info));
  return json(pending);
}

Result<json> Engine::behaviourObserve(std::string_view eventJson) {
  if (!behaviour_) return notInitialised();
  CARTKEEP_TRY_ASSIGN(json event, jf::parse(eventJson, "observation"));
  CARTKEEP_TRY_ASSIGN(std::uint32_t pending, behaviour_->observe(event));
  return json(pending);
}

Result<json> Engine::behaviourDrain(double now, bool record) {
  if (!behaviour_) return notInitialised();
  if (record) CARTKEEP_TRY(readTimeMs(now, "now"));  // before draining: a bad clock loses no decision
  json outputs = behaviour_->drain();
  json events = nullptr;
  if (record) {
    CARTKEEP_TRY_ASSIGN(events, decisionsToStream(outputs, now));
  }
  return jsonObject({{"outputs", std::move(outputs)}, {"events", std::move(events)}, {"error", clockError()}});
}

// A time behaviour refused travels in the answer that drains it: the observation that carried it (a plain
// number through the pointer's path) answers only a count.
json Engine::clockError() {
  auto refused = behaviour_ ? behaviour_->takeClockError() : std::nullopt;
  return refused ? errorJson(*refused) : json(nullptr);
}

// The decisions the page announces as instance events (exit-intent, risk, nudge-shown / nudge-held-out, and
// the shopper's answer to a nudge) are the ones the stream records, at the page's wall clock.
Result<json> Engine::decisionsToStream(const json& outputs, double now, json before, double responseMs) {
  json observed = std::move(before);
  for (json& outcome : nudgeOutcomes_) observed.push_back(std::move(outcome));
  nudgeOutcomes_ = json::array();
  for (const json& output : outputs) {
    const json& type = output["type"];
    if (type == "exit-intent" || type == "risk" || type == "nudge") observed.push_back(jsonPair(type, output));
  }
  if (observed.empty() || !state_ || !tracking_ || !tracking_->started()) return json(nullptr);
  return tracking_->observeAll(TrackingStore{state_->options, state_->catalog, state_->cart}, observed, now, responseMs);
}

double Engine::behaviourDeadline(double now) const noexcept {
  return behaviour_ ? behaviour_->nextDeadline(now) : std::numeric_limits<double>::infinity();
}

Result<json> Engine::behaviourDwell(double now) const {
  if (!behaviour_) return notInitialised();
  return behaviour_->dwell(now);
}

Result<json> Engine::behaviourRisk(double now) const {
  if (!behaviour_) return notInitialised();
  return behaviour_->risk(now);
}

Result<json> Engine::behaviourCaps() const {
  if (!behaviour_) return notInitialised();
  return behaviour_->capState();
}

Result<json> Engine::behaviourSummary(double now) const {
  if (!behaviour_) return notInitialised();
  return behaviour_->summary(now);
}

Result<json> Engine::behaviourRecorded() const {
  if (!behaviour_) return notInitialised();
  return behaviour_->recorded();
}

}  // namespace cartkeep
