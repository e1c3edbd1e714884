#include <catch2/catch.hpp>

#include "store/catalog.hpp"

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

TEST_CASE("catalog links are relative or http(s): a hostile feed cannot plant javascript: URLs", "[catalog][security]") {
  auto withLink = [](const char* key, std::string url) {
    json item = product("a");
    item[key] = std::move(url);
    return Catalog::fromJson(json::array({item}), "GBP");
  };
  for (const char* ok : {"product.html?id=a", "/shop/a", "https://cdn.example/a.png", "HTTP://x.example/a",
                         "images/a b.svg", "//cdn.example/a.png", "?id=a", "#a", ""}) {
    INFO(ok);
    CHECK(withLink("url", ok).ok());
    CHECK(withLink("image", ok).ok());
  }
  for (const char* bad : {"javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
                          "data:text/html,<script>alert(1)</script>", "vbscript:x", "\\\\evil.example/a", "a\nb"}) {
    INFO(bad);
    auto result = withLink("url", bad);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().path == "catalog[0].url");
    CHECK(result.error().describe().find("expected a relative or http(s) URL") != std::string::npos);
    CHECK_FALSE(withLink("image", bad).ok());
  }
}

TEST_CASE("a product description is kept as plain text", "[catalog]") {
  json item = product("a");
  item["description"] = "<b>Enamel</b> & steel";
  auto catalog = Catalog::fromJson(json::array({item}), "GBP");
  REQUIRE(catalog.ok());
  CHECK(toJson(*catalog.value().find("a"))["description"] == "<b>Enamel</b> & steel");
}
