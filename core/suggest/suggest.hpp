#pragma once
// Personalised suggestions, computed in the browser: the shopper's session and cart are blended with an
// offline item index (bought/viewed together, popularity), content similarity from the catalog
// (category, tags, brand, price band) and the merchant's rules. See docs/suggest.md.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/cart.hpp"
#include "store/catalog.hpp"
#include "cartkeep/error.hpp"
#include "suggest/item_index.hpp"
#include "store/options.hpp"
#include "suggest/session_profile.hpp"
#include "suggest/suggest_answer.hpp"

namespace cartkeep {

enum class Placement { BoughtTogether, CompleteOrder, FreeShipping, PickedForYou, RecentlyViewed };
const char* placementId(Placement placement) noexcept;  // "bought-together", ...
std::optional<Placement> placementFromId(std::string_view id) noexcept;

struct SuggestPin {
  std::string productId;
  std::optional<Placement> placement;  // empty: every placement
  std::size_t position = 1;            // 1-based
};

struct SuggestBoost {
  enum class Field { Product, Category, Tag, Brand } field = Field::Product;
  std::string value;
  double factor = 1;  // 0 hides the matching products from suggestions
};

// options.suggestions, validated. The default weights are tuned on the Online Retail evaluation
// (tools/suggest-index eval): neighbours lead, content and popularity order what they leave open.
struct SuggestConfig {
  std::string index;           // URL of the index file (fetched by JS); "" for none
  std::string catalogVersion;  // expected index label; "" accepts any
  int minCoveragePercent = 50;  // refuse an index that knows fewer of the catalog's products
  int limit = 8;
  double neighboursWeight = 1.0;
  double viewedTogetherWeight = 0.5;
  double viewedNextWeight = 1.0;  // directed "viewed next" rules (click logs, or purchase sequences)
  double contentWeight = 0.02;
  double popularityWeight = 0.001;
  double diversity = 0.7;  // score kept for each product already chosen from the same category
  std::int64_t viewHalfLifeMs = 72LL * 3600 * 1000;
  std::int64_t purchaseHalfLifeMs = 90LL * 24 * 3600 * 1000;
  std::int64_t hideBoughtMs = 365LL * 24 * 3600 * 1000;
  int maxOvershootPercent = 100;  // free-shipping filler: prices from the gap up to gap * (1 + this / 100)
  std::vector<std::string> popular;  // fallback order without an index (then the catalog order)
  std::vector<SuggestPin> pins;
  std::vector<SuggestBoost> boosts;
  bool rememberProfile = true;
  std::string storageKey = "cartkeep:suggest-profile";
  std::size_t maxViews = 50;
  std::size_t maxPurchases = 200;
};

// Reads options.suggestions (absent: defaults); errors name options.suggestions.<path>.
Result<SuggestConfig> parseSuggestConfig(const nlohmann::json& options);
nlohmann::json toJson(const SuggestConfig& config);

// ------------------------------------------------------------------------------------------ scoring

// Fixed proportions of the content similarity and the popularity prior (documented, tuned on the
// Online Retail evaluation); the tools can override them for experiments.
struct ScoringParams {
  double tagShare = 0.55;       // TF-IDF cosine of the tags
  double categoryShare = 0.25;  // same category
  double brandShare = 0.05;     // same brand
  double priceShare = 0.15;     // same price band (1), neighbouring band (0.5)
  double popularityExponent = 0.5;  // prior = popularity ^ exponent
  double maxTagShare = 0.25;        // tags on more of the catalog than this say little: skipped
  double priceBandRatio = 1.6;      // price bands grow geometrically
  // A product two "viewed next" steps away counts with this share of the product of the two steps' scores:
  // it reaches the next click where a log never showed the pair itself (the long tail of a click log).
  double secondStepShare = 1.0;
  // A product viewed after the same products as the anchor (for each rule x → anchor, x's rules x → p) counts
  // with this share of the product of the two scores: alternatives to the anchor, reached where the log never
  // linked the anchor to them. Each item keeps its kPredecessors strongest rules into it.
  double siblingShare = 1.0;
  static constexpr std::size_t kPredecessors = 24;
};

enum class AnchorKind : std::uint8_t { Product, Cart, CartAdd, View, Purchase };

// A product the suggestions start from, with its weight in the blend.
struct Anchor {
  std::uint32_t product;  // catalog position
  double weight;
  AnchorKind kind;
};

struct Scored {
  std::uint32_t product;
  double score;
  double neighbour;       // the largest single anchor's neighbour contribution
  std::int32_t anchor;    // index into the anchors of that contribution, -1 for none
  double prior;           // the popularity contribution
};

struct ScoreQuery {
  const std::vector<Anchor>* anchors = nullptr;
  const std::vector<std::uint8_t>* excluded = nullptr;  // per catalog position, non-zero: skip
  Minor minPrice = 0;
  Minor maxPrice = kMaxJsSafeMinor;
};

// Catalog features (content, boosts, fallback popularity) and, when loaded, the index mapped onto the
// catalog: index items outside the catalog are ignored, catalog products outside the index have no
// neighbours. Scoring reuses internal buffers: one model serves one thread.
class SuggestModel {
 public:
  static SuggestModel build(const Catalog& catalog, const SuggestConfig& config, ScoringParams params = {});

