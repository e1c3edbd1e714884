// The binary item index: round trip, quantisation, size budget, and every kind of bad file.
#include <catch2/catch.hpp>

#include <cstring>
#include <random>

#include "suggest/item_index.hpp"

using namespace cartkeep;
namespace fmt = cartkeep::index_format;

namespace {

IndexBuildInput sampleInput() {
  IndexBuildInput input;
  input.catalogVersion = "test-2024-05";
  input.source = "unit test";
  input.firstEvent = 1291191960;
  input.lastEvent = 1323435000;
  input.maxNeighbours = 3;
  input.items = {
      {"85123A", 120.0, {{1, 0.5}, {2, 0.25}, {3, 0.01}, {4, 0.002}}, {}},
      {"71053", 60.0, {{0, 0.5}}, {{2, 0.8}}},
      {"84406B", 30.0, {{0, 0.25}, {3, 0.9}}, {}},
      {"84029G", 0.0, {}, {}},
      {"22423", 1.0, {{0, 1.0}}, {}},
  };
  return input;
}

std::string sampleBytes() {
  auto written = writeItemIndex(sampleInput());
  REQUIRE(written.ok());
  return written.value();
}

void fixChecksum(std::string& bytes) {
  const std::uint32_t crc = fmt::crc32(std::string_view(bytes).substr(16));
  for (int i = 0; i < 4; ++i) bytes[12 + static_cast<std::size_t>(i)] = static_cast<char>((crc >> (8 * i)) & 0xFF);
}

std::string parseError(const std::string& bytes) {
  auto parsed = ItemIndex::parse(bytes);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().code == ErrorCode::InvalidArgument);
  CHECK(parsed.error().path == "suggestions.index");
  return parsed.error().message;
}

// Offset of the first bought-together edge in sampleBytes().
std::size_t edgesOffset(const std::string& bytes) {
  const std::size_t labels = 64 + std::strlen("test-2024-05") + std::strlen("unit test");
  std::size_t at = labels;
  for (int i = 0; i < 5; ++i) at += 1 + static_cast<unsigned char>(bytes[at]);
  return at + 5 * 2 + 5 * 2;  // popularity, two count tables
}

}  // namespace

TEST_CASE("an index round-trips with metadata, popularity and best-first neighbours", "[suggest][index]") {
  IndexBuildReport report;
  auto written = writeItemIndex(sampleInput(), &report);
  REQUIRE(written.ok());
  CHECK(report.bytes == written.value().size());
  CHECK(report.neighbours == 3);
  CHECK(report.boughtEdges == 7);  // 3 + 1 + 2 + 0 + 1
  CHECK(report.viewedEdges == 1);
  CHECK(report.droppedEdges == 1);  // the fourth neighbour of 85123A, beyond K

  auto parsed = ItemIndex::parse(written.value());
  REQUIRE(parsed.ok());
  const ItemIndex& index = parsed.value();
  CHECK(index.size() == 5);
  CHECK(index.metadata().catalogVersion == "test-2024-05");
  CHECK(index.metadata().source == "unit test");
  CHECK(index.metadata().firstEvent == 1291191960);
  CHECK(index.metadata().lastEvent == 1323435000);
  CHECK(index.metadata().maxNeighbours == 3);
  CHECK(index.metadata().fingerprint == report.fingerprint);
  CHECK(index.metadata().fingerprint == fmt::idsFingerprint({"22423", "84029G", "84406B", "71053", "85123A"}));
  CHECK(index.find("71053") == std::optional<std::uint32_t>(1));
  CHECK_FALSE(index.find("nope").has_value());
  CHECK(index.popularity(0) == 1.0);
  CHECK(index.popularityRaw(1) == 32768);
  CHECK(index.popularityRaw(3) == 0);
  CHECK(index.popularityRaw(4) == 546);

  auto first = index.neighbours(0, NeighbourKind::Bought);
  REQUIRE(first.size == 3);
  CHECK(first.items[0] == 1);
  CHECK(first.items[1] == 2);
  CHECK(first.items[2] == 3);
  CHECK(first.qs[0] >= first.qs[1]);
  auto third = index.neighbours(2, NeighbourKind::Bought);
  REQUIRE(third.size == 2);
  CHECK(third.items[0] == 3);  // 0.9 before 0.25, whatever order the builder gave
  CHECK(index.neighbours(1, NeighbourKind::Viewed).size == 1);
  CHECK(index.neighbours(3, NeighbourKind::Bought).size == 0);
  CHECK(index.edgeCount(NeighbourKind::Viewed) == 1);

  // Deterministic: the same input writes the same bytes.
  CHECK(writeItemIndex(sampleInput()).value() == written.value());
}

