#include "quote/shipping.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "base/json_fields.hpp"
#include "base/json_build.hpp"
#include "store/strings.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {

constexpr ErrorCode kShippingCode = ErrorCode::InvalidOptions;

jf::IntegerRule amountRule(bool required = true) {
  return {required, 0, kMaxJsSafeMinor, "expected a non-negative integer amount in minor units"};
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

bool isCountryCode(const std::string& code) {
  return code == "*" || (code.size() == 2 && std::isupper(static_cast<unsigned char>(code[0])) &&
                         std::isupper(static_cast<unsigned char>(code[1])));
}

const char* rateTypeId(RateType type) {
  switch (type) {
    case RateType::Flat: return "flat";
    case RateType::Weight: return "weight";
    case RateType::Subtotal: return "subtotal";
    case RateType::PerItem: return "per-item";
  }
  return "flat";
}

Result<std::vector<RateTier>> readTiers(const json& rate, const std::string& at, const char* unit) {
  const std::string tiersAt = jf::child(at, "tiers");
  auto found = rate.find("tiers");
  if (found == rate.end()) return jf::invalid(kShippingCode, tiersAt, "required, expected an array of tiers");
  CARTKEEP_TRY(jf::expectArray(*found, tiersAt, kShippingCode));
  if (found->empty()) return jf::invalid(kShippingCode, tiersAt, "a rate needs at least one tier");
  if (found->size() > 100) return jf::invalid(kShippingCode, tiersAt, "more than 100 tiers");
  std::vector<RateTier> tiers;
  const std::string expectation = std::string("expected a non-negative integer ") + unit;
  for (std::size_t i = 0; i < found->size(); ++i) {
    const json& item = (*found)[i];
    const std::string tierAt = jf::element(tiersAt, i);
    CARTKEEP_TRY(jf::expectObject(item, tierAt, kShippingCode));
    CARTKEEP_TRY(jf::rejectUnknownKeys(item, tierAt, kShippingCode, {"from", "upTo", "amount"}));
    RateTier tier;
    const std::int64_t expectedFrom = tiers.empty() ? 0 : *tiers.back().upTo + 1;
    CARTKEEP_TRY_ASSIGN(tier.from, jf::readInteger(item, "from", tierAt, kShippingCode,
                                                   {false, 0, kMaxJsSafeMinor, expectation.c_str()}, expectedFrom));
    CARTKEEP_TRY_ASSIGN(tier.upTo, jf::readOptionalInteger(item, "upTo", tierAt, kShippingCode,
                                                           {false, 0, kMaxJsSafeMinor, expectation.c_str()}));
    CARTKEEP_TRY_ASSIGN(tier.amount, jf::readInteger(item, "amount", tierAt, kShippingCode, amountRule()));
    if (tier.upTo && *tier.upTo < tier.from)
      return jf::invalid(kShippingCode, jf::child(tierAt, "upTo"),
                         "ends at " + std::to_string(*tier.upTo) + ", before the tier starts (" +
                             std::to_string(tier.from) + ")");
    if (!tiers.empty()) {
      const std::string previous = jf::element(tiersAt, i - 1);
      if (tier.from < expectedFrom)
        return jf::invalid(kShippingCode, jf::child(tierAt, "from"),
                           "tiers overlap: " + std::to_string(tier.from) + " is already covered by " + previous +
                               " (up to " + std::to_string(*tiers.back().upTo) + "); list tiers in ascending order");
      if (tier.from > expectedFrom)
        return jf::invalid(kShippingCode, jf::child(tierAt, "from"),
                           "leaves a gap after " + previous + ": start at " + std::to_string(expectedFrom));
    } else if (tier.from != 0) {
      return jf::invalid(kShippingCode, jf::child(tierAt, "from"), "the first tier must start at 0");
    }
    if (!tier.upTo && i + 1 != found->size())
      return jf::invalid(kShippingCode, jf::child(tierAt, "upTo"),
                         "only the last tier may be open-ended; tiers after it would overlap");
    tiers.push_back(tier);
  }
  return tiers;
}

Result<ShippingRate> readRate(const json& method, const std::string& methodAt) {
  jf::Fields fields(kShippingCode);
  const std::string at = jf::child(methodAt, "rate");
  auto found = method.find("rate");
  if (found == method.end() || found->is_null())
    return jf::invalid(kShippingCode, at, "required, expected a rate such as {\"type\": \"flat\", \"amount\": 395}");
  const json& rate = *found;
  CARTKEEP_TRY(jf::expectObject(rate, at, kShippingCode));
  CARTKEEP_TRY_ASSIGN(std::string type, jf::readString(rate, "type", at, kShippingCode, {true, 1, 16}));
  ShippingRate out;
  if (type == "flat") {
    out.type = RateType::Flat;
    CARTKEEP_TRY(jf::rejectUnknownKeys(rate, at, kShippingCode, {"type", "amount"}));
    CARTKEEP_TRY_ASSIGN(out.amount, jf::readInteger(rate, "amount", at, kShippingCode, amountRule()));
  } else if (type == "weight" || type == "subtotal") {
    out.type = type == "weight" ? RateType::Weight : RateType::Subtotal;
    CARTKEEP_TRY(jf::rejectUnknownKeys(rate, at, kShippingCode, {"type", "tiers"}));
    CARTKEEP_TRY_ASSIGN(out.tiers, readTiers(rate, at, type == "weight" ? "weight in grams" : "amount in minor units"));
  } else if (type == "per-item") {
    out.type = RateType::PerItem;
    CARTKEEP_TRY(jf::rejectUnknownKeys(rate, at, kShippingCode, {"type", "amount", "base"}));
    fields.integer(rate, "amount", at, out.amount, amountRule());
    fields.integer(rate, "base", at, out.base, amountRule(false));
    CARTKEEP_TRY(fields.status());
  } else {
    return jf::invalid(kShippingCode, jf::child(at, "type"),
                       "expected \"flat\", \"weight\", \"subtotal\" or \"per-item\", " + jf::describeValue(rate["type"]));
  }
  return out;
}

Result<std::map<std::string, ClassRule>> readClasses(const json& method, const std::string& methodAt,
                                                     const std::string& locale) {
  std::map<std::string, ClassRule> classes;
  jf::Fields fields(kShippingCode);
  auto found = method.find("classes");
  if (found == method.end() || found->is_null()) return classes;
  const std::string at = jf::child(methodAt, "classes");
  CARTKEEP_TRY(jf::expectObject(*found, at, kShippingCode));
  for (const auto& item : found->items()) {
    const std::string classAt = jf::child(at, item.key());
    CARTKEEP_TRY(jf::expectObject(item.value(), classAt, kShippingCode));
    CARTKEEP_TRY(jf::rejectUnknownKeys(item.value(), classAt, kShippingCode, {"excluded", "surcharge", "surchargePerItem", "label"}));
    ClassRule rule;
    fields.boolean(item.value(), "excluded", classAt, rule.excluded, false);
    fields.integer(item.value(), "surcharge", classAt, rule.surcharge, amountRule(false));
    CARTKEEP_TRY(fields.status());
    CARTKEEP_TRY_ASSIGN(rule.surchargePerItem,
                        jf::readInteger(item.value(), "surchargePerItem", classAt, kShippingCode, amountRule(false)));
    CARTKEEP_TRY_ASSIGN(rule.label, readMerchantText(item.value(), "label", classAt, locale, {false, 200}));
    if (rule.excluded && (rule.surcharge || rule.surchargePerItem))
      return jf::invalid(kShippingCode, classAt, "an excluded class cannot also have a surcharge");
    classes.emplace(item.key(), rule);
  }
  return classes;
}

Result<ShippingMethod> readMethod(const json& item, const std::string& at, const std::string& locale) {
  CARTKEEP_TRY(jf::expectObject(item, at, kShippingCode));
  CARTKEEP_TRY(jf::rejectUnknownKeys(item, at, kShippingCode, {"id", "name", "rate", "freeAbove", "classes", "transitDays"}));
  ShippingMethod method;
  method.path = at;
  CARTKEEP_TRY_ASSIGN(method.id, jf::readString(item, "id", at, kShippingCode, {true, 1, 64}));
  CARTKEEP_TRY_ASSIGN(method.name, readMerchantText(item, "name", at, locale, {true, 200}));
  CARTKEEP_TRY_ASSIGN(method.rate, readRate(item, at));
  CARTKEEP_TRY_ASSIGN(method.freeAbove, jf::readOptionalInteger(item, "freeAbove", at, kShippingCode, amountRule(false)));
  CARTKEEP_TRY_ASSIGN(method.classes, readClasses(item, at, locale));
  auto transit = item.find("transitDays");
  if (transit != item.end() && !transit->is_null()) {
    const std::string transitAt = jf::child(at, "transitDays");
    CARTKEEP_TRY(jf::expectObject(*transit, transitAt, kShippingCode));
    CARTKEEP_TRY(jf::rejectUnknownKeys(*transit, transitAt, kShippingCode, {"min", "max"}));
    CARTKEEP_TRY_ASSIGN(auto min, jf::readInteger(*transit, "min", transitAt, kShippingCode, {true, 0, 365}));
    CARTKEEP_TRY_ASSIGN(auto max, jf::readInteger(*transit, "max", transitAt, kShippingCode, {false, 0, 365}, min));
    if (max < min)
      return jf::invalid(kShippingCode, jf::child(transitAt, "max"),
                         "is below min (" + std::to_string(min) + ")");
    method.transit = Transit{static_cast<int>(min), static_cast<int>(max)};
  }
  return method;
}

Result<std::vector<std::string>> readCountries(const json& object, const std::string& at, bool allowAny) {
  CARTKEEP_TRY_ASSIGN(auto countries, jf::readStringArray(object, "countries", at, kShippingCode, 300, 8));
  for (std::size_t i = 0; i < countries.size(); ++i) {
    countries[i] = upper(countries[i]);
    if (!isCountryCode(countries[i]) || (!allowAny && countries[i] == "*"))
      return jf::invalid(kShippingCode, jf::element(jf::child(at, "countries"), i),
                         std::string("expected an ISO 3166-1 alpha-2 country code such as \"GB\"") +
                             (allowAny ? " or \"*\" for any country" : "") + ", got " +
                             json(countries[i]).dump());
  }
  return countries;
}

Result<ShippingZone> readZone(const json& item, const std::string& at, const std::string& locale) {
  CARTKEEP_TRY(jf::expectObject(item, at, kShippingCode));
  CARTKEEP_TRY(jf::rejectUnknownKeys(item, at, kShippingCode, {"id", "name", "countries", "regions", "postcodes", "methods", "tax"}));
  ShippingZone zone;
  zone.path = at;
  CARTKEEP_TRY_ASSIGN(zone.id, jf::readString(item, "id", at, kShippingCode, {true, 1, 64}));
  CARTKEEP_TRY_ASSIGN(zone.name, readMerchantText(item, "name", at, locale, {true, 200}));
  CARTKEEP_TRY_ASSIGN(zone.countries, readCountries(item, at, true));
  if (zone.countries.empty())
    return jf::invalid(kShippingCode, jf::child(at, "countries"),
                       "required: list the country codes the zone covers (\"*\" for any country)");
  CARTKEEP_TRY_ASSIGN(zone.regions, jf::readStringArray(item, "regions", at, kShippingCode, 1000, 64));
  for (auto& region : zone.regions) region = upper(region);
  CARTKEEP_TRY_ASSIGN(zone.postcodes, jf::readStringArray(item, "postcodes", at, kShippingCode, 5000, 16));
  for (std::size_t i = 0; i < zone.postcodes.size(); ++i) {
    zone.postcodes[i] = normalisePostcode(zone.postcodes[i]);
    if (zone.postcodes[i].empty())
      return jf::invalid(kShippingCode, jf::element(jf::child(at, "postcodes"), i), "expected a non-empty postcode prefix");
  }
  const std::string methodsAt = jf::child(at, "methods");
  auto methods = item.find("methods");
  if (methods == item.end() || methods->is_null())
    return jf::invalid(kShippingCode, methodsAt, "a zone needs at least one method");
  CARTKEEP_TRY(jf::expectArray(*methods, methodsAt, kShippingCode));
  if (methods->empty()) return jf::invalid(kShippingCode, methodsAt, "a zone needs at least one method");
  if (methods->size() > 50) return jf::invalid(kShippingCode, methodsAt, "more than 50 methods");
  for (std::size_t i = 0; i < methods->size(); ++i) {
    CARTKEEP_TRY_ASSIGN(ShippingMethod method, readMethod((*methods)[i], jf::element(methodsAt, i), locale));
    for (std::size_t j = 0; j < zone.methods.size(); ++j)
      if (zone.methods[j].id == method.id)
        return jf::invalid(kShippingCode, jf::child(jf::element(methodsAt, i), "id"),
                           "duplicate method id " + json(method.id).dump() + " (first at " +
                               jf::element(methodsAt, j) + ")");
    zone.methods.push_back(std::move(method));
  }
  auto tax = item.find("tax");
  if (tax != item.end() && !tax->is_null()) {
    const std::string taxAt = jf::child(at, "tax");
    CARTKEEP_TRY(jf::expectObject(*tax, taxAt, kShippingCode));
    for (const auto& entry : tax->items()) {
      CARTKEEP_TRY_ASSIGN(Rate rate, readPercent(entry.value(), jf::child(taxAt, entry.key()), kShippingCode));
      zone.tax.emplace(entry.key(), rate);
    }
  }
  return zone;
}

}  // namespace

