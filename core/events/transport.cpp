#include "events/transport.hpp"

#include <algorithm>
#include <cmath>

#include "behaviour/nudge.hpp"  // stableShare: the same FNV-1a share in every runtime
#include "base/json_build.hpp"
#include "base/stable_sort.hpp"

namespace cartkeep {
using nlohmann::json;

namespace {

json dropsJson(const DropCounts& d) {
  return jsonObject({{"cap", d.cap}, {"age", d.age}, {"attempts", d.attempts}, {"rejected", d.rejected}});
}

DropCounts minus(const DropCounts& a, const DropCounts& b) {
  return DropCounts{a.cap - b.cap, a.age - b.age, a.attempts - b.attempts, a.rejected - b.rejected};
}

void addTo(DropCounts& into, const DropCounts& more) {
  into.cap += more.cap;
  into.age += more.age;
  into.attempts += more.attempts;
  into.rejected += more.rejected;
}

std::int64_t readInt(const json& object, const char* key, std::int64_t fallback) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_number()) return fallback;
  const double value = found->get<double>();
  if (!std::isfinite(value) || std::fabs(value) > 9.0e15) return fallback;
  return static_cast<std::int64_t>(value);
}

bool retryable(int status) {
  return status == 0 || status == 408 || status == 425 || status == 429 || (status >= 500 && status <= 599) ||
         status < 200 || (status >= 300 && status <= 399);
}

}  // namespace

bool Outbox::knows(std::string_view id) const {
  for (const auto& e : events_)
    if (e.id == id) return true;
  return std::find(deliveredIds_.begin(), deliveredIds_.end(), id) != deliveredIds_.end();
}

void Outbox::rememberDelivered(const std::string& id) {
  deliveredIds_.push_back(id);
  keepNewest(deliveredIds_, kDeliveredMemory);
}

void Outbox::enforceCap() {
  const auto cap = static_cast<std::size_t>(o_.queueCap);
  for (auto it = events_.begin(); events_.size() > cap && it != events_.end();) {
    if (!it->inFlight.empty()) {
      ++it;
      continue;
    }
    it = events_.erase(it);
    ++dropped_.cap;
  }
}

void Outbox::expire(std::int64_t now) {
  const std::int64_t oldest = now - o_.maxAgeHours * 3600 * 1000;
  for (auto it = events_.begin(); it != events_.end();) {
    if (it->inFlight.empty() && it->time < oldest) {
      it = events_.erase(it);
      ++dropped_.age;
    } else {
      ++it;
    }
  }
}

bool Outbox::add(std::string id, std::int64_t time, std::string record, bool urgent, std::int64_t now) {
  if (id.empty() || knows(id)) return false;
  OutboxEvent e;
  e.id = std::move(id);
  e.time = time;
  e.queuedAt = now;
  e.record = std::move(record);
  e.urgent = urgent;
  events_.push_back(std::move(e));
  enforceCap();
  return true;
}

std::size_t Outbox::inFlight() const noexcept {
  return static_cast<std::size_t>(
      std::count_if(events_.begin(), events_.end(), [](const OutboxEvent& e) { return !e.inFlight.empty(); }));
}

std::int64_t Outbox::backoffMs(std::int64_t attempts, std::string_view firstId) const noexcept {
  if (attempts < 1) attempts = 1;
  double delay = static_cast<double>(o_.retryBaseMs);
  for (std::int64_t i = 1; i < attempts && delay < static_cast<double>(o_.retryMaxMs); ++i) delay *= 2;
  const double jitter = stableShare(std::string(firstId) + ":" + std::to_string(attempts));  // [0, 1)
  delay *= 1.0 + 0.5 * jitter;
  return std::min(o_.retryMaxMs, static_cast<std::int64_t>(std::llround(delay)));
}

