// Engine::cartAction (declared in engine.hpp): one shopper action on the cart, and every feature that
// follows the cart hears of it here, in the core, instead of through the page. The page makes one call per
// action and renders or dispatches the answer.
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

#include "cartkeep/engine.hpp"
#include "base/json_build.hpp"
#include "base/json_fields.hpp"
#include "base/time_input.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {

constexpr ErrorCode kActionArg = ErrorCode::InvalidArgument;

struct CartActionRequest {
  std::string type;
  std::string productId;
  json quantity;
  std::int64_t at = 0;     // ms since 1970: the event stream and suggestions
  std::int64_t storedAt = 0;  // ms since 1970 for the saved cart (options.persistence.clock); `at` when absent
  double pageMs = 0;       // the page's clock (performance.now()): behaviour's deadlines
  double responseMs = -1;  // click to cart change, when the page measured it
  json storeNow;           // "YYYY-MM-DDTHH:MM": with it, the answer carries the quote for the choices
  std::optional<std::string> eventsHistory;  // what storage holds of the stream's history: with it, the answer
                                             // carries what to store (eventsPersist's answer)
};

Result<CartActionRequest> parseCartAction(std::string_view text) {
  jf::Fields fields(kActionArg);
  const std::string path = "action";
  CARTKEEP_TRY_ASSIGN(json action, jf::parse(text, path));
  CARTKEEP_TRY(jf::expectObject(action, path, kActionArg));
  CARTKEEP_TRY(jf::rejectUnknownKeys(action, path, kActionArg,
                                     {"type", "productId", "quantity", "at", "storedAt", "pageMs", "responseMs", "storeNow",
                                      "eventsHistory"}));
  CartActionRequest out;
  CARTKEEP_TRY_ASSIGN(out.type, jf::readString(action, "type", path, kActionArg, {true, 1, 32}));
  if (out.type != "add" && out.type != "set-quantity" && out.type != "remove" && out.type != "clear") {
    return jf::invalid(kActionArg, jf::child(path, "type"),
                       "expected \"add\", \"set-quantity\", \"remove\" or \"clear\", got " + json(out.type).dump());
  }
  if (out.type != "clear") {
    CARTKEEP_TRY_ASSIGN(out.productId, jf::readString(action, "productId", path, kActionArg, {true, 0, 10000}));
  }
  // The quantity goes on as given: the cart's one quantity rule judges it (and names "quantity").
  // An add without one adds a single unit.
  if (auto q = action.find("quantity"); q != action.end()) out.quantity = *q;
  else if (out.type == "add") out.quantity = 1;
  CARTKEEP_TRY_ASSIGN(auto at, readOptionalTimeMember(action, "at", path, kActionArg));
  if (!at) return jf::invalid(kActionArg, jf::child(path, "at"), "required, expected a time in ms since 1970 (Date.now())");
  out.at = *at;
  CARTKEEP_TRY_ASSIGN(auto storedAt, readOptionalTimeMember(action, "storedAt", path, kActionArg));
  out.storedAt = storedAt.value_or(out.at);
  fields.number(action, "pageMs", path, out.pageMs, 0, 1e15, 0);
  fields.number(action, "responseMs", path, out.responseMs, -1, 1e9, -1);
  CARTKEEP_TRY(fields.status());
  if (auto now = action.find("storeNow"); now != action.end() && !now->is_null()) out.storeNow = *now;
  if (action.contains("eventsHistory")) {
    CARTKEEP_TRY_ASSIGN(out.eventsHistory, jf::readString(action, "eventsHistory", path, kActionArg, {true, 0, SIZE_MAX}));
  }
  return out;
}

json deadlineJson(double deadline) { return std::isfinite(deadline) ? json(deadline) : json(nullptr); }

}  // namespace

Result<json> Engine::cartAction(std::string_view actionJson) {
  if (!state_) return notInitialised();
  CARTKEEP_TRY_ASSIGN(CartActionRequest action, parseCartAction(actionJson));
  const std::uint64_t before = state_->cart.revision();
  Result<json> changedCart = action.type == "add"            ? cartAdd(action.productId, action.quantity)
                             : action.type == "set-quantity" ? cartSetQuantity(action.productId, action.quantity)
                             : action.type == "remove"       ? cartRemove(action.productId)
                                                             : cartClear();
  if (!changedCart) return std::move(changedCart).error();
  const Cart& cart = state_->cart;
  const bool changed = cart.revision() != before;
  json out = jsonObject({{"cart", std::move(changedCart).value()}, {"changed", changed}, {"behaviour", nullptr},
                         {"events", nullptr}, {"suggest", nullptr}, {"persist", nullptr}, {"quote", nullptr},
                         {"views", json::object()}});
  const json& snapshot = out["cart"];

  if (changed) {
    // Behaviour: the cart's size and value feed the risk and the nudge rules; its decisions come back here.
    json decisions = json::array();
    if (behaviour_) {
      behaviour_->cart(action.pageMs, snapshot.value("count", std::int64_t{0}), snapshot.value("subtotal", std::int64_t{0}),
                       action.type);
      decisions = behaviour_->drain();
      out["behaviour"] = jsonObject({{"outputs", decisions}, {"deadline", deadlineJson(behaviour_->nextDeadline(action.pageMs))},
                                     {"error", clockError()}});
    }
    // The event stream: the cart event (and a cart id, an abandonment clock) from the shopper's own action, then
    // the decisions behaviour made of it.
    json detail = jsonObject({{"action", action.type},
                              {"productId", action.type == "clear" ? json(nullptr) : json(action.productId)}});
    json cartEvent = json::array();
    cartEvent.push_back(jsonPair("cart-change", std::move(detail)));
    CARTKEEP_TRY_ASSIGN(out["events"], decisionsToStream(decisions, static_cast<double>(action.at), std::move(cartEvent),
                                                         action.responseMs));
    // The stream changed: what to store and the closing plan come with the same answer.
    if (tracking_ && action.eventsHistory && out["events"].is_object()) {
      CARTKEEP_TRY_ASSIGN(out["events"]["persisted"],
                          tracking_->persist(false, *action.eventsHistory, static_cast<double>(action.at)));
    }
    // Suggestions learn from what the shopper adds; the page stores the profile it is given.
    if (suggestions_ && action.type == "add") {
      ++suggestRevision_;
      CARTKEEP_TRY(suggestions_->track(jsonObject({{"type", "cart-add"}, {"productId", action.productId}, {"at", action.at}}),
                                       state_->catalog));
      out["suggest"] = jsonObject({{"profile", suggestions_->profileJson()}});
    }
    // Persistence: the snapshot to store, as if storage still held what this tab wrote last (the page merges
    // with persistSave instead when another tab wrote since).
    if (persistence_ && !persistence_->replica().empty()) {  // restored: persistence has started
      StoreView store{state_->options, state_->catalog, state_->cart};
      CARTKEEP_TRY_ASSIGN(out["persist"], persistence_->save(store, "", action.storedAt));
    }
  }
  if (!action.storeNow.is_null()) {
    CARTKEEP_TRY_ASSIGN(out["quote"], quoteOf(jsonObject({{"now", action.storeNow}})));
  }
  // The widgets' standing views, at the action's clocks: those it changed ride along.
  if (persistence_) out["views"] = changedViews(ViewClocks{action.at, action.storeNow});
  return out;
}

}  // namespace cartkeep
