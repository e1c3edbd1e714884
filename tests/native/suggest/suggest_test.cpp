// Suggestions end to end through the Engine: options, the index, the session profile, every placement,
// the rules (cart, stock, purchases, diversity, pins, boosts), reasons, and bad input falling back.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "cartkeep/engine.hpp"
#include "suggest/suggest.hpp"

using namespace cartkeep;
using nlohmann::json;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(CARTKEEP_SOURCE_DIR) + "/tests/fixtures/suggest/" + name, std::ios::binary);
  REQUIRE(in);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

const json& suggestCatalogJson() {
  static const json catalog = json::parse(fixture("tiny-catalog.json"));
  return catalog;
}

constexpr std::int64_t kSuggestNow = 1717000000000;  // ms
constexpr std::int64_t kHour = 3600 * 1000;
constexpr std::int64_t kSuggestDay = 24 * kHour;

struct Store {
  Engine engine;

  explicit Store(json suggestions = json::object(), bool index = true, std::string locale = "en-GB") {
    json options = {{"currency", "GBP"}, {"locale", locale}, {"catalog", suggestCatalogJson()}, {"suggestions", suggestions}};
    auto init = engine.init(options.dump());
    INFO((init ? "" : init.error().describe()));
    REQUIRE(init.ok());
    if (index) REQUIRE(engine.suggestLoadIndex(fixture("tiny-index.bin")).ok());
  }

  json suggest(json request) {
    if (!request.contains("now")) request["now"] = kSuggestNow;
    auto result = engine.suggest(request.dump());
    INFO((result ? "" : result.error().describe()));
    REQUIRE(result.ok());
    return result.value();
  }

  Error suggestError(const json& request) {
    auto result = engine.suggest(request.dump());
    REQUIRE_FALSE(result.ok());
    return result.error();
  }

  void track(json event) {
    auto result = engine.suggestTrack(event.dump());
    INFO((result ? "" : result.error().describe()));
    REQUIRE(result.ok());
  }

  void add(const std::string& id) { REQUIRE(engine.cartAdd(id, 1).ok()); }
};

std::vector<std::string> ids(const json& response) {
  std::vector<std::string> out;
  for (const auto& item : response["items"]) out.push_back(item["productId"].get<std::string>());
  return out;
}

bool contains(const std::vector<std::string>& list, const std::string& id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

}  // namespace

