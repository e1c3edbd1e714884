// The outbox's batching and retry policy: size, bytes and interval batching, one request in flight,
// backoff with Retry-After, non-retryable statuses, 413, the attempt limit, the queue cap (oldest dropped,
// drops reported once), no duplicates by id, pagehide beacons, and the stored outbox adopted by another page.
#include <catch2/catch.hpp>

#include "events/transport.hpp"

using namespace cartkeep;
using nlohmann::json;

namespace {

TransportOptions opts(std::int64_t batchSize = 3, std::int64_t interval = 1000, std::int64_t cap = 100) {
  TransportOptions o;
  o.endpoint = "/collect";
  o.batchSize = batchSize;
  o.flushIntervalMs = interval;
  o.queueCap = cap;
  o.retryBaseMs = 1000;
  o.retryMaxMs = 10000;
  o.maxAttempts = 4;
  return o;
}

std::string rec(const std::string& id, std::size_t pad = 0) {
  return json{{"id", id}, {"name", "add-to-cart"}, {"pad", std::string(pad, 'x')}}.dump();
}

void addN(Outbox& box, int from, int to, std::int64_t now, std::size_t pad = 0) {
  for (int i = from; i <= to; ++i) REQUIRE(box.add("e" + std::to_string(i), now, rec("e" + std::to_string(i), pad), false, now));
}

std::vector<std::string> ids(const OutboxBatch& b) { return b.eventIds; }

json payload(const OutboxBatch& b) { return json::parse(b.body); }

}  // namespace

TEST_CASE("outbox: waits for the interval, sends at once when a batch is full, one request at a time", "[events][transport]") {
  Outbox box(opts(3, 1000), "pg1");
  addN(box, 1, 2, 0);
  CHECK(box.take(500, FlushReason::Timer).empty());
  CHECK(box.nextFlush(500) == 1000);
  auto batches = box.take(1000, FlushReason::Timer);
  REQUIRE(batches.size() == 1);
  CHECK(ids(batches[0]) == std::vector<std::string>{"e1", "e2"});
  CHECK(batches[0].method == "fetch");
  const json body = payload(batches[0]);
  CHECK(body["v"] == 1);
  CHECK(body["batch"] == "pg1-b1");
  CHECK(body["page"] == "pg1");
  CHECK(body["sentAt"] == 1000);
  CHECK_FALSE(body.contains("dropped"));
  CHECK(body["events"].size() == 2);
  CHECK(body["events"][0]["id"] == "e1");
  // While it is in flight, nothing else goes, even a full batch.
  addN(box, 3, 6, 1100);
  CHECK(box.take(5000, FlushReason::Timer).empty());
  CHECK(box.inFlight() == 2);
  CHECK(box.result("pg1-b1", 204, 0, 1200) == "delivered");
  CHECK(box.nextFlush(1200) == 1200);  // four waiting >= batch size 3: now
  auto next = box.take(1200, FlushReason::Timer);
  REQUIRE(next.size() == 1);
  CHECK(ids(next[0]) == std::vector<std::string>{"e3", "e4", "e5"});
  CHECK(box.result("pg1-b2", 200, 0, 1300) == "delivered");
  CHECK(box.take(1300, FlushReason::Timer).empty());  // e6 waits for its interval
  CHECK(box.nextFlush(1300) == 2100);
  CHECK(box.take(1300, FlushReason::Now).size() == 1);  // an explicit flush does not wait
  CHECK(box.result("unknown-batch", 200, 0, 1400) == "unknown");
  CHECK(box.delivered() == 5);
}

TEST_CASE("outbox: urgent events skip the interval, no endpoint sends nothing", "[events][transport]") {
  Outbox box(opts(10, 60000), "pg");
  REQUIRE(box.add("a", 0, rec("a"), false, 0));
  REQUIRE(box.add("b", 5, rec("b"), true, 5));
  CHECK(box.nextFlush(5) == 5);
  auto batches = box.take(5, FlushReason::Timer);
  REQUIRE(batches.size() == 1);
  CHECK(ids(batches[0]) == std::vector<std::string>{"a", "b"});  // the waiting event goes along

  Outbox none(TransportOptions{}, "pg");
  REQUIRE(none.add("a", 0, rec("a"), true, 0));
  CHECK(none.take(0, FlushReason::Now).empty());
  CHECK_FALSE(none.nextFlush(0).has_value());
}

