#pragma once
// Coupons: percentage, fixed amount, free shipping; minimum subtotal, validity window (store-local time),
// product/category restrictions, stacking. Each refusal has a reason the shopper can be shown.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/catalog.hpp"
#include "quote/delivery.hpp"
#include "cartkeep/error.hpp"
#include "base/money.hpp"
#include "base/rounding.hpp"

namespace cartkeep {

enum class CouponType { Percentage, Fixed, FreeShipping };

struct Coupon {
  std::string code;     // as written by the merchant; matched case-insensitively
  std::string key;      // upper-case code
  CouponType type = CouponType::Percentage;
  Rate rate;            // percentage
  Minor amount = 0;     // fixed
  Minor minSubtotal = 0;
  std::optional<LocalDateTime> starts;
  std::optional<LocalDateTime> expires;  // inclusive; a date alone means the end of that day
  std::vector<std::string> products;     // empty: every product (unless categories restrict)
  std::vector<std::string> categories;
  std::vector<std::string> methods;      // free-shipping: the shipping method ids it covers; empty: all
  bool combinable = false;               // "exclusive" (default) or "combinable"
  std::string description;               // optional merchant text shown beside the code
  std::string path;                      // options.coupons[0]
};

const char* couponTypeId(CouponType type) noexcept;

// options.coupons; a fixed coupon's currency must be the store's; descriptions are read for `locale`.
Result<std::vector<Coupon>> parseCoupons(const nlohmann::json* value, const std::string& path,
                                         const std::string& storeCurrency, const std::string& locale);
// Product ids named by coupons must exist in the catalog.
Status checkCouponProducts(const std::vector<Coupon>& coupons, const Catalog& catalog);

std::string couponKey(const std::string& code);  // trims and upper-cases
const Coupon* findCoupon(const std::vector<Coupon>& coupons, const std::string& code);
bool couponCovers(const Coupon& coupon, const Product& product);

}  // namespace cartkeep
