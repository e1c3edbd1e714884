#include "quote/quote.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "base/allocation.hpp"
#include "base/currency.hpp"
#include "base/json_fields.hpp"
#include "base/json_build.hpp"
#include "store/strings.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {

constexpr ErrorCode kQuoteCode = ErrorCode::InvalidOptions;

// ---- options -------------------------------------------------------------------------------------

Result<Rounding> parseRounding(const json* value, const std::string& path) {
  Rounding rounding;
  if (!value || value->is_null()) return rounding;
  CARTKEEP_TRY(jf::expectObject(*value, path, kQuoteCode));
  CARTKEEP_TRY(jf::rejectUnknownKeys(*value, path, kQuoteCode, {"mode", "level"}));
  CARTKEEP_TRY_ASSIGN(std::string mode, jf::readString(*value, "mode", path, kQuoteCode, {false, 0, 16}, "half-even"));
  auto parsedMode = parseRoundingMode(mode);
  if (!parsedMode)
    return jf::invalid(kQuoteCode, jf::child(path, "mode"),
                       "expected \"half-up\", \"half-even\", \"up\" or \"down\", " + jf::describeValue((*value)["mode"]));
  CARTKEEP_TRY_ASSIGN(std::string level, jf::readString(*value, "level", path, kQuoteCode, {false, 0, 16}, "line"));
  auto parsedLevel = parseRoundingLevel(level);
  if (!parsedLevel)
    return jf::invalid(kQuoteCode, jf::child(path, "level"),
                       "expected \"line\" or \"order\", " + jf::describeValue((*value)["level"]));
  rounding.mode = *parsedMode;
  rounding.level = *parsedLevel;
  return rounding;
}

Result<std::vector<Fee>> parseFees(const json* value, const std::string& path, const std::string& locale) {
  std::vector<Fee> fees;
  if (!value || value->is_null()) return fees;
  CARTKEEP_TRY(jf::expectArray(*value, path, kQuoteCode));
  if (value->size() > 50) return jf::invalid(kQuoteCode, path, "more than 50 fees");
  for (std::size_t i = 0; i < value->size(); ++i) {
    const json& item = (*value)[i];
    const std::string at = jf::element(path, i);
    CARTKEEP_TRY(jf::expectObject(item, at, kQuoteCode));
    CARTKEEP_TRY(jf::rejectUnknownKeys(item, at, kQuoteCode, {"id", "name", "type", "amount", "rate", "base", "paymentMethods"}));
    Fee fee;
    fee.path = at;
    CARTKEEP_TRY_ASSIGN(fee.id, jf::readString(item, "id", at, kQuoteCode, {true, 1, 64}));
    CARTKEEP_TRY_ASSIGN(fee.name, readMerchantText(item, "name", at, locale, {true, 200}));
    CARTKEEP_TRY_ASSIGN(std::string type, jf::readString(item, "type", at, kQuoteCode, {true, 1, 16}));
    if (type == "fixed") {
      CARTKEEP_TRY_ASSIGN(fee.amount, jf::readInteger(item, "amount", at, kQuoteCode,
                                                      {true, 0, kMaxJsSafeMinor,
                                                       "expected a non-negative integer amount in minor units"}));
      if (item.contains("rate")) return jf::invalid(kQuoteCode, jf::child(at, "rate"), "a fixed fee takes an amount, not a rate");
    } else if (type == "percentage") {
      fee.percentage = true;
      if (!item.contains("rate")) return jf::invalid(kQuoteCode, jf::child(at, "rate"), "required for a percentage fee");
      if (item.contains("amount"))
        return jf::invalid(kQuoteCode, jf::child(at, "amount"), "a percentage fee takes a rate, not an amount");
      CARTKEEP_TRY_ASSIGN(fee.rate, readPercent(item["rate"], jf::child(at, "rate"), kQuoteCode));
    } else {
      return jf::invalid(kQuoteCode, jf::child(at, "type"), "expected \"fixed\" or \"percentage\", " + jf::describeValue(item["type"]));
    }
    CARTKEEP_TRY_ASSIGN(std::string base, jf::readString(item, "base", at, kQuoteCode, {false, 0, 16}, "subtotal"));
    if (base != "subtotal" && base != "order")
      return jf::invalid(kQuoteCode, jf::child(at, "base"), "expected \"subtotal\" or \"order\", " + jf::describeValue(item["base"]));
    fee.orderBase = base == "order";
    CARTKEEP_TRY_ASSIGN(fee.paymentMethods, jf::readStringArray(item, "paymentMethods", at, kQuoteCode, 50, 64));
    for (const auto& other : fees)
      if (other.id == fee.id)
        return jf::invalid(kQuoteCode, jf::child(at, "id"), "duplicate fee id " + json(fee.id).dump() + " (first at " + other.path + ")");
    fees.push_back(std::move(fee));
  }
  return fees;
}

const json* member(const json& root, const char* key) {
  auto found = root.find(key);
  return found == root.end() ? nullptr : &*found;
}

// ---- messages: the core decides what to say; JS fills the template from options.strings ----------

json message(const char* key, json values = json::object()) { return shopperMessage(key, std::move(values)); }
json money(Minor amount) { return jsonObject({{"money", amount}}); }
json dateValue(DayNumber day) { return jsonObject({{"date", formatDate(day)}}); }

