#pragma once
// What the shopper did on this device: product views with dwell time, products added to the cart and
// past purchases, each with a time. It never leaves the browser: JS keeps it in localStorage.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"

namespace cartkeep {

struct ProfileEvent {
  std::string productId;
  std::int64_t at = 0;       // Unix milliseconds
  std::int64_t dwellMs = 0;  // views only: how long the product stayed in view
};

class SessionProfile {
 public:
  static constexpr int kFormat = 1;
  static constexpr std::size_t kMaxEvents = 1000;        // per kind, the most recent kept
  static constexpr std::int64_t kRevisitMs = 30 * 60 * 1000;  // a view within 30 min of the last one extends it
  static constexpr std::int64_t kMaxDwellMs = 24LL * 3600 * 1000;

  explicit SessionProfile(std::size_t maxViews = 50, std::size_t maxPurchases = 200, std::size_t maxCartAdds = 50);

  // The most recent view of the same product within kRevisitMs is extended (dwell added), not repeated.
  void recordView(std::string_view productId, std::int64_t at, std::int64_t dwellMs);
  void recordCartAdd(std::string_view productId, std::int64_t at);
  void recordPurchase(std::string_view productId, std::int64_t at);
  void clear();

  // Weight of a viewed product by its place in the session's order: the most recent distinct product
  // (stepsBack 0) counts 1, the one before it 1/2, then 1/3... (the distance weighting of sequential rules).
  static double positionWeight(std::size_t stepsBack) noexcept { return 1.0 / (1.0 + static_cast<double>(stepsBack)); }

  // Oldest first.
  const std::vector<ProfileEvent>& views() const noexcept { return views_; }
  const std::vector<ProfileEvent>& cartAdds() const noexcept { return cartAdds_; }
  const std::vector<ProfileEvent>& purchases() const noexcept { return purchases_; }
  std::uint64_t revision() const noexcept { return revision_; }
  bool empty() const noexcept { return views_.empty() && cartAdds_.empty() && purchases_.empty(); }

  // {format: 1, views: [[id, at, dwellMs], ...], cartAdds: [[id, at], ...], purchases: [[id, at], ...]}
  nlohmann::json toJson() const;
  // Restores a stored profile (untrusted: storage can be edited); errors name the path.
  static Result<SessionProfile> fromJson(const nlohmann::json& value, const std::string& path, std::size_t maxViews = 50,
                                         std::size_t maxPurchases = 200, std::size_t maxCartAdds = 50);

 private:
  static void push(std::vector<ProfileEvent>& events, ProfileEvent event, std::size_t limit);

  std::size_t maxViews_, maxPurchases_, maxCartAdds_;
  std::vector<ProfileEvent> views_;
  std::vector<ProfileEvent> cartAdds_;
  std::vector<ProfileEvent> purchases_;
  std::uint64_t revision_ = 0;
};

}  // namespace cartkeep
