// Persistence through the Engine facade, as JS drives it: options, restore (migration, re-pricing,
// expiry, damage), save, cross-tab merge, resume links, context, forget.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "cartkeep/engine.hpp"
#include "persistence/persistence.hpp"

using namespace cartkeep;
using nlohmann::json;

namespace {

constexpr std::int64_t kMinute = 60000;
constexpr std::int64_t kPersistDay = 86400000;
constexpr double kPersistNow = 1710000000000;  // 2024-03-09

json persistCatalogJson(std::int64_t mugPrice = 850) {
  return json::array({json{{"id", "mug"}, {"title", "Enamel Mug"}, {"price", mugPrice}, {"stock", 5}},
                      json{{"id", "lantern"}, {"title", "White Metal Lantern"}, {"price", 339}},
                      json{{"id", "card"}, {"title", "Greeting Card"}, {"price", 42}, {"stock", 0}},
                      json{{"id", "lamp"}, {"title", "Lamp"}, {"price", 1999}}});
}

Engine makeEngine(json extra = json::object(), json catalog = persistCatalogJson()) {
  json options = {{"currency", "GBP"}, {"locale", "en-GB"}, {"catalog", std::move(catalog)}};
  for (auto& item : extra.items()) options[item.key()] = item.value();
  Engine engine;
  auto result = engine.init(options.dump());
  INFO((result.ok() ? std::string() : result.error().describe()));
  REQUIRE(result.ok());
  return engine;
}

std::vector<std::pair<std::string, std::int64_t>> linesOf(const json& cart) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto& line : cart["lines"]) out.emplace_back(line["productId"], line["quantity"]);
  return out;
}

using Lines = std::vector<std::pair<std::string, std::int64_t>>;

std::string readPersistFixture(const std::string& name) {
  std::ifstream file(std::string(CARTKEEP_SOURCE_DIR) + "/tests/fixtures/" + name);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string saved(Engine& engine, double now = kPersistNow, const std::string& stored = "") {
  auto result = engine.persistSave(stored, now);
  REQUIRE(result.ok());
  return result.value()["text"];
}

Error persistenceInitError(const json& persistence) {
  Engine engine;
  json options = {{"currency", "GBP"}, {"catalog", persistCatalogJson()}, {"persistence", persistence}};
  auto result = engine.init(options.dump());
  REQUIRE_FALSE(result.ok());
  return result.error();
}

}  // namespace

TEST_CASE("options.persistence: defaults, shorthands and errors that name the path", "[persistence][options]") {
  Engine engine = makeEngine();
  json normalised = engine.options().value()["persistence"];
  CHECK(normalised == json::parse(R"({"enabled":true,"storage":"local","namespace":"default","ttlDays":30,"sync":"auto",
    "returningAfterMinutes":30,"resumeUrls":{},"link":{"param":"cartkeep","maxLength":4000,"mode":"merge","url":""}})"));
  CHECK(makeEngine({{"persistence", false}}).options().value()["persistence"]["enabled"] == false);
  CHECK(makeEngine({{"persistence", {{"sync", false}, {"storage", "indexeddb"}}}}).options().value()["persistence"]["sync"] == "off");

  CHECK(persistenceInitError({{"ttlDays", 0}}).describe() == "options.persistence.ttlDays: expected an integer from 1 to 400, got 0");
  CHECK(persistenceInitError({{"ttl", 3}}).describe() == "options.persistence.ttl: unknown option");
  CHECK(persistenceInitError({{"ttlDay", 3}}).describe() == "options.persistence.ttlDay: unknown option (did you mean \"ttlDays\"?)");
  CHECK(persistenceInitError({{"namespace", "my shop"}}).path == "options.persistence.namespace");
  CHECK(persistenceInitError({{"storage", "cookie"}}).describe() ==
        "options.persistence.storage: expected one of \"local\", \"session\", \"indexeddb\", \"memory\", \"custom\", got \"cookie\"");
  CHECK(persistenceInitError({{"sync", "sometimes"}}).path == "options.persistence.sync");
  CHECK(persistenceInitError({{"link", {{"mode", "append"}}}}).path == "options.persistence.link.mode");
  CHECK(persistenceInitError({{"link", {{"maxLength", 10}}}}).path == "options.persistence.link.maxLength");
  CHECK(persistenceInitError({{"resumeUrls", {{"checkout", "javascript:alert(1)"}}}}).describe() ==
        "options.persistence.resumeUrls.checkout: expected a relative or http(s) URL, got \"javascript:alert(1)\"");
  CHECK(persistenceInitError({{"resumeUrls", {{"Check Out", "/checkout"}}}}).path == "options.persistence.resumeUrls[\"Check Out\"]");
  CHECK(persistenceInitError("yes").describe() == "options.persistence: expected an object, got \"yes\"");
}

