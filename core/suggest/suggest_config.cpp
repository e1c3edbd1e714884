// options.suggestions: validation with the option path in every error, and the normalised copy JS reads.
#include <algorithm>
#include <cmath>

#include "base/json_fields.hpp"
#include "suggest/suggest.hpp"
#include "base/json_build.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {

constexpr ErrorCode kSuggestConfigCode = ErrorCode::InvalidOptions;
const std::string kSuggestConfigPath = "options.suggestions";
constexpr std::int64_t kHour = 3600LL * 1000;
constexpr std::int64_t kDay = 24 * kHour;

const char* const kPlacementIds[] = {"bought-together", "complete-order", "free-shipping", "picked-for-you", "recently-viewed"};

std::string placementList() {
  std::string out;
  for (const char* id : kPlacementIds) out += std::string(out.empty() ? "" : ", ") + "\"" + id + "\"";
  return out;
}

Result<std::optional<Placement>> readPlacement(const json& object, const std::string& path, bool required) {
  CARTKEEP_TRY_ASSIGN(std::string id, jf::readString(object, "placement", path, kSuggestConfigCode, {required, 0, 64}));
  if (id.empty() && !required) return std::optional<Placement>{};
  auto placement = placementFromId(id);
  if (!placement)
    return jf::invalid(kSuggestConfigCode, jf::child(path, "placement"),
                       "unknown placement " + json(id).dump() + " (expected one of " + placementList() + ")");
  return std::optional<Placement>(placement);
}

Result<std::vector<SuggestPin>> readPins(const json& root) {
  std::vector<SuggestPin> pins;
  auto found = root.find("pins");
  if (found == root.end() || found->is_null()) return pins;
  const std::string at = jf::child(kSuggestConfigPath, "pins");
  CARTKEEP_TRY(jf::expectArray(*found, at, kSuggestConfigCode));
  if (found->size() > 100) return jf::invalid(kSuggestConfigCode, at, "more than 100 pins");
  for (std::size_t i = 0; i < found->size(); ++i) {
    const json& item = (*found)[i];
    const std::string path = jf::element(at, i);
    CARTKEEP_TRY(jf::expectObject(item, path, kSuggestConfigCode));
    CARTKEEP_TRY(jf::rejectUnknownKeys(item, path, kSuggestConfigCode, {"productId", "placement", "position"}));
    SuggestPin pin;
    CARTKEEP_TRY_ASSIGN(pin.productId, jf::readString(item, "productId", path, kSuggestConfigCode, {true, 1, 64}));
    CARTKEEP_TRY_ASSIGN(pin.placement, readPlacement(item, path, false));
    CARTKEEP_TRY_ASSIGN(std::int64_t position, jf::readInteger(item, "position", path, kSuggestConfigCode, {false, 1, 50}, 1));
    pin.position = static_cast<std::size_t>(position);
    pins.push_back(std::move(pin));
  }
  return pins;
}

Result<std::vector<SuggestBoost>> readBoosts(const json& root) {
  std::vector<SuggestBoost> boosts;
  auto found = root.find("boosts");
  if (found == root.end() || found->is_null()) return boosts;
  const std::string at = jf::child(kSuggestConfigPath, "boosts");
  CARTKEEP_TRY(jf::expectArray(*found, at, kSuggestConfigCode));
  if (found->size() > 200) return jf::invalid(kSuggestConfigCode, at, "more than 200 boosts");
  for (std::size_t i = 0; i < found->size(); ++i) {
    const json& item = (*found)[i];
    const std::string path = jf::element(at, i);
    CARTKEEP_TRY(jf::expectObject(item, path, kSuggestConfigCode));
    CARTKEEP_TRY(jf::rejectUnknownKeys(item, path, kSuggestConfigCode, {"productId", "category", "tag", "brand", "factor"}));
    SuggestBoost boost;
    int fields = 0;
    const std::pair<const char*, SuggestBoost::Field> kinds[] = {{"productId", SuggestBoost::Field::Product},
                                                                 {"category", SuggestBoost::Field::Category},
                                                                 {"tag", SuggestBoost::Field::Tag},
                                                                 {"brand", SuggestBoost::Field::Brand}};
    for (const auto& [key, field] : kinds) {
      if (!item.contains(key)) continue;
      ++fields;
      CARTKEEP_TRY_ASSIGN(boost.value, jf::readString(item, key, path, kSuggestConfigCode, {true, 1, 200}));
      boost.field = field;
    }
    if (fields != 1)
      return jf::invalid(kSuggestConfigCode, path, "expected exactly one of productId, category, tag or brand, got " + std::to_string(fields));
    CARTKEEP_TRY_ASSIGN(boost.factor, jf::readNumber(item, "factor", path, kSuggestConfigCode, 0, 100, 1));
    if (!item.contains("factor")) return jf::invalid(kSuggestConfigCode, jf::child(path, "factor"), "required: 0 hides, 1 is neutral, 2 doubles");
    boosts.push_back(std::move(boost));
  }
  return boosts;
}

}  // namespace