// ---- computation -----------------------------------------------------------------------------------

struct LineState {
  const Product* product = nullptr;
  std::int64_t quantity = 0;
  Minor lineTotal = 0;
  Minor discount = 0;
  Minor net = 0;
  std::optional<Rate> taxRate;
  Minor tax = 0;
};

struct CouponState {
  std::string code;
  const Coupon* coupon = nullptr;
  std::string status;  // applied, unknown, expired, not-started, min-subtotal, not-eligible, not-combinable
  Minor amount = 0;
  json text;
};

struct Component {
  std::string kind;
  std::string id;
  std::string rule;
  Minor amount = 0;
  json label;
  json detail = nullptr;
};

struct MethodState {
  MethodCharge charge;
  bool waived = false;  // by a free-shipping coupon
  const Coupon* waivedBy = nullptr;
  Minor total = 0;      // what the shopper pays for it, surcharges included
  std::optional<DeliveryEstimate> delivery;
};

struct Quote {
  Destination destination;
  const ShippingZone* zone = nullptr;
  bool shippingConfigured = false;
  bool shippable = true;
  std::string notShippableReason;
  std::vector<std::string> notShippableProducts;
  std::vector<LineState> lines;
  std::vector<CouponState> coupons;
  std::vector<MethodState> methods;
  int selected = -1;
  std::vector<Component> components;
  std::vector<Component> includedTax;
  QuoteTotals totals;
  json freeShipping = nullptr;
  json delivery = nullptr;
};

Error cartOverflow() {
  return Error{ErrorCode::Overflow, "cart", "the quote is beyond the largest exact amount (2^53 - 1 minor units)"};
}

Result<Minor> add(Minor a, Minor b) {
  auto sum = checkedAdd(a, b);
  if (!sum || !isJsSafe(*sum)) return cartOverflow();
  return *sum;
}

Status applyCouponDiscount(const Coupon& coupon, std::vector<LineState>& lines, const Rounding& rounding,
                           CouponState& state) {
  std::vector<std::size_t> eligible;
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (couponCovers(coupon, *lines[i].product)) eligible.push_back(i);
  std::vector<Minor> parts(eligible.size(), 0);
  std::vector<Minor> weights;
  Minor base = 0;
  for (auto i : eligible) {
    weights.push_back(lines[i].net);
    CARTKEEP_TRY_ASSIGN(base, add(base, lines[i].net));
  }
  if (coupon.type == CouponType::Percentage && rounding.level == RoundingLevel::Line) {
    for (std::size_t k = 0; k < eligible.size(); ++k) {
      CARTKEEP_TRY_ASSIGN(parts[k], applyRate(lines[eligible[k]].net, coupon.rate, rounding.mode));
    }
  } else if (base > 0) {
    Minor amount = 0;
    if (coupon.type == CouponType::Percentage) {
      CARTKEEP_TRY_ASSIGN(amount, applyRate(base, coupon.rate, rounding.mode));
    } else {
      amount = std::min(coupon.amount, base);
    }
    CARTKEEP_TRY_ASSIGN(parts, allocateLargestRemainder(amount, weights));
  }
  for (std::size_t k = 0; k < eligible.size(); ++k) {
    LineState& line = lines[eligible[k]];
    line.discount += parts[k];
    line.net -= parts[k];
    state.amount += parts[k];
  }
  return success();
}

json destinationValue(const Destination& destination) {
  return jsonObject({{"country", destination.country}});
}

// One quote, computed in named steps (compute() below runs them in order); what a step hands the next lives here.
class QuoteSteps {
 public:
  // `detail`: build the labels, messages and per-method data (the full quote); totals-only callers skip them.
  QuoteSteps(const QuoteConfig& quoteConfig, const Catalog& storeCatalog, const QuoteRequest& quoteRequest, bool withDetail)
      : config(quoteConfig), rounding(quoteConfig.rounding), catalog(storeCatalog), request(quoteRequest), detail(withDetail) {}

  // Lines and subtotal: the request's lines, else the cart's, priced from the catalog.
  Status lines(const std::vector<CartLine>& cartLines) {
    const std::vector<CartLine>& source = request.lines ? *request.lines : cartLines;
    for (std::size_t i = 0; i < source.size(); ++i) {
      const Product* product = catalog.find(source[i].productId);
      if (!product)
        return Error{ErrorCode::UnknownProduct, request.lines ? jf::child(jf::element(jf::child(request.path, "lines"), i), "productId") : "cart",
                     "no product with id " + json(source[i].productId).dump() + " in the catalog"};
      LineState line;
      line.product = product;
      line.quantity = source[i].quantity;
      auto total = checkedMul(product->price, source[i].quantity);
      if (!total || !isJsSafe(*total)) return cartOverflow();
      line.lineTotal = line.net = *total;
      CARTKEEP_TRY_ASSIGN(quote.totals.subtotal, add(quote.totals.subtotal, *total));
      quote.lines.push_back(line);
    }
    quote.components.push_back(Component{"subtotal", "subtotal", "cart", quote.totals.subtotal, (detail ? message("quote.subtotal") : json())});
    return success();
  }

