#pragma once
// The event stream (docs/events.md): one Tracking object per page turns what happens (the instance's own
// events, the lifecycle API, the page it runs on, the passing of time) into stream records with ids, keeps
// the cart's journey (created, checkout, steps, abandonment, purchase), maps records to GA4 dataLayer pushes,
// queues them for the merchant's endpoint (transport.hpp) and gates all of it by consent (consent.hpp).
//
// JS calls in and carries out the effects each call returns, as plain JSON:
//   {emit: [{name, detail}],      events to deliver through instance.on and as cartkeep:<name> DOM events
//    dataLayer: [object],         pushes onto window[options.events.dataLayer] (already gated by consent)
//    store: {key: text | null},   localStorage writes (null: remove); keys below cartkeep:<namespace>:events:
//    clearStorage: true,          remove every key below cartkeep:<namespace>:events: (consent denied, forget)
//    flushAt: ms | null,          call next() at this time
//    deadline: ms | null,         call tick() at this time (abandonment)
//    consent: {state, source, ...} when it changed}
//
// Records: {id, name, time, session, cart?, data}. Ids are "<pageId>.<n>" with a random page id from JS, so
// they are unique across pages and tabs. No record carries personal data: page paths lose their query
// string, referrers are reduced to their host, product ids must be in the catalog, other events' details
// are reduced to a fixed list of fields, and order ids must look like references, not like e-mail addresses.
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "behaviour/behaviour.hpp"
#include "store/cart.hpp"
#include "store/catalog.hpp"
#include "events/attribution.hpp"
#include "events/consent.hpp"
#include "events/events_options.hpp"
#include "events/ga4.hpp"
#include "cartkeep/error.hpp"
#include "events/kpi.hpp"
#include "store/options.hpp"
#include "events/transport.hpp"

namespace cartkeep {

// What the stream reads from the engine on every call.
struct TrackingStore {
  const Options& options;
  const Catalog& catalog;
  const Cart& cart;
};

class Tracking {
 public:
  using LinkProvider = std::function<nlohmann::json(const TrackingStore& store, const std::string& step)>;

  Tracking(EventsOptions events, ConsentOptions consent, PageRules pages = {});

  // A resume-link maker ({value, param, url}, or null when the cart makes none); without one, abandonment
  // records carry resumeLink null.
  void setLinkProvider(LinkProvider provider) { linkProvider_ = std::move(provider); }

  // Page start: {pageId, now, url, referrer, pageType?, gpc?, stored?: {state, consent, history, outboxes:
  // [{key, text}], histories: [{key, text}] (other pages' unsaved records, history:<pageId>)}}. Records page-view (and view-item, checkout-started, a late cart-abandoned when due).
  Result<nlohmann::json> start(const TrackingStore& store, const nlohmann::json& info);
  // An event the instance emitted (cart-change, exit-intent, nudge, restore, suggestion-click, ...).
  // responseMs >= 0: how long the shopper's click took to change the cart (add-to-cart).
  Result<nlohmann::json> observe(const TrackingStore& store, std::string_view name, const nlohmann::json& detail,
                                 double now, double responseMs = -1);
  // Several events at one time into one answer: [[name, detail], ...] (the cart's own event and the decisions
  // behaviour made of it, or the decisions drained together); responseMs goes with the first.
  Result<nlohmann::json> observeAll(const TrackingStore& store, const nlohmann::json& events, double now,
                                    double responseMs = -1);
  // The lifecycle API: view-item {productId}, checkout-started {}, checkout-step {step, index?},
  // purchase {orderId, value?, shipping?, tax?, discount?, coupon?}. Errors name "<name>.<field>".
  Result<nlohmann::json> track(const TrackingStore& store, std::string_view name, const nlohmann::json& detail,
                               double now);
  // Checkout page timing (Navigation Timing): {loadMs, domContentLoadedMs, ttfbMs}.
  Result<nlohmann::json> pageTiming(const TrackingStore& store, const nlohmann::json& timing, double now);
  Result<nlohmann::json> activity(const TrackingStore& store, double now);
  Result<nlohmann::json> tick(const TrackingStore& store, double now);
  Result<nlohmann::json> setConsent(std::string_view choice, std::string_view source, double now);

  // {batches: [{id, method, endpoint, body, count}], flushAt, closing?}; reason "timer" | "now" | "pagehide".
  Result<nlohmann::json> next(double now, std::string_view reason);
  // {outcome, flushAt, store?, closing?}: closing (the plan persist() describes) when it changed
  Result<nlohmann::json> result(std::string_view batchId, double status, double retryAfterMs, double now);
  // What to write now: {store: the outbox (closed on pagehide), the history merged with what storage holds, the
  // state}. Unless closed, also {closing: {beacons, store, storeIfSent}}: what the page carries out if it ends
  // before it asks again (its engine may be in a worker that cannot answer then): send the beacons, then write
  // storeIfSent when every beacon was accepted, else store (the outbox closed, so the next page adopts it).
  Result<nlohmann::json> persist(bool closed, std::string_view storedHistory, double now);
  // Back from the back/forward cache: if another page adopted our stored outbox meanwhile, let it go.
  Result<nlohmann::json> reclaim(bool ownOutboxStillStored, double now);