std::string Outbox::body(const std::vector<const OutboxEvent*>& events, std::string_view batchId, std::int64_t now,
                         bool withDrops) const {
  json head = jsonObject({{"v", 1}, {"batch", std::string(batchId)}, {"page", pageId_}, {"sentAt", now}});
  const DropCounts unreported = minus(dropped_, reported_);
  if (withDrops && unreported.total() > 0) head["dropped"] = dropsJson(unreported);
  std::string text = head.dump();
  text.pop_back();  // the closing brace: events follow
  text += ",\"events\":[";
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i) text += ',';
    text += events[i]->record;
  }
  text += "]}";
  return text;
}

std::vector<OutboxBatch> Outbox::pack(std::vector<OutboxEvent*> ready, std::int64_t now, const char* method,
                                      std::size_t maxBatches) {
  std::vector<OutboxBatch> batches;
  const auto perBatch = static_cast<std::size_t>(currentBatchSize());
  const auto maxBytes = static_cast<std::size_t>(o_.maxBatchBytes);
  std::size_t i = 0;
  while (i < ready.size() && batches.size() < maxBatches) {
    const std::string batchId = pageId_ + "-b" + std::to_string(++batchSeq_);
    std::vector<const OutboxEvent*> chosen;
    const bool withDrops = batches.empty();  // only the first batch carries the unreported drops
    std::size_t bytes = body({}, batchId, now, withDrops).size();
    // dropOversize() ran first, so the first event always fits.
    while (i < ready.size() && chosen.size() < perBatch) {
      const std::size_t more = ready[i]->record.size() + (chosen.empty() ? 0 : 1);
      if (!chosen.empty() && bytes + more > maxBytes) break;
      bytes += more;
      chosen.push_back(ready[i]);
      ++i;
    }
    if (chosen.empty()) break;
    if (withDrops) inFlightDrops_ = minus(dropped_, reported_);
    OutboxBatch batch{batchId, method, body(chosen, batchId, now, withDrops), {}};
    for (std::size_t k = i - chosen.size(); k < i; ++k) {
      batch.eventIds.push_back(ready[k]->id);
      ready[k]->inFlight = batchId;
      ready[k]->sentAt = now;
    }
    batches.push_back(std::move(batch));
  }
  return batches;
}

void Outbox::dropOversize(std::int64_t now) {
  // The envelope with the longest ids and drop counts a payload can have, plus the event.
  const std::size_t envelope = body({}, pageId_ + "-b" + std::to_string(batchSeq_ + 1000000), now, true).size() + 80;
  for (auto it = events_.begin(); it != events_.end();) {
    if (it->inFlight.empty() && it->record.size() + envelope > static_cast<std::size_t>(o_.maxBatchBytes)) {
      it = events_.erase(it);
      ++dropped_.rejected;  // larger than any request may be: it can never be sent
    } else {
      ++it;
    }
  }
}

std::vector<OutboxBatch> Outbox::take(std::int64_t now, FlushReason reason) {
  if (o_.endpoint.empty()) return {};
  expire(now);
  dropOversize(now);
  // A request that never answered (a frozen or killed page) gives its events back.
  for (auto& e : events_)
    if (!e.inFlight.empty() && now - e.sentAt > kInFlightTimeoutMs) e.inFlight.clear();
  if (reason == FlushReason::Pagehide) {
    std::vector<OutboxEvent*> all;
    for (auto& e : events_)
      if (e.inFlight.empty()) all.push_back(&e);
    return pack(std::move(all), now, o_.beacon ? "beacon" : "fetch", 64);
  }
  if (inFlight() > 0) return {};
  std::vector<OutboxEvent*> ready;
  bool due = false;
  for (auto& e : events_) {
    if (e.notBefore > now) continue;
    ready.push_back(&e);
    if (e.urgent || e.attempts > 0 || reason == FlushReason::Now || e.queuedAt + o_.flushIntervalMs <= now) due = true;
  }
  if (ready.size() >= static_cast<std::size_t>(currentBatchSize())) due = true;
  if (!due || ready.empty()) return {};
  return pack(std::move(ready), now, "fetch", 1);
}

