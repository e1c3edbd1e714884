#include "suggest/session_profile.hpp"

#include <algorithm>

#include "base/json_fields.hpp"
#include "base/json_build.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

SessionProfile::SessionProfile(std::size_t maxViews, std::size_t maxPurchases, std::size_t maxCartAdds)
    : maxViews_(std::clamp<std::size_t>(maxViews, 1, kMaxEvents)),
      maxPurchases_(std::clamp<std::size_t>(maxPurchases, 1, kMaxEvents)),
      maxCartAdds_(std::clamp<std::size_t>(maxCartAdds, 1, kMaxEvents)) {}

void SessionProfile::push(std::vector<ProfileEvent>& events, ProfileEvent event, std::size_t limit) {
  // Keep time order even when a late event arrives (another tab's clock, a restored profile).
  auto at = std::upper_bound(events.begin(), events.end(), event.at,
                             [](std::int64_t t, const ProfileEvent& e) { return t < e.at; });
  events.insert(at, std::move(event));
  if (events.size() > limit) events.erase(events.begin(), events.begin() + static_cast<std::ptrdiff_t>(events.size() - limit));
}

void SessionProfile::recordView(std::string_view productId, std::int64_t at, std::int64_t dwellMs) {
  dwellMs = std::clamp<std::int64_t>(dwellMs, 0, kMaxDwellMs);
  ++revision_;
  for (auto it = views_.rbegin(); it != views_.rend(); ++it) {
    if (at - it->at > kRevisitMs) break;
    if (it->productId == productId && at >= it->at) {
      it->dwellMs = std::min(kMaxDwellMs, it->dwellMs + dwellMs);
      return;
    }
  }
  push(views_, ProfileEvent{std::string(productId), at, dwellMs}, maxViews_);
}

void SessionProfile::recordCartAdd(std::string_view productId, std::int64_t at) {
  ++revision_;
  cartAdds_.erase(std::remove_if(cartAdds_.begin(), cartAdds_.end(), [&](const ProfileEvent& e) { return e.productId == productId; }),
                  cartAdds_.end());
  push(cartAdds_, ProfileEvent{std::string(productId), at, 0}, maxCartAdds_);
}

void SessionProfile::recordPurchase(std::string_view productId, std::int64_t at) {
  ++revision_;
  purchases_.erase(std::remove_if(purchases_.begin(), purchases_.end(), [&](const ProfileEvent& e) { return e.productId == productId; }),
                   purchases_.end());
  push(purchases_, ProfileEvent{std::string(productId), at, 0}, maxPurchases_);
}

void SessionProfile::clear() {
  ++revision_;
  views_.clear();
  cartAdds_.clear();
  purchases_.clear();
}

json SessionProfile::toJson() const {
  json views = json::array(), cartAdds = json::array(), purchases = json::array();
  for (const auto& e : views_) views.push_back(json::array({e.productId, e.at, e.dwellMs}));
  for (const auto& e : cartAdds_) cartAdds.push_back(json::array({e.productId, e.at}));
  for (const auto& e : purchases_) purchases.push_back(json::array({e.productId, e.at}));
  return jsonObject({{"format", kFormat}, {"views", std::move(views)}, {"cartAdds", std::move(cartAdds)}, {"purchases", std::move(purchases)}});
}

namespace {

constexpr ErrorCode kSessionProfileCode = ErrorCode::InvalidArgument;
constexpr std::int64_t kSessionProfileMaxTime = 8640000000000000;  // the largest JS Date

Result<ProfileEvent> readEvent(const json& value, const std::string& at, bool withDwell) {
  const std::size_t size = withDwell ? 3 : 2;
  if (!value.is_array() || value.size() != size)
    return jf::invalid(kSessionProfileCode, at, std::string("expected [productId, time") + (withDwell ? ", dwellMs]" : "]") + ", " +
                                      jf::describeValue(value));
  ProfileEvent event;
  if (!value[0].is_string() || value[0].get_ref<const std::string&>().empty() || value[0].get_ref<const std::string&>().size() > 64)
    return jf::invalid(kSessionProfileCode, jf::element(at, 0), "expected a product id, " + jf::describeValue(value[0]));
  event.productId = value[0].get<std::string>();
  auto integer = [&](std::size_t i, std::int64_t max, std::int64_t* out) -> Status {
    const json& v = value[i];
    if (v.is_number_unsigned() || v.is_number_integer()) {
      const std::int64_t n = v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)
                                 ? INT64_MAX
                                 : v.get<std::int64_t>();
      if (n >= 0 && n <= max) {
        *out = n;
        return success();
      }
    }
    return jf::invalid(kSessionProfileCode, jf::element(at, i), "expected an integer from 0 to " + std::to_string(max) + ", " + jf::describeValue(v));
  };
  CARTKEEP_TRY(integer(1, kSessionProfileMaxTime, &event.at));
  if (withDwell) CARTKEEP_TRY(integer(2, SessionProfile::kMaxDwellMs, &event.dwellMs));
  return event;
}

}  // namespace

Result<SessionProfile> SessionProfile::fromJson(const json& value, const std::string& path, std::size_t maxViews,
                                                std::size_t maxPurchases, std::size_t maxCartAdds) {
  CARTKEEP_TRY(jf::expectObject(value, path, kSessionProfileCode));
  CARTKEEP_TRY(jf::rejectUnknownKeys(value, path, kSessionProfileCode, {"format", "views", "cartAdds", "purchases"}));
  CARTKEEP_TRY_ASSIGN(std::int64_t format, jf::readInteger(value, "format", path, kSessionProfileCode, {true, 1, 1000}));
  if (format != kFormat)
    return jf::invalid(kSessionProfileCode, jf::child(path, "format"), "format " + std::to_string(format) + " is not " + std::to_string(kFormat));
  SessionProfile profile(maxViews, maxPurchases, maxCartAdds);
  struct Kind {
    const char* key;
    bool dwell;
    std::vector<ProfileEvent>* out;
    std::size_t limit;
  };
  for (const Kind& kind : {Kind{"views", true, &profile.views_, profile.maxViews_},
                           Kind{"cartAdds", false, &profile.cartAdds_, profile.maxCartAdds_},
                           Kind{"purchases", false, &profile.purchases_, profile.maxPurchases_}}) {
    auto found = value.find(kind.key);
    if (found == value.end() || found->is_null()) continue;
    const std::string at = jf::child(path, kind.key);
    CARTKEEP_TRY(jf::expectArray(*found, at, kSessionProfileCode));
    if (found->size() > kMaxEvents)
      return jf::invalid(kSessionProfileCode, at, "more than " + std::to_string(kMaxEvents) + " events");
    for (std::size_t i = 0; i < found->size(); ++i) {
      CARTKEEP_TRY_ASSIGN(ProfileEvent event, readEvent((*found)[i], jf::element(at, i), kind.dwell));
      push(*kind.out, std::move(event), kind.limit);
    }
  }
  return profile;
}

}  // namespace cartkeep
