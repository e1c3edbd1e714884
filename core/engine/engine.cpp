#include "cartkeep/engine.hpp"

#include "base/json_fields.hpp"
#include "base/json_build.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

Error Engine::notInitialised() const {
  return Error{ErrorCode::NotInitialised, "", "the engine has no valid options: call init first"};
}

Result<json> Engine::init(std::string_view optionsJson) {
  CARTKEEP_TRY(initBegin(optionsJson));
  return initFinish();
}

Status Engine::initBegin(std::string_view optionsJson) {
  pending_.reset();
  CARTKEEP_TRY_ASSIGN(json root, jf::parse(optionsJson, "options"));
  CARTKEEP_TRY_ASSIGN(Options options, parseOptions(root));
  auto pending = std::make_unique<Pending>();
  pending->root = std::move(root);
  pending->options = std::move(options);
  auto catalogJson = pending->root.find("catalog");
  if (catalogJson != pending->root.end()) {
    CARTKEEP_TRY(pending->catalog.append(*catalogJson, pending->options.currency, "catalog"));
    pending->hasCatalog = true;
    pending->root.erase(catalogJson);  // read: no need to keep its tree until initFinish
  }
  pending_ = std::move(pending);
  return success();
}

Status Engine::initProducts(std::string_view productsJson) {
  if (!pending_) return Error{ErrorCode::NotInitialised, "", "initProducts needs initBegin first"};
  Status added = pending_->catalog.appendText(productsJson, pending_->options.currency, "catalog");
  if (!added) {
    pending_.reset();
    return added;
  }
  pending_->hasCatalog = true;
  return success();
}

namespace {

// One part of the staged options, kept until initFinish puts the engine together.
template <class T>
Status keep(std::optional<T>& slot, Result<T> read) {
  if (!read) return std::move(read).error();
  slot = std::move(read).value();
  return success();
}

}  // namespace

Status Engine::runInitStep(Pending& pending) {
  const json& root = pending.root;
  switch (pending.step++) {
    case 0:
      if (!pending.hasCatalog)
        return jf::invalid(ErrorCode::InvalidOptions, "options.catalog", "required, expected an array of products");
      CARTKEEP_TRY(keep(pending.quote, parseQuoteConfig(root, pending.options.currency, pending.options.locale)));
      return checkQuoteConfig(*pending.quote, pending.catalog);
    case 1: return keep(pending.persistence, parsePersistenceOptions(root));
    case 2: return keep(pending.behaviour, parseBehaviourOptions(root));
    case 3: return keep(pending.events, parseEventsOptions(root));
    case 4: return keep(pending.consent, parseConsentOptions(root));
    default: return keep(pending.suggestions, Suggestions::create(root, pending.catalog));
  }
}

Result<bool> Engine::initStep() {
  if (!pending_) return Error{ErrorCode::NotInitialised, "", "initStep needs initBegin first"};
  if (pending_->step == kInitSteps) return false;
  if (Status done = runInitStep(*pending_); !done) {
    pending_.reset();
    return done.error();
  }
  return pending_->step < kInitSteps;
}

Result<json> Engine::initFinish() {
  if (!pending_) return Error{ErrorCode::NotInitialised, "", "initFinish needs initBegin first"};
  std::unique_ptr<Pending> pending = std::move(pending_);
  while (pending->step < kInitSteps) CARTKEEP_TRY(runInitStep(*pending));
  Options options = std::move(pending->options);
  Catalog catalog = std::move(pending->catalog);
  Cart cart(options.cart);
  QuoteConfig quote = std::move(*pending->quote);
  PersistenceOptions persistence = std::move(*pending->persistence);
  BehaviourOptions behaviour = std::move(*pending->behaviour);
  EventsOptions events = std::move(*pending->events);
  ConsentOptions consent = std::move(*pending->consent);
  Suggestions suggestions = std::move(*pending->suggestions);
  state_ = std::make_unique<State>(State{std::move(options), std::move(catalog), std::move(cart), std::move(quote)});
  persistence_ = std::make_unique<Persistence>(std::move(persistence));
  suggestions_ = std::make_unique<Suggestions>(std::move(suggestions));
  behaviour_ = std::make_unique<Behaviour>(std::move(behaviour));
  tracking_ = std::make_unique<Tracking>(std::move(events), std::move(consent), behaviour_->options().pages);
  // Abandonment records carry a resume link to the stage the shopper left (persistence's link format).
  tracking_->setLinkProvider([this](const TrackingStore&, const std::string& step) -> json {
    auto made = resumeLink(jsonObject({{"step", step}}).dump());
    if (!made) return nullptr;  // too long for the link: the record says "unavailable"
    json link = made.value();
    const auto& o = persistence_->options();
    auto page = o.resumeUrls.find(step);
    link["url"] = page != o.resumeUrls.end() ? page->second : o.link.url;
    link["param"] = o.link.param;
    return link;
  });
  return this->options();
}

