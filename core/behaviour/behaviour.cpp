// The behaviour runtime: observations in, dwell, exit intent, risk and nudge decisions out. Its options are read
// in behaviour_options.cpp, page types in page_rules.cpp.
#include "behaviour/behaviour.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/json_fields.hpp"
#include "base/time_input.hpp"
#include "base/json_build.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double rounded(double value) { return std::round(value * 1000.0) / 1000.0; }

}  // namespace

Behaviour::Behaviour(BehaviourOptions options)
    : o_(std::move(options)), dwell_(o_.idleAfterMs), exit_(o_.exitIntent), planner_(o_.nudges) {
  outputs_.reserve(16);
  if (!o_.enabled) exit_ = ExitIntentClassifier(ExitIntentOptions{false});
}

void Behaviour::record(json event) { recorded_.push_back(std::move(event)); }

void Behaviour::ensureStarted(double t, bool hidden) {
  if (started_) return;
  started_ = true;
  dwell_.start(t, hidden);
  exit_.start(t, hidden);
  if (hidden) hiddenSince_ = t;
}

std::uint32_t Behaviour::pending() const noexcept {
  return static_cast<std::uint32_t>(outputs_.size() + (clockError_ ? 1 : 0));
}

bool Behaviour::accept(double t, const char* path) noexcept {
  auto read = readPageTimeMs(t, lastT_, path);
  if (read) {
    lastT_ = t;
    return true;
  }
  if (!clockError_) clockError_ = std::move(read).error();
  return false;
}

PageType Behaviour::pageType() const noexcept {
  const PageVisit* page = dwell_.currentPage();
  return page ? page->type : PageType::Other;
}

std::uint32_t Behaviour::pointerOut(double t, double x, double y) {
  if (!accept(t, "out.t")) return pending();
  if (recording()) record(json::array({t, "out", x, y}));
  if (!started_) return pending();
  dwell_.activity(t);
  if (exit_.pointerOut(t, x, y)) onExit(t);
  return pending();
}

std::uint32_t Behaviour::pointerDown(double t, double x, double y) {
  if (!accept(t, "down.t")) return pending();
  if (recording()) record(json::array({t, "down", x, y}));
  if (!started_) return pending();
  dwell_.activity(t);
  exit_.activity(t);
  exit_.press();
  return pending();
}

std::uint32_t Behaviour::key(double t) {
  if (!accept(t, "key.t")) return pending();
  if (recording()) record(json::array({t, "key"}));
  if (!started_) return pending();
  dwell_.activity(t);
  exit_.activity(t);
  exit_.typed();
  return pending();
}

std::uint32_t Behaviour::scroll(double t, double y) {
  if (!accept(t, "scroll.t")) return pending();
  if (recording()) record(json::array({t, "scroll", y}));
  if (!started_) return pending();
  dwell_.activity(t);
  if (exit_.scroll(t, y)) onExit(t);
  return pending();
}

std::uint32_t Behaviour::visibility(double t, bool hidden) {
  if (!accept(t, "visibility.t")) return pending();
  if (recording()) record(json::array({t, "visibility", hidden ? "hidden" : "visible"}));
  if (!started_) {
    ensureStarted(t, hidden);
    return pending();
  }
  const bool wasHidden = dwell_.hidden();
  dwell_.visibility(t, hidden);
  const bool decided = exit_.visibility(t, hidden);
  if (hidden && !wasHidden) hiddenSince_ = t;
  if (!hidden && wasHidden && hiddenSince_ >= 0) {
    if (cartCount_ > 0) longestAwayMs_ = std::max(longestAwayMs_, t - hiddenSince_);
    hiddenSince_ = -1;
    if (decided) onExit(t);
    else updateRisk(t, false);
  }
  return pending();
}

std::uint32_t Behaviour::blur(double t, bool intoFrame) {
  if (!accept(t, "blur.t")) return pending();
  if (recording()) record(json::array({t, "blur", intoFrame}));
  if (started_) dwell_.blur(t, intoFrame);
  return pending();
}

std::uint32_t Behaviour::focus(double t) {
  if (!accept(t, "focus.t")) return pending();
  if (recording()) record(json::array({t, "focus"}));
  if (started_) {
    dwell_.focus(t);
    exit_.activity(t);
  }
  return pending();
}

