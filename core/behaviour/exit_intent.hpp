#pragma once
// Exit-intent classification from raw, timestamped observations.
//
// Desktop: the pointer's trajectory toward the top edge (fast, mostly vertical, not slowing down, predicted
// to cross within `horizonMs`) fires before the pointer leaves; an actual exit at the top fires when it
// leaves. Suppressed while a form field has focus (autocomplete lists live there), while a <select> is open,
// before the page is armed (`armDelayMs` after it starts, and the pointer must have been `armDepthPx` below
// the top since it entered, so entering from the toolbar and going straight back is no exit), for exits at
// the sides or the bottom, and for pointers that merely hover a fixed top bar (no exit, slowing down).
// Touch: a fast scroll up toward the top, an opt-in back-button guard, a tab or app switch (decided when
// the shopper returns), and an idle timeout. One decision per page until it re-arms.
//
// The pointer path (pointerMove) is O(1) on a fixed ring of samples and allocates nothing.
#include <array>
#include <cstdint>
#include <limits>

namespace cartkeep {

enum class ExitReason : std::uint8_t { None, Trajectory, TopExit, ScrollUp, TabReturn, Idle, BackButton };
const char* exitReasonId(ExitReason reason) noexcept;

enum class FieldKind : std::uint8_t { None, Text, Coupon, Search, Select, Other };

struct ExitIntentOptions {
  bool enabled = true;
  bool pointer = true;          // desktop trajectory and top exit
  bool predictive = true;       // fire on the trajectory, before the pointer leaves
  double topMarginPx = 8;       // a pointer that leaves with clientY <= this left at the top
  double bandPx = 60;           // the trajectory is read only this close to the top
  double minSpeed = 1.2;        // px/ms upward, for the trajectory
  double horizonMs = 32;        // the trajectory must cross the top within this
  double armDelayMs = 1000;     // nothing fires sooner after a page starts, returns or changes route
  double armDepthPx = 80;       // how far below the top the pointer must have been since it entered
  bool tabReturn = true;        // a tab or app switch, decided on return
  double tabReturnMinMs = 4000; // shorter switches are glances
  bool scrollUp = true;         // touch: fast scroll up toward the top
  double scrollUpSpeed = 1.5;   // px/ms
  double scrollUpMinFraction = 0.6;  // of the viewport height, within the speed window
  double scrollUpDepthFraction = 1.0;  // must have been this many viewports down first
  bool backButtonGuard = false; // opt-in: the sensors keep one history entry to catch the back button
  double idleTimeoutMs = 60000; // no activity for this long while visible (0: off)
  bool idleOnDesktop = false;   // the idle timeout is a touch signal unless this is set
};

struct ExitDecision {
  ExitReason reason = ExitReason::None;
  double t = 0;
  double x = 0, y = 0;
  double speed = 0;   // px/ms at the decision (pointer or scroll)
  double awayMs = 0;  // tab return: how long the page was hidden
};

class ExitIntentClassifier {
 public:
  explicit ExitIntentClassifier(ExitIntentOptions options = {}) : o_(options) {}

  void start(double t, bool hidden);
  void viewport(double width, double height) noexcept { width_ = width, height_ = height; }
  void device(bool touch) noexcept { touch_ = touch; }
  bool touch() const noexcept { return touch_; }

  // Each returns true when it decided an exit intent (read it with decision()).
  bool pointerMove(double t, double x, double y) noexcept;
  bool pointerOut(double t, double x, double y) noexcept;
  bool scroll(double t, double y) noexcept;
  // decide=false: a return that is no tab switch (a back/forward-cache restore).
  bool visibility(double t, bool hidden, bool decide = true) noexcept;
  bool back(double t) noexcept;
  // Checks the idle timeout; the sensors call it at nextDeadline().
  bool tick(double t) noexcept;

  void activity(double t) noexcept { lastActivity_ = t, idleFired_ = false; }
  void fieldFocus(FieldKind kind) noexcept { field_ = kind; }
  void fieldBlur() noexcept { field_ = FieldKind::None, selectOpen_ = false; }
  void selectOpen(bool open) noexcept { selectOpen_ = open; }
  // A new page (route, bfcache restore): re-arms after armDelayMs.
  void newPage(double t) noexcept;

  const ExitDecision& decision() const noexcept { return decision_; }
  // When tick() should next run (idle timeout), or +infinity.
  double nextDeadline() const noexcept;
  const ExitIntentOptions& options() const noexcept { return o_; }
  // Why the last candidate exit did not fire ("field-focus", "select-open", "not-armed", "side", ...).
  const char* lastSuppression() const noexcept { return suppression_; }

 private:
  struct Sample {
    double t, x, y;
  };
  bool armed(double t) noexcept;
  bool fire(ExitReason reason, double t, double x, double y, double speed, double awayMs = 0) noexcept;
  bool suppressed(double t) noexcept;
  bool idleTimeoutOn() const noexcept { return o_.idleTimeoutMs > 0 && (touch_ || o_.idleOnDesktop); }

  ExitIntentOptions o_;
  bool started_ = false;
  bool touch_ = false;
  double width_ = 0, height_ = 0;
  double pageStart_ = 0;
  double lastActivity_ = 0;
  // pointer
  std::array<Sample, 8> ring_{};
  std::uint32_t count_ = 0;  // samples in the ring since the pointer entered
  bool outside_ = true;      // the pointer is not over the document
  bool deep_ = false;        // reached armDepthPx since it entered (or since the last decision)
  bool idleFired_ = false;
  FieldKind field_ = FieldKind::None;
  bool selectOpen_ = false;
  // scroll
  std::array<Sample, 32> scrolls_{};
  std::uint32_t scrollCount_ = 0;
  double maxScrollY_ = 0;    // deepest scroll since the page started or the last scroll-up decision
  double scrollFloor_ = 0;   // where the last scroll-up decision left the page
  // visibility
  bool hidden_ = false;
  bool armedWhenHidden_ = false;
  double hiddenSince_ = 0;
  double lastFire_ = -std::numeric_limits<double>::infinity();
  ExitDecision decision_;
  const char* suppression_ = "";
};

}  // namespace cartkeep