std::optional<std::int64_t> Outbox::nextFlush(std::int64_t now) const {
  if (o_.endpoint.empty() || events_.empty()) return std::nullopt;
  if (inFlight() > 0) {
    // Only a request that never answers needs a timer: its events come back after the timeout.
    std::int64_t oldest = INT64_MAX;
    for (const auto& e : events_)
      if (!e.inFlight.empty()) oldest = std::min(oldest, e.sentAt);
    return std::max(now, oldest + kInFlightTimeoutMs + 1);
  }
  // An event is due after the interval (a retry or an urgent one at once), and a full batch as soon as the
  // batchSize-th event may go.
  std::int64_t next = INT64_MAX;
  std::vector<std::int64_t> readyAt;
  for (const auto& e : events_) {
    readyAt.push_back(e.notBefore);
    const bool prompt = e.urgent || e.attempts > 0;
    next = std::min(next, prompt ? e.notBefore : std::max(e.notBefore, e.queuedAt + o_.flushIntervalMs));
  }
  const auto full = static_cast<std::size_t>(currentBatchSize());
  if (readyAt.size() >= full) {
    std::nth_element(readyAt.begin(), readyAt.begin() + static_cast<std::ptrdiff_t>(full - 1), readyAt.end());
    next = std::min(next, readyAt[full - 1]);
  }
  return std::max(now, next);
}

std::string Outbox::result(std::string_view batchId, int status, std::int64_t retryAfterMs, std::int64_t now) {
  std::vector<OutboxEvent*> carried;
  for (auto& e : events_)
    if (e.inFlight == batchId) carried.push_back(&e);
  if (carried.empty()) return "unknown";
  const std::string firstId = carried.front()->id;
  const std::size_t count = carried.size();
  auto removeCarried = [&](bool deliveredNow) {
    for (auto it = events_.begin(); it != events_.end();) {
      if (it->inFlight == batchId) {
        if (deliveredNow) rememberDelivered(it->id);
        it = events_.erase(it);
      } else {
        ++it;
      }
    }
  };
  if (status >= 200 && status <= 299) {
    deliveredCount_ += static_cast<std::int64_t>(count);
    addTo(reported_, inFlightDrops_);
    inFlightDrops_ = {};
    removeCarried(true);
    return "delivered";
  }
  inFlightDrops_ = {};
  if (status == -1) {  // sendBeacon refused (quota): nothing was sent, nothing is held against the events
    for (auto* e : carried) e->inFlight.clear();
    return "retry";
  }
  if (status == 413 && count > 1) {
    batchSize_ = std::max<std::int64_t>(1, static_cast<std::int64_t>(count / 2));
    for (auto* e : carried) e->inFlight.clear();
    return "retry";
  }
  if (!retryable(status)) {
    dropped_.rejected += static_cast<std::int64_t>(count);
    removeCarried(false);
    return "dropped";
  }
  const std::int64_t wait = std::max(retryAfterMs, std::int64_t{0});
  std::size_t droppedNow = 0;
  for (auto it = events_.begin(); it != events_.end();) {
    if (it->inFlight != batchId) {
      ++it;
      continue;
    }
    it->inFlight.clear();
    ++it->attempts;
    if (it->attempts >= o_.maxAttempts) {
      ++dropped_.attempts;
      ++droppedNow;
      it = events_.erase(it);
      continue;
    }
    it->notBefore = now + std::max(backoffMs(it->attempts, firstId), wait);
    ++it;
  }
  return droppedNow == count ? "dropped" : "retry";
}

std::size_t Outbox::clear() {
  const std::size_t n = events_.size();
  events_.clear();
  inFlightDrops_ = {};
  return n;
}

std::size_t Outbox::remove(const std::set<std::string>& ids) {
  const std::size_t before = events_.size();
  events_.erase(std::remove_if(events_.begin(), events_.end(),
                               [&](const OutboxEvent& e) { return e.inFlight.empty() && ids.count(e.id); }),
                events_.end());
  return before - events_.size();
}

