#include "store/cart.hpp"

#include <algorithm>
#include <cmath>

#include "base/json_fields.hpp"
#include "base/json_build.hpp"

namespace cartkeep {
using nlohmann::json;

namespace {

constexpr std::int64_t kMaxQuantity = 1000000000;

Error cartOverflowError() {
  return Error{ErrorCode::Overflow, "cart", "the cart total is beyond the largest exact amount (2^53 - 1 minor units)"};
}

Error unknownProduct(std::string_view productId) {
  return Error{ErrorCode::UnknownProduct, "productId",
               "no product with id " + json(std::string(productId)).dump() + " in the catalog"};
}

}  // namespace

Result<std::int64_t> quantityArgument(double quantity, std::int64_t min, const std::string& path) {
  if (!std::isfinite(quantity) || std::floor(quantity) != quantity || quantity < static_cast<double>(min) ||
      quantity > static_cast<double>(kMaxQuantity))
    return Error{ErrorCode::InvalidArgument, path,
                 "expected a whole number from " + std::to_string(min) + " to " + std::to_string(kMaxQuantity) +
                     ", got " + json(quantity).dump()};
  return static_cast<std::int64_t>(quantity);
}

const CartLine* Cart::line(std::string_view productId) const {
  auto found = std::find_if(lines_.begin(), lines_.end(),
                            [&](const CartLine& l) { return l.productId == productId; });
  return found == lines_.end() ? nullptr : &*found;
}

CartLine* Cart::findLine(std::string_view productId) {
  return const_cast<CartLine*>(static_cast<const Cart*>(this)->line(productId));
}

std::int64_t Cart::count() const noexcept {
  std::int64_t total = 0;
  for (const auto& l : lines_) total += l.quantity;  // bounded: maxLines * 1e9 fits
  return total;
}

Status Cart::checkTotal(const Catalog& catalog, std::string_view productId, std::int64_t quantity) const {
  // The subtotal the change would give must stay exact, so a change never leaves an unpriceable cart.
  Minor subtotal = 0;
  bool replaced = false;
  auto addLine = [&](std::string_view id, std::int64_t units) -> bool {
    const Product* product = catalog.find(id);
    if (!product) return true;  // reported when the cart is read
    auto lineTotal = checkedMul(product->price, units);
    auto sum = lineTotal ? checkedAdd(subtotal, *lineTotal) : std::nullopt;
    if (!sum || !isJsSafe(*sum)) return false;
    subtotal = *sum;
    return true;
  };
  bool fits = true;
  for (const auto& l : lines_) {
    const bool target = l.productId == productId;
    replaced = replaced || target;
    fits = fits && addLine(l.productId, target ? quantity : l.quantity);
  }
  if (!replaced) fits = fits && addLine(productId, quantity);
  if (!fits) return cartOverflowError();
  return success();
}

Status Cart::checkQuantity(const Product& product, std::int64_t quantity) const {
  if (product.stock && quantity > *product.stock)
    return Error{ErrorCode::OutOfStock, "quantity",
                 json(product.id).dump() + " has " + std::to_string(*product.stock) + " in stock, asked for " +
                     std::to_string(quantity)};
  if (quantity > limits_.maxQuantityPerLine)
    return Error{ErrorCode::QuantityLimit, "quantity",
                 "at most " + std::to_string(limits_.maxQuantityPerLine) + " of " + json(product.id).dump() +
                     " per order (options.cart.maxQuantityPerLine), asked for " + std::to_string(quantity)};
  return success();
}

Status Cart::add(const Catalog& catalog, std::string_view productId, std::int64_t quantity) {
  const Product* product = catalog.find(productId);
  if (!product) return unknownProduct(productId);
  CartLine* existing = findLine(productId);
  if (!existing && static_cast<std::int64_t>(lines_.size()) >= limits_.maxLines)
    return Error{ErrorCode::QuantityLimit, "productId",
                 "the cart already has " + std::to_string(limits_.maxLines) +
                     " lines (options.cart.maxLines)"};
  const std::int64_t wanted = (existing ? existing->quantity : 0) + quantity;
  CARTKEEP_TRY(checkQuantity(*product, wanted));
  CARTKEEP_TRY(checkTotal(catalog, productId, wanted));
  if (existing)
    existing->quantity = wanted;
  else
    lines_.push_back(CartLine{product->id, wanted});
  ++revision_;
  return success();
}

Status Cart::setQuantity(const Catalog& catalog, std::string_view productId, std::int64_t quantity) {
  if (quantity == 0) {
    remove(productId);
    return success();
  }
  CartLine* existing = findLine(productId);
  if (!existing) return add(catalog, productId, quantity);
  const Product* product = catalog.find(productId);
  if (!product) return unknownProduct(productId);
  if (existing->quantity == quantity) return success();
  CARTKEEP_TRY(checkQuantity(*product, quantity));
  CARTKEEP_TRY(checkTotal(catalog, productId, quantity));
  existing->quantity = quantity;
  ++revision_;
  return success();
}

bool Cart::remove(std::string_view productId) {
  auto found = std::find_if(lines_.begin(), lines_.end(),
                            [&](const CartLine& l) { return l.productId == productId; });
  if (found == lines_.end()) return false;
  lines_.erase(found);
  ++revision_;
  return true;
}

void Cart::clear() {
  if (lines_.empty()) return;
  lines_.clear();
  ++revision_;
}

Result<json> cartToJson(const Cart& cart, const Catalog& catalog, const std::string& currency) {
  json lines = json::array();
  Minor subtotal = 0;
  for (const auto& l : cart.lines()) {
    const Product* product = catalog.find(l.productId);
    if (!product) return unknownProduct(l.productId);
    auto lineTotal = checkedMul(product->price, l.quantity);
    auto sum = lineTotal ? checkedAdd(subtotal, *lineTotal) : std::nullopt;
    if (!sum || !isJsSafe(*sum)) return cartOverflowError();
    subtotal = *sum;
    lines.push_back(jsonObject({{"productId", l.productId},
                         {"title", product->title},
                         {"quantity", l.quantity},
                         {"unitPrice", product->price},
                         {"lineTotal", *lineTotal},
                         {"image", product->image},
                         {"url", product->url},
                         {"stock", product->stock ? json(*product->stock) : json(nullptr)}}));
  }
  return jsonObject({{"revision", cart.revision()},
              {"count", cart.count()},
              {"currency", currency},
              {"subtotal", subtotal},
              {"lines", std::move(lines)}});
}

}  // namespace cartkeep
