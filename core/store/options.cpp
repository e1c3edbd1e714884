#include "store/options.hpp"

#include <algorithm>
#include <cctype>

#include "base/currency.hpp"
#include "base/json_fields.hpp"
#include "base/json_build.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {

constexpr ErrorCode kOptionsCode = ErrorCode::InvalidOptions;
const std::string kOptionsRoot = "options";

bool isLocaleTag(const std::string& tag) {
  if (tag.size() < 2 || tag.size() > 35) return false;
  if (!std::isalpha(static_cast<unsigned char>(tag[0]))) return false;
  return std::all_of(tag.begin(), tag.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

bool isRightToLeft(const std::string& locale) {
  std::string language = locale.substr(0, locale.find_first_of("-_"));
  std::transform(language.begin(), language.end(), language.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* rtl : {"ar", "he", "iw", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})
    if (language == rtl) return true;
  return false;
}

Result<CartOptions> readCartOptions(const json& root) {
  CartOptions cart;
  auto found = root.find("cart");
  if (found == root.end() || found->is_null()) return cart;
  const std::string at = jf::child(kOptionsRoot, "cart");
  CARTKEEP_TRY(jf::expectObject(*found, at, kOptionsCode));
  CARTKEEP_TRY(jf::rejectUnknownKeys(*found, at, kOptionsCode, {"maxQuantityPerLine", "maxLines"}));
  CARTKEEP_TRY_ASSIGN(cart.maxQuantityPerLine,
                      jf::readInteger(*found, "maxQuantityPerLine", at, kOptionsCode, {false, 1, 1000000}, 99));
  CARTKEEP_TRY_ASSIGN(cart.maxLines, jf::readInteger(*found, "maxLines", at, kOptionsCode, {false, 1, 1000}, 100));
  return cart;
}

}  // namespace

Result<Options> parseOptions(const json& value) {
  CARTKEEP_TRY(jf::expectObject(value, kOptionsRoot, kOptionsCode));
  CARTKEEP_TRY(jf::rejectUnknownKeys(
      value, kOptionsRoot, kOptionsCode,
      {"currency", "locale", "direction", "catalog", "cart", "strings", "debug", "wasmUrl",
       "rounding", "tax", "shipping", "fees", "coupons", "delivery", "persistence", "behaviour", "nudges",
       "events", "consent", "suggestions"}));
  Options options;
  CARTKEEP_TRY_ASSIGN(options.currency, jf::readString(value, "currency", kOptionsRoot, kOptionsCode, {true, 1, 16}));
  if (!findCurrency(options.currency))
    return jf::invalid(kOptionsCode, jf::child(kOptionsRoot, "currency"),
                       "unknown ISO 4217 currency " + json(options.currency).dump() +
                           " (use an upper-case code such as \"GBP\")");
  CARTKEEP_TRY_ASSIGN(options.locale, jf::readString(value, "locale", kOptionsRoot, kOptionsCode, {false, 0, 64}, "en"));
  if (!isLocaleTag(options.locale))
    return jf::invalid(kOptionsCode, jf::child(kOptionsRoot, "locale"),
                       "expected a BCP 47 language tag such as \"en-GB\" or \"ar-AE\", " +
                           jf::describeValue(value["locale"]));
  CARTKEEP_TRY_ASSIGN(std::string direction,
                      jf::readString(value, "direction", kOptionsRoot, kOptionsCode, {false, 0, 8}, "auto"));
  if (direction == "auto")
    options.direction = isRightToLeft(options.locale) ? "rtl" : "ltr";
  else if (direction == "ltr" || direction == "rtl")
    options.direction = direction;
  else
    return jf::invalid(kOptionsCode, jf::child(kOptionsRoot, "direction"),
                       "expected \"auto\", \"ltr\" or \"rtl\", " + jf::describeValue(value["direction"]));
  CARTKEEP_TRY_ASSIGN(options.cart, readCartOptions(value));
  auto strings = value.find("strings");
  CARTKEEP_TRY_ASSIGN(options.strings,
                      resolveStrings(options.locale, strings == value.end() ? nullptr : &*strings,
                                     jf::child(kOptionsRoot, "strings")));
  CARTKEEP_TRY_ASSIGN(options.debug, jf::readBool(value, "debug", kOptionsRoot, kOptionsCode, false));
  return options;
}

json toJson(const Options& options) {
  return jsonObject({{"currency", options.currency},
              {"currencyExponent", findCurrency(options.currency)->exponent},
              {"locale", options.locale},
              {"direction", options.direction},
              {"cart", jsonObject({{"maxQuantityPerLine", options.cart.maxQuantityPerLine},
                        {"maxLines", options.cart.maxLines}})},
              {"strings", options.strings},
              {"debug", options.debug}});
}

}  // namespace cartkeep
