// The event stream itself: page start, the instance's events and the lifecycle API turned into records, the
// cart's journey (created, checkout, steps, abandonment, purchase), delivery, persistence and KPIs. Its options
// are in events_options.cpp, attribution in attribution.cpp, the GA4 mapping in ga4.cpp and the state a later
// page continues from in stream_state.cpp.
#include "events/events.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_set>

#include "base/crc32.hpp"
#include "base/json_fields.hpp"
#include "base/money.hpp"
#include "base/json_build.hpp"
#include "base/stable_sort.hpp"
#include "base/time_input.hpp"
#include "events/stream_fields.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;
using stream_fields::isStep;
using stream_fields::kRecentOrders;
using stream_fields::token;
using stream_fields::whole;

namespace {

// "history[12].data.value" -> 12: which stored record a KPI check refused.
bool historyRecordIndex(const std::string& path, std::size_t& index) {
  const std::string prefix = "history[";
  if (path.compare(0, prefix.size(), prefix) != 0) return false;
  std::size_t end = path.find(']', prefix.size());
  if (end == std::string::npos || end == prefix.size() || end - prefix.size() > 9) return false;
  index = 0;
  for (std::size_t i = prefix.size(); i < end; ++i) {
    if (path[i] < '0' || path[i] > '9') return false;
    index = index * 10 + static_cast<std::size_t>(path[i] - '0');
  }
  return true;
}

constexpr ErrorCode kEventsArg = ErrorCode::InvalidArgument;
constexpr std::int64_t kMinuteMs = 60000;
constexpr std::int64_t kAdoptOpenAfterMs = 24LL * 3600 * 1000;  // a page that never closed: crashed

// Events the stream itself delivers through the instance: the tap ignores them when they come back. The other
// stream names (exit-intent, risk, nudge-*, suggestion-impression, suggestion-click) are the instance's own events.
const std::unordered_set<std::string> kOwnEmits = {"page-view",     "page-timing",      "view-item",      "cart-created",
                                                   "add-to-cart",   "remove-from-cart", "checkout-started", "checkout-step",
                                                   "purchase",      "cart-abandoned",   "cart-restored",  "cart-resumed",
                                                   "suggestion-add", "consent-change"};

bool isOrderId(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':' || c == '#' || c == '/';
  });
}

bool isPageId(std::string_view text) {
  if (text.size() < 8 || text.size() > 32) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

}  // namespace

Tracking::Tracking(EventsOptions events, ConsentOptions consent, PageRules pages)
    : o_(std::move(events)), consent_(std::move(consent)), outbox_(o_.transport), pages_(std::move(pages)) {}

Status Tracking::needStarted() const {
  if (!started_) return Error{ErrorCode::NotInitialised, "", "the event stream has not started: call eventsStart first"};
  return success();
}

std::int64_t Tracking::idleMs() const noexcept { return static_cast<std::int64_t>(std::llround(o_.idleMinutes * kMinuteMs)); }

bool Tracking::delivers(const std::string& name) const {
  return std::find(o_.exclude.begin(), o_.exclude.end(), name) == o_.exclude.end();
}

std::string Tracking::nextId() { return pageId_ + "." + std::to_string(++seq_); }

void Tracking::touch(std::int64_t now) {
  lastActivity_ = std::max(lastActivity_, now);
  if (journey_.abandonedSinceActivity) stateDirty_ = true;
  journey_.abandonedSinceActivity = false;
  if (lastActivity_ - activityStored_ >= 30000) stateDirty_ = true;
}

json Tracking::item(const TrackingStore& store, const std::string& productId, std::int64_t quantity) const {
  const Product* p = store.catalog.find(productId);
  return jsonObject({{"productId", productId}, {"title", p ? p->title : std::string()}, {"quantity", quantity},
              {"unitPrice", p ? p->price : 0}});
}

Result<json> Tracking::cartItems(const TrackingStore& store, Minor& subtotal, std::int64_t& count) const {
  json items = json::array();
  subtotal = 0;
  count = 0;
  for (const auto& line : store.cart.lines()) {
    const Product* p = store.catalog.find(line.productId);
    if (!p) continue;
    auto total = checkedMul(p->price, line.quantity);
    auto sum = total ? checkedAdd(subtotal, *total) : std::nullopt;
    if (!sum || !isJsSafe(*sum)) return Error{ErrorCode::Overflow, "cart", "the cart total is beyond 2^53 - 1 minor units"};
    subtotal = *sum;
    count += line.quantity;
    items.push_back(jsonObject({{"productId", p->id}, {"title", p->title}, {"quantity", line.quantity}, {"unitPrice", p->price}}));
  }
  return items;
}

void Tracking::syncLines(const TrackingStore& store, bool authoritative) {
  lastSeen_.clear();
  std::vector<std::pair<std::string, std::int64_t>> lines;
  for (const auto& line : store.cart.lines()) {
    lastSeen_[line.productId] = line.quantity;
    lines.emplace_back(line.productId, line.quantity);
  }
  // An empty cart outside a shopper's change is a page that has not loaded it yet: keep the last lines.
  if (!journey_.id.empty() && lines != journey_.lines && (authoritative || !lines.empty())) {
    journey_.lines = std::move(lines);
    stateDirty_ = true;
  }
}

json& Tracking::record(Effects& fx, const TrackingStore& store, const std::string& name, json data, std::int64_t now,
                       bool cartScoped, bool emit, bool activity) {
  json r = jsonObject({{"id", nextId()}, {"name", name}, {"time", now}, {"session", session_.id}});
  if (cartScoped && !journey_.id.empty()) r["cart"] = journey_.id;
  r["data"] = std::move(data);
  if (activity) touch(now);
  if (delivers(name)) {
    if (consent_.mayQueue() && !o_.transport.endpoint.empty())
      outbox_.add(r["id"].get<std::string>(), now, r.dump(-1, ' ', false, json::error_handler_t::replace),
                  name == "purchase" || name == "cart-abandoned", now);
    if (!o_.dataLayer.empty() && consent_.state() != ConsentState::Denied) ga4(fx, store, r);
  }
  if (emit) {
    json detail = r["data"];
    detail["id"] = r["id"];
    detail["time"] = now;
    detail["cart"] = r.contains("cart") ? r["cart"] : json(nullptr);
    fx.emit.push_back(jsonObject({{"name", name}, {"detail", std::move(detail)}}));
  }
  unsavedIds_.push_back(r["id"].get<std::string>());
  unsavedDirty_ = true;
  history_.push_back(std::move(r));
  keepNewest(history_, static_cast<std::size_t>(o_.historyCap));
  historyDirty_ = true;
  return history_.back();
}