std::uint32_t Behaviour::pageHide(double t, bool persisted) {
  if (!accept(t, "pagehide.t")) return pending();
  if (recording()) record(json::array({t, "pagehide", persisted}));
  if (!started_) return pending();
  const bool wasHidden = dwell_.hidden();
  dwell_.pageHide(t, persisted);
  exit_.visibility(t, true);
  if (!wasHidden) hiddenSince_ = t;
  return pending();
}

std::uint32_t Behaviour::pageShow(double t, bool persisted) {
  if (!accept(t, "pageshow.t")) return pending();
  if (recording()) record(json::array({t, "pageshow", persisted}));
  if (!started_) {
    ensureStarted(t, false);
    return pending();
  }
  if (!persisted) return pending();
  // Back from the back/forward cache: the same page, hidden meanwhile; it re-arms like a new page and a
  // return from the cache is a navigation, not a tab switch, so it decides no exit intent.
  dwell_.pageShow(t, true);
  exit_.visibility(t, false, /*decide=*/false);
  exit_.newPage(t);
  hiddenSince_ = -1;
  return pending();
}

std::uint32_t Behaviour::route(double t, std::string_view path, std::string_view declaredType, std::string_view productId) {
  if (!accept(t, "route.t")) return pending();
  if (recording()) record(json::array({t, "route", path, declaredType, productId}));
  ensureStarted(t, false);
  const PageType type = classifyPage(o_.pages, path, declaredType);
  const std::size_t before = dwell_.pageCount();
  if (dwell_.route(t, path, type, type == PageType::Product ? productId : std::string_view())) {
    if (dwell_.pageCount() != before) exit_.newPage(t);
    if (type == PageType::Cart) ++cartViews_;
    if (type == PageType::Checkout || type == PageType::Confirmation) progress(t);
    if (type == PageType::Confirmation) convert(t);
    progressMark_ = 0;
    progressPage_ = dwell_.pageCount() - 1;
    if (exitPage_ != SIZE_MAX) exitEarlier_ = true;
    exitPage_ = SIZE_MAX;
    updateRisk(t, false);
  }
  return pending();
}

std::uint32_t Behaviour::card(double t, std::string_view productId, bool visible) {
  if (!accept(t, "card.t")) return pending();
  if (recording()) record(json::array({t, "card", productId, visible}));
  if (started_) dwell_.card(t, productId, visible);
  return pending();
}

std::uint32_t Behaviour::field(double t, std::string_view kind, bool focused) {
  if (!accept(t, "field.t")) return pending();
  if (recording()) record(json::array({t, "field", kind, focused}));
  if (!started_) return pending();
  dwell_.activity(t);
  exit_.activity(t);
  if (!focused) {
    exit_.fieldBlur();
    return pending();
  }
  FieldKind k = kind == "coupon" ? FieldKind::Coupon
                : kind == "search" ? FieldKind::Search
                : kind == "select" ? FieldKind::Select
                : kind == "text"   ? FieldKind::Text
                                   : FieldKind::Other;
  exit_.fieldFocus(k);
  if (k == FieldKind::Coupon && !couponFocus_) {
    couponFocus_ = true;
    updateRisk(t, true);
  }
  return pending();
}

std::uint32_t Behaviour::selectOpen(double t, bool open) {
  if (!accept(t, "select.t")) return pending();
  if (recording()) record(json::array({t, "select", open}));
  if (started_) exit_.selectOpen(open);
  return pending();
}

std::uint32_t Behaviour::cart(double t, std::int64_t count, std::int64_t subtotal, std::string_view action) {
  if (!accept(t, "cart.t")) return pending();
  if (recording()) record(json::array({t, "cart", count, subtotal, action}));
  const std::int64_t before = cartCount_;
  cartCount_ = std::max<std::int64_t>(0, count);
  cartValue_ = std::max<std::int64_t>(0, subtotal);
  if (!started_) return pending();
  if (action == "remove" || (action != "init" && count < before && count > 0)) ++removals_;
  if (action == "add" || (action == "set" && count > before)) progress(t);
  updateRisk(t, false);
  return pending();
}

