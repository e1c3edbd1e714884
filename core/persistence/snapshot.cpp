#include "persistence/snapshot.hpp"

#include <cstdio>
#include <set>

#include "base/civil_date.hpp"
#include "base/json_fields.hpp"
#include "base/json_build.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {

constexpr ErrorCode kSnapshotCode = ErrorCode::InvalidArgument;
const std::string kSnapshotRoot = "snapshot";
constexpr std::int64_t kMaxClock = 9007199254740991;

std::string dumpCanonical(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string checksumText(const json& data) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%08x", static_cast<unsigned>(crc32(dumpCanonical(data))));
  return std::string("crc32:") + buffer;
}

Error snapshotProblem(ErrorCode code, const Error& error) {
  return Error{code, error.path, error.message};
}

Result<std::int64_t> readTime(const json& object, std::string_view key, const std::string& path) {
  return jf::readInteger(object, key, path, kSnapshotCode,
                         {false, 0, kMaxTimestampMs, "expected a time in ms since 1970 (a non-negative integer)"});
}

// [added, removed, at]
Result<Contribution> readContribution(const json& value, const std::string& at) {
  if (!value.is_array() || value.size() != 3)
    return jf::invalid(kSnapshotCode, at, "expected [added, removed, time], " + jf::describeValue(value));
  json object = jsonObject({{"added", value[0]}, {"removed", value[1]}, {"at", value[2]}});
  Contribution counter;
  const jf::IntegerRule units{true, 0, CartDoc::kMaxCounter, nullptr};
  auto added = jf::readInteger(object, "added", at, kSnapshotCode, units);
  if (!added) return jf::invalid(kSnapshotCode, jf::element(at, 0), added.error().message);
  auto removed = jf::readInteger(object, "removed", at, kSnapshotCode, units);
  if (!removed) return jf::invalid(kSnapshotCode, jf::element(at, 1), removed.error().message);
  auto time = readTime(object, "at", at);
  if (!time) return jf::invalid(kSnapshotCode, jf::element(at, 2), time.error().message);
  if (removed.value() > added.value())
    return jf::invalid(kSnapshotCode, jf::element(at, 1),
                       "removed " + std::to_string(removed.value()) + " units of only " +
                           std::to_string(added.value()) + " added");
  counter.added = added.value();
  counter.removed = removed.value();
  counter.at = time.value();
  return counter;
}

Result<std::string> readReplica(const json& value, const std::string& at) {
  if (!value.is_string() || !isReplicaId(value.get_ref<const std::string&>()))
    return jf::invalid(kSnapshotCode, at, "expected a replica id (1-32 characters of A-Z a-z 0-9 _ -), " +
                                      jf::describeValue(value));
  return value.get<std::string>();
}