bool Tracking::viewItem(Effects& fx, const TrackingStore& store, const std::string& productId, std::int64_t now) {
  const Product* p = store.catalog.find(productId);
  if (!p || !viewed_.insert(productId).second) return false;
  record(fx, store, "view-item",
         jsonObject({{"currency", store.options.currency}, {"value", p->price}, {"items", json::array({item(store, productId, 1)})}}),
         now, true, true);
  return true;
}

void Tracking::startCart(Effects& fx, const TrackingStore& store, std::int64_t now, bool restored) {
  journey_ = Journey{};
  journey_.id = "c" + pageId_ + "." + std::to_string(++seq_);
  journey_.createdAt = now;
  journey_.pages = 1;
  journey_.source = session_.source.is_object() ? session_.source : jsonObject({{"source", "direct"}, {"medium", "none"}, {"campaign", ""}});
  afterPurchase_ = false;
  stateDirty_ = true;
  record(fx, store, "cart-created", jsonObject({{"restored", restored}, {"source", journey_.source}}), now, true, true);
}

void Tracking::endCart() {
  journey_ = Journey{};
  checkoutWanted_ = false;
  stateDirty_ = true;
}

void Tracking::maybeCheckout(Effects& fx, const TrackingStore& store, std::int64_t now) {
  if (journey_.id.empty() || journey_.checkout || cartEmpty(store)) return;
  if (!checkoutWanted_ && !(o_.autoCheckout && pageType_ == "checkout")) return;
  Minor subtotal = 0;
  std::int64_t count = 0;
  auto items = cartItems(store, subtotal, count);
  if (!items) return;
  journey_.checkout = true;
  journey_.checkoutAt = now;
  checkoutWanted_ = false;
  stateDirty_ = true;
  record(fx, store, "checkout-started",
         jsonObject({{"currency", store.options.currency}, {"value", subtotal}, {"count", count}, {"items", std::move(items.value())},
              {"sinceCartMs", std::max<std::int64_t>(0, now - journey_.createdAt)}, {"pages", journey_.pages}}),
         now, true, true);
}

json Tracking::resumeLink(const TrackingStore& store, const std::string& step) const {
  if (!linkProvider_ || cartEmpty(store)) return nullptr;
  json made = linkProvider_(store, step);
  if (!made.is_object() || !made.contains("value") || !made["value"].is_string()) return nullptr;
  std::string base = o_.resumeUrl;
  if (base.empty()) base = made.value("url", std::string());
  if (base.empty()) base = page_.path;
  // An e-mail or WhatsApp flow needs an absolute link: "cart.html" and "./cart.html" are relative to this page.
  const bool absolute = base.rfind("https://", 0) == 0 || base.rfind("http://", 0) == 0;
  if (!absolute && base.rfind("/", 0) != 0) {
    if (base.rfind("./", 0) == 0) base = base.substr(2);
    base = page_.path.substr(0, page_.path.rfind('/') + 1) + base;
  }
  if (base.rfind("//", 0) == 0 && !page_.origin.empty()) {
    base = page_.origin.substr(0, page_.origin.find(':') + 1) + base;  // protocol-relative: this page's scheme
  } else if (base.rfind("/", 0) == 0 && !page_.origin.empty()) {
    base = page_.origin + base;
  }
  const std::string param = made.value("param", std::string("cartkeep"));
  const std::string separator = base.find('?') == std::string::npos ? "?" : "&";
  return jsonObject({{"url", base + separator + param + "=" + made["value"].get<std::string>()}, {"value", made["value"]}});
}

void Tracking::checkAbandonment(Effects& fx, const TrackingStore& store, std::int64_t now, bool late) {
  if (journey_.id.empty() || journey_.abandonedSinceActivity || lastActivity_ <= 0) return;
  if (now - lastActivity_ < idleMs()) return;
  if (cartEmpty(store) && !late) return;
  const std::string& currency = store.options.currency;
  json items = json::array();
  Minor subtotal = 0;
  std::int64_t count = 0;
  if (!cartEmpty(store)) {
    auto made = cartItems(store, subtotal, count);
    if (!made) return;
    items = std::move(made.value());
  } else {
    // The page has not loaded the cart yet: the lines last seen, priced from the catalog now.
    for (const auto& [id, quantity] : journey_.lines) {
      const Product* p = store.catalog.find(id);
      if (!p || quantity <= 0) continue;
      auto total = checkedMul(p->price, quantity);
      auto sum = total ? checkedAdd(subtotal, *total) : std::nullopt;
      if (!sum || !isJsSafe(*sum)) return;
      subtotal = *sum;
      count += quantity;
      items.push_back(jsonObject({{"productId", p->id}, {"title", p->title}, {"quantity", quantity}, {"unitPrice", p->price}}));
    }
  }
  if (items.empty()) return;
  const std::string stage = journey_.checkout ? "checkout" : "cart";
  const std::string step = journey_.steps.empty() ? stage : journey_.steps.back();
  json link = resumeLink(store, journey_.checkout ? step : "cart");
  journey_.abandonedSinceActivity = true;
  ++journey_.abandonments;
  stateDirty_ = true;
  json data = jsonObject({{"idleMs", now - lastActivity_},
            {"lastActivity", lastActivity_},
            {"stage", stage},
            {"step", journey_.steps.empty() ? json(nullptr) : json(journey_.steps.back())},
            {"currency", currency},
            {"count", count},
            {"subtotal", subtotal},
            {"items", std::move(items)},
            {"resumeLink", link.is_object() ? link["url"] : json(nullptr)},
            {"resumeLinkStatus", link.is_object() ? "ok" : linkProvider_ ? "unavailable" : "pending"},
            {"late", late},
            {"occurrence", journey_.abandonments}});
  record(fx, store, "cart-abandoned", std::move(data), now, true, true, false);
}

