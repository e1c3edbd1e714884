// The event stream on scripted page sessions: ids, the cart's lifecycle (created, add, remove, checkout, steps,
// purchase), GA4 dataLayer pushes with exact decimal values, consent gating of the queue, storage and dataLayer,
// abandonment detection (idle timer, late on the next page, recovery), privacy of the records, the stored outbox
// handed from page to page, and the KPIs of a whole scripted journey read back from the device's history.
#include <catch2/catch.hpp>

#include <limits>
#include <set>

#include "events/events.hpp"

using namespace cartkeep;
using Catch::Detail::Approx;
using nlohmann::json;

namespace {

constexpr std::int64_t kMin = 60000;
constexpr std::int64_t T0 = 1700000000000;  // 2023-11-14

struct Shop {
  Options options;
  Catalog catalog;
  Cart cart;
  explicit Shop(const char* currency = "GBP") {
    options = parseOptions(json{{"currency", currency}, {"locale", "en-GB"}}).value();
    const std::int64_t scale = std::string(currency) == "KWD" ? 10 : 1;
    json items = json::array({json{{"id", "mug"}, {"title", "Enamel Mug"}, {"price", 850 * scale}, {"category", "Kitchen"}},
                              json{{"id", "lantern"}, {"title", "Lantern"}, {"price", 339 * scale}, {"brand", "Hearth"}},
                              json{{"id", "card"}, {"title", "Card"}, {"price", 42 * scale}}});
    catalog = Catalog::fromJson(items, currency).value();
    cart = Cart(options.cart);
  }
  TrackingStore view() const { return TrackingStore{options, catalog, cart}; }
  void add(const char* id, std::int64_t q) { REQUIRE(cart.add(catalog, id, q).ok()); }
  void set(const char* id, std::int64_t q) { REQUIRE(cart.setQuantity(catalog, id, q).ok()); }
};

Tracking makeTracking(json events = json::object(), json consent = "granted") {
  json root{{"events", std::move(events)}, {"consent", std::move(consent)}};
  auto e = parseEventsOptions(root);
  REQUIRE(e.ok());
  auto c = parseConsentOptions(root);
  REQUIRE(c.ok());
  return Tracking(e.value(), c.value());
}

json ok(Result<json> r) {
  if (!r.ok()) FAIL(r.error().describe());
  return r.value();
}

json start(Tracking& t, const Shop& shop, const std::string& page, std::int64_t now, const std::string& url,
           json stored = json::object(), const std::string& referrer = "") {
  return ok(t.start(shop.view(), json{{"pageId", page}, {"now", now}, {"url", url}, {"referrer", referrer}, {"stored", stored}}));
}

json change(Tracking& t, const Shop& shop, const char* action, const char* id, std::int64_t now, double responseMs = -1) {
  return ok(t.observe(shop.view(), "cart-change", json{{"action", action}, {"productId", id ? json(id) : json(nullptr)}},
                      static_cast<double>(now), responseMs));
}

std::vector<std::string> names(const Tracking& t) {
  std::vector<std::string> out;
  for (const auto& r : t.history()) out.push_back(r["name"]);
  return out;
}

const json& last(const Tracking& t, const std::string& name) {
  for (auto it = t.history().rbegin(); it != t.history().rend(); ++it)
    if ((*it)["name"] == name) return *it;
  FAIL("no " + name + " record");
  static json none;
  return none;
}

std::vector<std::string> emitted(const json& fx) {
  std::vector<std::string> out;
  for (const auto& e : fx["emit"]) out.push_back(e["name"]);
  return out;
}

}  // namespace

TEST_CASE("stream: page-view with a private path, the landing source, ids, and view-item on a product page", "[events]") {
  Shop shop;
  Tracking t = makeTracking();
  const json fx = start(t, shop, "pagea0001", T0,
                        "https://shop.example/shop/product.html?id=mug&utm_source=Newsletter&utm_medium=email&utm_campaign=Spring Sale&email=ada%40example.com#top");
  CHECK(names(t) == std::vector<std::string>{"page-view", "view-item"});
  const json& view = t.history()[0];
  CHECK(view["id"] == "pagea0001.1");
  CHECK(view["session"] == "spagea0001");
  CHECK(view["time"] == T0);
  CHECK(view["data"] == json{{"path", "/shop/product.html"}, {"type", "product"}, {"landing", true},
                             {"source", {{"source", "newsletter"}, {"medium", "email"}, {"campaign", "spring_sale"}}}});
  CHECK(t.history()[1]["id"] == "pagea0001.2");
  CHECK(t.history()[1]["data"]["items"] == json::array({{{"productId", "mug"}, {"title", "Enamel Mug"}, {"quantity", 1}, {"unitPrice", 850}}}));
  CHECK(emitted(fx) == std::vector<std::string>{"page-view", "view-item"});
  for (const auto& r : t.history()) CHECK(r.dump().find("ada") == std::string::npos);  // no personal data
  // Viewing the same product again on this page is not counted twice; an unknown product is an error.
  const json again = ok(t.track(shop.view(), "view-item", json{{"productId", "mug"}}, T0 + 1));
  CHECK(again["ignored"] == "already-viewed");
  auto unknown = t.track(shop.view(), "view-item", json{{"productId", "nope"}}, T0 + 1);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == ErrorCode::UnknownProduct);
  CHECK(unknown.error().describe() == "view-item.productId: no product \"nope\" in the catalog");
}

TEST_CASE("stream: traffic sources from UTM, gclid, referrers and none", "[events][traffic]") {
  auto source = [](const std::string& url, const std::string& referrer) { return trafficSource(parsePageUrl(url), referrer); };
  CHECK(source("https://s.example/?gclid=abc", "")["source"] == "google");
  CHECK(source("https://s.example/?gclid=abc", "")["medium"] == "cpc");
  CHECK(source("https://s.example/", "https://www.google.co.uk/search?q=mugs") == json{{"source", "google"}, {"medium", "organic"}, {"campaign", ""}});
  CHECK(source("https://s.example/", "https://mail.google.com/mail/u/0/")["medium"] == "email");
  CHECK(source("https://s.example/", "https://l.facebook.com/l.php?u=x")["source"] == "facebook");
  CHECK(source("https://s.example/", "https://www.blog.example/post?id=3") == json{{"source", "blog.example"}, {"medium", "referral"}, {"campaign", ""}});
  CHECK(source("https://s.example/a", "https://s.example/b")["source"] == "direct");  // internal navigation
  CHECK(source("https://s.example/", "")["source"] == "direct");
  CHECK(source("https://s.example/?utm_source=x", "")["medium"] == "unknown");
  const PageUrl u = parsePageUrl("HTTPS://User:pw@Shop.Example:8443/a%20b/c?x=1&y=a+b&z=%41#frag");
  CHECK(u.origin == "https://shop.example:8443");
  CHECK(u.host == "shop.example");
  CHECK(u.path == "/a%20b/c");
  CHECK(u.query.at("y") == "a b");
  CHECK(u.query.at("z") == "A");
  CHECK(parsePageUrl("").path == "/");
}