TEST_CASE("re-pricing keeps what the cart can hold now and says what changed", "[persistence][reprice]") {
  Catalog catalog = Catalog::fromJson(persistCatalogJson(900), "GBP").value();
  SeenPrice mugSeen{850, "Enamel Mug", 1, "A"};
  SeenPrice lampSeen{1999, "Lamp", 1, "A"};
  SeenPrice goneSeen{500, "Old <i>Teapot</i>", 1, "A"};
  std::vector<WantedLine> wanted = {{"mug", 7, &mugSeen, {}},       {"gone", 1, &goneSeen, {}},
                                    {"card", 2, nullptr, {}},       {"lamp", 120, &lampSeen, {}},
                                    {"lantern", 2, nullptr, {}},    {"ghost", 1, nullptr, "cartkeep[4]"}};
  Repriced result = reprice(wanted, catalog, CartOptions{99, 2}, true);
  CHECK(result.lines == std::vector<ViewLine>{{"mug", 5}, {"lamp", 99}});
  // Each notice's text for the shopper is {key, values}, values formatted by the page ({number}, {money}).
  json expected = json::parse(R"([
    {"kind":"quantity-reduced","reason":"stock","productId":"mug","title":"Enamel Mug","from":7,"to":5,
     "message":{"key":"persist.notice.quantity-reduced.stock","values":{"title":"Enamel Mug","from":{"number":7},"to":{"number":5}}}},
    {"kind":"price-changed","productId":"mug","title":"Enamel Mug","from":850,"to":900,
     "message":{"key":"persist.notice.price-changed","values":{"title":"Enamel Mug","from":{"money":850},"to":{"money":900}}}},
    {"kind":"removed","reason":"unavailable","productId":"gone","title":"Old <i>Teapot</i>","quantity":1,
     "message":{"key":"persist.notice.removed.unavailable","values":{"title":"Old <i>Teapot</i>"}}},
    {"kind":"removed","reason":"out-of-stock","productId":"card","title":"Greeting Card","quantity":2,
     "message":{"key":"persist.notice.removed.out-of-stock","values":{"title":"Greeting Card"}}},
    {"kind":"quantity-reduced","reason":"limit","productId":"lamp","title":"Lamp","from":120,"to":99,
     "message":{"key":"persist.notice.quantity-reduced.limit","values":{"title":"Lamp","from":{"number":120},"to":{"number":99}}}},
    {"kind":"removed","reason":"cart-full","productId":"lantern","title":"White Metal Lantern","quantity":2,
     "message":{"key":"persist.notice.removed.cart-full","values":{"title":"White Metal Lantern"}}},
    {"kind":"link-unknown","productId":"ghost","path":"cartkeep[4]",
     "message":{"key":"persist.notice.link-unknown","values":{"id":"ghost"}}}])");
  CHECK(result.notices == expected);
  CHECK(reprice(wanted, catalog, CartOptions{99, 2}, false).notices.size() == expected.size() - 1);

  Catalog pricey = Catalog::fromJson(json::array({json{{"id", "gold"}, {"title", "Gold"}, {"price", 4000000000000000}},
                                                  json{{"id", "tin"}, {"title", "Tin"}, {"price", 1}}}),
                                     "GBP")
                       .value();
  Repriced overflow = reprice({{"gold", 2, nullptr, {}}, {"gold2", 0, nullptr, {}}, {"tin", 1, nullptr, {}}}, pricey,
                              CartOptions{99, 100}, false);
  CHECK(overflow.lines == std::vector<ViewLine>{{"gold", 2}, {"tin", 1}});
  Repriced tooMuch = reprice({{"gold", 3, nullptr, {}}}, pricey, CartOptions{99, 100}, false);
  CHECK(tooMuch.lines.empty());
  CHECK(tooMuch.notices[0]["reason"] == "overflow");
}

