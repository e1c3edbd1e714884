#include "cartkeep/engine.hpp"

#include "cartkeep/json_fields.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

Error Engine::notInitialised() const {
  return Error{ErrorCode::NotInitialised, "", "the engine has no valid options: call init first"};
}

Result<json> Engine::init(std::string_view optionsJson) {
  CARTKEEP_TRY_ASSIGN(json root, jf::parse(optionsJson, "options"));
  CARTKEEP_TRY_ASSIGN(Options options, parseOptions(root));
  auto catalogJson = root.find("catalog");
  if (catalogJson == root.end())
    return jf::invalid(ErrorCode::InvalidOptions, "options.catalog", "required, expected an array of products");
  CARTKEEP_TRY_ASSIGN(Catalog catalog, Catalog::fromJson(*catalogJson, options.currency, "catalog"));
  Cart cart(options.cart);
  state_ = std::make_unique<State>(State{std::move(options), std::move(catalog), std::move(cart)});
  return toJson(state_->options);
}

Result<json> Engine::options() const {
  if (!state_) return notInitialised();
  return toJson(state_->options);
}

Result<json> Engine::product(std::string_view id) const {
  if (!state_) return notInitialised();
  const Product* found = state_->catalog.find(id);
  if (!found) return json(nullptr);
  return toJson(*found);
}

Result<json> Engine::products() const {
  if (!state_) return notInitialised();
  json out = json::array();
  for (const auto& p : state_->catalog.products()) out.push_back(toJson(p));
  return out;
}

Result<json> Engine::cart() const {
  if (!state_) return notInitialised();
  return cartToJson(state_->cart, state_->catalog, state_->options.currency);
}

Result<json> Engine::cartAdd(std::string_view productId, double quantity) {
  if (!state_) return notInitialised();
  CARTKEEP_TRY_ASSIGN(auto units, quantityArgument(quantity, 1, "quantity"));
  CARTKEEP_TRY(state_->cart.add(state_->catalog, productId, units));
  return cart();
}

Result<json> Engine::cartSetQuantity(std::string_view productId, double quantity) {
  if (!state_) return notInitialised();
  CARTKEEP_TRY_ASSIGN(auto units, quantityArgument(quantity, 0, "quantity"));
  CARTKEEP_TRY(state_->cart.setQuantity(state_->catalog, productId, units));
  return cart();
}

Result<json> Engine::cartRemove(std::string_view productId) {
  if (!state_) return notInitialised();
  state_->cart.remove(productId);
  return cart();
}

Result<json> Engine::cartClear() {
  if (!state_) return notInitialised();
  state_->cart.clear();
  return cart();
}

}  // namespace cartkeep