std::uint32_t Behaviour::costPreview(double t) {
  if (!accept(t, "cost-preview.t")) return pending();
  if (recording()) record(json::array({t, "cost-preview"}));
  if (started_ && costPreviewAt_ < 0) costPreviewAt_ = t;
  return pending();
}

std::uint32_t Behaviour::progress(double t) {
  if (!accept(t, "progress.t")) return pending();
  if (recording()) record(json::array({t, "progress"}));
  if (!started_) return pending();
  progressMark_ = dwell_.currentPageActiveMs(t);
  progressPage_ = dwell_.pageCount() - 1;
  costPreviewIdle_ = false;
  costPreviewAt_ = -1;
  return pending();
}

std::uint32_t Behaviour::convert(double t) {
  if (!accept(t, "convert.t")) return pending();
  if (recording()) record(json::array({t, "convert"}));
  if (planner_.hasConverted()) return pending();
  planner_.converted(epochAt(t));
  updateRisk(t, false);
  return pending();
}

std::uint32_t Behaviour::back(double t) {
  if (!accept(t, "back.t")) return pending();
  if (recording()) record(json::array({t, "back"}));
  if (started_ && exit_.back(t)) onExit(t);
  return pending();
}

std::uint32_t Behaviour::tick(double t) {
  if (!accept(t, "tick.t")) return pending();
  if (recording()) record(json::array({t, "tick"}));
  if (!started_ || dwell_.hidden()) return pending();
  if (costPreviewAt_ >= 0 && !costPreviewIdle_ && t - dwell_.lastActivity() >= o_.risk.costPreviewIdleMs)
    costPreviewIdle_ = true;
  if (exit_.tick(t)) onExit(t);
  else updateRisk(t, true);
  return pending();
}

std::uint32_t Behaviour::viewport(double t, double width, double height, bool touch) {
  if (!accept(t, "viewport.t")) return pending();
  if (recording()) record(json::array({t, "viewport", width, height, touch}));
  exit_.viewport(width, height);
  exit_.device(touch);
  return pending();
}

std::uint32_t Behaviour::nudgeOutcome(double t, std::string_view id, std::string_view outcome) {
  if (!accept(t, "nudge.t")) return pending();
  if (recording()) record(json::array({t, "nudge", id, outcome}));
  planner_.outcome(id, outcome == "accepted");
  return pending();
}

Result<std::uint32_t> Behaviour::session(double t, const json& info) {
  jf::Fields fields(ErrorCode::InvalidArgument);
  CARTKEEP_TRY_ASSIGN(t, readPageTimeMs(t, lastT_, "session.t"));
  lastT_ = t;
  if (recording()) record(json::array({t, "session", info}));
  const std::string at = "session";
  CARTKEEP_TRY(jf::expectObject(info, at, ErrorCode::InvalidArgument));
  std::string visitor;
  std::string sessionId;
  fields.string(info, "visitor", at, visitor, {false, 0, 100});
  fields.string(info, "session", at, sessionId, {false, 0, 100});
  CARTKEEP_TRY(fields.status());
  auto epoch = info.find("epochMs");
  if (epoch == info.end() || !epoch->is_number())
    return jf::invalid(ErrorCode::InvalidArgument, jf::child(at, "epochMs"), "required, expected the wall clock in ms");
  epochBase_ = epoch->get<double>();
  tBase_ = t;
  auto stored = info.find("stored");
  auto anonymous = info.find("anonymous");
  CARTKEEP_TRY(planner_.restore(stored == info.end() ? nullptr : &*stored, visitor, sessionId, epochBase_,
                                anonymous != info.end() && anonymous->is_boolean() && anonymous->get<bool>()));
  auto hidden = info.find("hidden");
  ensureStarted(t, hidden != info.end() && hidden->is_boolean() && hidden->get<bool>());
  return pending();
}

void Behaviour::onExit(double t) {
  const ExitDecision& d = exit_.decision();
  const PageVisit* page = dwell_.currentPage();
  emit(jsonObject({{"type", "exit-intent"}, {"t", rounded(t)}, {"reason", exitReasonId(d.reason)},
            {"x", rounded(d.x)}, {"y", rounded(d.y)}, {"speed", rounded(d.speed)}, {"awayMs", rounded(d.awayMs)},
            {"page", page ? pageTypeId(page->type) : "other"}}));
  exitPage_ = dwell_.pageCount() ? dwell_.pageCount() - 1 : 0;
  RiskScore risk = currentRisk(t);
  updateRisk(t, false);
  // On a phone a nudge over a checkout step costs more than it saves: the shopper is filling it in, and
  // scrolling back up to check a field looks like leaving.
  if (exit_.touch() && page && page->type == PageType::Checkout) return;
  decideNudge(t, d.reason, risk);
}