TEST_CASE("restoring the version-1 fixture migrates, re-prices and writes back the current format", "[persistence][migration]") {
  Engine engine = makeEngine();
  auto restored = engine.persistRestore(readPersistFixture("cart-v1.json"), kPersistNow, "tabA");
  REQUIRE(restored.ok());
  const json& out = restored.value();
  CHECK(out["status"] == "restored");
  CHECK(out["version"] == 1);
  CHECK(out["returning"] == true);
  CHECK(out["savedAt"] == 1709284500250);
  CHECK(linesOf(out["cart"]) == Lines{{"mug", 3}, {"lantern", 1}});
  CHECK(out["cart"]["subtotal"] == 3 * 850 + 339);  // the catalog's prices, never the stored 800
  CHECK(out["notices"] == json::parse(R"([
    {"kind":"price-changed","productId":"mug","title":"Enamel Mug","from":800,"to":850,
     "message":{"key":"persist.notice.price-changed","values":{"title":"Enamel Mug","from":{"money":800},"to":{"money":850}}}},
    {"kind":"removed","reason":"unavailable","productId":"retired-teapot","title":"Retired <b>Teapot</b>","quantity":1,
     "message":{"key":"persist.notice.removed.unavailable","values":{"title":"Retired <b>Teapot</b>"}}}])"));

  SnapshotRead written = decodeSnapshot(saved(engine));
  REQUIRE(written.ok());
  CHECK(written.version == kSnapshotVersion);
  CHECK(written.doc.view() == std::vector<ViewLine>{{"mug", 3}, {"lantern", 1}});
  CHECK(written.doc.lines.at("mug").seen.price == 850);  // the shopper has now seen the new price
  CHECK(written.doc.createdAt == 1709284500250);
  CHECK(written.doc.updatedAt == static_cast<std::int64_t>(kPersistNow));

  // The next page load finds nothing to report.
  Engine next = makeEngine();
  auto again = next.persistRestore(saved(engine), kPersistNow + kMinute, "tabB");
  REQUIRE(again.ok());
  CHECK(again.value()["notices"].empty());
  CHECK(again.value()["returning"] == false);
  CHECK(linesOf(again.value()["cart"]) == Lines{{"mug", 3}, {"lantern", 1}});
}

TEST_CASE("reload keeps the cart, a long absence is a welcome back, an old cart expires", "[persistence]") {
  Engine first = makeEngine();
  REQUIRE(first.persistRestore("", kPersistNow, "tab1").value()["status"] == "empty");
  REQUIRE(first.cartAdd("lamp", 2).ok());
  REQUIRE(first.cartAdd("mug", 1).ok());
  const std::string text = saved(first);

  Engine soon = makeEngine();
  auto reload = soon.persistRestore(text, kPersistNow + 29 * kMinute, "tab2").value();
  CHECK(reload["status"] == "restored");
  CHECK(reload["returning"] == false);
  CHECK(linesOf(reload["cart"]) == Lines{{"lamp", 2}, {"mug", 1}});
  CHECK(reload["cart"]["subtotal"] == 2 * 1999 + 850);

  Engine later = makeEngine({{"persistence", {{"returningAfterMinutes", 60}}}});
  CHECK(later.persistRestore(text, kPersistNow + 61 * kMinute, "tab3").value()["returning"] == true);

  Engine expired = makeEngine({{"persistence", {{"ttlDays", 7}}}});
  auto old = expired.persistRestore(text, kPersistNow + 7 * kPersistDay + 1, "tab4").value();
  CHECK(old["status"] == "expired");
  CHECK(old["cart"]["lines"].empty());
  Engine kept = makeEngine({{"persistence", {{"ttlDays", 7}}}});
  CHECK(kept.persistRestore(text, kPersistNow + 7 * kPersistDay, "tab5").value()["status"] == "restored");
}

TEST_CASE("a damaged snapshot starts clean, keeps what the shopper added, and says why", "[persistence]") {
  Engine engine = makeEngine();
  REQUIRE(engine.cartAdd("lantern", 1).ok());  // clicked before storage answered
  auto result = engine.persistRestore("{\"cartkeep\":\"cart\",\"version\":2,\"checksum\":\"crc32:00000000\",\"data\":{}}",
                                      kPersistNow, "tabA");
  REQUIRE(result.ok());
  CHECK(result.value()["status"] == "damaged");
  CHECK(result.value()["problem"]["code"] == "snapshot-checksum");
  CHECK(result.value()["problem"]["path"] == "snapshot.checksum");
  CHECK(linesOf(result.value()["cart"]) == Lines{{"lantern", 1}});
  // Merged with a good snapshot, pre-restore adds and stored lines both stay.
  Engine other = makeEngine();
  REQUIRE(other.persistRestore("", kPersistNow, "tabB").ok());
  REQUIRE(other.cartAdd("mug", 2).ok());
  Engine third = makeEngine();
  REQUIRE(third.cartAdd("lantern", 1).ok());
  CHECK(linesOf(third.persistRestore(saved(other), kPersistNow, "tabC").value()["cart"]) == Lines{{"mug", 2}, {"lantern", 1}});
}