TEST_CASE("options.suggestions: defaults, normalised copy, errors with the option path", "[suggest][options]") {
  auto defaults = parseSuggestConfig(json{{"currency", "GBP"}});
  REQUIRE(defaults.ok());
  CHECK(defaults.value().limit == 8);
  CHECK(defaults.value().minCoveragePercent == 50);
  const json normalised = toJson(defaults.value());
  CHECK(normalised["weights"]["neighbours"] == 1.0);
  CHECK(normalised["viewHalfLifeHours"] == 72);
  CHECK(normalised["storageKey"] == "cartkeep:suggest-profile");

  auto full = parseSuggestConfig(json{{"suggestions",
                                       {{"index", "data/suggest-index.bin"},
                                        {"limit", 4},
                                        {"weights", {{"content", 0.5}}},
                                        {"pins", {{{"productId", "47566"}, {"placement", "complete-order"}, {"position", 2}}}},
                                        {"boosts", {{{"category", "Christmas"}, {"factor", 0}}}},
                                        {"freeShipping", {{"maxOvershootPercent", 50}}}}}});
  REQUIRE(full.ok());
  CHECK(full.value().index == "data/suggest-index.bin");
  CHECK(full.value().contentWeight == 0.5);
  CHECK(full.value().pins[0].placement == Placement::CompleteOrder);
  CHECK(full.value().pins[0].position == 2);
  CHECK(full.value().boosts[0].field == SuggestBoost::Field::Category);
  CHECK(full.value().maxOvershootPercent == 50);

  auto error = [](json suggestions) {
    auto parsed = parseSuggestConfig(json{{"suggestions", suggestions}});
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code == ErrorCode::InvalidOptions);
    return parsed.error().describe();
  };
  CHECK(error({{"limt", 4}}) == "options.suggestions.limt: unknown option (did you mean \"limit\"?)");
  CHECK(error({{"limit", 0}}) == "options.suggestions.limit: expected an integer from 1 to 50, got 0");
  CHECK(error({{"weights", {{"content", "high"}}}}) ==
        "options.suggestions.weights.content: expected a number from 0 to 1000, got \"high\"");
  CHECK(error({{"diversity", 1.5}}) == "options.suggestions.diversity: expected a number from 0 to 1, got 1.5");
  CHECK(error({{"pins", {{{"productId", "x"}, {"placement", "upsell"}}}}}) ==
        "options.suggestions.pins[0].placement: unknown placement \"upsell\" (expected one of \"bought-together\", "
        "\"complete-order\", \"free-shipping\", \"picked-for-you\", \"recently-viewed\")");
  CHECK(error({{"boosts", {{{"category", "A"}, {"tag", "b"}, {"factor", 2}}}}}) ==
        "options.suggestions.boosts[0]: expected exactly one of productId, category, tag or brand, got 2");
  CHECK(error({{"boosts", {{{"tag", "b"}}}}}) == "options.suggestions.boosts[0].factor: required: 0 hides, 1 is neutral, 2 doubles");
  CHECK(error("yes") == "options.suggestions: expected an object, got \"yes\"");
}

TEST_CASE("the engine normalises suggestions and reports ids the catalog lacks without failing", "[suggest][engine]") {
  Store store(json{{"pins", {{{"productId", "GONE-1"}}}}, {"popular", {"85123A", "GONE-2"}}}, false);
  auto options = store.engine.options();
  REQUIRE(options.ok());
  CHECK(options.value()["suggestions"]["limit"] == 8);
  auto status = store.engine.suggestStatus();
  REQUIRE(status.ok());
  CHECK(status.value()["source"] == "popularity");
  REQUIRE(status.value()["issues"].size() == 2);
  CHECK(status.value()["issues"][0]["path"] == "options.suggestions.pins[0].productId");
  CHECK(status.value()["issues"][1]["message"] == "unknown product \"GONE-2\": ignored");
}

TEST_CASE("bought together: the product's neighbours, never the product, the cart or what is sold out", "[suggest][placements]") {
  Store store;
  json response = store.suggest({{"placement", "bought-together"}, {"productId", "22697"}, {"limit", 4}});
  CHECK(response["placement"] == "bought-together");
  CHECK(response["source"] == "index");
  CHECK(response["title"] == "Frequently bought together");
  const auto list = ids(response);
  REQUIRE(list.size() == 4);
  CHECK(list[0] == "22423");  // the cake stand, bought with the teacup in 3 orders
  CHECK(list[1] == "21212");
  CHECK_FALSE(contains(list, "22697"));
  CHECK_FALSE(contains(list, "22699"));  // the best neighbour, but out of stock
  const json& first = response["items"][0];
  CHECK(first["title"] == "Regency Cake Stand 3 Tier");
  CHECK(first["price"] == 1275);
  CHECK(first["position"] == 1);
  CHECK(first["reason"] == json{{"code", "bought-together"}, {"text", "Often bought with Green Regency Teacup and Saucer"},
                                {"productId", "22697"},
                                {"message", {{"key", "suggest.reason.bought-together"}, {"values", {{"title", "Green Regency Teacup and Saucer"}}}}}});

  store.add("22423");
  CHECK(ids(store.suggest({{"placement", "bought-together"}, {"productId", "22697"}}))[0] == "21212");
}