RiskScore Behaviour::currentRisk(double t) const {
  RiskInputs in;
  in.cartEmpty = cartCount_ <= 0;
  in.converted = planner_.hasConverted();
  in.exitIntent = exitPage_ != SIZE_MAX ? 1.0 : exitEarlier_ ? 0.5 : 0.0;
  const PageType type = pageType();
  if ((type == PageType::Cart || type == PageType::Checkout) && progressPage_ == dwell_.pageCount() - 1)
    in.cartDwellMs = std::max(0.0, dwell_.currentPageActiveMs(t) - progressMark_);
  in.cartViews = cartViews_;
  in.removals = removals_;
  in.couponFocus = couponFocus_;
  in.costPreviewIdle = costPreviewIdle_;
  in.longestAwayMs = longestAwayMs_;
  return scoreRisk(o_.risk, in);
}

void Behaviour::updateRisk(double t, bool allowNudge) {
  lastRiskCheck_ = t;
  RiskScore risk = currentRisk(t);
  const int top = risk.reasonCount ? static_cast<int>(risk.reasons[0].signal) : -1;
  if (std::fabs(risk.score - lastRiskScore_) < o_.risk.step && top == lastRiskTop_) return;
  json reasons = json::array();
  for (std::size_t i = 0; i < risk.reasonCount && i < 3; ++i)
    reasons.push_back(jsonObject({{"signal", riskSignalId(risk.reasons[i].signal)},
                           {"strength", rounded(risk.reasons[i].strength)},
                           {"contribution", rounded(risk.reasons[i].contribution)}}));
  emit(jsonObject({{"type", "risk"}, {"t", rounded(t)}, {"score", rounded(risk.score)}, {"reasons", reasons}}));
  const bool rising = risk.score > lastRiskNudgeScore_;
  lastRiskScore_ = risk.score;
  lastRiskTop_ = top;
  if (allowNudge && rising) {
    lastRiskNudgeScore_ = risk.score;
    bool anyRiskRule = false;
    for (const auto& rule : o_.nudges.playbook) anyRiskRule = anyRiskRule || (rule.onRisk && risk.score >= rule.minRisk);
    if (anyRiskRule) decideNudge(t, ExitReason::None, risk);
  }
}

void Behaviour::decideNudge(double t, ExitReason trigger, const RiskScore& risk) {
  NudgeContext c;
  c.t = t;
  c.epochMs = epochAt(t);
  c.trigger = trigger;
  c.risk = &risk;
  c.cartCount = cartCount_;
  c.cartValue = cartValue_;
  c.page = pageType();
  NudgeDecision d = planner_.decide(c);
  const char* triggerId = trigger == ExitReason::None ? "risk" : exitReasonId(trigger);
  if (!d.rule) {
    emit(jsonObject({{"type", "nudge-skipped"}, {"t", rounded(t)}, {"trigger", triggerId}, {"reason", d.skipped}}));
    return;
  }
  json offer = d.rule->offer;
  if (d.rule->type == OfferType::Coupon) offer["expiresAt"] = d.expiresAt;
  emit(jsonObject({{"type", "nudge"}, {"t", rounded(t)}, {"id", d.id}, {"rule", d.rule->id}, {"offer", offer},
            {"trigger", triggerId}, {"heldOut", d.heldOut}, {"risk", rounded(risk.score)},
            {"page", pageTypeId(c.page)}}));
}

