#pragma once
// Cart persistence: options.persistence, re-pricing of stored carts, and the per-engine session that keeps
// the replicated cart document (sync.hpp) in step with the engine's Cart. JS only moves the snapshot
// text (snapshot.hpp) between storage, other tabs and these calls, and renders what they return.
//
// Stored prices are never trusted: a restored or linked cart is re-priced from the current catalog and
// every difference is reported as a notice the shopper sees:
//   {kind: "price-changed", productId, title, from, to}
//   {kind: "quantity-reduced", reason: "stock" | "limit", productId, title, from, to}
//   {kind: "removed", reason: "unavailable" | "out-of-stock" | "cart-full" | "overflow", productId, title, quantity}
//   {kind: "link-unknown", productId, path}            a resume link named a product the store does not sell
//   {kind: "link-item-invalid", path, message}         part of a resume link could not be read
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/cart.hpp"
#include "store/catalog.hpp"
#include "cartkeep/error.hpp"
#include "store/options.hpp"
#include "persistence/resume_link.hpp"
#include "persistence/snapshot.hpp"
#include "persistence/sync.hpp"

namespace cartkeep {

struct PersistenceOptions {
  bool enabled = true;
  std::string storage = "local";     // local | session | indexeddb | memory | custom (an adapter object in JS)
  std::string keyPrefix = "default";  // options.persistence.namespace: storage keys are cartkeep:<namespace>:...
  std::int64_t ttlDays = 30;
  std::string sync = "auto";         // auto (in browsers) | on | off
  std::int64_t returningAfterMinutes = 30;  // a restore after this long away is a "welcome back"
  std::map<std::string, std::string> resumeUrls;  // checkout step -> page, for the banner's resume button
  struct Link {
    std::string param = "cartkeep";
    std::int64_t maxLength = 4000;
    std::string mode = "merge";  // merge: keep the larger quantity per line; replace: the link's cart only
    std::string url;             // base of shared links; "" = the current page
  } link;
};

// Reads root["persistence"] (absent: defaults; false: disabled); errors name options.persistence.*.
Result<PersistenceOptions> parsePersistenceOptions(const nlohmann::json& root);
nlohmann::json toJson(const PersistenceOptions& options);

constexpr std::int64_t kCompactHorizonMs = 7LL * 24 * 3600 * 1000;

struct WantedLine {
  std::string productId;
  std::int64_t quantity = 0;
  const SeenPrice* seen = nullptr;  // what the shopper saw, for price notices
  std::string linkPath;             // set for lines from a resume link: unknown ids give link-unknown
};

struct Repriced {
  std::vector<ViewLine> lines;
  nlohmann::json notices = nlohmann::json::array();
};

// The lines the cart can hold now: unknown and sold-out products out, quantities within stock and
// options.cart limits, at most maxLines lines, a subtotal that stays exact; a notice for every change.
Repriced reprice(const std::vector<WantedLine>& wanted, const Catalog& catalog, const CartOptions& limits,
                 bool comparePrices);

// The parts of an engine persistence works on.
struct StoreView {
  const Options& options;
  const Catalog& catalog;
  Cart& cart;
};

class Persistence {
 public:
  explicit Persistence(PersistenceOptions options) : options_(std::move(options)) {}
  const PersistenceOptions& options() const noexcept { return options_; }
  const CartDoc& doc() const noexcept { return doc_; }
  const std::string& replica() const noexcept { return replica_; }

  // Starts the session as `replica` and merges the stored snapshot (`stored` "" when none) into the cart:
  // {status: empty|restored|expired|damaged, version, problem, savedAt, returning, notices, context, cart}.
  Result<nlohmann::json> restore(const StoreView& store, std::string_view stored, std::int64_t now,
                                 std::string_view replica);
  // Records the shopper's changes, merges what storage holds now (`stored`), and returns the text to write:
  // {text, bytes, changed, cart?, storedProblem}.
  Result<nlohmann::json> save(const StoreView& store, std::string_view stored, std::int64_t now);
  // Another tab's snapshot: {changed, behind, forgotten, cart?}; behind: it lacks changes of ours; forgotten:
  // it forgot the cart (a newer epoch) and so has this tab now. A snapshot that cannot be merged is its
  // snapshot-* error, the cart untouched.
  Result<nlohmann::json> merge(const StoreView& store, std::string_view incoming, std::int64_t now);
  // Storage is full: drops every spent counter, returns {text, bytes, dropped}.
  Result<nlohmann::json> compact(const StoreView& store, std::int64_t now);
  // Starts over with an empty cart in a new epoch: {cart, text}; `text` tells other tabs (never stored).
  Result<nlohmann::json> forget(const StoreView& store);
  // {coupon?, step?} -> {coupon, step}
  Result<nlohmann::json> setContext(const StoreView& store, const nlohmann::json& request, std::int64_t now);
  // {step?, coupon?} -> {value, length, items, step, coupon}, or the error link-too-long
  Result<nlohmann::json> link(const StoreView& store, const nlohmann::json& request);
  // A ?cartkeep= value -> {format, changed, cart, notices, step, coupon}, or its invalid-link,
  // link-too-long or link-future-version error, the cart untouched
  Result<nlohmann::json> applyLink(const StoreView& store, std::string_view value, std::int64_t now);

 private:
  Status started() const;
  Status syncFromCart(const StoreView& store, std::int64_t now);
  // Rebuilds the cart from the document; notices when re-pricing, and `writeBack` records adjustments.
  Result<nlohmann::json> materialise(const StoreView& store, bool comparePrices, bool writeBack, std::int64_t now,
                                     bool& changed);
  Status rebuildCart(const StoreView& store, const std::vector<ViewLine>& lines, bool& changed);
  // snapshot-invalid when `incoming` claims more units under this tab's replica id than this tab added.
  std::optional<Error> implausibleOwnCounters(const CartDoc& incoming) const;

  PersistenceOptions options_;
  CartDoc doc_;
  std::string replica_;
  std::vector<ViewLine> lastView_;  // the cart as last synced with the document
};

}  // namespace cartkeep