Result<DocLine> readLine(const json& item, const std::string& at, std::string& id) {
  CARTKEEP_TRY(jf::expectObject(item, at, kSnapshotCode));
  CARTKEEP_TRY(jf::rejectUnknownKeys(item, at, kSnapshotCode, {"id", "order", "by", "seen"}));
  CARTKEEP_TRY_ASSIGN(id, jf::readString(item, "id", at, kSnapshotCode, {true, 1, 64}));
  DocLine line;
  const std::string orderAt = jf::child(at, "order");
  auto order = item.find("order");
  if (order == item.end() || !order->is_array() || order->size() != 2 || !(*order)[0].is_number_unsigned() ||
      (*order)[0].get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxClock))
    return jf::invalid(kSnapshotCode, orderAt, "expected [clock, replica]" +
                                           (order == item.end() ? std::string() : ", " + jf::describeValue(*order)));
  line.order.clock = (*order)[0].get<std::uint64_t>();
  CARTKEEP_TRY_ASSIGN(line.order.replica, readReplica((*order)[1], jf::element(orderAt, 1)));
  const std::string byAt = jf::child(at, "by");
  auto by = item.find("by");
  if (by == item.end()) return jf::invalid(kSnapshotCode, byAt, "required, expected an object of replica counters");
  CARTKEEP_TRY(jf::expectObject(*by, byAt, kSnapshotCode));
  if (by->size() > kMaxReplicasPerLine)
    return jf::invalid(kSnapshotCode, byAt, "more than " + std::to_string(kMaxReplicasPerLine) + " replicas");
  for (const auto& entry : by->items()) {
    const std::string entryAt = jf::child(byAt, entry.key());
    if (!isReplicaId(entry.key())) return jf::invalid(kSnapshotCode, entryAt, "not a replica id");
    CARTKEEP_TRY_ASSIGN(line.by[entry.key()], readContribution(entry.value(), entryAt));
  }
  auto seen = item.find("seen");
  if (seen != item.end() && !seen->is_null()) {
    const std::string seenAt = jf::child(at, "seen");
    if (!seen->is_array() || seen->size() != 4)
      return jf::invalid(kSnapshotCode, seenAt, "expected [price, title, time, replica], " + jf::describeValue(*seen));
    json object = jsonObject({{"price", (*seen)[0]}, {"title", (*seen)[1]}, {"at", (*seen)[2]}});
    auto price = jf::readInteger(object, "price", seenAt, kSnapshotCode,
                                 {true, 0, kMaxJsSafeMinor, "expected a non-negative integer amount in minor units"});
    if (!price) return jf::invalid(kSnapshotCode, jf::element(seenAt, 0), price.error().message);
    auto title = jf::readString(object, "title", seenAt, kSnapshotCode, {true, 0, 500});
    if (!title) return jf::invalid(kSnapshotCode, jf::element(seenAt, 1), title.error().message);
    auto time = readTime(object, "at", seenAt);
    if (!time) return jf::invalid(kSnapshotCode, jf::element(seenAt, 2), time.error().message);
    line.seen.price = price.value();
    line.seen.title = title.value();
    line.seen.at = time.value();
    CARTKEEP_TRY_ASSIGN(line.seen.replica, readReplica((*seen)[3], jf::element(seenAt, 3)));
  }
  return line;
}