  // Coupons, in the order given; discounts come off the lines before shipping and tax.
  Status discounts() {
    std::set<std::string> seen;
    bool exclusiveTaken = false;
    std::optional<std::size_t> firstAccepted;  // index into quote.coupons
    for (const auto& code : request.coupons) {
      const std::string key = couponKey(code);
      if (key.empty() || !seen.insert(key).second) continue;
      CouponState state;
      state.code = key;
      state.coupon = findCoupon(config.coupons, key);
      const Coupon* coupon = state.coupon;
      json values = detail ? jsonObject({{"code", key}}) : json();
      if (!coupon) {
        state.status = "unknown";
        state.text = (detail ? message("coupon.unknown", values) : json());
      } else {
        state.code = coupon->code;
        if (detail) values["code"] = coupon->code;
        if ((coupon->starts || coupon->expires) && !request.now)
          return Error{ErrorCode::InvalidArgument, "request.now",
                       "required to check the validity dates of coupon " + json(coupon->code).dump()};
        bool anyEligible = coupon->type == CouponType::FreeShipping;
        for (const auto& line : quote.lines) anyEligible = anyEligible || couponCovers(*coupon, *line.product);
        if (coupon->starts && *request.now < *coupon->starts) {
          state.status = "not-started";
          if (detail) values["date"] = dateValue(coupon->starts->day);
          state.text = (detail ? message("coupon.notStarted", values) : json());
        } else if (coupon->expires && *coupon->expires < *request.now) {
          state.status = "expired";
          state.text = (detail ? message("coupon.expired", values) : json());
        } else if (quote.totals.subtotal < coupon->minSubtotal) {
          state.status = "min-subtotal";
          if (detail) {
            values["amount"] = money(coupon->minSubtotal - quote.totals.subtotal);
            values["minimum"] = money(coupon->minSubtotal);
          }
          state.text = (detail ? message("coupon.minSubtotal", values) : json());
        } else if (!anyEligible) {
          state.status = "not-eligible";
          state.text = (detail ? message("coupon.notEligible", values) : json());
        } else if (firstAccepted && (exclusiveTaken || !coupon->combinable)) {
          state.status = "not-combinable";
          if (detail) values["other"] = quote.coupons[*firstAccepted].code;
          state.text = (detail ? message("coupon.notCombinable", values) : json());
        } else {
          state.status = "applied";
          if (coupon->type != CouponType::FreeShipping) {
            CARTKEEP_TRY(applyCouponDiscount(*coupon, quote.lines, rounding, state));
          }
          exclusiveTaken = exclusiveTaken || !coupon->combinable;
          state.text = (detail ? message("coupon.applied", values) : json());
        }
      }
      quote.coupons.push_back(std::move(state));
      if (quote.coupons.back().status == "applied") {
        if (!firstAccepted) firstAccepted = quote.coupons.size() - 1;
        if (quote.coupons.back().coupon->type == CouponType::FreeShipping)
          freeShippingCoupons.push_back(quote.coupons.size() - 1);
      }
    }
    for (const auto& line : quote.lines) {
      CARTKEEP_TRY_ASSIGN(merchandise, add(merchandise, line.net));
    }
    for (const auto& state : quote.coupons)
      if (state.status == "applied" && state.coupon->type != CouponType::FreeShipping) {
        quote.totals.discount += state.amount;
        quote.components.push_back(Component{"discount", state.coupon->code, state.coupon->path, -state.amount,
                                             (detail ? message("quote.discount", jsonObject({{"code", state.coupon->code}})) : json()),
                                             detail ? jsonObject({{"type", couponTypeId(state.coupon->type)},
                                                           {"rate", state.coupon->type == CouponType::Percentage
                                                                        ? json(percentText(state.coupon->rate)) : json(nullptr)},
                                                           {"description", state.coupon->description}})
                                                    : json()});
      }
    return success();
  }

  // Shipping: the destination checked, a method chosen, free-shipping coupons settled, the shipping components.
  Status shipping() {
    quote.destination = request.destination ? *request.destination : config.shipping.defaultDestination;
    // A postcode the zone rules cannot read is refused, never quoted as if it were somewhere.
    if (!postcodeFits(config.shipping, quote.destination))
      return jf::invalid(ErrorCode::InvalidArgument, "request.destination.postcode",
                         "expected a postcode of " + quote.destination.country + " shaped like " +
                             json(postcodeExample(config.shipping, quote.destination.country)).dump() + ", got " +
                             json(quote.destination.postcode).dump());
    quote.shippingConfigured = !config.shipping.zones.empty();
    if (quote.shippingConfigured) CARTKEEP_TRY(chooseMethod());
    settleFreeShippingCoupons();
    addShippingComponents();
    quote.totals.shipping = shippingTotal;
    quote.totals.shippable = quote.shippable;
    return success();
  }