TEST_CASE("two tabs editing at once merge without losing a line or a unit", "[persistence][merge]") {
  Engine a = makeEngine(), b = makeEngine();
  REQUIRE(a.persistRestore("", kPersistNow, "tabA").ok());
  REQUIRE(a.cartAdd("mug", 1).ok());
  const std::string start = saved(a);
  REQUIRE(b.persistRestore(start, kPersistNow, "tabB").ok());

  REQUIRE(a.cartAdd("mug", 1).ok());
  REQUIRE(a.cartAdd("lamp", 1).ok());
  REQUIRE(b.cartAdd("mug", 2).ok());
  REQUIRE(b.cartAdd("lantern", 3).ok());
  REQUIRE(b.cartRemove("mug").ok());  // b removes the 3 it sees; a's concurrent +1 survives

  auto intoB = b.persistMerge(saved(a, kPersistNow + 1), kPersistNow + 2).value();
  CHECK(intoB["changed"] == true);
  CHECK(intoB["behind"] == true);  // a lacks b's edits: b must save and broadcast
  const Lines expected{{"mug", 1}, {"lamp", 1}, {"lantern", 3}};
  CHECK(linesOf(intoB["cart"]) == Lines{{"mug", 1}, {"lamp", 1}, {"lantern", 3}});
  auto intoA = a.persistMerge(saved(b, kPersistNow + 3), kPersistNow + 4).value();
  CHECK(intoA["behind"] == false);
  CHECK(linesOf(a.cart().value()) == linesOf(b.cart().value()));
  CHECK(linesOf(a.cart().value()) == expected);
  // Nothing new: nothing changes, nobody is behind.
  auto idle = b.persistMerge(saved(a, kPersistNow + 5), kPersistNow + 6).value();
  CHECK(idle["changed"] == false);
  CHECK(idle["behind"] == false);
  CHECK_FALSE(idle.contains("cart"));

  // save() merges what storage holds before writing, so a tab never overwrites another's lines.
  REQUIRE(a.cartAdd("lantern", 1).ok());
  const std::string fromA = saved(a, kPersistNow + 7);
  REQUIRE(b.cartAdd("lamp", 1).ok());
  auto written = b.persistSave(fromA, kPersistNow + 8).value();
  CHECK(written["changed"] == true);
  CHECK(linesOf(written["cart"]) == Lines{{"mug", 1}, {"lamp", 2}, {"lantern", 4}});
  SnapshotRead stored = decodeSnapshot(written["text"].get<std::string>());
  CHECK(stored.doc.view() == std::vector<ViewLine>{{"mug", 1}, {"lamp", 2}, {"lantern", 4}});
}

TEST_CASE("a merge beyond stock shows what can be bought and keeps the rest of the intent", "[persistence][merge]") {
  Engine a = makeEngine(), b = makeEngine();
  REQUIRE(a.persistRestore("", kPersistNow, "tabA").ok());
  REQUIRE(b.persistRestore("", kPersistNow, "tabB").ok());
  REQUIRE(a.cartAdd("mug", 3).ok());
  REQUIRE(b.cartAdd("mug", 4).ok());
  auto merged = b.persistMerge(saved(a), kPersistNow + 1).value();
  CHECK(linesOf(merged["cart"]) == Lines{{"mug", 5}});  // stock 5
  REQUIRE(b.cartSetQuantity("mug", 2).ok());             // the shopper's choice wins over the 7 behind it
  REQUIRE(a.persistMerge(saved(b, kPersistNow + 2), kPersistNow + 3).ok());
  CHECK(linesOf(a.cart().value()) == Lines{{"mug", 2}});
  CHECK(decodeSnapshot(saved(a, kPersistNow + 4)).doc.quantity("mug") == 2);
}

