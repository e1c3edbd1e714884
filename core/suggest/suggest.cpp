// Placements, rules and reasons on top of the scoring model; the shopper's profile; the index status.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "base/json_fields.hpp"
#include "suggest/suggest.hpp"
#include "base/json_build.hpp"
#include "base/stable_sort.hpp"
#include "base/time_input.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {

constexpr ErrorCode kSuggestArg = ErrorCode::InvalidArgument;
constexpr double kMinLikeness = 0.3;                  // content similarity a "similar to" reason needs

std::uint32_t positionOf(const Catalog& catalog, const Product* product) {
  return static_cast<std::uint32_t>(product - catalog.products().data());
}

// 0.5^(age / halfLife); the future counts as now.
double decay(std::int64_t age, std::int64_t halfLife) {
  if (age <= 0) return 1.0;
  return std::exp2(-static_cast<double>(age) / static_cast<double>(halfLife));
}

// A glance (0 s) counts a quarter of a considered look (30 s or more).
double dwellFactor(std::int64_t dwellMs) {
  const double seconds = static_cast<double>(std::min<std::int64_t>(std::max<std::int64_t>(dwellMs, 0), 30000));
  return 0.25 + 0.75 * (seconds / 30000.0);
}

int kindRank(AnchorKind kind) {
  switch (kind) {
    case AnchorKind::Product: return 5;
    case AnchorKind::Cart: return 4;
    case AnchorKind::View: return 3;
    case AnchorKind::CartAdd: return 2;
    case AnchorKind::Purchase: return 1;
  }
  return 0;
}

std::string fillTitle(std::string text, const std::string& title) {
  static const std::string kKey = "{title}";
  for (auto at = text.find(kKey); at != std::string::npos; at = text.find(kKey, at + title.size())) text.replace(at, kKey.size(), title);
  return text;
}

std::string stringFor(const Options& options, const std::string& key) {
  auto found = options.strings.find(key);
  return found == options.strings.end() ? std::string() : found->second;
}

std::int64_t latestEvent(const SessionProfile& profile) {
  std::int64_t latest = 0;
  for (const auto* events : {&profile.views(), &profile.cartAdds(), &profile.purchases()})
    if (!events->empty()) latest = std::max(latest, events->back().at);
  return latest;
}

}  // namespace

Result<Suggestions> Suggestions::create(const json& options, const Catalog& catalog, ScoringParams params) {
  CARTKEEP_TRY_ASSIGN(SuggestConfig config, parseSuggestConfig(options));
  Suggestions s;
  s.config_ = std::move(config);
  s.model_ = SuggestModel::build(catalog, s.config_, params);
  s.profile_ = SessionProfile(s.config_.maxViews, s.config_.maxPurchases);
  const auto& products = catalog.products();
  s.outOfStock_.resize(products.size());
  for (std::size_t p = 0; p < products.size(); ++p) s.outOfStock_[p] = products[p].stock && *products[p].stock == 0 ? 1 : 0;
  s.excluded_.assign(products.size(), 0);
  // Ids the catalog lacks are ignored, not fatal: catalogs change daily, options less often.
  auto unknown = [&](const std::string& id, const std::string& path) {
    if (!catalog.find(id))
      s.issues_.push_back(jsonObject({{"code", "unknown-product"}, {"path", path},
                           {"message", "unknown product " + json(id).dump() + ": ignored"}}));
  };
  const std::string base = "options.suggestions";
  for (std::size_t i = 0; i < s.config_.pins.size(); ++i)
    unknown(s.config_.pins[i].productId, jf::child(jf::element(jf::child(base, "pins"), i), "productId"));
  for (std::size_t i = 0; i < s.config_.boosts.size(); ++i)
    if (s.config_.boosts[i].field == SuggestBoost::Field::Product)
      unknown(s.config_.boosts[i].value, jf::child(jf::element(jf::child(base, "boosts"), i), "productId"));
  for (std::size_t i = 0; i < s.config_.popular.size(); ++i)
    unknown(s.config_.popular[i], jf::element(jf::child(base, "popular"), i));
  return s;
}