TEST_CASE("complete your order: neighbours of the cart, content and popularity after", "[suggest][placements]") {
  Store store;
  store.add("85123A");
  json response = store.suggest({{"placement", "complete-order"}, {"limit", 3}});
  CHECK(ids(response) == std::vector<std::string>{"71053", "84406B", "84029G"});
  CHECK(response["items"][0]["reason"]["text"] == "Often bought with White Hanging Heart T-Light Holder");
  CHECK(response["items"][0]["score"].get<double>() > response["items"][1]["score"].get<double>());
  CHECK(response["title"] == "Complete your order");
}

TEST_CASE("free-shipping gap filler: prices that close the gap, ranked by relevance, exact in minor units", "[suggest][placements][money]") {
  Store store;
  store.add("85123A");
  json response = store.suggest({{"placement", "free-shipping"}, {"gap", 300}});
  CHECK(response["gap"] == 300);
  CHECK(response["title"] == "Reach free shipping: {amount} to go");
  const auto list = ids(response);
  CHECK(list == std::vector<std::string>{"71053", "84029G", "47566"});  // 339, 375, 495: all within 300..600
  for (const auto& item : response["items"]) {
    CHECK(item["price"].get<std::int64_t>() >= 300);
    CHECK(item["price"].get<std::int64_t>() <= 600);
  }
  // The boundary is exact: 339 closes a gap of 339, not one of 340.
  CHECK(contains(ids(store.suggest({{"placement", "free-shipping"}, {"gap", 339}})), "71053"));
  CHECK_FALSE(contains(ids(store.suggest({{"placement", "free-shipping"}, {"gap", 340}})), "71053"));
  CHECK(ids(store.suggest({{"placement", "free-shipping"}, {"gap", 1000}})) == std::vector<std::string>{"22423"});
  // Nothing within the overshoot: anything that closes the gap; nothing at all: an empty list.
  Store narrow(json{{"freeShipping", {{"maxOvershootPercent", 0}}}});
  CHECK(ids(narrow.suggest({{"placement", "free-shipping"}, {"gap", 1200}})) == std::vector<std::string>{"22423"});
  CHECK(store.suggest({{"placement", "free-shipping"}, {"gap", 2000}})["items"].empty());
  CHECK(store.suggest({{"placement", "free-shipping"}, {"gap", 0}})["items"].empty());
  CHECK(store.suggest({{"placement", "free-shipping"}, {"gap", 9007199254740991LL}})["items"].empty());
  CHECK(store.suggestError({{"placement", "free-shipping"}}).describe() ==
        "request.gap: required for the free-shipping placement: the amount (minor units) still missing for free delivery");
  CHECK(store.suggestError({{"placement", "free-shipping"}, {"gap", 2.5}}).describe() ==
        "request.gap: expected a non-negative integer amount in minor units, got 2.5");
}

TEST_CASE("picked for you: popularity for a new visitor, then the session, viewed items move to recently viewed", "[suggest][placements][profile]") {
  Store store;
  json fresh = store.suggest({{"placement", "picked-for-you"}, {"limit", 2}});
  CHECK(ids(fresh) == std::vector<std::string>{"85123A", "22423"});
  CHECK(fresh["items"][0]["reason"]["code"] == "popular");
  CHECK(fresh["items"][0]["reason"]["text"] == "Popular right now");

  store.track({{"type", "view"}, {"productId", "22697"}, {"at", kSuggestNow - kHour}, {"dwellMs", 40000}});
  json personal = store.suggest({{"placement", "picked-for-you"}, {"limit", 3}});
  const auto list = ids(personal);
  CHECK(list[0] == "22423");
  CHECK_FALSE(contains(list, "22697"));
  CHECK(personal["items"][0]["reason"]["code"] == "viewed");
  CHECK(personal["items"][0]["reason"]["text"] == "Because you viewed Green Regency Teacup and Saucer");
  CHECK(personal["items"][0]["reason"]["productId"] == "22697");
}