  // KPIs (kpi.hpp) over `records`, or over this device's recorded history when null. A damaged stored record
  // never fails the history's KPIs: it is set aside (left out of the history from then on, and of what other
  // tabs store) and listed once in the result's `damaged` [{code, path, message, record}].
  // The result's `scope` says what was counted: "given" (the records passed in), "device" (this device's stored
  // history: consent granted) or "page" (no consent, so nothing stored: this page's events only).
  Result<nlohmann::json> metrics(const TrackingStore& store, const nlohmann::json* records,
                                 const nlohmann::json& request);
  nlohmann::json state(double now) const;
  // Forgets everything: journey, session, history, queue, pending pushes.
  nlohmann::json forget();

  bool started() const noexcept { return started_; }
  const Consent& consent() const noexcept { return consent_; }
  const Outbox& outbox() const noexcept { return outbox_; }
  const EventsOptions& options() const noexcept { return o_; }
  const std::vector<nlohmann::json>& history() const noexcept { return history_; }
  const std::string& cartId() const noexcept { return journey_.id; }
  const std::string& sessionId() const noexcept { return session_.id; }

 private:
  struct Journey {
    std::string id;
    std::int64_t createdAt = 0;
    std::int64_t pages = 0;
    std::vector<std::string> steps;
    bool checkout = false;
    std::int64_t checkoutAt = 0;
    std::int64_t abandonments = 0;
    bool abandonedSinceActivity = false;
    nlohmann::json source;
    std::vector<std::pair<std::string, std::int64_t>> lines;  // the cart as last seen, for a late abandonment
  };
  struct Session {
    std::string id;
    std::int64_t startedAt = 0;
    nlohmann::json source;
  };
  struct Effects {
    nlohmann::json emit = nlohmann::json::array();
    nlohmann::json dataLayer = nlohmann::json::array();
    nlohmann::json store = nlohmann::json::object();
    bool clearStorage = false;
    bool consentChanged = false;
  };

  nlohmann::json finish(Effects& fx, const TrackingStore* store, std::int64_t now);
  void observeInto(Effects& fx, const TrackingStore& store, const std::string& name, const nlohmann::json& detail,
                   std::int64_t now, double responseMs);
  Status needStarted() const;
  nlohmann::json& record(Effects& fx, const TrackingStore& store, const std::string& name, nlohmann::json data,
                         std::int64_t now, bool cartScoped, bool emit, bool activity = true);
  void ga4(Effects& fx, const TrackingStore& store, const nlohmann::json& record);
  void startCart(Effects& fx, const TrackingStore& store, std::int64_t now, bool restored);
  void endCart();
  void syncLines(const TrackingStore& store, bool authoritative = false);
  bool viewItem(Effects& fx, const TrackingStore& store, const std::string& productId, std::int64_t now);
  bool cartEmpty(const TrackingStore& store) const { return store.cart.lines().empty(); }
  void maybeCheckout(Effects& fx, const TrackingStore& store, std::int64_t now);
  void checkAbandonment(Effects& fx, const TrackingStore& store, std::int64_t now, bool late);
  void touch(std::int64_t now);
  void onConsentChange(Effects& fx, std::int64_t now);
  nlohmann::json item(const TrackingStore& store, const std::string& productId, std::int64_t quantity) const;
  Result<nlohmann::json> cartItems(const TrackingStore& store, Minor& subtotal, std::int64_t& count) const;
  nlohmann::json saveState() const;
  nlohmann::json persistStore(bool closed, std::string_view storedHistory, std::int64_t now);
  void adoptPageHistories(Effects& fx, const nlohmann::json& stored);
  nlohmann::json closingPlan(std::int64_t now) const;
  void attachClosing(nlohmann::json& out, std::int64_t now);  // adds {closing} when the plan changed since last sent
  nlohmann::json beaconBatch(OutboxBatch batch) const;
  void restoreState(const nlohmann::json& state, std::int64_t now);
  nlohmann::json resumeLink(const TrackingStore& store, const std::string& step) const;
  std::int64_t idleMs() const noexcept;
  bool delivers(const std::string& name) const;
  std::string nextId();

  EventsOptions o_;
  Consent consent_;
  Outbox outbox_;
  PageRules pages_;
  LinkProvider linkProvider_;
  bool started_ = false;
  std::string pageId_;
  std::uint64_t seq_ = 0;
  PageUrl page_;
  std::string pageType_ = "other";
  Session session_;
  Journey journey_;
  std::int64_t lastActivity_ = 0;
  std::uint32_t closingSent_ = 0;  // checksum of the closing plan the page last received with effects
  std::int64_t activityStored_ = 0;  // lastActivity_ in the stored state
  bool stateDirty_ = false;
  bool historyDirty_ = false;
  // This page's records not yet in a stored history: written with every answer under history:<pageId> (so a
  // page that ends before its next persist loses none), merged into `history` by persist(), adopted by the
  // next page's start when the page never got that far.
  std::vector<std::string> unsavedIds_;
  bool unsavedDirty_ = false;
  bool afterPurchase_ = false;
  bool checkoutWanted_ = false;  // track('checkout-started') before the cart was there
  std::map<std::string, std::int64_t> lastSeen_;  // productId -> quantity at the last sync
  std::vector<std::string> recentOrders_;
  std::set<std::string> viewed_;  // view-item once per product per page
  std::vector<nlohmann::json> history_;
  std::unordered_set<std::string> setAsideIds_;  // damaged history records: never merged back in
  std::vector<nlohmann::json> pendingPushes_;  // dataLayer pushes waiting for consent
  std::set<std::string> savedOnClose_;  // outbox ids stored at pagehide, for reclaim()
};

}  // namespace cartkeep