Result<Destination> parseDestination(const json& value, const std::string& path, ErrorCode code) {
  CARTKEEP_TRY(jf::expectObject(value, path, code));
  CARTKEEP_TRY(jf::rejectUnknownKeys(value, path, code, {"country", "region", "postcode"}));
  Destination destination;
  CARTKEEP_TRY_ASSIGN(destination.country, jf::readString(value, "country", path, code, {false, 0, 8}));
  destination.country = upper(destination.country);
  if (!destination.country.empty() && (destination.country == "*" || !isCountryCode(destination.country)))
    return jf::invalid(code, jf::child(path, "country"),
                       "expected an ISO 3166-1 alpha-2 country code such as \"GB\", " +
                           jf::describeValue(value["country"]));
  CARTKEEP_TRY_ASSIGN(destination.region, jf::readString(value, "region", path, code, {false, 0, 64}));
  destination.region = upper(destination.region);
  CARTKEEP_TRY_ASSIGN(destination.postcode, jf::readString(value, "postcode", path, code, {false, 0, 32}));
  destination.postcode = normalisePostcode(destination.postcode);
  return destination;
}

json toJson(const Destination& destination) {
  return jsonObject({{"country", destination.country}, {"region", destination.region}, {"postcode", destination.postcode}});
}

Result<ShippingConfig> parseShippingConfig(const json* value, const std::string& path, const std::string& locale) {
  ShippingConfig config;
  if (!value || value->is_null()) return config;
  CARTKEEP_TRY(jf::expectObject(*value, path, kShippingCode));
  CARTKEEP_TRY(jf::rejectUnknownKeys(*value, path, kShippingCode, {"zones", "defaultDestination", "countries", "postcodePatterns"}));
  auto patterns = value->find("postcodePatterns");
  if (patterns != value->end() && !patterns->is_null()) {
    const std::string at = jf::child(path, "postcodePatterns");
    CARTKEEP_TRY(jf::expectObject(*patterns, at, kShippingCode));
    for (const auto& item : patterns->items()) {
      const std::string country = upper(item.key());
      if (!isCountryCode(country))
        return jf::invalid(kShippingCode, jf::child(at, item.key()), "expected an ISO 3166-1 alpha-2 country code as the key");
      CARTKEEP_TRY_ASSIGN(auto shapes, jf::readStringArray(*patterns, item.key(), at, kShippingCode, 20, 16));
      if (shapes.empty()) return jf::invalid(kShippingCode, jf::child(at, item.key()), "expected at least one postcode shape such as \"A9 9AA\"");
      for (auto& shape : shapes) shape = normalisePostcode(shape);
      config.postcodePatterns[country] = std::move(shapes);
    }
  }
  const std::string zonesAt = jf::child(path, "zones");
  auto zones = value->find("zones");
  if (zones == value->end() || zones->is_null())
    return jf::invalid(kShippingCode, zonesAt, "required, expected an array of shipping zones");
  CARTKEEP_TRY(jf::expectArray(*zones, zonesAt, kShippingCode));
  if (zones->size() > 500) return jf::invalid(kShippingCode, zonesAt, "more than 500 zones");
  for (std::size_t i = 0; i < zones->size(); ++i) {
    CARTKEEP_TRY_ASSIGN(ShippingZone zone, readZone((*zones)[i], jf::element(zonesAt, i), locale));
    for (std::size_t j = 0; j < config.zones.size(); ++j)
      if (config.zones[j].id == zone.id)
        return jf::invalid(kShippingCode, jf::child(jf::element(zonesAt, i), "id"),
                           "duplicate zone id " + json(zone.id).dump() + " (first at " + jf::element(zonesAt, j) + ")");
    config.zones.push_back(std::move(zone));
  }
  CARTKEEP_TRY_ASSIGN(config.countries, readCountries(*value, path, false));
  auto fallback = value->find("defaultDestination");
  if (fallback != value->end() && !fallback->is_null()) {
    CARTKEEP_TRY_ASSIGN(config.defaultDestination,
                        parseDestination(*fallback, jf::child(path, "defaultDestination"), kShippingCode));
  }
  if (config.countries.empty()) {
    std::set<std::string> seen;
    for (const auto& zone : config.zones)
      for (const auto& country : zone.countries)
        if (country != "*" && seen.insert(country).second) config.countries.push_back(country);
  }
  if (config.defaultDestination.country.empty() && !config.countries.empty())
    config.defaultDestination.country = config.countries.front();
  if (!postcodeFits(config, config.defaultDestination))
    return jf::invalid(kShippingCode, jf::child(jf::child(path, "defaultDestination"), "postcode"),
                       "expected a postcode such as " + json(postcodeExample(config, config.defaultDestination.country)).dump() +
                           " for " + config.defaultDestination.country);
  return config;
}

