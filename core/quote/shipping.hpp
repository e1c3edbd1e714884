#pragma once
// Shipping zones (by country, region, postcode prefix), methods and their rates; each rule keeps the
// option path it came from so a quote can name it.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/catalog.hpp"
#include "quote/delivery.hpp"
#include "cartkeep/error.hpp"
#include "base/money.hpp"
#include "base/rounding.hpp"

namespace cartkeep {

struct RateTier {
  std::int64_t from = 0;             // inclusive (grams or minor units)
  std::optional<std::int64_t> upTo;  // inclusive; empty: no upper bound
  Minor amount = 0;
};

enum class RateType { Flat, Weight, Subtotal, PerItem };

struct ShippingRate {
  RateType type = RateType::Flat;
  Minor amount = 0;  // flat amount, or per item
  Minor base = 0;    // per-item: charged once per order on top
  std::vector<RateTier> tiers;
};

struct ClassRule {
  bool excluded = false;
  Minor surcharge = 0;         // once per order when the cart holds the class
  Minor surchargePerItem = 0;  // per unit of the class
  std::string label;           // shown for the surcharge; empty: the default string
};

struct ShippingMethod {
  std::string id;
  std::string name;
  ShippingRate rate;
  std::optional<Minor> freeAbove;  // free when the discounted subtotal reaches this
  std::map<std::string, ClassRule> classes;
  std::optional<Transit> transit;  // business days after dispatch
  std::string path;                // options.shipping.zones[0].methods[1]
};

struct ShippingZone {
  std::string id;
  std::string name;
  std::vector<std::string> countries;  // ISO 3166-1 alpha-2, or "*" for any country
  std::vector<std::string> regions;    // empty: any region
  std::vector<std::string> postcodes;  // normalised prefixes; empty: any postcode
  std::vector<ShippingMethod> methods;
  std::map<std::string, Rate> tax;     // tax category -> rate; empty: no tax charged in this zone
  std::string path;
};

struct Destination {
  std::string country;  // upper case
  std::string region;
  std::string postcode;
};

struct ShippingConfig {
  std::vector<ShippingZone> zones;
  Destination defaultDestination;
  std::vector<std::string> countries;  // what a destination picker offers
  // options.shipping.postcodePatterns: country -> accepted shapes, replacing the built-in ones for it.
  std::map<std::string, std::vector<std::string>> postcodePatterns;
};

// Merchant texts (zone and method names, class labels) are read for `locale` (readMerchantText).
Result<ShippingConfig> parseShippingConfig(const nlohmann::json* value, const std::string& path,
                                           const std::string& locale);
nlohmann::json toJson(const ShippingConfig& config);

Result<Destination> parseDestination(const nlohmann::json& value, const std::string& path, ErrorCode code);
nlohmann::json toJson(const Destination& destination);

// "sw1a 1aa" -> "SW1A 1AA" (upper case, single inner spaces).
std::string normalisePostcode(const std::string& postcode);
bool postcodeMatches(const std::string& prefix, const std::string& country, const std::string& normalisedPostcode);
// Postcode shapes: 'A' a letter, '9' a digit, 'X' either, ' ' an optional space, anything else itself.
// Built in for GB (full postcode or outward code alone), IE, FR, DE, NL, BE, ES, IT, DK, SE, US, CA, AU, JP;
// any postcode for other countries. An empty postcode always fits (none given).
bool postcodeShapeFits(std::string_view pattern, std::string_view normalisedPostcode);
bool postcodeFits(const ShippingConfig& config, const Destination& destination);
// The first accepted shape for the country ("A9 9AA"), for messages; empty when any postcode fits.
std::string postcodeExample(const ShippingConfig& config, const std::string& country);
// The first zone (in option order) that covers the destination.
const ShippingZone* matchZone(const ShippingConfig& config, const Destination& destination);

// What the goods in the cart look like to a shipping method.
struct ShippingLine {
  const Product* product;
  std::int64_t quantity;
};
struct ShipmentFacts {
  std::vector<ShippingLine> lines;
  std::int64_t weightGrams = 0;
  std::int64_t units = 0;
  Minor merchandise = 0;  // subtotal after discounts, in the store's price basis
};

struct Surcharge {
  std::string shippingClass;
  std::string label;
  Minor amount = 0;
  std::string rule;
};

struct MethodCharge {
  const ShippingMethod* method = nullptr;
  bool available = true;
  std::string unavailableReason;       // "excluded-products", "weight-limit", "subtotal-limit"
  std::vector<std::string> productIds;  // the products that exclude it
  Minor rateAmount = 0;                // the rate before any free-shipping rule
  bool freeByThreshold = false;
  Minor charge = 0;                    // rateAmount, or 0 when free
  std::vector<Surcharge> surcharges;
};

Result<MethodCharge> chargeMethod(const ShippingMethod& method, const ShipmentFacts& facts);

}  // namespace cartkeep