TEST_CASE("a damaged message from another tab is reported, not merged", "[persistence][merge]") {
  Engine a = makeEngine();
  REQUIRE(a.persistRestore("", kPersistNow, "tabA").ok());
  auto result = a.persistMerge("{\"version\":99}", kPersistNow);
  REQUIRE_FALSE(result);
  CHECK(result.error().code == ErrorCode::SnapshotFutureVersion);
  auto cut = a.persistSave("{\"cartkeep\":", kPersistNow).value();
  CHECK(cut["storedProblem"]["code"] == "snapshot-corrupt");
  CHECK(decodeSnapshot(cut["text"].get<std::string>()).ok());
}

TEST_CASE("a message claiming more of this tab's own units than it added is refused, not merged", "[persistence][merge]") {
  Engine a = makeEngine(), b = makeEngine();
  REQUIRE(a.persistRestore("", kPersistNow, "tabA").ok());
  REQUIRE(a.cartAdd("mug", 2).ok());
  REQUIRE(a.cartAdd("lantern", 1).ok());
  REQUIRE(b.persistRestore(saved(a), kPersistNow, "tabB").ok());
  // A forged state: a's own counter on the mug raised to 10^9 added and removed (all of a's mugs "removed").
  SnapshotRead forged = decodeSnapshot(saved(b, kPersistNow + 1));
  REQUIRE(forged.ok());
  Contribution& own = forged.doc.lines.at("mug").by.at("tabA");
  own.added = own.removed = 1000000000;
  auto refused = a.persistMerge(encodeSnapshot(forged.doc), kPersistNow + 2);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::SnapshotInvalid);
  CHECK(refused.error().path == "snapshot.data.lines.mug.by.tabA");
  CHECK(linesOf(a.cart().value()) == Lines{{"mug", 2}, {"lantern", 1}});
  // The same state without the forgery merges: a tab may remove this tab's units, up to what it added.
  SnapshotRead honest = decodeSnapshot(saved(b, kPersistNow + 3));
  honest.doc.lines.at("mug").by.at("tabA").removed = 2;
  honest.doc.lines.at("mug").by.at("tabA").at = static_cast<std::int64_t>(kPersistNow) + 3;
  REQUIRE(a.persistMerge(encodeSnapshot(honest.doc), kPersistNow + 4));
  CHECK(linesOf(a.cart().value()) == Lines{{"lantern", 1}});
}

TEST_CASE("resume links carry the cart and the stage to another device", "[persistence][resume-link]") {
  Engine phone = makeEngine();
  REQUIRE(phone.persistRestore("", kPersistNow, "phone").ok());
  REQUIRE(phone.cartAdd("lamp", 1).ok());
  REQUIRE(phone.cartAdd("mug", 2).ok());
  REQUIRE(phone.persistSetContext(R"({"step":"checkout","coupon":"SAVE10"})", kPersistNow).ok());
  auto link = phone.resumeLink("{}").value();
  CHECK(link["step"] == "checkout");
  CHECK(link["coupon"] == "SAVE10");
  const std::string value = link["value"];

  Engine laptop = makeEngine();
  REQUIRE(laptop.persistRestore("", kPersistNow, "laptop").ok());
  auto applied = laptop.resumeLinkApply(value, kPersistNow + 1).value();
  CHECK(applied["format"] == "cartkeep");
  CHECK(applied["step"] == "checkout");
  CHECK(applied["coupon"] == "SAVE10");
  CHECK(applied["notices"].empty());
  CHECK(linesOf(applied["cart"]) == Lines{{"lamp", 1}, {"mug", 2}});
  // Recorded as the laptop's own edits: saved, and restored on the next page.
  Engine next = makeEngine();
  auto restored = next.persistRestore(saved(laptop, kPersistNow + 2), kPersistNow + 3, "laptop2").value();
  CHECK(linesOf(restored["cart"]) == Lines{{"lamp", 1}, {"mug", 2}});
  CHECK(restored["context"]["step"] == "checkout");
  // Applying the same link again changes nothing.
  CHECK(laptop.resumeLinkApply(value, kPersistNow + 4).value()["changed"] == false);
}

