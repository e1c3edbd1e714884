#include "persistence/persistence.hpp"

#include <algorithm>
#include <unordered_map>

#include "base/json_fields.hpp"
#include "base/json_build.hpp"
#include "base/url.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {

constexpr ErrorCode kPersistenceCode = ErrorCode::InvalidOptions;
const std::string kPersistencePath = "options.persistence";

bool isKeyText(std::string_view text, std::size_t max, bool allowDot) {
  if (text.empty() || text.size() > max) return false;
  return std::all_of(text.begin(), text.end(), [&](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           (allowDot && c == '.');
  });
}

Result<std::string> readChoice(const json& object, std::string_view key, const std::string& at,
                               std::initializer_list<const char*> choices, std::string fallback) {
  auto found = object.find(std::string(key));
  if (found == object.end() || found->is_null()) return fallback;
  std::string list;
  for (const char* choice : choices) {
    if (found->is_string() && *found == choice) return std::string(choice);
    list += (list.empty() ? "\"" : ", \"") + std::string(choice) + "\"";
  }
  return jf::invalid(kPersistenceCode, jf::child(at, key), "expected one of " + list + ", " + jf::describeValue(*found));
}

json toJson(const std::optional<Error>& problem) { return errorJson(*problem); }

std::string titleFor(const WantedLine& line, const Product* product) {
  if (product) return product->title;
  if (line.seen && line.seen->known() && !line.seen->title.empty()) return line.seen->title;
  return line.productId;
}

}  // namespace

Result<PersistenceOptions> parsePersistenceOptions(const json& root) {
  PersistenceOptions options;
  auto found = root.find("persistence");
  if (found == root.end() || found->is_null()) return options;
  if (found->is_boolean()) {
    options.enabled = found->get<bool>();
    return options;
  }
  const json& value = *found;
  CARTKEEP_TRY(jf::expectObject(value, kPersistencePath, kPersistenceCode));
  CARTKEEP_TRY(jf::rejectUnknownKeys(value, kPersistencePath, kPersistenceCode,
                                     {"enabled", "storage", "namespace", "ttlDays", "sync", "returningAfterMinutes",
                                      "resumeUrls", "link"}));
  CARTKEEP_TRY_ASSIGN(options.enabled, jf::readBool(value, "enabled", kPersistencePath, kPersistenceCode, true));
  CARTKEEP_TRY_ASSIGN(options.storage,
                      readChoice(value, "storage", kPersistencePath, {"local", "session", "indexeddb", "memory", "custom"}, "local"));
  CARTKEEP_TRY_ASSIGN(options.keyPrefix, jf::readString(value, "namespace", kPersistencePath, kPersistenceCode, {false, 0, 64}, "default"));
  if (!isKeyText(options.keyPrefix, 64, true))
    return jf::invalid(kPersistenceCode, jf::child(kPersistencePath, "namespace"),
                       "expected 1-64 characters of A-Z a-z 0-9 _ - . (it names the storage keys), " +
                           jf::describeValue(value["namespace"]));
  CARTKEEP_TRY_ASSIGN(options.ttlDays, jf::readInteger(value, "ttlDays", kPersistencePath, kPersistenceCode, {false, 1, 400}, 30));
  auto sync = value.find("sync");
  if (sync != value.end() && !sync->is_null()) {
    if (sync->is_boolean()) options.sync = sync->get<bool>() ? "on" : "off";
    else if (*sync == "auto") options.sync = "auto";
    else return jf::invalid(kPersistenceCode, jf::child(kPersistencePath, "sync"), "expected true, false or \"auto\", " + jf::describeValue(*sync));
  }
  CARTKEEP_TRY_ASSIGN(options.returningAfterMinutes,
                      jf::readInteger(value, "returningAfterMinutes", kPersistencePath, kPersistenceCode, {false, 0, 525600}, 30));
  auto urls = value.find("resumeUrls");
  if (urls != value.end() && !urls->is_null()) {
    const std::string at = jf::child(kPersistencePath, "resumeUrls");
    CARTKEEP_TRY(jf::expectObject(*urls, at, kPersistenceCode));
    if (urls->size() > 32) return jf::invalid(kPersistenceCode, at, "more than 32 steps");
    for (const auto& item : urls->items()) {
      const std::string itemAt = jf::child(at, item.key());
      if (item.key().empty() || !isStepName(item.key()))
        return jf::invalid(kPersistenceCode, itemAt, "a checkout step is 1-32 characters of a-z 0-9 -");
      if (!item.value().is_string()) return jf::invalid(kPersistenceCode, itemAt, "expected a URL, " + jf::describeValue(item.value()));
      CARTKEEP_TRY(checkUrl(item.value().get<std::string>(), itemAt, kPersistenceCode));
      options.resumeUrls[item.key()] = item.value().get<std::string>();
    }
  }
  auto link = value.find("link");
  if (link != value.end() && !link->is_null()) {
    const std::string at = jf::child(kPersistencePath, "link");
    CARTKEEP_TRY(jf::expectObject(*link, at, kPersistenceCode));
    CARTKEEP_TRY(jf::rejectUnknownKeys(*link, at, kPersistenceCode, {"param", "maxLength", "mode", "url"}));
    CARTKEEP_TRY_ASSIGN(options.link.param, jf::readString(*link, "param", at, kPersistenceCode, {false, 0, 32}, "cartkeep"));
    if (!isKeyText(options.link.param, 32, false))
      return jf::invalid(kPersistenceCode, jf::child(at, "param"), "expected 1-32 characters of A-Z a-z 0-9 _ -");
    CARTKEEP_TRY_ASSIGN(options.link.maxLength,
                        jf::readInteger(*link, "maxLength", at, kPersistenceCode,
                                        {false, static_cast<std::int64_t>(kMinLinkLength),
                                         static_cast<std::int64_t>(kMaxLinkLength)},
                                        4000));
    CARTKEEP_TRY_ASSIGN(options.link.mode, readChoice(*link, "mode", at, {"merge", "replace"}, "merge"));
    CARTKEEP_TRY_ASSIGN(options.link.url, readUrl(*link, "url", at, kPersistenceCode));
  }
  return options;
}