  struct Coverage {
    std::size_t matched = 0;  // catalog products the index knows
    std::size_t catalog = 0;
    std::size_t indexItems = 0;
  };
  // Maps the index onto the catalog; refuses (model unchanged) an index for another catalog version or
  // one that covers fewer than minCoveragePercent of the products.
  Result<Coverage> attachIndex(ItemIndex index, const Catalog& catalog, const SuggestConfig& config,
                               const std::string& path);
  void detachIndex();
  bool hasIndex() const noexcept { return index_.has_value(); }
  const ItemIndex* index() const noexcept { return index_ ? &*index_ : nullptr; }
  const Coverage& coverage() const noexcept { return coverage_; }
  std::size_t size() const noexcept { return features_.size(); }
  std::size_t categories() const noexcept { return categories_; }
  double boost(std::uint32_t product) const noexcept { return boost_[product]; }
  std::int32_t category(std::uint32_t product) const noexcept { return features_[product].category; }
  // The popularity prior (before its weight): from the index, else the fallback order.
  double prior(std::uint32_t product) const noexcept { return index_ ? indexPrior_[product] : fallbackPrior_[product]; }
  // 0 neighbours (bought together), 1 viewed together, 2 content, 3 popularity, 4 viewed next
  double weight(int which) const noexcept { return weights_[which]; }
  const ScoringParams& params() const noexcept { return params_; }

  // The `count` best eligible products with a positive score, best first (ties: catalog order).
  void top(const ScoreQuery& query, std::size_t count, std::vector<Scored>& out) const;
  // Content similarity of two products in [0, 1].
  double content(std::uint32_t a, std::uint32_t b) const noexcept;

 private:
  struct Features {
    std::int32_t category = -1;  // -1: none
    std::int32_t brand = -1;
    std::int32_t band = 0;
    Minor price = 0;
    std::vector<std::uint32_t> tags;  // sorted tag ids
    double tagNorm = 0;
  };

  ScoringParams params_;
  double weights_[5] = {1, 0.5, 0.02, 0.001, 1};  // neighbours, viewed-together, content, popularity, viewed-next
  std::vector<Features> features_;
  std::vector<double> boost_;
  std::vector<double> fallbackPrior_;
  std::vector<double> idf2_;                       // per tag
  std::vector<std::vector<std::uint32_t>> postings_;  // per tag: products, ascending
  std::vector<std::uint8_t> tagSkipped_;
  std::size_t categories_ = 0, brands_ = 0;
  static constexpr std::size_t kBands = 64;

