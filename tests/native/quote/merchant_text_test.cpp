// Merchant texts in the quote options (zone and method names, class labels, fee names, coupon descriptions)
// take a per-locale map like options.strings: the store locale's entry, then its language's, then "en".
#include "quote_fixture.hpp"

using namespace quote_fixture;

namespace {
json arabicMap(const char* english, const char* arabic) { return {{"en", english}, {"ar", arabic}}; }

// The UK store with every merchant text of the quote written in English and Arabic.
json bilingualStore(const char* locale) {
  auto options = ukStore();
  options["locale"] = locale;
  auto& uk = options["shipping"]["zones"][1];
  uk["name"] = arabicMap("United Kingdom", "المملكة المتحدة");
  uk["methods"][0]["name"] = arabicMap("Standard", "التوصيل العادي");
  uk["methods"][0]["classes"]["bulky"]["label"] = arabicMap("Two-person delivery", "توصيل بشخصين");
  options["fees"] = json::array({{{"id", "handling"}, {"name", arabicMap("Handling", "رسوم التجهيز")},
                                  {"type", "fixed"}, {"amount", 99}}});
  options["coupons"][0]["description"] = arabicMap("10% off over £20", "خصم ١٠٪ فوق ٢٠ جنيهًا");
  return options;
}

const json& methodById(const json& quote, const std::string& id) {
  for (const auto& method : quote["methods"])
    if (method["id"] == id) return method;
  FAIL("no method " << id);
  return quote;
}
}  // namespace

TEST_CASE("an Arabic store's quote shows the Arabic entry of every merchant text", "[quote][merchant-text]") {
  auto store = engine(bilingualStore("ar-AE"));  // no "ar-AE" entry: the language's "ar" entry is taken
  auto card = quote(store, {{"lines", lines({{"sofa", 1}})}, {"coupon", "WELCOME10"}, {"now", "2024-12-02T09:00"}});
  CHECK(card["zone"]["name"] == "المملكة المتحدة");
  CHECK(methodById(card, "standard")["name"] == "التوصيل العادي");
  CHECK(component(card, "shipping")->at("label")["values"]["method"] == "التوصيل العادي");
  CHECK(component(card, "surcharge")->at("label")["values"]["label"] == "توصيل بشخصين");
  CHECK(component(card, "fee")->at("label")["values"]["name"] == "رسوم التجهيز");
  CHECK(card["coupons"][0]["description"] == "خصم ١٠٪ فوق ٢٠ جنيهًا");
  // The normalised options carry the text picked for the locale, so widgets render it as is.
  auto options = store.options().value();
  CHECK(options["quote"]["shipping"]["zones"][1]["methods"][0]["name"] == "التوصيل العادي");
}

TEST_CASE("an exact locale entry wins over the language's, and a plain string serves every locale",
          "[quote][merchant-text]") {
  auto options = bilingualStore("ar-EG");
  options["shipping"]["zones"][1]["methods"][0]["name"]["ar-EG"] = "توصيل عادي (مصر)";
  auto card = quote(engine(options), {{"lines", lines({{"mug", 1}})}});
  CHECK(methodById(card, "standard")["name"] == "توصيل عادي (مصر)");
  CHECK(methodById(card, "express")["name"] == "Express");  // a plain string, as before
}

TEST_CASE("a map without the store's locale or language falls back to its \"en\" entry", "[quote][merchant-text]") {
  auto card = quote(engine(bilingualStore("fr-FR")), {{"lines", lines({{"mug", 1}})}});
  CHECK(card["zone"]["name"] == "United Kingdom");
  CHECK(methodById(card, "standard")["name"] == "Standard");
  CHECK(quote(engine(bilingualStore("en-GB")), {{"lines", lines({{"mug", 1}})}})["zone"]["name"] == "United Kingdom");
}

TEST_CASE("bad merchant text maps name the option path of the bad entry", "[quote][merchant-text]") {
  auto options = bilingualStore("ar");
  options["shipping"]["zones"][1]["methods"][0]["name"] = {{"fr", "Standard"}};
  expectError(options, "options.shipping.zones[1].methods[0].name", "no entry for the store locale \"ar\" nor \"en\"");

  options = bilingualStore("ar");
  options["shipping"]["zones"][1]["methods"][0]["name"] = json::object();
  expectError(options, "options.shipping.zones[1].methods[0].name", "at least one locale entry");

  options = bilingualStore("ar");
  options["shipping"]["zones"][1]["name"]["ar"] = 7;
  expectError(options, "options.shipping.zones[1].name.ar", "expected a string");

  options = bilingualStore("en");
  options["shipping"]["zones"][1]["name"]["ar"] = "";  // even an entry the store does not show must be usable
  expectError(options, "options.shipping.zones[1].name.ar", "non-empty");

  options = bilingualStore("ar");
  options["fees"][0]["name"]["en"] = std::string(201, 'x');
  expectError(options, "options.fees[0].name.en", "longer than 200 bytes");

  options = bilingualStore("ar");
  options["coupons"][0]["description"] = json::array({"10% off"});
  expectError(options, "options.coupons[0].description", "expected a string");

  options = bilingualStore("ar");
  options["shipping"]["zones"][1]["methods"][0]["classes"]["bulky"]["label"] = {{"", "x"}};
  expectError(options, "options.shipping.zones[1].methods[0].classes.bulky.label[\"\"]", "locale tag");

  options = bilingualStore("ar");
  options["shipping"]["zones"][1]["methods"][0].erase("name");
  expectError(options, "options.shipping.zones[1].methods[0].name", "required");
}

TEST_CASE("an optional merchant text may be absent or empty", "[quote][merchant-text]") {
  auto options = bilingualStore("ar");
  options["coupons"][0]["description"] = {{"en", ""}, {"ar", ""}};
  auto card = quote(engine(options), {{"lines", lines({{"lantern", 2}})}, {"coupon", "WELCOME10"}, {"now", "2024-12-02T09:00"}});
  CHECK(card["coupons"][0]["description"] == "");
}