TEST_CASE("outbox: batches never exceed maxBatchBytes", "[events][transport]") {
  TransportOptions o = opts(50, 0);
  o.maxBatchBytes = 2000;
  Outbox box(o, "pg");
  addN(box, 1, 9, 0, 500);  // ~550 bytes each
  auto first = box.take(0, FlushReason::Timer);
  REQUIRE(first.size() == 1);
  CHECK(first[0].body.size() <= 2000);
  CHECK(first[0].eventIds.size() == 3);
  REQUIRE(box.result(first[0].id, 200, 0, 1) == "delivered");
  // On pagehide everything left goes as several beacons, each within the limit.
  auto beacons = box.take(2, FlushReason::Pagehide);
  REQUIRE(beacons.size() == 2);
  std::size_t carried = 0;
  for (const auto& b : beacons) {
    CHECK(b.method == "beacon");
    CHECK(b.body.size() <= 2000);
    carried += b.eventIds.size();
  }
  CHECK(carried == 6);
  // An event larger than any request can never be sent: dropped and counted as rejected.
  REQUIRE(box.add("huge", 3, rec("huge", 3000), false, 3));
  CHECK(box.take(3, FlushReason::Now).empty());
  CHECK(box.dropped().rejected == 1);
}

TEST_CASE("outbox: retry with exponential backoff, jitter, Retry-After and an attempt limit", "[events][transport]") {
  Outbox box(opts(5, 0), "pg");
  // The backoff doubles from the base, with 0-50% deterministic jitter, capped at retryMaxMs.
  for (std::int64_t attempt = 1; attempt <= 6; ++attempt) {
    const std::int64_t base = std::min<std::int64_t>(10000, 1000LL << (attempt - 1));
    const std::int64_t wait = box.backoffMs(attempt, "e1");
    INFO("attempt " << attempt);
    CHECK(wait >= base);
    CHECK(wait <= std::min<std::int64_t>(10000, base * 3 / 2));
    CHECK(wait == box.backoffMs(attempt, "e1"));  // deterministic
  }
  CHECK(box.backoffMs(1, "e1") != box.backoffMs(1, "zz9"));  // jitter spreads pages apart

  addN(box, 1, 2, 0);
  auto b1 = box.take(0, FlushReason::Timer);
  REQUIRE(b1.size() == 1);
  CHECK(box.result(b1[0].id, 503, 0, 100) == "retry");
  const std::int64_t wait1 = box.backoffMs(1, "e1");
  CHECK(box.events()[0].attempts == 1);
  CHECK(box.events()[0].notBefore == 100 + wait1);
  CHECK(box.take(100 + wait1 - 1, FlushReason::Now).empty());
  CHECK(box.nextFlush(200) == 100 + wait1);
  auto b2 = box.take(100 + wait1, FlushReason::Timer);
  REQUIRE(b2.size() == 1);
  CHECK(payload(b2[0])["events"][0]["id"] == "e1");  // the same events, the same ids
  // Retry-After longer than the backoff wins.
  CHECK(box.result(b2[0].id, 429, 60000, 5000) == "retry");
  CHECK(box.events()[0].notBefore == 65000);
  auto b3 = box.take(65000, FlushReason::Timer);
  CHECK(box.result(b3[0].id, 0, 0, 65000) == "retry");  // network error
  auto b4 = box.take(box.events()[0].notBefore, FlushReason::Timer);
  CHECK(box.result(b4[0].id, 500, 0, 200000) == "dropped");  // the 4th attempt failed: maxAttempts 4
  CHECK(box.size() == 0);
  CHECK(box.dropped().attempts == 2);
}

TEST_CASE("outbox: 4xx drops, 413 halves the batch, a refused beacon costs nothing", "[events][transport]") {
  Outbox box(opts(4, 0), "pg");
  addN(box, 1, 4, 0);
  auto b = box.take(0, FlushReason::Timer);
  CHECK(box.result(b[0].id, 413, 0, 1) == "retry");
  CHECK(box.currentBatchSize() == 2);
  CHECK(box.events()[0].attempts == 0);
  auto halves = box.take(1, FlushReason::Timer);
  REQUIRE(halves.size() == 1);
  CHECK(halves[0].eventIds.size() == 2);
  CHECK(box.result(halves[0].id, 400, 0, 2) == "dropped");
  CHECK(box.dropped().rejected == 2);
  CHECK(box.size() == 2);
  auto beacons = box.take(3, FlushReason::Pagehide);
  REQUIRE(beacons.size() == 1);
  CHECK(box.result(beacons[0].id, -1, 0, 3) == "retry");
  CHECK(box.events()[0].attempts == 0);
  CHECK(box.events()[0].notBefore == 0);
  CHECK(box.size() == 2);
}