Result<json> Engine::options() const {
  if (!state_) return notInitialised();
  json out = toJson(state_->options);
  out["quote"] = toJson(state_->quote);  // what the quote widgets need: countries, default destination, time zone
  if (behaviour_) out.update(toJson(behaviour_->options()));  // "behaviour" and "nudges"
  out["persistence"] = toJson(persistence_->options());
  if (tracking_) out["events"] = toJson(tracking_->options()), out["consent"] = toJson(tracking_->consent().options());
  if (suggestions_) out["suggestions"] = toJson(suggestions_->config());
  return out;
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

Result<json> Engine::cartAdd(std::string_view productId, const json& quantity) {
  if (!state_) return notInitialised();
  CARTKEEP_TRY_ASSIGN(auto units, quantityArgument(quantity, 1, "quantity"));
  CARTKEEP_TRY(state_->cart.add(state_->catalog, productId, units));
  return cart();
}

Result<json> Engine::cartSetQuantity(std::string_view productId, const json& quantity) {
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

json Engine::withChoices(json request) const {
  if (!request.is_object()) return request;  // parseQuoteRequest names what is wrong with it
  for (const char* key : {"destination", "method", "paymentMethod"}) {
    if (!request.contains(key) && choices_.contains(key)) request[key] = choices_[key];
  }
  if (!request.contains("coupon") && !request.contains("coupons") && choices_.contains("coupons"))
    request["coupons"] = choices_["coupons"];
  return request;
}

// The memo is cleared by any cart change (the revision) and keeps a handful of requests per revision: the
// widgets of one page ask two or three distinct questions.
Result<json> Engine::quoteOf(const json& request) const {
  constexpr std::size_t kMemoLimit = 16;
  const json filled = withChoices(request);
  std::string key = filled.dump();
  if (quoteMemo_.revision != state_->cart.revision()) {
    quoteMemo_.revision = state_->cart.revision();
    quoteMemo_.answers.clear();
  }
  if (auto found = quoteMemo_.answers.find(key); found != quoteMemo_.answers.end()) return found->second;
  CARTKEEP_TRY_ASSIGN(QuoteRequest parsed, parseQuoteRequest(filled, state_->options.cart));
  CARTKEEP_TRY_ASSIGN(json answer, quoteJson(state_->quote, state_->options, state_->catalog, state_->cart.lines(), parsed));
  if (quoteMemo_.answers.size() >= kMemoLimit) quoteMemo_.answers.clear();
  quoteMemo_.answers.emplace(std::move(key), answer);
  return answer;
}

Result<json> Engine::quote(std::string_view requestJson) const {
  if (!state_) return notInitialised();
  CARTKEEP_TRY_ASSIGN(json parsed, jf::parse(requestJson.empty() ? std::string_view("{}") : requestJson, "request"));
  return quoteOf(parsed);
}

Result<json> Engine::quoteChoose(std::string_view choicesJson) {
  if (!state_) return notInitialised();
  CARTKEEP_TRY_ASSIGN(json given, jf::parse(choicesJson, "choices"));
  CARTKEEP_TRY(jf::expectObject(given, "choices", ErrorCode::InvalidArgument));
  CARTKEEP_TRY(jf::rejectUnknownKeys(given, "choices", ErrorCode::InvalidArgument,
                                     {"destination", "coupons", "method", "paymentMethod"}));
  json next = choices_;
  for (const auto& [key, value] : given.items()) {
    if (value.is_null()) next.erase(key);
    else next[key] = value;
  }
  // Checked as a request for no lines, so each choice fails with the path a request would name.
  json probe = next;
  probe["lines"] = json::array();
  auto checked = parseQuoteRequest(probe, state_->options.cart, "choices");
  if (!checked) return std::move(checked).error();
  choices_ = std::move(next);
  return choices_;
}

Result<json> Engine::quoteBatch(std::string_view requestsJson) const {
  if (!state_) return notInitialised();
  CARTKEEP_TRY_ASSIGN(json parsed, jf::parse(requestsJson, "requests"));
  CARTKEEP_TRY(jf::expectArray(parsed, "requests", ErrorCode::InvalidArgument));
  json out = json::array();
  // One bad request is reported in its own entry ({error, path, message}); the others are still quoted.
  auto failed = [&out](const Error& error) {
    out.push_back(jsonObject({{"error", errorCodeId(error.code)}, {"path", error.path}, {"message", error.message}}));
  };
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    const std::string at = jf::element("requests", i);
    if (!parsed[i].is_object()) {
      failed(jf::invalid(ErrorCode::InvalidArgument, at, "expected a request object, " + jf::describeValue(parsed[i])));
      continue;
    }
    auto request = parseQuoteRequest(withChoices(parsed[i]), state_->options.cart, at);
    if (!request) {
      failed(request.error());
      continue;
    }
    auto totals = quoteTotals(state_->quote, state_->options, state_->catalog, state_->cart.lines(), request.value());
    if (!totals) {
      failed(totals.error());
      continue;
    }
    const QuoteTotals& t = totals.value();
    out.push_back(json{t.total, t.subtotal, t.discount, t.shipping, t.fees, t.tax, t.taxIncluded, t.shippable});
  }
  return out;
}

}  // namespace cartkeep
