// Tax: rates per zone and category, prices with or without tax, taxed shipping, line vs order rounding.
#include "quote_fixture.hpp"

using namespace quote_fixture;

TEST_CASE("VAT included: the contained tax is reported, the total is unchanged", "[tax]") {
  auto store = engine();
  auto q = quote(store, {{"lines", lines({{"lantern", 1}})}});  // 19.99 + 3.95 shipping, both with VAT
  CHECK(q["pricesIncludeTax"] == true);
  CHECK(q["total"] == 1999 + 395);
  CHECK(q["tax"] == 0);
  // half-up per line: 1999/6 = 333.17 -> 333; 395/6 = 65.83 -> 66
  CHECK(q["taxIncluded"] == 333 + 66);
  REQUIRE(q["includedTax"].size() == 1);
  CHECK(q["includedTax"][0]["rule"] == "options.shipping.zones[1].tax.standard");
  CHECK(q["includedTax"][0]["label"]["key"] == "quote.taxIncluded");
  CHECK(q["includedTax"][0]["label"]["values"]["rate"]["percent"] == "20");
  CHECK(q["lines"][0]["tax"] == 333);
  CHECK(q["lines"][0]["taxRate"] == "20");
  CHECK(componentSum(q) == q["total"].get<std::int64_t>());
}

TEST_CASE("zero-rated categories and zones without tax", "[tax]") {
  auto store = engine();
  auto book = quote(store, {{"lines", lines({{"book", 1}})}});
  CHECK(book["lines"][0]["tax"] == 0);
  CHECK(book["taxIncluded"] == 66);  // only the shipping carries VAT
  auto abroad = quote(store, {{"lines", lines({{"lantern", 1}})}, {"destination", {{"country", "US"}}}});
  CHECK(abroad["taxIncluded"] == 0);
  CHECK(abroad["includedTax"].empty());
  CHECK(abroad["lines"][0]["taxRate"].is_null());
}

TEST_CASE("prices without tax: tax is added as components, shipping taxed or not", "[tax]") {
  auto options = ukStore();
  options["tax"] = {{"pricesIncludeTax", false}, {"shippingTaxable", true}};
  auto store = engine(options);
  auto q = quote(store, {{"lines", lines({{"lantern", 1}, {"book", 1}})}});  // 32.98 + 3.95
  const json* tax = component(q, "tax");
  REQUIRE(tax);
  // 1999 * 0.2 = 399.8 -> 400; book zero-rated; shipping 395 * 0.2 = 79
  CHECK((*tax)["amount"] == 400 + 79);
  CHECK(q["total"] == 1999 + 1299 + 395 + 479);
  CHECK(componentSum(q) == q["total"].get<std::int64_t>());
  options["tax"]["shippingTaxable"] = false;
  auto untaxedShipping = quote(engine(options), {{"lines", lines({{"lantern", 1}})}});
  CHECK(untaxedShipping["tax"] == 400);
}

TEST_CASE("line-level and order-level tax rounding differ and each is exact", "[tax][rounding]") {
  auto options = ukStore();
  options["tax"] = {{"pricesIncludeTax", false}, {"shippingTaxable", false}};
  options["catalog"] = json::array({{{"id", "a"}, {"title", "A"}, {"price", 2}}, {{"id", "b"}, {"title", "B"}, {"price", 7}},
                                    {{"id", "c"}, {"title", "C"}, {"price", 12}}});
  options["coupons"] = json::array();
  options["shipping"]["zones"][1]["methods"][0]["classes"] = json::object();
  // 20% of 2, 7 and 12: 0.4, 1.4, 2.4 -> per line 0 + 1 + 2 = 3; per order 4.2 -> 4
  options["rounding"] = {{"mode", "half-up"}, {"level", "line"}};
  auto perLine = quote(engine(options), {{"lines", lines({{"a", 1}, {"b", 1}, {"c", 1}})}});
  CHECK(perLine["tax"] == 3);
  options["rounding"]["level"] = "order";
  auto perOrder = quote(engine(options), {{"lines", lines({{"a", 1}, {"b", 1}, {"c", 1}})}});
  CHECK(perOrder["tax"] == 4);
  // At order level the rounded tax is still allocated to the lines and sums exactly.
  std::int64_t lineTax = 0;
  for (const auto& line : perOrder["lines"]) lineTax += line["tax"].get<std::int64_t>();
  CHECK(lineTax == 4);
}

TEST_CASE("several rates give one component each", "[tax]") {
  auto options = ukStore();
  options["tax"] = {{"pricesIncludeTax", false}, {"shippingTaxable", false}};
  options["shipping"]["zones"][1]["tax"] = {{"standard", "20"}, {"zero", "5"}};
  options["shipping"]["zones"][0]["tax"] = {{"standard", "20"}, {"zero", "5"}};
  auto q = quote(engine(options), {{"lines", lines({{"lantern", 1}, {"book", 1}})}});
  int taxes = 0;
  for (const auto& c : q["components"]) taxes += c["kind"] == "tax";
  CHECK(taxes == 2);
  CHECK(q["tax"] == 400 + 65);  // 1299 * 5% = 64.95 -> 65
}