TEST_CASE("scores are quantised on a square-root scale with bounded error", "[suggest][index]") {
  CHECK(fmt::encodeScore(0) == 0);
  CHECK(fmt::encodeScore(-1) == 0);
  CHECK(fmt::encodeScore(1) == 255);
  CHECK(fmt::encodeScore(2) == 255);
  CHECK(fmt::decodeScore(255) == 1.0);
  CHECK(fmt::encodeScore(1e-7) == 0);  // too small to keep
  std::uint8_t previous = 0;
  for (double s = 1e-4; s <= 1.0; s *= 1.1) {
    const std::uint8_t q = fmt::encodeScore(s);
    CHECK(q >= previous);
    previous = q;
    const double back = fmt::decodeScore(q);
    // Half a step of sqrt: |sqrt(back) - sqrt(s)| <= 0.5 / 255.
    CHECK(std::abs(std::sqrt(back) - std::sqrt(s)) <= 0.5 / 255 + 1e-12);
  }
}

TEST_CASE("a size budget lowers K until the index fits", "[suggest][index]") {
  IndexBuildInput input = sampleInput();
  IndexBuildReport full;
  REQUIRE(writeItemIndex(input, &full).ok());

  input.maxBytes = full.bytes - 1;
  IndexBuildReport smaller;
  auto written = writeItemIndex(input, &smaller);
  REQUIRE(written.ok());
  CHECK(written.value().size() <= input.maxBytes);
  CHECK(smaller.neighbours == 2);
  CHECK(ItemIndex::parse(written.value()).ok());

  // Below one neighbour per item: the weakest first neighbours go.
  input.maxBytes = full.bytes - 7 * 3 + 1;
  auto tight = writeItemIndex(input, &smaller);
  REQUIRE(tight.ok());
  CHECK(tight.value().size() <= input.maxBytes);
  CHECK(smaller.neighbours == 1);
  CHECK(smaller.boughtEdges + smaller.viewedEdges < 5);
  CHECK(ItemIndex::parse(tight.value()).ok());

  input.maxBytes = 80;
  auto impossible = writeItemIndex(input);
  REQUIRE_FALSE(impossible.ok());
  CHECK_THAT(impossible.error().message, Catch::Contains("over the budget of 80"));
}

TEST_CASE("the writer rejects inconsistent input with the item named", "[suggest][index]") {
  IndexBuildInput input = sampleInput();
  input.items[4].id = "85123A";
  CHECK_THAT(writeItemIndex(input).error().message, Catch::Contains("item 4 repeats the id \"85123A\""));
  input = sampleInput();
  input.items[1].bought.push_back({1, 0.3});
  CHECK_THAT(writeItemIndex(input).error().message, Catch::Contains("refers to the item itself"));
  input = sampleInput();
  input.items[1].bought.push_back({0, 0.3});
  CHECK_THAT(writeItemIndex(input).error().message, Catch::Contains("lists item 0 twice"));
  input = sampleInput();
  input.items[2].bought.push_back({9, 0.3});
  CHECK_THAT(writeItemIndex(input).error().message, Catch::Contains("refers to item 9 of 5"));
  input = sampleInput();
  input.items[2].bought[0].second = 1.5;
  CHECK_THAT(writeItemIndex(input).error().message, Catch::Contains("expected 0-1"));
  input = sampleInput();
  input.items[0].id = "";
  CHECK_THAT(writeItemIndex(input).error().message, Catch::Contains("item 0 has an id of 0 bytes"));
}

TEST_CASE("files that are not an index say what they look like", "[suggest][index][errors]") {
  CHECK(parseError("") == "empty: no index data arrived");
  CHECK_THAT(parseError("<!doctype html><title>404</title>"), Catch::Contains("looks like HTML"));
  CHECK_THAT(parseError("{\"items\": []}"), Catch::Contains("looks like JSON"));
  CHECK_THAT(parseError(std::string("\x1f\x8b\x08\x00", 4) + "rest"), Catch::Contains("gzip-compressed"));
  CHECK_THAT(parseError("CKIX"), Catch::Contains("truncated: 4 bytes, but the header alone is 64"));
}