json toJson(const PersistenceOptions& options) {
  return jsonObject({{"enabled", options.enabled},
              {"storage", options.storage},
              {"namespace", options.keyPrefix},
              {"ttlDays", options.ttlDays},
              {"sync", options.sync},
              {"returningAfterMinutes", options.returningAfterMinutes},
              {"resumeUrls", options.resumeUrls},
              {"link", jsonObject({{"param", options.link.param},
                        {"maxLength", options.link.maxLength},
                        {"mode", options.link.mode},
                        {"url", options.link.url}})}});
}

Repriced reprice(const std::vector<WantedLine>& wanted, const Catalog& catalog, const CartOptions& limits,
                 bool comparePrices) {
  Repriced out;
  Minor subtotal = 0;
  for (const auto& line : wanted) {
    if (line.quantity <= 0) continue;
    const Product* product = catalog.find(line.productId);
    const std::string title = titleFor(line, product);
    auto removed = [&](const char* reason) {
      out.notices.push_back(jsonObject({{"kind", "removed"}, {"reason", reason}, {"productId", line.productId},
                             {"title", title}, {"quantity", line.quantity},
                             {"message", shopperMessage(std::string("persist.notice.removed.") + reason, jsonObject({{"title", title}}))}}));
    };
    if (!product) {
      if (!line.linkPath.empty())
        out.notices.push_back(jsonObject({{"kind", "link-unknown"}, {"productId", line.productId}, {"path", line.linkPath},
                                          {"message", shopperMessage("persist.notice.link-unknown", jsonObject({{"id", line.productId}}))}}));
      else
        removed("unavailable");
      continue;
    }
    if (product->stock && *product->stock == 0) {
      removed("out-of-stock");
      continue;
    }
    if (static_cast<std::int64_t>(out.lines.size()) >= limits.maxLines) {
      removed("cart-full");
      continue;
    }
    std::int64_t quantity = line.quantity;
    const bool stockBound = product->stock && *product->stock < limits.maxQuantityPerLine;
    const std::int64_t cap = stockBound ? *product->stock : limits.maxQuantityPerLine;
    if (quantity > cap) {
      const std::string reason = stockBound ? "stock" : "limit";
      out.notices.push_back(jsonObject({{"kind", "quantity-reduced"}, {"reason", reason},
                             {"productId", line.productId}, {"title", title}, {"from", quantity}, {"to", cap},
                             {"message", shopperMessage("persist.notice.quantity-reduced." + reason,
                                                        jsonObject({{"title", title}, {"from", jsonObject({{"number", quantity}})},
                                                                    {"to", jsonObject({{"number", cap}})}}))}}));
      quantity = cap;
    }
    auto lineTotal = checkedMul(product->price, quantity);
    auto sum = lineTotal ? checkedAdd(subtotal, *lineTotal) : std::nullopt;
    if (!sum || !isJsSafe(*sum)) {
      removed("overflow");
      continue;
    }
    subtotal = *sum;
    if (comparePrices && line.seen && line.seen->known() && line.seen->price != product->price)
      out.notices.push_back(jsonObject({{"kind", "price-changed"}, {"productId", line.productId}, {"title", title},
                             {"from", line.seen->price}, {"to", product->price},
                             {"message", shopperMessage("persist.notice.price-changed",
                                                        jsonObject({{"title", title}, {"from", jsonObject({{"money", line.seen->price}})},
                                                                    {"to", jsonObject({{"money", product->price}})}}))}}));
    out.lines.push_back(ViewLine{line.productId, quantity});
  }
  return out;
}

