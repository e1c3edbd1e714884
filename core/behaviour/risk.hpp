#pragma once
// Hesitation signals and the abandonment-risk score.
//
// Each signal has a strength in [0, 1] and a merchant weight in [0, 1]; the score is the noisy-OR
// 1 - prod(1 - weight * strength): 0 with no signal, never above 1, and each signal can push it up only
// as far as its weight says. An empty cart or a completed order has nothing to abandon: score 0.
// Reasons are the signals ordered by contribution (weight * strength), largest first.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cartkeep {

enum class RiskSignal : std::uint8_t {
  ExitIntent,       // an exit intent on this page (half as strong once the shopper moved on)
  CartDwell,        // active time on cart or checkout without progress, against cartDwellMs
  RepeatCartViews,  // cart views beyond the first this session
  ItemRemovals,     // items taken out of the cart
  CouponHunting,    // focus in a coupon or promo field
  CostPreviewIdle,  // the cost preview was seen, then nothing happened for costPreviewIdleMs
  TabAway,          // the longest time away (another tab or app) with a full cart, against tabAwayMs
};
constexpr std::size_t kRiskSignalCount = 7;
const char* riskSignalId(RiskSignal signal) noexcept;
bool parseRiskSignal(std::string_view id, RiskSignal& out) noexcept;

struct RiskOptions {
  std::array<double, kRiskSignalCount> weights{0.6, 0.35, 0.25, 0.3, 0.3, 0.4, 0.3};
  double cartDwellMs = 90000;
  double repeatCartViews = 3;  // this many views in a session is the full signal
  double itemRemovals = 2;     // this many removals is the full signal
  double costPreviewIdleMs = 20000;
  double tabAwayMs = 60000;
  double step = 0.05;          // a `risk` event when the score moves at least this much (or the top reason changes)
};

struct RiskInputs {
  bool cartEmpty = true;
  bool converted = false;
  double exitIntent = 0;
  double cartDwellMs = 0;
  std::uint32_t cartViews = 0;
  std::uint32_t removals = 0;
  bool couponFocus = false;
  bool costPreviewIdle = false;
  double longestAwayMs = 0;
};

struct RiskReason {
  RiskSignal signal;
  double strength;
  double contribution;
};

struct RiskScore {
  double score = 0;
  std::array<RiskReason, kRiskSignalCount> reasons{};  // by contribution, largest first
  std::size_t reasonCount = 0;                         // those with a contribution above 0
};

RiskScore scoreRisk(const RiskOptions& options, const RiskInputs& inputs) noexcept;

}  // namespace cartkeep
