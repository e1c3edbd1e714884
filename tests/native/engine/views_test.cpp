// Engine's standing views: registered once, brought up to date inside the core, and carried by the action's
// answer only when what they read changed.
#include <catch2/catch.hpp>

#include "../quote/quote_fixture.hpp"
#include "cartkeep/engine.hpp"

using namespace cartkeep;
using nlohmann::json;

namespace {

constexpr double kViewsAt = 1733140800000;  // 2024-12-02T12:00Z
const json kViewsClocks = {{"at", kViewsAt}, {"storeNow", "2024-12-02T09:00"}};

Engine viewsEngine() {
  Engine engine;
  REQUIRE(engine.init(quote_fixture::ukStore().dump()));
  REQUIRE(engine.persistRestore("", kViewsAt, "tab1"));
  return engine;
}

json viewsAct(Engine& engine, json action) {
  action["at"] = kViewsAt;
  action["pageMs"] = 1000;
  if (!action.contains("storeNow")) action["storeNow"] = "2024-12-02T09:00";
  auto answer = engine.cartAction(action.dump());
  REQUIRE(answer);
  return answer.value();
}

json viewsRegistered(Engine& engine, const std::string& key, const json& spec) {
  auto answer = engine.viewRegister(key, spec.dump(), kViewsClocks.dump());
  REQUIRE(answer);
  return answer.value();
}

Error viewsRefused(Engine& engine, const std::string& spec) {
  auto answer = engine.viewRegister("v", spec, kViewsClocks.dump());
  REQUIRE_FALSE(answer);
  return answer.error();
}

const json kCartQuote = {{"kind", "quote"}};
const json kMugPreview = {{"kind", "quote"}, {"request", {{"lines", {{{"productId", "mug"}, {"quantity", 1}}}}}}};

}  // namespace

TEST_CASE("a registered view answers its result, as the call it stands for would", "[engine][views]") {
  Engine engine = viewsEngine();
  viewsAct(engine, {{"type", "add"}, {"productId", "lantern"}});
  const json request = {{"lines", {{{"productId", "mug"}, {"quantity", 1}}}}, {"now", "2024-12-02T09:00"}};
  CHECK(viewsRegistered(engine, "preview", kMugPreview) == engine.quote(request.dump()).value());
  CHECK(viewsRegistered(engine, "link", {{"kind", "resume-link"}}) == engine.resumeLink("{}").value());
}

TEST_CASE("an action's answer carries the views whose result it changed, and only those", "[engine][views]") {
  Engine engine = viewsEngine();
  viewsRegistered(engine, "cart", kCartQuote);
  viewsRegistered(engine, "preview", kMugPreview);
  viewsRegistered(engine, "link", {{"kind", "resume-link"}});

  json update = viewsAct(engine, {{"type", "add"}, {"productId", "lantern"}});
  REQUIRE(update["views"].is_object());
  CHECK(update["views"].contains("cart"));
  CHECK(update["views"]["cart"] == update["quote"]);  // the same quote the action brings
  CHECK(update["views"].contains("link"));
  CHECK_FALSE(update["views"].contains("preview"));  // one mug alone: the cart does not change its quote
  CHECK(update["views"]["link"] == engine.resumeLink("{}").value());

  SECTION("an action that changes nothing carries no view") {
    update = viewsAct(engine, {{"type", "remove"}, {"productId", "book"}});
    CHECK(update["changed"] == false);
    CHECK(update["views"] == json::object());
  }
  SECTION("a view unregistered is absent from later answers") {
    CHECK(engine.viewUnregister("cart").value() == true);
    CHECK(engine.viewUnregister("cart").value() == false);
    update = viewsAct(engine, {{"type", "add"}, {"productId", "mug"}});
    CHECK_FALSE(update["views"].contains("cart"));
    CHECK(update["views"].contains("link"));
  }
  SECTION("a new store minute changes the quotes, and only the quotes") {
    auto refreshed = engine.viewsRefresh(json({{"at", kViewsAt + 60000}, {"storeNow", "2024-12-02T15:30"}}).dump());
    REQUIRE(refreshed);
    CHECK(refreshed.value().contains("cart"));  // past the order-by time: the dates move
    CHECK_FALSE(refreshed.value().contains("link"));
    // Asked again with nothing changed: nothing to carry.
    CHECK(engine.viewsRefresh(json({{"at", kViewsAt + 60000}, {"storeNow", "2024-12-02T15:30"}}).dump()).value() == json::object());
  }
  SECTION("a shopper's choice reaches the views at the next refresh") {
    REQUIRE(engine.quoteChoose(json({{"destination", {{"country", "FR"}}}}).dump()));
    auto refreshed = engine.viewsRefresh(kViewsClocks.dump());
    REQUIRE(refreshed);
    CHECK(refreshed.value()["cart"]["destination"]["country"] == "FR");
    CHECK(refreshed.value()["preview"]["destination"]["country"] == "FR");
  }
}