void Tracking::adoptPageHistories(Effects& fx, const json& stored) {
  auto boxes = stored.find("histories");
  if (boxes == stored.end() || !boxes->is_array() || !o_.history) return;
  std::unordered_set<std::string> ids;
  for (const auto& r : history_) ids.insert(r.value("id", std::string()));
  for (const auto& box : *boxes) {
    if (!box.is_object() || !box.contains("key") || !box["key"].is_string() || !box.contains("text") || !box["text"].is_string()) continue;
    const std::string& key = box["key"].get_ref<const std::string&>();
    if (key.rfind("history:", 0) != 0 || key == "history:" + pageId_) continue;
    auto parsed = jf::parse(box["text"].get_ref<const std::string&>(), "history");
    if (parsed && parsed.value().is_array()) {
      for (auto& r : parsed.value())
        if (r.is_object() && r.contains("id") && r["id"].is_string() && r.contains("time") && r["time"].is_number() &&
            ids.insert(r["id"].get<std::string>()).second) {
          history_.push_back(std::move(r));
          historyDirty_ = true;
        }
    }
    fx.store[key] = nullptr;  // in this page's history now (or damaged): the next persist stores it
  }
  stableSort(history_, [](const json& a, const json& b) { return a.value("time", 0.0) < b.value("time", 0.0); });
  keepNewest(history_, static_cast<std::size_t>(o_.historyCap));
}

json Tracking::finish(Effects& fx, const TrackingStore* store, std::int64_t now) {
  if (stateDirty_ && consent_.mayStore()) {
    fx.store["state"] = saveState().dump();
    activityStored_ = lastActivity_;
    stateDirty_ = false;
  }
  if (unsavedDirty_ && started_ && o_.history && consent_.mayStore()) {
    const std::unordered_set<std::string> unsaved(unsavedIds_.begin(), unsavedIds_.end());
    json records = json::array();
    for (const auto& r : history_)
      if (unsaved.count(r.value("id", std::string()))) records.push_back(r);
    fx.store["history:" + pageId_] =
        records.empty() ? json(nullptr) : json(records.dump(-1, ' ', false, json::error_handler_t::replace));
    unsavedDirty_ = false;
  }
  json out = jsonObject({{"emit", std::move(fx.emit)}, {"dataLayer", std::move(fx.dataLayer)}, {"store", std::move(fx.store)}});
  if (fx.clearStorage) out["clearStorage"] = true;
  auto flush = consent_.maySend() ? outbox_.nextFlush(now) : std::nullopt;
  out["flushAt"] = flush ? json(*flush) : json(nullptr);
  const bool hasCart = store ? !cartEmpty(*store) : !journey_.lines.empty();
  if (started_ && !journey_.id.empty() && hasCart && !journey_.abandonedSinceActivity && lastActivity_ > 0)
    out["deadline"] = lastActivity_ + idleMs();
  else
    out["deadline"] = nullptr;
  if (fx.consentChanged) out["consent"] = consent_.toJson();
  attachClosing(out, now);
  return out;
}

// The plan rides with the answer that changed it (an action, a batch sent, a batch's outcome): the page may end
// the moment that answer is in, before any other question could come back from a worker. The queue (which of it
// is in flight included) and the consent decide the plan, its times aside, so their checksum says when it changed.
void Tracking::attachClosing(json& out, std::int64_t now) {
  if (!started_) return;
  const std::uint32_t sum = crc32(outbox_.save(0, true).dump() + "#" + std::to_string(outbox_.inFlight()) +
                                  (consent_.maySend() ? "+send" : "") + (consent_.mayStore() ? "+store" : ""));
  if (sum == closingSent_) return;
  closingSent_ = sum;
  out["closing"] = closingPlan(now);
}

void Tracking::onConsentChange(Effects& fx, std::int64_t now) {
  fx.consentChanged = true;
  const ConsentState state = consent_.state();
  if (state == ConsentState::Granted) {
    for (auto& push : pendingPushes_) fx.dataLayer.push_back(std::move(push));
    pendingPushes_.clear();
    stateDirty_ = true;
    historyDirty_ = true;
    json remembered = consent_.remembered();
    fx.store["consent"] = remembered.is_null() ? json(nullptr) : json(remembered.dump());
  } else {
    // Denied, or back to waiting: nothing stays stored; a denial also drops everything queued.
    if (state == ConsentState::Denied) {
      outbox_.clear();
      pendingPushes_.clear();
    }
    fx.clearStorage = true;
  }
  (void)now;
  fx.emit.push_back(jsonObject({{"name", "consent-change"}, {"detail", jsonObject({{"state", consentStateId(state)}, {"source", consent_.source()}})}}));
}