TEST_CASE("stream: the cart's lifecycle from cart-change events", "[events][cart]") {
  Shop shop;
  Tracking t = makeTracking();
  start(t, shop, "pageb0001", T0, "https://shop.example/");
  shop.add("mug", 2);
  json fx = change(t, shop, "add", "mug", T0 + 1000, 35.4);
  CHECK(emitted(fx) == std::vector<std::string>{"cart-created", "add-to-cart"});
  CHECK(fx["emit"][1]["detail"]["value"] == 1700);
  CHECK(fx["emit"][1]["detail"]["cart"] == t.cartId());
  const std::string cart = t.cartId();
  CHECK(cart == "cpageb0001.2");
  CHECK(fx["emit"][0]["detail"]["cart"] == cart);
  CHECK(fx["emit"][0]["detail"]["restored"] == false);
  const json& add = last(t, "add-to-cart");
  CHECK(add["cart"] == cart);
  CHECK(add["data"] == json{{"currency", "GBP"}, {"value", 1700}, {"items", {{{"productId", "mug"}, {"title", "Enamel Mug"}, {"quantity", 2}, {"unitPrice", 850}}}},
                            {"responseMs", 35}});
  shop.set("mug", 1);
  change(t, shop, "set-quantity", "mug", T0 + 2000);
  CHECK(last(t, "remove-from-cart")["data"]["value"] == 850);
  CHECK(last(t, "remove-from-cart")["data"]["items"][0]["quantity"] == 1);
  shop.add("lantern", 3);
  change(t, shop, "add", "lantern", T0 + 3000);
  CHECK(last(t, "add-to-cart")["data"]["value"] == 1017);
  CHECK_FALSE(last(t, "add-to-cart")["data"].contains("responseMs"));
  // A change without a difference (a rejected add) records nothing.
  const std::size_t before = t.history().size();
  change(t, shop, "add", "lantern", T0 + 3500);
  CHECK(t.history().size() == before);
  shop.cart.clear();
  change(t, shop, "clear", nullptr, T0 + 4000);
  const std::vector<std::string> all = names(t);
  std::vector<std::string> tail(all.end() - 2, all.end());
  CHECK(tail == std::vector<std::string>{"remove-from-cart", "remove-from-cart"});
  CHECK(t.cartId().empty());  // emptied: the journey ended
  shop.add("card", 1);
  fx = change(t, shop, "add", "card", T0 + 5000);
  CHECK(emitted(fx) == std::vector<std::string>{"cart-created", "add-to-cart"});
  CHECK(t.cartId() != cart);
  // Ids are unique and in order.
  std::set<std::string> ids;
  for (const auto& r : t.history()) ids.insert(r["id"].get<std::string>());
  CHECK(ids.size() == t.history().size());
}

TEST_CASE("stream: checkout on the checkout page, steps, purchase, and the cart cleared after it", "[events][checkout]") {
  Shop shop;
  Tracking page1 = makeTracking(json{{"checkoutSteps", {"contact", "delivery", "payment"}}});
  start(page1, shop, "pagec0001", T0, "https://shop.example/product?id=mug");
  shop.add("mug", 2);
  change(page1, shop, "add", "mug", T0 + 1000);
  const json stored{{"state", ok(page1.persist(true, "", T0 + 2000))["store"]["state"]}};

  Tracking page2 = makeTracking(json{{"checkoutSteps", {"contact", "delivery", "payment"}}});
  const json fx = start(page2, shop, "pagec0002", T0 + 61000, "https://shop.example/checkout", stored);
  CHECK(page2.cartId() == page1.cartId());  // the same cart, one page later
  CHECK(page2.sessionId() == page1.sessionId());
  CHECK(emitted(fx) == std::vector<std::string>{"page-view", "checkout-started"});
  const json& started = last(page2, "checkout-started");
  CHECK(started["data"]["sinceCartMs"] == 60000);
  CHECK(started["data"]["pages"] == 2);
  CHECK(started["data"]["value"] == 1700);
  CHECK(started["data"]["count"] == 2);
  json step = ok(page2.track(shop.view(), "checkout-step", json{{"step", "delivery"}}, T0 + 70000));
  CHECK(emitted(step) == std::vector<std::string>{"checkout-step"});
  CHECK(last(page2, "checkout-step")["data"] == json{{"step", "delivery"}, {"index", 2}, {"sinceCheckoutMs", 9000}});
  CHECK(ok(page2.track(shop.view(), "checkout-step", json{{"step", "delivery"}}, T0 + 71000))["ignored"] == "step-seen");
  ok(page2.track(shop.view(), "checkout-step", json{{"step", "payment"}}, T0 + 80000));
  const json bought = ok(page2.track(shop.view(), "purchase",
                                     json{{"orderId", "HT-00FF"}, {"shipping", 395}, {"tax", 0}, {"discount", 100}, {"coupon", "SAVE1"}},
                                     T0 + 90000));
  CHECK(emitted(bought) == std::vector<std::string>{"purchase"});
  const json& p = last(page2, "purchase");
  CHECK(p["cart"] == page1.cartId());
  CHECK(p["data"]["value"] == 1700 + 395 - 100);
  CHECK(p["data"]["subtotal"] == 1700);
  CHECK(p["data"]["pages"] == 2);
  CHECK(p["data"]["steps"] == 2);
  CHECK(p["data"]["sinceCartMs"] == 89000);
  CHECK(p["data"]["recovered"] == false);
  CHECK(p["data"]["coupon"] == "SAVE1");
  CHECK(page2.cartId().empty());
  // Clearing the bought cart is not a removal; the same order reported again is ignored.
  const std::size_t before = page2.history().size();
  shop.cart.clear();
  change(page2, shop, "clear", nullptr, T0 + 91000);
  CHECK(page2.history().size() == before);
  CHECK(ok(page2.track(shop.view(), "purchase", json{{"orderId", "HT-00FF"}, {"value", 1995}}, T0 + 92000))["ignored"] == "duplicate-order");
  auto empty = page2.track(shop.view(), "purchase", json{{"orderId", "HT-0100"}}, T0 + 93000);
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().describe() == "purchase.value: required when the cart is empty (the order total in minor units)");
}