Status Persistence::started() const {
  if (replica_.empty())
    return Error{ErrorCode::NotInitialised, "", "persistence has not started: call persistRestore first"};
  return success();
}

Status Persistence::syncFromCart(const StoreView& store, std::int64_t now) {
  std::unordered_map<std::string_view, std::int64_t> before;
  for (const auto& line : lastView_) before.emplace(line.productId, line.quantity);
  for (const auto& line : lastView_)
    if (!store.cart.line(line.productId)) CARTKEEP_TRY(doc_.setQuantity(line.productId, 0, replica_, now));
  for (const auto& line : store.cart.lines()) {
    auto found = before.find(line.productId);
    if (found == before.end() || found->second != line.quantity)
      CARTKEEP_TRY(doc_.setQuantity(line.productId, line.quantity, replica_, now));
  }
  // The cart only ever appends: a line that now sits after lines created later was removed and added
  // again between two syncs, so it moves to the end in the document too.
  const OrderKey* previous = nullptr;
  for (const auto& line : store.cart.lines()) {
    auto found = doc_.lines.find(line.productId);
    if (found == doc_.lines.end()) continue;
    if (previous && found->second.order < *previous) doc_.moveToEnd(line.productId, replica_);
    previous = &found->second.order;
  }
  lastView_.clear();
  for (const auto& line : store.cart.lines()) lastView_.push_back(ViewLine{line.productId, line.quantity});
  return success();
}

Status Persistence::rebuildCart(const StoreView& store, const std::vector<ViewLine>& lines, bool& changed) {
  const auto& current = store.cart.lines();
  const bool same = current.size() == lines.size() &&
                    std::equal(current.begin(), current.end(), lines.begin(), [](const CartLine& a, const ViewLine& b) {
                      return a.productId == b.productId && a.quantity == b.quantity;
                    });
  if (!same) {
    changed = true;
    store.cart.clear();
    // reprice() kept every line within the cart's rules, so each add succeeds; one that does not stays out.
    for (const auto& line : lines) (void)store.cart.add(store.catalog, line.productId, line.quantity);
  }
  lastView_.clear();
  for (const auto& line : store.cart.lines()) lastView_.push_back(ViewLine{line.productId, line.quantity});
  return success();
}

Result<json> Persistence::materialise(const StoreView& store, bool comparePrices, bool writeBack, std::int64_t now,
                                      bool& changed) {
  const auto view = doc_.view();
  std::vector<WantedLine> wanted;
  wanted.reserve(view.size());
  for (const auto& line : view) wanted.push_back(WantedLine{line.productId, line.quantity, &doc_.lines.find(line.productId)->second.seen, {}});
  const bool sameCurrency = doc_.currency.empty() || doc_.currency == store.options.currency;
  Repriced result = reprice(wanted, store.catalog, store.options.cart, comparePrices && sameCurrency);
  if (writeBack) {
    std::unordered_map<std::string_view, std::int64_t> kept;
    for (const auto& line : result.lines) kept.emplace(line.productId, line.quantity);
    for (const auto& line : view) {
      auto found = kept.find(line.productId);
      const std::int64_t target = found == kept.end() ? 0 : found->second;
      if (target != line.quantity) CARTKEEP_TRY(doc_.setQuantity(line.productId, target, replica_, now));
    }
  }
  CARTKEEP_TRY(rebuildCart(store, result.lines, changed));
  return std::move(result.notices);
}