namespace {
struct BuiltInShapes {
  const char* country;
  std::vector<const char*> shapes;
};
// The demo's destinations and the common ones; a merchant adds or replaces any country with postcodePatterns.
const std::vector<BuiltInShapes>& builtInShapes() {
  static const std::vector<BuiltInShapes> shapes = {
      {"GB", {"A9 9AA", "A99 9AA", "AA9 9AA", "AA99 9AA", "A9A 9AA", "AA9A 9AA", "A9", "A99", "AA9", "AA99", "A9A", "AA9A"}},
      {"IE", {"A99 XXXX", "A9A XXXX"}},
      {"FR", {"99999"}}, {"DE", {"99999"}}, {"ES", {"99999"}}, {"IT", {"99999"}},
      {"NL", {"9999 AA"}}, {"BE", {"9999"}}, {"DK", {"9999"}}, {"AU", {"9999"}},
      {"SE", {"999 99"}}, {"US", {"99999", "99999-9999"}}, {"CA", {"A9A 9A9"}}, {"JP", {"999-9999"}},
  };
  return shapes;
}
}  // namespace

bool postcodeShapeFits(std::string_view pattern, std::string_view code) {
  std::size_t j = 0;
  for (char p : pattern) {
    if (p == ' ') {
      if (j < code.size() && code[j] == ' ') ++j;
      continue;
    }
    if (j >= code.size()) return false;
    const char c = code[j++];
    const bool letter = c >= 'A' && c <= 'Z';
    const bool digit = c >= '0' && c <= '9';
    const bool ok = p == 'A' ? letter : p == '9' ? digit : p == 'X' ? (letter || digit) : c == p;
    if (!ok) return false;
  }
  return j == code.size();
}