TEST_CASE("stream: lifecycle API errors name the field", "[events][errors]") {
  Shop shop;
  Tracking t = makeTracking();
  start(t, shop, "paged0001", T0, "https://shop.example/");
  shop.add("mug", 1);
  change(t, shop, "add", "mug", T0);
  auto describe = [&](const char* name, json detail) {
    auto r = t.track(shop.view(), name, detail, T0 + 1);
    REQUIRE_FALSE(r.ok());
    return r.error().describe();
  };
  CHECK(describe("purchase", json{{"orderId", "ada@example.com"}}).rfind("purchase.orderId: expected an order reference", 0) == 0);
  CHECK(describe("purchase", json{{"orderId", "A1"}, {"value", 12.5}}) ==
        "purchase.value: expected a non-negative integer amount in minor units, got 12.5");
  CHECK(describe("purchase", json{{"orderId", "A1"}, {"currency", "EUR"}}) == "purchase.currency: expected the store currency \"GBP\", got \"EUR\"");
  CHECK(describe("purchase", json{{"orderId", "A1"}, {"email", "x"}}) == "purchase.email: unknown option");
  CHECK(describe("checkout-step", json{{"step", "Pay Now"}}) == "checkout-step.step: expected 1 to 32 characters a-z 0-9 -, got \"Pay Now\"");
  CHECK(describe("checkout-step", json::object()) == "checkout-step.step: required, expected a string");
  CHECK(describe("add-to-cart", json::object()).rfind("name: unknown event \"add-to-cart\"", 0) == 0);
  CHECK(describe("purchase", json::array()) == "purchase: expected an object, got an array");
}

TEST_CASE("stream: a time from JS that is not a time is refused, never clamped", "[events][errors][time]") {
  Shop shop;
  Tracking t = makeTracking();
  auto started = t.start(shop.view(), json{{"pageId", "paged0002"}, {"now", -5}, {"url", "https://shop.example/"}});
  REQUIRE_FALSE(started.ok());
  CHECK(started.error().path == "start.now");
  start(t, shop, "paged0002", T0, "https://shop.example/");
  auto ticked = t.tick(shop.view(), std::numeric_limits<double>::quiet_NaN());
  REQUIRE_FALSE(ticked.ok());
  CHECK(ticked.error().describe() == "now: expected a time in ms since 1970 (Date.now()), got NaN");
  CHECK(t.state(T0)["lastActivity"] == T0);  // the refused call changed nothing
}

TEST_CASE("stream: GA4 dataLayer pushes with exact decimal values", "[events][datalayer]") {
  CHECK(minorToDecimal(295, 2) == 2.95);
  CHECK(minorToDecimal(1500, 3) == 1.5);
  CHECK(minorToDecimal(500, 0) == 500.0);
  CHECK(minorToDecimal(5, 2) == 0.05);
  CHECK(minorToDecimal(-1999, 2) == -19.99);
  CHECK(json(minorToDecimal(123456789, 2)).dump() == "1234567.89");
  CHECK(json(minorToDecimal(999999999999999, 2)).dump() == "9999999999999.99");

  Shop shop;
  Tracking t = makeTracking(json{{"dataLayer", true}});
  start(t, shop, "pagee0001", T0, "https://shop.example/");
  shop.add("mug", 2);
  json fx = change(t, shop, "add", "mug", T0 + 1);
  const json expected = json::array({
      {{"event", "cartkeep_cart_created"}, {"cartkeep", {{"restored", false}, {"source", {{"source", "direct"}, {"medium", "none"}, {"campaign", ""}}},
                                                         {"id", "pagee0001.3"}, {"cart", "cpagee0001.2"}}}},
      {{"ecommerce", nullptr}},
      {{"event", "add_to_cart"}, {"ecommerce", {{"currency", "GBP"}, {"value", 17.0},
        {"items", {{{"item_id", "mug"}, {"item_name", "Enamel Mug"}, {"item_category", "Kitchen"}, {"price", 8.5}, {"quantity", 2}}}}}}},
  });
  CHECK(fx["dataLayer"] == expected);
  shop.add("lantern", 1);
  change(t, shop, "add", "lantern", T0 + 2);
  fx = ok(t.track(shop.view(), "checkout-step", json{{"step", "shipping"}}, T0 + 3));
  // begin_checkout first (the step implies it), then add_shipping_info, then the step for tag managers.
  REQUIRE(fx["dataLayer"].size() == 4);
  CHECK(fx["dataLayer"][1]["event"] == "begin_checkout");
  CHECK(fx["dataLayer"][1]["ecommerce"]["value"] == 20.39);
  CHECK(fx["dataLayer"][1]["ecommerce"]["items"][1] ==
        json{{"item_id", "lantern"}, {"item_name", "Lantern"}, {"item_brand", "Hearth"}, {"price", 3.39}, {"quantity", 1}});
  CHECK(fx["dataLayer"][3]["event"] == "add_shipping_info");
  fx = ok(t.track(shop.view(), "purchase", json{{"orderId", "A-1"}, {"shipping", 395}, {"tax", 408}}, T0 + 4));
  const json& purchase = fx["dataLayer"][1];
  CHECK(purchase["event"] == "purchase");
  CHECK(purchase["ecommerce"]["transaction_id"] == "A-1");
  CHECK(purchase["ecommerce"]["value"] == 28.42);
  CHECK(purchase["ecommerce"]["tax"] == 4.08);
  CHECK(purchase["ecommerce"]["shipping"] == 3.95);
  CHECK(purchase["ecommerce"]["items"].size() == 2);
  fx = ok(t.observe(shop.view(), "exit-intent", json{{"reason", "top"}, {"page", "cart"}}, T0 + 5));
  CHECK(fx["dataLayer"] == json::array({{{"event", "cartkeep_exit_intent"}, {"cartkeep", {{"reason", "top"}, {"page", "cart"}, {"id", "pagee0001.9"}}}}}));

  Shop kwd("KWD");
  Tracking k = makeTracking(json{{"dataLayer", "shopLayer"}});
  start(k, kwd, "pagee0002", T0, "https://shop.example/");
  kwd.add("mug", 1);
  fx = change(k, kwd, "add", "mug", T0 + 1);
  CHECK(fx["dataLayer"][2]["ecommerce"]["value"] == 8.5);  // 8500 fils
  CHECK(fx["dataLayer"][2]["ecommerce"]["currency"] == "KWD");
  CHECK(toJson(k.options())["dataLayer"] == "shopLayer");
}

