#pragma once
// Dwell accounting: active, idle and hidden time per page, per product and per product card on screen,
// from timestamped observations (monotonic milliseconds, performance.now() in the browser).
//
// Time between two observations is "pending" until an observation decides what it was: activity within
// `idleAfterMs` of the previous activity makes it active, a longer gap makes all of it idle (idle time is
// trimmed retroactively, never counted as active first). Hidden documents (visibilitychange, pagehide,
// bfcache) count hidden; a window blur ends activity unless focus went into an iframe of the page
// (a payment or chat frame), which counts as active until focus returns.
//
// Card visibility and route changes inside a pending stretch are kept as boundaries and applied when the
// stretch is classified, so a card accrues exactly the active time during which it was on screen.
// The pointer path (activity() with no boundary pending) is O(1) and allocates nothing.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace cartkeep {

enum class PageType : std::uint8_t { Other, Home, Category, Product, Cart, Checkout, Confirmation };
const char* pageTypeId(PageType type) noexcept;
bool parsePageType(std::string_view id, PageType& out) noexcept;

struct DwellTotals {
  double activeMs = 0;
  double idleMs = 0;
  double hiddenMs = 0;
  double totalMs() const noexcept { return activeMs + idleMs + hiddenMs; }
};

struct PageVisit {
  std::string path;       // the route ("/product/mug"), as the sensors saw it
  PageType type = PageType::Other;
  std::string productId;  // product pages only
  double enteredAt = 0;
  double leftAt = -1;     // -1 while current
  DwellTotals totals;
};

struct CardDwell {
  std::string productId;
  bool visible = false;
  double activeMs = 0;    // active time while at least half of the card was on screen
  double visibleMs = 0;   // any time on screen while the page was visible (active or idle)
  std::uint32_t views = 0;
  double activeAtShow = 0;   // the tracker's active clock when it came into view
  double visibleAtShow = 0;  // the tracker's on-screen clock when it came into view
};

class DwellTracker {
 public:
  enum class Class : std::uint8_t { Active, Idle, Hidden };

  explicit DwellTracker(double idleAfterMs = 30000);

  // The first observation of a page load. Time before it is not counted.
  void start(double t, bool hidden);
  bool started() const noexcept { return started_; }

  // Pointer, touch, key, click, wheel or scroll: the shopper is here.
  void activity(double t) noexcept {
    if (hidden_ || !started_) return;
    if (pending_.empty()) {
      accrue(t - from_, classify(t));
      from_ = t;
    } else {
      settle(t, classify(t));
    }
    lastActivity_ = t;
  }

  void visibility(double t, bool hidden);
  void blur(double t, bool intoFrame);
  void focus(double t);
  void pageHide(double t, bool persisted);
  void pageShow(double t, bool persisted);
  // A route (SPA navigation, or the first page): a new page visit from t. False for the same route again.
  bool route(double t, std::string_view path, PageType type, std::string_view productId);
  void card(double t, std::string_view productId, bool visible);

  bool hidden() const noexcept { return hidden_; }
  bool framed() const noexcept { return framed_; }
  double lastActivity() const noexcept { return lastActivity_; }
  double idleAfterMs() const noexcept { return idleAfterMs_; }
  const PageVisit* currentPage() const noexcept;
  std::size_t pageCount() const noexcept { return pages_.size(); }

  // Totals with everything up to `now` classified as if it ended now (a copy is settled; no mutation).
  DwellTotals totals(double now) const;
  // {total, pages[], products{}, cards{}}: the full report.
  nlohmann::json report(double now) const;
  // Active time on the current page up to now (pending time counted when it is within the idle window).
  double currentPageActiveMs(double now) const noexcept;

 private:
  enum class BoundaryKind : std::uint8_t { Route, CardShow, CardHide };
  struct Boundary {
    double t;
    BoundaryKind kind;
    std::uint32_t index;  // page or card index
  };

  Class classify(double t) const noexcept {
    if (hidden_) return Class::Hidden;
    if (framed_) return Class::Active;
    return t - lastActivity_ <= idleAfterMs_ ? Class::Active : Class::Idle;
  }
  void accrue(double ms, Class cls) noexcept {
    if (ms <= 0) return;
    DwellTotals& page = pages_[current_].totals;
    switch (cls) {
      case Class::Active:
        page.activeMs += ms, total_.activeMs += ms, activeClock_ += ms, visibleClock_ += ms;
        break;
      case Class::Idle: page.idleMs += ms, total_.idleMs += ms, visibleClock_ += ms; break;
      case Class::Hidden: page.hiddenMs += ms, total_.hiddenMs += ms; break;
    }
  }
  void settle(double t, Class cls);
  void apply(const Boundary& boundary);
  std::uint32_t cardIndex(std::string_view productId);

  double idleAfterMs_;
  bool started_ = false;
  bool hidden_ = false;
  bool framed_ = false;
  double from_ = 0;  // everything before this is classified
  double lastActivity_ = -std::numeric_limits<double>::infinity();
  double activeClock_ = 0;   // all active time so far: cards read their share off it
  double visibleClock_ = 0;  // all visible (active + idle) time so far
  DwellTotals total_;
  std::vector<PageVisit> pages_;
  std::size_t current_ = 0;
  std::vector<Boundary> pending_;
  std::vector<CardDwell> cards_;
  std::unordered_map<std::string, std::uint32_t> cardIndex_;
};

}  // namespace cartkeep
