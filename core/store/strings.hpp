#pragma once
// Every text a shopper sees, with English and Arabic defaults; the merchant overrides any key.
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"

namespace cartkeep {

// key -> template ("{count} items"); plural keys carry a CLDR category suffix (".one", ".other").
using Strings = std::map<std::string, std::string>;

// Defaults for the locale's language ("ar-EG" -> Arabic), English otherwise.
Strings defaultStrings(const std::string& locale);

// Merges `overrides` (a JSON object) onto the defaults; unknown keys are errors at `path.key`.
Result<Strings> resolveStrings(const std::string& locale, const nlohmann::json* overrides,
                               const std::string& path);

}  // namespace cartkeep
