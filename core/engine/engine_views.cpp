// Engine's standing views (declared in engine.hpp): what the page's widgets show, registered once, brought up
// to date inside the core and carried by the answers that change what they read, so a widget never asks again
// after a shopper's action.
#include "cartkeep/engine.hpp"
#include "base/json_build.hpp"
#include "base/json_fields.hpp"
#include "base/time_input.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {

constexpr ErrorCode kViewArg = ErrorCode::InvalidArgument;

}  // namespace

Result<Engine::ViewClocks> Engine::parseViewClocks(std::string_view clocksJson) {
  const std::string path = "clocks";
  CARTKEEP_TRY_ASSIGN(json clocks, jf::parse(clocksJson, path));
  CARTKEEP_TRY(jf::expectObject(clocks, path, kViewArg));
  CARTKEEP_TRY(jf::rejectUnknownKeys(clocks, path, kViewArg, {"at", "storeNow"}));
  CARTKEEP_TRY_ASSIGN(auto at, readOptionalTimeMember(clocks, "at", path, kViewArg));
  if (!at) return jf::invalid(kViewArg, jf::child(path, "at"), "required, expected a time in ms since 1970 (Date.now())");
  ViewClocks out;
  out.at = *at;
  if (auto now = clocks.find("storeNow"); now != clocks.end() && !now->is_null()) out.storeNow = *now;
  return out;
}

// What the view's result depends on besides its own request: equal inputs, the same result.
json Engine::viewInputs(const View& view, const ViewClocks& clocks) const {
  const auto revision = state_->cart.revision();
  if (view.kind == "quote") return json::array({revision, choices_, clocks.storeNow});
  if (view.kind == "suggest") return json::array({revision, suggestRevision_, choices_, clocks.storeNow});
  const CartContext& context = persistence_->doc().context;
  return json::array({revision, context.coupon, context.step});
}

// The free-shipping placement without a gap of its own takes the quote's: the amount still missing for free
// delivery, for the shopper's choices. Without a free-shipping rule (or a cart that cannot ship) there is
// nothing to fill: an empty result with no gap.
Result<json> Engine::freeShippingSuggestions(json request, const ViewClocks& clocks) const {
  json quoteRequest = json::object();
  if (!clocks.storeNow.is_null()) quoteRequest["now"] = clocks.storeNow;
  CARTKEEP_TRY_ASSIGN(json quote, quoteOf(quoteRequest));
  const json* progress = quote.value("shippable", true) && quote.contains("freeShipping") ? &quote["freeShipping"] : nullptr;
  const bool known = progress && progress->is_object() && (*progress)["remaining"].is_number_integer();
  request["gap"] = known ? (*progress)["remaining"] : json(0);
  CARTKEEP_TRY_ASSIGN(json out, suggestions_->suggest(request, state_->catalog, state_->cart.lines(), state_->options));
  if (!known) {
    out["gap"] = nullptr;
    out["items"] = json::array();
  }
  return out;
}

Result<json> Engine::viewValue(const View& view, const ViewClocks& clocks) const {
  if (view.kind == "quote") {
    json request = view.request;
    if (!clocks.storeNow.is_null()) request["now"] = clocks.storeNow;
    return quoteOf(request);
  }
  if (view.kind == "suggest") {
    if (!suggestions_) return notInitialised();
    json request = view.request;
    request["now"] = clocks.at;
    if (request.value("placement", "") == "free-shipping" && !request.contains("gap"))
      return freeShippingSuggestions(std::move(request), clocks);
    return suggestions_->suggest(request, state_->catalog, state_->cart.lines(), state_->options);
  }
  StoreView store{state_->options, state_->catalog, state_->cart};
  return persistence_->link(store, view.request);
}

// A result the state makes fail (a link too long for the cart, a product gone from the catalog) is the view's
// result too: {error: {code, path, message}}.
json Engine::viewResult(const View& view, const ViewClocks& clocks) const {
  Result<json> value = viewValue(view, clocks);
  if (!value) return jsonObject({{"error", errorJson(value.error())}});
  return std::move(value).value();
}

json Engine::changedViews(const ViewClocks& clocks) {
  json out = json::object();
  for (auto& [key, view] : views_) {
    json inputs = viewInputs(view, clocks);
    if (inputs == view.inputs) continue;
    view.inputs = std::move(inputs);
    json result = viewResult(view, clocks);
    if (result == view.sent) continue;
    view.sent = result;
    out[key] = std::move(result);
  }
  return out;
}

Result<json> Engine::viewRegister(std::string_view key, std::string_view specJson, std::string_view clocksJson) {
  if (!state_ || !persistence_) return notInitialised();
  if (key.empty() || key.size() > 64) return jf::invalid(kViewArg, "key", "expected a view key of 1 to 64 characters");
  const std::string path = "view";
  CARTKEEP_TRY_ASSIGN(json spec, jf::parse(specJson, path));
  CARTKEEP_TRY(jf::expectObject(spec, path, kViewArg));
  CARTKEEP_TRY(jf::rejectUnknownKeys(spec, path, kViewArg, {"kind", "request"}));
  View view;
  CARTKEEP_TRY_ASSIGN(view.kind, jf::readString(spec, "kind", path, kViewArg, {true, 1, 32}));
  if (view.kind != "quote" && view.kind != "suggest" && view.kind != "resume-link") {
    return jf::invalid(kViewArg, jf::child(path, "kind"),
                       "expected \"quote\", \"suggest\" or \"resume-link\", got " + json(view.kind).dump());
  }
  const std::string requestPath = jf::child(path, "request");
  if (auto request = spec.find("request"); request != spec.end()) view.request = *request;
  else view.request = json::object();
  CARTKEEP_TRY(jf::expectObject(view.request, requestPath, kViewArg));
  // The engine supplies the time: the action's, or the refresh's.
  if (view.kind != "resume-link" && view.request.contains("now"))
    return jf::invalid(kViewArg, jf::child(requestPath, "now"), "not allowed in a view: the engine supplies the time");
  CARTKEEP_TRY_ASSIGN(ViewClocks clocks, parseViewClocks(clocksJson));
  // A request of the wrong shape is the spec's fault and refuses the view, named under view.request; any other
  // failure depends on the state and is the view's result until the state changes.
  Result<json> value = viewValue(view, clocks);
  if (!value && value.error().code == kViewArg) {
    Error error = std::move(value).error();
    const std::string& inner = error.path;
    // Both paths are already written out ("request.lines[0].quantity"): joined as text, not quoted as a key.
    error.path = inner.empty()                   ? requestPath
                 : inner.rfind("request", 0) == 0 ? path + "." + inner
                                                  : requestPath + "." + inner;
    return error;
  }
  view.inputs = viewInputs(view, clocks);
  view.sent = value ? std::move(value).value() : jsonObject({{"error", errorJson(value.error())}});
  json result = view.sent;
  views_.insert_or_assign(std::string(key), std::move(view));
  return result;
}

Result<json> Engine::viewUnregister(std::string_view key) {
  if (!state_) return notInitialised();
  auto found = views_.find(key);
  if (found == views_.end()) return json(false);
  views_.erase(found);
  return json(true);
}

Result<json> Engine::viewsRefresh(std::string_view clocksJson) {
  if (!state_ || !persistence_) return notInitialised();
  CARTKEEP_TRY_ASSIGN(ViewClocks clocks, parseViewClocks(clocksJson));
  return changedViews(clocks);
}

}  // namespace cartkeep
