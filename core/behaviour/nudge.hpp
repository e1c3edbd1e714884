#pragma once
// The nudge playbook and its frequency caps.
//
// A playbook is an ordered list of rules; on an exit intent (or a risk threshold) the first rule whose
// conditions hold and whose caps allow wins. Caps: per rule and across all nudges, per session and per
// rolling window of N days; never after a conversion (that session, and for quietDaysAfterConversion);
// a minimum gap between two nudges. A deterministic share of visitors (the holdout, by a hash of the
// visitor id) never sees a nudge, so the merchant can measure uplift; their decisions are reported as
// held out. The coupon offer is for a share of visits only (visitShare), so shoppers are not trained to
// abandon for a discount.
//
// The counters live in the core and are persisted by JS (localStorage) as the JSON of capState().
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "behaviour/dwell.hpp"
#include "cartkeep/error.hpp"
#include "behaviour/exit_intent.hpp"
#include "behaviour/risk.hpp"

namespace cartkeep {

enum class OfferType : std::uint8_t { Reassurance, Save, Coupon, Help };
const char* offerTypeId(OfferType type) noexcept;

struct NudgeRule {
  std::string id;
  OfferType type = OfferType::Reassurance;
  std::vector<ExitReason> triggers;  // exit-intent reasons that may show it (empty: all)
  bool onRisk = false;               // also when the risk score reaches minRisk without an exit intent
  double minRisk = 0;
  std::vector<RiskSignal> reasons;   // one of these must be among the risk reasons (empty: any)
  std::int64_t minCartValue = 0;     // subtotal in minor units
  std::int64_t minItems = 1;
  std::vector<PageType> pages;       // empty: any page
  double visitShare = 1;             // share of visits on which the rule may run
  std::int64_t maxPerSession = 1;
  std::int64_t maxPerWindow = 0;     // 0: no window cap for this rule
  double windowDays = 7;
  nlohmann::json offer;              // the normalised offer, for the dialog
};

struct NudgeOptions {
  bool enabled = true;
  double holdout = 0;                // share of visitors who never see a nudge
  std::string salt = "cartkeep";
  std::int64_t maxPerSession = 1;    // across all rules
  std::int64_t maxPerWindow = 3;
  double windowDays = 7;
  double minGapMs = 60000;           // between two nudges in a session
  double quietDaysAfterConversion = 30;
  std::vector<NudgeRule> playbook;
};

struct NudgeContext {
  double t = 0;                 // monotonic ms
  double epochMs = 0;           // wall clock for the day windows
  ExitReason trigger = ExitReason::None;  // None: a risk trigger
  const RiskScore* risk = nullptr;
  std::int64_t cartCount = 0;
  std::int64_t cartValue = 0;
  PageType page = PageType::Other;
};

struct NudgeDecision {
  const NudgeRule* rule = nullptr;  // null: nothing to show
  bool heldOut = false;
  std::string skipped;              // why no rule ran ("session-cap", "no-rule", "converted", ...)
  std::string id;                   // unique per decision ("coupon-3")
};

// FNV-1a, 32 bits, as a share in [0, 1): the same in every runtime.
double stableShare(std::string_view text) noexcept;

class NudgePlanner {
 public:
  explicit NudgePlanner(NudgeOptions options = {}) : o_(std::move(options)) {}

  // The persisted counters ({v, visitor, session, visits, convertedAt, shown[[rule, epochMs]], session*})
  // with this page's visitor and session ids; a new session id starts a new visit.
  Status restore(const nlohmann::json* stored, std::string_view visitor, std::string_view session, double epochMs);
  nlohmann::json capState() const;

  NudgeDecision decide(const NudgeContext& context);
  void converted(double epochMs);
  bool hasConverted() const noexcept { return convertedThisSession_; }
  void outcome(std::string_view id, bool accepted);

  bool heldOut() const noexcept { return heldOut_; }
  const NudgeOptions& options() const noexcept { return o_; }
  nlohmann::json stats() const;

 private:
  std::int64_t shownInWindow(std::string_view rule, double epochMs, double days) const;
  std::int64_t shownInSession(std::string_view rule) const;

  NudgeOptions o_;
  std::string visitor_ = "anonymous";
  std::string session_;
  std::int64_t visits_ = 1;
  double convertedAt_ = -1;  // epoch ms
  bool convertedThisSession_ = false;
  bool heldOut_ = false;
  std::vector<std::pair<std::string, double>> shown_;         // rule id, epoch ms (all sessions, in window)
  std::vector<std::pair<std::string, std::int64_t>> sessionShown_;
  double lastShownT_ = -1e300;
  std::int64_t decisions_ = 0, accepted_ = 0, dismissed_ = 0, heldOutCount_ = 0;
};

}  // namespace cartkeep
