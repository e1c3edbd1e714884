#pragma once
// Every text a shopper sees, with English and Arabic defaults; the merchant overrides any key.
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"

namespace cartkeep {

// key -> template ("{count} items"); plural keys carry a CLDR category suffix (".one", ".other").
using Strings = std::map<std::string, std::string>;

// Defaults for the locale's language ("ar-EG" -> Arabic), English otherwise.
Strings defaultStrings(const std::string& locale);

// Merges `overrides` (a JSON object of texts, see localisedText) onto the defaults; unknown keys are errors at `path.key`.
Result<Strings> resolveStrings(const std::string& locale, const nlohmann::json* overrides,
                               const std::string& path);

// A merchant text: a string, or a per-locale map {"en": "...", "ar": "..."} from which the entry for `locale`
// (then for its language) is taken; nullopt when the map has neither. Every entry is checked, errors name it.
Result<std::optional<std::string>> localisedText(const nlohmann::json& value, const std::string& locale,
                                                 const std::string& path);

// A merchant's shopper-facing text in the options (method, zone and fee names, class labels, coupon
// descriptions): `object[key]` as a string or a per-locale map read by localisedText. A map falls back to its
// "en" entry when it has none for the locale or its language; a map with neither is an error at the path, and
// every entry must fit the length limits. Absent or null: "" when optional, an error when required.
struct MerchantTextRule {
  bool required = false;
  std::size_t maxBytes = 200;
};
Result<std::string> readMerchantText(const nlohmann::json& object, const std::string& key, const std::string& path,
                                     const std::string& locale, const MerchantTextRule& rule);

}  // namespace cartkeep