Result<json> Persistence::restore(const StoreView& store, std::string_view stored, std::int64_t now,
                                  std::string_view replica) {
  if (!isReplicaId(replica))
    return Error{ErrorCode::InvalidArgument, "replica",
                 "expected 1-32 characters of A-Z a-z 0-9 _ -, got " + jf::describeValue(json(std::string(replica)))};
  if (!replica_.empty() && replica_ != replica)
    return Error{ErrorCode::InvalidArgument, "replica", "persistence already started as " + json(replica_).dump()};
  if (replica_.empty()) replica_ = std::string(replica);
  CARTKEEP_TRY(syncFromCart(store, now));  // anything added before storage answered
  json out = jsonObject({{"status", "empty"}, {"version", nullptr}, {"problem", nullptr}, {"savedAt", nullptr},
              {"createdAt", nullptr}, {"returning", false}});
  std::int64_t previous = 0;
  if (!stored.empty()) {
    SnapshotRead read = decodeSnapshot(stored);
    out["version"] = read.version ? json(read.version) : json(nullptr);
    if (!read.ok()) {
      out["status"] = "damaged";
      out["problem"] = toJson(read.problem);
    } else if (isExpired(read.doc, now, options_.ttlDays * 86400000LL)) {
      out["status"] = "expired";
      out["savedAt"] = read.doc.updatedAt;
    } else {
      out["status"] = "restored";
      out["savedAt"] = read.doc.updatedAt;
      out["createdAt"] = read.doc.createdAt;
      previous = read.doc.updatedAt;
      doc_.merge(read.doc);
    }
  }
  bool changed = false;
  CARTKEEP_TRY_ASSIGN(json notices, materialise(store, true, true, now, changed));
  out["notices"] = std::move(notices);
  out["changed"] = changed;
  out["returning"] = out["status"] == "restored" && !store.cart.lines().empty() && previous > 0 &&
                     now - previous >= options_.returningAfterMinutes * 60000;
  out["context"] = jsonObject({{"coupon", doc_.context.coupon}, {"step", doc_.context.step}});
  CARTKEEP_TRY_ASSIGN(out["cart"], cartToJson(store.cart, store.catalog, store.options.currency));
  return out;
}

Result<json> Persistence::save(const StoreView& store, std::string_view stored, std::int64_t now) {
  CARTKEEP_TRY(started());
  CARTKEEP_TRY(syncFromCart(store, now));
  json out = jsonObject({{"changed", false}, {"storedProblem", nullptr}});
  bool changed = false;
  if (!stored.empty()) {
    SnapshotRead read = decodeSnapshot(stored);
    if (!read.ok()) {
      out["storedProblem"] = toJson(read.problem);
    } else if (!isExpired(read.doc, now, options_.ttlDays * 86400000LL) && !doc_.covers(read.doc)) {
      doc_.merge(read.doc);
      CARTKEEP_TRY_ASSIGN(json notices, materialise(store, false, false, now, changed));
      (void)notices;
    }
  }
  for (const auto& line : store.cart.lines()) {
    const Product* product = store.catalog.find(line.productId);
    if (product) doc_.see(line.productId, product->price, product->title, replica_, now);
  }
  doc_.currency = store.options.currency;
  doc_.compact(now, kCompactHorizonMs);
  if (!doc_.createdAt) doc_.createdAt = now;
  doc_.updatedAt = std::max(doc_.updatedAt, now);
  std::string text = encodeSnapshot(doc_);
  out["bytes"] = text.size();
  out["text"] = std::move(text);
  out["changed"] = changed;
  if (changed) {
    CARTKEEP_TRY_ASSIGN(out["cart"], cartToJson(store.cart, store.catalog, store.options.currency));
  }
  return out;
}

