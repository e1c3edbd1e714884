// Engine::cartAction and the shopper's quote choices: one action changes the cart and every feature that
// follows the cart hears of it inside the core; the answer carries what the page renders or dispatches.
#include <catch2/catch.hpp>

#include "../quote/quote_fixture.hpp"
#include "cartkeep/engine.hpp"

using namespace cartkeep;
using nlohmann::json;

namespace {

constexpr double kAt = 1733140800000;  // 2024-12-02T12:00Z

Engine ready(json options = quote_fixture::ukStore()) {
  Engine engine;
  options["events"] = {{"endpoint", "https://collect.example/e"}};
  options["consent"] = "granted";
  REQUIRE(engine.init(options.dump()));
  return engine;
}

json act(Engine& engine, json action) {
  if (!action.contains("at")) action["at"] = kAt;
  if (!action.contains("pageMs")) action["pageMs"] = 1000;
  auto answer = engine.cartAction(action.dump());
  REQUIRE(answer);
  return answer.value();
}

}  // namespace

TEST_CASE("a cart action changes the cart and answers with the cart", "[engine][action]") {
  Engine engine = ready();
  json update = act(engine, {{"type", "add"}, {"productId", "mug"}, {"quantity", 2}});
  CHECK(update["changed"] == true);
  CHECK(update["cart"]["count"] == 2);
  CHECK(update["cart"]["subtotal"] == 1700);
  CHECK(engine.cart().value() == update["cart"]);

  update = act(engine, {{"type", "set-quantity"}, {"productId", "mug"}, {"quantity", 5}});
  CHECK(update["cart"]["count"] == 5);
  update = act(engine, {{"type", "add"}, {"productId", "lantern"}});  // no quantity: one unit
  CHECK(update["cart"]["count"] == 6);
  update = act(engine, {{"type", "remove"}, {"productId", "mug"}});
  CHECK(update["cart"]["count"] == 1);
  update = act(engine, {{"type", "clear"}});
  CHECK(update["cart"]["count"] == 0);
  CHECK(update["changed"] == true);
}

TEST_CASE("an action that changes nothing tells no feature", "[engine][action]") {
  Engine engine = ready();
  REQUIRE(engine.persistRestore("", kAt, "tab1"));
  json update = act(engine, {{"type", "remove"}, {"productId", "mug"}});
  CHECK(update["changed"] == false);
  CHECK(update["behaviour"].is_null());
  CHECK(update["events"].is_null());
  CHECK(update["persist"].is_null());
  CHECK(update["suggest"].is_null());
}

TEST_CASE("the features that follow the cart hear of the action inside the core", "[engine][action]") {
  Engine engine = ready();

  SECTION("persistence answers with the snapshot to store once it has started") {
    json before = act(engine, {{"type", "add"}, {"productId", "mug"}});
    CHECK(before["persist"].is_null());  // not restored yet: restore picks the change up
    REQUIRE(engine.persistRestore("", kAt, "tab1"));
    json update = act(engine, {{"type", "add"}, {"productId", "book"}});
    REQUIRE(update["persist"].is_object());
    const std::string text = update["persist"]["text"];
    // What it stored restores the same cart in another engine.
    Engine other = ready();
    auto restored = other.persistRestore(text, kAt + 1000, "tab2");
    REQUIRE(restored);
    CHECK(other.cart().value()["count"] == 2);
  }

  SECTION("suggestions learn the product added, and the answer carries the profile to store") {
    json update = act(engine, {{"type", "add"}, {"productId", "lantern"}});
    REQUIRE(update["suggest"].is_object());
    CHECK(update["suggest"]["profile"] == engine.suggestProfile().value());
    const json& adds = update["suggest"]["profile"]["cartAdds"];
    REQUIRE(adds.size() == 1);
    CHECK(adds[0][0] == "lantern");
    CHECK(act(engine, {{"type", "set-quantity"}, {"productId", "lantern"}, {"quantity", 3}})["suggest"].is_null());
  }

  SECTION("the event stream records the cart event once it has started") {
    CHECK(act(engine, {{"type", "add"}, {"productId", "mug"}})["events"].is_null());
    json info = {{"pageId", "pageaction01"}, {"now", kAt}, {"url", "https://shop.example/cart"}, {"referrer", ""}};
    REQUIRE(engine.eventsStart(info.dump()));
    json update = act(engine, {{"type", "add"}, {"productId", "lantern"}, {"responseMs", 42}});
    REQUIRE(update["events"].is_object());
    const json state = engine.eventsState(kAt).value();
    CHECK_FALSE(state["cart"].is_null());  // the stream opened a cart for the shopper's items
  }

  SECTION("with the stored history, the answer carries what eventsPersist would answer after it") {
    json info = {{"pageId", "pageaction02"}, {"now", kAt}, {"url", "https://shop.example/cart"}, {"referrer", ""}};
    REQUIRE(engine.eventsStart(info.dump()));
    CHECK_FALSE(act(engine, {{"type", "add"}, {"productId", "mug"}})["events"].contains("persisted"));
    json update = act(engine, {{"type", "add"}, {"productId", "lantern"}, {"eventsHistory", ""}});
    REQUIRE(update["events"]["persisted"].is_object());
    // The outbox with the cart event in it, to store now, and the plan for the page's end.
    const json& persisted = update["events"]["persisted"];
    REQUIRE(persisted["store"]["outbox:pageaction02"].is_string());
    CHECK(persisted["store"]["outbox:pageaction02"].get<std::string>().find("add-to-cart") != std::string::npos);
    CHECK(persisted["closing"]["beacons"].is_array());
    auto refused = engine.cartAction(json({{"type", "add"}, {"productId", "mug"}, {"at", kAt}, {"eventsHistory", 3}}).dump());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().path == "action.eventsHistory");
  }

  SECTION("behaviour answers with its decisions and its next deadline") {
    json update = act(engine, {{"type", "add"}, {"productId", "mug"}});
    REQUIRE(update["behaviour"].is_object());
    CHECK(update["behaviour"]["outputs"].is_array());
    CHECK((update["behaviour"]["deadline"].is_null() || update["behaviour"]["deadline"].is_number()));
  }
}

