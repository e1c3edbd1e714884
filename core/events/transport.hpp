#pragma once
// The outbox: what goes to the merchant's endpoint, when, in which batches, and what happens on failure.
// JS only moves the bytes (fetch with keepalive, navigator.sendBeacon on pagehide, localStorage) and reports
// each outcome back; every decision is here:
//   - batches of at most `batchSize` events and `maxBatchBytes` bytes of body (sendBeacon takes 64 KiB);
//   - a batch goes `flushIntervalMs` after its oldest event was queued, at once when full or urgent;
//   - one fetch batch in flight at a time, so events arrive in order;
//   - 2xx delivers; network errors, 408, 425, 429 and 5xx retry with exponential backoff (doubling from
//     retryBaseMs up to retryMaxMs, with a deterministic jitter of 0-50% and at least Retry-After);
//     other 4xx drop the batch (413 halves the batch size first); after maxAttempts an event is dropped;
//   - at most `queueCap` events wait: the oldest are dropped first; events older than maxAgeHours too;
//   - every event has an id: an id already queued or already delivered is never queued again, so
//     adopting another page's stored outbox or a retry never delivers an event twice from this page;
//   - drops are counted and reported in the next payload ("dropped"), so the endpoint knows what it lost.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"

namespace cartkeep {

// Drops the oldest (front) elements of a queue kept oldest-first until at most `cap` remain. The event stream's
// queues are vectors rather than deques: they stay at a few hundred small elements, and a deque's code would be
// the module's only one.
template <class T>
void keepNewest(std::vector<T>& queue, std::size_t cap) {
  if (queue.size() > cap) queue.erase(queue.begin(), queue.end() - static_cast<std::ptrdiff_t>(cap));
}

struct TransportOptions {
  std::string endpoint;              // "" = nothing is ever sent
  std::int64_t batchSize = 20;       // events per request
  std::int64_t maxBatchBytes = 60000;
  std::int64_t flushIntervalMs = 5000;
  std::int64_t queueCap = 500;
  std::int64_t maxAgeHours = 168;
  std::int64_t retryBaseMs = 2000;
  std::int64_t retryMaxMs = 300000;
  std::int64_t maxAttempts = 8;
  bool beacon = true;                // navigator.sendBeacon on pagehide
};

struct DropCounts {
  std::int64_t cap = 0, age = 0, attempts = 0, rejected = 0;
  std::int64_t total() const noexcept { return cap + age + attempts + rejected; }
  bool operator==(const DropCounts& o) const noexcept {
    return cap == o.cap && age == o.age && attempts == o.attempts && rejected == o.rejected;
  }
};

struct OutboxEvent {
  std::string id;
  std::int64_t time = 0;        // when the event happened (epoch ms)
  std::int64_t queuedAt = 0;    // when it joined this outbox
  std::int64_t attempts = 0;
  std::int64_t notBefore = 0;   // backoff: not sent before this time
  std::string record;           // the event as JSON text
  bool urgent = false;
  std::string inFlight;         // batch id while a request carries it
  std::int64_t sentAt = 0;      // when that request started
};

struct OutboxBatch {
  std::string id;
  std::string method;           // "fetch" | "beacon"
  std::string body;             // the JSON payload
  std::vector<std::string> eventIds;
};

enum class FlushReason : std::uint8_t { Timer, Pagehide, Now };

// A request that never reports back (a frozen page) gives its events back to the queue after this long.
constexpr std::int64_t kInFlightTimeoutMs = 60000;
constexpr std::size_t kDeliveredMemory = 1000;

class Outbox {
 public:
  explicit Outbox(TransportOptions options = {}, std::string pageId = "page")
      : o_(std::move(options)), pageId_(std::move(pageId)) {}

  const TransportOptions& options() const noexcept { return o_; }
  void setPageId(std::string pageId) { pageId_ = std::move(pageId); }

  // Queues an event (record = its JSON text). False when its id is already queued or delivered.
  bool add(std::string id, std::int64_t time, std::string record, bool urgent, std::int64_t now);

  // The batches to send now: at most one fetch batch (none while one is in flight), or on pagehide every
  // queued event as beacon batches (fetch batches in flight are left to their keepalive requests).
  std::vector<OutboxBatch> take(std::int64_t now, FlushReason reason);
  // When take() should run next; +inf (as nullopt) when nothing waits.
  std::optional<std::int64_t> nextFlush(std::int64_t now) const;

  // The outcome of a batch: HTTP status (0: network error; -1: sendBeacon refused), Retry-After in ms (0: none).
  // Returns "delivered" | "retry" | "dropped" | "unknown" (a batch id it does not know).
  std::string result(std::string_view batchId, int status, std::int64_t retryAfterMs, std::int64_t now);

  // Drops every queued event (consent denied); returns how many.
  std::size_t clear();
  // Lets go of these events (another page adopted them); in-flight ones stay.
  std::size_t remove(const std::set<std::string>& ids);

  // The outbox as stored text: {v, page, updatedAt, closed, dropped, events: [...], delivered: [...]}.
  nlohmann::json save(std::int64_t now, bool closed) const;
  // Adopts a stored outbox (another page's or this page's own): events not queued or delivered here join,
  // subject to the cap and the age limit. Returns how many joined; malformed text adopts nothing.
  std::size_t adopt(const nlohmann::json& stored, std::int64_t now);

  std::size_t size() const noexcept { return events_.size(); }
  std::size_t inFlight() const noexcept;
  const DropCounts& dropped() const noexcept { return dropped_; }
  std::int64_t delivered() const noexcept { return deliveredCount_; }
  std::int64_t currentBatchSize() const noexcept { return batchSize_ ? batchSize_ : o_.batchSize; }
  const std::vector<OutboxEvent>& events() const noexcept { return events_; }
  nlohmann::json stats() const;  // {queued, inFlight, delivered, dropped: {cap, age, attempts, rejected}, batchSize}

  // The backoff before attempt `attempts + 1` of a batch whose first event is `firstId`.
  std::int64_t backoffMs(std::int64_t attempts, std::string_view firstId) const noexcept;

 private:
  bool knows(std::string_view id) const;
  void enforceCap();
  void expire(std::int64_t now);
  void dropOversize(std::int64_t now);
  void rememberDelivered(const std::string& id);
  std::string body(const std::vector<const OutboxEvent*>& events, std::string_view batchId, std::int64_t now,
                   bool withDrops) const;
  std::vector<OutboxBatch> pack(std::vector<OutboxEvent*> ready, std::int64_t now, const char* method, std::size_t maxBatches);

  TransportOptions o_;
  std::string pageId_;
  std::vector<OutboxEvent> events_;
  std::vector<std::string> deliveredIds_;  // the newest delivered ids, for dedupe
  DropCounts dropped_;
  DropCounts reported_;       // drops already carried by a delivered payload
  DropCounts inFlightDrops_;  // drops carried by the batch in flight
  std::int64_t deliveredCount_ = 0;
  std::int64_t batchSize_ = 0;  // lowered after a 413
  std::uint64_t batchSeq_ = 0;
};

}  // namespace cartkeep