  // The destination's zone, every method of it charged, and the chosen one: the shopper's, else the cheapest.
  Status chooseMethod() {
    quote.zone = matchZone(config.shipping, quote.destination);
    if (!quote.zone) {
      quote.shippable = false;
      quote.notShippableReason = "no-zone";
    } else if (!quote.lines.empty()) {  // an empty cart ships nothing and costs nothing
      ShipmentFacts facts;
      facts.merchandise = merchandise;
      for (const auto& line : quote.lines) {
        facts.lines.push_back(ShippingLine{line.product, line.quantity});
        auto grams = checkedMul(line.product->weightGrams, line.quantity);
        auto weight = grams ? checkedAdd(facts.weightGrams, *grams) : std::nullopt;
        if (!weight) return cartOverflow();
        facts.weightGrams = *weight;
        facts.units += line.quantity;
      }
      std::set<std::string> excluded;
      for (const auto& method : quote.zone->methods) {
        MethodState state;
        CARTKEEP_TRY_ASSIGN(state.charge, chargeMethod(method, facts));
        for (auto index : freeShippingCoupons) {
          const Coupon* coupon = quote.coupons[index].coupon;
          if (coupon->methods.empty() ||
              std::find(coupon->methods.begin(), coupon->methods.end(), method.id) != coupon->methods.end()) {
            state.waived = true;
            state.waivedBy = coupon;
            break;
          }
        }
        state.total = state.waived ? 0 : state.charge.charge;
        for (const auto& surcharge : state.charge.surcharges) {
          CARTKEEP_TRY_ASSIGN(state.total, add(state.total, surcharge.amount));
        }
        for (const auto& id : state.charge.productIds) excluded.insert(id);
        quote.methods.push_back(std::move(state));
      }
      for (std::size_t i = 0; i < quote.methods.size(); ++i) {
        if (!quote.methods[i].charge.available) continue;
        if (!request.method.empty() && quote.zone->methods[i].id == request.method) {
          quote.selected = static_cast<int>(i);
          break;
        }
        if (quote.selected < 0 || quote.methods[i].total < quote.methods[static_cast<std::size_t>(quote.selected)].total)
          quote.selected = static_cast<int>(i);
      }
      if (quote.selected < 0) {
        quote.shippable = false;
        quote.notShippableReason = excluded.empty() ? "no-method" : "excluded-products";
        for (const auto& line : quote.lines)
          if (excluded.count(line.product->id)) quote.notShippableProducts.push_back(line.product->id);
      }
    }
    return success();
  }

  // Free-shipping coupons only count when they waive the chosen method.
  void settleFreeShippingCoupons() {
    for (auto index : freeShippingCoupons) {
      CouponState& state = quote.coupons[index];
      const bool waives = quote.selected >= 0 && quote.methods[static_cast<std::size_t>(quote.selected)].waivedBy == state.coupon;
      if (!waives) {
        const bool otherCoupon = quote.selected >= 0 && quote.methods[static_cast<std::size_t>(quote.selected)].waived;
        state.status = otherCoupon ? "applied" : "not-eligible";
        if (!otherCoupon) state.text = (detail ? message("coupon.notEligibleMethod", jsonObject({{"code", state.coupon->code}})) : json());
      } else {
        state.amount = quote.methods[static_cast<std::size_t>(quote.selected)].charge.charge;
      }
    }
  }

  // The chosen method's charge and surcharges as components.
  void addShippingComponents() {
    if (quote.selected >= 0) {
      const MethodState& chosen = quote.methods[static_cast<std::size_t>(quote.selected)];
      const ShippingMethod& method = quote.zone->methods[static_cast<std::size_t>(quote.selected)];
      json shippingDetail = !detail ? json() : jsonObject({{"zone", quote.zone->id},
                  {"method", method.id},
                  {"rateAmount", chosen.charge.rateAmount},
                  {"free", chosen.waived ? json("coupon") : chosen.charge.freeByThreshold ? json("threshold") : json(nullptr)},
                  {"freeRule", chosen.waived ? json(chosen.waivedBy->path)
                               : chosen.charge.freeByThreshold ? json(method.path + ".freeAbove") : json(nullptr)}});
      const Minor baseCharge = chosen.waived ? 0 : chosen.charge.charge;
      quote.components.push_back(Component{"shipping", quote.zone->id + "/" + method.id, method.path, baseCharge,
                                           (detail ? message("quote.shipping", jsonObject({{"method", method.name}})) : json()), shippingDetail});
      for (const auto& surcharge : chosen.charge.surcharges)
        quote.components.push_back(Component{"surcharge", quote.zone->id + "/" + method.id + "/" + surcharge.shippingClass,
                                             surcharge.rule, surcharge.amount,
                                             (detail ? message("quote.surcharge", jsonObject({{"label", surcharge.label.empty()
                                                                                          ? surcharge.shippingClass
                                                                                          : surcharge.label}})) : json())});
      shippingTotal = chosen.total;
    }
  }

  // Fees, for the payment method when they name one.
  Status fees() {
    for (const auto& fee : config.fees) {
      if (!fee.paymentMethods.empty() &&
          std::find(fee.paymentMethods.begin(), fee.paymentMethods.end(), request.paymentMethod) == fee.paymentMethods.end())
        continue;
      Minor amount = fee.amount;
      if (fee.percentage) {
        CARTKEEP_TRY_ASSIGN(Minor base, add(merchandise, fee.orderBase ? shippingTotal : 0));
        CARTKEEP_TRY_ASSIGN(amount, applyRate(base, fee.rate, rounding.mode));
      }
      CARTKEEP_TRY_ASSIGN(quote.totals.fees, add(quote.totals.fees, amount));
      quote.components.push_back(Component{"fee", fee.id, fee.path, amount, (detail ? message("quote.fee", jsonObject({{"name", fee.name}})) : json()),
                                           detail ? jsonObject({{"rate", fee.percentage ? json(percentText(fee.rate)) : json(nullptr)}}) : json()});
    }
    return success();
  }

