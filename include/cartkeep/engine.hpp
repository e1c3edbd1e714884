#pragma once
// One store session: validated options, catalog and cart behind a JSON-in, JSON-out API.
// The wasm bindings are a thin shell over this class; native tests drive it directly.
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cartkeep/behaviour.hpp"
#include "cartkeep/cart.hpp"
#include "cartkeep/catalog.hpp"
#include "cartkeep/error.hpp"
#include "cartkeep/options.hpp"
#include "cartkeep/quote.hpp"

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

  // The itemised quote for the cart (or request.lines): see docs/quote.md for the request and the shape.
  Result<nlohmann::json> quote(std::string_view requestJson) const;
  // Totals for an array of requests in one call (oracle tests, benchmarks): same code path as quote().
  Result<nlohmann::json> quoteBatch(std::string_view requestsJson) const;

  // For features built on the core (quote, persistence, ...): valid only when initialised().
  const Options& storeOptions() const { return state_->options; }
  const Catalog& catalog() const { return state_->catalog; }
  Cart& mutableCart() { return state_->cart; }
  // Shopper behaviour (dwell, exit intent, risk, nudges: behaviour.hpp); null until init succeeds.
  Behaviour* behaviour() noexcept { return behaviour_.get(); }

 private:
  struct State {
    Options options;
    Catalog catalog;
    Cart cart;
    QuoteConfig quote;
  };
  Error notInitialised() const;

  std::unique_ptr<State> state_;
  std::unique_ptr<Behaviour> behaviour_;
};

}  // namespace cartkeep