Result<json> Suggestions::loadIndex(std::string_view bytes, const Catalog& catalog) {
  const std::string path = "suggestions.index";
  auto parsed = ItemIndex::parse(bytes, path);
  if (!parsed) {
    indexError_ = parsed.error();
    return parsed.error();
  }
  auto attached = model_.attachIndex(std::move(parsed).value(), catalog, config_, path);
  if (!attached) {
    indexError_ = attached.error();
    return attached.error();
  }
  indexError_.reset();
  return status();
}

json Suggestions::status() const {
  json out = jsonObject({{"source", model_.hasIndex() ? "index" : "popularity"},
              {"index", nullptr},
              {"error", nullptr},
              {"issues", issues_},
              {"profile", jsonObject({{"views", profile_.views().size()},
                           {"cartAdds", profile_.cartAdds().size()},
                           {"purchases", profile_.purchases().size()}})}});
  if (const ItemIndex* index = model_.index()) {
    const auto& m = index->metadata();
    const auto& c = model_.coverage();
    out["index"] = jsonObject({{"items", index->size()},
                    {"matched", c.matched},
                    {"catalog", c.catalog},
                    {"coverage", c.catalog ? static_cast<double>(c.matched) / static_cast<double>(c.catalog) : 0.0},
                    {"catalogVersion", m.catalogVersion},
                    {"source", m.source},
                    {"fingerprint", index_format::hex(m.fingerprint, 16)},
                    {"firstEvent", m.firstEvent},
                    {"lastEvent", m.lastEvent},
                    {"bytes", m.bytes},
                    {"maxNeighbours", m.maxNeighbours}});
  }
  if (indexError_)
    out["error"] = jsonObject({{"code", errorCodeId(indexError_->code)}, {"path", indexError_->path}, {"message", indexError_->describe()}});
  return out;
}

std::vector<Anchor> Suggestions::anchorsFor(Placement placement, std::optional<std::uint32_t> product, const Catalog& catalog,
                                            const std::vector<CartLine>& cart, std::int64_t now) const {
  struct Weights {
    double product, cart, view, cartAdd, purchase;
  };
  const Weights w = placement == Placement::BoughtTogether ? Weights{1.0, 0.15, 0.1, 0.1, 0.05}
                    : placement == Placement::PickedForYou ? Weights{1.0, 1.0, 1.0, 0.6, 0.5}
                                                           : Weights{1.0, 1.0, 0.3, 0.3, 0.2};
  std::vector<Anchor> anchors;
  std::unordered_map<std::uint32_t, std::size_t> at;
  auto add = [&](std::uint32_t p, double weight, AnchorKind kind) {
    if (!(weight > 0)) return;
    auto found = at.find(p);
    if (found == at.end()) {
      at.emplace(p, anchors.size());
      anchors.push_back(Anchor{p, weight, kind});
      return;
    }
    Anchor& a = anchors[found->second];
    a.weight += weight;
    if (kindRank(kind) > kindRank(a.kind)) a.kind = kind;
  };
  auto find = [&](const std::string& id) -> std::optional<std::uint32_t> {
    const Product* p = catalog.find(id);
    if (!p) return std::nullopt;
    return positionOf(catalog, p);
  };
  std::vector<std::uint8_t> inCart;
  if (product) add(*product, w.product, AnchorKind::Product);
  for (const auto& line : cart)
    if (auto p = find(line.productId)) add(*p, w.cart, AnchorKind::Cart);
  // Views: each product's looks add up (a product studied twice counts more), capped at two, then weighed
  // by how far back in the session the product was last seen.
  std::vector<std::pair<std::uint32_t, double>> viewed;
  std::unordered_map<std::uint32_t, std::size_t> viewAt;
  const auto& views = profile_.views();
  for (auto it = views.rbegin(); it != views.rend(); ++it) {
    auto p = find(it->productId);
    if (!p) continue;
    const double v = dwellFactor(it->dwellMs) * decay(now - it->at, config_.viewHalfLifeMs);
    auto found = viewAt.find(*p);
    if (found == viewAt.end()) {
      viewAt.emplace(*p, viewed.size());
      viewed.emplace_back(*p, v);
    } else {
      viewed[found->second].second += v;
    }
  }
  // `viewed` is most recent first: the order of the session weighs on top of time and dwell.
  for (std::size_t rank = 0; rank < viewed.size(); ++rank)
    add(viewed[rank].first, w.view * std::min(2.0, viewed[rank].second) * SessionProfile::positionWeight(rank), AnchorKind::View);
  const auto& adds = profile_.cartAdds();
  for (auto it = adds.rbegin(); it != adds.rend(); ++it) {
    auto p = find(it->productId);
    if (!p) continue;
    const bool stillInCart = std::any_of(cart.begin(), cart.end(), [&](const CartLine& l) { return l.productId == it->productId; });
    if (!stillInCart) add(*p, w.cartAdd * decay(now - it->at, config_.viewHalfLifeMs), AnchorKind::CartAdd);
  }
  const auto& purchases = profile_.purchases();
  for (auto it = purchases.rbegin(); it != purchases.rend(); ++it)
    if (auto p = find(it->productId)) add(*p, w.purchase * decay(now - it->at, config_.purchaseHalfLifeMs), AnchorKind::Purchase);
  stableSort(anchors, [](const Anchor& a, const Anchor& b) { return a.weight > b.weight; });
  if (anchors.size() > kMaxAnchors) anchors.resize(kMaxAnchors);
  return anchors;
}

