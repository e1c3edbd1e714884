#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "persistence/snapshot.hpp"

using namespace cartkeep;
using nlohmann::json;

namespace {

std::string readSnapshotFixture(const std::string& name) {
  std::ifstream file(std::string(CARTKEEP_SOURCE_DIR) + "/tests/fixtures/" + name);
  REQUIRE(file.good());
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

CartDoc sampleDoc() {
  CartDoc doc;
  doc.createdAt = 1700000000000;
  doc.updatedAt = 1700000500000;
  doc.currency = "GBP";
  REQUIRE(doc.increase("mug", 3, "tabA", 1700000000000).ok());
  REQUIRE(doc.increase("lantern", 1, "tabB", 1700000100000).ok());
  doc.decrease("mug", 1, 1700000200000);
  doc.see("mug", 850, "Enamel \"Mug\" ☕", "tabA", 1700000300000);
  doc.setContext("SAVE10", "checkout", "tabB", 1700000400000);
  return doc;
}

// A valid snapshot with `edit` applied to its data and the checksum recomputed, as a careless tool would.
std::string withData(const CartDoc& doc, const std::function<void(json&)>& edit) {
  json root = json::parse(encodeSnapshot(doc));
  edit(root["data"]);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%08x", static_cast<unsigned>(crc32(root["data"].dump())));
  root["checksum"] = std::string("crc32:") + buffer;
  return root.dump();
}

}  // namespace

TEST_CASE("CRC-32 matches the standard check value", "[snapshot]") {
  CHECK(crc32("123456789") == 0xCBF43926u);
  CHECK(crc32("") == 0u);
}

TEST_CASE("a snapshot round-trips exactly and its text is canonical", "[snapshot]") {
  const CartDoc doc = sampleDoc();
  const std::string text = encodeSnapshot(doc);
  json root = json::parse(text);
  CHECK(root["version"] == kSnapshotVersion);
  CHECK(root["cartkeep"] == "cart");
  CHECK(root["checksum"].get<std::string>().rfind("crc32:", 0) == 0);

  SnapshotRead read = decodeSnapshot(text);
  REQUIRE(read.ok());
  CHECK(read.version == kSnapshotVersion);
  CHECK(read.doc.sameContent(doc));
  CHECK(read.doc.createdAt == doc.createdAt);
  CHECK(read.doc.updatedAt == doc.updatedAt);
  CHECK(read.doc.currency == "GBP");
  CHECK(read.doc.quantity("mug") == 2);
  CHECK(read.doc.lines.at("mug").seen.title == "Enamel \"Mug\" ☕");
  CHECK(read.doc.context.step == "checkout");
  CHECK(encodeSnapshot(read.doc) == text);
}

TEST_CASE("damaged snapshots are classified with a code and a path, never trusted", "[snapshot]") {
  const CartDoc doc = sampleDoc();
  const std::string text = encodeSnapshot(doc);

  SECTION("cut short") {
    SnapshotRead read = decodeSnapshot(text.substr(0, text.size() / 2));
    CHECK(read.problem->code == ErrorCode::SnapshotCorrupt);
    CHECK(read.problem->path == "snapshot");
    CHECK_THAT(read.problem->message, Catch::StartsWith("not valid JSON: parse error"));
  }
  SECTION("a quantity edited without the checksum") {
    std::string edited = text;
    const auto at = edited.find("[3,1,");
    REQUIRE(at != std::string::npos);
    edited.replace(at, 5, "[9,1,");
    SnapshotRead read = decodeSnapshot(edited);
    CHECK(read.problem->code == ErrorCode::SnapshotChecksum);
    CHECK(read.problem->path == "snapshot.checksum");
    CHECK_THAT(read.problem->message, Catch::Contains("does not match its checksum"));
  }
  SECTION("written by a newer version") {
    json root = json::parse(text);
    root["version"] = kSnapshotVersion + 1;
    SnapshotRead read = decodeSnapshot(root.dump());
    CHECK(read.problem->code == ErrorCode::SnapshotFutureVersion);
    CHECK(read.problem->path == "snapshot.version");
    CHECK(read.version == kSnapshotVersion + 1);
  }
  SECTION("not a CartKeep snapshot") {
    CHECK(decodeSnapshot("[1,2]").problem->code == ErrorCode::SnapshotInvalid);
    CHECK(decodeSnapshot(R"({"theme":"dark"})").problem->path == "snapshot.version");
    SnapshotRead other = decodeSnapshot(R"({"version":2,"data":{}})");
    CHECK(other.problem->code == ErrorCode::SnapshotInvalid);
    CHECK(other.problem->path == "snapshot.cartkeep");
  }
  SECTION("more units removed than added, with a valid checksum") {
    SnapshotRead read = decodeSnapshot(withData(doc, [](json& data) { data["lines"][1]["by"]["tabA"][1] = 7; }));
    CHECK(read.problem->code == ErrorCode::SnapshotInvalid);
    CHECK(read.problem->path == "snapshot.data.lines[1].by.tabA[1]");
    CHECK(read.problem->message == "removed 7 units of only 3 added");
  }
  SECTION("a negative count, a bad replica id, an unknown key, a duplicate line") {
    auto read = decodeSnapshot(withData(doc, [](json& data) { data["lines"][0]["by"]["tabB"][0] = -1; }));
    CHECK(read.problem->path == "snapshot.data.lines[0].by.tabB[0]");
    read = decodeSnapshot(withData(doc, [](json& data) { data["lines"][0]["by"]["bad id!"] = {1, 0, 0}; }));
    CHECK(read.problem->path == "snapshot.data.lines[0].by[\"bad id!\"]");
    read = decodeSnapshot(withData(doc, [](json& data) { data["lines"][0]["colour"] = "red"; }));
    CHECK(read.problem->path == "snapshot.data.lines[0].colour");
    read = decodeSnapshot(withData(doc, [](json& data) { data["lines"].push_back(data["lines"][0]); }));
    CHECK(read.problem->path == "snapshot.data.lines[2].id");
    CHECK(read.problem->message == "duplicate line \"lantern\"");
    read = decodeSnapshot(withData(doc, [](json& data) { data["updatedAt"] = 1.5; }));
    CHECK(read.problem->path == "snapshot.data.updatedAt");
  }
  SECTION("too large to read") {
    std::string huge(kMaxSnapshotBytes + 1, ' ');
    CHECK(decodeSnapshot(huge).problem->code == ErrorCode::SnapshotTooLarge);
  }
}

TEST_CASE("time to live counts from the last save", "[snapshot]") {
  CartDoc doc;
  const std::int64_t day = 86400000;
  doc.updatedAt = 100 * day;
  CHECK_FALSE(isExpired(doc, 130 * day, 30 * day));
  CHECK(isExpired(doc, 130 * day + 1, 30 * day));
  CHECK_FALSE(isExpired(doc, 50 * day, 30 * day));  // a clock set back never expires a cart
  doc.updatedAt = 0;
  CHECK_FALSE(isExpired(doc, 130 * day, 30 * day));
}

TEST_CASE("ISO 8601 times become exact milliseconds", "[snapshot]") {
  CHECK(parseIsoTimestamp("1970-01-01T00:00:00Z", "t").value() == 0);
  CHECK(parseIsoTimestamp("2024-03-01T10:15:00Z", "t").value() == 1709288100000);
  CHECK(parseIsoTimestamp("2024-03-01T10:15:00.250+01:00", "t").value() == 1709284500250);
  CHECK(parseIsoTimestamp("2024-02-29T00:00:00.1Z", "t").value() == 1709164800100);
  CHECK(parseIsoTimestamp("2000-12-31 23:59Z", "t").value() == 978307140000);
  for (const char* bad : {"2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-03-01", "2024-03-01T10:15:00",
                          "2024-03-01T25:00:00Z", "1969-12-31T23:59:59Z", "2024-03-01T10:15:00Zjunk"}) {
    auto result = parseIsoTimestamp(bad, "savedAt");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().path == "savedAt");
  }
}

