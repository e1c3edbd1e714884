// The binary item index: round trip, quantisation, size budget, and every kind of bad file.
#include <catch2/catch.hpp>

#include <algorithm>
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

// Where sampleBytes()' sections start: the ids, then (past popularity and two count tables) the
// bought-together references (3 bits each for 5 items) and their scores.
struct Layout {
  std::size_t ids, references, scores;
};
Layout layoutOf(const std::string& bytes) {
  Layout layout{};
  layout.ids = 64 + std::strlen("test-2024-05") + std::strlen("unit test");
  std::size_t at = layout.ids;
  for (int i = 0; i < 5; ++i) at += 2 + static_cast<unsigned char>(bytes[at + 1]);
  layout.references = at + 5 * 2 + 5 * 2;
  layout.scores = layout.references + 3;  // 7 edges x 3 bits
  return layout;
}

void setReference(std::string& bytes, const Layout& layout, std::size_t edge, unsigned value) {
  for (unsigned b = 0; b < 3; ++b) {
    const std::size_t bit = edge * 3 + b;
    auto& byte = bytes[layout.references + bit / 8];
    const auto mask = static_cast<char>(1u << (bit % 8));
    byte = static_cast<char>((value >> b) & 1u ? (byte | mask) : (byte & ~mask));
  }
}

