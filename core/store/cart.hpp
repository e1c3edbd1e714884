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

// A quantity from JS arrives as a double; only whole numbers in [min, 1e9] pass.
Result<std::int64_t> quantityArgument(double quantity, std::int64_t min, const std::string& path);

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