TEST_CASE("a cart action with the store's time answers with the quote for the shopper's choices", "[engine][action][quote]") {
  Engine engine = ready();
  REQUIRE(engine.quoteChoose(R"({"destination": {"country": "FR"}, "coupons": ["WELCOME10"]})"));
  json update = act(engine, {{"type", "add"}, {"productId", "lantern"}, {"quantity", 2}, {"storeNow", "2024-12-02T09:00"}});
  REQUIRE(update["quote"].is_object());
  // The same question asked as a plain quote, with the choices written out, gives the same answer.
  auto asked = engine.quote(R"({"destination": {"country": "FR"}, "coupons": ["WELCOME10"], "now": "2024-12-02T09:00"})");
  REQUIRE(asked);
  CHECK(update["quote"] == asked.value());
  CHECK(update["quote"]["discount"].get<std::int64_t>() > 0);
  // Without the store's time the answer carries no quote.
  CHECK(act(engine, {{"type", "add"}, {"productId", "mug"}})["quote"].is_null());
}

TEST_CASE("the shopper's quote choices live in the core and fill every request", "[engine][quote]") {
  Engine engine = ready();
  act(engine, {{"type", "add"}, {"productId", "mug"}, {"quantity", 5}});
  const json plain = engine.quote(R"({"now": "2024-12-02T09:00"})").value();
  REQUIRE(engine.quoteChoose(R"({"coupons": ["WELCOME10"], "method": "express"})"));
  const json chosen = engine.quote(R"({"now": "2024-12-02T09:00"})").value();
  CHECK(chosen["discount"].get<std::int64_t>() > 0);
  CHECK(chosen["total"] != plain["total"]);
  // A request that names a choice overrides it for that quote only.
  CHECK(engine.quote(R"({"now": "2024-12-02T09:00", "coupons": []})").value()["discount"] == 0);
  CHECK(engine.quoteChoices().value() == json::parse(R"({"coupons": ["WELCOME10"], "method": "express"})"));
  // null clears one choice; the others stay.
  REQUIRE(engine.quoteChoose(R"({"coupons": null})"));
  CHECK(engine.quoteChoices().value() == json::parse(R"({"method": "express"})"));
  CHECK(engine.quote(R"({"now": "2024-12-02T09:00"})").value()["discount"] == 0);
  // quote.batch fills the choices in too.
  auto batch = engine.quoteBatch(R"([{"now": "2024-12-02T09:00"}, {"now": "2024-12-02T09:00", "method": "standard"}])");
  REQUIRE(batch);
  CHECK(batch.value()[0][3] != batch.value()[1][3]);  // shipping: express chosen vs standard asked
}

TEST_CASE("bad choices and bad actions are refused with the path, and change nothing", "[engine][action][quote]") {
  Engine engine = ready();
  REQUIRE(engine.quoteChoose(R"({"method": "express"})"));
  auto badCountry = engine.quoteChoose(R"({"destination": {"country": "gb!"}})");
  REQUIRE_FALSE(badCountry);
  CHECK(badCountry.error().path.rfind("choices.destination", 0) == 0);
  auto unknown = engine.quoteChoose(R"({"colour": "red"})");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().path == "choices.colour");
  CHECK(engine.quoteChoices().value() == json::parse(R"({"method": "express"})"));

  auto check = [&](const json& action, const std::string& path) {
    auto answer = engine.cartAction(action.dump());
    REQUIRE_FALSE(answer);
    CHECK(answer.error().code == ErrorCode::InvalidArgument);
    CHECK(answer.error().path == path);
  };
  check({{"type", "add"}, {"productId", "mug"}, {"at", -1}, {"pageMs", 0}}, "action.at");
  check({{"type", "add"}, {"productId", "mug"}, {"pageMs", 0}}, "action.at");
  check({{"type", "shake"}, {"at", kAt}}, "action.type");
  check({{"type", "add"}, {"productId", "mug"}, {"quantity", "2"}, {"at", kAt}}, "quantity");
  check({{"type", "add"}, {"productId", "mug"}, {"quantity", 1.5}, {"at", kAt}}, "quantity");
  check({{"type", "add"}, {"productId", "mug"}, {"at", kAt}, {"extra", 1}}, "action.extra");
  auto unknownProduct = engine.cartAction(json{{"type", "add"}, {"productId", "nope"}, {"at", kAt}}.dump());
  REQUIRE_FALSE(unknownProduct);
  CHECK(unknownProduct.error().code == ErrorCode::UnknownProduct);
  CHECK(engine.cart().value()["count"] == 0);
  auto notJson = engine.cartAction("{");
  REQUIRE_FALSE(notJson);
  CHECK(notJson.error().code == ErrorCode::InvalidJson);
  CHECK(notJson.error().path == "action");
}
