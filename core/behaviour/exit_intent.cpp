#include "behaviour/exit_intent.hpp"

#include <cmath>

namespace cartkeep {

const char* exitReasonId(ExitReason reason) noexcept {
  switch (reason) {
    case ExitReason::None: return "none";
    case ExitReason::Trajectory: return "trajectory";
    case ExitReason::TopExit: return "top-exit";
    case ExitReason::ScrollUp: return "scroll-up";
    case ExitReason::TabReturn: return "tab-return";
    case ExitReason::Idle: return "idle";
    case ExitReason::BackButton: return "back-button";
  }
  return "none";
}

void ExitIntentClassifier::start(double t, bool hidden) {
  if (started_) return;
  started_ = true;
  pageStart_ = t;
  lastActivity_ = t;
  hidden_ = hidden;
  hiddenSince_ = t;
}

void ExitIntentClassifier::newPage(double t) noexcept {
  pageStart_ = t;
  idleFired_ = false;
  maxScrollY_ = scrollFloor_ = 0;
  scrollCount_ = 0;
}

bool ExitIntentClassifier::armed(double t) noexcept { return started_ && t - pageStart_ >= o_.armDelayMs; }

bool ExitIntentClassifier::suppressed(double t) noexcept {
  if (t - lastFire_ < 500) return suppression_ = "already-decided", true;
  if (!armed(t)) return suppression_ = "arming", true;
  if (!deep_) return suppression_ = "not-below-top", true;  // entered from the toolbar, or just decided
  if (selectOpen_) return suppression_ = "select-open", true;
  if (field_ != FieldKind::None) return suppression_ = "field-focus", true;
  return false;
}

bool ExitIntentClassifier::fire(ExitReason reason, double t, double x, double y, double speed, double awayMs) noexcept {
  decision_ = ExitDecision{reason, t, x, y, speed, awayMs};
  lastFire_ = t;
  if (reason == ExitReason::Trajectory || reason == ExitReason::TopExit) deep_ = false;
  suppression_ = "";
  return true;
}

bool ExitIntentClassifier::pointerMove(double t, double x, double y) noexcept {
  if (!started_ || hidden_) return false;
  lastActivity_ = t;
  idleFired_ = false;
  if (outside_) {
    // The pointer came (back) into the page: from the toolbar it has to go down into the page first.
    outside_ = false;
    count_ = 0;
    deep_ = false;
  }
  const Sample* previous = count_ ? &ring_[(count_ - 1) % ring_.size()] : nullptr;
  if (previous && t <= previous->t) {
    // Two events in one millisecond (coalesced input): keep the newest position only.
    ring_[(count_ - 1) % ring_.size()] = Sample{previous->t, x, y};
  } else {
    ring_[count_ % ring_.size()] = Sample{t, x, y};
    ++count_;
  }
  if (y >= o_.armDepthPx) deep_ = true;
  if (!o_.enabled || !o_.pointer || !o_.predictive || y > o_.bandPx || count_ < 2) return false;

  // Velocity over the last ~50 ms of samples.
  const std::uint32_t available = count_ < ring_.size() ? count_ : static_cast<std::uint32_t>(ring_.size());
  const Sample& now = ring_[(count_ - 1) % ring_.size()];
  const Sample* base = nullptr;
  for (std::uint32_t back = 1; back < available; ++back) {
    const Sample& s = ring_[(count_ - 1 - back) % ring_.size()];
    if (now.t - s.t > 50) break;
    base = &s;
  }
  if (!base) return false;
  const double dt = now.t - base->t;
  const double up = (base->y - now.y) / dt;
  const double vx = (now.x - base->x) / dt;
  if (up < o_.minSpeed || std::fabs(vx) > up) return false;
  const double toTop = now.y / up;
  if (toTop > o_.horizonMs) return false;
  if (width_ > 0) {
    const double crossX = now.x + vx * toTop;
    if (crossX < 0 || crossX > width_) return false;
  }
  // A pointer aiming at something in a top bar slows down; one leaving the window does not.
  if (available >= 3) {
    const Sample& p1 = ring_[(count_ - 2) % ring_.size()];
    const Sample& p2 = ring_[(count_ - 3) % ring_.size()];
    const double last = (p1.y - now.y) / (now.t - p1.t);
    const double before = (p2.y - p1.y) / (p1.t - p2.t);
    if (now.t - p2.t <= 100 && last < 0.8 * before) return false;
  }
  if (suppressed(t)) return false;
  return fire(ExitReason::Trajectory, t, x, y, std::sqrt(up * up + vx * vx));
}

bool ExitIntentClassifier::pointerOut(double t, double x, double y) noexcept {
  if (!started_ || hidden_ || outside_) return false;
  outside_ = true;
  lastActivity_ = t;
  if (!o_.enabled || !o_.pointer) return false;
  bool top = y <= o_.topMarginPx;
  double speed = 0;
  if (count_ >= 1) {
    // A fast exit may be reported from inside the page: read where it was heading.
    const Sample& last = ring_[(count_ - 1) % ring_.size()];
    const double dt = t - last.t;
    if (dt > 0 && dt <= 100) {
      const double up = (last.y - y) / dt;
      const double vx = (x - last.x) / dt;
      speed = std::sqrt(up * up + vx * vx);
      if (!top && y <= o_.bandPx && up >= 0.3 && up >= std::fabs(vx) && y / up <= o_.horizonMs) top = true;
    }
  }
  if (!top) {
    const bool side = x <= 0 || (width_ > 0 && x >= width_ - 1);
    suppression_ = side ? "side" : (height_ > 0 && y >= height_ - 1) ? "bottom" : "inside";
    return false;
  }
  if (suppressed(t)) return false;
  return fire(ExitReason::TopExit, t, x, y, speed);
}

bool ExitIntentClassifier::scroll(double t, double y) noexcept {
  if (!started_ || hidden_) return false;
  lastActivity_ = t;
  idleFired_ = false;
  const Sample* previous = scrollCount_ ? &scrolls_[(scrollCount_ - 1) % scrolls_.size()] : nullptr;
  if (previous && t <= previous->t) {
    scrolls_[(scrollCount_ - 1) % scrolls_.size()] = Sample{previous->t, 0, y};
  } else {
    scrolls_[scrollCount_ % scrolls_.size()] = Sample{t, 0, y};
    ++scrollCount_;
  }
  if (y > maxScrollY_) maxScrollY_ = y;
  if (!o_.enabled || !o_.scrollUp || !touch_ || height_ <= 0 || scrollCount_ < 2) return false;
  if (maxScrollY_ - scrollFloor_ < o_.scrollUpDepthFraction * height_) return false;
  const std::uint32_t available =
      scrollCount_ < scrolls_.size() ? scrollCount_ : static_cast<std::uint32_t>(scrolls_.size());
  const Sample& now = scrolls_[(scrollCount_ - 1) % scrolls_.size()];
  const Sample& last = scrolls_[(scrollCount_ - 2) % scrolls_.size()];
  if (now.y >= last.y) return false;  // still going up?
  const Sample* base = nullptr;
  for (std::uint32_t back = 1; back < available; ++back) {
    const Sample& s = scrolls_[(scrollCount_ - 1 - back) % scrolls_.size()];
    if (now.t - s.t > 300) break;
    if (base && s.y < base->y) break;  // only the current upward run
    base = &s;
  }
  if (!base) return false;
  const double distance = base->y - now.y;
  const double speed = distance / (now.t - base->t);
  if (distance < o_.scrollUpMinFraction * height_ || speed < o_.scrollUpSpeed) return false;
  if (t - lastFire_ < 500) return suppression_ = "already-decided", false;
  if (!armed(t)) return suppression_ = "arming", false;
  scrollFloor_ = maxScrollY_ = now.y;
  return fire(ExitReason::ScrollUp, t, 0, now.y, speed);
}

bool ExitIntentClassifier::visibility(double t, bool hidden, bool decide) noexcept {
  if (!started_) {
    start(t, hidden);
    return false;
  }
  if (hidden == hidden_) return false;
  if (hidden) {
    hidden_ = true;
    hiddenSince_ = t;
    armedWhenHidden_ = armed(t);
    outside_ = true;
    return false;
  }
  hidden_ = false;
  lastActivity_ = t;
  idleFired_ = false;
  const double away = t - hiddenSince_;
  if (!decide || !o_.enabled || !o_.tabReturn || away < o_.tabReturnMinMs) return false;
  if (!armedWhenHidden_) return suppression_ = "arming", false;
  return fire(ExitReason::TabReturn, t, 0, 0, 0, away);
}

bool ExitIntentClassifier::back(double t) noexcept {
  if (!started_ || !o_.enabled || !o_.backButtonGuard) return false;
  return fire(ExitReason::BackButton, t, 0, 0, 0);
}

bool ExitIntentClassifier::tick(double t) noexcept {
  if (!started_ || !o_.enabled || hidden_ || idleFired_ || !idleTimeoutOn()) return false;
  if (t - lastActivity_ < o_.idleTimeoutMs) return false;
  idleFired_ = true;
  return fire(ExitReason::Idle, t, 0, 0, 0, 0);
}

double ExitIntentClassifier::nextDeadline() const noexcept {
  if (!started_ || !o_.enabled || hidden_ || idleFired_ || !idleTimeoutOn())
    return std::numeric_limits<double>::infinity();
  return lastActivity_ + o_.idleTimeoutMs;
}

}  // namespace cartkeep