Result<json> Tracking::start(const TrackingStore& store, const json& info) {
  jf::Fields fields(kEventsArg);
  if (started_) return jf::invalid(kEventsArg, "start", "the event stream has already started");
  CARTKEEP_TRY(jf::expectObject(info, "start", kEventsArg));
  CARTKEEP_TRY_ASSIGN(std::string pageId, jf::readString(info, "pageId", "start", kEventsArg, {true, 8, 32}));
  if (!isPageId(pageId)) return jf::invalid(kEventsArg, "start.pageId", "expected 8 to 32 characters a-z 0-9");
  auto nowField = info.find("now");
  if (nowField == info.end() || !nowField->is_number())
    return jf::invalid(kEventsArg, "start.now", "required, expected the wall clock in ms");
  CARTKEEP_TRY_ASSIGN(const std::int64_t now, readTimeMs(nowField->get<double>(), "start.now"));
  std::string url;
  std::string referrer;
  std::string declared;
  bool gpc{};
  fields.string(info, "url", "start", url, {false, 0, 8000});
  fields.string(info, "referrer", "start", referrer, {false, 0, 8000});
  fields.string(info, "pageType", "start", declared, {false, 0, 32});
  fields.boolean(info, "gpc", "start", gpc, false);
  CARTKEEP_TRY(fields.status());

  pageId_ = pageId;
  outbox_.setPageId(pageId_);
  page_ = parsePageUrl(url);
  pageType_ = pageTypeId(classifyPage(pages_, page_.path, declared));
  started_ = true;
  Effects fx;
  consent_.setGpc(gpc);
  const json empty = json::object();
  const json& stored = info.contains("stored") && info["stored"].is_object() ? info["stored"] : empty;
  auto parsedText = [&](const char* key) -> json {
    auto found = stored.find(key);
    if (found == stored.end() || !found->is_string()) return nullptr;
    auto parsed = jf::parse(found->get_ref<const std::string&>(), key);
    return parsed ? parsed.value() : json(nullptr);
  };
  consent_.restoreRemembered(parsedText("consent"), now);
  if (consent_.mayStore()) {
    restoreState(parsedText("state"), now);
    json hist = parsedText("history");
    if (hist.is_array() && o_.history)
      for (auto& r : hist)
        if (r.is_object() && r.contains("id") && history_.size() < static_cast<std::size_t>(o_.historyCap)) history_.push_back(std::move(r));
    if (auto boxes = stored.find("outboxes"); boxes != stored.end() && boxes->is_array()) {
      for (const auto& box : *boxes) {
        if (!box.is_object() || !box.contains("key") || !box["key"].is_string() || !box.contains("text") || !box["text"].is_string()) continue;
        const std::string& key = box["key"].get_ref<const std::string&>();
        if (key == "outbox:" + pageId_) continue;
        auto parsed = jf::parse(box["text"].get_ref<const std::string&>(), "outbox");
        if (!parsed) {
          fx.store[key] = nullptr;  // damaged: nothing to adopt
          continue;
        }
        const json& o = parsed.value();
        const bool closed = o.is_object() && o.value("closed", false);
        const std::int64_t updated = o.is_object() && o.contains("updatedAt") && o["updatedAt"].is_number() ? whole(o["updatedAt"].get<double>()) : 0;
        if (!closed && now - updated < kAdoptOpenAfterMs) continue;  // its page may still be open
        if (!o_.transport.endpoint.empty()) outbox_.adopt(o, now);
        fx.store[key] = nullptr;
      }
    }
    adoptPageHistories(fx, stored);
  } else if (consent_.state() == ConsentState::Denied) {
    fx.clearStorage = true;  // stored by an earlier page, before GPC or a denial: not kept
  }

  // A cart left longer than the idle time on an earlier page is abandoned; the shopper is back now.
  checkAbandonment(fx, store, now, true);

  // Session: continued within sessionMinutes of the last activity, unless a campaign click starts a new one.
  const json source = trafficSource(page_, referrer);
  const bool campaign = page_.query.count("utm_source") || page_.query.count("gclid");
  const bool fresh = session_.id.empty() || lastActivity_ <= 0 ||
                     now - lastActivity_ >= static_cast<std::int64_t>(o_.sessionMinutes * kMinuteMs) ||
                     (campaign && session_.source != source);
  if (fresh) {
    session_ = Session{"s" + pageId_, now, source};
    stateDirty_ = true;
  }
  if (!journey_.id.empty()) {
    ++journey_.pages;
    stateDirty_ = true;
  }
  json view = jsonObject({{"path", page_.path}, {"type", pageType_}, {"landing", fresh}});
  if (fresh) view["source"] = source;
  record(fx, store, "page-view", std::move(view), now, true, true);

  // The cart as this page sees it; a cart without a journey (restored before consent) starts one.
  if (!cartEmpty(store) && journey_.id.empty() && !afterPurchase_) startCart(fx, store, now, true);
  syncLines(store);
  if (o_.autoViewItem && pageType_ == "product") {
    auto param = page_.query.find(pages_.productParam);
    if (param != page_.query.end()) viewItem(fx, store, param->second, now);
  }
  maybeCheckout(fx, store, now);
  return finish(fx, &store, now);
}

Result<json> Tracking::observe(const TrackingStore& store, std::string_view name, const json& detail, double nowMs,
                               double responseMs) {
  json events = json::array();
  events.push_back(jsonPair(std::string(name), detail));
  return observeAll(store, events, nowMs, responseMs);
}

Result<json> Tracking::observeAll(const TrackingStore& store, const json& events, double nowMs, double responseMs) {
  CARTKEEP_TRY(needStarted());
  CARTKEEP_TRY_ASSIGN(const std::int64_t now, readTimeMs(nowMs, "now"));
  Effects fx;
  for (std::size_t i = 0; i < events.size(); ++i)
    observeInto(fx, store, events[i][0].get_ref<const std::string&>(), events[i][1], now, i == 0 ? responseMs : -1);
  return finish(fx, &store, now);
}

