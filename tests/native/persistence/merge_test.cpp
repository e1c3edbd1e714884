// Cross-tab merge: concrete scenarios, the semilattice laws, and randomized interleavings of edits from
// several replicas with messages delayed, reordered, duplicated and sent as snapshot text, checked against
// an oracle that does not know how the merge works.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>

#include "persistence/snapshot.hpp"
#include "persistence/sync.hpp"

using namespace cartkeep;

namespace {

std::vector<ViewLine> viewLines(std::initializer_list<ViewLine> items) { return items; }

CartDoc joined(CartDoc a, const CartDoc& b) {
  a.merge(b);
  return a;
}

void requireInvariants(const CartDoc& doc) {
  for (const auto& [id, line] : doc.lines)
    for (const auto& [replica, counter] : line.by) {
      INFO(id << " / " << replica);
      REQUIRE(counter.removed >= 0);
      REQUIRE(counter.removed <= counter.added);
    }
}

}  // namespace

TEST_CASE("two tabs adding the same product at once: both adds count", "[merge]") {
  CartDoc a, b;
  REQUIRE(a.increase("mug", 1, "A", 1).ok());
  b.merge(a);
  REQUIRE(a.increase("mug", 2, "A", 2).ok());
  REQUIRE(b.increase("mug", 3, "B", 2).ok());
  CHECK(joined(a, b).quantity("mug") == 6);
  CHECK(joined(b, a).quantity("mug") == 6);
}

TEST_CASE("a line removed in one tab while another adds to it survives with the unseen units", "[merge]") {
  CartDoc a, b;
  REQUIRE(a.setQuantity("mug", 2, "A", 1).ok());
  b.merge(a);
  REQUIRE(a.setQuantity("mug", 0, "A", 2).ok());  // A removes the two it saw
  REQUIRE(b.increase("mug", 1, "B", 2).ok());      // B adds one A never saw
  CHECK(joined(a, b).view() == viewLines({{"mug", 1}}));
  CHECK(joined(b, a).view() == viewLines({{"mug", 1}}));
}

TEST_CASE("two tabs removing the same line at once remove it once", "[merge]") {
  CartDoc a, b, c;
  REQUIRE(a.setQuantity("mug", 2, "A", 1).ok());
  b.merge(a);
  c.merge(a);
  REQUIRE(a.setQuantity("mug", 0, "A", 2).ok());
  REQUIRE(b.setQuantity("mug", 0, "B", 2).ok());
  REQUIRE(c.increase("mug", 1, "C", 2).ok());  // concurrent with both removals
  CartDoc all = joined(joined(a, b), c);
  CHECK(all.quantity("mug") == 1);
  CHECK(joined(joined(c, a), b).sameContent(all));
}

TEST_CASE("concurrent decreases keep the lowest target, concurrent increases all count", "[merge]") {
  CartDoc a, b;
  REQUIRE(a.setQuantity("mug", 5, "A", 1).ok());
  REQUIRE(a.setQuantity("lamp", 2, "A", 1).ok());
  b.merge(a);
  REQUIRE(a.setQuantity("mug", 4, "A", 2).ok());
  REQUIRE(b.setQuantity("mug", 2, "B", 2).ok());
  REQUIRE(a.setQuantity("lamp", 5, "A", 2).ok());  // +3
  REQUIRE(b.setQuantity("lamp", 3, "B", 2).ok());  // +1
  CartDoc all = joined(a, b);
  CHECK(all.quantity("mug") == 2);
  CHECK(all.quantity("lamp") == 6);
}

TEST_CASE("lines keep the order they were created in, the same on every replica", "[merge]") {
  CartDoc a, b;
  REQUIRE(a.increase("mug", 1, "A", 1).ok());
  b.merge(a);
  REQUIRE(a.increase("lamp", 1, "A", 2).ok());
  REQUIRE(b.increase("card", 1, "B", 2).ok());  // concurrent with lamp: same Lamport clock, B sorts after A
  CHECK(joined(a, b).view() == viewLines({{"mug", 1}, {"lamp", 1}, {"card", 1}}));
  CHECK(joined(b, a).view() == joined(a, b).view());
  // A line removed and added again goes last, as in a single cart.
  CartDoc all = joined(a, b);
  REQUIRE(all.setQuantity("mug", 0, "A", 3).ok());
  REQUIRE(all.increase("mug", 2, "A", 4).ok());
  CHECK(all.view() == viewLines({{"lamp", 1}, {"card", 1}, {"mug", 2}}));
}

TEST_CASE("the checkout step and coupon are last-writer-wins, ties broken by replica", "[merge]") {
  CartDoc a, b;
  a.setContext("", "cart", "A", 10);
  b.setContext("SAVE10", "checkout", "B", 10);
  CHECK(joined(a, b).context.step == "checkout");
  CHECK(joined(b, a).context == joined(a, b).context);
  a.merge(b);
  a.setContext("SAVE10", "payment", "A", 5);  // a clock behind still wins over what it saw
  CHECK(joined(b, a).context.step == "payment");
}

