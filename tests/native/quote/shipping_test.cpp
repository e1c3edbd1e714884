// Shipping: zone matching (country, region, postcode prefix), rate types, free-above threshold,
// excluded and surcharged classes, "not shippable" instead of a silent zero.
#include "quote_fixture.hpp"

#include "quote/shipping.hpp"

using namespace quote_fixture;

TEST_CASE("postcode prefixes pick the Highlands & Islands zone before the mainland", "[shipping]") {
  auto store = engine();
  auto mainland = quote(store, {{"lines", lines({{"mug", 1}})}, {"destination", {{"country", "GB"}, {"postcode", "SW1A 1AA"}}}});
  CHECK(mainland["zone"]["id"] == "uk");
  auto islands = quote(store, {{"lines", lines({{"mug", 1}})}, {"destination", {{"country", "gb"}, {"postcode", "hs1 2ab"}}}});
  CHECK(islands["zone"]["id"] == "uk-hi");
  CHECK(islands["shipping"] == 895);
  CHECK(islands["zone"]["rule"] == "options.shipping.zones[0]");
  // PA20 is an island district; PA2 (Paisley) is not, written with or without the space.
  CHECK(quote(store, {{"lines", lines({{"mug", 1}})}, {"destination", {{"country", "GB"}, {"postcode", "PA20 0AA"}}}})["zone"]["id"] == "uk-hi");
  CHECK(quote(store, {{"lines", lines({{"mug", 1}})}, {"destination", {{"country", "GB"}, {"postcode", "PA2 0AA"}}}})["zone"]["id"] == "uk");
  CHECK(quote(store, {{"lines", lines({{"mug", 1}})}, {"destination", {{"country", "GB"}, {"postcode", "PA20AA"}}}})["zone"]["id"] == "uk");
  CHECK(quote(store, {{"lines", lines({{"mug", 1}})}, {"destination", {{"country", "GB"}, {"postcode", "PA200AA"}}}})["zone"]["id"] == "uk-hi");
}

TEST_CASE("postcodes are checked against the country's shapes, a merchant can set their own", "[shipping][postcode]") {
  using cartkeep::postcodeShapeFits;
  CHECK(postcodeShapeFits("A9 9AA", "M1 1AE"));
  CHECK(postcodeShapeFits("A9 9AA", "M11AE"));  // the space is optional
  CHECK_FALSE(postcodeShapeFits("A9 9AA", "M1 1A"));
  CHECK(postcodeShapeFits("99999-9999", "90210-1234"));
  CHECK(postcodeShapeFits("A99 XXXX", "D02 X285"));
  auto store = engine();
  // "ZZZ" is no UK postcode: refused with the path, never quoted as "United Kingdom (ZZZ)".
  auto bad = quoteError(store, {{"lines", lines({{"mug", 1}})}, {"destination", {{"country", "GB"}, {"postcode", "ZZZ"}}}});
  CHECK(bad.code == cartkeep::ErrorCode::InvalidArgument);
  CHECK(bad.path == "request.destination.postcode");
  // A full postcode or the outward code alone (enough for the zone rules) is fine; so is none.
  CHECK(quote(store, {{"lines", lines({{"mug", 1}})}, {"destination", {{"country", "GB"}, {"postcode", "IV2"}}}})["zone"]["id"] == "uk-hi");
  CHECK(quote(store, {{"lines", lines({{"mug", 1}})}, {"destination", {{"country", "GB"}, {"postcode", ""}}}})["zone"]["id"] == "uk");
  // Countries without a known shape take any postcode.
  CHECK(store.quote(json{{"lines", lines({{"mug", 1}})}, {"destination", {{"country", "BR"}, {"postcode", "01310-000"}}}}.dump()).ok());
}

TEST_CASE("postcode matching rules", "[shipping]") {
  using cartkeep::postcodeMatches;
  CHECK(cartkeep::normalisePostcode("  sw1a   1aa ") == "SW1A 1AA");
  CHECK(postcodeMatches("IV", "GB", "IV1 1AA"));
  CHECK(postcodeMatches("IV1", "GB", "IV1 1AA"));
  CHECK_FALSE(postcodeMatches("IV1", "GB", "IV10 1AA"));
  CHECK(postcodeMatches("750", "FR", "75001"));
  CHECK_FALSE(postcodeMatches("HS", "GB", "H1"));
}

TEST_CASE("a destination no zone covers is not shippable, never a silent zero", "[shipping]") {
  auto store = engine();
  auto q = quote(store, {{"lines", lines({{"mug", 1}})}, {"destination", {{"country", "BR"}}}});
  CHECK(q["shippable"] == false);
  CHECK(q["notShippable"]["reason"] == "no-zone");
  CHECK(q["notShippable"]["message"]["key"] == "quote.notShippable");
  CHECK(q["notShippable"]["message"]["values"]["destination"]["country"] == "BR");
  CHECK(component(q, "shipping") == nullptr);
  CHECK(q["method"].is_null());
}

