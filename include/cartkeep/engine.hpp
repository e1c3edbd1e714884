#pragma once
// One store session: validated options, catalog and cart behind a JSON-in, JSON-out API.
// The wasm bindings are a thin shell over this class; native tests drive it directly.
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "behaviour/behaviour.hpp"
#include "store/cart.hpp"
#include "store/catalog.hpp"
#include "cartkeep/error.hpp"
#include "events/events.hpp"
#include "store/options.hpp"
#include "persistence/persistence.hpp"
#include "quote/quote.hpp"
#include "suggest/suggest.hpp"

namespace cartkeep {

class Engine {
 public:
  // Parses and validates options (with the catalog array inline) and returns the normalised options.
  Result<nlohmann::json> init(std::string_view optionsJson);
  // init() in steps, so the page stays responsive in between: initBegin(options, "catalog" left out or
  // inline), initProducts(array slice) as often as needed, initStep() until it answers false (each call reads
  // one part of the options: the quote rules and their check against the catalog, then persistence, behaviour,
  // events, consent, suggestions), then initFinish(), which does any step left and returns what init() returns.
  // Errors are init()'s, in the same order, with the same paths (catalog[i] counts across slices); a failed
  // step abandons the staged init and leaves any earlier state untouched.
  Status initBegin(std::string_view optionsJson);
  Status initProducts(std::string_view productsJson);
  Result<bool> initStep();
  Result<nlohmann::json> initFinish();
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

  // Persistence, cross-tab sync and resume links (docs/persistence.md; core/engine/engine_persistence.cpp).
  // `now` is ms since 1970 from JS; snapshots travel as text.
  Result<nlohmann::json> persistRestore(std::string_view stored, double now, std::string_view replica);
  Result<nlohmann::json> persistSave(std::string_view stored, double now);
  Result<nlohmann::json> persistMerge(std::string_view incoming, double now);
  Result<nlohmann::json> persistCompact(double now);
  Result<nlohmann::json> persistForget();
  Result<nlohmann::json> persistSetContext(std::string_view contextJson, double now);
  Result<nlohmann::json> resumeLink(std::string_view requestJson);
  Result<nlohmann::json> resumeLinkApply(std::string_view value, double now);

  // Suggestions (docs/suggest.md; core/engine/engine_suggest.cpp). The index arrives as bytes; `at` and
  // `now` are ms since 1970 from JS.
  Result<nlohmann::json> suggestLoadIndex(std::string_view bytes);
  Result<nlohmann::json> suggestStatus() const;
  Result<nlohmann::json> suggest(std::string_view requestJson) const;
  Result<nlohmann::json> suggestTrack(std::string_view eventJson);
  Result<nlohmann::json> suggestProfile() const;
  Result<nlohmann::json> suggestRestoreProfile(std::string_view profileJson);
  Result<nlohmann::json> suggestForget();

  // For features built on the core (quote, persistence, ...): valid only when initialised().
  const Options& storeOptions() const { return state_->options; }
  const Catalog& catalog() const { return state_->catalog; }
  Cart& mutableCart() { return state_->cart; }
  // Shopper behaviour (dwell, exit intent, risk, nudges: behaviour.hpp); null until init succeeds.
  Behaviour* behaviour() noexcept { return behaviour_.get(); }
  // The event stream, KPIs and consent (events.hpp; bound in events_bindings.cpp); null until init succeeds.
  Tracking* tracking() noexcept { return tracking_.get(); }

 private:
  struct State {
    Options options;
    Catalog catalog;
    Cart cart;
    QuoteConfig quote;
  };
  Error notInitialised() const;
  // Options read by initBegin, waiting for the catalog's slices and initFinish.
  struct Pending {
    nlohmann::json root;
    Options options;
    Catalog catalog;
    bool hasCatalog = false;
    std::size_t step = 0;  // initStep's progress through the parts below
    std::optional<QuoteConfig> quote;
    std::optional<PersistenceOptions> persistence;
    std::optional<BehaviourOptions> behaviour;
    std::optional<EventsOptions> events;
    std::optional<ConsentOptions> consent;
    std::optional<Suggestions> suggestions;
  };
  static constexpr std::size_t kInitSteps = 6;
  static Status runInitStep(Pending& pending);
  std::unique_ptr<Pending> pending_;

  std::unique_ptr<State> state_;
  std::unique_ptr<Behaviour> behaviour_;
  std::unique_ptr<Persistence> persistence_;
  std::unique_ptr<Tracking> tracking_;
  std::unique_ptr<Suggestions> suggestions_;
};

}  // namespace cartkeep
