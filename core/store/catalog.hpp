#pragma once
// The merchant's products, validated once; prices are integer minor units of the store currency.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"
#include "base/money.hpp"

namespace cartkeep {

struct Product {
  std::string id;
  std::string title;
  std::string description;  // plain text, never markup
  Minor price = 0;
  std::string currency;
  std::string category;
  std::vector<std::string> tags;
  std::string brand;
  std::int64_t weightGrams = 0;      // 0 when the merchant gave none
  std::optional<std::int64_t> stock;  // empty: not tracked, never runs out
  std::string image;
  std::string url;
  std::string shippingClass;          // "" or a class named by shipping methods ("bulky")
  std::string taxCategory = "standard";  // a key of each zone's tax rates
};

class Catalog {
 public:
  static constexpr std::size_t kMaxProducts = 100000;

  // `value` is the JSON array of products; errors name `path[i].field`.
  static Result<Catalog> fromJson(const nlohmann::json& value, const std::string& storeCurrency,
                                  const std::string& path = "catalog");
  // Adds a slice of the product array; indices in error paths continue after the products already read,
  // so a catalog read in slices reports the same `path[i].field` as one read at once.
  Status append(const nlohmann::json& value, const std::string& storeCurrency, const std::string& path = "catalog");
  // The same from the slice's JSON text. Products written the usual way are read straight from the text, with no
  // JSON tree (several times faster, which matters for a large catalog read while the page loads); anything else,
  // including every error, is read as a tree by append(), so the results and errors are always append()'s.
  Status appendText(std::string_view text, const std::string& storeCurrency, const std::string& path = "catalog");
  // appendText's direct way alone: false when it is not sure of the text (nothing is added then).
  bool appendPlain(std::string_view text, const std::string& storeCurrency);

  const Product* find(std::string_view id) const;
  const std::vector<Product>& products() const noexcept { return products_; }
  std::size_t size() const noexcept { return products_.size(); }

 private:
  std::vector<Product> products_;
  std::unordered_map<std::string, std::size_t> indexById_;
};

nlohmann::json toJson(const Product& product);

}  // namespace cartkeep