TEST_CASE("stream: consent gates the queue, storage and the dataLayer", "[events][consent]") {
  Shop shop;
  Tracking t = makeTracking(json{{"endpoint", "/collect"}, {"dataLayer", true}, {"batch", {{"intervalMs", 0}}}}, json::object());
  json fx = start(t, shop, "pagef0001", T0, "https://shop.example/");
  CHECK(t.consent().state() == ConsentState::Pending);
  shop.add("mug", 1);
  fx = change(t, shop, "add", "mug", T0 + 1);
  CHECK(fx["dataLayer"].empty());
  CHECK(fx["store"].empty());
  CHECK(fx["flushAt"].is_null());
  CHECK(t.outbox().size() == 3);  // waiting in memory
  CHECK(ok(t.next(T0 + 2, "now"))["batches"].empty());
  CHECK(ok(t.persist(true, "", T0 + 2))["store"].empty());
  // Granted: the waiting pushes go to the dataLayer, the queue may go out, state may be stored.
  fx = ok(t.setConsent("granted", "api", T0 + 3));
  CHECK(fx["consent"]["state"] == "granted");
  CHECK(emitted(fx) == std::vector<std::string>{"consent-change"});
  CHECK(fx["dataLayer"].size() == 3);  // cart_created, then the ecommerce clear and add_to_cart
  CHECK(fx["store"]["consent"].is_string());
  CHECK(fx["store"]["state"].is_string());
  CHECK(fx["flushAt"] == T0 + 3);
  json next = ok(t.next(T0 + 3, "timer"));
  REQUIRE(next["batches"].size() == 1);
  CHECK(next["batches"][0]["count"] == 3);
  CHECK(next["batches"][0]["endpoint"] == "/collect");
  ok(t.result(next["batches"][0]["id"].get<std::string>(), 204, 0, T0 + 4));
  // Denied: everything queued is dropped, storage cleared, nothing new is queued or pushed.
  shop.add("lantern", 1);
  change(t, shop, "add", "lantern", T0 + 5);
  CHECK(t.outbox().size() == 1);
  fx = ok(t.setConsent("denied", "api", T0 + 6));
  CHECK(fx["clearStorage"] == true);
  CHECK(t.outbox().size() == 0);
  shop.add("card", 1);
  fx = change(t, shop, "add", "card", T0 + 7);
  CHECK(t.outbox().size() == 0);
  CHECK(fx["dataLayer"].empty());
  CHECK(fx["store"].empty());
  CHECK(ok(t.next(T0 + 8, "now"))["batches"].empty());
  CHECK(t.history().size() == 5);  // still counted on this page, in memory only: page-view, cart-created, 3 adds
  // GPC on a later page: denied from the start, and whatever an earlier page stored is removed.
  Tracking gpc = makeTracking(json{{"endpoint", "/collect"}}, "granted");
  fx = ok(gpc.start(shop.view(), json{{"pageId", "pagef0002"}, {"now", T0}, {"url", "https://shop.example/"}, {"gpc", true}}));
  CHECK(gpc.consent().state() == ConsentState::Denied);
  CHECK(fx["clearStorage"] == true);
  CHECK(gpc.outbox().size() == 0);
}

TEST_CASE("stream: abandonment after the idle time, once per idle period, with the cart and a resume link", "[events][abandonment]") {
  Shop shop;
  Tracking t = makeTracking(json{{"abandonment", {{"idleMinutes", 30}, {"resumeUrl", "/cart"}}}});
  t.setLinkProvider([](const TrackingStore& store, const std::string& step) {
    std::string value = "1.";
    for (const auto& line : store.cart.lines()) value += line.productId + "*" + std::to_string(line.quantity);
    return json{{"ok", true}, {"value", value + "." + step}, {"param", "cartkeep"}};
  });
  start(t, shop, "pageg0001", T0, "https://shop.example/product?id=mug");
  shop.add("mug", 2);
  json fx = change(t, shop, "add", "mug", T0 + 1000);
  CHECK(fx["deadline"] == T0 + 1000 + 30 * kMin);
  CHECK(ok(t.tick(shop.view(), T0 + 1000 + 30 * kMin - 1))["emit"].empty());
  fx = ok(t.tick(shop.view(), T0 + 1000 + 30 * kMin));
  REQUIRE(emitted(fx) == std::vector<std::string>{"cart-abandoned"});
  const json& d = fx["emit"][0]["detail"];
  CHECK(d["cart"] == t.cartId());
  CHECK(d["idleMs"] == 30 * kMin);
  CHECK(d["stage"] == "cart");
  CHECK(d["count"] == 2);
  CHECK(d["subtotal"] == 1700);
  CHECK(d["items"] == json::array({{{"productId", "mug"}, {"title", "Enamel Mug"}, {"quantity", 2}, {"unitPrice", 850}}}));
  CHECK(d["resumeLink"] == "https://shop.example/cart?cartkeep=1.mug*2.cart");
  CHECK(d["resumeLinkStatus"] == "ok");
  CHECK(d["late"] == false);
  CHECK(d["occurrence"] == 1);
  CHECK(fx["deadline"].is_null());
  CHECK(ok(t.tick(shop.view(), T0 + 90 * kMin))["emit"].empty());  // once per idle period
  // The shopper comes back: re-armed; left again in checkout.
  ok(t.activity(shop.view(), T0 + 100 * kMin));
  ok(t.track(shop.view(), "checkout-step", json{{"step", "payment"}}, T0 + 101 * kMin));
  fx = ok(t.tick(shop.view(), T0 + 131 * kMin));
  REQUIRE(emitted(fx) == std::vector<std::string>{"cart-abandoned"});
  CHECK(fx["emit"][0]["detail"]["occurrence"] == 2);
  CHECK(fx["emit"][0]["detail"]["stage"] == "checkout");
  CHECK(fx["emit"][0]["detail"]["step"] == "payment");
  CHECK(fx["emit"][0]["detail"]["resumeLink"] == "https://shop.example/cart?cartkeep=1.mug*2.payment");
  // A purchase afterwards is a recovery.
  ok(t.track(shop.view(), "purchase", json{{"orderId", "R-1"}}, T0 + 200 * kMin));
  CHECK(last(t, "purchase")["data"]["recovered"] == true);
  // A link page relative to this page (persistence.resumeUrls: "cart.html") becomes absolute.
  Tracking relative = makeTracking(json{{"abandonment", {{"idleMinutes", 1}}}});
  relative.setLinkProvider([](const TrackingStore&, const std::string& step) {
    return json{{"ok", true}, {"value", "v." + step}, {"param", "ck"}, {"url", "./cart.html"}};
  });
  Shop third;
  start(relative, third, "pageg0003", T0, "https://shop.example/demo/product.html?id=mug");
  third.add("card", 1);
  change(relative, third, "add", "card", T0);
  fx = ok(relative.tick(third.view(), T0 + kMin));
  CHECK(fx["emit"][0]["detail"]["resumeLink"] == "https://shop.example/demo/cart.html?ck=v.cart");
  // Without a link maker the field is null and marked pending.
  Tracking plain = makeTracking(json{{"abandonment", {{"idleMinutes", 1}}}});
  Shop other;
  start(plain, other, "pageg0002", T0, "https://shop.example/");
  other.add("card", 1);
  change(plain, other, "add", "card", T0);
  fx = ok(plain.tick(other.view(), T0 + kMin));
  CHECK(fx["emit"][0]["detail"]["resumeLink"].is_null());
  CHECK(fx["emit"][0]["detail"]["resumeLinkStatus"] == "pending");
}