TEST_CASE("every truncation and every flipped byte is an error, never a crash", "[suggest][index][errors]") {
  const std::string bytes = sampleBytes();
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    auto parsed = ItemIndex::parse(std::string_view(bytes).substr(0, length));
    REQUIRE_FALSE(parsed.ok());
  }
  CHECK_THAT(parseError(bytes.substr(0, bytes.size() - 3)),
             Catch::Contains("truncated: the header says " + std::to_string(bytes.size()) + " bytes, " +
                             std::to_string(bytes.size() - 3) + " arrived"));
  CHECK_THAT(parseError(bytes + "xyz"), Catch::Contains("3 unexpected bytes after"));
  for (std::size_t at = 16; at < bytes.size(); ++at) {
    std::string flipped = bytes;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x20);
    CHECK_THAT(parseError(flipped), Catch::Contains("corrupted: checksum"));
  }
  // With the checksum recomputed, structural checks still catch random damage (or it stays a valid index).
  std::mt19937 random(7);
  for (int round = 0; round < 3000; ++round) {
    std::string damaged = bytes;
    const auto at = 16 + random() % (bytes.size() - 16);
    damaged[at] = static_cast<char>(random() & 0xFF);
    fixChecksum(damaged);
    auto parsed = ItemIndex::parse(damaged);
    if (parsed.ok()) CHECK(parsed.value().size() == 5);
  }
}

TEST_CASE("structural errors name the item, the neighbour and the byte", "[suggest][index][errors]") {
  const std::string bytes = sampleBytes();
  const std::size_t edges = edgesOffset(bytes);

  std::string newer = bytes;
  newer[4] = 2;
  CHECK_THAT(parseError(newer), Catch::Contains("format version 2 is newer than the version this CartKeep reads (1)"));

  std::string outOfRange = bytes;
  outOfRange[edges] = 9;
  fixChecksum(outOfRange);
  CHECK(parseError(outOfRange) == "bought-together neighbour 0 of item 0 (\"85123A\") at byte " + std::to_string(edges) +
                                      " refers to item 9, but the index has 5 items");

  std::string self = bytes;
  self[edges] = 0;
  fixChecksum(self);
  CHECK_THAT(parseError(self), Catch::Contains("refers to the item itself"));

  std::string repeated = bytes;
  repeated[edges + 3] = 1;  // neighbour 1 of item 0 -> item 1, as neighbour 0
  fixChecksum(repeated);
  CHECK_THAT(parseError(repeated), Catch::Contains("repeats item 1"));

  std::string unsorted = bytes;
  unsorted[edges + 5] = static_cast<char>(255);  // neighbour 1 scores above neighbour 0
  fixChecksum(unsorted);
  CHECK_THAT(parseError(unsorted), Catch::Contains("neighbours must be best first"));

  std::string zero = bytes;
  zero[edges + 2] = 0;
  fixChecksum(zero);
  CHECK_THAT(parseError(zero), Catch::Contains("has score 0"));

  std::string fingerprint = bytes;
  fingerprint[48] = static_cast<char>(fingerprint[48] ^ 1);
  fixChecksum(fingerprint);
  CHECK_THAT(parseError(fingerprint), Catch::Contains("ids fingerprint at byte 48"));

  std::string duplicate = bytes;
  const std::size_t firstId = 64 + std::strlen("test-2024-05") + std::strlen("unit test");
  // "85123A" then "71053": rename the second to "85123" + ... keep the length, make it equal to the first.
  std::string renamed = bytes.substr(0, firstId + 7) + std::string("\x06") + "85123A" + bytes.substr(firstId + 7 + 6);
  renamed[8] = static_cast<char>(renamed.size() & 0xFF);
  renamed[9] = static_cast<char>((renamed.size() >> 8) & 0xFF);
  fixChecksum(renamed);
  CHECK_THAT(parseError(renamed), Catch::Contains("item 1 at byte " + std::to_string(firstId + 7) +
                                                  " repeats the id \"85123A\" of item 0"));

  std::string width = bytes;
  width[29] = 3;
  fixChecksum(width);
  CHECK_THAT(parseError(width), Catch::Contains("neighbour reference width 3 (byte 29)"));
}
