#include <catch2/catch.hpp>

#include "cartkeep/catalog.hpp"

using namespace cartkeep;
using nlohmann::json;

namespace {
json product(std::string id, json price = 250) {
  return json{{"id", id}, {"title", "Item " + id}, {"price", price}};
}
}  // namespace

TEST_CASE("a valid catalog keeps every field", "[catalog]") {
  json items = json::array({json{{"id", "85123A"},
                                 {"title", "White Hanging Heart T-Light Holder"},
                                 {"price", 295},
                                 {"currency", "GBP"},
                                 {"category", "Candles & Lights"},
                                 {"tags", {"heart", "t-light"}},
                                 {"brand", "Hearth"},
                                 {"weight", 350},
                                 {"stock", 12},
                                 {"image", "images/lights.svg"},
                                 {"url", "product.html?id=85123A"}},
                            product("22423")});
  auto catalog = Catalog::fromJson(items, "GBP");
  REQUIRE(catalog.ok());
  const Product* heart = catalog.value().find("85123A");
  REQUIRE(heart);
  CHECK(heart->price == 295);
  CHECK(heart->stock == 12);
  CHECK(heart->tags == std::vector<std::string>{"heart", "t-light"});
  CHECK(toJson(*heart)["weight"] == 350);
  const Product* plain = catalog.value().find("22423");
  REQUIRE(plain);
  CHECK(plain->currency == "GBP");
  CHECK_FALSE(plain->stock.has_value());
  CHECK(catalog.value().find("nope") == nullptr);
}

TEST_CASE("catalog errors name the entry and the field", "[catalog]") {
  struct Case {
    json items;
    std::string described;
  };
  std::vector<Case> cases{
      {json::array({product("a"), product("b", -1)}),
       "catalog[1].price: expected a non-negative integer amount in minor units, got -1"},
      {json::array({product("a", 2.5)}), "catalog[0].price: expected a non-negative integer amount in minor units, got 2.5"},
      {json::array({product("a", "2.50")}),
       "catalog[0].price: expected a non-negative integer amount in minor units, got \"2.50\""},
      {json::array({product("a"), product("a")}), "catalog[1].id: duplicate id \"a\" (first at catalog[0])"},
      {json::array({json{{"title", "x"}, {"price", 1}}}), "catalog[0].id: required, expected a string"},
      {json::array({product("")}), "catalog[0].id: expected a non-empty string"},
      {json::array({json{{"id", "a"}, {"title", "x"}, {"price", 1}, {"currency", "EUR"}}}),
       "catalog[0].currency: \"EUR\" differs from the store currency \"GBP\""},
      {json::array({json{{"id", "a"}, {"title", "x"}, {"price", 1}, {"currency", "XYZ"}}}),
       "catalog[0].currency: unknown ISO 4217 currency \"XYZ\""},
      {json::array({json{{"id", "a"}, {"title", "x"}, {"price", 1}, {"stock", -3}}}),
       "catalog[0].stock: expected a non-negative integer stock or null, got -3"},
      {json::array({42}), "catalog[0]: expected an object, got 42"},
      {json::object(), "catalog: expected an array, got an object"},
  };
  for (const auto& c : cases) {
    auto result = Catalog::fromJson(c.items, "GBP");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::InvalidCatalog);
    CHECK(result.error().describe() == c.described);
  }
}