TEST_CASE("stream: a cart left on an earlier page is abandoned when the next page starts", "[events][abandonment]") {
  Shop shop;
  Tracking page1 = makeTracking();
  start(page1, shop, "pageh0001", T0, "https://shop.example/");
  shop.add("lantern", 2);
  change(page1, shop, "add", "lantern", T0 + 1000);
  const json stored{{"state", ok(page1.persist(true, "", T0 + 1000))["store"]["state"]}};

  Shop later;  // the next page: the cart is not loaded yet when the stream starts
  Tracking page2 = makeTracking();
  const json fx = start(page2, later, "pageh0002", T0 + 1000 + 45 * kMin, "https://shop.example/", stored);
  REQUIRE(emitted(fx) == std::vector<std::string>{"cart-abandoned", "page-view"});
  const json& d = fx["emit"][0]["detail"];
  CHECK(d["late"] == true);
  CHECK(d["idleMs"] == 45 * kMin);
  CHECK(d["subtotal"] == 678);
  CHECK(d["count"] == 2);
  CHECK(d["cart"] == page1.cartId());
  CHECK(page2.sessionId() != page1.sessionId());  // 45 minutes later: a new session
  CHECK(names(page2) == std::vector<std::string>{"cart-abandoned", "page-view"});
  // Within the idle time the next page just continues.
  Tracking page3 = makeTracking();
  start(page3, later, "pageh0003", T0 + 1000 + 10 * kMin, "https://shop.example/", stored);
  CHECK(names(page3) == std::vector<std::string>{"page-view"});
  CHECK(page3.sessionId() == page1.sessionId());
}

TEST_CASE("stream: other features' events become sanitised records", "[events][privacy]") {
  Shop shop;
  Tracking t = makeTracking();
  start(t, shop, "pagei0001", T0, "https://shop.example/");
  shop.add("mug", 1);
  change(t, shop, "add", "mug", T0);
  ok(t.observe(shop.view(), "nudge", json{{"type", "nudge"}, {"id", "coupon-1"}, {"rule", "coupon"}, {"trigger", "top"}, {"heldOut", false},
                                         {"offer", {{"type", "coupon"}, {"code", "SECRET10"}, {"percentOff", 10}}}}, T0 + 1));
  CHECK(last(t, "nudge-shown")["data"] == json{{"nudge", "coupon-1"}, {"rule", "coupon"}, {"offer", "coupon"}, {"trigger", "top"}, {"heldOut", false}});
  CHECK(last(t, "nudge-shown")["cart"] == t.cartId());
  ok(t.observe(shop.view(), "nudge", json{{"id", "save-2"}, {"heldOut", true}}, T0 + 2));
  CHECK(last(t, "nudge-shown")["data"]["heldOut"] == true);
  ok(t.observe(shop.view(), "nudge-outcome", json{{"id", "coupon-1"}, {"outcome", "accepted"}}, T0 + 3));
  ok(t.observe(shop.view(), "nudge-dismissed", json{{"id", "save-2"}}, T0 + 4));
  CHECK(last(t, "nudge-accepted")["data"]["nudge"] == "coupon-1");
  CHECK(last(t, "nudge-dismissed")["data"]["nudge"] == "save-2");
  ok(t.observe(shop.view(), "exit-intent", json{{"reason", "top <script>"}, {"x", 12}, {"page", "cart"}}, T0 + 5));
  CHECK(last(t, "exit-intent")["data"] == json{{"reason", "top__script_"}, {"page", "cart"}});
  ok(t.observe(shop.view(), "risk", json{{"score", 0.71234}, {"reasons", {{{"signal", "cart-dwell"}}, {{"signal", "coupon-hunting"}}}}}, T0 + 6));
  CHECK(last(t, "risk")["data"] == json{{"score", 0.712}, {"reasons", {"cart-dwell", "coupon-hunting"}}});
  ok(t.observe(shop.view(), "suggestion-impression",
               json{{"placement", "cart"}, {"items", {{{"productId", "lantern"}}, {{"productId", "ada@example.com"}}, {{"productId", "card"}}}}}, T0 + 7));
  CHECK(last(t, "suggestion-impression")["data"] == json{{"placement", "cart"}, {"productIds", {"lantern", "card"}}});
  ok(t.observe(shop.view(), "suggestion-click", json{{"placement", "cart"}, {"productId", "lantern"}, {"position", 2}}, T0 + 8));
  CHECK(last(t, "suggestion-click")["data"] == json{{"placement", "cart"}, {"productId", "lantern"}, {"position", 2}});
  // The carousel's add button: a click with action "add" is recorded and delivered as suggestion-add.
  const json added = ok(t.observe(shop.view(), "suggestion-click",
                                  json{{"placement", "cart"}, {"productId", "card"}, {"position", 3}, {"action", "add"}}, T0 + 8));
  CHECK(emitted(added) == std::vector<std::string>{"suggestion-add"});
  CHECK(last(t, "suggestion-add")["data"] == json{{"placement", "cart"}, {"productId", "card"}, {"position", 3}});
  CHECK(emitted(ok(t.observe(shop.view(), "restore", json{{"status", "restored"}, {"notices", json::array({1, 2})}}, T0 + 9))) ==
        std::vector<std::string>{"cart-restored"});
  CHECK(last(t, "cart-restored")["data"] == json{{"status", "restored"}, {"count", 1}, {"notices", 2}});
  // The saved cart loaded by the next page of the same visit is not a restore.
  CHECK(ok(t.observe(shop.view(), "restore", json{{"status", "restored"}, {"returning", false}}, T0 + 9))["emit"].empty());
  CHECK(names(t).back() == "cart-restored");
  CHECK(emitted(ok(t.observe(shop.view(), "restore", json{{"status", "restored"}, {"returning", true}}, T0 + 9))) ==
        std::vector<std::string>{"cart-restored"});
  ok(t.observe(shop.view(), "resume", json{{"format", "cartkeep"}, {"step", "checkout"}}, T0 + 10));
  CHECK(last(t, "cart-resumed")["data"] == json{{"format", "cartkeep"}, {"step", "checkout"}, {"count", 1}});
  // Unknown events and the stream's own events are not recorded; quote details never are.
  const std::size_t before = t.history().size();
  ok(t.observe(shop.view(), "quote-change", json{{"state", {{"destination", {{"postcode", "SW1Y 4JH"}}}}}}, T0 + 11));
  ok(t.observe(shop.view(), "cart-created", json::object(), T0 + 12));
  ok(t.observe(shop.view(), "resume-link", json{{"ok", false}, {"problem", {{"code", "invalid-link"}}}}, T0 + 12));
  ok(t.observe(shop.view(), "ready", json::object(), T0 + 13));
  CHECK(t.history().size() == before);
  for (const auto& r : t.history()) {
    CHECK(r.dump().find("SW1Y") == std::string::npos);
    CHECK(r.dump().find("SECRET10") == std::string::npos);
    CHECK(r.dump().find("ada@") == std::string::npos);
  }
  // A cart loaded without an event (restored) starts a journey marked restored.
  Shop restored;
  restored.add("mug", 3);
  Tracking r = makeTracking();
  const json fx = start(r, restored, "pagei0002", T0, "https://shop.example/");
  CHECK(emitted(fx) == std::vector<std::string>{"page-view", "cart-created"});
  CHECK(fx["emit"][1]["detail"]["restored"] == true);
}

