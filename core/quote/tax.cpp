#include "quote/tax.hpp"

#include "base/json_fields.hpp"
#include "base/json_build.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

Result<TaxConfig> parseTaxConfig(const json* value, const std::string& path) {
  constexpr ErrorCode kCode = ErrorCode::InvalidOptions;
  jf::Fields fields(kCode);
  TaxConfig config;
  if (!value || value->is_null()) return config;
  CARTKEEP_TRY(jf::expectObject(*value, path, kCode));
  CARTKEEP_TRY(jf::rejectUnknownKeys(*value, path, kCode, {"pricesIncludeTax", "shippingTaxable", "shippingCategory"}));
  fields.boolean(*value, "pricesIncludeTax", path, config.pricesIncludeTax, true);
  fields.boolean(*value, "shippingTaxable", path, config.shippingTaxable, true);
  CARTKEEP_TRY(fields.status());
  CARTKEEP_TRY_ASSIGN(config.shippingCategory,
                      jf::readString(*value, "shippingCategory", path, kCode, {false, 1, 64}, "standard"));
  return config;
}

json toJson(const TaxConfig& config) {
  return jsonObject({{"pricesIncludeTax", config.pricesIncludeTax},
              {"shippingTaxable", config.shippingTaxable},
              {"shippingCategory", config.shippingCategory}});
}

Result<Minor> taxOn(Minor base, Rate rate, bool inclusive, RoundingMode mode) {
  return inclusive ? includedPortion(base, rate, mode) : applyRate(base, rate, mode);
}

}  // namespace cartkeep