  // Tax, by rate: per line (and shipping) rounded and summed, or summed exactly and rounded once.
  Status tax() {
    if (quote.zone && !quote.zone->tax.empty()) {
      const bool inclusive = config.tax.pricesIncludeTax;
      struct Group {
        Minor base = 0;
        Minor tax = 0;
        std::vector<std::string> categories;
        std::vector<Minor*> shares;   // per-line tax slots, filled by allocation at order level
        std::vector<Minor> weights;
      };
      std::map<Rate, Group> groups;
      Minor shippingTax = 0;
      auto addBase = [&](const std::string& category, Minor base, Minor* slot) -> Status {
        auto found = quote.zone->tax.find(category);
        if (found == quote.zone->tax.end())
          return Error{ErrorCode::InvalidOptions, jf::child(quote.zone->path, "tax"),
                       "no rate for tax category " + json(category).dump()};
        Group& group = groups[found->second];
        if (std::find(group.categories.begin(), group.categories.end(), category) == group.categories.end())
          group.categories.push_back(category);
        CARTKEEP_TRY_ASSIGN(group.base, add(group.base, base));
        if (rounding.level == RoundingLevel::Line) {
          CARTKEEP_TRY_ASSIGN(*slot, taxOn(base, found->second, inclusive, rounding.mode));
          CARTKEEP_TRY_ASSIGN(group.tax, add(group.tax, *slot));
        } else {
          group.shares.push_back(slot);
          group.weights.push_back(base);
        }
        return success();
      };
      for (auto& line : quote.lines) {
        line.taxRate = quote.zone->tax.count(line.product->taxCategory) ? std::optional<Rate>(quote.zone->tax.at(line.product->taxCategory))
                                                                         : std::nullopt;
        CARTKEEP_TRY(addBase(line.product->taxCategory, line.net, &line.tax));
      }
      if (config.tax.shippingTaxable && shippingTotal > 0) CARTKEEP_TRY(addBase(config.tax.shippingCategory, shippingTotal, &shippingTax));
      for (auto& [rate, group] : groups) {
        if (rounding.level == RoundingLevel::Order) {
          CARTKEEP_TRY_ASSIGN(group.tax, taxOn(group.base, rate, inclusive, rounding.mode));
          if (group.base > 0) {
            CARTKEEP_TRY_ASSIGN(auto shares, allocateLargestRemainder(group.tax, group.weights));
            for (std::size_t k = 0; k < shares.size(); ++k) *group.shares[k] = shares[k];
          }
        }
        if (rate.millionths == 0) continue;
        Component component{"tax", "tax/" + quote.zone->id + "/" + percentText(rate),
                            jf::child(jf::child(quote.zone->path, "tax"), group.categories.front()), group.tax,
                            (detail ? message(inclusive ? "quote.taxIncluded" : "quote.tax", jsonObject({{"rate", jsonObject({{"percent", percentText(rate)}})}})) : json()),
                            detail ? jsonObject({{"rate", percentText(rate)}, {"categories", group.categories}, {"base", group.base}}) : json()};
        if (inclusive) {
          CARTKEEP_TRY_ASSIGN(quote.totals.taxIncluded, add(quote.totals.taxIncluded, group.tax));
          quote.includedTax.push_back(std::move(component));
        } else {
          CARTKEEP_TRY_ASSIGN(quote.totals.tax, add(quote.totals.tax, group.tax));
          quote.components.push_back(std::move(component));
        }
      }
    }
    return success();
  }

  // The total is the sum of the displayed components, exactly.
  Status totals() {
    Minor total = 0;
    for (const auto& component : quote.components) {
      auto sum = checkedAdd(total, component.amount);
      if (!sum || !isJsSafe(*sum)) return cartOverflow();
      total = *sum;
    }
    quote.totals.total = total;
    return success();
  }

  // Free-shipping progress: the lowest threshold among the zone's methods that can take the order.
  Status freeShippingProgress() {
    if (quote.zone && detail) {
      std::optional<Minor> threshold;
      std::string thresholdMethod;
      for (std::size_t i = 0; i < quote.methods.size(); ++i) {
        const ShippingMethod& method = quote.zone->methods[i];
        if (!quote.methods[i].charge.available || !method.freeAbove) continue;
        if (!threshold || *method.freeAbove < *threshold) threshold = method.freeAbove, thresholdMethod = method.id;
      }
      const bool byCoupon = quote.selected >= 0 && quote.methods[static_cast<std::size_t>(quote.selected)].waived;
      if (threshold || byCoupon) {
        const Minor limit = threshold.value_or(0);
        const Minor remaining = byCoupon ? 0 : std::max<Minor>(0, limit - merchandise);
        std::int64_t percent = 100;
        if (remaining > 0) {
          CARTKEEP_TRY_ASSIGN(percent, mulDivRound(merchandise, 100, limit, RoundingMode::Down));
        }
        quote.freeShipping = jsonObject({{"threshold", threshold ? json(limit) : json(nullptr)},
                                  {"method", thresholdMethod.empty() ? json(nullptr) : json(thresholdMethod)},
                                  {"remaining", remaining},
                                  {"reached", remaining == 0},
                                  {"byCoupon", byCoupon},
                                  {"percent", percent},
                                  {"message", remaining == 0 ? (detail ? message("quote.freeShipping.reached") : json())
                                                             : (detail ? message("quote.freeShipping.remaining",
                                                                       jsonObject({{"amount", money(remaining)}})) : json())}});
      }
    }
    return success();
  }

