// Tracking::ga4: one stream record as the dataLayer pushes GA4 and tag managers read, held back until consent.
#include "events/ga4.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "base/currency.hpp"
#include "base/json_build.hpp"
#include "events/events.hpp"

namespace cartkeep {
using nlohmann::json;

namespace {

constexpr std::size_t kMaxPendingPushes = 200;

}  // namespace

double minorToDecimal(Minor amount, int exponent) {
  const bool negative = amount < 0;
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(amount) : static_cast<std::uint64_t>(amount);
  std::string digits = std::to_string(magnitude);
  if (exponent > 0) {
    if (digits.size() <= static_cast<std::size_t>(exponent))
      digits.insert(0, static_cast<std::size_t>(exponent) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<std::size_t>(exponent), ".");
  }
  if (negative) digits.insert(0, "-");
  return std::strtod(digits.c_str(), nullptr);
}

void Tracking::ga4(Effects& fx, const TrackingStore& store, const json& r) {
  const std::string& name = r["name"].get_ref<const std::string&>();
  if (name == "page-view" || name == "page-timing") return;
  const json& d = r["data"];
  const std::string& currency = store.options.currency;
  const int exponent = findCurrency(currency) ? findCurrency(currency)->exponent : 2;
  auto gaItems = [&](const json& items) {
    json out = json::array();
    if (!items.is_array()) return out;
    for (const auto& it : items) {
      const std::string id = it.value("productId", std::string());
      json g = jsonObject({{"item_id", id}, {"item_name", it.value("title", std::string())}});
      if (const Product* p = store.catalog.find(id)) {
        if (!p->category.empty()) g["item_category"] = p->category;
        if (!p->brand.empty()) g["item_brand"] = p->brand;
      }
      g["price"] = minorToDecimal(it.value("unitPrice", Minor{0}), exponent);
      g["quantity"] = it.value("quantity", std::int64_t{0});
      out.push_back(std::move(g));
    }
    return out;
  };
  auto ecommerce = [&](const char* event, json body) {
    json push = jsonObject({{"event", event}, {"ecommerce", std::move(body)}});
    if (consent_.state() == ConsentState::Granted) {
      fx.dataLayer.push_back(jsonObject({{"ecommerce", nullptr}}));  // GA4: clear the previous ecommerce object
      fx.dataLayer.push_back(std::move(push));
    } else if (pendingPushes_.size() + 2 <= kMaxPendingPushes) {
      pendingPushes_.push_back(jsonObject({{"ecommerce", nullptr}}));
      pendingPushes_.push_back(std::move(push));
    }
  };
  auto money = [&](const char* key) { return minorToDecimal(d.value(key, Minor{0}), exponent); };
  if (name == "view-item") return ecommerce("view_item", jsonObject({{"currency", currency}, {"value", money("value")}, {"items", gaItems(d["items"])}}));
  if (name == "add-to-cart") return ecommerce("add_to_cart", jsonObject({{"currency", currency}, {"value", money("value")}, {"items", gaItems(d["items"])}}));
  if (name == "remove-from-cart")
    return ecommerce("remove_from_cart", jsonObject({{"currency", currency}, {"value", money("value")}, {"items", gaItems(d["items"])}}));
  if (name == "checkout-started")
    return ecommerce("begin_checkout", jsonObject({{"currency", currency}, {"value", money("value")}, {"items", gaItems(d["items"])}}));
  if (name == "purchase") {
    json body = jsonObject({{"transaction_id", d.value("orderId", std::string())}, {"currency", currency}, {"value", money("value")},
              {"tax", money("tax")}, {"shipping", money("shipping")}});
    if (!d.value("coupon", std::string()).empty()) body["coupon"] = d["coupon"];
    body["items"] = gaItems(d["items"]);
    return ecommerce("purchase", std::move(body));
  }
  if (name == "checkout-step") {
    const std::string step = d.value("step", std::string());
    const char* event = step == "shipping" || step == "delivery" ? "add_shipping_info" : step == "payment" ? "add_payment_info" : nullptr;
    if (event) {
      Minor subtotal = 0;
      std::int64_t count = 0;
      auto items = cartItems(store, subtotal, count);
      return ecommerce(event, jsonObject({{"currency", currency}, {"value", minorToDecimal(subtotal, exponent)},
                                   {"items", items ? gaItems(items.value()) : json::array()}}));
    }
  }
  // Everything else: a CartKeep event for tag managers, without item lists.
  std::string event = "cartkeep_" + name;
  std::replace(event.begin(), event.end(), '-', '_');
  json detail = d;
  detail.erase("items");
  detail["id"] = r["id"];
  if (r.contains("cart")) detail["cart"] = r["cart"];
  json push = jsonObject({{"event", event}, {"cartkeep", std::move(detail)}});
  if (consent_.state() == ConsentState::Granted) fx.dataLayer.push_back(std::move(push));
  else if (pendingPushes_.size() < kMaxPendingPushes) pendingPushes_.push_back(std::move(push));
}

}  // namespace cartkeep
