#include <catch2/catch.hpp>

#include <random>

#include "store/cart.hpp"
#include "cartkeep/engine.hpp"

using namespace cartkeep;
using nlohmann::json;

namespace {
Catalog sampleCatalog() {
  json items = json::array({json{{"id", "mug"}, {"title", "Mug"}, {"price", 850}, {"stock", 5}},
                            json{{"id", "lantern"}, {"title", "Lantern"}, {"price", 339}},
                            json{{"id", "card"}, {"title", "Card"}, {"price", 42}, {"stock", 0}}});
  return Catalog::fromJson(items, "GBP").value();
}
}  // namespace

TEST_CASE("adding merges lines, keeps order and counts revisions", "[cart]") {
  Catalog catalog = sampleCatalog();
  Cart cart;
  REQUIRE(cart.add(catalog, "lantern", 1).ok());
  REQUIRE(cart.add(catalog, "mug", 2).ok());
  REQUIRE(cart.add(catalog, "lantern", 3).ok());
  REQUIRE(cart.lines().size() == 2);
  CHECK(cart.lines()[0].productId == "lantern");
  CHECK(cart.lines()[0].quantity == 4);
  CHECK(cart.count() == 6);
  CHECK(cart.revision() == 3);
  auto snapshot = cartToJson(cart, catalog, "GBP");
  REQUIRE(snapshot.ok());
  CHECK(snapshot.value()["subtotal"] == 4 * 339 + 2 * 850);
  CHECK(snapshot.value()["lines"][1]["lineTotal"] == 1700);
}

TEST_CASE("limits and unknown products leave the cart unchanged", "[cart]") {
  Catalog catalog = sampleCatalog();
  Cart cart(CartOptions{10, 2});
  REQUIRE(cart.add(catalog, "mug", 5).ok());
  const auto revision = cart.revision();

  auto stock = cart.add(catalog, "mug", 1);
  REQUIRE_FALSE(stock.ok());
  CHECK(stock.error().code == ErrorCode::OutOfStock);
  auto none = cart.add(catalog, "card", 1);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == ErrorCode::OutOfStock);
  auto unknown = cart.add(catalog, "ghost", 1);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == ErrorCode::UnknownProduct);
  CHECK(unknown.error().message == "no product with id \"ghost\" in the catalog");
  auto perLine = cart.add(catalog, "lantern", 11);
  REQUIRE_FALSE(perLine.ok());
  CHECK(perLine.error().code == ErrorCode::QuantityLimit);

  REQUIRE(cart.add(catalog, "lantern", 10).ok());
  json third = json::array({json{{"id", "x"}, {"title", "X"}, {"price", 1}}});
  Catalog withX = Catalog::fromJson(json::array({json{{"id", "mug"}, {"title", "Mug"}, {"price", 850}},
                                                 json{{"id", "lantern"}, {"title", "L"}, {"price", 339}},
                                                 json{{"id", "x"}, {"title", "X"}, {"price", 1}}}),
                                    "GBP")
                        .value();
  auto lines = cart.add(withX, "x", 1);
  REQUIRE_FALSE(lines.ok());
  CHECK_THAT(lines.error().message, Catch::Contains("options.cart.maxLines"));
  CHECK(cart.revision() == revision + 1);
  CHECK(cart.count() == 15);
}

TEST_CASE("setQuantity sets, removes at zero, and ignores no-ops", "[cart]") {
  Catalog catalog = sampleCatalog();
  Cart cart;
  REQUIRE(cart.setQuantity(catalog, "mug", 3).ok());
  CHECK(cart.line("mug")->quantity == 3);
  const auto revision = cart.revision();
  REQUIRE(cart.setQuantity(catalog, "mug", 3).ok());
  CHECK(cart.revision() == revision);
  REQUIRE_FALSE(cart.setQuantity(catalog, "mug", 6).ok());
  CHECK(cart.line("mug")->quantity == 3);
  REQUIRE(cart.setQuantity(catalog, "mug", 0).ok());
  CHECK(cart.lines().empty());
  CHECK_FALSE(cart.remove("mug"));
  REQUIRE(cart.add(catalog, "lantern", 1).ok());
  cart.clear();
  CHECK(cart.count() == 0);
}

TEST_CASE("quantity arguments must be whole numbers in range", "[cart]") {
  CHECK(quantityArgument(3, 1, "quantity").value() == 3);
  for (double bad : {0.0, 1.5, -2.0, 1e12, std::numeric_limits<double>::quiet_NaN(),
                     std::numeric_limits<double>::infinity()}) {
    auto result = quantityArgument(bad, 1, "quantity");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::InvalidArgument);
    CHECK(result.error().path == "quantity");
  }
  CHECK(quantityArgument(0, 0, "quantity").value() == 0);
}