  // Delivery estimates for every method with transit days, when the store's calendar and clock are known.
  void deliveryEstimates() {
    if (config.delivery.configured && request.now && quote.zone && detail) {
      for (std::size_t i = 0; i < quote.methods.size(); ++i) {
        const auto& transit = quote.zone->methods[i].transit;
        if (transit && quote.methods[i].charge.available)
          quote.methods[i].delivery = estimateDelivery(config.delivery, *request.now, *transit);
      }
      if (quote.selected >= 0 && quote.methods[static_cast<std::size_t>(quote.selected)].delivery) {
        const DeliveryEstimate& e = *quote.methods[static_cast<std::size_t>(quote.selected)].delivery;
        json range = e.earliest == e.latest ? (detail ? message("quote.delivery.on", jsonObject({{"date", dateValue(e.earliest)}})) : json())
                                            : (detail ? message("quote.delivery.range",
                                                      jsonObject({{"dates", jsonObject({{"dateRange", {formatDate(e.earliest), formatDate(e.latest)}}})}})) : json());
        json countdown = nullptr;
        if (e.minutesToCutoff && detail)  // else null, as json() is
          countdown = message("quote.delivery.orderWithin",
                              jsonObject({{"time", jsonObject({{"minutes", *e.minutesToCutoff}})}, {"date", dateValue(e.earliest)}}));
        // Not counted from today (past the cut-off, or not a working day): say why the dates start later.
        json why = nullptr;
        if (!e.minutesToCutoff && detail)
          why = message("quote.delivery.why", jsonObject({{"dispatch", dateValue(e.dispatchDay)},
                                                          {"cutoff", jsonObject({{"clock", config.delivery.cutoffMinute}})}}));
        quote.delivery = jsonObject({{"method", quote.zone->methods[static_cast<std::size_t>(quote.selected)].id},
                              {"now", formatDateTime(*request.now)},
                              {"orderDay", formatDate(e.orderDay)},
                              {"dispatch", formatDate(e.dispatchDay)},
                              {"earliest", formatDate(e.earliest)},
                              {"latest", formatDate(e.latest)},
                              {"minutesToCutoff", e.minutesToCutoff ? json(*e.minutesToCutoff) : json(nullptr)},
                              {"message", range},
                              {"countdown", countdown},
                              {"why", why}});
      }
    }
  }

  Quote quote;

 private:
  const QuoteConfig& config;
  const Rounding& rounding;
  const Catalog& catalog;
  const QuoteRequest& request;
  const bool detail;
  Minor merchandise = 0;                          // the lines after discounts
  std::vector<std::size_t> freeShippingCoupons;   // indexes into quote.coupons
  Minor shippingTotal = 0;                        // the chosen method with its surcharges
};

Result<Quote> compute(const QuoteConfig& config, const Options&, const Catalog& catalog,
                      const std::vector<CartLine>& cartLines, const QuoteRequest& request, bool detail) {
  QuoteSteps steps(config, catalog, request, detail);
  CARTKEEP_TRY(steps.lines(cartLines));
  CARTKEEP_TRY(steps.discounts());
  CARTKEEP_TRY(steps.shipping());
  CARTKEEP_TRY(steps.fees());
  CARTKEEP_TRY(steps.tax());
  CARTKEEP_TRY(steps.totals());
  CARTKEEP_TRY(steps.freeShippingProgress());
  steps.deliveryEstimates();
  return std::move(steps.quote);
}

json componentJson(const Component& c) {
  return jsonObject({{"kind", c.kind}, {"id", c.id}, {"rule", c.rule}, {"amount", c.amount}, {"label", c.label}, {"detail", c.detail}});
}

json estimateJson(const std::optional<DeliveryEstimate>& e) {
  if (!e) return nullptr;
  return jsonObject({{"dispatch", formatDate(e->dispatchDay)}, {"earliest", formatDate(e->earliest)}, {"latest", formatDate(e->latest)},
              {"minutesToCutoff", e->minutesToCutoff ? json(*e->minutesToCutoff) : json(nullptr)}});
}

}  // namespace

Result<QuoteConfig> parseQuoteConfig(const json& root, const std::string& currency, const std::string& locale) {
  QuoteConfig config;
  CARTKEEP_TRY_ASSIGN(config.rounding, parseRounding(member(root, "rounding"), "options.rounding"));
  CARTKEEP_TRY_ASSIGN(config.tax, parseTaxConfig(member(root, "tax"), "options.tax"));
  CARTKEEP_TRY_ASSIGN(config.shipping, parseShippingConfig(member(root, "shipping"), "options.shipping", locale));
  CARTKEEP_TRY_ASSIGN(config.fees, parseFees(member(root, "fees"), "options.fees", locale));
  CARTKEEP_TRY_ASSIGN(config.coupons, parseCoupons(member(root, "coupons"), "options.coupons", currency, locale));
  CARTKEEP_TRY_ASSIGN(config.delivery, parseDeliveryConfig(member(root, "delivery"), "options.delivery"));
  return config;
}

