// The order of a session: views weighed by their place (the latest counts most), and the index's directed
// viewed-next rules blended into the placements with weights.viewedNext.
#include <map>

#include <catch2/catch.hpp>

#include "cartkeep/engine.hpp"
#include "suggest/item_index.hpp"
#include "suggest/suggest.hpp"

using namespace cartkeep;
using nlohmann::json;

namespace {

constexpr std::int64_t kStart = 1717000000000;  // ms
constexpr std::int64_t kMinute = 60 * 1000;

json sequenceCatalog() {
  json products = json::array();
  for (const char* id : {"P1", "P2", "P3", "P4", "P5"})
    products.push_back({{"id", id}, {"title", std::string("Product ") + id}, {"price", 500}});
  return products;
}

// P1 -> P2 -> P3 as viewed-next rules only (no bought or viewed-together edges), equal popularity.
std::string sequenceIndex() {
  IndexBuildInput input;
  input.catalogVersion = "sequence-test";
  for (const char* id : {"P1", "P2", "P3", "P4", "P5"}) input.items.push_back(IndexBuildItem{id, 1.0, {}, {}, {}});
  input.items[0].next = {{1, 0.6}};
  input.items[1].next = {{2, 0.6}};
  auto bytes = writeItemIndex(input);
  REQUIRE(bytes.ok());
  return bytes.value();
}

struct SequenceStore {
  Engine engine;
  explicit SequenceStore(json suggestions = json::object()) {
    json options = {{"currency", "GBP"}, {"locale", "en-GB"}, {"catalog", sequenceCatalog()}, {"suggestions", suggestions}};
    auto init = engine.init(options.dump());
    INFO((init ? "" : init.error().describe()));
    REQUIRE(init.ok());
    REQUIRE(engine.suggestLoadIndex(sequenceIndex()).ok());
  }
  json suggest(json request) {
    request["now"] = kStart;
    auto result = engine.suggest(request.dump());
    INFO((result ? "" : result.error().describe()));
    REQUIRE(result.ok());
    return result.value();
  }
};

}  // namespace

TEST_CASE("the session profile weighs views by their place: the latest 1, the one before 1/2, then 1/3", "[suggest][profile][sequence]") {
  CHECK(SessionProfile::positionWeight(0) == 1.0);
  CHECK(SessionProfile::positionWeight(1) == Approx(0.5));
  CHECK(SessionProfile::positionWeight(2) == Approx(1.0 / 3));

  auto catalog = Catalog::fromJson(sequenceCatalog(), "GBP", "catalog");
  REQUIRE(catalog.ok());
  auto suggestions = Suggestions::create(json{{"suggestions", {{"rememberProfile", false}}}}, catalog.value());
  REQUIRE(suggestions.ok());
  auto& s = suggestions.value();
  // Viewed P3, then P1, then P2, a minute apart (time decay is negligible next to the order).
  for (auto [id, at] : {std::pair{"P3", kStart}, std::pair{"P1", kStart + kMinute}, std::pair{"P2", kStart + 2 * kMinute}})
    REQUIRE(s.track(json{{"type", "view"}, {"productId", id}, {"at", at}}, catalog.value()).ok());
  const auto anchors = s.anchorsFor(Placement::PickedForYou, std::nullopt, catalog.value(), {}, kStart + 2 * kMinute);
  REQUIRE(anchors.size() == 3);
  const auto& products = catalog.value().products();
  CHECK(products[anchors[0].product].id == "P2");
  CHECK(products[anchors[1].product].id == "P1");
  CHECK(products[anchors[2].product].id == "P3");
  CHECK(anchors[1].weight / anchors[0].weight == Approx(0.5).epsilon(1e-3));
  CHECK(anchors[2].weight / anchors[0].weight == Approx(1.0 / 3).epsilon(1e-3));
  // The profile keeps the views in time order.
  CHECK(s.profile().views().front().productId == "P3");
  CHECK(s.profile().views().back().productId == "P2");
}

