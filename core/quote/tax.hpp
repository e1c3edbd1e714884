#pragma once
// Tax settings: prices with or without tax, whether shipping is taxed. The rates live on each shipping
// zone (zones[i].tax: category -> percentage), products name their category (catalog taxCategory).
#include <string>

#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"
#include "base/money.hpp"
#include "base/rounding.hpp"

namespace cartkeep {

struct TaxConfig {
  bool pricesIncludeTax = true;   // catalog prices, shipping rates and fees already contain the tax
  bool shippingTaxable = true;    // shipping (and its surcharges) is taxed at the shipping category
  std::string shippingCategory = "standard";
};

Result<TaxConfig> parseTaxConfig(const nlohmann::json* value, const std::string& path);
nlohmann::json toJson(const TaxConfig& config);

// The tax on a base amount: the contained portion when prices include tax, else the added amount.
Result<Minor> taxOn(Minor base, Rate rate, bool inclusive, RoundingMode mode);

}  // namespace cartkeep