json Outbox::save(std::int64_t now, bool closed) const {
  json events = json::array();
  for (const auto& e : events_)
    events.push_back(jsonObject({{"id", e.id}, {"time", e.time}, {"queuedAt", e.queuedAt}, {"attempts", e.attempts},
                          {"notBefore", e.notBefore}, {"urgent", e.urgent}, {"record", e.record}}));
  json delivered = json::array();
  // The newest delivered ids travel along, so whoever adopts this outbox does not queue them again.
  const std::size_t keep = std::min<std::size_t>(deliveredIds_.size(), 200);
  for (std::size_t i = deliveredIds_.size() - keep; i < deliveredIds_.size(); ++i) delivered.push_back(deliveredIds_[i]);
  return jsonObject({{"v", 1},          {"page", pageId_},  {"updatedAt", now},     {"closed", closed},
              {"dropped", dropsJson(minus(dropped_, reported_))}, {"events", std::move(events)},
              {"delivered", std::move(delivered)}});
}

std::size_t Outbox::adopt(const json& stored, std::int64_t now) {
  if (!stored.is_object() || stored.value("v", 0) != 1) return 0;
  auto delivered = stored.find("delivered");
  if (delivered != stored.end() && delivered->is_array())
    for (const auto& id : *delivered)
      if (id.is_string() && !knows(id.get_ref<const std::string&>())) rememberDelivered(id.get<std::string>());
  auto drops = stored.find("dropped");
  if (drops != stored.end() && drops->is_object()) {
    dropped_.cap += std::max<std::int64_t>(0, readInt(*drops, "cap", 0));
    dropped_.age += std::max<std::int64_t>(0, readInt(*drops, "age", 0));
    dropped_.attempts += std::max<std::int64_t>(0, readInt(*drops, "attempts", 0));
    dropped_.rejected += std::max<std::int64_t>(0, readInt(*drops, "rejected", 0));
  }
  auto events = stored.find("events");
  if (events == stored.end() || !events->is_array()) return 0;
  std::vector<OutboxEvent> joining;
  for (const auto& item : *events) {
    if (!item.is_object()) continue;
    auto id = item.find("id");
    auto record = item.find("record");
    if (id == item.end() || !id->is_string() || id->get_ref<const std::string&>().empty() ||
        id->get_ref<const std::string&>().size() > 120 || record == item.end() || !record->is_string())
      continue;
    if (knows(id->get_ref<const std::string&>())) continue;
    if (std::any_of(joining.begin(), joining.end(), [&](const OutboxEvent& e) { return e.id == *id; })) continue;
    OutboxEvent e;
    e.id = id->get<std::string>();
    e.time = readInt(item, "time", now);
    e.queuedAt = std::min(now, readInt(item, "queuedAt", now));
    e.attempts = std::max<std::int64_t>(0, readInt(item, "attempts", 0));
    e.notBefore = readInt(item, "notBefore", 0);
    e.urgent = item.value("urgent", false);
    e.record = record->get<std::string>();
    joining.push_back(std::move(e));
  }
  // Oldest first, so the cap drops the oldest of both queues.
  std::vector<std::string> joined;
  for (auto& e : joining) {
    joined.push_back(e.id);
    events_.push_back(std::move(e));
  }
  stableSort(events_, [](const OutboxEvent& a, const OutboxEvent& b) { return a.time < b.time; });
  expire(now);
  enforceCap();
  std::size_t kept = 0;
  for (const auto& id : joined)
    kept += std::any_of(events_.begin(), events_.end(), [&](const OutboxEvent& e) { return e.id == id; }) ? 1 : 0;
  return kept;
}

json Outbox::stats() const {
  return jsonObject({{"queued", events_.size()},
              {"inFlight", inFlight()},
              {"delivered", deliveredCount_},
              {"dropped", dropsJson(dropped_)},
              {"batchSize", currentBatchSize()}});
}

}  // namespace cartkeep
