#include "store/catalog.hpp"

#include <string_view>

#include "base/currency.hpp"
#include "base/json_fields.hpp"
#include "base/json_build.hpp"
#include "base/url.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {

constexpr ErrorCode kCatalogCode = ErrorCode::InvalidCatalog;

Result<Product> readProduct(const json& item, const std::string& at, const std::string& storeCurrency) {
  jf::Fields fields(kCatalogCode);
  CARTKEEP_TRY(jf::expectObject(item, at, kCatalogCode));
  Product product;
  fields.string(item, "id", at, product.id, {true, 1, 64});
  fields.string(item, "title", at, product.title, {true, 1, 500});
  CARTKEEP_TRY(fields.status());
  CARTKEEP_TRY_ASSIGN(product.price,
                      jf::readInteger(item, "price", at, kCatalogCode,
                                      {true, 0, kMaxJsSafeMinor,
                                       "expected a non-negative integer amount in minor units"}));
  CARTKEEP_TRY_ASSIGN(product.currency,
                      jf::readString(item, "currency", at, kCatalogCode, {false, 0, 16}, storeCurrency));
  if (!findCurrency(product.currency))
    return jf::invalid(kCatalogCode, jf::child(at, "currency"),
                       "unknown ISO 4217 currency " + json(product.currency).dump());
  if (product.currency != storeCurrency)
    return jf::invalid(kCatalogCode, jf::child(at, "currency"),
                       json(product.currency).dump() + " differs from the store currency " +
                           json(storeCurrency).dump());
  CARTKEEP_TRY_ASSIGN(product.category, jf::readString(item, "category", at, kCatalogCode, {false, 0, 200}));
  CARTKEEP_TRY_ASSIGN(product.tags, jf::readStringArray(item, "tags", at, kCatalogCode, 100, 100));
  CARTKEEP_TRY_ASSIGN(product.brand, jf::readString(item, "brand", at, kCatalogCode, {false, 0, 200}));
  CARTKEEP_TRY_ASSIGN(product.weightGrams,
                      jf::readInteger(item, "weight", at, kCatalogCode,
                                      {false, 0, 100000000, "expected a non-negative integer weight in grams"}));
  CARTKEEP_TRY_ASSIGN(product.stock,
                      jf::readOptionalInteger(item, "stock", at, kCatalogCode,
                                              {false, 0, 1000000000, "expected a non-negative integer stock or null"}));
  CARTKEEP_TRY_ASSIGN(product.description, jf::readString(item, "description", at, kCatalogCode, {false, 0, 5000}));
  CARTKEEP_TRY_ASSIGN(product.image, readUrl(item, "image", at, kCatalogCode));
  CARTKEEP_TRY_ASSIGN(product.url, readUrl(item, "url", at, kCatalogCode));
  CARTKEEP_TRY_ASSIGN(product.shippingClass, jf::readString(item, "shippingClass", at, kCatalogCode, {false, 0, 64}));
  CARTKEEP_TRY_ASSIGN(product.taxCategory,
                      jf::readString(item, "taxCategory", at, kCatalogCode, {false, 1, 64}, "standard"));
  return product;
}

}  // namespace

Result<Catalog> Catalog::fromJson(const json& value, const std::string& storeCurrency,
                                  const std::string& path) {
  Catalog catalog;
  CARTKEEP_TRY(catalog.append(value, storeCurrency, path));
  return catalog;
}

Status Catalog::append(const json& value, const std::string& storeCurrency, const std::string& path) {
  CARTKEEP_TRY(jf::expectArray(value, path, kCatalogCode));
  if (products_.size() + value.size() > kMaxProducts)
    return jf::invalid(kCatalogCode, path, "more than " + std::to_string(kMaxProducts) + " products");
  products_.reserve(products_.size() + value.size());
  for (const auto& item : value) {
    const std::size_t i = products_.size();
    const std::string at = jf::element(path, i);
    CARTKEEP_TRY_ASSIGN(Product product, readProduct(item, at, storeCurrency));
    auto [existing, inserted] = indexById_.emplace(product.id, i);
    if (!inserted)
      return jf::invalid(kCatalogCode, jf::child(at, "id"),
                         "duplicate id " + json(product.id).dump() + " (first at " +
                             jf::element(path, existing->second) + ")");
    products_.push_back(std::move(product));
  }
  return success();
}

const Product* Catalog::find(std::string_view id) const {
  auto found = indexById_.find(std::string(id));
  return found == indexById_.end() ? nullptr : &products_[found->second];
}

json toJson(const Product& product) {
  return jsonObject({{"id", product.id},
              {"title", product.title},
              {"description", product.description},
              {"price", product.price},
              {"currency", product.currency},
              {"category", product.category},
              {"tags", product.tags},
              {"brand", product.brand},
              {"weight", product.weightGrams},
              {"stock", product.stock ? json(*product.stock) : json(nullptr)},
              {"image", product.image},
              {"url", product.url},
              {"shippingClass", product.shippingClass},
              {"taxCategory", product.taxCategory}});
}

}  // namespace cartkeep