Result<CartDoc> readData(const json& data, const std::string& at) {
  jf::Fields fields(kSnapshotCode);
  CARTKEEP_TRY(jf::expectObject(data, at, kSnapshotCode));
  CARTKEEP_TRY(jf::rejectUnknownKeys(data, at, kSnapshotCode,
                                     {"epoch", "createdAt", "updatedAt", "clock", "currency", "context", "lines"}));
  CartDoc doc;
  auto epoch = data.find("epoch");
  if (epoch != data.end() && !epoch->is_null()) {
    const std::string epochAt = jf::child(at, "epoch");
    if (!epoch->is_array() || epoch->size() != 2)
      return jf::invalid(kSnapshotCode, epochAt, "expected [time, replica], " + jf::describeValue(*epoch));
    json object = jsonObject({{"at", (*epoch)[0]}});
    auto time = readTime(object, "at", epochAt);
    if (!time) return jf::invalid(kSnapshotCode, jf::element(epochAt, 0), time.error().message);
    doc.epoch.at = time.value();
    CARTKEEP_TRY_ASSIGN(doc.epoch.replica, readReplica((*epoch)[1], jf::element(epochAt, 1)));
  }
  CARTKEEP_TRY_ASSIGN(doc.createdAt, readTime(data, "createdAt", at));
  CARTKEEP_TRY_ASSIGN(doc.updatedAt, readTime(data, "updatedAt", at));
  CARTKEEP_TRY_ASSIGN(auto clock, jf::readInteger(data, "clock", at, kSnapshotCode, {false, 0, kMaxClock}));
  doc.clock = static_cast<std::uint64_t>(clock);
  CARTKEEP_TRY_ASSIGN(doc.currency, jf::readString(data, "currency", at, kSnapshotCode, {false, 0, 16}));
  auto context = data.find("context");
  if (context != data.end() && !context->is_null()) {
    const std::string contextAt = jf::child(at, "context");
    CARTKEEP_TRY(jf::expectObject(*context, contextAt, kSnapshotCode));
    CARTKEEP_TRY(jf::rejectUnknownKeys(*context, contextAt, kSnapshotCode, {"coupon", "step", "at", "by"}));
    fields.string(*context, "coupon", contextAt, doc.context.coupon, {false, 0, 64});
    fields.string(*context, "step", contextAt, doc.context.step, {false, 0, 32});
    CARTKEEP_TRY(fields.status());
    CARTKEEP_TRY_ASSIGN(doc.context.at, readTime(*context, "at", contextAt));
    auto by = context->find("by");
    if (by == context->end()) return jf::invalid(kSnapshotCode, jf::child(contextAt, "by"), "required, expected a replica id");
    CARTKEEP_TRY_ASSIGN(doc.context.replica, readReplica(*by, jf::child(contextAt, "by")));
  }
  const std::string linesAt = jf::child(at, "lines");
  auto lines = data.find("lines");
  if (lines == data.end()) return jf::invalid(kSnapshotCode, linesAt, "required, expected an array of lines");
  CARTKEEP_TRY(jf::expectArray(*lines, linesAt, kSnapshotCode));
  if (lines->size() > kMaxSnapshotLines)
    return jf::invalid(kSnapshotCode, linesAt, "more than " + std::to_string(kMaxSnapshotLines) + " lines");
  for (std::size_t i = 0; i < lines->size(); ++i) {
    const std::string lineAt = jf::element(linesAt, i);
    std::string id;
    CARTKEEP_TRY_ASSIGN(DocLine line, readLine((*lines)[i], lineAt, id));
    if (!doc.lines.emplace(id, std::move(line)).second)
      return jf::invalid(kSnapshotCode, jf::child(lineAt, "id"), "duplicate line " + json(id).dump());
  }
  return doc;
}

// Version 1 had no checksum: {"version":1,"savedAt":ISO-8601,"currency":"GBP",
// "items":[{"sku":"mug","qty":2,"price":850,"name":"Enamel Mug"}]}.
constexpr const char* kLegacyReplica = "v1";

}  // namespace