Status checkQuoteConfig(const QuoteConfig& config, const Catalog& catalog) {
  CARTKEEP_TRY(checkCouponProducts(config.coupons, catalog));
  for (const auto& zone : config.shipping.zones) {
    if (zone.tax.empty()) continue;
    const std::string at = jf::child(zone.path, "tax");
    if (config.tax.shippingTaxable && !zone.tax.count(config.tax.shippingCategory))
      return jf::invalid(kQuoteCode, at,
                         "no rate for the shipping tax category " + json(config.tax.shippingCategory).dump() +
                             " (options.tax.shippingCategory)");
    const auto& products = catalog.products();
    for (std::size_t i = 0; i < products.size(); ++i)
      if (!zone.tax.count(products[i].taxCategory))
        return jf::invalid(kQuoteCode, at,
                           "no rate for tax category " + json(products[i].taxCategory).dump() + " used by catalog[" +
                               std::to_string(i) + "] (" + json(products[i].id).dump() + ")");
  }
  return success();
}

json toJson(const QuoteConfig& config) {
  json coupons = json::array();
  for (const auto& coupon : config.coupons) coupons.push_back(jsonObject({{"code", coupon.code}, {"type", couponTypeId(coupon.type)}}));
  return jsonObject({{"rounding", jsonObject({{"mode", roundingModeId(config.rounding.mode)}, {"level", roundingLevelId(config.rounding.level)}})},
              {"tax", toJson(config.tax)},
              {"shipping", toJson(config.shipping)},
              {"couponCount", config.coupons.size()},
              {"delivery", toJson(config.delivery)}});
}

Result<QuoteRequest> parseQuoteRequest(const json& value, const CartOptions& limits, const std::string& path) {
  constexpr ErrorCode code = ErrorCode::InvalidArgument;
  jf::Fields fields(code);
  QuoteRequest request;
  request.path = path;
  if (value.is_null()) return request;
  CARTKEEP_TRY(jf::expectObject(value, path, code));
  CARTKEEP_TRY(jf::rejectUnknownKeys(value, path, code, {"destination", "coupon", "coupons", "method", "paymentMethod", "now", "lines"}));
  auto destination = value.find("destination");
  if (destination != value.end() && !destination->is_null()) {
    CARTKEEP_TRY_ASSIGN(request.destination, parseDestination(*destination, jf::child(path, "destination"), code));
    if (request.destination->country.empty())
      return jf::invalid(code, jf::child(jf::child(path, "destination"), "country"), "required, expected a country code such as \"GB\"");
  }
  CARTKEEP_TRY_ASSIGN(std::string coupon, jf::readString(value, "coupon", path, code, {false, 0, 64}));
  if (!coupon.empty()) request.coupons.push_back(coupon);
  CARTKEEP_TRY_ASSIGN(auto coupons, jf::readStringArray(value, "coupons", path, code, 10, 64));
  for (auto& c : coupons) request.coupons.push_back(std::move(c));
  std::string now;
  fields.string(value, "method", path, request.method, {false, 0, 64});
  fields.string(value, "paymentMethod", path, request.paymentMethod, {false, 0, 64});
  fields.string(value, "now", path, now, {false, 0, 32});
  CARTKEEP_TRY(fields.status());
  if (!now.empty()) {
    CARTKEEP_TRY_ASSIGN(request.now, parseLocalDateTime(now, jf::child(path, "now"), code));
  }
  auto lines = value.find("lines");
  if (lines != value.end() && !lines->is_null()) {
    const std::string at = jf::child(path, "lines");
    CARTKEEP_TRY(jf::expectArray(*lines, at, code));
    if (static_cast<std::int64_t>(lines->size()) > limits.maxLines)
      return Error{ErrorCode::QuantityLimit, at,
                   "more than " + std::to_string(limits.maxLines) + " lines (options.cart.maxLines), got " +
                       std::to_string(lines->size())};
    std::vector<CartLine> out;
    for (std::size_t i = 0; i < lines->size(); ++i) {
      const std::string lineAt = jf::element(at, i);
      const json& entry = (*lines)[i];
      CARTKEEP_TRY(jf::expectObject(entry, lineAt, code));
      CARTKEEP_TRY(jf::rejectUnknownKeys(entry, lineAt, code, {"productId", "quantity"}));
      CartLine line;
      CARTKEEP_TRY_ASSIGN(line.productId, jf::readString(entry, "productId", lineAt, code, {true, 1, 64}));
      // A product on two lines would be quoted as one merged line: ambiguous, so refused.
      auto same = std::find_if(out.begin(), out.end(), [&](const CartLine& l) { return l.productId == line.productId; });
      if (same != out.end())
        return jf::invalid(code, jf::child(lineAt, "productId"),
                           json(line.productId).dump() + " is already on " +
                               jf::element(at, static_cast<std::size_t>(same - out.begin())) + "; give each product one line");
      auto quantity = entry.find("quantity");
      line.quantity = 1;  // absent: one unit
      if (quantity != entry.end()) {
        CARTKEEP_TRY_ASSIGN(line.quantity, quantityArgument(*quantity, 1, jf::child(lineAt, "quantity")));
        CARTKEEP_TRY(checkLineLimit(limits, line.productId, line.quantity, jf::child(lineAt, "quantity")));
      }
      out.push_back(std::move(line));
    }
    request.lines = std::move(out);
  }
  return request;
}

