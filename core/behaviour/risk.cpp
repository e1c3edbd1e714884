#include "behaviour/risk.hpp"

#include <algorithm>

namespace cartkeep {

namespace {
constexpr const char* kIds[kRiskSignalCount] = {"exitIntent",    "cartDwell",       "repeatCartViews", "itemRemovals",
                                                "couponHunting", "costPreviewIdle", "tabAway"};

double clamp01(double value) { return value < 0 ? 0 : value > 1 ? 1 : value; }
}  // namespace

const char* riskSignalId(RiskSignal signal) noexcept { return kIds[static_cast<std::size_t>(signal)]; }

bool parseRiskSignal(std::string_view id, RiskSignal& out) noexcept {
  for (std::size_t i = 0; i < kRiskSignalCount; ++i)
    if (id == kIds[i]) return out = static_cast<RiskSignal>(i), true;
  return false;
}

RiskScore scoreRisk(const RiskOptions& options, const RiskInputs& in) noexcept {
  RiskScore result;
  if (in.cartEmpty || in.converted) return result;
  std::array<double, kRiskSignalCount> strength{};
  strength[0] = clamp01(in.exitIntent);
  strength[1] = options.cartDwellMs > 0 ? clamp01(in.cartDwellMs / options.cartDwellMs) : 0;
  strength[2] = options.repeatCartViews > 1 && in.cartViews > 1
                    ? clamp01((in.cartViews - 1.0) / (options.repeatCartViews - 1.0))
                    : 0;
  strength[3] = options.itemRemovals > 0 ? clamp01(in.removals / options.itemRemovals) : 0;
  strength[4] = in.couponFocus ? 1 : 0;
  strength[5] = in.costPreviewIdle ? 1 : 0;
  strength[6] = options.tabAwayMs > 0 ? clamp01(in.longestAwayMs / options.tabAwayMs) : 0;
  double keep = 1;
  for (std::size_t i = 0; i < kRiskSignalCount; ++i) {
    const double contribution = clamp01(options.weights[i]) * strength[i];
    keep *= 1 - contribution;
    if (contribution > 0)
      result.reasons[result.reasonCount++] = RiskReason{static_cast<RiskSignal>(i), strength[i], contribution};
  }
  result.score = clamp01(1 - keep);
  // Largest contribution first, ties in signal order: an insertion sort of at most 7 items, in place
  // (std::stable_sort asks for a temporary buffer: an allocation on every timer tick).
  for (std::size_t i = 1; i < result.reasonCount; ++i) {
    const RiskReason item = result.reasons[i];
    std::size_t j = i;
    for (; j > 0 && result.reasons[j - 1].contribution < item.contribution; --j) result.reasons[j] = result.reasons[j - 1];
    result.reasons[j] = item;
  }
  return result;
}

}  // namespace cartkeep