bool isReplicaId(std::string_view id) noexcept {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

json snapshotData(const CartDoc& doc) {
  json lines = json::array();
  for (const auto& [id, line] : doc.lines) {
    json by = json::object();
    for (const auto& [replica, counter] : line.by) by[replica] = json::array({counter.added, counter.removed, counter.at});
    json item = jsonObject({{"id", id}, {"order", json::array({line.order.clock, line.order.replica})}, {"by", std::move(by)}});
    if (line.seen.known())
      item["seen"] = json::array({line.seen.price, line.seen.title, line.seen.at, line.seen.replica});
    lines.push_back(std::move(item));
  }
  json data = jsonObject({{"createdAt", doc.createdAt}, {"updatedAt", doc.updatedAt}, {"clock", doc.clock},
               {"currency", doc.currency}, {"lines", std::move(lines)}});
  if (!doc.epoch.replica.empty()) data["epoch"] = json::array({doc.epoch.at, doc.epoch.replica});
  if (!doc.context.replica.empty())
    data["context"] = jsonObject({{"coupon", doc.context.coupon}, {"step", doc.context.step}, {"at", doc.context.at},
                       {"by", doc.context.replica}});
  return data;
}

std::string encodeSnapshot(const CartDoc& doc) {
  json data = snapshotData(doc);
  json root = jsonObject({{"cartkeep", "cart"}, {"version", kSnapshotVersion}, {"checksum", checksumText(data)},
               {"data", std::move(data)}});
  return dumpCanonical(root);
}

Result<std::int64_t> parseIsoTimestamp(std::string_view text, const std::string& path) {
  auto fail = [&] {
    return jf::invalid(kSnapshotCode, path, "expected an ISO 8601 UTC time such as \"2024-03-01T10:15:00Z\", got " +
                                        json(std::string(text.substr(0, 40))).dump());
  };
  std::size_t pos = 0;
  auto digits = [&](std::size_t count, int& out) {
    if (pos + count > text.size()) return false;
    out = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const char c = text[pos + i];
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    pos += count;
    return true;
  };
  auto expect = [&](char c) {
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
  };
  int year, month, day, hour, minute, second = 0, millis = 0;
  if (!digits(4, year) || !expect('-') || !digits(2, month) || !expect('-') || !digits(2, day)) return fail();
  if (!(expect('T') || expect(' ')) || !digits(2, hour) || !expect(':') || !digits(2, minute)) return fail();
  if (expect(':')) {
    if (!digits(2, second)) return fail();
    if (expect('.')) {
      int fraction = 0, scale = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (scale < 3) fraction = fraction * 10 + (text[pos] - '0'), ++scale;
        ++pos;
      }
      if (scale == 0) return fail();
      while (scale < 3) fraction *= 10, ++scale;
      millis = fraction;
    }
  }
  int offsetMinutes = 0;
  if (!expect('Z')) {
    int sign = 0;
    if (expect('+')) sign = 1;
    else if (expect('-')) sign = -1;
    else return fail();
    int oh, om;
    if (!digits(2, oh) || !expect(':') || !digits(2, om) || oh > 23 || om > 59) return fail();
    offsetMinutes = sign * (oh * 60 + om);
  }
  if (pos != text.size()) return fail();
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > kDays[month - 1] || (month == 2 && day == 29 && !leap) ||
      hour > 23 || minute > 59 || second > 59)
    return fail();
  const std::int64_t days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t ms = ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60000 + second * 1000 + millis;
  if (ms < 0) return fail();
  return ms;
}

Result<json> migrateVersion1(const json& root, const std::string& path) {
  jf::Fields fields(kSnapshotCode);
  CARTKEEP_TRY(jf::rejectUnknownKeys(root, path, kSnapshotCode, {"version", "savedAt", "currency", "items"}));
  CARTKEEP_TRY_ASSIGN(std::string savedText, jf::readString(root, "savedAt", path, kSnapshotCode, {true, 1, 64}));
  CARTKEEP_TRY_ASSIGN(std::int64_t saved, parseIsoTimestamp(savedText, jf::child(path, "savedAt")));
  CARTKEEP_TRY_ASSIGN(std::string currency, jf::readString(root, "currency", path, kSnapshotCode, {true, 1, 16}));
  const std::string itemsAt = jf::child(path, "items");
  auto items = root.find("items");
  if (items == root.end()) return jf::invalid(kSnapshotCode, itemsAt, "required, expected an array of items");
  CARTKEEP_TRY(jf::expectArray(*items, itemsAt, kSnapshotCode));
  if (items->size() > kMaxSnapshotLines)
    return jf::invalid(kSnapshotCode, itemsAt, "more than " + std::to_string(kMaxSnapshotLines) + " items");
  CartDoc doc;
  doc.createdAt = doc.updatedAt = saved;
  doc.currency = currency;
  const std::string replica = kLegacyReplica;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string at = jf::element(itemsAt, i);
    const json& item = (*items)[i];
    CARTKEEP_TRY(jf::expectObject(item, at, kSnapshotCode));
    CARTKEEP_TRY(jf::rejectUnknownKeys(item, at, kSnapshotCode, {"sku", "qty", "price", "name"}));
    std::string sku;
    std::int64_t qty{};
    fields.string(item, "sku", at, sku, {true, 1, 64});
    fields.integer(item, "qty", at, qty, {true, 1, 1000000000});
    CARTKEEP_TRY(fields.status());
    CARTKEEP_TRY_ASSIGN(auto price, jf::readOptionalInteger(item, "price", at, kSnapshotCode,
                                                            {false, 0, kMaxJsSafeMinor,
                                                             "expected a non-negative integer amount in minor units"}));
    CARTKEEP_TRY_ASSIGN(std::string name, jf::readString(item, "name", at, kSnapshotCode, {false, 0, 500}));
    // Duplicate skus were separate rows in version 1: their quantities add up.
    CARTKEEP_TRY(doc.increase(sku, qty, replica, saved));
    if (price) doc.see(sku, *price, name, replica, saved);
  }
  return snapshotData(doc);
}