TEST_CASE("applying a link: unknown ids dropped with a notice, limits kept, merge or replace", "[persistence][resume-link]") {
  Engine engine = makeEngine();
  REQUIRE(engine.persistRestore("", kPersistNow, "tab").ok());
  REQUIRE(engine.cartAdd("lantern", 2).ok());
  REQUIRE(engine.cartAdd("mug", 4).ok());
  auto applied = engine.resumeLinkApply("mug:2,ghost:1,card:1,lamp:150,lantern:1,bad:x", kPersistNow).value();
  CHECK(applied["format"] == "list");
  CHECK(linesOf(applied["cart"]) == Lines{{"lantern", 2}, {"mug", 4}, {"lamp", 99}});  // merge keeps the larger quantity
  json kinds = json::array();
  for (const auto& notice : applied["notices"]) kinds.push_back(notice["kind"].get<std::string>() + ":" + notice.value("path", notice.value("reason", "")));
  CHECK(kinds == json::array({"link-item-invalid:cartkeep[5].quantity", "link-unknown:cartkeep[1]",
                              "removed:out-of-stock", "quantity-reduced:limit"}));

  Engine replacing = makeEngine({{"persistence", {{"link", {{"mode", "replace"}}}}}});
  REQUIRE(replacing.persistRestore("", kPersistNow, "tab").ok());
  REQUIRE(replacing.cartAdd("lantern", 2).ok());
  CHECK(linesOf(replacing.resumeLinkApply("mug:1", kPersistNow).value()["cart"]) == Lines{{"mug", 1}});
  CHECK(decodeSnapshot(saved(replacing)).doc.view() == std::vector<ViewLine>{{"mug", 1}});

  auto damaged = engine.resumeLinkApply("1.bXVnKjI.00000000", kPersistNow);
  REQUIRE_FALSE(damaged);
  CHECK(damaged.error().code == ErrorCode::InvalidLink);
  CHECK(linesOf(engine.cart().value()) == Lines{{"lantern", 2}, {"mug", 4}, {"lamp", 99}});
}

TEST_CASE("a cart too large for the configured link length says so", "[persistence][resume-link]") {
  Engine engine = makeEngine({{"persistence", {{"link", {{"maxLength", 64}}}}}});
  REQUIRE(engine.persistRestore("", kPersistNow, "tab").ok());
  for (const char* id : {"mug", "lantern", "lamp"}) REQUIRE(engine.cartAdd(id, 1).ok());
  CHECK(engine.resumeLink("{}"));
  REQUIRE(engine.persistSetContext(R"({"coupon":"A-VERY-LONG-COUPON-CODE-FOR-TESTING-LIMITS"})", kPersistNow).ok());
  auto link = engine.resumeLink("{}");
  REQUIRE_FALSE(link);
  CHECK(link.error().code == ErrorCode::LinkTooLong);
}

TEST_CASE("bad calls are errors with a path, nothing works before restore", "[persistence]") {
  Engine engine = makeEngine();
  auto early = engine.persistSave("", kPersistNow);
  REQUIRE_FALSE(early.ok());
  CHECK(early.error().code == ErrorCode::NotInitialised);
  CHECK(engine.persistRestore("", kPersistNow, "no spaces").error().path == "replica");
  CHECK(engine.persistRestore("", -1, "tab").error().path == "now");
  CHECK(engine.persistRestore("", std::numeric_limits<double>::quiet_NaN(), "tab").error().path == "now");
  REQUIRE(engine.persistRestore("", kPersistNow, "tab").ok());
  CHECK(engine.persistRestore("", kPersistNow, "other").error().path == "replica");
  CHECK(engine.persistSetContext(R"({"step":"Pay Now"})", kPersistNow).error().describe() ==
        "context.step: expected up to 32 characters of a-z 0-9 -");
  CHECK(engine.persistSetContext(R"({"coupon":"<b>"})", kPersistNow).error().path == "context.coupon");
  CHECK(engine.persistSetContext(R"({"stage":"pay"})", kPersistNow).error().path == "context.stage");
  CHECK(engine.persistSetContext("{", kPersistNow).error().code == ErrorCode::InvalidJson);
  CHECK(engine.resumeLink(R"({"step":1})").error().path == "request.step");
  Engine uninitialised;
  CHECK(uninitialised.persistRestore("", kPersistNow, "tab").error().code == ErrorCode::NotInitialised);
}

