#include "quote/coupon.hpp"

#include <algorithm>
#include <cctype>

#include "base/currency.hpp"
#include "base/json_fields.hpp"
#include "store/strings.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {
constexpr ErrorCode kCouponCode = ErrorCode::InvalidOptions;

Result<Coupon> readCoupon(const json& item, const std::string& at, const std::string& storeCurrency,
                          const std::string& locale) {
  CARTKEEP_TRY(jf::expectObject(item, at, kCouponCode));
  CARTKEEP_TRY(jf::rejectUnknownKeys(item, at, kCouponCode,
                                     {"code", "type", "rate", "amount", "currency", "minSubtotal", "starts", "expires",
                                      "products", "categories", "methods", "stacking", "description"}));
  Coupon coupon;
  coupon.path = at;
  CARTKEEP_TRY_ASSIGN(coupon.code, jf::readString(item, "code", at, kCouponCode, {true, 1, 64}));
  coupon.key = couponKey(coupon.code);
  if (coupon.key.empty() || std::any_of(coupon.key.begin(), coupon.key.end(), [](unsigned char c) {
        return std::isspace(c) || std::iscntrl(c);
      }))
    return jf::invalid(kCouponCode, jf::child(at, "code"), "a code cannot be blank or contain spaces");
  CARTKEEP_TRY_ASSIGN(std::string type, jf::readString(item, "type", at, kCouponCode, {true, 1, 32}));
  const bool hasRate = item.contains("rate"), hasAmount = item.contains("amount");
  if (type == "percentage") {
    coupon.type = CouponType::Percentage;
    if (!hasRate) return jf::invalid(kCouponCode, jf::child(at, "rate"), "required for a percentage coupon (\"10\" for 10% off)");
    if (hasAmount) return jf::invalid(kCouponCode, jf::child(at, "amount"), "a percentage coupon takes a rate, not an amount");
    CARTKEEP_TRY_ASSIGN(coupon.rate, readPercent(item["rate"], jf::child(at, "rate"), kCouponCode));
    if (coupon.rate.millionths == 0) return jf::invalid(kCouponCode, jf::child(at, "rate"), "a 0% coupon gives nothing");
  } else if (type == "fixed") {
    coupon.type = CouponType::Fixed;
    if (hasRate) return jf::invalid(kCouponCode, jf::child(at, "rate"), "a fixed coupon takes an amount, not a rate");
    CARTKEEP_TRY_ASSIGN(coupon.amount, jf::readInteger(item, "amount", at, kCouponCode,
                                                       {true, 1, kMaxJsSafeMinor,
                                                        "expected a positive integer amount in minor units"}));
  } else if (type == "free-shipping") {
    coupon.type = CouponType::FreeShipping;
    if (hasRate || hasAmount)
      return jf::invalid(kCouponCode, jf::child(at, hasRate ? "rate" : "amount"), "a free-shipping coupon takes no rate or amount");
  } else {
    return jf::invalid(kCouponCode, jf::child(at, "type"),
                       "expected \"percentage\", \"fixed\" or \"free-shipping\", " + jf::describeValue(item["type"]));
  }
  CARTKEEP_TRY_ASSIGN(std::string currency, jf::readString(item, "currency", at, kCouponCode, {false, 0, 16}, storeCurrency));
  if (!findCurrency(currency))
    return jf::invalid(kCouponCode, jf::child(at, "currency"), "unknown ISO 4217 currency " + json(currency).dump());
  if (currency != storeCurrency)
    return jf::invalid(kCouponCode, jf::child(at, "currency"),
                       "the coupon is in " + json(currency).dump() + " but the store sells in " +
                           json(storeCurrency).dump() + "; amounts must be in the store currency");
  CARTKEEP_TRY_ASSIGN(coupon.minSubtotal, jf::readInteger(item, "minSubtotal", at, kCouponCode,
                                                          {false, 0, kMaxJsSafeMinor,
                                                           "expected a non-negative integer amount in minor units"}));
  auto readDate = [&](const char* key, bool endOfDay, std::optional<LocalDateTime>& out) -> Status {
    auto found = item.find(key);
    if (found == item.end() || found->is_null()) return success();
    if (!found->is_string())
      return jf::invalid(kCouponCode, jf::child(at, key), "expected a local date \"YYYY-MM-DD\", " + jf::describeValue(*found));
    CARTKEEP_TRY_ASSIGN(out, parseLocalDateTime(found->get<std::string>(), jf::child(at, key), kCouponCode, endOfDay));
    return success();
  };
  CARTKEEP_TRY(readDate("starts", false, coupon.starts));
  CARTKEEP_TRY(readDate("expires", true, coupon.expires));
  if (coupon.starts && coupon.expires && *coupon.expires < *coupon.starts)
    return jf::invalid(kCouponCode, jf::child(at, "expires"), "expires before the coupon starts");
  CARTKEEP_TRY_ASSIGN(coupon.products, jf::readStringArray(item, "products", at, kCouponCode, 10000, 64));
  CARTKEEP_TRY_ASSIGN(coupon.categories, jf::readStringArray(item, "categories", at, kCouponCode, 1000, 200));
  CARTKEEP_TRY_ASSIGN(coupon.methods, jf::readStringArray(item, "methods", at, kCouponCode, 100, 64));
  if (!coupon.methods.empty() && coupon.type != CouponType::FreeShipping)
    return jf::invalid(kCouponCode, jf::child(at, "methods"), "only a free-shipping coupon is limited to shipping methods");
  if (coupon.type == CouponType::FreeShipping && (!coupon.products.empty() || !coupon.categories.empty()))
    return jf::invalid(kCouponCode, jf::child(at, coupon.products.empty() ? "categories" : "products"),
                       "a free-shipping coupon covers the whole shipment; use methods to limit it");
  CARTKEEP_TRY_ASSIGN(std::string stacking, jf::readString(item, "stacking", at, kCouponCode, {false, 0, 16}, "exclusive"));
  if (stacking != "exclusive" && stacking != "combinable")
    return jf::invalid(kCouponCode, jf::child(at, "stacking"),
                       "expected \"exclusive\" or \"combinable\", " + jf::describeValue(item["stacking"]));
  coupon.combinable = stacking == "combinable";
  CARTKEEP_TRY_ASSIGN(coupon.description, readMerchantText(item, "description", at, locale, {false, 500}));
  return coupon;
}
}  // namespace