TEST_CASE("stream: the outbox stored after a failure is removed once its events are delivered", "[events][transport]") {
  Shop shop;
  Tracking t = makeTracking(json{{"endpoint", "https://collect.example/e"}, {"batch", {{"intervalMs", 0}}}, {"retry", {{"baseMs", 10}, {"maxMs", 10}}}});
  start(t, shop, "pagek0001", T0, "https://shop.example/");
  json next = ok(t.next(T0 + 1, "timer"));
  REQUIRE(next["batches"].size() == 1);
  CHECK(ok(t.result(next["batches"][0]["id"].get<std::string>(), 500, 0, T0 + 2))["store"]["outbox:pagek0001"].is_string());
  next = ok(t.next(T0 + 1000, "timer"));
  REQUIRE(next["batches"].size() == 1);
  const json delivered = ok(t.result(next["batches"][0]["id"].get<std::string>(), 204, 0, T0 + 1001));
  CHECK(delivered["outcome"] == "delivered");
  REQUIRE(delivered["store"].contains("outbox:pagek0001"));
  CHECK(delivered["store"]["outbox:pagek0001"].is_null());
}

TEST_CASE("stream: a closed page's stored outbox is adopted by the next page, once", "[events][transport]") {
  Shop shop;
  const json events{{"endpoint", "https://collect.example/e"}, {"batch", {{"intervalMs", 0}}}};
  Tracking a = makeTracking(events);
  start(a, shop, "pagej0001", T0, "https://shop.example/");
  shop.add("mug", 1);
  change(a, shop, "add", "mug", T0 + 1);
  json next = ok(a.next(T0 + 2, "timer"));
  REQUIRE(next["batches"].size() == 1);
  json failed = ok(a.result(next["batches"][0]["id"].get<std::string>(), 503, 0, T0 + 3));
  CHECK(failed["outcome"] == "retry");
  CHECK(failed["store"]["outbox:pagej0001"].is_string());  // stored at once
  const json persisted = ok(a.persist(true, "", T0 + 4))["store"];
  const std::string text = persisted["outbox:pagej0001"];
  CHECK(json::parse(text)["closed"] == true);

  Tracking b = makeTracking(events);
  const json stored{{"state", persisted["state"]}, {"outboxes", {{{"key", "outbox:pagej0001"}, {"text", text}}, {{"key", "outbox:pagex0009"}, {"text", "{broken"}}}}};
  const json fx = start(b, shop, "pagej0002", T0 + 10000, "https://shop.example/cart", stored);
  CHECK(fx["store"].contains("outbox:pagej0001"));
  CHECK(fx["store"]["outbox:pagej0001"].is_null());  // adopted: removed
  CHECK(fx["store"]["outbox:pagex0009"].is_null());  // damaged: removed
  CHECK(b.outbox().size() == 4);                     // page A's three and this page's page-view
  next = ok(b.next(T0 + 20000, "now"));
  REQUIRE(next["batches"].size() == 1);
  const json body = json::parse(next["batches"][0]["body"].get<std::string>());
  CHECK(body["events"][0]["id"] == "pagej0001.1");
  CHECK(body["page"] == "pagej0002");
  // An open page's outbox is left to it.
  Tracking c = makeTracking(events);
  json open = json::parse(text);
  open["closed"] = false;
  open["updatedAt"] = T0 + 9000;
  const json fx2 = start(c, shop, "pagej0003", T0 + 10000, "https://shop.example/", json{{"outboxes", {{{"key", "outbox:pagej0001"}, {"text", open.dump()}}}}});
  CHECK_FALSE(fx2["store"].contains("outbox:pagej0001"));
  // Back from the back/forward cache after another page adopted ours: we let those events go.
  CHECK(a.outbox().size() == 3);
  ok(a.reclaim(false, T0 + 30000));
  CHECK(a.outbox().size() == 0);
}

TEST_CASE("stream: persist plans the page's closing: beacons for the queue and the outbox stored closed, queue untouched", "[events][transport]") {
  Shop shop;
  const json events{{"endpoint", "https://collect.example/e"}};
  Tracking a = makeTracking(events);
  start(a, shop, "pagem0001", T0, "https://shop.example/");
  shop.add("mug", 1);
  change(a, shop, "add", "mug", T0 + 1);
  const std::size_t queued = a.outbox().size();
  REQUIRE(queued >= 2);
  const json plan = ok(a.persist(false, "", T0 + 2))["closing"];
  REQUIRE(plan["beacons"].size() == 1);
  const json body = json::parse(plan["beacons"][0]["body"].get<std::string>());
  CHECK(body["events"].size() == queued);
  CHECK(plan["beacons"][0]["endpoint"] == "https://collect.example/e");
  // Refused: every event stays, stored closed so the next page adopts it at once; sent: nothing left to store.
  const json refused = json::parse(plan["store"]["outbox:pagem0001"].get<std::string>());
  CHECK(refused["closed"] == true);
  CHECK(refused["events"].size() == queued);
  CHECK(plan["storeIfSent"]["outbox:pagem0001"].is_null());
  // Only a plan: the page's own queue still holds every event, none in flight, and a real pagehide sends them.
  CHECK(a.outbox().size() == queued);
  CHECK(a.outbox().inFlight() == 0);
  CHECK(ok(a.next(T0 + 3, "pagehide"))["batches"].size() == 1);
  // A closing persist carries no plan; nor does a page without consent to send or store.
  CHECK_FALSE(ok(a.persist(true, "", T0 + 4)).contains("closing"));
  Tracking denied = makeTracking(events, "denied");
  start(denied, shop, "pagem0002", T0, "https://shop.example/");
  const json none = ok(denied.persist(false, "", T0 + 1))["closing"];
  CHECK(none["beacons"].empty());
  CHECK(none["store"].empty());
}