TEST_CASE("a newer epoch replaces the document, an older one is ignored, still a join", "[merge]") {
  CartDoc a, b;
  REQUIRE(a.increase("mug", 2, "A", 1).ok());
  b.merge(a);
  REQUIRE(b.increase("lamp", 1, "B", 2).ok());
  CartDoc forgotten = a;
  forgotten.startEpoch(10, "A");
  CHECK(forgotten.view().empty());
  CHECK(forgotten.epoch.at == 10);
  CHECK(joined(forgotten, b).sameContent(forgotten));
  CHECK(joined(b, forgotten).sameContent(forgotten));
  CartDoc again = forgotten;
  again.startEpoch(5, "B");  // a clock behind still starts a later epoch
  CHECK(forgotten.epoch < again.epoch);
  REQUIRE(again.increase("cup", 1, "B", 11).ok());
  CHECK(joined(joined(a, forgotten), again).sameContent(joined(a, joined(again, forgotten))));
  CHECK(joined(forgotten, again).view() == viewLines({{"cup", 1}}));
  const std::string text = encodeSnapshot(again);
  SnapshotRead read = decodeSnapshot(text);
  REQUIRE(read.ok());
  CHECK(read.doc.epoch == again.epoch);
}

TEST_CASE("compaction drops only spent counters past the horizon and never changes the cart", "[merge][compact]") {
  CartDoc doc;
  REQUIRE(doc.setQuantity("mug", 2, "A", 1000).ok());
  REQUIRE(doc.setQuantity("mug", 0, "A", 2000).ok());
  REQUIRE(doc.setQuantity("lamp", 1, "A", 1000).ok());
  REQUIRE(doc.increase("lamp", 1, "B", 1500).ok());
  doc.decrease("lamp", 1, 1600);  // takes A's unit (replica order): A is spent, B still holds one
  const auto before = doc.view();
  CHECK(doc.compact(2500, 1000) == 0);  // mug touched at 2000: within the horizon
  CHECK(doc.compact(4000, 1000) == 2);  // mug's A and lamp's A
  CHECK(doc.lines.count("mug") == 0);
  CHECK(doc.lines.at("lamp").by.count("B") == 1);
  CHECK(doc.view() == before);
}

namespace {

struct Message {
  bool asText = false;
  CartDoc doc;
  std::string text;
};

struct Replica {
  std::string id;
  CartDoc doc;
  std::vector<Message> inbox;
};

// What the oracle knows per product: units added (an increase, or a set above what the tab saw) and each
// decrease's size (what the tab saw minus its target). Whatever the interleaving, removals only take units
// their tab saw, and two removals of the same units take them once, so:
//   added - sum(decreases) <= final <= added - max(decrease), and final == added without decreases.
struct Ledger {
  std::int64_t added = 0;
  std::int64_t decreased = 0;
  std::int64_t largestDecrease = 0;
  int decreases = 0;
};

const char* kProducts[] = {"mug", "lamp", "card", "vase", "rug", "cup"};

}  // namespace