TEST_CASE("recently viewed: most recent first, once each, the current product left out, sold out kept", "[suggest][placements][profile]") {
  Store store;
  store.track({{"type", "view"}, {"productId", "85123A"}, {"at", kSuggestNow - 3 * kHour}});
  store.track({{"type", "view"}, {"productId", "22699"}, {"at", kSuggestNow - 2 * kHour}});
  store.track({{"type", "view"}, {"productId", "22697"}, {"at", kSuggestNow - kHour}});
  store.track({{"type", "view"}, {"productId", "85123A"}, {"at", kSuggestNow - 10 * 60 * 1000}});
  json response = store.suggest({{"placement", "recently-viewed"}});
  CHECK(ids(response) == std::vector<std::string>{"85123A", "22697", "22699"});
  CHECK(response["items"][2]["stock"] == 0);
  CHECK(response["items"][0]["reason"]["text"] == "You viewed this");
  CHECK(ids(store.suggest({{"placement", "recently-viewed"}, {"productId", "85123A"}, {"limit", 1}})) ==
        std::vector<std::string>{"22697"});
  CHECK(response["title"] == "Recently viewed");
}

TEST_CASE("purchases are hidden for hideBoughtForDays and lend their neighbours", "[suggest][rules][profile]") {
  Store store;
  store.add("85123A");
  store.track({{"type", "purchase"}, {"productIds", {"71053"}}, {"at", kSuggestNow - kSuggestDay}});
  CHECK_FALSE(contains(ids(store.suggest({{"placement", "complete-order"}})), "71053"));
  CHECK(contains(ids(store.suggest({{"placement", "complete-order"}, {"now", kSuggestNow + 366 * kSuggestDay}})), "71053"));

  Store buyer;
  buyer.track({{"type", "purchase"}, {"productId", "22697"}, {"at", kSuggestNow - kSuggestDay}});
  json picked = buyer.suggest({{"placement", "picked-for-you"}, {"limit", 1}});
  CHECK(ids(picked) == std::vector<std::string>{"22423"});
  CHECK(picked["items"][0]["reason"]["text"] == "Goes with your Green Regency Teacup and Saucer");
}

TEST_CASE("diversity spreads categories, off, the best scores stay together", "[suggest][rules]") {
  auto categories = [](Store& store) {
    json response = store.suggest({{"placement", "picked-for-you"}, {"limit", 3}});
    std::vector<std::string> out;
    for (const auto& item : response["items"]) out.push_back(item["category"]);
    return out;
  };
  Store off(json{{"diversity", 1}});
  Store strict(json{{"diversity", 0}});
  auto plain = categories(off);
  auto spread = categories(strict);
  CHECK(std::count(plain.begin(), plain.end(), "Kitchen & Dining") == 2);  // 22423 and 22697 are popular
  std::sort(spread.begin(), spread.end());
  CHECK(std::unique(spread.begin(), spread.end()) == spread.end());
}

TEST_CASE("merchant pins take their position where eligible, boosts lift, and a factor of 0 hides", "[suggest][rules]") {
  Store pinned(json{{"pins", {{{"productId", "47566"}, {"placement", "complete-order"}, {"position", 1}},
                          {{"productId", "22699"}, {"position", 2}}}}});  // sold out: never pinned
  pinned.add("85123A");
  json response = pinned.suggest({{"placement", "complete-order"}, {"limit", 3}});
  CHECK(ids(response) == std::vector<std::string>{"47566", "71053", "84406B"});
  CHECK(response["items"][0]["reason"] == json{{"code", "pinned"}, {"text", "Recommended by us"}, {"productId", nullptr},
                                              {"message", {{"key", "suggest.reason.pinned"}, {"values", json::object()}}}});
  const json together = pinned.suggest({{"placement", "bought-together"}, {"productId", "85123A"}});
  for (const auto& item : together["items"]) CHECK(item["reason"]["code"] != "pinned");  // pinned for complete-order only

  Store boosted(json{{"boosts", {{{"category", "gifts"}, {"factor", 5}}, {{"productId", "84406B"}, {"factor", 0}}}}});
  boosted.add("85123A");
  const auto list = ids(boosted.suggest({{"placement", "complete-order"}}));
  CHECK(list[0] == "84029G");
  CHECK_FALSE(contains(list, "84406B"));
  CHECK_FALSE(contains(ids(boosted.suggest({{"placement", "picked-for-you"}, {"limit", 20}})), "84406B"));
}