TEST_CASE("stream: an answer that changes the queue carries the new closing plan, an answer that does not carries none", "[events][transport]") {
  Shop shop;
  Tracking a = makeTracking(json{{"endpoint", "https://collect.example/e"}});
  start(a, shop, "pagem0003", T0, "https://shop.example/");
  shop.add("mug", 1);
  const json added = change(a, shop, "add", "mug", T0 + 1);
  REQUIRE(added.contains("closing"));
  const json body = json::parse(added["closing"]["beacons"][0]["body"].get<std::string>());
  CHECK(body["events"].size() == a.outbox().size());
  CHECK(body["events"].back()["name"] == "add-to-cart");
  // The same queue again: nothing new to carry.
  CHECK_FALSE(ok(a.tick(shop.view(), T0 + 2)).contains("closing"));
  shop.add("mug", 1);
  const json again = change(a, shop, "add", "mug", T0 + 3);
  REQUIRE(again.contains("closing"));
  CHECK(json::parse(again["closing"]["beacons"][0]["body"].get<std::string>())["events"].size() == body["events"].size() + 1);
}

TEST_CASE("stream: a batch sent and its outcome each carry the new closing plan", "[events][transport]") {
  Shop shop;
  Tracking a = makeTracking(json{{"endpoint", "https://collect.example/e"}, {"queue", {{"cap", 3}}}});
  start(a, shop, "pagem0004", T0, "https://shop.example/");
  for (int i = 0; i < 3; ++i) {
    shop.add("mug", 1);
    change(a, shop, "add", "mug", T0 + 1 + i);
  }
  // Sent: the events in flight are the fetch's to deliver, so the plan beacons none of them.
  const json sent = ok(a.next(T0 + 10, "now"));
  REQUIRE(sent["batches"].size() == 1);
  REQUIRE(sent.contains("closing"));
  CHECK(sent["closing"]["beacons"].empty());
  // Failed: they wait for a retry, and drops made while they were out are counted in the plan's stored copy.
  shop.add("mug", 1);
  change(a, shop, "add", "mug", T0 + 11);
  const json failed = ok(a.result(sent["batches"][0]["id"].get<std::string>(), 500, 0, T0 + 12));
  CHECK(failed["outcome"] == "retry");
  REQUIRE(failed.contains("closing"));
  const json stored = json::parse(failed["closing"]["store"]["outbox:pagem0004"].get<std::string>());
  CHECK(stored["events"].size() == a.outbox().size());
  CHECK(stored["dropped"]["cap"] == a.outbox().dropped().cap);
  CHECK(a.outbox().dropped().cap > 0);
}

TEST_CASE("stream: the history is merged across tabs, capped, and feeds metrics", "[events][kpi]") {
  Shop shop;
  Tracking t = makeTracking(json{{"history", {{"cap", 10}}}});
  start(t, shop, "pagek0001", T0, "https://shop.example/");
  const json other = json::array({json{{"id", "pagek0009.1"}, {"name", "page-view"}, {"time", T0 - 5}, {"session", "sx"}, {"data", json::object()}}});
  const json store = ok(t.persist(false, other.dump(), T0 + 1))["store"];
  const json history = json::parse(store["history"].get<std::string>());
  REQUIRE(history.size() == 2);
  CHECK(history[0]["id"] == "pagek0009.1");  // time order
  for (int i = 0; i < 20; ++i) ok(t.observe(shop.view(), "exit-intent", json{{"reason", "top"}}, T0 + 10 + i));
  CHECK(t.history().size() == 10);
  const json m = ok(t.metrics(shop.view(), nullptr, nullptr));
  CHECK(m["records"]["counted"] == 10);
}