// Only this tab adds units under its own replica id, so another tab cannot know more of them than it has: a
// message that does (a removal of 10^9 units "seen" here) is refused rather than merged.
std::optional<Error> Persistence::implausibleOwnCounters(const CartDoc& incoming) const {
  if (incoming.epoch < doc_.epoch) return std::nullopt;  // an older epoch: merge keeps none of it
  const bool sameEpoch = incoming.epoch == doc_.epoch;
  for (const auto& [productId, line] : incoming.lines) {
    auto counter = line.by.find(replica_);
    if (counter == line.by.end()) continue;
    const Contribution* own = nullptr;
    if (sameEpoch) {
      auto ours = doc_.lines.find(productId);
      if (ours != doc_.lines.end()) {
        auto found = ours->second.by.find(replica_);
        if (found != ours->second.by.end()) own = &found->second;
      }
    }
    // Without a counter here (never added, or compacted away when spent), a spent one adds no unit: harmless.
    if (!own && counter->second.added == counter->second.removed) continue;
    const std::int64_t known = own ? own->added : 0;
    if (counter->second.added > known)
      return Error{ErrorCode::SnapshotInvalid, "snapshot.data.lines." + productId + ".by." + replica_,
                   "another tab claims " + std::to_string(counter->second.added) + " units added by this tab, which added " +
                       std::to_string(known)};
  }
  return std::nullopt;
}

Result<json> Persistence::merge(const StoreView& store, std::string_view incoming, std::int64_t now) {
  CARTKEEP_TRY(started());
  CARTKEEP_TRY(syncFromCart(store, now));
  SnapshotRead read = decodeSnapshot(incoming);
  if (read.ok()) read.problem = implausibleOwnCounters(read.doc);
  if (!read.ok()) return std::move(*read.problem);
  bool changed = false;
  const bool forgotten = doc_.epoch < read.doc.epoch;
  if (!doc_.covers(read.doc)) {
    doc_.merge(read.doc);
    CARTKEEP_TRY_ASSIGN(json notices, materialise(store, false, false, now, changed));
    (void)notices;
  }
  json out = jsonObject({{"changed", changed}, {"behind", !read.doc.covers(doc_)}, {"forgotten", forgotten}});
  if (changed) {
    CARTKEEP_TRY_ASSIGN(out["cart"], cartToJson(store.cart, store.catalog, store.options.currency));
  }
  return out;
}

Result<json> Persistence::compact(const StoreView& store, std::int64_t now) {
  CARTKEEP_TRY(started());
  CARTKEEP_TRY(syncFromCart(store, now));
  const std::size_t dropped = doc_.compact(now, 0);
  std::string text = encodeSnapshot(doc_);
  return jsonObject({{"bytes", text.size()}, {"text", std::move(text)}, {"dropped", dropped}});
}

Result<json> Persistence::forget(const StoreView& store) {
  CARTKEEP_TRY(started());
  doc_.startEpoch(0, replica_);  // the next epoch number; ties between tabs go to the replica id
  store.cart.clear();
  lastView_.clear();
  json out = jsonObject({{"text", encodeSnapshot(doc_)}});
  CARTKEEP_TRY_ASSIGN(out["cart"], cartToJson(store.cart, store.catalog, store.options.currency));
  return out;
}

Result<json> Persistence::setContext(const StoreView& store, const json& request, std::int64_t now) {
  CARTKEEP_TRY(started());
  CARTKEEP_TRY(syncFromCart(store, now));
  const std::string at = "context";
  CARTKEEP_TRY(jf::expectObject(request, at, ErrorCode::InvalidArgument));
  CARTKEEP_TRY(jf::rejectUnknownKeys(request, at, ErrorCode::InvalidArgument, {"coupon", "step"}));
  CARTKEEP_TRY_ASSIGN(std::string coupon,
                      jf::readString(request, "coupon", at, ErrorCode::InvalidArgument, {false, 0, 64}, doc_.context.coupon));
  CARTKEEP_TRY_ASSIGN(std::string step,
                      jf::readString(request, "step", at, ErrorCode::InvalidArgument, {false, 0, 32}, doc_.context.step));
  if (!isCouponCode(coupon))
    return jf::invalid(ErrorCode::InvalidArgument, "context.coupon", "expected up to 64 characters of A-Z a-z 0-9 _ -");
  if (!isStepName(step))
    return jf::invalid(ErrorCode::InvalidArgument, "context.step", "expected up to 32 characters of a-z 0-9 -");
  doc_.setContext(coupon, step, replica_, now);
  return jsonObject({{"coupon", doc_.context.coupon}, {"step", doc_.context.step}});
}

