#include "behaviour/nudge.hpp"

#include <algorithm>
#include <cmath>

#include "base/json_fields.hpp"
#include "base/json_build.hpp"

namespace cartkeep {
using nlohmann::json;

namespace {
constexpr double kNudgeDayMs = 86400000.0;
constexpr const char* kOfferIds[] = {"reassurance", "save", "coupon", "help"};

// Never json::value(): a member of another type would throw, and the wasm build cannot catch.
std::string stringAt(const json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}
}  // namespace

const char* offerTypeId(OfferType type) noexcept { return kOfferIds[static_cast<int>(type)]; }

double stableShare(std::string_view text) noexcept {
  std::uint32_t hash = 2166136261u;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return hash / 4294967296.0;
}

Status NudgePlanner::restore(const json* stored, std::string_view visitor, std::string_view session, double epochMs) {
  visitor_ = visitor.empty() ? "anonymous" : std::string(visitor);
  session_ = std::string(session);
  heldOut_ = o_.holdout > 0 && stableShare(o_.salt + ":holdout:" + visitor_) < o_.holdout;
  shown_.clear();
  sessionShown_.clear();
  visits_ = 1;
  convertedAt_ = -1;
  if (!stored || stored->is_null()) return success();
  // Stored state is the page's own, but it went through localStorage: read it defensively, never fail a page.
  const json& s = *stored;
  if (!s.is_object()) return success();
  const bool sameVisitor = stringAt(s, "visitor") == visitor_;
  if (!sameVisitor) return success();
  const bool sameSession = stringAt(s, "session") == session_;
  if (s.contains("visits") && s["visits"].is_number_integer()) visits_ = std::max<std::int64_t>(1, s["visits"].get<std::int64_t>());
  if (!sameSession) ++visits_;
  if (s.contains("convertedAt") && s["convertedAt"].is_number()) convertedAt_ = s["convertedAt"].get<double>();
  double longest = o_.windowDays;
  for (const auto& rule : o_.playbook) longest = std::max(longest, rule.windowDays);
  if (s.contains("shown") && s["shown"].is_array()) {
    for (const auto& item : s["shown"]) {
      if (!item.is_array() || item.size() != 2 || !item[0].is_string() || !item[1].is_number()) continue;
      double at = item[1].get<double>();
      if (epochMs - at > longest * kNudgeDayMs || at > epochMs + kNudgeDayMs) continue;
      if (shown_.size() < 200) shown_.emplace_back(item[0].get<std::string>(), at);
    }
  }
  if (sameSession && s.contains("sessionShown") && s["sessionShown"].is_object()) {
    for (const auto& item : s["sessionShown"].items())
      if (item.value().is_number_integer() && sessionShown_.size() < 100)
        sessionShown_.emplace_back(item.key(), item.value().get<std::int64_t>());
  }
  if (sameSession && s.contains("convertedInSession") && s["convertedInSession"].is_boolean())
    convertedThisSession_ = s["convertedInSession"].get<bool>();
  return success();
}

json NudgePlanner::capState() const {
  json shown = json::array();
  for (const auto& [rule, at] : shown_) shown.push_back(json::array({rule, at}));
  json session = json::object();
  for (const auto& [rule, count] : sessionShown_) session[rule] = count;
  return jsonObject({{"v", 1},
              {"visitor", visitor_},
              {"session", session_},
              {"visits", visits_},
              {"convertedAt", convertedAt_ < 0 ? json(nullptr) : json(convertedAt_)},
              {"convertedInSession", convertedThisSession_},
              {"shown", shown},
              {"sessionShown", session}});
}

std::int64_t NudgePlanner::shownInWindow(std::string_view rule, double epochMs, double days) const {
  std::int64_t count = 0;
  for (const auto& [id, at] : shown_)
    if ((rule.empty() || id == rule) && epochMs - at < days * kNudgeDayMs) ++count;
  return count;
}

std::int64_t NudgePlanner::shownInSession(std::string_view rule) const {
  std::int64_t count = 0;
  for (const auto& [id, n] : sessionShown_)
    if (rule.empty() || id == rule) count += n;
  return count;
}

NudgeDecision NudgePlanner::decide(const NudgeContext& c) {
  NudgeDecision decision;
  if (!o_.enabled) return decision.skipped = "disabled", decision;
  if (convertedThisSession_) return decision.skipped = "converted", decision;
  if (convertedAt_ >= 0 && c.epochMs - convertedAt_ < o_.quietDaysAfterConversion * kNudgeDayMs)
    return decision.skipped = "converted-recently", decision;
  if (c.cartCount <= 0) return decision.skipped = "empty-cart", decision;
  if (shownInSession({}) >= o_.maxPerSession) return decision.skipped = "session-cap", decision;
  if (o_.maxPerWindow > 0 && shownInWindow({}, c.epochMs, o_.windowDays) >= o_.maxPerWindow)
    return decision.skipped = "window-cap", decision;
  if (c.t - lastShownT_ < o_.minGapMs) return decision.skipped = "too-soon", decision;
  const double score = c.risk ? c.risk->score : 0;
  std::string why = "no-rule";
  for (const auto& rule : o_.playbook) {
    if (c.trigger == ExitReason::None) {
      if (!rule.onRisk) continue;
    } else if (!rule.triggers.empty() &&
               std::find(rule.triggers.begin(), rule.triggers.end(), c.trigger) == rule.triggers.end()) {
      continue;
    }
    if (score < rule.minRisk) continue;
    if (!rule.reasons.empty()) {
      bool found = false;
      for (std::size_t i = 0; c.risk && i < c.risk->reasonCount && !found; ++i)
        found = std::find(rule.reasons.begin(), rule.reasons.end(), c.risk->reasons[i].signal) != rule.reasons.end();
      if (!found) continue;
    }
    if (c.cartValue < rule.minCartValue || c.cartCount < rule.minItems) continue;
    if (!rule.pages.empty() && std::find(rule.pages.begin(), rule.pages.end(), c.page) == rule.pages.end()) continue;
    if (shownInSession(rule.id) >= rule.maxPerSession) { why = "rule-session-cap"; continue; }
    if (rule.maxPerWindow > 0 && shownInWindow(rule.id, c.epochMs, rule.windowDays) >= rule.maxPerWindow) {
      why = "rule-window-cap";
      continue;
    }
    if (rule.visitShare < 1 &&
        stableShare(o_.salt + ":visit:" + visitor_ + ":" + std::to_string(visits_) + ":" + rule.id) >= rule.visitShare) {
      why = "not-this-visit";
      continue;
    }
    decision.rule = &rule;
    break;
  }
  if (!decision.rule) return decision.skipped = why, decision;
  ++decisions_;
  decision.id = decision.rule->id + "-" + std::to_string(decisions_);
  if (heldOut_) {
    // Held-out visitors are counted as if shown, so both groups see the same caps.
    decision.heldOut = true;
    ++heldOutCount_;
  }
  lastShownT_ = c.t;
  shown_.emplace_back(decision.rule->id, c.epochMs);
  auto entry = std::find_if(sessionShown_.begin(), sessionShown_.end(),
                            [&](const auto& item) { return item.first == decision.rule->id; });
  if (entry == sessionShown_.end()) sessionShown_.emplace_back(decision.rule->id, 1);
  else ++entry->second;
  return decision;
}

void NudgePlanner::converted(double epochMs) {
  convertedThisSession_ = true;
  convertedAt_ = epochMs;
}

void NudgePlanner::outcome(std::string_view /*id*/, bool accepted) { ++(accepted ? accepted_ : dismissed_); }

json NudgePlanner::stats() const {
  return jsonObject({{"visitor", visitor_}, {"visits", visits_}, {"heldOut", heldOut_}, {"decided", decisions_},
              {"heldOutDecisions", heldOutCount_}, {"accepted", accepted_}, {"dismissed", dismissed_},
              {"shownThisSession", shownInSession({})}, {"converted", convertedThisSession_}});
}

}  // namespace cartkeep