TEST_CASE("view weight grows with dwell and halves every viewHalfLifeHours", "[suggest][profile]") {
  static auto catalog = Catalog::fromJson(suggestCatalogJson(), "GBP");
  const Catalog& c = catalog.value();
  auto created = Suggestions::create(json{{"suggestions", {{"viewHalfLifeHours", 24}}}}, c);
  REQUIRE(created.ok());
  Suggestions suggestions = std::move(created).value();
  REQUIRE(suggestions.track(json{{"type", "view"}, {"productId", "22697"}, {"at", kSuggestNow}, {"dwellMs", 0}}, c).ok());
  REQUIRE(suggestions.track(json{{"type", "view"}, {"productId", "85123A"}, {"at", kSuggestNow - 24 * kHour}, {"dwellMs", 60000}}, c).ok());
  REQUIRE(suggestions.track(json{{"type", "view"}, {"productId", "21212"}, {"at", kSuggestNow}, {"dwellMs", 30000}}, c).ok());
  auto anchors = suggestions.anchorsFor(Placement::PickedForYou, std::nullopt, c, {}, kSuggestNow);
  REQUIRE(anchors.size() == 3);
  auto weightOf = [&](const std::string& id) {
    for (const auto& a : anchors)
      if (c.products()[a.product].id == id) return a.weight;
    return -1.0;
  };
  // Dwell and time, then the place in the session: the latest view 1, the one before 1/2, then 1/3.
  CHECK(weightOf("21212") == Approx(1.0));         // 30 s, now, the latest
  CHECK(weightOf("85123A") == Approx(0.5 / 3));    // a minute, a day ago: half, and third from the end
  CHECK(weightOf("22697") == Approx(0.25 / 2));    // a glance, second from the end
  CHECK(c.products()[anchors[0].product].id == "21212");  // strongest first

  // The cart weighs in fully for "complete your order", lightly for "bought together".
  std::vector<CartLine> cart{{"22423", 1}};
  auto together = suggestions.anchorsFor(Placement::BoughtTogether, 0, c, cart, kSuggestNow);
  CHECK(together[0].kind == AnchorKind::Product);
  CHECK(together[0].weight == Approx(1.0 + 0.1 * 0.5 / 3));  // the product, plus its own earlier view (0.1 x 0.5 x 1/3)
  bool cartAnchor = false;
  for (const auto& a : together)
    if (a.kind == AnchorKind::Cart) {
      cartAnchor = true;
      CHECK(a.weight == Approx(0.15));
    }
  CHECK(cartAnchor);
}