Result<json> Persistence::link(const StoreView& store, const json& request) {
  const std::string at = "request";
  CARTKEEP_TRY(jf::expectObject(request, at, ErrorCode::InvalidArgument));
  CARTKEEP_TRY(jf::rejectUnknownKeys(request, at, ErrorCode::InvalidArgument, {"coupon", "step"}));
  ResumeLink link;
  CARTKEEP_TRY_ASSIGN(link.coupon,
                      jf::readString(request, "coupon", at, ErrorCode::InvalidArgument, {false, 0, 64}, doc_.context.coupon));
  CARTKEEP_TRY_ASSIGN(link.step,
                      jf::readString(request, "step", at, ErrorCode::InvalidArgument, {false, 0, 32}, doc_.context.step));
  if (!isCouponCode(link.coupon))
    return jf::invalid(ErrorCode::InvalidArgument, "request.coupon", "expected up to 64 characters of A-Z a-z 0-9 _ -");
  if (!isStepName(link.step))
    return jf::invalid(ErrorCode::InvalidArgument, "request.step", "expected up to 32 characters of a-z 0-9 -");
  for (const auto& line : store.cart.lines()) link.items.push_back(LinkItem{line.productId, line.quantity, {}});
  LinkWrite written = encodeResumeLink(link, static_cast<std::size_t>(options_.link.maxLength));
  if (!written.ok()) return std::move(*written.problem);
  return jsonObject({{"value", written.value}, {"length", written.value.size()},
              {"items", link.items.size()}, {"coupon", link.coupon}, {"step", link.step}});
}

Result<json> Persistence::applyLink(const StoreView& store, std::string_view value, std::int64_t now) {
  CARTKEEP_TRY(started());
  LinkRead read = decodeResumeLink(value, static_cast<std::size_t>(options_.link.maxLength),
                                   static_cast<std::size_t>(store.options.cart.maxLines), options_.link.param);
  if (!read.ok()) return std::move(*read.problem);
  CARTKEEP_TRY(syncFromCart(store, now));
  std::vector<WantedLine> wanted;
  if (options_.link.mode == "merge") {
    for (const auto& line : store.cart.lines()) {
      auto fromLink = std::find_if(read.link.items.begin(), read.link.items.end(),
                                   [&](const LinkItem& item) { return item.productId == line.productId; });
      const std::int64_t quantity = fromLink == read.link.items.end() ? line.quantity : std::max(line.quantity, fromLink->quantity);
      wanted.push_back(WantedLine{line.productId, quantity, nullptr, {}});
    }
  }
  for (const auto& item : read.link.items)
    if (std::none_of(wanted.begin(), wanted.end(), [&](const WantedLine& w) { return w.productId == item.productId; }))
      wanted.push_back(WantedLine{item.productId, item.quantity, nullptr, item.path});
  Repriced result = reprice(wanted, store.catalog, store.options.cart, false);
  bool changed = false;
  std::vector<ViewLine> synced = lastView_;
  CARTKEEP_TRY(rebuildCart(store, result.lines, changed));
  // Record the link's lines as this tab's own edits: the difference from the cart as last synced.
  lastView_ = std::move(synced);
  CARTKEEP_TRY(syncFromCart(store, now));
  if (!read.link.coupon.empty() || !read.link.step.empty())
    doc_.setContext(read.link.coupon.empty() ? doc_.context.coupon : read.link.coupon,
                    read.link.step.empty() ? doc_.context.step : read.link.step, replica_, now);
  json notices = std::move(read.notices);
  for (auto& notice : result.notices) notices.push_back(std::move(notice));
  json out = jsonObject({{"format", read.format}, {"changed", changed}, {"notices", std::move(notices)},
              {"items", read.link.items.size()}, {"coupon", doc_.context.coupon}, {"step", doc_.context.step}});
  CARTKEEP_TRY_ASSIGN(out["cart"], cartToJson(store.cart, store.catalog, store.options.currency));
  return out;
}

}  // namespace cartkeep
