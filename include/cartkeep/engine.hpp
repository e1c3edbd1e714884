#pragma once
// One store session: validated options, catalog and cart behind a JSON-in, JSON-out API.
// The wasm bindings are a thin shell over this class; native tests drive it directly.
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cartkeep/cart.hpp"
#include "cartkeep/catalog.hpp"
#include "cartkeep/error.hpp"
#include "cartkeep/options.hpp"

namespace cartkeep {

class Engine {
 public:
  // Parses and validates options (with the catalog array inline) and returns the normalised options.
  Result<nlohmann::json> init(std::string_view optionsJson);
  bool initialised() const noexcept { return state_ != nullptr; }

  Result<nlohmann::json> options() const;
  Result<nlohmann::json> product(std::string_view id) const;
  Result<nlohmann::json> products() const;

  // Cart operations return the whole cart snapshot (see cartToJson).
  Result<nlohmann::json> cart() const;
  Result<nlohmann::json> cartAdd(std::string_view productId, double quantity);
  Result<nlohmann::json> cartSetQuantity(std::string_view productId, double quantity);
  Result<nlohmann::json> cartRemove(std::string_view productId);
  Result<nlohmann::json> cartClear();

  // For features built on the core (quote, persistence, ...): valid only when initialised().
  const Options& storeOptions() const { return state_->options; }
  const Catalog& catalog() const { return state_->catalog; }
  Cart& mutableCart() { return state_->cart; }

 private:
  struct State {
    Options options;
    Catalog catalog;
    Cart cart;
  };
  Error notInitialised() const;

  std::unique_ptr<State> state_;
};

}  // namespace cartkeep