TEST_CASE("flat rate, free above the threshold after discounts", "[shipping]") {
  auto store = engine();
  auto below = quote(store, {{"lines", lines({{"lantern", 1}})}});
  CHECK(below["method"] == "standard");  // cheapest available
  CHECK(below["shipping"] == 395);
  CHECK(below["total"] == 1999 + 395);
  auto above = quote(store, {{"lines", lines({{"lantern", 2}})}});  // 39.98: still below 40
  CHECK(above["shipping"] == 395);
  auto free = quote(store, {{"lines", lines({{"lantern", 2}, {"mug", 1}})}});
  CHECK(free["shipping"] == 0);
  const json* shipping = component(free, "shipping");
  REQUIRE(shipping);
  CHECK((*shipping)["detail"]["free"] == "threshold");
  CHECK((*shipping)["detail"]["freeRule"] == "options.shipping.zones[1].methods[0].freeAbove");
  CHECK((*shipping)["rule"] == "options.shipping.zones[1].methods[0]");
  // A discount that brings the subtotal under the threshold brings shipping back.
  CHECK(quote(store, {{"lines", lines({{"mug", 5}})}})["shipping"] == 0);
  auto discounted = quote(store, {{"lines", lines({{"mug", 5}})}, {"coupon", "WELCOME10"}, {"now", "2024-12-02T10:00"}});
  CHECK(discounted["discount"] == 425);
  CHECK(discounted["shipping"] == 395);
}

TEST_CASE("weight tiers, per-item and subtotal tiers", "[shipping]") {
  auto store = engine();
  auto express = quote(store, {{"lines", lines({{"lantern", 2}})}, {"method", "express"}});  // 1800 g
  CHECK(express["method"] == "express");
  CHECK(express["shipping"] == 795);
  auto heavier = quote(store, {{"lines", lines({{"lantern", 3}})}, {"method", "express"}});  // 2700 g
  CHECK(heavier["shipping"] == 1295);
  auto tooHeavy = quote(store, {{"lines", lines({{"lantern", 12}})}, {"method", "express"}});  // 10800 g
  CHECK(tooHeavy["method"] == "standard");
  CHECK(tooHeavy["methods"][1]["available"] == false);
  CHECK(tooHeavy["methods"][1]["reason"] == "weight-limit");
  auto eu = quote(store, {{"lines", lines({{"mug", 3}, {"book", 1}})}, {"destination", {{"country", "FR"}}}});
  CHECK(eu["shipping"] == 999 + 4 * 150);
  auto rowSmall = quote(store, {{"lines", lines({{"mug", 1}})}, {"destination", {{"country", "US"}}}});
  CHECK(rowSmall["shipping"] == 1499);
  auto rowLarge = quote(store, {{"lines", lines({{"lantern", 3}})}, {"destination", {{"country", "US"}}}});
  CHECK(rowLarge["shipping"] == 2499);
}

TEST_CASE("classes: surcharges are their own components, exclusions name the products", "[shipping]") {
  auto store = engine();
  auto sofa = quote(store, {{"lines", lines({{"sofa", 1}})}});
  CHECK(sofa["method"] == "standard");
  CHECK(sofa["methods"][1]["available"] == false);
  CHECK(sofa["methods"][1]["reason"] == "excluded-products");
  CHECK(sofa["methods"][1]["productIds"] == json::array({"sofa"}));
  const json* surcharge = component(sofa, "surcharge");
  REQUIRE(surcharge);
  CHECK((*surcharge)["amount"] == 2500);
  CHECK((*surcharge)["rule"] == "options.shipping.zones[1].methods[0].classes.bulky");
  CHECK((*surcharge)["label"]["values"]["label"] == "Two-person delivery");
  CHECK(sofa["shipping"] == 2500);  // over 40: the rate is free, the surcharge is not
  CHECK(sofa["total"] == 24900 + 2500);
  auto abroad = quote(store, {{"lines", lines({{"sofa", 1}, {"mug", 1}})}, {"destination", {{"country", "JP"}}}});
  CHECK(abroad["shippable"] == false);
  CHECK(abroad["notShippable"]["reason"] == "excluded-products");
  CHECK(abroad["notShippable"]["productIds"] == json::array({"sofa"}));
  CHECK(abroad["notShippable"]["message"]["values"]["products"]["list"] == json::array({"Garden Sofa"}));
}

TEST_CASE("free-shipping progress exposes the gap", "[shipping][free-shipping]") {
  auto store = engine();
  auto q = quote(store, {{"lines", lines({{"mug", 2}})}});
  CHECK(q["freeShipping"]["threshold"] == 4000);
  CHECK(q["freeShipping"]["remaining"] == 4000 - 1700);
  CHECK(q["freeShipping"]["percent"] == 42);
  CHECK(q["freeShipping"]["reached"] == false);
  CHECK(q["freeShipping"]["message"]["key"] == "quote.freeShipping.remaining");
  CHECK(q["freeShipping"]["message"]["values"]["amount"]["money"] == 2300);
  auto reached = quote(store, {{"lines", lines({{"mug", 5}})}});
  CHECK(reached["freeShipping"]["reached"] == true);
  CHECK(reached["freeShipping"]["percent"] == 100);
  auto none = quote(store, {{"lines", lines({{"mug", 1}})}, {"destination", {{"country", "FR"}}}});
  CHECK(none["freeShipping"].is_null());
}

TEST_CASE("the selected method sticks when available and falls back when not", "[shipping]") {
  auto store = engine();
  CHECK(quote(store, {{"lines", lines({{"mug", 1}})}, {"method", "express"}})["method"] == "express");
  CHECK(quote(store, {{"lines", lines({{"mug", 1}})}, {"method", "nope"}})["method"] == "standard");
  auto q = quote(store, {{"lines", lines({{"mug", 1}})}, {"method", "express"}});
  int selected = 0;
  for (const auto& m : q["methods"]) selected += m["selected"].get<bool>();
  CHECK(selected == 1);
}
