// Properties over random carts: components sum to the total, adding an item never lowers the subtotal,
// quoting twice gives the same result, allocations inside the quote sum exactly; JPY and KWD too.
#include "quote_fixture.hpp"

#include <random>

using namespace quote_fixture;

namespace {
json randomStore(std::mt19937_64& random, const char* currency, const char* mode, const char* level, bool inclusive) {
  json catalog = json::array();
  for (int i = 0; i < 20; ++i)
    catalog.push_back({{"id", "p" + std::to_string(i)}, {"title", "Product " + std::to_string(i)},
                       {"price", static_cast<std::int64_t>(random() % 200000)}, {"weight", static_cast<std::int64_t>(random() % 3000)},
                       {"category", i % 3 == 0 ? "A" : "B"}, {"taxCategory", i % 4 == 0 ? "reduced" : "standard"}});
  return json{{"currency", currency},
              {"catalog", catalog},
              {"rounding", {{"mode", mode}, {"level", level}}},
              {"tax", {{"pricesIncludeTax", inclusive}}},
              {"shipping", {{"zones", json::array({{{"id", "all"}, {"name", "All"}, {"countries", {"*"}},
                                                   {"tax", {{"standard", "20"}, {"reduced", "5.5"}}},
                                                   {"methods", json::array({{{"id", "std"}, {"name", "Std"},
                                                                             {"rate", {{"type", "flat"}, {"amount", 499}}},
                                                                             {"freeAbove", 100000}}})}}})}}},
              {"coupons", json::array({{{"code", "P"}, {"type", "percentage"}, {"rate", "12.5"}, {"categories", {"A"}}},
                                       {{"code", "F"}, {"type", "fixed"}, {"amount", 1234}, {"stacking", "combinable"}}})}};
}
}  // namespace

// (No ';' in a test's name: ctest splits the name there and then runs no test at all.)
TEST_CASE("property: components sum to the total, and line parts sum to the totals", "[quote][property]") {
  std::mt19937_64 random(4);
  const char* currencies[] = {"JPY", "GBP", "KWD"};
  const char* modes[] = {"half-up", "half-even", "up", "down"};
  for (int s = 0; s < 24; ++s) {
    auto store = engine(randomStore(random, currencies[s % 3], modes[s % 4], s % 2 ? "order" : "line", s % 5 < 3));
    for (int round = 0; round < 150; ++round) {
      json items = json::array();
      const int n = 1 + static_cast<int>(random() % 8);
      const int first = static_cast<int>(random() % 20);
      // One line per product: a step of 7 through 20 products meets no product twice in 8 lines.
      for (int i = 0; i < n; ++i)
        items.push_back({{"productId", "p" + std::to_string((first + 7 * i) % 20)}, {"quantity", 1 + random() % 5}});
      json request{{"lines", items}};
      if (random() % 2) request["coupon"] = random() % 2 ? "P" : "F";
      auto q = quote(store, request);
      REQUIRE(componentSum(q) == q["total"].get<std::int64_t>());
      std::int64_t discount = 0, tax = 0;
      for (const auto& line : q["lines"]) {
        discount += line["discount"].get<std::int64_t>();
        tax += line["tax"].get<std::int64_t>();
        REQUIRE(line["net"].get<std::int64_t>() >= 0);
      }
      REQUIRE(discount == q["discount"].get<std::int64_t>());
      const std::int64_t shippingTax = q["tax"].get<std::int64_t>() + q["taxIncluded"].get<std::int64_t>() - tax;
      REQUIRE(shippingTax >= 0);  // the rest of the tax is on shipping
      // Quoting twice gives the same result.
      REQUIRE(quote(store, request) == q);
    }
  }
}

TEST_CASE("property: adding an item never lowers the subtotal", "[quote][property]") {
  std::mt19937_64 random(7);
  auto store = engine(randomStore(random, "GBP", "half-even", "line", true));
  for (int round = 0; round < 300; ++round) {
    json items = json::array();
    std::int64_t previous = 0;
    for (int i = 0; i < 10; ++i) {
      items.push_back({{"productId", "p" + std::to_string(2 * i + static_cast<int>(random() % 2))}, {"quantity", 1 + random() % 3}});
      auto q = quote(store, {{"lines", items}});
      REQUIRE(q["subtotal"].get<std::int64_t>() >= previous);
      previous = q["subtotal"].get<std::int64_t>();
    }
  }
}

TEST_CASE("the cart is quoted when no lines are given, and overflow is an error", "[quote]") {
  auto store = engine();
  REQUIRE(store.cartAdd("mug", 2).ok());
  auto q = quote(store, json::object());
  CHECK(q["subtotal"] == 1700);
  CHECK(q["count"] == 2);
  auto options = ukStore();
  options["catalog"][0]["price"] = 9007199254740991LL;
  auto big = engine(options);
  auto error = quoteError(big, {{"lines", lines({{"mug", 2}})}});
  CHECK(error.code == cartkeep::ErrorCode::Overflow);
}

