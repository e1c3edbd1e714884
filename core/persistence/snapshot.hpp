#pragma once
// The stored form of a cart: versioned, checksummed JSON text the core writes and reads; JS only moves it.
//
//   {"cartkeep":"cart","checksum":"crc32:1a2b3c4d","data":{...},"version":2}
//
// `checksum` is CRC-32 of data's canonical text (keys sorted, no spaces): storage that was cut short,
// edited or mixed up is caught before anything is trusted. Older versions are migrated on read
// (version 1: {"version":1,"savedAt":"2024-03-01T10:15:00Z","currency":"GBP","items":[{"sku","qty",
// "price","name"}]}). Nothing in a snapshot identifies the shopper: product ids, quantities, the prices
// and titles they saw, random replica ids, times, an optional coupon and checkout step.
// Stored prices are only ever compared with the catalog, never charged (see persistence.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/crc32.hpp"
#include "base/time_input.hpp"
#include "cartkeep/error.hpp"
#include "persistence/sync.hpp"

namespace cartkeep {

constexpr int kSnapshotVersion = 2;
constexpr std::size_t kMaxSnapshotBytes = 4 * 1024 * 1024;
constexpr std::size_t kMaxSnapshotLines = 10000;
constexpr std::size_t kMaxReplicasPerLine = 2000;
constexpr std::int64_t kMaxTimestampMs = kMaxTimeMs;  // the largest JS Date (base/time_input.hpp)

struct SnapshotRead {
  CartDoc doc;
  int version = 0;  // the version found in storage, before migration
  // Why it cannot be used: snapshot-corrupt | snapshot-checksum | snapshot-future-version | snapshot-invalid |
  // snapshot-too-large, with the path, e.g. "snapshot.data.lines[3].by.r1[1]".
  std::optional<Error> problem;
  bool ok() const noexcept { return !problem; }
};

// Canonical text of the current version (deterministic for equal documents).
std::string encodeSnapshot(const CartDoc& doc);
nlohmann::json snapshotData(const CartDoc& doc);

// Reads any known version; never throws, every problem names its path.
SnapshotRead decodeSnapshot(std::string_view text);

// Version 1 -> version 2 `data` (the shape snapshotData writes), for tests and tools.
Result<nlohmann::json> migrateVersion1(const nlohmann::json& root, const std::string& path);

// "2024-03-01T10:15:00Z", "2024-03-01T10:15:00.250+01:00" -> ms since 1970-01-01T00:00:00Z.
Result<std::int64_t> parseIsoTimestamp(std::string_view text, const std::string& path);

// Expired when the last save is more than ttlMs before now (a clock set back never expires a cart).
inline bool isExpired(const CartDoc& doc, std::int64_t now, std::int64_t ttlMs) {
  return doc.updatedAt > 0 && now - doc.updatedAt > ttlMs;
}

// Replica ids are random tokens from JS: 1-32 characters of A-Z a-z 0-9 _ -.
bool isReplicaId(std::string_view id) noexcept;

}  // namespace cartkeep