const char* placementId(Placement placement) noexcept { return kPlacementIds[static_cast<int>(placement)]; }

std::optional<Placement> placementFromId(std::string_view id) noexcept {
  for (int i = 0; i < 5; ++i)
    if (id == kPlacementIds[i]) return static_cast<Placement>(i);
  return std::nullopt;
}

Result<SuggestConfig> parseSuggestConfig(const json& options) {
  jf::Fields fields(kSuggestConfigCode);
  SuggestConfig config;
  auto found = options.find("suggestions");
  if (found == options.end() || found->is_null()) return config;
  const json& root = *found;
  CARTKEEP_TRY(jf::expectObject(root, kSuggestConfigPath, kSuggestConfigCode));
  CARTKEEP_TRY(jf::rejectUnknownKeys(
      root, kSuggestConfigPath, kSuggestConfigCode,
      {"index", "catalogVersion", "minCoverage", "limit", "weights", "diversity", "viewHalfLifeHours", "purchaseHalfLifeDays",
       "hideBoughtForDays", "freeShipping", "popular", "pins", "boosts", "rememberProfile", "storageKey", "maxViews",
       "maxPurchases"}));
  std::int64_t coverage{};
  fields.string(root, "index", kSuggestConfigPath, config.index, {false, 0, 2048});
  fields.string(root, "catalogVersion", kSuggestConfigPath, config.catalogVersion, {false, 0, 200});
  fields.integer(root, "minCoverage", kSuggestConfigPath, coverage, {false, 0, 100}, 50);
  CARTKEEP_TRY(fields.status());
  config.minCoveragePercent = static_cast<int>(coverage);
  CARTKEEP_TRY_ASSIGN(std::int64_t limit, jf::readInteger(root, "limit", kSuggestConfigPath, kSuggestConfigCode, {false, 1, 50}, 8));
  config.limit = static_cast<int>(limit);
  if (auto weights = root.find("weights"); weights != root.end() && !weights->is_null()) {
    const std::string at = jf::child(kSuggestConfigPath, "weights");
    CARTKEEP_TRY(jf::expectObject(*weights, at, kSuggestConfigCode));
    CARTKEEP_TRY(jf::rejectUnknownKeys(*weights, at, kSuggestConfigCode, {"neighbours", "viewedTogether", "viewedNext", "content", "popularity"}));
    fields.number(*weights, "neighbours", at, config.neighboursWeight, 0, 1000, config.neighboursWeight);
    fields.number(*weights, "viewedTogether", at, config.viewedTogetherWeight, 0, 1000, config.viewedTogetherWeight);
    fields.number(*weights, "viewedNext", at, config.viewedNextWeight, 0, 1000, config.viewedNextWeight);
    fields.number(*weights, "content", at, config.contentWeight, 0, 1000, config.contentWeight);
    fields.number(*weights, "popularity", at, config.popularityWeight, 0, 1000, config.popularityWeight);
    CARTKEEP_TRY(fields.status());
  }
  std::int64_t viewHours{};
  fields.number(root, "diversity", kSuggestConfigPath, config.diversity, 0, 1, config.diversity);
  fields.integer(root, "viewHalfLifeHours", kSuggestConfigPath, viewHours, {false, 1, 87600}, 72);
  CARTKEEP_TRY(fields.status());
  config.viewHalfLifeMs = viewHours * kHour;
  CARTKEEP_TRY_ASSIGN(std::int64_t purchaseDays, jf::readInteger(root, "purchaseHalfLifeDays", kSuggestConfigPath, kSuggestConfigCode, {false, 1, 3650}, 90));
  config.purchaseHalfLifeMs = purchaseDays * kDay;
  CARTKEEP_TRY_ASSIGN(std::int64_t hideDays, jf::readInteger(root, "hideBoughtForDays", kSuggestConfigPath, kSuggestConfigCode, {false, 0, 3650}, 365));
  config.hideBoughtMs = hideDays * kDay;
  if (auto shipping = root.find("freeShipping"); shipping != root.end() && !shipping->is_null()) {
    const std::string at = jf::child(kSuggestConfigPath, "freeShipping");
    CARTKEEP_TRY(jf::expectObject(*shipping, at, kSuggestConfigCode));
    CARTKEEP_TRY(jf::rejectUnknownKeys(*shipping, at, kSuggestConfigCode, {"maxOvershootPercent"}));
    CARTKEEP_TRY_ASSIGN(std::int64_t overshoot, jf::readInteger(*shipping, "maxOvershootPercent", at, kSuggestConfigCode, {false, 0, 10000}, 100));
    config.maxOvershootPercent = static_cast<int>(overshoot);
  }
  CARTKEEP_TRY_ASSIGN(config.popular, jf::readStringArray(root, "popular", kSuggestConfigPath, kSuggestConfigCode, 1000, 64));
  CARTKEEP_TRY_ASSIGN(config.pins, readPins(root));
  CARTKEEP_TRY_ASSIGN(config.boosts, readBoosts(root));
  CARTKEEP_TRY_ASSIGN(config.rememberProfile, jf::readBool(root, "rememberProfile", kSuggestConfigPath, kSuggestConfigCode, true));
  CARTKEEP_TRY_ASSIGN(config.storageKey,
                      jf::readString(root, "storageKey", kSuggestConfigPath, kSuggestConfigCode, {false, 1, 200}, "cartkeep:suggest-profile"));
  CARTKEEP_TRY_ASSIGN(std::int64_t maxViews, jf::readInteger(root, "maxViews", kSuggestConfigPath, kSuggestConfigCode, {false, 1, 1000}, 50));
  config.maxViews = static_cast<std::size_t>(maxViews);
  CARTKEEP_TRY_ASSIGN(std::int64_t maxPurchases, jf::readInteger(root, "maxPurchases", kSuggestConfigPath, kSuggestConfigCode, {false, 1, 1000}, 200));
  config.maxPurchases = static_cast<std::size_t>(maxPurchases);
  return config;
}