const char* couponTypeId(CouponType type) noexcept {
  switch (type) {
    case CouponType::Percentage: return "percentage";
    case CouponType::Fixed: return "fixed";
    case CouponType::FreeShipping: return "free-shipping";
  }
  return "percentage";
}

std::string couponKey(const std::string& code) {
  std::size_t begin = 0, end = code.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(code[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(code[end - 1]))) --end;
  std::string key = code.substr(begin, end - begin);
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return key;
}

Result<std::vector<Coupon>> parseCoupons(const json* value, const std::string& path, const std::string& storeCurrency,
                                         const std::string& locale) {
  std::vector<Coupon> coupons;
  if (!value || value->is_null()) return coupons;
  CARTKEEP_TRY(jf::expectArray(*value, path, kCouponCode));
  if (value->size() > 1000) return jf::invalid(kCouponCode, path, "more than 1000 coupons");
  for (std::size_t i = 0; i < value->size(); ++i) {
    CARTKEEP_TRY_ASSIGN(Coupon coupon, readCoupon((*value)[i], jf::element(path, i), storeCurrency, locale));
    for (const auto& other : coupons)
      if (other.key == coupon.key)
        return jf::invalid(kCouponCode, jf::child(jf::element(path, i), "code"),
                           "duplicate code " + json(coupon.code).dump() + " (codes ignore case; first at " +
                               other.path + ")");
    coupons.push_back(std::move(coupon));
  }
  return coupons;
}

Status checkCouponProducts(const std::vector<Coupon>& coupons, const Catalog& catalog) {
  for (const auto& coupon : coupons)
    for (std::size_t i = 0; i < coupon.products.size(); ++i)
      if (!catalog.find(coupon.products[i]))
        return jf::invalid(kCouponCode, jf::element(jf::child(coupon.path, "products"), i),
                           "no product with id " + json(coupon.products[i]).dump() + " in the catalog");
  return success();
}

const Coupon* findCoupon(const std::vector<Coupon>& coupons, const std::string& code) {
  const std::string key = couponKey(code);
  for (const auto& coupon : coupons)
    if (coupon.key == key) return &coupon;
  return nullptr;
}

bool couponCovers(const Coupon& coupon, const Product& product) {
  if (coupon.products.empty() && coupon.categories.empty()) return true;
  if (std::find(coupon.products.begin(), coupon.products.end(), product.id) != coupon.products.end()) return true;
  return !product.category.empty() &&
         std::find(coupon.categories.begin(), coupon.categories.end(), product.category) != coupon.categories.end();
}

}  // namespace cartkeep