Result<QuoteTotals> quoteTotals(const QuoteConfig& config, const Options& options, const Catalog& catalog,
                                const std::vector<CartLine>& cartLines, const QuoteRequest& request) {
  CARTKEEP_TRY_ASSIGN(Quote quote, compute(config, options, catalog, cartLines, request, false));
  return quote.totals;
}

Result<json> quoteJson(const QuoteConfig& config, const Options& options, const Catalog& catalog,
                       const std::vector<CartLine>& cartLines, const QuoteRequest& request) {
  CARTKEEP_TRY_ASSIGN(Quote quote, compute(config, options, catalog, cartLines, request, true));
  json lines = json::array();
  for (const auto& line : quote.lines)
    lines.push_back(jsonObject({{"productId", line.product->id},
                         {"title", line.product->title},
                         {"quantity", line.quantity},
                         {"unitPrice", line.product->price},
                         {"lineTotal", line.lineTotal},
                         {"discount", line.discount},
                         {"net", line.net},
                         {"taxCategory", line.product->taxCategory},
                         {"taxRate", line.taxRate ? json(percentText(*line.taxRate)) : json(nullptr)},
                         {"tax", line.tax}}));
  json components = json::array();
  for (const auto& c : quote.components) components.push_back(componentJson(c));
  json included = json::array();
  for (const auto& c : quote.includedTax) included.push_back(componentJson(c));
  json methods = json::array();
  for (std::size_t i = 0; i < quote.methods.size(); ++i) {
    const MethodState& m = quote.methods[i];
    const ShippingMethod& method = quote.zone->methods[i];
    json surcharges = json::array();
    for (const auto& s : m.charge.surcharges) surcharges.push_back(jsonObject({{"class", s.shippingClass}, {"amount", s.amount}, {"rule", s.rule}}));
    methods.push_back(jsonObject({{"id", method.id},
                           {"name", method.name},
                           {"rule", method.path},
                           {"available", m.charge.available},
                           {"reason", m.charge.available ? json(nullptr) : json(m.charge.unavailableReason)},
                           {"productIds", m.charge.productIds},
                           {"rateAmount", m.charge.rateAmount},
                           {"amount", m.total},
                           {"free", m.waived ? json("coupon") : m.charge.freeByThreshold ? json("threshold") : json(nullptr)},
                           {"freeAbove", method.freeAbove ? json(*method.freeAbove) : json(nullptr)},
                           {"surcharges", surcharges},
                           {"selected", static_cast<int>(i) == quote.selected},
                           {"delivery", estimateJson(m.delivery)}}));
  }
  json coupons = json::array();
  for (const auto& c : quote.coupons)
    coupons.push_back(jsonObject({{"code", c.code},
                           {"status", c.status},
                           {"applied", c.status == "applied"},
                           {"type", c.coupon ? json(couponTypeId(c.coupon->type)) : json(nullptr)},
                           {"amount", c.amount},
                           {"rule", c.coupon ? json(c.coupon->path) : json(nullptr)},
                           {"description", c.coupon ? json(c.coupon->description) : json("")},
                           {"message", c.text}}));
  json notShippable = nullptr;
  if (!quote.shippable) {
    json titles = json::array();
    for (const auto& id : quote.notShippableProducts) titles.push_back(catalog.find(id)->title);
    const char* key = quote.notShippableReason == "no-zone" ? "quote.notShippable"
                      : quote.notShippableReason == "excluded-products" ? "quote.notShippableProducts"
                                                                       : "quote.noMethod";
    notShippable = jsonObject({{"reason", quote.notShippableReason},
                        {"productIds", quote.notShippableProducts},
                        {"message", message(key, jsonObject({{"destination", destinationValue(quote.destination)},
                                                      {"products", jsonObject({{"list", titles}})}}))}});
  }
  const Currency currency = *findCurrency(options.currency);
  return jsonObject({{"currency", options.currency},
              {"currencyExponent", currency.exponent},
              {"pricesIncludeTax", config.tax.pricesIncludeTax},
              {"rounding", jsonObject({{"mode", roundingModeId(config.rounding.mode)}, {"level", roundingLevelId(config.rounding.level)}})},
              {"destination", toJson(quote.destination)},
              {"zone", quote.zone ? jsonObject({{"id", quote.zone->id}, {"name", quote.zone->name}, {"rule", quote.zone->path}}) : json(nullptr)},
              {"shippingConfigured", quote.shippingConfigured},
              {"shippable", quote.shippable},
              {"notShippable", std::move(notShippable)},
              {"lines", std::move(lines)},
              {"count", [&] { std::int64_t n = 0; for (const auto& l : quote.lines) n += l.quantity; return n; }()},
              {"subtotal", quote.totals.subtotal},
              {"discount", quote.totals.discount},
              {"shipping", quote.totals.shipping},
              {"fees", quote.totals.fees},
              {"tax", quote.totals.tax},
              {"taxIncluded", quote.totals.taxIncluded},
              {"total", quote.totals.total},
              {"components", std::move(components)},
              {"includedTax", std::move(included)},
              {"methods", std::move(methods)},
              {"method", quote.selected >= 0 ? json(quote.zone->methods[static_cast<std::size_t>(quote.selected)].id) : json(nullptr)},
              {"coupons", std::move(coupons)},
              {"freeShipping", std::move(quote.freeShipping)},
              {"delivery", std::move(quote.delivery)}});
}

}  // namespace cartkeep