TEST_CASE("stream: a whole journey from landing to purchase gives known KPIs", "[events][kpi]") {
  Shop shop;
  const json options{{"checkoutSteps", {"contact", "payment"}}};
  Tracking p1 = makeTracking(options);
  start(p1, shop, "pagel0001", T0, "https://shop.example/product?id=mug&utm_source=newsletter&utm_medium=email", json::object(),
        "https://mail.google.com/");
  shop.add("mug", 2);
  change(p1, shop, "add", "mug", T0 + 5000, 42);
  shop.add("lantern", 1);
  change(p1, shop, "add", "lantern", T0 + 9000, 58);
  json s1 = ok(p1.persist(true, "", T0 + 10000))["store"];

  Tracking p2 = makeTracking(options);  // the cart page
  start(p2, shop, "pagel0002", T0 + 20000, "https://shop.example/cart", json{{"state", s1["state"]}, {"history", s1["history"]}});
  ok(p2.pageTiming(shop.view(), json{{"loadMs", 310.4}}, T0 + 20400));
  json s2 = ok(p2.persist(true, "", T0 + 21000))["store"];

  Tracking p3 = makeTracking(options);  // the checkout page, 90 s after the cart was created
  start(p3, shop, "pagel0003", T0 + 95000, "https://shop.example/checkout", json{{"state", s2["state"]}, {"history", s2["history"]}});
  ok(p3.pageTiming(shop.view(), json{{"loadMs", 812.6}, {"ttfbMs", 120}}, T0 + 95900));
  ok(p3.track(shop.view(), "checkout-step", json{{"step", "contact"}}, T0 + 100000));
  ok(p3.track(shop.view(), "checkout-step", json{{"step", "payment"}}, T0 + 130000));
  ok(p3.track(shop.view(), "purchase", json{{"orderId", "HT-1"}, {"shipping", 395}}, T0 + 140000));

  const json m = ok(p3.metrics(shop.view(), nullptr, nullptr));
  CHECK(m["sessions"] == 1);
  CHECK(m["carts"] == json{{"created", 1}, {"completed", 1}, {"abandonmentRate", 0.0}});
  CHECK(m["orders"] == json{{"count", 1}, {"revenue", 1700 + 339 + 395}, {"averageValue", 2434}});
  CHECK(m["timeToCheckout"] == json{{"count", 1}, {"medianMs", 90000}, {"p90Ms", 90000}, {"meanMs", 90000}});
  CHECK(m["pathLength"]["pages"]["median"] == 3.0);  // product (where it was created), cart, checkout
  CHECK(m["pathLength"]["steps"]["median"] == 2.0);
  CHECK(m["addToCartResponse"] == json{{"count", 2}, {"medianMs", 50}, {"p90Ms", 58}});
  CHECK(m["checkoutLoad"] == json{{"count", 1}, {"medianMs", 813}, {"p90Ms", 813}});
  CHECK(m["traffic"] == json::array({{{"source", "newsletter"}, {"medium", "email"}, {"sessions", 1}, {"carts", 1}, {"completed", 1}, {"abandonmentRate", 0.0}}}));
  std::vector<int> funnel;
  for (const auto& s : m["funnel"]) funnel.push_back(s["count"]);
  CHECK(funnel == std::vector<int>{1, 1, 1, 1, 1, 1, 1});
  // The same KPIs from the records as an endpoint would have collected them.
  const json collected(std::vector<json>(p3.history().begin(), p3.history().end()));
  json fromCollected = ok(p3.metrics(shop.view(), &collected, json::object()));
  CHECK(m["scope"] == "device");
  CHECK(fromCollected["scope"] == "given");
  fromCollected["scope"] = "device";
  CHECK(fromCollected == m);
  auto bad = p3.metrics(shop.view(), &collected, json{{"level", 2}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().path == "metrics.level");
}

TEST_CASE("events options: defaults and errors naming the option path", "[events][options]") {
  auto defaults = parseEventsOptions(json::object());
  REQUIRE(defaults.ok());
  CHECK(defaults.value().transport.endpoint.empty());
  CHECK(defaults.value().dataLayer.empty());
  CHECK(toJson(defaults.value())["abandonment"]["idleMinutes"] == 30.0);
  CHECK(parseEventsOptions(json{{"events", false}}).ok());
  auto describe = [](json events) {
    auto r = parseEventsOptions(json{{"events", std::move(events)}});
    REQUIRE_FALSE(r.ok());
    return r.error().describe();
  };
  CHECK(describe({{"endpoint", "javascript:alert(1)"}}) ==
        "options.events.endpoint: expected a relative or http(s) URL, got \"javascript:alert(1)\"");
  // The core's one URL rule: relative or http(s) with a host (a network-path "//host/x" is on another host with
  // the page's scheme, like any https:// endpoint).
  CHECK(describe({{"endpoint", "https://"}}) == "options.events.endpoint: expected a relative or http(s) URL, got \"https://\"");
  CHECK(parseEventsOptions(json{{"events", {{"endpoint", "//collector.example/x"}}}}).ok());
  CHECK(parseEventsOptions(json{{"events", {{"endpoint", "collect"}}}}).ok());
  CHECK(describe({{"batch", {{"size", 0}}}}) == "options.events.batch.size: expected an integer from 1 to 500, got 0");
  CHECK(describe({{"batch", {{"maxBytes", 70000}}}}) == "options.events.batch.maxBytes: expected an integer from 2000 to 65536, got 70000");
  CHECK(describe({{"queue", {{"cap", -1}}}}) == "options.events.queue.cap: expected an integer from 1 to 10000, got -1");
  CHECK(describe({{"retry", {{"baseMs", 5000}, {"maxMs", 1000}}}}) == "options.events.retry.maxMs: must be at least retry.baseMs (5000)");
  CHECK(describe({{"abandonment", {{"idleMinutes", 0}}}}) == "options.events.abandonment.idleMinutes: expected a number from 0.05 to 43200, got 0");
  CHECK(describe({{"dataLayer", "1layer"}}) ==
        "options.events.dataLayer: expected true, false or the name of a global array such as \"dataLayer\", got \"1layer\"");
  CHECK(describe({{"exclude", {"page-view", "rsik"}}}).rfind("options.events.exclude[1]: unknown event \"rsik\" (the stream has: page-view,", 0) == 0);
  CHECK(describe({{"checkoutSteps", {"contact", "contact"}}}) == "options.events.checkoutSteps[1]: the step \"contact\" is listed twice");
  CHECK(describe({{"endpont", "/x"}}) == "options.events.endpont: unknown option (did you mean \"endpoint\"?)");
  CHECK(describe({{"history", {{"cap", 5}}}}) == "options.events.history.cap: expected an integer from 10 to 5000, got 5");
  CHECK(describe(json::array()) == "options.events: expected an object, got an array");
  // Excluded events are counted but never delivered.
  Shop shop;
  Tracking t = makeTracking(json{{"endpoint", "/c"}, {"exclude", {"page-view"}}, {"dataLayer", true}});
  start(t, shop, "pagem0001", T0, "https://shop.example/");
  CHECK(t.outbox().size() == 0);
  CHECK(t.history().size() == 1);
}

TEST_CASE("stream: metrics say what they counted: this page before consent, the device's history after", "[events][kpi]") {
  Shop shop;
  Tracking t = makeTracking(json::object(), json::object());  // consent pending
  start(t, shop, "pagem0001", T0, "https://shop.example/");
  shop.add("mug", 1);
  change(t, shop, "add", "mug", T0 + 1);
  json m = ok(t.metrics(shop.view(), nullptr, nullptr));
  CHECK(m["scope"] == "page");
  CHECK(m["carts"]["created"] == 1);
  CHECK(m["carts"]["abandonmentRate"].is_null());  // the open cart is no abandonment
  ok(t.setConsent("granted", "api", T0 + 2));
  CHECK(ok(t.metrics(shop.view(), nullptr, nullptr))["scope"] == "device");
  const json records = json::array();
  CHECK(ok(t.metrics(shop.view(), &records, json::object()))["scope"] == "given");
}

TEST_CASE("stream: a page's unsaved records go out with every answer and the next page adopts them", "[events][kpi]") {
  Shop shop;
  Tracking a = makeTracking();
  const json started = start(a, shop, "pagen0001", T0, "https://shop.example/");
  REQUIRE(started["store"].contains("history:pagen0001"));
  shop.add("mug", 1);
  const json fx = change(a, shop, "add", "mug", T0 + 5);
  const json unsaved = json::parse(fx["store"]["history:pagen0001"].get<std::string>());
  CHECK(unsaved.size() >= 3);  // page-view, cart-created, add-to-cart: none stored in `history` yet
  CHECK(unsaved.back()["name"] == "add-to-cart");
  // The page ends before any persist: the next page adopts those records and removes the key.
  Tracking b = makeTracking();
  const json stored{{"histories", {{{"key", "history:pagen0001"}, {"text", unsaved.dump()}},
                                   {{"key", "history:pagen0009"}, {"text", "{broken"}}}}};
  const json fx2 = start(b, shop, "pagen0002", T0 + 1000, "https://shop.example/cart", stored);
  CHECK(fx2["store"]["history:pagen0001"].is_null());
  CHECK(fx2["store"]["history:pagen0009"].is_null());
  std::set<std::string> adopted;
  for (const auto& r : b.history()) adopted.insert(r["name"].get<std::string>());
  CHECK(adopted.count("add-to-cart") == 1);
  // Once merged into `history` by persist, nothing of the page waits aside.
  const json persisted = ok(b.persist(false, "", T0 + 2000))["store"];
  CHECK(persisted["history:pagen0002"].is_null());
  CHECK(json::parse(persisted["history"].get<std::string>()).size() == b.history().size());
  // Without consent nothing is written.
  Tracking c = makeTracking(json::object(), "denied");
  CHECK_FALSE(start(c, shop, "pagen0003", T0, "https://shop.example/")["store"].contains("history:pagen0003"));
}