TEST_CASE("viewed-next rules lead bought-together in their direction only, weighed by weights.viewedNext", "[suggest][sequence]") {
  SequenceStore store;
  auto afterP1 = store.suggest({{"placement", "bought-together"}, {"productId", "P1"}, {"limit", 4}});
  REQUIRE(afterP1["items"].size() == 4);
  CHECK(afterP1["items"][0]["productId"] == "P2");
  CHECK(afterP1["items"][0]["reason"]["code"] == "bought-together");
  CHECK(afterP1["items"][0]["reason"]["productId"] == "P1");
  // P2 -> P3 exists, P2 -> P1 does not: P1 ranks with the products nothing links to.
  auto afterP2 = store.suggest({{"placement", "bought-together"}, {"productId", "P2"}, {"limit", 4}});
  CHECK(afterP2["items"][0]["productId"] == "P3");
  const double linked = afterP2["items"][0]["score"].get<double>();
  for (std::size_t i = 1; i < afterP2["items"].size(); ++i) CHECK(afterP2["items"][i]["score"].get<double>() < linked / 100);

  // Weight 0 turns the rules off: popularity alone, catalog order for equal scores.
  SequenceStore off(json{{"weights", {{"viewedNext", 0}}}});
  auto plain = off.suggest({{"placement", "bought-together"}, {"productId", "P2"}, {"limit", 4}});
  CHECK(plain["items"][0]["productId"] == "P1");
  CHECK(plain["items"][0]["reason"]["code"] == "popular");
  // The option reads back normalised.
  auto config = parseSuggestConfig(json{{"suggestions", {{"weights", {{"viewedNext", 2.5}}}}}});
  REQUIRE(config.ok());
  CHECK(config.value().viewedNextWeight == 2.5);
  CHECK(toJson(config.value())["weights"]["viewedNext"] == 2.5);
  auto bad = parseSuggestConfig(json{{"suggestions", {{"weights", {{"viewedNext", -1}}}}}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().path == "options.suggestions.weights.viewedNext");
}

TEST_CASE("a second viewed-next step reaches the product after next, below the direct one", "[suggest][sequence]") {
  // P1 -> P2 -> P3: the log never showed P3 right after P1, yet a shopper on P1 often goes on to it.
  SequenceStore store;
  auto afterP1 = store.suggest({{"placement", "bought-together"}, {"productId", "P1"}, {"limit", 4}});
  REQUIRE(afterP1["items"].size() == 4);
  CHECK(afterP1["items"][0]["productId"] == "P2");
  CHECK(afterP1["items"][1]["productId"] == "P3");
  INFO(afterP1.dump());
  const double direct = afterP1["items"][0]["score"].get<double>();
  const double twoSteps = afterP1["items"][1]["score"].get<double>();
  CHECK(twoSteps < direct);
  CHECK(twoSteps > 50 * afterP1["items"][2]["score"].get<double>());  // popularity alone
  CHECK(afterP1["items"][1]["reason"]["productId"] == "P1");
  // No step back: from P3 nothing leads on, so the rules add nothing.
  auto afterP3 = store.suggest({{"placement", "bought-together"}, {"productId", "P3"}, {"limit", 4}});
  CHECK(afterP3["items"][0]["reason"]["code"] == "popular");
}

TEST_CASE("the sibling step reaches what shoppers viewed after the anchor's predecessors, and only with its share", "[suggest][sequence]") {
  // P4 -> P1 and P4 -> P5: shoppers on P4 go on to P1 or P5, so P5 is an alternative to P1 that the log never
  // showed right after it. P1 -> P2 is P1's own rule.
  IndexBuildInput input;
  input.catalogVersion = "sibling-test";
  for (const char* id : {"P1", "P2", "P3", "P4", "P5"}) input.items.push_back(IndexBuildItem{id, 1.0, {}, {}, {}});
  input.items[0].next = {{1, 0.6}};
  input.items[3].next = {{0, 0.6}, {4, 0.6}};
  auto bytes = writeItemIndex(input);
  REQUIRE(bytes.ok());
  auto catalog = Catalog::fromJson(sequenceCatalog(), "GBP", "catalog");
  REQUIRE(catalog.ok());

  // Scores of every product with P1 on screen, by id.
  auto scoresOnP1 = [&](ScoringParams params) {
    auto suggestions = Suggestions::create(json{{"suggestions", {{"rememberProfile", false}}}}, catalog.value(), params);
    REQUIRE(suggestions.ok());
    REQUIRE(suggestions.value().loadIndex(bytes.value(), catalog.value()).ok());
    const auto anchors = suggestions.value().anchorsFor(Placement::BoughtTogether, 0u, catalog.value(), {}, kStart);
    std::vector<std::uint8_t> excluded(catalog.value().size(), 0);
    excluded[0] = 1;  // the product on screen
    ScoreQuery query;
    query.anchors = &anchors;
    query.excluded = &excluded;
    std::vector<Scored> top;
    suggestions.value().model().top(query, 5, top);
    std::map<std::string, double> scores;
    for (const auto& s : top) scores[catalog.value().products()[s.product].id] = s.score;
    return scores;
  };

  auto on = scoresOnP1(ScoringParams{});
  REQUIRE(on.size() == 4);
  CHECK_FALSE(on.count("P1"));
  // P3 and P4 have no rule from P1 by any path (P4 comes before it): content and popularity only, alike.
  const double baseline = on["P3"];
  CHECK(on["P4"] == baseline);
  // P2: P1's own rule; P5: the sibling, at the product of the two scores (P4 -> P1, P4 -> P5): about 0.6 of it.
  CHECK(on["P2"] > on["P5"]);
  CHECK(on["P5"] > baseline);
  CHECK((on["P5"] - baseline) / (on["P2"] - baseline) == Approx(0.6).epsilon(0.02));

  // A share of 0 turns the step off: P5 falls back to the baseline, P1's own rule is unchanged.
  ScoringParams off;
  off.siblingShare = 0;
  auto without = scoresOnP1(off);
  CHECK(without["P5"] == baseline);
  CHECK(without["P2"] == on["P2"]);
  // Half the share, half the lift.
  ScoringParams half;
  half.siblingShare = 0.5;
  auto halved = scoresOnP1(half);
  CHECK((halved["P5"] - baseline) / (on["P5"] - baseline) == Approx(0.5).epsilon(1e-9));
}