SnapshotRead decodeSnapshot(std::string_view text) {
  SnapshotRead out;
  if (text.size() > kMaxSnapshotBytes) {
    out.problem = Error{ErrorCode::SnapshotTooLarge, kSnapshotRoot,
                   std::to_string(text.size()) + " bytes, more than the " + std::to_string(kMaxSnapshotBytes) +
                       " a cart snapshot may have"};
    return out;
  }
  auto parsed = jf::parse(text, kSnapshotRoot);
  if (!parsed) {
    out.problem = snapshotProblem(ErrorCode::SnapshotCorrupt, parsed.error());
    return out;
  }
  const json& root = parsed.value();
  if (!root.is_object()) {
    out.problem = Error{ErrorCode::SnapshotInvalid, kSnapshotRoot, "expected an object, " + jf::describeValue(root)};
    return out;
  }
  auto version = jf::readInteger(root, "version", kSnapshotRoot, kSnapshotCode, {true, 1, INT32_MAX, "expected a version number"});
  if (!version) {
    out.problem = snapshotProblem(ErrorCode::SnapshotInvalid, version.error());
    return out;
  }
  out.version = static_cast<int>(version.value());
  if (out.version > kSnapshotVersion) {
    out.problem = Error{ErrorCode::SnapshotFutureVersion, jf::child(kSnapshotRoot, "version"),
                   "version " + std::to_string(out.version) + " was written by a newer CartKeep (this one reads up to " +
                       std::to_string(kSnapshotVersion) + ")"};
    return out;
  }
  json data;
  if (out.version == 1) {
    auto migrated = migrateVersion1(root, kSnapshotRoot);
    if (!migrated) {
      out.problem = snapshotProblem(ErrorCode::SnapshotInvalid, migrated.error());
      return out;
    }
    data = std::move(migrated).value();
  } else {
    auto shape = jf::rejectUnknownKeys(root, kSnapshotRoot, kSnapshotCode, {"cartkeep", "version", "checksum", "data"});
    if (!shape) {
      out.problem = snapshotProblem(ErrorCode::SnapshotInvalid, shape.error());
      return out;
    }
    auto marker = root.find("cartkeep");
    if (marker == root.end() || *marker != "cart") {
      out.problem = Error{ErrorCode::SnapshotInvalid, jf::child(kSnapshotRoot, "cartkeep"), "expected \"cart\": not a CartKeep cart snapshot"};
      return out;
    }
    auto found = root.find("data");
    auto checksum = root.find("checksum");
    if (found == root.end() || checksum == root.end() || !checksum->is_string()) {
      out.problem = Error{ErrorCode::SnapshotInvalid, jf::child(kSnapshotRoot, found == root.end() ? "data" : "checksum"), "required"};
      return out;
    }
    const std::string expected = checksumText(*found);
    if (checksum->get_ref<const std::string&>() != expected) {
      out.problem = Error{ErrorCode::SnapshotChecksum, jf::child(kSnapshotRoot, "checksum"),
                     "the stored data does not match its checksum (stored " + checksum->dump() + ", computed \"" +
                         expected + "\"): it was cut short or changed outside CartKeep"};
      return out;
    }
    data = *found;
  }
  auto doc = readData(data, jf::child(kSnapshotRoot, "data"));
  if (!doc) {
    out.problem = snapshotProblem(ErrorCode::SnapshotInvalid, doc.error());
    return out;
  }
  out.doc = std::move(doc).value();
  return out;
}

}  // namespace cartkeep