TEST_CASE("unknown ids fall back with an issue, malformed requests are errors naming the field", "[suggest][errors]") {
  Store store;
  json response = store.suggest({{"placement", "bought-together"}, {"productId", "NOPE"}, {"limit", 3}});
  REQUIRE(response["issues"].size() == 1);
  CHECK(response["issues"][0] == json{{"code", "unknown-product"}, {"path", "request.productId"},
                                      {"message", "unknown product \"NOPE\": suggestions use the session and popularity instead"}});
  // Popularity, spread over categories: the second kitchen item gives way to the storage one.
  CHECK(ids(response) == std::vector<std::string>{"85123A", "22423", "84406B"});

  CHECK(store.suggestError({{"placement", "upsell"}}).path == "request.placement");
  CHECK(store.suggestError({{"placement", "bought-together"}}).describe() == "request.productId: required for the bought-together placement");
  CHECK(store.suggestError({{"placement", "picked-for-you"}, {"limit", 0}}).path == "request.limit");
  CHECK(store.suggestError({{"placement", "picked-for-you"}, {"limt", 3}}).describe() ==
        "request.limt: unknown option (did you mean \"limit\"?)");
  auto notJson = store.engine.suggest("{placement:");
  REQUIRE_FALSE(notJson.ok());
  CHECK(notJson.error().code == ErrorCode::InvalidJson);

  auto unknownView = store.engine.suggestTrack(json{{"type", "view"}, {"productId", "NOPE"}, {"at", kSuggestNow}}.dump());
  REQUIRE_FALSE(unknownView.ok());
  CHECK(unknownView.error().code == ErrorCode::UnknownProduct);
  CHECK(unknownView.error().path == "event.productId");
  auto badType = store.engine.suggestTrack(json{{"type", "like"}, {"productId", "22697"}, {"at", kSuggestNow}}.dump());
  REQUIRE_FALSE(badType.ok());
  CHECK(badType.error().describe() == "event.type: expected \"view\", \"cart-add\" or \"purchase\", got \"like\"");
}

TEST_CASE("a bad index is refused with a clear error, suggestions fall back to popularity and keep working", "[suggest][index][errors]") {
  Store store({}, false);
  const std::string bytes = fixture("tiny-index.bin");
  auto truncated = store.engine.suggestLoadIndex(bytes.substr(0, 100));
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.error().code == ErrorCode::InvalidArgument);
  CHECK(truncated.error().describe() == "suggestions.index: truncated: the header says " + std::to_string(bytes.size()) +
                                            " bytes, 100 arrived (was the download cut short?)");
  json status = store.engine.suggestStatus().value();
  CHECK(status["source"] == "popularity");
  CHECK(status["error"]["code"] == "invalid-argument");
  CHECK(status["error"]["path"] == "suggestions.index");
  json fallback = store.suggest({{"placement", "complete-order"}, {"limit", 3}});
  CHECK(fallback["source"] == "popularity");
  CHECK(fallback["items"].size() == 3);
  CHECK(fallback["items"][0]["reason"]["code"] == "featured");  // the catalog's order, not claimed popular

  // A good index, then a bad one: the good one stays, the error is reported.
  REQUIRE(store.engine.suggestLoadIndex(bytes).ok());
  CHECK_FALSE(store.engine.suggestLoadIndex("<!doctype html>").ok());
  status = store.engine.suggestStatus().value();
  CHECK(status["source"] == "index");
  CHECK(status["index"]["matched"] == 9);
  CHECK(status["index"]["catalog"] == 10);
  CHECK(status["index"]["catalogVersion"] == "tiny-1");
  CHECK_THAT(status["error"]["message"].get<std::string>(), Catch::Contains("looks like HTML"));
  REQUIRE(store.engine.suggestLoadIndex(bytes).ok());
  CHECK(store.engine.suggestStatus().value()["error"].is_null());
}

TEST_CASE("an index for another catalog version or another catalog is refused", "[suggest][index][errors]") {
  Store versioned(json{{"catalogVersion", "tiny-2"}}, false);
  auto mismatch = versioned.engine.suggestLoadIndex(fixture("tiny-index.bin"));
  REQUIRE_FALSE(mismatch.ok());
  CHECK(mismatch.error().describe() == "suggestions.index: built for catalog version \"tiny-1\", but "
                                       "options.suggestions.catalogVersion is \"tiny-2\": rebuild the index for this catalog");

  Engine other;
  json options = {{"currency", "GBP"},
                  {"catalog", {{{"id", "A-1"}, {"title", "Mug"}, {"price", 500}}, {{"id", "85123A"}, {"title", "Heart"}, {"price", 295}},
                               {{"id", "B-2"}, {"title", "Lamp"}, {"price", 900}}}}};
  REQUIRE(other.init(options.dump()).ok());
  auto coverage = other.suggestLoadIndex(fixture("tiny-index.bin"));
  REQUIRE_FALSE(coverage.ok());
  CHECK_THAT(coverage.error().message, Catch::StartsWith("only 1 of the catalog's 3 products (33%) are in this index of 9 items "
                                                         "(catalog version \"tiny-1\", ids fingerprint "));
  CHECK(other.suggestStatus().value()["source"] == "popularity");
  auto result = other.suggest(json{{"placement", "picked-for-you"}}.dump());
  REQUIRE(result.ok());
  CHECK(result.value()["items"].size() == 3);
}