Status Suggestions::answer(const json& request, const Catalog& catalog, const std::vector<CartLine>& cart,
                                          const Options& options, SuggestAnswer& out) const {
  const std::string path = "request";
  CARTKEEP_TRY(jf::expectObject(request, path, kSuggestArg));
  CARTKEEP_TRY(jf::rejectUnknownKeys(request, path, kSuggestArg, {"placement", "productId", "limit", "gap", "now"}));
  CARTKEEP_TRY_ASSIGN(std::string placementText, jf::readString(request, "placement", path, kSuggestArg, {true, 1, 64}));
  const auto placement = placementFromId(placementText);
  if (!placement)
    return jf::invalid(kSuggestArg, jf::child(path, "placement"),
                       "unknown placement " + json(placementText).dump() +
                           " (expected \"bought-together\", \"complete-order\", \"free-shipping\", \"picked-for-you\" or "
                           "\"recently-viewed\")");
  jf::Fields fields(kSuggestArg);
  std::string productId;
  std::int64_t limit{};
  fields.string(request, "productId", path, productId, {false, 0, 64});
  fields.integer(request, "limit", path, limit, {false, 1, 50}, config_.limit);
  CARTKEEP_TRY(fields.status());
  CARTKEEP_TRY_ASSIGN(std::optional<std::int64_t> gap,
                      jf::readOptionalInteger(request, "gap", path, kSuggestArg,
                                              {false, 0, kMaxJsSafeMinor, "expected a non-negative integer amount in minor units"}));
  CARTKEEP_TRY_ASSIGN(std::optional<std::int64_t> requestedNow,
                      readOptionalTimeMember(request, "now", path, kSuggestArg));
  if (*placement == Placement::BoughtTogether && productId.empty())
    return jf::invalid(kSuggestArg, jf::child(path, "productId"), "required for the bought-together placement");
  if (*placement == Placement::FreeShipping && !gap)
    return jf::invalid(kSuggestArg, jf::child(path, "gap"),
                       "required for the free-shipping placement: the amount (minor units) still missing for free delivery");
  const std::int64_t now = requestedNow ? *requestedNow : latestEvent(profile_);

  json issues = json::array();
  std::optional<std::uint32_t> product;
  if (!productId.empty()) {
    if (const Product* p = catalog.find(productId)) {
      product = positionOf(catalog, p);
    } else {
      issues.push_back(jsonObject({{"code", "unknown-product"}, {"path", jf::child(path, "productId")},
                        {"message", "unknown product " + json(productId).dump() +
                                        ": suggestions use the session and popularity instead"}}));
    }
  }
  const auto& products = catalog.products();
  out = SuggestAnswer();
  out.placement = placementId(*placement);
  out.source = model_.hasIndex() ? "index" : "popularity";
  out.title = stringFor(options, std::string("suggest.title.") + placementId(*placement));
  out.issues = std::move(issues);
  out.gap = gap;
  std::vector<SuggestItem>& items = out.items;
  const auto count = static_cast<std::size_t>(limit);

  if (*placement == Placement::RecentlyViewed) {
    const std::string text = stringFor(options, "suggest.reason.recently-viewed");
    std::vector<std::uint8_t> seen(products.size(), 0);
    const auto& views = profile_.views();
    for (auto it = views.rbegin(); it != views.rend() && items.size() < count; ++it) {
      const Product* p = catalog.find(it->productId);
      if (!p) continue;
      const std::uint32_t at = positionOf(catalog, p);
      if (seen[at] || (product && *product == at) || model_.boost(at) == 0) continue;
      seen[at] = 1;
      SuggestItem item;
      item.product = p;
      item.position = items.size() + 1;
      item.viewedAt = it->at;
      item.reason = SuggestReason{"recently-viewed", text, nullptr, nullptr};
      items.push_back(std::move(item));
    }
    return success();
  }
  if (*placement == Placement::FreeShipping && *gap == 0) return success();  // free delivery reached: nothing to fill

  const std::vector<Anchor> anchors = anchorsFor(*placement, product, catalog, cart, now);
  std::vector<std::uint8_t>& excluded = excluded_;
  excluded = outOfStock_;
  for (const auto& line : cart)
    if (const Product* p = catalog.find(line.productId)) excluded[positionOf(catalog, p)] = 1;
  if (product) excluded[*product] = 1;
  if (config_.hideBoughtMs > 0)
    for (const auto& e : profile_.purchases())
      if (now - e.at < config_.hideBoughtMs)
        if (const Product* p = catalog.find(e.productId)) excluded[positionOf(catalog, p)] = 1;
  if (*placement == Placement::PickedForYou)  // what they looked at is in "recently viewed"
    for (const auto& e : profile_.views())
      if (const Product* p = catalog.find(e.productId)) excluded[positionOf(catalog, p)] = 1;

  ScoreQuery query;
  query.anchors = &anchors;
  query.excluded = &excluded;
  if (*placement == Placement::FreeShipping) {
    // Prices that close the gap without overshooting it by much; if none, any price that closes it.
    query.minPrice = *gap;
    const auto extra = checkedMul(*gap, config_.maxOvershootPercent);
    const auto max = extra ? checkedAdd(*gap, *extra / 100) : std::nullopt;
    query.maxPrice = max ? std::min<Minor>(*max, kMaxJsSafeMinor) : kMaxJsSafeMinor;
  }
  std::vector<std::pair<std::size_t, const SuggestPin*>> pins;
  for (const auto& pin : config_.pins)
    if (!pin.placement || *pin.placement == *placement) pins.emplace_back(pin.position, &pin);
  stableSort(pins, [](const auto& a, const auto& b) { return a.first < b.first; });
  const std::size_t wanted = std::min(products.size(), count * 3 + pins.size());
  std::vector<Scored>& candidates = candidates_;
  model_.top(query, wanted, candidates);
  if (*placement == Placement::FreeShipping && candidates.empty() && query.maxPrice < kMaxJsSafeMinor) {
    query.maxPrice = kMaxJsSafeMinor;
    model_.top(query, wanted, candidates);
  }

  // Diversity: each product already chosen from a category keeps `diversity` of the next one's score.
  struct Choice {
    std::uint32_t product;
    const Scored* scored;
    bool pinned;
  };
  std::vector<Choice> chosen;
  std::vector<std::uint8_t> used(candidates.size(), 0);
  std::vector<int>& perCategory = chosenPerCategory_;
  perCategory.assign(model_.categories(), 0);
  while (chosen.size() < count) {
    std::size_t best = candidates.size();
    double bestScore = 0;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (used[i]) continue;
      double score = candidates[i].score;
      const std::int32_t category = model_.category(candidates[i].product);
      if (category >= 0)
        for (int repeat = perCategory[static_cast<std::size_t>(category)]; repeat > 0; --repeat) score *= config_.diversity;
      if (best == candidates.size() || score > bestScore) best = i, bestScore = score;
    }
    if (best == candidates.size()) break;
    used[best] = 1;
    const std::int32_t category = model_.category(candidates[best].product);
    if (category >= 0) ++perCategory[static_cast<std::size_t>(category)];
    chosen.push_back(Choice{candidates[best].product, &candidates[best], false});
  }
  // Merchant pins take their position when the product may be shown here.
  for (const auto& [position, pin] : pins) {
    const Product* p = catalog.find(pin->productId);
    if (!p) continue;
    const std::uint32_t at = positionOf(catalog, p);
    if (excluded[at] || model_.boost(at) == 0 || p->price < query.minPrice || p->price > query.maxPrice) continue;
    const Scored* scored = nullptr;
    for (const auto& c : candidates)
      if (c.product == at) scored = &c;
    chosen.erase(std::remove_if(chosen.begin(), chosen.end(), [&](const Choice& c) { return c.product == at; }), chosen.end());
    const std::size_t index = std::min(position - 1, chosen.size());
    chosen.insert(chosen.begin() + static_cast<std::ptrdiff_t>(index), Choice{at, scored, true});
  }
  if (chosen.size() > count) chosen.resize(count);

  // Reasons: the largest single contribution names its anchor.
  double total = 0;
  for (const auto& a : anchors) total += a.weight;
  const bool indexed = model_.hasIndex();
  for (const Choice& choice : chosen) {
    const Product& p = products[choice.product];
    SuggestReason reason;
    if (choice.pinned) {
      reason = SuggestReason{"pinned", stringFor(options, "suggest.reason.pinned"), nullptr, nullptr};
    } else {
      const Scored& s = *choice.scored;
      // "Similar to" needs real likeness (a shared category or tags), not just a brand or a price band.
      double bestContent = 0;
      std::int32_t contentAnchor = -1;
      for (std::size_t k = 0; k < anchors.size() && total > 0; ++k) {
        const double likeness = model_.content(anchors[k].product, choice.product);
        if (likeness < kMinLikeness) continue;
        const double c = model_.weight(2) * anchors[k].weight * likeness / total;
        if (c > bestContent) bestContent = c, contentAnchor = static_cast<std::int32_t>(k);
      }
      const char* code = "";
      std::int32_t anchor = -1;
      if (s.anchor >= 0 && s.neighbour >= bestContent && s.neighbour > s.prior) {
        anchor = s.anchor;
        const AnchorKind kind = anchors[static_cast<std::size_t>(anchor)].kind;
        code = kind == AnchorKind::View || kind == AnchorKind::CartAdd ? "viewed"
               : kind == AnchorKind::Purchase                         ? "purchased"
                                                                      : "bought-together";
      } else if (contentAnchor >= 0 && bestContent > s.prior) {
        anchor = contentAnchor;
        const AnchorKind kind = anchors[static_cast<std::size_t>(anchor)].kind;
        code = kind == AnchorKind::View || kind == AnchorKind::CartAdd ? "viewed" : kind == AnchorKind::Purchase ? "purchased" : "similar";
      } else {
        const bool popular = indexed || std::find(config_.popular.begin(), config_.popular.end(), p.id) != config_.popular.end();
        code = popular ? "popular" : "featured";
      }
      const std::string key = std::string("suggest.reason.") + code;
      if (anchor >= 0) {
        const Product& a = products[anchors[static_cast<std::size_t>(anchor)].product];
        reason = SuggestReason{code, fillTitle(stringFor(options, key), a.title), &a.id, &a.title};
      } else {
        reason = SuggestReason{code, stringFor(options, key), nullptr, nullptr};
      }
    }
    SuggestItem item;
    item.product = &p;
    item.position = items.size() + 1;
    if (choice.scored) item.score = choice.scored->score;
    item.reason = std::move(reason);
    items.push_back(std::move(item));
  }
  return success();
}