TEST_CASE("batch quoting returns the same totals as single quotes", "[quote]") {
  auto store = engine();
  json requests = json::array({{{"lines", lines({{"mug", 1}})}}, {{"lines", lines({{"lantern", 3}})}, {"method", "express"}},
                               {{"lines", lines({{"mug", 1}})}, {"destination", {{"country", "BR"}}}}});
  auto batch = store.quoteBatch(requests.dump());
  REQUIRE(batch.ok());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    auto single = quote(store, requests[i]);
    CHECK(batch.value()[i][0] == single["total"]);
    CHECK(batch.value()[i][7] == single["shippable"]);
  }
}

TEST_CASE("request lines follow the cart's quantity rule and limits", "[quote]") {
  auto store = engine();
  // NaN and Infinity reach the core as text (JSON has no such numbers): refused, never read as one unit.
  for (const char* text : {R"("NaN")", R"("Infinity")", R"("-Infinity")", R"("2")", R"("0x10")", "[3]", "true", "null", "1.5", "0", "-1"}) {
    CAPTURE(text);
    auto error = quoteError(store, {{"lines", json::array({{{"productId", "mug"}, {"quantity", json::parse(text)}}})}});
    CHECK(error.code == cartkeep::ErrorCode::InvalidArgument);
    CHECK(error.path == "request.lines[0].quantity");
  }
  // Absent means one unit.
  CHECK(quote(store, {{"lines", json::array({{{"productId", "mug"}}})}})["count"] == 1);
  // options.cart.maxQuantityPerLine (99 by default) holds for quoted lines as for the cart.
  CHECK(quote(store, {{"lines", lines({{"mug", 99}})}})["count"] == 99);
  for (std::int64_t tooMany : {100LL, 1000000000LL}) {
    auto limit = quoteError(store, {{"lines", json::array({{{"productId", "mug"}, {"quantity", tooMany}}})}});
    CHECK(limit.code == cartkeep::ErrorCode::QuantityLimit);
    CHECK(limit.path == "request.lines[0].quantity");
    CHECK(store.cartAdd("mug", tooMany).error().code == cartkeep::ErrorCode::QuantityLimit);
  }
  auto options = ukStore();
  options["cart"] = {{"maxQuantityPerLine", 5}, {"maxLines", 2}};
  auto small = engine(options);
  CHECK(quoteError(small, {{"lines", lines({{"mug", 6}})}}).code == cartkeep::ErrorCode::QuantityLimit);
  auto lineCount = quoteError(small, {{"lines", lines({{"mug", 1}, {"lantern", 1}, {"book", 1}})}});
  CHECK(lineCount.code == cartkeep::ErrorCode::QuantityLimit);
  CHECK(lineCount.path == "request.lines");
}

TEST_CASE("a product on two request lines is refused, naming the second line", "[quote]") {
  auto store = engine();
  auto error = quoteError(store, {{"lines", lines({{"mug", 1}, {"lantern", 2}, {"mug", 3}})}});
  CHECK(error.code == cartkeep::ErrorCode::InvalidArgument);
  CHECK(error.describe() == R"(request.lines[2].productId: "mug" is already on request.lines[0]; give each product one line)");
}

TEST_CASE("batch quoting reports each bad request in its own entry", "[quote]") {
  auto store = engine();
  json requests = json::array({{{"lines", lines({{"mug", 1}})}},
                               {{"lines", json::array({{{"productId", "mug"}, {"quantity", "NaN"}}})}},
                               {{"lines", lines({{"ghost", 1}})}},
                               "not a request",
                               {{"lines", lines({{"mug", 100}})}},
                               {{"lines", lines({{"lantern", 2}})}}});
  auto batch = store.quoteBatch(requests.dump());
  REQUIRE(batch.ok());
  const json& out = batch.value();
  REQUIRE(out.size() == 6);
  CHECK(out[0][0] == quote(store, requests[0])["total"]);
  CHECK(out[1]["error"] == "invalid-argument");
  CHECK(out[1]["path"] == "requests[1].lines[0].quantity");
  CHECK(out[1]["message"].get<std::string>().find("\"NaN\"") != std::string::npos);
  CHECK(out[2]["error"] == "unknown-product");
  CHECK(out[2]["path"] == "requests[2].lines[0].productId");
  CHECK(out[3]["error"] == "invalid-argument");
  CHECK(out[3]["path"] == "requests[3]");
  CHECK(out[4]["error"] == "quantity-limit");
  CHECK(out[4]["path"] == "requests[4].lines[0].quantity");
  CHECK(out[5][0] == quote(store, requests[5])["total"]);
}