bool postcodeFits(const ShippingConfig& config, const Destination& destination) {
  if (destination.postcode.empty()) return true;
  auto own = config.postcodePatterns.find(destination.country);
  if (own != config.postcodePatterns.end())
    return std::any_of(own->second.begin(), own->second.end(),
                       [&](const std::string& shape) { return postcodeShapeFits(shape, destination.postcode); });
  for (const auto& entry : builtInShapes())
    if (destination.country == entry.country)
      return std::any_of(entry.shapes.begin(), entry.shapes.end(),
                         [&](const char* shape) { return postcodeShapeFits(shape, destination.postcode); });
  return true;
}

std::string postcodeExample(const ShippingConfig& config, const std::string& country) {
  auto own = config.postcodePatterns.find(country);
  if (own != config.postcodePatterns.end()) return own->second.front();
  for (const auto& entry : builtInShapes())
    if (country == entry.country) return entry.shapes.front();
  return {};
}

json toJson(const ShippingConfig& config) {
  json zones = json::array();
  for (const auto& zone : config.zones) {
    json methods = json::array();
    for (const auto& method : zone.methods) {
      json rate = jsonObject({{"type", rateTypeId(method.rate.type)}});
      methods.push_back(jsonObject({{"id", method.id},
                             {"name", method.name},
                             {"rate", rate},
                             {"freeAbove", method.freeAbove ? json(*method.freeAbove) : json(nullptr)},
                             {"transitDays", method.transit ? jsonObject({{"min", method.transit->min}, {"max", method.transit->max}})
                                                            : json(nullptr)}}));
    }
    zones.push_back(jsonObject({{"id", zone.id}, {"name", zone.name}, {"countries", zone.countries}, {"methods", methods}}));
  }
  return jsonObject({{"zones", zones},
              {"countries", config.countries},
              {"defaultDestination", toJson(config.defaultDestination)}});
}