void Tracking::observeInto(Effects& fx, const TrackingStore& store, const std::string& n, const json& detail, std::int64_t now,
                           double responseMs) {
  if (kOwnEmits.count(n)) return;
  const json empty = json::object();
  const json& d = detail.is_object() ? detail : empty;
  auto text = [&](const char* key) { return token(d.contains(key) ? d[key] : json(nullptr)); };
  auto ensureCart = [&]() {
    if (!cartEmpty(store) && journey_.id.empty() && !afterPurchase_) startCart(fx, store, now, true);
  };

  if (n == "cart-change") {
    const std::string action = d.value("action", std::string());
    const std::string productId = d.contains("productId") && d["productId"].is_string() ? d["productId"].get<std::string>() : std::string();
    std::map<std::string, std::int64_t> current;
    for (const auto& line : store.cart.lines()) current[line.productId] = line.quantity;
    if (afterPurchase_) {
      if (current.empty() || action != "add") {
        if (current.empty()) afterPurchase_ = false, stateDirty_ = true;
        syncLines(store, true);
        return;
      }
      afterPurchase_ = false;  // an add after a purchase starts a new cart
    }
    std::vector<std::pair<std::string, std::int64_t>> deltas;
    if (action == "clear") {
      for (const auto& [id, q] : lastSeen_) deltas.emplace_back(id, -q);
    } else if (!productId.empty() && (action == "add" || action == "set-quantity" || action == "remove")) {
      const std::int64_t before = lastSeen_.count(productId) ? lastSeen_[productId] : 0;
      const std::int64_t after = current.count(productId) ? current[productId] : 0;
      if (after != before) deltas.emplace_back(productId, after - before);
    }
    if (!current.empty() && journey_.id.empty()) {
      // Restored: the cart held more than this change put in it (a cart loaded without an event).
      std::int64_t units = 0, added = 0;
      for (const auto& [id, q] : current) units += q;
      for (const auto& [id, delta] : deltas) added += delta > 0 ? delta : 0;
      startCart(fx, store, now, units > added);
    }
    bool first = true;
    for (const auto& [id, delta] : deltas) {
      const Product* p = store.catalog.find(id);
      const Minor price = p ? p->price : 0;
      const std::int64_t units = delta > 0 ? delta : -delta;
      auto value = checkedMul(price, units);
      json data = jsonObject({{"currency", store.options.currency}, {"value", value && isJsSafe(*value) ? *value : 0},
                {"items", json::array({item(store, id, units)})}});
      if (delta > 0 && first && responseMs >= 0 && responseMs < 600000) data["responseMs"] = std::llround(responseMs);
      record(fx, store, delta > 0 ? "add-to-cart" : "remove-from-cart", std::move(data), now, true, true);
      first = false;
    }
    syncLines(store, true);
    if (current.empty() && !journey_.id.empty()) endCart();  // emptied: the next add starts a new cart
    maybeCheckout(fx, store, now);
    return;
  }

  ensureCart();
  if (n == "exit-intent") {
    record(fx, store, "exit-intent", jsonObject({{"reason", text("reason")}, {"page", text("page")}}), now, true, false);
  } else if (n == "risk") {
    json reasons = json::array();
    if (d.contains("reasons") && d["reasons"].is_array())
      for (const auto& r : d["reasons"]) {
        if (reasons.size() >= 3) break;
        std::string signal = r.is_object() ? token(r.value("signal", json(nullptr))) : token(r);
        if (!signal.empty()) reasons.push_back(signal);
      }
    double score = d.contains("score") && d["score"].is_number() ? d["score"].get<double>() : 0;
    score = std::isfinite(score) ? std::clamp(std::round(score * 1000) / 1000, 0.0, 1.0) : 0;
    record(fx, store, "risk", jsonObject({{"score", score}, {"reasons", reasons}}), now, true, false);
  } else if (n == "nudge" || n == "nudge-shown" || n == "nudge-held-out" || n == "nudge-holdout") {
    const bool heldOut = n == "nudge-held-out" || n == "nudge-holdout" ||
                         (d.contains("heldOut") && d["heldOut"].is_boolean() && d["heldOut"].get<bool>());
    std::string offer = d.contains("offer") && d["offer"].is_object() ? token(d["offer"].value("type", json(nullptr))) : text("offer");
    record(fx, store, "nudge-shown",
           jsonObject({{"nudge", text("id")}, {"rule", text("rule")}, {"offer", offer}, {"trigger", text("trigger")}, {"heldOut", heldOut}}),
           now, true, false);
  } else if (n == "nudge-accepted" || n == "nudge-dismissed" || n == "nudge-outcome") {
    std::string outcome = n == "nudge-outcome" ? text("outcome") : n.substr(6);
    if (outcome == "accepted" || outcome == "dismissed")
      record(fx, store, "nudge-" + outcome, jsonObject({{"nudge", text("id")}, {"rule", text("rule")}}), now, true, false);
  } else if (n == "restore" || n == "cart-restore" || n == "cart-restored" || n == "persistence-restore") {
    const std::string status = text("status");
    // Persistence loads the saved cart on every page; only a return after its returningAfterMinutes is a restore.
    const bool sameVisit = d.contains("returning") && d["returning"] == false;
    if (!cartEmpty(store) && !sameVisit && (status.empty() || status == "restored"))
      record(fx, store, "cart-restored", jsonObject({{"status", status.empty() ? "restored" : status}, {"count", store.cart.count()},
                                               {"notices", d.contains("notices") && d["notices"].is_array() ? d["notices"].size() : 0}}),
             now, true, true);
  } else if (n == "resume" || n == "cart-resume" || n == "cart-resumed" || n == "resume-link" || n == "link-applied") {
    if (d.contains("ok") && d["ok"] == false) return;  // a link that could not be read
    record(fx, store, "cart-resumed", jsonObject({{"format", text("format")}, {"step", text("step")}, {"count", store.cart.count()}}), now,
           true, true);
  } else if (n == "suggestion-impression" || n == "suggestions-impression" || n == "suggestion-impressions" ||
             n == "suggestion-view") {
    json ids = json::array();
    auto take = [&](const json& v) {
      const json& id = v.is_object() ? v.value("productId", json(nullptr)) : v;
      if (id.is_string() && ids.size() < 24 && store.catalog.find(id.get_ref<const std::string&>())) ids.push_back(id);
    };
    for (const char* key : {"productIds", "items", "suggestions"})
      if (d.contains(key) && d[key].is_array())
        for (const auto& v : d[key]) take(v);
    if (d.contains("productId")) take(d["productId"]);
    record(fx, store, "suggestion-impression", jsonObject({{"placement", text("placement")}, {"productIds", ids}}), now, true, false);
  } else if (n == "suggestion-click") {
    std::string id = d.contains("productId") && d["productId"].is_string() && store.catalog.find(d["productId"].get_ref<const std::string&>())
                         ? d["productId"].get<std::string>()
                         : std::string();
    json data = jsonObject({{"placement", text("placement")}, {"productId", id.empty() ? json(nullptr) : json(id)}});
    if (d.contains("position") && d["position"].is_number_integer()) data["position"] = d["position"];
    // The carousel's add button reports a click with action "add": the stream calls that suggestion-add.
    const bool add = d.value("action", json(nullptr)) == "add";
    record(fx, store, add ? "suggestion-add" : "suggestion-click", std::move(data), now, true, add);
  }
  syncLines(store);
  maybeCheckout(fx, store, now);
  }