json toJson(const SuggestConfig& c) {
  json pins = json::array(), boosts = json::array();
  for (const auto& pin : c.pins) {
    json p = jsonObject({{"productId", pin.productId}, {"position", pin.position}});
    p["placement"] = pin.placement ? json(placementId(*pin.placement)) : json(nullptr);
    pins.push_back(std::move(p));
  }
  for (const auto& boost : c.boosts) {
    static const char* kFields[] = {"productId", "category", "tag", "brand"};
    boosts.push_back({{kFields[static_cast<int>(boost.field)], boost.value}, {"factor", boost.factor}});
  }
  return jsonObject({{"index", c.index},
              {"catalogVersion", c.catalogVersion},
              {"minCoverage", c.minCoveragePercent},
              {"limit", c.limit},
              {"weights", jsonObject({{"neighbours", c.neighboursWeight}, {"viewedTogether", c.viewedTogetherWeight},
                           {"viewedNext", c.viewedNextWeight},
                           {"content", c.contentWeight}, {"popularity", c.popularityWeight}})},
              {"diversity", c.diversity},
              {"viewHalfLifeHours", c.viewHalfLifeMs / kHour},
              {"purchaseHalfLifeDays", c.purchaseHalfLifeMs / kDay},
              {"hideBoughtForDays", c.hideBoughtMs / kDay},
              {"freeShipping", jsonObject({{"maxOvershootPercent", c.maxOvershootPercent}})},
              {"popular", c.popular},
              {"pins", std::move(pins)},
              {"boosts", std::move(boosts)},
              {"rememberProfile", c.rememberProfile},
              {"storageKey", c.storageKey},
              {"maxViews", c.maxViews},
              {"maxPurchases", c.maxPurchases},
              {"placements", {"bought-together", "complete-order", "free-shipping", "picked-for-you", "recently-viewed"}}});
}

}  // namespace cartkeep