TEST_CASE("randomized interleavings from several replicas converge and lose nothing", "[merge][property]") {
  std::mt19937 random(0xCA27);
  auto pick = [&](auto n) { return static_cast<std::size_t>(random() % static_cast<unsigned>(n)); };
  int runs = 0, concurrentRemovals = 0;
  std::vector<CartDoc> samples;
  for (int run = 0; run < 1500; ++run, ++runs) {
    const std::size_t replicaCount = 2 + pick(3);
    std::vector<Replica> replicas(replicaCount);
    for (std::size_t r = 0; r < replicaCount; ++r) replicas[r].id = "tab" + std::to_string(r) + "-" + std::to_string(run);
    std::map<std::string, Ledger> ledger;
    std::int64_t now = 1700000000000;
    const int steps = 10 + static_cast<int>(pick(60));
    for (int step = 0; step < steps; ++step) {
      now += static_cast<std::int64_t>(pick(50));
      Replica& self = replicas[pick(replicaCount)];
      const std::string product = kProducts[pick(6)];
      const auto seen = self.doc.quantity(product);
      switch (pick(9)) {
        case 0:
        case 1: {  // add
          const std::int64_t units = 1 + static_cast<std::int64_t>(pick(3));
          REQUIRE(self.doc.increase(product, units, self.id, now).ok());
          ledger[product].added += units;
          break;
        }
        case 2: {  // set quantity (the cart-view stepper or input)
          const std::int64_t target = static_cast<std::int64_t>(pick(7));
          REQUIRE(self.doc.setQuantity(product, target, self.id, now).ok());
          Ledger& l = ledger[product];
          if (target > seen) l.added += target - seen;
          if (target < seen) l.decreased += seen - target, l.largestDecrease = std::max(l.largestDecrease, seen - target), ++l.decreases;
          break;
        }
        case 3: {  // remove the line
          REQUIRE(self.doc.setQuantity(product, 0, self.id, now).ok());
          if (seen > 0) {
            Ledger& l = ledger[product];
            l.decreased += seen, l.largestDecrease = std::max(l.largestDecrease, seen), ++l.decreases;
          }
          break;
        }
        case 4: {  // clear the cart, rarely
          if (pick(4)) break;
          for (const auto& line : self.doc.view()) {
            Ledger& l = ledger[line.productId];
            l.decreased += line.quantity, l.largestDecrease = std::max(l.largestDecrease, line.quantity), ++l.decreases;
            REQUIRE(self.doc.setQuantity(line.productId, 0, self.id, now).ok());
          }
          break;
        }
        case 5:
        case 6: {  // broadcast the whole state, as object or as stored text
          Message message;
          message.asText = pick(2) == 0;
          if (message.asText) message.text = encodeSnapshot(self.doc);
          else message.doc = self.doc;
          for (auto& other : replicas)
            if (&other != &self && pick(5)) other.inbox.push_back(message);  // some messages never arrive
          break;
        }
        default: {  // deliver some message, in any order, sometimes twice
          if (self.inbox.empty()) break;
          const std::size_t index = pick(self.inbox.size());
          const Message message = self.inbox[index];
          if (pick(4)) self.inbox.erase(self.inbox.begin() + static_cast<std::ptrdiff_t>(index));
          if (message.asText) {
            SnapshotRead read = decodeSnapshot(message.text);
            REQUIRE(read.ok());
            self.doc.merge(read.doc);
          } else {
            self.doc.merge(message.doc);
          }
          if (pick(10) == 0) self.doc.compact(now, 3600000);  // horizon far beyond the run
          break;
        }
      }
      requireInvariants(self.doc);
      if (pick(40) == 0) samples.push_back(self.doc);
    }
    // Anti-entropy: everything eventually reaches everyone, in a shuffled order.
    for (int round = 0; round < 2; ++round)
      for (auto& to : replicas)
        for (std::size_t k = 0; k < replicaCount; ++k) to.doc.merge(replicas[pick(replicaCount)].doc), to.doc.merge(replicas[k].doc);
    for (auto& r : replicas) {
      INFO("run " << run << " replica " << r.id);
      REQUIRE(r.doc.sameContent(replicas[0].doc));
      REQUIRE(r.doc.view() == replicas[0].doc.view());
      REQUIRE(encodeSnapshot(r.doc).size() > 0);
    }
    for (const auto& [product, l] : ledger) {
      const std::int64_t final = replicas[0].doc.quantity(product);
      INFO("run " << run << " product " << product << " added " << l.added << " decreased " << l.decreased
                  << " largest " << l.largestDecrease << " final " << final);
      REQUIRE(final >= 0);
      if (l.decreases == 0) {
        REQUIRE(final == l.added);
      } else {
        REQUIRE(final >= l.added - l.decreased);
        REQUIRE(final <= l.added - l.largestDecrease);
        if (final > l.added - l.decreased) ++concurrentRemovals;
      }
    }
  }
  // The runs really exercised overlapping removals (not only sequential histories).
  CHECK(concurrentRemovals > 100);
  CHECK(runs == 1500);

  SECTION("merge is a join: commutative, associative, idempotent, on states from those runs") {
    REQUIRE(samples.size() > 100);
    for (int k = 0; k < 3000; ++k) {
      const CartDoc& a = samples[pick(samples.size())];
      const CartDoc& b = samples[pick(samples.size())];
      const CartDoc& c = samples[pick(samples.size())];
      REQUIRE(joined(a, b).sameContent(joined(b, a)));
      REQUIRE(joined(joined(a, b), c).sameContent(joined(a, joined(b, c))));
      REQUIRE(joined(a, a).sameContent(a));
      REQUIRE(joined(a, b).covers(a));
      REQUIRE(joined(a, b).covers(b));
    }
  }
}

TEST_CASE("without concurrency the replicated cart behaves exactly like one cart", "[merge][property]") {
  std::mt19937 random(77);
  auto pick = [&](auto n) { return static_cast<std::size_t>(random() % static_cast<unsigned>(n)); };
  for (int run = 0; run < 300; ++run) {
    std::vector<CartDoc> tabs(3);
    std::vector<ViewLine> model;  // a plain ordered cart
    for (int step = 0; step < 40; ++step) {
      CartDoc& tab = tabs[pick(3)];
      const std::string id = "tab" + std::to_string(&tab - tabs.data());
      const std::string product = kProducts[pick(6)];
      const std::int64_t target = static_cast<std::int64_t>(pick(5));
      REQUIRE(tab.setQuantity(product, target, id, step).ok());
      auto found = std::find_if(model.begin(), model.end(), [&](const ViewLine& l) { return l.productId == product; });
      if (target == 0 && found != model.end()) model.erase(found);
      else if (target > 0 && found != model.end()) found->quantity = target;
      else if (target > 0) model.push_back({product, target});
      for (auto& other : tabs) other.merge(tab);  // every change reaches every tab before the next one
      REQUIRE(tabs[pick(3)].view() == model);
    }
  }
}