  std::optional<ItemIndex> index_;
  std::vector<std::int32_t> catalogToIndex_;
  std::vector<std::int32_t> indexToCatalog_;
  std::vector<double> indexPrior_;
  // Per index item, its strongest viewed-next rules into it (x → item), best first: CSR offsets and entries.
  std::vector<std::uint32_t> predecessorOffsets_;
  std::vector<std::uint32_t> predecessorItems_;
  std::vector<std::uint8_t> predecessorQs_;
  Coverage coverage_;

  // Scratch, reused by top().
  mutable std::vector<double> neighbour_, viewed_, next_, tags_, best_;
  mutable std::vector<std::int32_t> bestAnchor_;
  mutable std::vector<double> categoryWeight_, brandWeight_, bandWeight_;
};

// ------------------------------------------------------------------------------------- placements

// One store's suggestion state inside the Engine: config, model, the shopper's profile, load status.
class Suggestions {
 public:
  // `params` are the model's fixed proportions (the evaluation tool overrides them for experiments).
  static Result<Suggestions> create(const nlohmann::json& options, const Catalog& catalog, ScoringParams params = {});

  const SuggestConfig& config() const noexcept { return config_; }
  const SuggestModel& model() const noexcept { return model_; }
  const SessionProfile& profile() const noexcept { return profile_; }

  // Validates and attaches the index; on error suggestions keep their previous source.
  Result<nlohmann::json> loadIndex(std::string_view bytes, const Catalog& catalog);
  // {source: "index" | "popularity", index: {...} | null, error: {...} | null, profile: {...}}
  nlohmann::json status() const;

  // {placement, productId?, limit?, gap?, now?} -> {placement, source, title, gap?, items: [...], issues: [...]}
  // (Status and an out-parameter: a Result<SuggestAnswer> would add its own instantiations to the wasm.)
  Status answer(const nlohmann::json& request, const Catalog& catalog, const std::vector<CartLine>& cart, const Options& options,
                SuggestAnswer& out) const;
  // The answer as JSON text (what the page receives), and as a json value (views, tests).
  Result<std::string> suggestText(const nlohmann::json& request, const Catalog& catalog, const std::vector<CartLine>& cart,
                                  const Options& options) const;
  Result<nlohmann::json> suggest(const nlohmann::json& request, const Catalog& catalog, const std::vector<CartLine>& cart,
                                 const Options& options) const;
  // {type: "view" | "cart-add" | "purchase", productId | productIds, at, dwellMs?}
  Result<nlohmann::json> track(const nlohmann::json& event, const Catalog& catalog);
  nlohmann::json profileJson() const { return profile_.toJson(); }
  // Replaces the profile with a stored one; products no longer in the catalog are dropped.
  Result<nlohmann::json> restoreProfile(const nlohmann::json& stored, const Catalog& catalog);
  void forgetProfile() { profile_.clear(); }

  // The anchors a placement starts from (exposed for tests and the evaluation tool).
  std::vector<Anchor> anchorsFor(Placement placement, std::optional<std::uint32_t> product, const Catalog& catalog,
                                 const std::vector<CartLine>& cart, std::int64_t now) const;
  // Issues found at creation (pins, boosts or popular ids the catalog does not have): [{code, path, message}].
  const nlohmann::json& issues() const noexcept { return issues_; }

  static constexpr std::size_t kMaxAnchors = 30;

 private:
  SuggestConfig config_;
  nlohmann::json issues_ = nlohmann::json::array();
  std::vector<std::uint8_t> outOfStock_;
  mutable std::vector<std::uint8_t> excluded_;
  mutable std::vector<Scored> candidates_;
  mutable std::vector<int> chosenPerCategory_;  // the diversity pass's counts, reused
  SuggestModel model_;
  SessionProfile profile_;
  std::optional<Error> indexError_;
};

}  // namespace cartkeep