Result<json> Tracking::track(const TrackingStore& store, std::string_view nameView, const json& detail, double nowMs) {
  jf::Fields fields(kEventsArg);
  CARTKEEP_TRY(needStarted());
  CARTKEEP_TRY_ASSIGN(const std::int64_t now, readTimeMs(nowMs, "now"));
  const std::string name(nameView);
  const json empty = json::object();
  if (!detail.is_null()) CARTKEEP_TRY(jf::expectObject(detail, name, kEventsArg));
  const json& d = detail.is_object() ? detail : empty;
  Effects fx;
  if (name == "view-item") {
    CARTKEEP_TRY(jf::rejectUnknownKeys(d, name, kEventsArg, {"productId"}));
    CARTKEEP_TRY_ASSIGN(std::string productId, jf::readString(d, "productId", name, kEventsArg, {true, 1, 64}));
    if (!store.catalog.find(productId))
      return jf::invalid(ErrorCode::UnknownProduct, "view-item.productId", "no product " + json(productId).dump() + " in the catalog");
    const bool recorded = viewItem(fx, store, productId, now);
    json out = finish(fx, &store, now);
    if (!recorded) out["ignored"] = "already-viewed";
    return out;
  }
  if (name == "checkout-started") {
    CARTKEEP_TRY(jf::rejectUnknownKeys(d, name, kEventsArg, {}));
    if (!cartEmpty(store) && journey_.id.empty() && !afterPurchase_) startCart(fx, store, now, true);
    checkoutWanted_ = true;  // an empty cart (not loaded yet) starts checkout as soon as it has lines
    maybeCheckout(fx, store, now);
    return finish(fx, &store, now);
  }
  if (name == "checkout-step") {
    CARTKEEP_TRY(jf::rejectUnknownKeys(d, name, kEventsArg, {"step", "index"}));
    CARTKEEP_TRY_ASSIGN(std::string step, jf::readString(d, "step", name, kEventsArg, {true, 1, 32}));
    if (!isStep(step))
      return jf::invalid(kEventsArg, "checkout-step.step", "expected 1 to 32 characters a-z 0-9 -, " + jf::describeValue(d["step"]));
    CARTKEEP_TRY_ASSIGN(auto index, jf::readOptionalInteger(d, "index", name, kEventsArg, {false, 1, 50}));
    if (!cartEmpty(store) && journey_.id.empty() && !afterPurchase_) startCart(fx, store, now, true);
    if (journey_.id.empty() || cartEmpty(store)) {
      json out = finish(fx, &store, now);
      out["ignored"] = "empty-cart";
      return out;
    }
    checkoutWanted_ = true;
    maybeCheckout(fx, store, now);
    if (std::find(journey_.steps.begin(), journey_.steps.end(), step) != journey_.steps.end()) {
      touch(now);
      json out = finish(fx, &store, now);
      out["ignored"] = "step-seen";
      return out;
    }
    journey_.steps.push_back(step);
    stateDirty_ = true;
    if (!index) {
      auto listed = std::find(o_.checkoutSteps.begin(), o_.checkoutSteps.end(), step);
      if (listed != o_.checkoutSteps.end()) index = static_cast<std::int64_t>(listed - o_.checkoutSteps.begin()) + 1;
    }
    record(fx, store, "checkout-step",
           jsonObject({{"step", step}, {"index", index ? json(*index) : json(nullptr)},
                {"sinceCheckoutMs", std::max<std::int64_t>(0, now - journey_.checkoutAt)}}),
           now, true, true);
    return finish(fx, &store, now);
  }
  if (name == "purchase") {
    CARTKEEP_TRY(jf::rejectUnknownKeys(d, name, kEventsArg, {"orderId", "value", "shipping", "tax", "discount", "coupon", "currency"}));
    CARTKEEP_TRY_ASSIGN(std::string orderId, jf::readString(d, "orderId", name, kEventsArg, {true, 1, 200}));
    if (!isOrderId(orderId))
      return jf::invalid(kEventsArg, "purchase.orderId",
                         "expected an order reference of 1 to 64 characters A-Z a-z 0-9 - _ . : # / (never personal data), " +
                             jf::describeValue(d["orderId"]));
    CARTKEEP_TRY_ASSIGN(std::string currency, jf::readString(d, "currency", name, kEventsArg, {false, 0, 8}, store.options.currency));
    if (currency != store.options.currency)
      return jf::invalid(kEventsArg, "purchase.currency", "expected the store currency " + json(store.options.currency).dump() + ", " +
                                                        jf::describeValue(d["currency"]));
    const jf::IntegerRule money{false, 0, kMaxJsSafeMinor, "expected a non-negative integer amount in minor units"};
    CARTKEEP_TRY_ASSIGN(auto value, jf::readOptionalInteger(d, "value", name, kEventsArg, money));
    std::int64_t shipping{};
    std::int64_t tax{};
    std::int64_t discount{};
    std::string coupon;
    fields.integer(d, "shipping", name, shipping, money, 0);
    fields.integer(d, "tax", name, tax, money, 0);
    fields.integer(d, "discount", name, discount, money, 0);
    fields.string(d, "coupon", name, coupon, {false, 0, 64});
    CARTKEEP_TRY(fields.status());
    if (!isCouponCode(coupon))
      return jf::invalid(kEventsArg, "purchase.coupon", "expected up to 64 characters A-Z a-z 0-9 _ -, " + jf::describeValue(d["coupon"]));
    if (std::find(recentOrders_.begin(), recentOrders_.end(), orderId) != recentOrders_.end()) {
      json out = finish(fx, &store, now);
      out["ignored"] = "duplicate-order";  // a reloaded confirmation page
      return out;
    }
    Minor subtotal = 0;
    std::int64_t count = 0;
    CARTKEEP_TRY_ASSIGN(json items, cartItems(store, subtotal, count));
    if (!value) {
      if (items.empty())
        return jf::invalid(kEventsArg, "purchase.value", "required when the cart is empty (the order total in minor units)");
      auto total = checkedAdd(subtotal, shipping);
      total = total ? checkedAdd(*total, tax) : std::nullopt;
      total = total ? checkedSub(*total, discount) : std::nullopt;
      if (!total || !isJsSafe(*total) || *total < 0)
        return jf::invalid(ErrorCode::Overflow, "purchase.value", "subtotal + shipping + tax - discount is out of range");
      value = *total;
    }
    if (!items.empty() && journey_.id.empty() && !afterPurchase_) startCart(fx, store, now, true);
    recentOrders_.push_back(orderId);
    keepNewest(recentOrders_, kRecentOrders);
    json data = jsonObject({{"orderId", orderId},   {"currency", currency}, {"value", *value},  {"subtotal", subtotal},
              {"shipping", shipping}, {"tax", tax},           {"discount", discount}});
    if (!coupon.empty()) data["coupon"] = coupon;
    data["count"] = count;
    data["items"] = std::move(items);
    data["pages"] = journey_.id.empty() ? json(nullptr) : json(journey_.pages);
    data["steps"] = journey_.id.empty() ? json(nullptr) : json(journey_.steps.size());
    data["sinceCartMs"] = journey_.id.empty() ? json(nullptr) : json(std::max<std::int64_t>(0, now - journey_.createdAt));
    data["recovered"] = journey_.abandonments > 0;
    record(fx, store, "purchase", std::move(data), now, true, true);
    endCart();
    afterPurchase_ = !cartEmpty(store);
    syncLines(store, true);
    return finish(fx, &store, now);
  }
  return jf::invalid(kEventsArg, "name",
                     "unknown event " + json(name).dump() +
                         " (instance.track takes \"view-item\", \"checkout-started\", \"checkout-step\" or \"purchase\")");
}