TEST_CASE("the profile round-trips, a stored profile is validated and products gone from the catalog dropped", "[suggest][profile]") {
  Store store;
  store.track({{"type", "view"}, {"productId", "22697"}, {"at", kSuggestNow - kHour}, {"dwellMs", 1200}});
  store.track({{"type", "view"}, {"productId", "22697"}, {"at", kSuggestNow - kHour + 60000}, {"dwellMs", 800}});  // same visit
  store.track({{"type", "cart-add"}, {"productId", "21212"}, {"at", kSuggestNow}});
  json profile = store.engine.suggestProfile().value();
  CHECK(profile == json{{"format", 1},
                        {"views", json::array({json::array({"22697", kSuggestNow - kHour, 2000})})},
                        {"cartAdds", json::array({json::array({"21212", kSuggestNow})})},
                        {"purchases", json::array()}});

  Store restored;
  json stored = profile;
  stored["views"].push_back({"DISCONTINUED", kSuggestNow, 10});
  auto result = restored.engine.suggestRestoreProfile(stored.dump());
  REQUIRE(result.ok());
  CHECK(result.value()["dropped"] == 1);
  CHECK(result.value()["views"] == 1);
  CHECK(ids(restored.suggest({{"placement", "recently-viewed"}})) == std::vector<std::string>{"22697"});

  auto bad = restored.engine.suggestRestoreProfile(R"({"format":1,"views":[["22697","yesterday",5]]})");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().describe() == "suggestions.profile.views[0][1]: expected an integer from 0 to 8640000000000000, got \"yesterday\"");
  CHECK_FALSE(restored.engine.suggestRestoreProfile("{\"format\":2}").ok());
  CHECK_FALSE(restored.engine.suggestRestoreProfile("not json").ok());
  REQUIRE(restored.engine.suggestForget().ok());
  CHECK(restored.suggest({{"placement", "recently-viewed"}})["items"].empty());
}

TEST_CASE("reasons and titles come from options.strings, in Arabic for an Arabic store", "[suggest][rtl]") {
  Store arabic({}, true, "ar-AE");
  json response = arabic.suggest({{"placement", "bought-together"}, {"productId", "22697"}, {"limit", 1}});
  CHECK(response["title"] == "يُشترى معًا غالبًا");
  CHECK(response["items"][0]["reason"]["text"] == "غالبًا ما يُشترى مع Green Regency Teacup and Saucer");

  Engine custom;
  json options = {{"currency", "GBP"},
                  {"catalog", suggestCatalogJson()},
                  {"strings", {{"suggest.reason.bought-together", "Pairs with {title}"}, {"suggest.title.bought-together", "Goes with"}}}};
  REQUIRE(custom.init(options.dump()).ok());
  REQUIRE(custom.suggestLoadIndex(fixture("tiny-index.bin")).ok());
  json mine = custom.suggest(json{{"placement", "bought-together"}, {"productId", "22697"}, {"limit", 1}}.dump()).value();
  CHECK(mine["title"] == "Goes with");
  CHECK(mine["items"][0]["reason"]["text"] == "Pairs with Green Regency Teacup and Saucer");
}