std::string normalisePostcode(const std::string& postcode) {
  std::string out;
  bool space = false;
  for (char c : postcode) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

bool postcodeMatches(const std::string& prefix, const std::string& country, const std::string& postcode) {
  // Compare without spaces; a prefix ending in a digit ("PA2") must not match a longer district ("PA20"),
  // so the outward code (before the space; for GB the inward code is always the last three characters)
  // may not continue with another digit.
  std::string compact, outward;
  const auto space = postcode.find(' ');
  for (char c : postcode)
    if (c != ' ') compact += c;
  std::string compactPrefix;
  for (char c : prefix)
    if (c != ' ') compactPrefix += c;
  if (compact.compare(0, compactPrefix.size(), compactPrefix) != 0) return false;
  if (compactPrefix.empty() || !std::isdigit(static_cast<unsigned char>(compactPrefix.back()))) return true;
  if (space != std::string::npos)
    outward = postcode.substr(0, space);
  else if (country == "GB" && compact.size() >= 5)
    outward = compact.substr(0, compact.size() - 3);
  else
    return true;  // no known outward code (e.g. "75001"): a plain prefix
  if (outward.size() < compactPrefix.size()) return false;  // the prefix reaches into the inward code
  if (outward.size() == compactPrefix.size()) return true;
  return !std::isdigit(static_cast<unsigned char>(outward[compactPrefix.size()]));
}

const ShippingZone* matchZone(const ShippingConfig& config, const Destination& destination) {
  if (destination.country.empty()) return nullptr;
  for (const auto& zone : config.zones) {
    const bool country = std::any_of(zone.countries.begin(), zone.countries.end(), [&](const std::string& c) {
      return c == "*" || c == destination.country;
    });
    if (!country) continue;
    if (!zone.regions.empty() &&
        std::find(zone.regions.begin(), zone.regions.end(), destination.region) == zone.regions.end())
      continue;
    if (!zone.postcodes.empty() &&
        std::none_of(zone.postcodes.begin(), zone.postcodes.end(), [&](const std::string& prefix) {
          return postcodeMatches(prefix, destination.country, destination.postcode);
        }))
      continue;
    return &zone;
  }
  return nullptr;
}

namespace {
std::optional<Minor> tierAmount(const std::vector<RateTier>& tiers, std::int64_t value) {
  for (const auto& tier : tiers)
    if (value >= tier.from && (!tier.upTo || value <= *tier.upTo)) return tier.amount;
  return std::nullopt;
}
}  // namespace

Result<MethodCharge> chargeMethod(const ShippingMethod& method, const ShipmentFacts& facts) {
  MethodCharge out;
  out.method = &method;
  std::map<std::string, std::int64_t> classUnits;
  for (const auto& line : facts.lines) {
    if (line.product->shippingClass.empty()) continue;
    auto rule = method.classes.find(line.product->shippingClass);
    if (rule == method.classes.end()) continue;
    if (rule->second.excluded) {
      out.available = false;
      out.unavailableReason = "excluded-products";
      out.productIds.push_back(line.product->id);
    }
    classUnits[line.product->shippingClass] += line.quantity;
  }
  if (!out.available) return out;
  switch (method.rate.type) {
    case RateType::Flat: out.rateAmount = method.rate.amount; break;
    case RateType::PerItem: {
      auto perItem = checkedMul(method.rate.amount, facts.units);
      auto sum = perItem ? checkedAdd(*perItem, method.rate.base) : std::nullopt;
      if (!sum || !isJsSafe(*sum)) return overflowError(method.path);
      out.rateAmount = *sum;
      break;
    }
    case RateType::Weight:
    case RateType::Subtotal: {
      const bool weight = method.rate.type == RateType::Weight;
      auto amount = tierAmount(method.rate.tiers, weight ? facts.weightGrams : facts.merchandise);
      if (!amount) {
        out.available = false;
        out.unavailableReason = weight ? "weight-limit" : "subtotal-limit";
        return out;
      }
      out.rateAmount = *amount;
      break;
    }
  }
  out.freeByThreshold = method.freeAbove && facts.merchandise >= *method.freeAbove;
  out.charge = out.freeByThreshold ? 0 : out.rateAmount;
  for (const auto& [name, units] : classUnits) {
    const ClassRule& rule = method.classes.at(name);
    auto perItem = checkedMul(rule.surchargePerItem, units);
    auto sum = perItem ? checkedAdd(*perItem, rule.surcharge) : std::nullopt;
    if (!sum || !isJsSafe(*sum)) return overflowError(method.path);
    if (*sum == 0) continue;
    out.surcharges.push_back(Surcharge{name, rule.label, *sum, jf::child(jf::child(method.path, "classes"), name)});
  }
  return out;
}

}  // namespace cartkeep