TEST_CASE("the version-1 fixture migrates to the current format", "[snapshot][migration]") {
  const std::string v1 = readSnapshotFixture("cart-v1.json");
  SnapshotRead read = decodeSnapshot(v1);
  REQUIRE(read.ok());
  CHECK(read.version == 1);
  const CartDoc& doc = read.doc;
  CHECK(doc.currency == "GBP");
  CHECK(doc.createdAt == 1709284500250);  // 2024-03-01T10:15:00.250+01:00
  CHECK(doc.updatedAt == 1709284500250);
  // Rows of the same sku add up; the order of first appearance is kept.
  REQUIRE(doc.view() == std::vector<ViewLine>{{"mug", 3}, {"lantern", 1}, {"retired-teapot", 1}});
  CHECK(doc.lines.at("mug").seen.price == 800);
  CHECK(doc.lines.at("retired-teapot").seen.title == "Retired <b>Teapot</b>");

  // Written back in the current version, it reads the same and no longer needs migrating.
  const std::string v2 = encodeSnapshot(doc);
  SnapshotRead again = decodeSnapshot(v2);
  REQUIRE(again.ok());
  CHECK(again.version == kSnapshotVersion);
  CHECK(again.doc.sameContent(doc));
}

TEST_CASE("a malformed version-1 snapshot names the bad field", "[snapshot][migration]") {
  json v1 = json::parse(readSnapshotFixture("cart-v1.json"));
  v1["items"][2]["qty"] = 0;
  auto read = decodeSnapshot(v1.dump());
  CHECK(read.problem->code == ErrorCode::SnapshotInvalid);
  CHECK(read.problem->path == "snapshot.items[2].qty");
  v1 = json::parse(readSnapshotFixture("cart-v1.json"));
  v1["savedAt"] = "yesterday";
  read = decodeSnapshot(v1.dump());
  CHECK(read.problem->path == "snapshot.savedAt");
  CHECK_THAT(read.problem->message, Catch::StartsWith("expected an ISO 8601 UTC time"));
}
