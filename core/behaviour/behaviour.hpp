#pragma once
// Shopper behaviour: one object per page session that takes the raw, timestamped observations the JS
// sensors forward (pointer, visibility, focus, scroll, fields, routes, cards, cart changes) and does all
// the accounting and deciding: dwell (dwell.hpp), exit intent (exit_intent.hpp), risk (risk.hpp) and the
// nudge playbook with its caps (nudge.hpp). Decisions queue up as JSON outputs that JS drains.
//
// Every observation is also expressible as a JSON array ([t, "move", x, y], ...: see observe()), so a
// recorded trace replays identically in Catch2 (tests/native/behaviour/replay_trace.hpp), in Node
// (behaviour.replay in js/behaviour/behaviour.js) and in the browser.
// Times are the page's monotonic milliseconds (base/time_input.hpp reads them): an observation whose time
// cannot be read (NaN, Infinity, negative) or comes before the previous one is refused, and its error waits
// for the drain (counted in pending(), read with takeClockError()). The pointer path (pointerMove) allocates
// nothing unless `record` is on or its time is refused.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "behaviour/behaviour_options.hpp"
#include "behaviour/dwell.hpp"
#include "cartkeep/error.hpp"
#include "behaviour/exit_intent.hpp"
#include "behaviour/nudge.hpp"
#include "behaviour/risk.hpp"

namespace cartkeep {

class Behaviour {
 public:
  explicit Behaviour(BehaviourOptions options);

  // Each observation returns the number of outputs waiting to be drained.
  std::uint32_t pointerMove(double t, double x, double y) noexcept {
    if (!accept(t, "move.t")) return pending();
    if (recording()) record(nlohmann::json::array({t, "move", x, y}));
    if (!started_) return pending();
    dwell_.activity(t);
    if (exit_.pointerMove(t, x, y)) onExit(t);
    return pending();
  }
  std::uint32_t pointerOut(double t, double x, double y);
  std::uint32_t pointerDown(double t, double x, double y);
  std::uint32_t key(double t);
  std::uint32_t scroll(double t, double y);
  std::uint32_t visibility(double t, bool hidden);
  std::uint32_t blur(double t, bool intoFrame);
  std::uint32_t focus(double t);
  std::uint32_t pageHide(double t, bool persisted);
  std::uint32_t pageShow(double t, bool persisted);
  std::uint32_t route(double t, std::string_view path, std::string_view declaredType, std::string_view productId);
  std::uint32_t card(double t, std::string_view productId, bool visible);
  std::uint32_t field(double t, std::string_view kind, bool focused);
  std::uint32_t selectOpen(double t, bool open);
  std::uint32_t cart(double t, std::int64_t count, std::int64_t subtotal, std::string_view action);
  std::uint32_t costPreview(double t);
  std::uint32_t progress(double t);
  std::uint32_t convert(double t);
  std::uint32_t back(double t);
  std::uint32_t tick(double t);
  std::uint32_t viewport(double t, double width, double height, bool touch);
  std::uint32_t nudgeOutcome(double t, std::string_view id, std::string_view outcome);
  // The page session: visitor and session ids, the wall clock at t, and the persisted caps (or null).
  Result<std::uint32_t> session(double t, const nlohmann::json& info);

  // One observation as JSON ([t, kind, ...]); errors name `path`.
  Result<std::uint32_t> observe(const nlohmann::json& event, const std::string& path = "observation");

  // The outputs since the last drain, oldest first; empties the queue.
  nlohmann::json drain();
  std::uint32_t pending() const noexcept;
  // The first refused time since the last call, naming the observation ("move.t"); empties it.
  std::optional<Error> takeClockError() noexcept { return std::exchange(clockError_, std::nullopt); }
  // When tick() should next run (idle timeout, risk growing on the cart page), +infinity when never.
  double nextDeadline(double now) const noexcept;

  nlohmann::json dwell(double now) const { return dwell_.report(now); }
  nlohmann::json risk(double now) const;
  nlohmann::json capState() const { return planner_.capState(); }
  nlohmann::json summary(double now) const;
  const nlohmann::json& recorded() const noexcept { return recorded_; }
  const BehaviourOptions& options() const noexcept { return o_; }
  double lastTime() const noexcept { return lastT_; }

 private:
  // Takes t as the clock's time, or keeps the first refusal for the drain (one copy: every observation calls it).
  bool accept(double t, const char* path) noexcept;
  bool recording() const noexcept { return o_.record && recorded_.size() < 20000; }
  void record(nlohmann::json event);
  void ensureStarted(double t, bool hidden);
  void onExit(double t);
  RiskScore currentRisk(double t) const;
  void updateRisk(double t, bool allowNudge);
  void decideNudge(double t, ExitReason trigger, const RiskScore& risk);
  double epochAt(double t) const noexcept { return epochBase_ + (t - tBase_); }
  PageType pageType() const noexcept;
  void emit(nlohmann::json output) { outputs_.push_back(std::move(output)); }

  BehaviourOptions o_;
  DwellTracker dwell_;
  ExitIntentClassifier exit_;
  NudgePlanner planner_;
  bool started_ = false;
  double lastT_ = 0;
  double epochBase_ = 0, tBase_ = 0;
  std::vector<nlohmann::json> outputs_;
  std::optional<Error> clockError_;
  nlohmann::json recorded_ = nlohmann::json::array();
  // hesitation
  std::int64_t cartCount_ = 0, cartValue_ = 0;
  std::uint32_t cartViews_ = 0, removals_ = 0;
  bool couponFocus_ = false;
  double costPreviewAt_ = -1;
  bool costPreviewIdle_ = false;
  double longestAwayMs_ = 0;
  double hiddenSince_ = -1;
  std::size_t exitPage_ = SIZE_MAX;  // page index of the last exit intent
  bool exitEarlier_ = false;
  double progressMark_ = 0;          // page active ms at the last progress on this page
  std::size_t progressPage_ = 0;
  double lastRiskScore_ = 0;
  double lastRiskCheck_ = 0;
  int lastRiskTop_ = -1;
  double lastRiskNudgeScore_ = 0;
  std::string lastSuppressionReported_;
};

}  // namespace cartkeep
