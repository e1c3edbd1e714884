#pragma once
// The quote: from the cart (or given lines), a destination, coupons and a shipping method to the exact
// total the checkout will charge, itemised so every component names the option rule that produced it
// and the components sum exactly to the total.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/cart.hpp"
#include "store/catalog.hpp"
#include "quote/coupon.hpp"
#include "quote/delivery.hpp"
#include "cartkeep/error.hpp"
#include "store/options.hpp"
#include "base/rounding.hpp"
#include "quote/shipping.hpp"
#include "quote/tax.hpp"

namespace cartkeep {

struct Fee {
  std::string id;
  std::string name;
  bool percentage = false;
  Minor amount = 0;  // fixed
  Rate rate;         // percentage
  bool orderBase = false;  // percentage of subtotal + shipping ("order") instead of the subtotal
  std::vector<std::string> paymentMethods;  // empty: always
  std::string path;
};

struct QuoteConfig {
  Rounding rounding;
  TaxConfig tax;
  ShippingConfig shipping;
  std::vector<Fee> fees;
  std::vector<Coupon> coupons;
  DeliveryConfig delivery;
};

// Reads options.rounding, options.tax, options.shipping, options.fees, options.coupons, options.delivery;
// merchant texts (names, labels, descriptions) are taken for `locale` from per-locale maps.
Result<QuoteConfig> parseQuoteConfig(const nlohmann::json& root, const std::string& currency, const std::string& locale);
// Cross-checks against the catalog: coupon products exist, every zone with tax rates has a rate for each
// product's tax category (and the shipping category when shipping is taxed).
Status checkQuoteConfig(const QuoteConfig& config, const Catalog& catalog);
nlohmann::json toJson(const QuoteConfig& config);

struct QuoteRequest {
  std::optional<Destination> destination;  // empty: options.shipping.defaultDestination
  std::vector<std::string> coupons;
  std::string method;
  std::string paymentMethod;
  std::optional<LocalDateTime> now;              // store-local wall-clock time
  std::optional<std::vector<CartLine>> lines;    // quote these lines instead of the cart
  std::string path = "request";                  // where the request came from, for error paths
};

// `limits` are the cart's: request lines obey options.cart.maxLines and maxQuantityPerLine (quantity-limit)
// like the cart they stand for; each product may appear on one line only (invalid-argument).
Result<QuoteRequest> parseQuoteRequest(const nlohmann::json& value, const CartOptions& limits,
                                       const std::string& path = "request");

struct QuoteTotals {
  Minor subtotal = 0;     // lines at their prices
  Minor discount = 0;     // coupons, as a positive amount
  Minor shipping = 0;     // selected method after free-shipping rules, plus surcharges
  Minor fees = 0;
  Minor tax = 0;          // tax added on top (prices without tax)
  Minor taxIncluded = 0;  // tax contained in the prices (prices with tax)
  Minor total = 0;
  bool shippable = true;
};

// The full itemised quote as JSON (shape documented in docs/quote.md).
Result<nlohmann::json> quoteJson(const QuoteConfig& config, const Options& options, const Catalog& catalog,
                                 const std::vector<CartLine>& cartLines, const QuoteRequest& request);
// Only the totals, for many carts per call (the JS oracle, benchmarks): the same computation.
Result<QuoteTotals> quoteTotals(const QuoteConfig& config, const Options& options, const Catalog& catalog,
                                const std::vector<CartLine>& cartLines, const QuoteRequest& request);

}  // namespace cartkeep