Result<std::string> Suggestions::suggestText(const json& request, const Catalog& catalog, const std::vector<CartLine>& cart,
                                             const Options& options) const {
  SuggestAnswer out;
  CARTKEEP_TRY(answer(request, catalog, cart, options, out));
  return out.text();
}

Result<json> Suggestions::suggest(const json& request, const Catalog& catalog, const std::vector<CartLine>& cart,
                                  const Options& options) const {
  CARTKEEP_TRY_ASSIGN(std::string text, suggestText(request, catalog, cart, options));
  return jf::parse(text, "suggestions");  // the parser the core already has (json::parse would add its own copy)
}

Result<json> Suggestions::track(const json& event, const Catalog& catalog) {
  const std::string path = "event";
  CARTKEEP_TRY(jf::expectObject(event, path, kSuggestArg));
  CARTKEEP_TRY(jf::rejectUnknownKeys(event, path, kSuggestArg, {"type", "productId", "productIds", "at", "dwellMs"}));
  CARTKEEP_TRY_ASSIGN(std::string type, jf::readString(event, "type", path, kSuggestArg, {true, 1, 32}));
  if (type != "view" && type != "cart-add" && type != "purchase")
    return jf::invalid(kSuggestArg, jf::child(path, "type"), "expected \"view\", \"cart-add\" or \"purchase\", got " + json(type).dump());
  CARTKEEP_TRY_ASSIGN(std::optional<std::int64_t> readAt, readOptionalTimeMember(event, "at", path, kSuggestArg));
  if (!readAt) return jf::invalid(kSuggestArg, jf::child(path, "at"), "required, expected a time in ms since 1970 (Date.now())");
  const std::int64_t at = *readAt;
  CARTKEEP_TRY_ASSIGN(std::int64_t dwell,
                      jf::readInteger(event, "dwellMs", path, kSuggestArg, {false, 0, SessionProfile::kMaxDwellMs, "expected milliseconds"}, 0));
  std::vector<std::string> ids;
  std::vector<std::string> paths;
  if (event.contains("productIds")) {
    if (type != "purchase") return jf::invalid(kSuggestArg, jf::child(path, "productIds"), "only a purchase takes several products");
    CARTKEEP_TRY_ASSIGN(ids, jf::readStringArray(event, "productIds", path, kSuggestArg, 1000, 64));
    for (std::size_t i = 0; i < ids.size(); ++i) paths.push_back(jf::element(jf::child(path, "productIds"), i));
  } else {
    CARTKEEP_TRY_ASSIGN(std::string id, jf::readString(event, "productId", path, kSuggestArg, {true, 1, 64}));
    ids.push_back(std::move(id));
    paths.push_back(jf::child(path, "productId"));
  }
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (!catalog.find(ids[i])) return jf::invalid(ErrorCode::UnknownProduct, paths[i], "unknown product " + json(ids[i]).dump());
  for (const auto& id : ids) {
    if (type == "view") profile_.recordView(id, at, dwell);
    else if (type == "cart-add") profile_.recordCartAdd(id, at);
    else profile_.recordPurchase(id, at);
  }
  return jsonObject({{"revision", profile_.revision()}, {"views", profile_.views().size()}, {"cartAdds", profile_.cartAdds().size()},
              {"purchases", profile_.purchases().size()}});
}

Result<json> Suggestions::restoreProfile(const json& stored, const Catalog& catalog) {
  CARTKEEP_TRY_ASSIGN(SessionProfile restored,
                      SessionProfile::fromJson(stored, "suggestions.profile", config_.maxViews, config_.maxPurchases));
  // Products gone from the catalog since the profile was saved are dropped.
  SessionProfile kept(config_.maxViews, config_.maxPurchases);
  std::size_t dropped = 0;
  for (const auto& e : restored.views()) catalog.find(e.productId) ? kept.recordView(e.productId, e.at, e.dwellMs) : void(++dropped);
  for (const auto& e : restored.cartAdds()) catalog.find(e.productId) ? kept.recordCartAdd(e.productId, e.at) : void(++dropped);
  for (const auto& e : restored.purchases()) catalog.find(e.productId) ? kept.recordPurchase(e.productId, e.at) : void(++dropped);
  profile_ = std::move(kept);
  return jsonObject({{"views", profile_.views().size()}, {"cartAdds", profile_.cartAdds().size()},
              {"purchases", profile_.purchases().size()}, {"dropped", dropped}});
}

}  // namespace cartkeep