std::uint32_t at(const ItemIndex& index, const char* id) {
  auto found = index.find(id);
  REQUIRE(found.has_value());
  return *found;
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
  CHECK(index.metadata().version == 2);
  CHECK(index.metadata().catalogVersion == "test-2024-05");
  CHECK(index.metadata().source == "unit test");
  CHECK(index.metadata().firstEvent == 1291191960);
  CHECK(index.metadata().lastEvent == 1323435000);
  CHECK(index.metadata().maxNeighbours == 3);
  CHECK(index.metadata().fingerprint == report.fingerprint);
  CHECK(index.metadata().fingerprint == fmt::idsFingerprint({"22423", "84029G", "84406B", "71053", "85123A"}));
  // The file holds the ids once, ascending bytewise; the report maps file positions to the input.
  CHECK_FALSE(report.decimalIds);
  CHECK(report.inputOf == std::vector<std::uint32_t>{4, 1, 3, 2, 0});
  for (std::uint32_t p = 0; p < 5; ++p) CHECK(index.id(p) == sampleInput().items[report.inputOf[p]].id);
  CHECK_FALSE(index.find("nope").has_value());
  CHECK(index.popularity(at(index, "85123A")) == 1.0);
  CHECK(index.popularityRaw(at(index, "71053")) == 32768);
  CHECK(index.popularityRaw(at(index, "84029G")) == 0);
  CHECK(index.popularityRaw(at(index, "22423")) == 546);

  auto first = index.neighbours(at(index, "85123A"), NeighbourKind::Bought);
  REQUIRE(first.size == 3);
  CHECK(index.id(first.items[0]) == "71053");
  CHECK(index.id(first.items[1]) == "84406B");
  CHECK(index.id(first.items[2]) == "84029G");
  CHECK(first.qs[0] >= first.qs[1]);
  auto third = index.neighbours(at(index, "84406B"), NeighbourKind::Bought);
  REQUIRE(third.size == 2);
  CHECK(index.id(third.items[0]) == "84029G");  // 0.9 before 0.25, whatever order the builder gave
  CHECK(index.neighbours(at(index, "71053"), NeighbourKind::Viewed).size == 1);
  CHECK(index.neighbours(at(index, "84029G"), NeighbourKind::Bought).size == 0);
  CHECK(index.edgeCount(NeighbourKind::Viewed) == 1);
  CHECK(index.edgeCount(NeighbourKind::Next) == 0);

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

TEST_CASE("a size budget drops the weakest edges of the index until it fits", "[suggest][index]") {
  IndexBuildInput input = sampleInput();
  IndexBuildReport full;
  REQUIRE(writeItemIndex(input, &full).ok());

  // One byte less: the weakest edge (85123A's third, 0.01) goes, and with it K = 3.
  input.maxBytes = full.bytes - 1;
  IndexBuildReport smaller;
  auto written = writeItemIndex(input, &smaller);
  REQUIRE(written.ok());
  CHECK(written.value().size() <= input.maxBytes);
  CHECK(smaller.neighbours == 2);
  CHECK(smaller.boughtEdges == full.boughtEdges - 1);
  auto parsed = ItemIndex::parse(written.value());
  REQUIRE(parsed.ok());
  auto kept = parsed.value().neighbours(*parsed.value().find("85123A"), NeighbourKind::Bought);
  REQUIRE(kept.size == 2);
  CHECK(parsed.value().id(kept.items[1]) == "84406B");

  // Tighter: more edges go, weakest first, the strongest (22423 -> 85123A, 1.0) last.
  input.maxBytes = full.bytes - 5;
  auto tight = writeItemIndex(input, &smaller);
  REQUIRE(tight.ok());
  CHECK(tight.value().size() <= input.maxBytes);
  auto tightIndex = ItemIndex::parse(tight.value());
  REQUIRE(tightIndex.ok());
  CHECK(tightIndex.value().neighbours(*tightIndex.value().find("22423"), NeighbourKind::Bought).size == 1);

  input.maxBytes = 80;
  auto impossible = writeItemIndex(input);
  REQUIRE_FALSE(impossible.ok());
  CHECK_THAT(impossible.error().message, Catch::Contains("over the budget of 80"));
}

TEST_CASE("numeric ids are stored as varint deltas, a 50 KB budget keeps K = 24 for 3,000 9-digit ids", "[suggest][index]") {
  // Ids of a click log: 9 digits, spread over the range. One item in 20 has 24 viewed-together neighbours,
  // the others 0-2 as in a sparse click log, and each at most one viewed-next neighbour.
  std::mt19937 random(3);
  IndexBuildInput input;
  input.maxNeighbours = 24;
  std::vector<std::string> ids;
  for (std::uint32_t i = 0; i < 3000; ++i) ids.push_back(std::to_string(100000000 + random() % 900000000));
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::shuffle(ids.begin(), ids.end(), random);  // the writer orders them
  for (std::size_t i = 0; i < ids.size(); ++i) {
    IndexBuildItem item{ids[i], 1.0 + static_cast<double>(random() % 100), {}, {}, {}};
    const std::size_t many = random() % 20 == 0 ? 24 : random() % 3;
    for (std::size_t e = 0; e < many; ++e) {
      const auto other = static_cast<std::uint32_t>(random() % ids.size());
      if (other == i || std::any_of(item.viewed.begin(), item.viewed.end(), [&](const auto& x) { return x.first == other; })) continue;
      item.viewed.emplace_back(other, 0.01 + 0.9 / static_cast<double>(e + 1));
      if (e == 0) item.next.emplace_back(other, 0.3);
    }
    input.items.push_back(std::move(item));
  }
  input.maxBytes = 50 * 1024;
  IndexBuildReport report;
  auto written = writeItemIndex(input, &report);
  REQUIRE(written.ok());
  CHECK(report.decimalIds);
  CHECK(report.neighbours == 24);
  CHECK(report.droppedEdges == 0);
  CHECK(report.bytes <= input.maxBytes);
  auto parsed = ItemIndex::parse(written.value());
  REQUIRE(parsed.ok());
  const ItemIndex& index = parsed.value();
  REQUIRE(index.size() == ids.size());
  // Every id and every edge survive, in numeric order.
  for (std::uint32_t p = 0; p + 1 < index.size(); ++p) CHECK(std::stoull(index.id(p)) < std::stoull(index.id(p + 1)));
  for (std::size_t i = 0; i < ids.size(); i += 97) {
    const std::uint32_t p = at(index, ids[i].c_str());
    CHECK(index.neighbours(p, NeighbourKind::Viewed).size == input.items[i].viewed.size());
    CHECK(index.neighbours(p, NeighbourKind::Next).size == input.items[i].next.size());
    if (!input.items[i].viewed.empty())
      CHECK(index.id(index.neighbours(p, NeighbourKind::Viewed).items[0]) == ids[input.items[i].viewed[0].first]);
  }
}

TEST_CASE("ids with a leading zero or letters stay text", "[suggest][index]") {
  CHECK(fmt::isDecimalId("123456789"));
  CHECK(fmt::isDecimalId("0"));
  CHECK_FALSE(fmt::isDecimalId("0123"));
  CHECK_FALSE(fmt::isDecimalId("85123A"));
  CHECK_FALSE(fmt::isDecimalId("1234567890123456789"));  // 19 digits
  IndexBuildInput input;
  input.items = {{"0123", 1, {}, {}, {}}, {"123", 2, {{0, 0.5}}, {}, {}}};
  IndexBuildReport report;
  auto written = writeItemIndex(input, &report);
  REQUIRE(written.ok());
  CHECK_FALSE(report.decimalIds);
  auto parsed = ItemIndex::parse(written.value());
  REQUIRE(parsed.ok());
  CHECK(parsed.value().id(0) == "0123");
  CHECK(parsed.value().id(1) == "123");
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
  const Layout layout = layoutOf(bytes);
  // Bought-together edges in file order (items 22423, 71053, 84029G, 84406B, 85123A): 4 | 4 | - | 2 4 | 1 3 2.

  std::string newer = bytes;
  newer[4] = 3;
  CHECK_THAT(parseError(newer), Catch::Contains("format version 3 is newer than the version this CartKeep reads (2)"));
  std::string older = bytes;
  older[4] = 1;
  CHECK_THAT(parseError(older), Catch::Contains("format version 1 is not the version this CartKeep reads (2): rebuild the index"));

  std::string outOfRange = bytes;
  setReference(outOfRange, layout, 0, 7);
  fixChecksum(outOfRange);
  CHECK(parseError(outOfRange) == "bought-together neighbour 0 of item 0 (\"22423\") at bit 0 after byte " +
                                      std::to_string(layout.references) + " refers to item 7, but the index has 5 items");

  std::string self = bytes;
  setReference(self, layout, 0, 0);
  fixChecksum(self);
  CHECK_THAT(parseError(self), Catch::Contains("refers to the item itself"));

  std::string repeated = bytes;
  setReference(repeated, layout, 3, 2);  // neighbour 1 of item 3 -> item 2, as neighbour 0
  fixChecksum(repeated);
  CHECK_THAT(parseError(repeated), Catch::Contains("neighbour 1 of item 3 (\"84406B\") at bit 9") && Catch::Contains("repeats item 2"));

  std::string unsorted = bytes;
  unsorted[layout.scores + 6] = static_cast<char>(255);  // neighbour 2 of item 4 scores above neighbour 1
  fixChecksum(unsorted);
  CHECK_THAT(parseError(unsorted), Catch::Contains("neighbours must be best first"));

  std::string zero = bytes;
  zero[layout.scores] = 0;
  fixChecksum(zero);
  CHECK_THAT(parseError(zero), Catch::Contains("has score 0"));

  std::string padding = bytes;
  padding[layout.scores - 1] = static_cast<char>(padding[layout.scores - 1] | 0x80);  // 21 bits used of 24
  fixChecksum(padding);
  CHECK_THAT(parseError(padding), Catch::Contains("padding bits that are not 0"));

  std::string fingerprint = bytes;
  fingerprint[48] = static_cast<char>(fingerprint[48] ^ 1);
  fixChecksum(fingerprint);
  CHECK_THAT(parseError(fingerprint), Catch::Contains("ids fingerprint at byte 48"));

  // "22423" then "71053": the second made equal to the first.
  std::string duplicate = bytes;
  const std::size_t second = layout.ids + 2 + 5;
  REQUIRE(duplicate.substr(second + 2, 5) == "71053");
  duplicate.replace(second + 2, 5, "22423");
  fixChecksum(duplicate);
  CHECK_THAT(parseError(duplicate), Catch::Contains("id of item 1 at byte " + std::to_string(second) +
                                                    " (\"22423\") is not after the previous id \"22423\""));

  std::string shared = bytes;
  shared[second] = 9;  // shares 9 bytes with a 5-byte id
  fixChecksum(shared);
  CHECK_THAT(parseError(shared), Catch::Contains("shares 9 bytes with the previous id"));

  std::string width = bytes;
  width[29] = 4;
  fixChecksum(width);
  CHECK_THAT(parseError(width), Catch::Contains("neighbour reference width 4 bits (byte 29), expected 3 for 5 items"));

  std::string idEncoding = bytes;
  idEncoding[31] = 2;
  fixChecksum(idEncoding);
  CHECK_THAT(parseError(idEncoding), Catch::Contains("id encoding 2 (byte 31) is unknown"));
}

TEST_CASE("a damaged decimal id table is an error", "[suggest][index][errors]") {
  IndexBuildInput input;
  input.items = {{"5", 1, {}, {}, {}}, {"300", 2, {{0, 0.5}}, {}, {}}};
  auto written = writeItemIndex(input);
  REQUIRE(written.ok());
  std::string bytes = written.value();
  REQUIRE(bytes[31] == 1);
  const std::size_t ids = 64;
  CHECK(static_cast<unsigned char>(bytes[ids]) == 5);
  std::string repeat = bytes;
  // 300 - 5 = 295 = 0xA7 0x02: a 0 step repeats the previous id; keep the byte count with a padded varint.
  repeat[ids + 1] = static_cast<char>(0x80);
  repeat[ids + 2] = 0x00;
  fixChecksum(repeat);
  CHECK_THAT(parseError(repeat), Catch::Contains("repeats the id of item 0"));
}