TEST_CASE("outbox: the cap drops the oldest and the next payload reports it once", "[events][transport]") {
  Outbox box(opts(10, 0, 5), "pg");
  addN(box, 1, 8, 0);
  CHECK(box.size() == 5);
  CHECK(box.dropped().cap == 3);
  CHECK(box.events().front().id == "e4");
  auto b = box.take(1, FlushReason::Timer);
  REQUIRE(b.size() == 1);
  const json body = payload(b[0]);
  CHECK(body["dropped"] == json{{"cap", 3}, {"age", 0}, {"attempts", 0}, {"rejected", 0}});
  CHECK(body["events"].size() == 5);
  CHECK(box.result(b[0].id, 200, 0, 2) == "delivered");
  addN(box, 9, 9, 3);
  auto after = box.take(3, FlushReason::Timer);
  CHECK_FALSE(payload(after[0]).contains("dropped"));  // reported once
  // A failed request keeps the drops for the next payload.
  Outbox failing(opts(10, 0, 2), "pg");
  addN(failing, 1, 3, 0);
  auto f1 = failing.take(0, FlushReason::Timer);
  CHECK(failing.result(f1[0].id, 500, 0, 0) == "retry");
  auto f2 = failing.take(failing.events()[0].notBefore, FlushReason::Timer);
  CHECK(payload(f2[0])["dropped"]["cap"] == 1);
  // In-flight events are never dropped by the cap.
  addN(failing, 4, 6, 1);
  CHECK(failing.size() == 2);
  CHECK(failing.inFlight() == 2);
}

TEST_CASE("outbox: an id is queued once and never again after delivery", "[events][transport]") {
  Outbox box(opts(), "pg");
  CHECK(box.add("x", 0, rec("x"), false, 0));
  CHECK_FALSE(box.add("x", 0, rec("x"), false, 0));
  auto b = box.take(0, FlushReason::Now);
  CHECK(box.result(b[0].id, 200, 0, 1) == "delivered");
  CHECK_FALSE(box.add("x", 2, rec("x"), false, 2));
  CHECK_FALSE(box.add("", 2, rec(""), false, 2));
}

TEST_CASE("outbox: old events expire, a silent request gives its events back", "[events][transport]") {
  TransportOptions o = opts(10, 0);
  o.maxAgeHours = 1;
  Outbox box(o, "pg");
  REQUIRE(box.add("old", 0, rec("old"), false, 0));
  REQUIRE(box.add("new", 3000000, rec("new"), false, 3000000));
  auto b = box.take(3700000, FlushReason::Timer);
  REQUIRE(b.size() == 1);
  CHECK(b[0].eventIds == std::vector<std::string>{"new"});
  CHECK(box.dropped().age == 1);
  CHECK(box.nextFlush(3700000) == 3700000 + kInFlightTimeoutMs + 1);
  CHECK(box.take(3700000 + kInFlightTimeoutMs + 1, FlushReason::Timer).size() == 1);  // released and sent again
}

TEST_CASE("outbox: a stored outbox is adopted without duplicates, oldest first under the cap", "[events][transport]") {
  Outbox gone(opts(10, 0, 4), "pageA");
  addN(gone, 1, 3, 10);
  auto sent = gone.take(10, FlushReason::Timer);
  REQUIRE(gone.result(sent[0].id, 200, 0, 11) == "delivered");
  addN(gone, 4, 6, 20);  // e4..e6 undelivered
  auto b = gone.take(20, FlushReason::Timer);
  REQUIRE(gone.result(b[0].id, 503, 0, 21) == "retry");
  const json stored = gone.save(30, true);
  CHECK(stored["closed"] == true);
  CHECK(stored["events"].size() == 3);
  CHECK(stored["delivered"] == json::array({"e1", "e2", "e3"}));
  CHECK(stored["events"][0]["attempts"] == 1);

  Outbox next(opts(10, 0, 4), "pageB");
  REQUIRE(next.add("e5", 20, rec("e5"), false, 40));  // already here: not twice
  REQUIRE(next.add("n1", 40, rec("n1"), false, 40));
  CHECK(next.adopt(stored, 50) == 2);
  CHECK(next.size() == 4);
  std::vector<std::string> order;
  for (const auto& e : next.events()) order.push_back(e.id);
  CHECK(order == std::vector<std::string>{"e5", "e4", "e6", "n1"});  // by time, then queue order
  CHECK_FALSE(next.add("e2", 10, rec("e2"), false, 60));  // delivered by pageA
  CHECK(next.adopt(json{{"v", 2}}, 60) == 0);
  CHECK(next.adopt(json::array(), 60) == 0);
  CHECK(next.adopt(json{{"v", 1}, {"events", {{{"id", 5}}, {{"id", "ok"}, {"record", "{}"}}}}}, 60) == 1);
  CHECK(next.size() == 4);  // cap 4: the oldest made room
  CHECK(next.dropped().cap == 1);
  CHECK(next.remove({"n1", "ok"}) == 2);
}

TEST_CASE("outbox: a retry is due after its backoff, not after another interval", "[events][transport]") {
  Outbox box(opts(3, 60000), "pg");
  addN(box, 1, 3, 0);
  CHECK(box.nextFlush(0) == 0);  // a full batch
  auto b = box.take(0, FlushReason::Timer);
  REQUIRE(box.result(b[0].id, 503, 0, 10) == "retry");
  const std::int64_t at = 10 + box.backoffMs(1, "e1");
  CHECK(box.nextFlush(20) == at);
  CHECK(box.take(at, FlushReason::Timer).size() == 1);
}