TEST_CASE("forget empties the cart and the next save stores nothing of the old cart", "[persistence]") {
  Engine engine = makeEngine();
  REQUIRE(engine.persistRestore("", kPersistNow, "tab").ok());
  REQUIRE(engine.cartAdd("mug", 2).ok());
  REQUIRE(engine.persistSetContext(R"({"step":"checkout"})", kPersistNow).ok());
  const std::string before = saved(engine);
  auto forgotten = engine.persistForget().value();
  CHECK(forgotten["cart"]["lines"].empty());
  SnapshotRead announced = decodeSnapshot(forgotten["text"].get<std::string>());
  REQUIRE(announced.ok());
  CHECK(announced.doc.epoch.replica == "tab");
  const std::string after = saved(engine, kPersistNow + 1);
  SnapshotRead read = decodeSnapshot(after);
  REQUIRE(read.ok());
  CHECK(read.doc.lines.empty());
  CHECK(read.doc.context.step.empty());
  CHECK(after.find("mug") == std::string::npos);
  CHECK(before.find("mug") != std::string::npos);
}

TEST_CASE("compaction for a full storage drops spent counters and keeps the cart", "[persistence]") {
  Engine engine = makeEngine();
  REQUIRE(engine.persistRestore("", kPersistNow, "tab").ok());
  for (int i = 0; i < 20; ++i) {
    REQUIRE(engine.cartAdd("lamp", 1).ok());
    REQUIRE(engine.persistSave("", kPersistNow + i).ok());
    REQUIRE(engine.cartRemove("lamp").ok());
    REQUIRE(engine.persistSave("", kPersistNow + i).ok());
  }
  REQUIRE(engine.cartAdd("mug", 1).ok());
  auto compacted = engine.persistCompact(kPersistNow + 100).value();
  CHECK(compacted["dropped"] == 1);
  SnapshotRead read = decodeSnapshot(compacted["text"].get<std::string>());
  CHECK(read.doc.lines.count("lamp") == 0);
  CHECK(read.doc.view() == std::vector<ViewLine>{{"mug", 1}});
}

TEST_CASE("a line removed and added again between two saves moves to the end in every tab", "[persistence][merge]") {
  Engine a = makeEngine(), b = makeEngine();
  REQUIRE(a.persistRestore("", kPersistNow, "tabA").ok());
  REQUIRE(a.cartAdd("mug", 1).ok());
  REQUIRE(a.cartAdd("lamp", 1).ok());
  REQUIRE(b.persistRestore(saved(a), kPersistNow, "tabB").ok());
  REQUIRE(a.cartRemove("mug").ok());
  REQUIRE(a.cartAdd("mug", 1).ok());  // no save in between: the document never saw the line at zero
  CHECK(linesOf(a.cart().value()) == Lines{{"lamp", 1}, {"mug", 1}});
  REQUIRE(b.persistMerge(saved(a, kPersistNow + 1), kPersistNow + 2).ok());
  CHECK(linesOf(b.cart().value()) == Lines{{"lamp", 1}, {"mug", 1}});
  Engine reload = makeEngine();
  CHECK(linesOf(reload.persistRestore(saved(a, kPersistNow + 3), kPersistNow + 4, "tabC").value()["cart"]) == Lines{{"lamp", 1}, {"mug", 1}});
}

TEST_CASE("forget in one tab reaches the others, and states from before it cannot bring the cart back", "[persistence][merge]") {
  Engine a = makeEngine(), b = makeEngine();
  REQUIRE(a.persistRestore("", kPersistNow, "tabA").ok());
  REQUIRE(a.cartAdd("mug", 2).ok());
  REQUIRE(b.persistRestore(saved(a), kPersistNow, "tabB").ok());
  REQUIRE(b.cartAdd("lamp", 1).ok());
  const std::string stale = saved(b, kPersistNow + 1);  // in flight while a forgets
  const std::string forgetText = a.persistForget().value()["text"];
  auto late = a.persistMerge(stale, kPersistNow + 3).value();
  CHECK(late["changed"] == false);
  CHECK(late["behind"] == true);  // b has yet to hear of the forget
  CHECK(a.cart().value()["lines"].empty());
  auto heard = b.persistMerge(forgetText, kPersistNow + 4).value();
  CHECK(heard["forgotten"] == true);
  CHECK(heard["changed"] == true);
  CHECK(heard["behind"] == false);
  CHECK(b.cart().value()["lines"].empty());
  // Both carry on in the new epoch and merge as usual.
  REQUIRE(b.cartAdd("lantern", 1).ok());
  REQUIRE(a.persistMerge(saved(b, kPersistNow + 5), kPersistNow + 6).ok());
  CHECK(linesOf(a.cart().value()) == Lines{{"lantern", 1}});
}