double Behaviour::nextDeadline(double now) const noexcept {
  if (!started_ || dwell_.hidden()) return kInf;
  double next = exit_.nextDeadline();
  if (costPreviewAt_ >= 0 && !costPreviewIdle_ && cartCount_ > 0)
    next = std::min(next, std::max(now, dwell_.lastActivity() + o_.risk.costPreviewIdleMs));
  const PageType type = pageType();
  if ((type == PageType::Cart || type == PageType::Checkout) && cartCount_ > 0 && !planner_.hasConverted()) {
    // The cart-dwell signal grows while the shopper is active there: look again every sixth of its span.
    if (dwell_.currentPageActiveMs(now) - progressMark_ < o_.risk.cartDwellMs && now - dwell_.lastActivity() <= o_.idleAfterMs)
      next = std::min(next, std::max(now, lastRiskCheck_ + o_.risk.cartDwellMs / 6));
  }
  return next;
}

json Behaviour::drain() {
  json out = json::array();
  for (auto& item : outputs_) out.push_back(std::move(item));
  outputs_.clear();
  return out;
}

json Behaviour::risk(double now) const {
  RiskScore risk = currentRisk(now);
  json reasons = json::array();
  for (std::size_t i = 0; i < risk.reasonCount; ++i)
    reasons.push_back(jsonObject({{"signal", riskSignalId(risk.reasons[i].signal)},
                           {"strength", rounded(risk.reasons[i].strength)},
                           {"contribution", rounded(risk.reasons[i].contribution)}}));
  return jsonObject({{"score", rounded(risk.score)}, {"reasons", reasons}});
}

json Behaviour::summary(double now) const {
  return jsonObject({{"t", rounded(now)}, {"dwell", dwell(now)}, {"risk", risk(now)}, {"nudges", planner_.stats()},
              {"caps", planner_.capState()}});
}

Result<std::uint32_t> Behaviour::observe(const json& e, const std::string& path) {
  constexpr ErrorCode code = ErrorCode::InvalidArgument;
  if (!e.is_array() || e.size() < 2 || !e[0].is_number() || !e[1].is_string())
    return jf::invalid(code, path, "expected [time, kind, ...], " + jf::describeValue(e));
  const double t = e[0].get<double>();
  const std::string& kind = e[1].get_ref<const std::string&>();
  // A bad time is this call's error (the observations below would only keep it for the drain).
  if (kind != "session") CARTKEEP_TRY(readPageTimeMs(t, lastT_, jf::element(path, 0).c_str()));
  auto num = [&](std::size_t i, double fallback = 0) { return i < e.size() && e[i].is_number() ? e[i].get<double>() : fallback; };
  auto flag = [&](std::size_t i) { return i < e.size() && e[i].is_boolean() && e[i].get<bool>(); };
  auto text = [&](std::size_t i) { return i < e.size() && e[i].is_string() ? e[i].get<std::string>() : std::string(); };
  auto integer = [&](std::size_t i) {
    return i < e.size() && e[i].is_number_integer() ? e[i].get<std::int64_t>() : std::int64_t{0};
  };
  if (kind == "move") return pointerMove(t, num(2), num(3));
  if (kind == "out") return pointerOut(t, num(2), num(3));
  if (kind == "down") return pointerDown(t, num(2), num(3));
  if (kind == "key") return key(t);
  if (kind == "scroll") return scroll(t, num(2));
  if (kind == "visibility") return visibility(t, text(2) == "hidden");
  if (kind == "blur") return blur(t, flag(2));
  if (kind == "focus") return focus(t);
  if (kind == "pagehide") return pageHide(t, flag(2));
  if (kind == "pageshow") return pageShow(t, flag(2));
  if (kind == "route") return route(t, text(2), text(3), text(4));
  if (kind == "card") return card(t, text(2), flag(3));
  if (kind == "field") return field(t, text(2), flag(3));
  if (kind == "select") return selectOpen(t, flag(2));
  if (kind == "cart") return cart(t, integer(2), integer(3), text(4));
  if (kind == "cost-preview") return costPreview(t);
  if (kind == "progress") return progress(t);
  if (kind == "convert") return convert(t);
  if (kind == "back") return back(t);
  if (kind == "tick") return tick(t);
  if (kind == "viewport") return viewport(t, num(2), num(3), flag(4));
  if (kind == "nudge") return nudgeOutcome(t, text(2), text(3));
  if (kind == "session") {
    if (e.size() < 3) return jf::invalid(code, jf::element(path, 2), "expected the session object");
    return session(t, e[2]);
  }
  return jf::invalid(code, jf::element(path, 1), "unknown observation kind " + json(kind).dump());
}

}  // namespace cartkeep