TEST_CASE("random operations keep count and subtotal consistent with the lines", "[cart][property]") {
  Catalog catalog = sampleCatalog();
  Cart cart;
  std::mt19937 random(20261122);
  const char* ids[] = {"mug", "lantern", "card", "ghost"};
  for (int step = 0; step < 5000; ++step) {
    const char* id = ids[random() % 4];
    const auto quantity = static_cast<std::int64_t>(random() % 8);
    switch (random() % 4) {
      case 0: (void)cart.add(catalog, id, quantity == 0 ? 1 : quantity); break;
      case 1: (void)cart.setQuantity(catalog, id, quantity); break;
      case 2: cart.remove(id); break;
      default: if (random() % 20 == 0) cart.clear();
    }
    std::int64_t units = 0, subtotal = 0;
    for (const auto& line : cart.lines()) {
      REQUIRE(line.quantity >= 1);
      const Product* product = catalog.find(line.productId);
      REQUIRE(product);
      REQUIRE((!product->stock || line.quantity <= *product->stock));
      units += line.quantity;
      subtotal += line.quantity * product->price;
    }
    REQUIRE(cart.count() == units);
    REQUIRE(cartToJson(cart, catalog, "GBP").value()["subtotal"] == subtotal);
  }
}

TEST_CASE("the engine answers with JSON or an error, never throws", "[engine]") {
  Engine engine;
  auto before = engine.cartAdd("mug", 1);
  REQUIRE_FALSE(before.ok());
  CHECK(before.error().code == ErrorCode::NotInitialised);

  auto badJson = engine.init("{\"currency\": \"GBP\", \"catalog\": [}");
  REQUIRE_FALSE(badJson.ok());
  CHECK(badJson.error().code == ErrorCode::InvalidJson);
  auto noCatalog = engine.init(R"({"currency":"GBP"})");
  REQUIRE_FALSE(noCatalog.ok());
  CHECK(noCatalog.error().describe() == "options.catalog: required, expected an array of products");
  auto badPrice = engine.init(R"({"currency":"GBP","catalog":[{"id":"a","title":"A","price":1},{"id":"b","title":"B","price":-5}]})");
  REQUIRE_FALSE(badPrice.ok());
  CHECK(badPrice.error().describe() == "catalog[1].price: expected a non-negative integer amount in minor units, got -5");
  CHECK_FALSE(engine.initialised());

  auto options = engine.init(R"({"currency":"JPY","catalog":[{"id":"a","title":"A","price":1200}]})");
  REQUIRE(options.ok());
  CHECK(options.value()["currencyExponent"] == 0);
  auto cart = engine.cartAdd("a", 2);
  REQUIRE(cart.ok());
  CHECK(cart.value()["subtotal"] == 2400);
  CHECK(engine.product("a").value()["price"] == 1200);
  CHECK(engine.product("zz").value().is_null());
  CHECK(engine.cartSetQuantity("a", 2.5).error().code == ErrorCode::InvalidArgument);
}

TEST_CASE("a subtotal beyond int64 is an overflow error, not a wrapped number", "[cart][money]") {
  Engine engine;
  REQUIRE(engine.init(R"({"currency":"GBP","cart":{"maxQuantityPerLine":1000000},"catalog":[
      {"id":"a","title":"A","price":9000000000000},{"id":"b","title":"B","price":9000000000000}]})")
              .ok());
  REQUIRE(engine.cartAdd("a", 1000).ok());
  auto overflow = engine.cartAdd("b", 1000000);  // 9e18 alone is past int64's 9.22e18 with a's 9e15
  REQUIRE_FALSE(overflow.ok());
  CHECK(overflow.error().code == ErrorCode::Overflow);
  auto unchanged = engine.cart();
  REQUIRE(unchanged.ok());
  CHECK(unchanged.value()["subtotal"] == 9000000000000000);
  CHECK(unchanged.value()["lines"].size() == 1);
}

TEST_CASE("totals stay within what JavaScript numbers carry exactly", "[cart][money]") {
  Engine engine;
  REQUIRE(engine.init(R"({"currency":"GBP","catalog":[{"id":"a","title":"A","price":4503599627370496}]})").ok());
  REQUIRE(engine.cartAdd("a", 1).ok());
  auto tooBig = engine.cartAdd("a", 1);  // 2^53 > 2^53 - 1
  REQUIRE_FALSE(tooBig.ok());
  CHECK(tooBig.error().code == ErrorCode::Overflow);
  REQUIRE(engine.cart().ok());
  CHECK(engine.cart().value()["subtotal"] == 4503599627370496);
  CHECK(engine.cartSetQuantity("a", 2).error().code == ErrorCode::Overflow);
}
