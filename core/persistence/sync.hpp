#pragma once
// The cart as a convergent replicated document. Every tab (a replica, named by a random id) edits its
// own copy; copies merge in any order, any number of times, and end as the same cart. No line and no
// quantity change is lost:
//
// - Per line and per replica, `added` counts the units that replica ever added, `removed` how many of
//   those units anyone has removed since. Both only grow, so a merge takes the maximum of each: merge
//   is commutative, associative and idempotent (a join semilattice), whatever the delivery order.
// - An increase adds units under the editing replica's own counter, so concurrent adds in two tabs
//   both count.
// - A decrease removes units the editing replica could see, taken in one fixed order (replica id,
//   ascending). Units added concurrently elsewhere were not seen and survive ("add wins"); two tabs
//   removing the same line at once remove the same units, once.
// - A line's position is the Lamport clock and replica of its (re-)creation; merge keeps the latest.
//
// Fully removed counters and lines are garbage collected once nobody touched them for a horizon
// (compact()); a copy kept offline for longer than that could bring such a line back, never lose one.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cartkeep/error.hpp"
#include "base/money.hpp"

namespace cartkeep {

struct Contribution {
  std::int64_t added = 0;    // units this replica added to the line, ever
  std::int64_t removed = 0;  // how many of those units were removed (by anyone); <= added
  std::int64_t at = 0;       // ms of the last change to this entry
  bool operator==(const Contribution& other) const {
    return added == other.added && removed == other.removed && at == other.at;
  }
};

struct OrderKey {
  std::uint64_t clock = 0;
  std::string replica;
  bool operator<(const OrderKey& other) const {
    return clock != other.clock ? clock < other.clock : replica < other.replica;
  }
  bool operator==(const OrderKey& other) const { return clock == other.clock && replica == other.replica; }
};

// What the shopper last saw for a line (price and title), a last-writer-wins register: re-pricing
// compares it with the catalog; it is never used to charge.
struct SeenPrice {
  Minor price = 0;
  std::string title;
  std::int64_t at = 0;
  std::string replica;  // empty: nothing seen yet
  bool known() const noexcept { return !replica.empty(); }
  bool operator==(const SeenPrice& other) const {
    return price == other.price && title == other.title && at == other.at && replica == other.replica;
  }
};

struct DocLine {
  OrderKey order;
  std::map<std::string, Contribution, std::less<>> by;  // replica id -> counters
  SeenPrice seen;

  std::int64_t quantity() const noexcept;
  std::int64_t touchedAt() const noexcept;
  bool operator==(const DocLine& other) const {
    return order == other.order && by == other.by && seen == other.seen;
  }
};

// Where the shopper was (checkout step) and the coupon they entered; last writer wins.
struct CartContext {
  std::string coupon;
  std::string step;
  std::int64_t at = 0;
  std::string replica;
  bool operator==(const CartContext& other) const {
    return coupon == other.coupon && step == other.step && at == other.at && replica == other.replica;
  }
};

// A cart's generation: forget() starts a new one. A newer epoch replaces the whole document on merge and
// states from an older one are ignored, so a message still in flight cannot bring a forgotten cart back.
struct Epoch {
  std::int64_t at = 0;
  std::string replica;  // empty: the first epoch
  bool operator<(const Epoch& other) const { return at != other.at ? at < other.at : replica < other.replica; }
  bool operator==(const Epoch& other) const { return at == other.at && replica == other.replica; }
};

struct ViewLine {
  std::string productId;
  std::int64_t quantity = 0;
  bool operator==(const ViewLine& other) const {
    return productId == other.productId && quantity == other.quantity;
  }
};

class CartDoc {
 public:
  static constexpr std::int64_t kMaxCounter = 1000000000000000;  // 1e15 units over a line's life

  Epoch epoch;
  std::int64_t createdAt = 0;  // ms, first save anywhere (min over merges; 0: never saved)
  std::int64_t updatedAt = 0;  // ms, last save anywhere (max over merges)
  std::uint64_t clock = 0;     // Lamport clock: max over merges, +1 per line (re-)created
  std::string currency;        // store currency the seen prices are in
  std::map<std::string, DocLine, std::less<>> lines;  // by product id, including removed lines
  CartContext context;

  std::int64_t quantity(std::string_view productId) const;
  // Lines with units, in cart order (by the order key of their creation).
  std::vector<ViewLine> view() const;

  // Local edits by `replica` at `now` (ms). The quantity becomes `quantity`: an increase adds units under
  // `replica`, a decrease removes seen units in replica order. Fails only beyond kMaxCounter.
  Status setQuantity(std::string_view productId, std::int64_t quantity, const std::string& replica,
                     std::int64_t now);
  Status increase(std::string_view productId, std::int64_t units, const std::string& replica, std::int64_t now);
  void decrease(std::string_view productId, std::int64_t units, std::int64_t now);
  // Records what the shopper saw; a no-op when price and title are unchanged.
  void see(std::string_view productId, Minor price, std::string_view title, const std::string& replica,
           std::int64_t now);
  void setContext(std::string coupon, std::string step, const std::string& replica, std::int64_t now);
  // Moves a line to the end of the cart (a new order key), as removing and adding it again does.
  void moveToEnd(std::string_view productId, const std::string& replica);

  // Joins `other` into this document (maximum of every counter, latest order key and registers).
  void merge(const CartDoc& other);
  // True when merging `other` into this document would change no line, counter or register
  // (timestamps of the whole document aside).
  bool covers(const CartDoc& other) const;
  bool sameContent(const CartDoc& other) const {
    return epoch == other.epoch && clock == other.clock && lines == other.lines && context == other.context;
  }
  // Empties the document into a new epoch (`at`, `replica`), later than the current one.
  void startEpoch(std::int64_t at, const std::string& replica);

  // Drops counters that hold no units and were last touched before now - horizonMs, and lines left
  // without counters. Returns how many counters were dropped.
  std::size_t compact(std::int64_t now, std::int64_t horizonMs);
};

}  // namespace cartkeep
