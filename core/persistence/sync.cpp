#include "persistence/sync.hpp"
#include "base/stable_sort.hpp"

#include <algorithm>

namespace cartkeep {

std::int64_t DocLine::quantity() const noexcept {
  std::int64_t total = 0;
  for (const auto& entry : by) total += entry.second.added - entry.second.removed;  // each <= kMaxCounter
  return total;
}

std::int64_t DocLine::touchedAt() const noexcept {
  std::int64_t latest = 0;
  for (const auto& entry : by) latest = std::max(latest, entry.second.at);
  return latest;
}

std::int64_t CartDoc::quantity(std::string_view productId) const {
  auto found = lines.find(productId);
  return found == lines.end() ? 0 : found->second.quantity();
}

std::vector<ViewLine> CartDoc::view() const {
  std::vector<std::pair<const OrderKey*, ViewLine>> live;
  for (const auto& [id, line] : lines) {
    const std::int64_t units = line.quantity();
    if (units > 0) live.push_back({&line.order, ViewLine{id, units}});
  }
  stableSort(live, [](const auto& a, const auto& b) {  // a total order: any sort gives this result
    if (*a.first == *b.first) return a.second.productId < b.second.productId;
    return *a.first < *b.first;
  });
  std::vector<ViewLine> out;
  out.reserve(live.size());
  for (auto& item : live) out.push_back(std::move(item.second));
  return out;
}

Status CartDoc::increase(std::string_view productId, std::int64_t units, const std::string& replica,
                         std::int64_t now) {
  if (units <= 0) return success();
  auto found = lines.find(productId);
  if (found == lines.end()) found = lines.emplace(std::string(productId), DocLine{}).first;
  DocLine& line = found->second;
  Contribution& mine = line.by[replica];
  if (mine.added > kMaxCounter - units)
    return Error{ErrorCode::Overflow, "productId",
                 "the line has changed more than " + std::to_string(kMaxCounter) + " units over its life"};
  // A line that had no units is (re-)created: it goes last, as a new line does in the cart.
  if (line.quantity() == 0) line.order = OrderKey{++clock, replica};
  mine.added += units;
  mine.at = std::max(mine.at, now);
  return success();
}

void CartDoc::decrease(std::string_view productId, std::int64_t units, std::int64_t now) {
  auto found = lines.find(productId);
  if (found == lines.end() || units <= 0) return;
  // Seen units go in replica-id order, so tabs that remove the same units concurrently remove them once.
  for (auto& entry : found->second.by) {
    if (units == 0) break;
    Contribution& counter = entry.second;
    const std::int64_t take = std::min(units, counter.added - counter.removed);
    if (take <= 0) continue;
    counter.removed += take;
    counter.at = std::max(counter.at, now);
    units -= take;
  }
}

Status CartDoc::setQuantity(std::string_view productId, std::int64_t quantity, const std::string& replica,
                            std::int64_t now) {
  const std::int64_t current = this->quantity(productId);
  if (quantity > current) return increase(productId, quantity - current, replica, now);
  if (quantity < current) decrease(productId, current - quantity, now);
  return success();
}

void CartDoc::see(std::string_view productId, Minor price, std::string_view title, const std::string& replica,
                  std::int64_t now) {
  auto found = lines.find(productId);
  if (found == lines.end()) return;
  SeenPrice& seen = found->second.seen;
  if (seen.known() && seen.price == price && seen.title == title) return;
  // A local observation supersedes whatever this replica had merged, even if a clock was set back.
  const std::int64_t at = seen.known() ? std::max(now, seen.at + 1) : now;
  seen = SeenPrice{price, std::string(title), at, replica};
}

void CartDoc::moveToEnd(std::string_view productId, const std::string& replica) {
  auto found = lines.find(productId);
  if (found != lines.end()) found->second.order = OrderKey{++clock, replica};
}

void CartDoc::setContext(std::string coupon, std::string step, const std::string& replica, std::int64_t now) {
  if (context.coupon == coupon && context.step == step && !context.replica.empty()) return;
  const std::int64_t at = std::max(now, context.at + 1);  // a local change always wins over what it saw
  context = CartContext{std::move(coupon), std::move(step), at, replica};
}

namespace {

// Last writer wins by (time, replica); equal stamps fall back to the content, so merge stays commutative
// even for registers edited by hand.
bool newer(const SeenPrice& a, const SeenPrice& b) {
  if (a.at != b.at) return a.at > b.at;
  if (a.replica != b.replica) return a.replica > b.replica;
  if (a.price != b.price) return a.price > b.price;
  return a.title > b.title;
}

bool newer(const CartContext& a, const CartContext& b) {
  if (a.at != b.at) return a.at > b.at;
  if (a.replica != b.replica) return a.replica > b.replica;
  if (a.step != b.step) return a.step > b.step;
  return a.coupon > b.coupon;
}

void mergeLine(DocLine& mine, const DocLine& theirs) {
  if (mine.order < theirs.order) mine.order = theirs.order;
  for (const auto& [replica, counter] : theirs.by) {
    Contribution& into = mine.by[replica];
    into.added = std::max(into.added, counter.added);
    into.removed = std::max(into.removed, counter.removed);
    into.at = std::max(into.at, counter.at);
  }
  if (theirs.seen.known() && (!mine.seen.known() || newer(theirs.seen, mine.seen))) mine.seen = theirs.seen;
}

}  // namespace

void CartDoc::merge(const CartDoc& other) {
  if (epoch < other.epoch) {
    *this = other;  // the other copy forgot this cart: everything here predates that
    return;
  }
  if (other.epoch < epoch) return;  // a state from before this cart was forgotten
  if (other.createdAt && (!createdAt || other.createdAt < createdAt)) createdAt = other.createdAt;
  updatedAt = std::max(updatedAt, other.updatedAt);
  clock = std::max(clock, other.clock);
  if (currency.empty()) currency = other.currency;
  for (const auto& [id, line] : other.lines) {
    auto found = lines.find(id);
    if (found == lines.end())
      lines.emplace(id, line);
    else
      mergeLine(found->second, line);
  }
  if (!other.context.replica.empty() && (context.replica.empty() || newer(other.context, context)))
    context = other.context;
}

void CartDoc::startEpoch(std::int64_t at, const std::string& replica) {
  Epoch next{std::max(at, epoch.at + 1), replica};
  *this = CartDoc{};
  epoch = std::move(next);
}

bool CartDoc::covers(const CartDoc& other) const {
  CartDoc joined = *this;
  joined.merge(other);
  return joined.sameContent(*this);
}

std::size_t CartDoc::compact(std::int64_t now, std::int64_t horizonMs) {
  std::size_t dropped = 0;
  const std::int64_t before = now - horizonMs;
  for (auto line = lines.begin(); line != lines.end();) {
    auto& by = line->second.by;
    for (auto entry = by.begin(); entry != by.end();) {
      if (entry->second.added == entry->second.removed && entry->second.at <= before) {
        entry = by.erase(entry);
        ++dropped;
      } else {
        ++entry;
      }
    }
    line = by.empty() ? lines.erase(line) : std::next(line);
  }
  return dropped;
}

}  // namespace cartkeep
