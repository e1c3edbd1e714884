#pragma once
// The shopper's cart: ordered lines of catalog products, limits enforced, every change counted.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/catalog.hpp"
#include "cartkeep/error.hpp"
#include "store/options.hpp"

namespace cartkeep {

struct CartLine {
  std::string productId;
  std::int64_t quantity = 0;
};

// The one rule for a quantity from outside (cart calls, quote lines): a JSON number with a whole value in
// [min, max]. Strings ("2", "0x10"), booleans, arrays, null and fractions are invalid-argument at `path`,
// whatever JavaScript's Number() would make of them.
Result<std::int64_t> quantityArgument(const nlohmann::json& quantity, std::int64_t min, std::int64_t max,
                                      const std::string& path);
// The same with max 10^9, the largest quantity a line can hold.
Result<std::int64_t> quantityArgument(const nlohmann::json& quantity, std::int64_t min, const std::string& path);

// quantity-limit at `path` when one line would hold more than options.cart.maxQuantityPerLine.
Status checkLineLimit(const CartOptions& limits, std::string_view productId, std::int64_t quantity,
                      const std::string& path);

class Cart {
 public:
  explicit Cart(CartOptions limits = {}) : limits_(limits) {}

  // Adds `quantity` to the product's line (a new line goes last). Unchanged on error.
  Status add(const Catalog& catalog, std::string_view productId, std::int64_t quantity);
  // Sets the line's quantity; 0 removes it. Unchanged on error.
  Status setQuantity(const Catalog& catalog, std::string_view productId, std::int64_t quantity);
  // Removes the line; false when there was none.
  bool remove(std::string_view productId);
  void clear();

  const std::vector<CartLine>& lines() const noexcept { return lines_; }
  const CartLine* line(std::string_view productId) const;
  std::int64_t count() const noexcept;  // units over all lines
  std::uint64_t revision() const noexcept { return revision_; }

 private:
  Status checkQuantity(const Product& product, std::int64_t quantity) const;
  Status checkTotal(const Catalog& catalog, std::string_view productId, std::int64_t quantity) const;
  CartLine* findLine(std::string_view productId);

  CartOptions limits_;
  std::vector<CartLine> lines_;
  std::uint64_t revision_ = 0;
};

// The cart with catalog details and exact totals: {revision, count, currency, subtotal, lines[]}.
Result<nlohmann::json> cartToJson(const Cart& cart, const Catalog& catalog, const std::string& currency);

}  // namespace cartkeep
