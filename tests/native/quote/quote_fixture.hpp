#pragma once
// A realistic UK store for the quote tests: VAT 20% inclusive, zones for the mainland, the Highlands &
// Islands (postcode prefixes), the EU and the rest of the world; two coupons; a delivery calendar.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "cartkeep/engine.hpp"

namespace quote_fixture {
using nlohmann::json;

inline json ukStore() {
  return json::parse(R"({
    "currency": "GBP", "locale": "en-GB",
    "rounding": {"mode": "half-up", "level": "line"},
    "tax": {"pricesIncludeTax": true, "shippingTaxable": true},
    "catalog": [
      {"id": "mug", "title": "Enamel Mug", "price": 850, "category": "Kitchen", "weight": 300},
      {"id": "lantern", "title": "White Metal Lantern", "price": 1999, "category": "Lights", "weight": 900},
      {"id": "book", "title": "Recipe Book", "price": 1299, "category": "Books", "weight": 600, "taxCategory": "zero"},
      {"id": "sofa", "title": "Garden Sofa", "price": 24900, "category": "Garden", "weight": 30000, "shippingClass": "bulky"},
      {"id": "candle", "title": "Soy Candle", "price": 600, "category": "Home", "weight": 250, "shippingClass": "flammable"}
    ],
    "shipping": {
      "defaultDestination": {"country": "GB"},
      "zones": [
        {"id": "uk-hi", "name": "UK Highlands & Islands", "countries": ["GB"], "postcodes": ["HS", "IV", "KW", "ZE", "PA20"],
         "tax": {"standard": "20", "zero": 0},
         "methods": [
           {"id": "standard", "name": "Standard", "rate": {"type": "flat", "amount": 895}, "transitDays": {"min": 3, "max": 5},
            "classes": {"bulky": {"surcharge": 4000}}}
         ]},
        {"id": "uk", "name": "United Kingdom", "countries": ["GB"], "tax": {"standard": "20", "zero": 0},
         "methods": [
           {"id": "standard", "name": "Standard", "rate": {"type": "flat", "amount": 395}, "freeAbove": 4000,
            "transitDays": {"min": 2, "max": 3}, "classes": {"bulky": {"surcharge": 2500, "label": "Two-person delivery"}}},
           {"id": "express", "name": "Express", "rate": {"type": "weight", "tiers": [
              {"upTo": 2000, "amount": 795}, {"upTo": 10000, "amount": 1295}]},
            "transitDays": {"min": 1, "max": 1}, "classes": {"bulky": {"excluded": true}}}
         ]},
        {"id": "eu", "name": "European Union", "countries": ["FR", "DE", "IE", "NL", "ES"],
         "methods": [
           {"id": "standard", "name": "International", "rate": {"type": "per-item", "base": 999, "amount": 150},
            "transitDays": {"min": 4, "max": 7}, "classes": {"flammable": {"excluded": true}}}
         ]},
        {"id": "row", "name": "Rest of the world", "countries": ["US", "CA", "AU", "JP"],
         "methods": [
           {"id": "standard", "name": "Worldwide", "rate": {"type": "subtotal", "tiers": [
              {"upTo": 4999, "amount": 1499}, {"from": 5000, "amount": 2499}]},
            "transitDays": {"min": 6, "max": 10}, "classes": {"bulky": {"excluded": true}, "flammable": {"excluded": true}}}
         ]}
      ]
    },
    "coupons": [
      {"code": "WELCOME10", "type": "percentage", "rate": 10, "minSubtotal": 2000, "expires": "2030-12-31"},
      {"code": "FREESHIP", "type": "free-shipping", "methods": ["standard"], "stacking": "combinable"},
      {"code": "LIGHTS5", "type": "fixed", "amount": 500, "categories": ["Lights"], "stacking": "combinable"},
      {"code": "SPRING", "type": "percentage", "rate": "12.5", "starts": "2024-03-01", "expires": "2024-05-31"}
    ],
    "delivery": {"processingDays": 1, "cutoff": "14:00", "businessDays": ["mon", "tue", "wed", "thu", "fri"],
                 "holidays": ["2024-12-25", "2024-12-26"], "timeZone": "Europe/London"}
  })");
}

inline cartkeep::Engine engine(const json& options = ukStore()) {
  cartkeep::Engine engine;
  auto init = engine.init(options.dump());
  if (!init.ok()) FAIL(init.error().describe());
  return engine;
}

inline json quote(const cartkeep::Engine& engine, const json& request) {
  auto result = engine.quote(request.dump());
  if (!result.ok()) FAIL(result.error().describe());
  return result.value();
}

inline cartkeep::Error quoteError(const cartkeep::Engine& engine, const json& request) {
  auto result = engine.quote(request.dump());
  REQUIRE_FALSE(result.ok());
  return result.error();
}

inline cartkeep::Error initError(const json& options) {
  cartkeep::Engine engine;
  auto init = engine.init(options.dump());
  REQUIRE_FALSE(init.ok());
  return init.error();
}

// init refuses the options with invalid-options at `path`, saying `fragment`.
inline void expectError(const json& options, const std::string& path, const std::string& fragment) {
  auto error = initError(options);
  INFO(error.describe());
  CHECK(error.code == cartkeep::ErrorCode::InvalidOptions);
  CHECK(error.path == path);
  CHECK(error.message.find(fragment) != std::string::npos);
}

inline std::int64_t componentSum(const json& quote) {
  std::int64_t sum = 0;
  for (const auto& c : quote["components"]) sum += c["amount"].get<std::int64_t>();
  return sum;
}

inline const json* component(const json& quote, const std::string& kind) {
  for (const auto& c : quote["components"])
    if (c["kind"] == kind) return &c;
  return nullptr;
}

inline json lines(std::initializer_list<std::pair<const char*, int>> items) {
  json out = json::array();
  for (const auto& [id, quantity] : items) out.push_back(json{{"productId", id}, {"quantity", quantity}});
  return out;
}

}  // namespace quote_fixture
