// Fees: fixed and percentage, on the subtotal or the whole order, limited to payment methods.
#include "quote_fixture.hpp"

using namespace quote_fixture;

TEST_CASE("fixed and percentage fees are components naming their rule", "[fees]") {
  auto options = ukStore();
  options["fees"] = json::array({
      {{"id", "handling"}, {"name", "Handling"}, {"type", "fixed"}, {"amount", 99}},
      {{"id", "cod"}, {"name", "Cash on delivery"}, {"type", "percentage"}, {"rate", "2.5"}, {"base", "order"},
       {"paymentMethods", {"cod"}}},
  });
  auto store = engine(options);
  auto card = quote(store, {{"lines", lines({{"lantern", 1}})}});
  CHECK(card["fees"] == 99);
  const json* fee = component(card, "fee");
  REQUIRE(fee);
  CHECK((*fee)["rule"] == "options.fees[0]");
  CHECK((*fee)["label"]["values"]["name"] == "Handling");
  auto cod = quote(store, {{"lines", lines({{"lantern", 1}})}, {"paymentMethod", "cod"}});
  // 2.5% of (1999 + 395) = 59.85 -> 60 (half-up)
  CHECK(cod["fees"] == 99 + 60);
  CHECK(cod["total"] == 1999 + 395 + 99 + 60);
  CHECK(componentSum(cod) == cod["total"].get<std::int64_t>());
}