Result<json> Tracking::pageTiming(const TrackingStore& store, const json& timing, double nowMs) {
  CARTKEEP_TRY(needStarted());
  CARTKEEP_TRY_ASSIGN(const std::int64_t now, readTimeMs(nowMs, "now"));
  Effects fx;
  CARTKEEP_TRY(jf::expectObject(timing, "timing", kEventsArg));
  if (pageType_ != "checkout" && pageType_ != "cart") return finish(fx, &store, now);
  json data = jsonObject({{"type", pageType_}});
  for (const char* key : {"loadMs", "domContentLoadedMs", "ttfbMs"}) {
    auto f = timing.find(key);
    if (f != timing.end() && f->is_number() && std::isfinite(f->get<double>()) && f->get<double>() >= 0 && f->get<double>() < 600000)
      data[key] = std::llround(f->get<double>());
  }
  if (!data.contains("loadMs")) return finish(fx, &store, now);
  record(fx, store, "page-timing", std::move(data), now, false, true, false);
  return finish(fx, &store, now);
}

Result<json> Tracking::activity(const TrackingStore& store, double nowMs) {
  CARTKEEP_TRY(needStarted());
  CARTKEEP_TRY_ASSIGN(const std::int64_t now, readTimeMs(nowMs, "now"));
  Effects fx;
  // A cart already left too long is abandoned before the shopper's return counts as activity.
  checkAbandonment(fx, store, now, false);
  touch(now);
  return finish(fx, &store, now);
}

Result<json> Tracking::tick(const TrackingStore& store, double nowMs) {
  CARTKEEP_TRY(needStarted());
  CARTKEEP_TRY_ASSIGN(const std::int64_t now, readTimeMs(nowMs, "now"));
  Effects fx;
  checkAbandonment(fx, store, now, false);
  return finish(fx, &store, now);
}

Result<json> Tracking::setConsent(std::string_view choice, std::string_view source, double nowMs) {
  CARTKEEP_TRY_ASSIGN(const std::int64_t now, readTimeMs(nowMs, "now"));
  Effects fx;
  CARTKEEP_TRY_ASSIGN(bool changed, consent_.set(choice, source, now));
  if (changed) onConsentChange(fx, now);
  else if (source == "api" && consent_.state() == ConsentState::Granted) fx.store["consent"] = consent_.remembered().is_null() ? json(nullptr) : json(consent_.remembered().dump());
  return finish(fx, nullptr, now);
}

Result<json> Tracking::next(double nowMs, std::string_view reason) {
  CARTKEEP_TRY_ASSIGN(const std::int64_t now, readTimeMs(nowMs, "now"));
  FlushReason why;
  if (reason == "timer") why = FlushReason::Timer;
  else if (reason == "now") why = FlushReason::Now;
  else if (reason == "pagehide") why = FlushReason::Pagehide;
  else return jf::invalid(kEventsArg, "reason", "expected \"timer\", \"now\" or \"pagehide\"");
  json batches = json::array();
  if (started_ && consent_.maySend()) {
    for (auto& b : outbox_.take(now, why)) batches.push_back(beaconBatch(std::move(b)));
  }
  auto flush = consent_.maySend() ? outbox_.nextFlush(now) : std::nullopt;
  json out = jsonObject({{"batches", std::move(batches)}, {"flushAt", flush ? json(*flush) : json(nullptr)}});
  attachClosing(out, now);
  return out;
}

Result<json> Tracking::result(std::string_view batchId, double status, double retryAfterMs, double nowMs) {
  CARTKEEP_TRY_ASSIGN(const std::int64_t now, readTimeMs(nowMs, "now"));
  const int code = std::isfinite(status) && status >= -1 && status < 1000 ? static_cast<int>(status) : 0;
  const std::int64_t retryAfter = std::isfinite(retryAfterMs) && retryAfterMs > 0 ? std::min<std::int64_t>(whole(retryAfterMs), 86400000) : 0;
  const std::string outcome = outbox_.result(batchId, code, retryAfter, now);
  json out = jsonObject({{"outcome", outcome}, {"store", json::object()}});
  // A failure is stored at once, so the events survive the page even if it is killed; a delivery rewrites (or
  // removes) that copy, so a page killed later never leaves delivered events for the next page to send again.
  if ((outcome == "retry" || outcome == "dropped" || outcome == "delivered") && consent_.mayStore() && code != -1) {
    out["store"]["outbox:" + pageId_] = outbox_.size() ? json(outbox_.save(now, false).dump()) : json(nullptr);
  }
  auto flush = consent_.maySend() ? outbox_.nextFlush(now) : std::nullopt;
  out["flushAt"] = flush ? json(*flush) : json(nullptr);
  attachClosing(out, now);
  return out;
}

json Tracking::beaconBatch(OutboxBatch batch) const {
  return jsonObject({{"id", batch.id}, {"method", batch.method}, {"endpoint", o_.transport.endpoint}, {"body", std::move(batch.body)},
                     {"count", batch.eventIds.size()}});
}

json Tracking::closingPlan(std::int64_t now) const {
  const std::string key = "outbox:" + pageId_;
  Outbox afterBeacons = outbox_;  // a what-if: this page's own queue is left as it is
  json beacons = json::array();
  if (consent_.maySend()) {
    for (auto& b : afterBeacons.take(now, FlushReason::Pagehide)) {
      afterBeacons.result(b.id, 202, 0, now);
      beacons.push_back(beaconBatch(std::move(b)));
    }
  }
  json store = json::object();
  json storeIfSent = json::object();
  if (consent_.mayStore()) {
    store[key] = outbox_.size() ? json(outbox_.save(now, true).dump()) : json(nullptr);
    storeIfSent[key] = afterBeacons.size() ? json(afterBeacons.save(now, true).dump()) : json(nullptr);
  }
  return jsonObject({{"beacons", std::move(beacons)}, {"store", std::move(store)}, {"storeIfSent", std::move(storeIfSent)}});
}

Result<json> Tracking::persist(bool closed, std::string_view storedHistory, double nowMs) {
  CARTKEEP_TRY_ASSIGN(const std::int64_t now, readTimeMs(nowMs, "now"));
  json out = jsonObject({{"store", persistStore(closed, storedHistory, now)}});
  if (started_ && !closed) out["closing"] = closingPlan(now);
  return out;
}

