#pragma once
// The merchant's options, validated and normalised; JS renders from the normalised copy.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"
#include "store/strings.hpp"

namespace cartkeep {

struct CartOptions {
  std::int64_t maxQuantityPerLine = 99;
  std::int64_t maxLines = 100;
};

struct Options {
  std::string currency;      // ISO 4217, upper case
  std::string locale;        // BCP 47, e.g. "en-GB", "ar-AE"
  std::string direction;     // "ltr" or "rtl" (resolved from the locale when "auto")
  CartOptions cart;
  Strings strings;
  bool debug = false;
};

// `value` is the whole options object; the catalog member is read by Catalog, not here.
Result<Options> parseOptions(const nlohmann::json& value);

nlohmann::json toJson(const Options& options);

}  // namespace cartkeep
