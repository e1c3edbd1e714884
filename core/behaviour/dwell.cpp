#include "behaviour/dwell.hpp"
#include "base/json_build.hpp"

#include <cmath>
#include <utility>

namespace cartkeep {
using nlohmann::json;

namespace {

constexpr std::pair<PageType, const char*> kPageTypes[] = {
    {PageType::Other, "other"},       {PageType::Home, "home"},
    {PageType::Category, "category"}, {PageType::Product, "product"},
    {PageType::Cart, "cart"},         {PageType::Checkout, "checkout"},
    {PageType::Confirmation, "confirmation"},
};

// Reported figures are whole microseconds, so native and wasm builds print the same text.
double ms(double value) { return std::round(value * 1000.0) / 1000.0; }

json totalsJson(const DwellTotals& t) {
  return jsonObject({{"activeMs", ms(t.activeMs)}, {"idleMs", ms(t.idleMs)}, {"hiddenMs", ms(t.hiddenMs)}});
}

}  // namespace

const char* pageTypeId(PageType type) noexcept {
  for (const auto& [value, id] : kPageTypes)
    if (value == type) return id;
  return "other";
}

bool parsePageType(std::string_view id, PageType& out) noexcept {
  for (const auto& [value, name] : kPageTypes)
    if (id == name) return out = value, true;
  return false;
}

DwellTracker::DwellTracker(double idleAfterMs) : idleAfterMs_(idleAfterMs) {
  pending_.reserve(32);
  pages_.reserve(8);
}

void DwellTracker::start(double t, bool hidden) {
  if (started_) return;
  started_ = true;
  hidden_ = hidden;
  from_ = t;
  lastActivity_ = t;  // arriving on a page is taken as the first sign of attention
  pages_.push_back(PageVisit{"", PageType::Other, "", t, -1, {}});
  current_ = 0;
}

void DwellTracker::settle(double t, Class cls) {
  std::size_t used = 0;
  for (; used < pending_.size() && pending_[used].t <= t; ++used) {
    const Boundary& boundary = pending_[used];
    accrue(boundary.t - from_, cls);
    if (boundary.t > from_) from_ = boundary.t;
    apply(boundary);
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(used));
  accrue(t - from_, cls);
  if (t > from_) from_ = t;
}

void DwellTracker::apply(const Boundary& boundary) {
  switch (boundary.kind) {
    case BoundaryKind::Route:
      pages_[current_].leftAt = boundary.t;
      current_ = boundary.index;
      break;
    case BoundaryKind::CardShow: {
      CardDwell& card = cards_[boundary.index];
      if (card.visible) break;
      card.visible = true;
      ++card.views;
      card.activeAtShow = activeClock_;
      card.visibleAtShow = visibleClock_;
      break;
    }
    case BoundaryKind::CardHide: {
      CardDwell& card = cards_[boundary.index];
      if (!card.visible) break;
      card.visible = false;
      card.activeMs += activeClock_ - card.activeAtShow;
      card.visibleMs += visibleClock_ - card.visibleAtShow;
      break;
    }
  }
}

void DwellTracker::visibility(double t, bool hidden) {
  if (!started_) return start(t, hidden);
  if (hidden == hidden_) return;
  if (hidden) {
    settle(t, classify(t));
    hidden_ = true;
    framed_ = false;
  } else {
    settle(t, Class::Hidden);
    hidden_ = false;
    lastActivity_ = t;  // coming back to the tab is an act of attention
  }
}

void DwellTracker::blur(double t, bool intoFrame) {
  if (!started_ || hidden_) return;
  settle(t, classify(t));
  framed_ = intoFrame;
  if (!intoFrame) lastActivity_ = -std::numeric_limits<double>::infinity();
}

void DwellTracker::focus(double t) {
  if (!started_ || hidden_) return;
  settle(t, classify(t));
  framed_ = false;
  lastActivity_ = t;
}

void DwellTracker::pageHide(double t, bool /*persisted*/) {
  if (!started_) return;
  visibility(t, true);
}

void DwellTracker::pageShow(double t, bool persisted) {
  // A first (non-persisted) pageshow is the load itself; a persisted one is a back/forward-cache restore,
  // and the time in the cache is hidden time of the same page.
  if (!started_) return start(t, false);
  if (persisted) visibility(t, false);
}

bool DwellTracker::route(double t, std::string_view path, PageType type, std::string_view productId) {
  if (!started_) start(t, false);
  PageVisit& current = pages_[current_];
  if (pending_.empty() && current.path.empty() && current.enteredAt == t && current.totals.totalMs() == 0) {
    // The page the load started on: name it.
    current.path = std::string(path);
    current.type = type;
    current.productId = std::string(productId);
    return true;
  }
  // The same route again (a hash change, a replaced state) is not a new visit.
  const PageVisit& last = pages_.back();
  if (last.path == path && last.leftAt < 0 && pages_.size() - 1 == current_ && pending_.empty()) return false;
  pages_.push_back(PageVisit{std::string(path), type, std::string(productId), t, -1, {}});
  pending_.push_back(Boundary{t, BoundaryKind::Route, static_cast<std::uint32_t>(pages_.size() - 1)});
  return true;
}

std::uint32_t DwellTracker::cardIndex(std::string_view productId) {
  auto found = cardIndex_.find(std::string(productId));
  if (found != cardIndex_.end()) return found->second;
  auto index = static_cast<std::uint32_t>(cards_.size());
  cards_.push_back(CardDwell{std::string(productId), false, 0, 0, 0, 0, 0});
  cardIndex_.emplace(std::string(productId), index);
  return index;
}

void DwellTracker::card(double t, std::string_view productId, bool visible) {
  if (!started_ || productId.empty()) return;
  std::uint32_t index = cardIndex(productId);
  pending_.push_back(Boundary{t, visible ? BoundaryKind::CardShow : BoundaryKind::CardHide, index});
}

const PageVisit* DwellTracker::currentPage() const noexcept {
  if (pages_.empty()) return nullptr;
  return &pages_[current_];
}

double DwellTracker::currentPageActiveMs(double now) const noexcept {
  if (pages_.empty()) return 0;
  double active = pages_[current_].totals.activeMs;
  // Pending time counts only while the stretch is still within the idle window (and no route is pending).
  if (pending_.empty() && now > from_ && classify(now) == Class::Active) active += now - from_;
  return active;
}

DwellTotals DwellTracker::totals(double now) const {
  if (!started_) return {};
  DwellTracker copy = *this;
  if (now >= copy.from_) copy.settle(now, copy.classify(now));
  return copy.total_;
}

json DwellTracker::report(double now) const {
  if (!started_) return jsonObject({{"total", totalsJson({})}, {"pages", json::array()}, {"products", json::object()},
                              {"cards", json::object()}});
  DwellTracker copy = *this;
  if (now >= copy.from_) copy.settle(now, copy.classify(now));
  json pages = json::array();
  json products = json::object();
  for (std::size_t i = 0; i < copy.pages_.size(); ++i) {
    const PageVisit& page = copy.pages_[i];
    pages.push_back(jsonObject({{"path", page.path}, {"type", pageTypeId(page.type)}, {"productId", page.productId},
                         {"enteredAt", ms(page.enteredAt)}, {"current", i == copy.current_},
                         {"activeMs", ms(page.totals.activeMs)}, {"idleMs", ms(page.totals.idleMs)},
                         {"hiddenMs", ms(page.totals.hiddenMs)}}));
    if (page.type == PageType::Product && !page.productId.empty()) {
      json& product = products[page.productId];
      if (product.is_null()) product = jsonObject({{"activeMs", 0.0}, {"idleMs", 0.0}, {"hiddenMs", 0.0}, {"visits", 0}});
      product["activeMs"] = ms(product["activeMs"].get<double>() + page.totals.activeMs);
      product["idleMs"] = ms(product["idleMs"].get<double>() + page.totals.idleMs);
      product["hiddenMs"] = ms(product["hiddenMs"].get<double>() + page.totals.hiddenMs);
      product["visits"] = product["visits"].get<int>() + 1;
    }
  }
  json cards = json::object();
  for (const CardDwell& card : copy.cards_) {
    double active = card.activeMs + (card.visible ? copy.activeClock_ - card.activeAtShow : 0);
    double visible = card.visibleMs + (card.visible ? copy.visibleClock_ - card.visibleAtShow : 0);
    cards[card.productId] =
        jsonObject({{"activeMs", ms(active)}, {"visibleMs", ms(visible)}, {"views", card.views}, {"onScreen", card.visible}});
  }
  return jsonObject({{"total", totalsJson(copy.total_)}, {"pages", pages}, {"products", products}, {"cards", cards}});
}

}  // namespace cartkeep