json Tracking::persistStore(bool closed, std::string_view storedHistory, std::int64_t now) {
  json store = json::object();
  if (!started_ || !consent_.mayStore()) return store;
  store["outbox:" + pageId_] = outbox_.size() ? json(outbox_.save(now, closed).dump()) : json(nullptr);
  if (closed) {
    savedOnClose_.clear();
    for (const auto& e : outbox_.events()) savedOnClose_.insert(e.id);
  }
  if (o_.history && (historyDirty_ || !storedHistory.empty())) {
    // Merge with what other tabs stored meanwhile: by id, in time order, the newest historyCap.
    std::vector<json> merged(history_.begin(), history_.end());
    std::unordered_set<std::string> ids;
    for (const auto& r : merged) ids.insert(r.value("id", std::string()));
    if (!storedHistory.empty()) {
      auto parsed = jf::parse(storedHistory, "history");
      if (parsed && parsed.value().is_array())
        for (auto& r : parsed.value())
          if (r.is_object() && r.contains("id") && r["id"].is_string() && r.contains("time") && r["time"].is_number() &&
              !setAsideIds_.count(r["id"].get<std::string>()) && ids.insert(r["id"].get<std::string>()).second)
            merged.push_back(std::move(r));
    }
    stableSort(merged, [](const json& a, const json& b) {
      return a.value("time", 0.0) < b.value("time", 0.0);
    });
    keepNewest(merged, static_cast<std::size_t>(o_.historyCap));
    history_.assign(merged.begin(), merged.end());
    store["history"] = json(merged).dump(-1, ' ', false, json::error_handler_t::replace);
    store["history:" + pageId_] = nullptr;  // merged: nothing of this page waits aside
    historyDirty_ = false;
    unsavedIds_.clear();
    unsavedDirty_ = false;
  }
  {
    store["state"] = saveState().dump();
    activityStored_ = lastActivity_;
    stateDirty_ = false;
  }
  return store;
}

Result<json> Tracking::reclaim(bool ownOutboxStillStored, double nowMs) {
  CARTKEEP_TRY_ASSIGN(const std::int64_t now, readTimeMs(nowMs, "now"));
  Effects fx;
  if (!ownOutboxStillStored && !savedOnClose_.empty()) {
    // Another page adopted what we stored at pagehide: it sends those events now, we must not.
    outbox_.remove(savedOnClose_);
  }
  savedOnClose_.clear();
  return finish(fx, nullptr, now);
}

Result<json> Tracking::metrics(const TrackingStore& store, const json* records, const json& request) {
  const std::string at = "metrics";
  const json empty = json::object();
  const json& r = request.is_object() ? request : empty;
  if (!request.is_null()) {
    CARTKEEP_TRY(jf::expectObject(request, at, kEventsArg));
    CARTKEEP_TRY(jf::rejectUnknownKeys(r, at, kEventsArg, {"events", "level", "minArm", "checkoutSteps"}));
  }
  MetricsOptions m;
  m.currency = store.options.currency;
  m.checkoutSteps = o_.checkoutSteps;
  m.strings = &store.options.strings;
  if (r.contains("level")) {
    if (!r["level"].is_number() || !(r["level"].get<double>() >= 0.5 && r["level"].get<double>() <= 0.999))
      return jf::invalid(kEventsArg, "metrics.level", "expected a confidence level from 0.5 to 0.999, " + jf::describeValue(r["level"]));
    m.level = r["level"].get<double>();
  }
  CARTKEEP_TRY_ASSIGN(m.minArm, jf::readInteger(r, "minArm", at, kEventsArg, {false, 1, 1000000}, 30));
  if (r.contains("checkoutSteps")) {
    CARTKEEP_TRY_ASSIGN(m.checkoutSteps, jf::readStringArray(r, "checkoutSteps", at, kEventsArg, 20, 32));
  }
  if (records) {
    CARTKEEP_TRY_ASSIGN(json given, computeMetrics(*records, m, "metrics.events"));
    given["scope"] = "given";
    return given;
  }
  // What this device's history holds: with consent, what every page stored while measurement was allowed;
  // without it nothing is stored, so only this page's events (kept in memory) can be counted.
  const char* scope = consent_.mayStore() && o_.history ? "device" : "page";
  // The history is stored data: a record that fails a check is set aside and the KPIs computed without it.
  json damaged = json::array();
  for (std::size_t attempt = 0; attempt <= history_.size(); ++attempt) {
    auto metrics = computeMetrics(json(history_), m, "history");
    std::size_t index = 0;
    const std::string& path = metrics ? std::string() : metrics.error().path;
    if (metrics || !historyRecordIndex(path, index) || index >= history_.size()) {
      if (!metrics) return metrics;
      json out = std::move(metrics).value();
      out["scope"] = scope;
      if (!damaged.empty()) out["damaged"] = std::move(damaged);
      return out;
    }
    const Error error = metrics.error();
    json record = history_[index];
    if (record.is_object() && record.contains("id") && record["id"].is_string()) setAsideIds_.insert(record["id"].get<std::string>());
    damaged.push_back(jsonObject({{"code", errorCodeId(error.code)}, {"path", error.path}, {"message", error.message},
                                  {"record", std::move(record)}}));
    history_.erase(history_.begin() + static_cast<std::ptrdiff_t>(index));
    historyDirty_ = true;
  }
  return jf::invalid(kEventsArg, "history", "the stored history could not be read");
}

json Tracking::state(double nowMs) const {
  (void)nowMs;
  return jsonObject({{"started", started_},
              {"page", pageId_},
              {"pageType", pageType_},
              {"session", session_.id.empty() ? json(nullptr) : json(session_.id)},
              {"cart", journey_.id.empty() ? json(nullptr) : json(journey_.id)},
              {"checkout", journey_.checkout},
              {"steps", journey_.steps},
              {"lastActivity", lastActivity_},
              {"consent", consent_.toJson()},
              {"queue", outbox_.stats()},
              {"pendingDataLayer", pendingPushes_.size()},
              {"history", history_.size()}});
}

json Tracking::forget() {
  journey_ = Journey{};
  session_ = Session{"s" + pageId_, 0, session_.source};
  history_.clear();
  unsavedIds_.clear();
  outbox_.clear();
  pendingPushes_.clear();
  recentOrders_.clear();
  viewed_.clear();
  checkoutWanted_ = false;
  afterPurchase_ = false;
  stateDirty_ = false;
  historyDirty_ = false;
  json out = jsonObject({{"emit", json::array()}, {"dataLayer", json::array()}, {"store", json::object()}, {"clearStorage", true},
           {"flushAt", nullptr}, {"deadline", nullptr}});
  return out;
}

}  // namespace cartkeep