TEST_CASE("a view the state makes fail carries its error as its result", "[engine][views]") {
  Engine engine = viewsEngine();
  json result = viewsRegistered(engine, "gone", {{"kind", "quote"}, {"request", {{"lines", {{{"productId", "nope"}, {"quantity", 1}}}}}}});
  REQUIRE(result.contains("error"));
  CHECK(result["error"]["code"] == "unknown-product");
  CHECK(result["error"]["path"] == "request.lines[0].productId");
}

TEST_CASE("a view spec of the wrong shape is refused with its path", "[engine][views]") {
  Engine engine = viewsEngine();
  Error error = viewsRefused(engine, R"({"kind":"weather"})");
  CHECK(error.code == ErrorCode::InvalidArgument);
  CHECK(error.path == "view.kind");
  CHECK(viewsRefused(engine, R"({"kind":"quote","extra":1})").path == "view.extra");
  CHECK(viewsRefused(engine, R"({"kind":"quote","request":[]})").path == "view.request");
  CHECK(viewsRefused(engine, R"({"kind":"quote","request":{"now":"2024-12-02T09:00"}})").path == "view.request.now");
  CHECK(viewsRefused(engine, R"({"kind":"quote","request":{"lines":[{"productId":"mug","quantity":1.5}]}})").path ==
        "view.request.lines[0].quantity");
  CHECK(viewsRefused(engine, R"({"kind":"suggest","request":{"placement":"everywhere"}})").path == "view.request.placement");
  CHECK(viewsRefused(engine, "{").code == ErrorCode::InvalidJson);
  auto badClock = engine.viewRegister("v", kCartQuote.dump(), R"({"at":-1})");
  REQUIRE_FALSE(badClock);
  CHECK(badClock.error().path == "clocks.at");
  auto noKey = engine.viewRegister("", kCartQuote.dump(), kViewsClocks.dump());
  REQUIRE_FALSE(noKey);
  CHECK(noKey.error().path == "key");
  // Nothing refused was kept.
  CHECK(viewsAct(engine, {{"type", "add"}, {"productId", "mug"}})["views"] == json::object());
}

TEST_CASE("a free-shipping suggestions view takes the gap from the quote", "[engine][views]") {
  Engine engine = viewsEngine();
  json result = viewsRegistered(engine, "fill", {{"kind", "suggest"}, {"request", {{"placement", "free-shipping"}}}});
  CHECK(result["placement"] == "free-shipping");
  viewsAct(engine, {{"type", "add"}, {"productId", "mug"}});  // 850 of the 4000 for free standard delivery
  json update = viewsAct(engine, {{"type", "add"}, {"productId", "mug"}});
  REQUIRE(update["views"].contains("fill"));
  CHECK(update["views"]["fill"]["gap"] == update["quote"]["freeShipping"]["remaining"]);
}
