#pragma once
// One store session: validated options, catalog and cart behind a JSON-in, JSON-out API.
// The wasm bindings are a thin shell over this class; native tests drive it directly.
#include <cstdint>
#include <map>
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
  // `quantity` is the JSON value the caller passed: quantityArgument's one rule decides what counts.
  Result<nlohmann::json> cartAdd(std::string_view productId, const nlohmann::json& quantity);
  Result<nlohmann::json> cartSetQuantity(std::string_view productId, const nlohmann::json& quantity);
  Result<nlohmann::json> cartRemove(std::string_view productId);
  Result<nlohmann::json> cartClear();

  // One shopper action on the cart, passed on inside the core (core/engine/engine_actions.cpp):
  // {type: "add"|"set-quantity"|"remove"|"clear", productId, quantity, at (ms since 1970), storedAt? (the saved
  // cart's clock, `at` when absent), pageMs (the page's clock, performance.now()), responseMs?, storeNow?
  // ("YYYY-MM-DDTHH:MM" store-local), eventsHistory? (the stream's stored history, as eventsPersist takes it)}.
  // The cart changes, then
  // behaviour, the event stream, suggestions and persistence each hear of it, and the answer carries everything
  // the page renders or dispatches: {cart, changed, behaviour: {outputs, deadline, error}, events, suggest,
  // persist, quote, views}; events.persisted: eventsPersist's answer when eventsHistory came; views: the standing views the action changed (see viewRegister); behaviour's error is a refused pageMs, as behaviourDrain's. A feature that is not running
  // yet answers null in its slot.
  Result<nlohmann::json> cartAction(std::string_view actionJson);

  // Standing views (core/engine/engine_views.cpp): what a widget shows, registered once under a key the page
  // chooses (1 to 64 characters; registering a key again replaces its view). spec: {kind, request}, kind
  // "quote" (quote()'s request), "suggest" (suggest()'s; free-shipping without a gap takes the quote's) or
  // "resume-link" (resumeLink()'s). The engine supplies the time from `clocks` {at (ms since 1970), storeNow?
  // ("YYYY-MM-DDTHH:MM" store-local)}: a request's `now` is refused. viewRegister answers the view's result; a
  // request of the wrong shape refuses the view (invalid-argument, the path under "view.request"). Every
  // cartAction, and viewsRefresh, answers `views`: {key: result} for each view whose inputs (cart revision,
  // choices, store minute, suggestion state, saved context) changed and whose result then differs from the one
  // the page has. A result is the value, or {error: {code, path, message}} when the state makes it fail.
  Result<nlohmann::json> viewRegister(std::string_view key, std::string_view specJson, std::string_view clocksJson);
  // true when the key had a view.
  Result<nlohmann::json> viewUnregister(std::string_view key);
  Result<nlohmann::json> viewsRefresh(std::string_view clocksJson);

  // The shopper's quote choices {destination, coupons, method, paymentMethod}: quote() fills in whatever a
  // request leaves out. quoteChoose takes any of the four (null clears one), checks them like a request, and
  // answers the choices now in force.
  Result<nlohmann::json> quoteChoose(std::string_view choicesJson);
  Result<nlohmann::json> quoteChoices() const { return choices_; }
  // The itemised quote for the cart (or request.lines): see docs/quote.md for the request and the shape.
  // Memoised per cart revision, choices and request, so the widgets that follow one change share one answer.
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
  Result<std::string> suggestText(std::string_view requestJson) const;  // the same answer as JSON text
  Result<nlohmann::json> suggestTrack(std::string_view eventJson);
  Result<nlohmann::json> suggestProfile() const;
  Result<nlohmann::json> suggestRestoreProfile(std::string_view profileJson);
  Result<nlohmann::json> suggestForget();

  // Shopper behaviour (docs/behaviour.md; core/engine/engine_behaviour.cpp). `t` is the page's clock in ms
  // (performance.now()). Each observation answers the number of decisions waiting, read with
  // behaviourDrain(); before init it observes nothing and answers 0.
  std::uint32_t behaviourMove(double t, double x, double y) noexcept;
  std::uint32_t behaviourOut(double t, double x, double y);
  std::uint32_t behaviourDown(double t, double x, double y);
  std::uint32_t behaviourKey(double t);
  std::uint32_t behaviourScroll(double t, double y);
  std::uint32_t behaviourVisibility(double t, bool hidden);
  std::uint32_t behaviourBlur(double t, bool intoFrame);
  std::uint32_t behaviourFocus(double t);
  std::uint32_t behaviourPageHide(double t, bool persisted);
  std::uint32_t behaviourPageShow(double t, bool persisted);
  std::uint32_t behaviourRoute(double t, std::string_view path, std::string_view type, std::string_view productId);
  std::uint32_t behaviourCard(double t, std::string_view productId, bool visible);
  std::uint32_t behaviourField(double t, std::string_view kind, bool focused);
  std::uint32_t behaviourSelect(double t, bool open);
  // A cart the core changed on its own (a restore, another tab): the shopper's actions arrive by cartAction.
  std::uint32_t behaviourCart(double t, double count, double subtotal, std::string_view action);
  std::uint32_t behaviourCostPreview(double t);
  std::uint32_t behaviourProgress(double t);
  std::uint32_t behaviourConvert(double t);
  std::uint32_t behaviourBack(double t);
  std::uint32_t behaviourTick(double t);
  std::uint32_t behaviourViewport(double t, double width, double height, bool touch);
  // The shopper's answer to a nudge: the stream records it with the next drain (counted in the answer).
  std::uint32_t behaviourNudge(double t, std::string_view id, std::string_view outcome);
  Result<nlohmann::json> behaviourSession(double t, std::string_view infoJson);
  Result<nlohmann::json> behaviourObserve(std::string_view eventJson);
  // The decisions waiting, oldest first, and what the event stream made of them, in one answer:
  // {outputs, events, error} (events: the stream's effects, as cartAction's; null when the stream has not
  // started or nothing was recorded; error: {code, path, message} of the first observation since the last drain
  // whose time was refused, or null). `now` is the wall clock (ms since 1970) the stream records them at; with
  // record false (a trace replayed for its decisions) the stream hears nothing and `now` is not read.
  Result<nlohmann::json> behaviourDrain(double now, bool record = true);
  double behaviourDeadline(double now) const noexcept;
  Result<nlohmann::json> behaviourDwell(double now) const;
  Result<nlohmann::json> behaviourRisk(double now) const;
  Result<nlohmann::json> behaviourCaps() const;
  Result<nlohmann::json> behaviourSummary(double now) const;
  Result<nlohmann::json> behaviourRecorded() const;

  // The event stream, consent and KPIs (docs/events.md; core/engine/engine_events.cpp). Each answers the
  // effects the page carries out (emit, dataLayer, store, flushAt, deadline); times are ms since 1970.
  Result<nlohmann::json> eventsStart(std::string_view infoJson);
  Result<nlohmann::json> eventsObserve(std::string_view name, std::string_view detailJson, double now, double responseMs);
  Result<nlohmann::json> eventsTrack(std::string_view name, std::string_view detailJson, double now);
  Result<nlohmann::json> eventsPageTiming(std::string_view timingJson, double now);
  Result<nlohmann::json> eventsActivity(double now);
  Result<nlohmann::json> eventsTick(double now);
  Result<nlohmann::json> eventsConsent(std::string_view choice, std::string_view source, double now);
  Result<nlohmann::json> eventsNext(double now, std::string_view reason);
  Result<nlohmann::json> eventsResult(std::string_view batchId, double status, double retryAfterMs, double now);
  Result<nlohmann::json> eventsPersist(bool closed, std::string_view storedHistory, double now);
  Result<nlohmann::json> eventsReclaim(bool ownOutboxStillStored, double now);
  Result<nlohmann::json> eventsMetrics(std::string_view requestJson);
  Result<nlohmann::json> eventsState(double now) const;
  Result<nlohmann::json> eventsForget();

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
  // The request with the shopper's choices filled in, as the quote reads it.
  nlohmann::json withChoices(nlohmann::json request) const;
  Result<nlohmann::json> quoteOf(const nlohmann::json& request) const;
  nlohmann::json choices_ = nlohmann::json::object();
  struct QuoteMemo {
    std::uint64_t revision = UINT64_MAX;
    std::map<std::string, nlohmann::json, std::less<>> answers;
  };
  mutable QuoteMemo quoteMemo_;
  static Status runInitStep(Pending& pending);
  struct View {
    std::string kind;        // "quote", "suggest" or "resume-link"
    nlohmann::json request;  // without the time
    nlohmann::json inputs;   // what the result sent last was computed from (viewInputs)
    nlohmann::json sent;     // the result the page has
  };
  struct ViewClocks {
    std::int64_t at = 0;
    nlohmann::json storeNow;  // null: quotes without a store time
  };
  static Result<ViewClocks> parseViewClocks(std::string_view clocksJson);
  nlohmann::json viewInputs(const View& view, const ViewClocks& clocks) const;
  Result<nlohmann::json> viewValue(const View& view, const ViewClocks& clocks) const;
  nlohmann::json viewResult(const View& view, const ViewClocks& clocks) const;
  Result<nlohmann::json> freeShippingSuggestions(nlohmann::json request, const ViewClocks& clocks) const;
  // The views whose result changed, brought up to date: {key: result}.
  nlohmann::json changedViews(const ViewClocks& clocks);
  std::map<std::string, View, std::less<>> views_;
  std::uint64_t suggestRevision_ = 0;  // counts what changes suggestions besides the cart (index, profile)
  std::unique_ptr<Pending> pending_;
  // Behaviour's decisions (after `before`, [[name, detail]]: the cart's own event) recorded by the event
  // stream: its effects, or null when it has not started or nothing was recorded.
  Result<nlohmann::json> decisionsToStream(const nlohmann::json& outputs, double now,
                                           nlohmann::json before = nlohmann::json::array(), double responseMs = -1);
  nlohmann::json clockError();
  nlohmann::json nudgeOutcomes_ = nlohmann::json::array();  // [[name, detail]] answered since the last drain

  std::unique_ptr<State> state_;
  std::unique_ptr<Behaviour> behaviour_;
  std::unique_ptr<Persistence> persistence_;
  std::unique_ptr<Tracking> tracking_;
  std::unique_ptr<Suggestions> suggestions_;
};

}  // namespace cartkeep
