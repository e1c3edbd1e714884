// The binary item index: round trip, quantisation, size budget, and every kind of bad file.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <random>

#include "suggest/bit_stream.hpp"
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

// Where sampleBytes()' ids start: after the header and the two labels.
std::size_t idsAt() { return 64 + std::strlen("test-2024-05") + std::strlen("unit test"); }

// An index of five items "1".."5" whose only neighbours are bought-together, `counts` of them per item, with its
// neighbour section (the gap code's parameter and the stream) replaced by `write`'s: the section is the file's
// last, so the damage is exactly what `write` puts there (sizes and checksum are made to match).
template <class Write>
std::string craftedIndex(const std::vector<unsigned>& counts, unsigned parameter, Write write) {
  IndexBuildInput input;
  input.maxNeighbours = 4;
  for (unsigned i = 0; i < 5; ++i) {
    IndexBuildItem item{std::to_string(i + 1), 1.0, {}, {}, {}};
    for (unsigned e = 0; e < counts[i]; ++e) item.bought.emplace_back((i + 1 + e) % 5, 0.5);
    input.items.push_back(std::move(item));
  }
  auto written = writeItemIndex(input);
  REQUIRE(written.ok());
  std::string bytes = written.value();
  const std::size_t sectionAt = 64 + 5 + 2 * 5 + 5;  // header, ids (one varint byte each), popularity, counts
  bytes.resize(sectionAt);
  bytes.push_back(static_cast<char>(parameter));
  fmt::BitWriter bits(bytes);
  write(bits);
  bits.finish();
  for (int i = 0; i < 4; ++i) bytes[8 + static_cast<std::size_t>(i)] = static_cast<char>((bytes.size() >> (8 * i)) & 0xFF);
  fixChecksum(bytes);
  return bytes;
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
  CHECK(index.metadata().version == 3);
  CHECK(index.metadata().scoreBits == 8);
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

TEST_CASE("a size budget coarsens the scores, then drops the weakest edges of the index until it fits", "[suggest][index]") {
  IndexBuildInput input = sampleInput();
  IndexBuildReport full;
  REQUIRE(writeItemIndex(input, &full).ok());
  CHECK(full.scoreBits == 8);

  // One byte less: 7-bit scores (8 edges, a bit each) fit it, and every edge stays, in the same order.
  input.maxBytes = full.bytes - 1;
  IndexBuildReport coarser;
  auto written = writeItemIndex(input, &coarser);
  REQUIRE(written.ok());
  CHECK(written.value().size() <= input.maxBytes);
  CHECK(coarser.scoreBits == 7);
  CHECK(coarser.neighbours == 3);
  CHECK(coarser.boughtEdges == full.boughtEdges);
  auto parsed = ItemIndex::parse(written.value());
  REQUIRE(parsed.ok());
  CHECK(parsed.value().metadata().scoreBits == 7);
  auto kept = parsed.value().neighbours(*parsed.value().find("85123A"), NeighbourKind::Bought);
  REQUIRE(kept.size == 3);
  CHECK(parsed.value().id(kept.items[0]) == "71053");
  CHECK(parsed.value().id(kept.items[1]) == "84406B");
  CHECK(parsed.value().id(kept.items[2]) == "84029G");

  // Tighter than 4-bit scores allow: the weakest edges go (85123A's third, 0.01, first), K follows the
  // longest list left, and the strongest edge (22423 -> 85123A, 1.0) stays.
  IndexBuildReport smaller;
  std::size_t budget = full.bytes;
  while (smaller.boughtEdges == 0 || smaller.boughtEdges == full.boughtEdges) {
    input.maxBytes = --budget;
    auto tight = writeItemIndex(input, &smaller);
    REQUIRE(tight.ok());
    CHECK(tight.value().size() <= input.maxBytes);
  }
  CHECK(smaller.scoreBits == fmt::kMinScoreBits);
  CHECK(smaller.boughtEdges == full.boughtEdges - 1);
  CHECK(smaller.neighbours == 2);
  auto smallerIndex = ItemIndex::parse(writeItemIndex(input).value());
  REQUIRE(smallerIndex.ok());
  auto left = smallerIndex.value().neighbours(*smallerIndex.value().find("85123A"), NeighbourKind::Bought);
  REQUIRE(left.size == 2);
  CHECK(smallerIndex.value().id(left.items[1]) == "84406B");
  input.maxBytes = budget - 4;
  auto tightest = writeItemIndex(input);
  REQUIRE(tightest.ok());
  auto tightestIndex = ItemIndex::parse(tightest.value());
  REQUIRE(tightestIndex.ok());
  CHECK(tightestIndex.value().neighbours(*tightestIndex.value().find("22423"), NeighbourKind::Bought).size == 1);

  input.maxBytes = 80;
  auto impossible = writeItemIndex(input);
  REQUIRE_FALSE(impossible.ok());
  CHECK_THAT(impossible.error().message, Catch::Contains("over the budget of 80"));
}

TEST_CASE("neighbour lists round-trip through the gap code, best first, at every score width", "[suggest][index]") {
  std::mt19937 random(5);
  for (const std::size_t n : {2u, 7u, 300u, 5000u}) {
    IndexBuildInput input;
    input.maxNeighbours = 40;
    for (std::size_t i = 0; i < n; ++i) {
      IndexBuildItem item{"item-" + std::to_string(i), 1.0 + static_cast<double>(random() % 50), {}, {}, {}};
      const std::size_t count = random() % std::min<std::size_t>(n, 41);
      for (std::size_t e = 0; e < count; ++e) {
        // Near neighbours (a small step from the item) and far ones, as real logs mix them.
        const auto other = static_cast<std::uint32_t>(random() % 2 ? (i + 1 + random() % 5) % n : random() % n);
        if (other == i || std::any_of(item.next.begin(), item.next.end(), [&](const auto& x) { return x.first == other; })) continue;
        item.next.emplace_back(other, static_cast<double>(1 + random() % 1000) / 1000.0);
      }
      input.items.push_back(std::move(item));
    }
    IndexBuildReport report;
    auto written = writeItemIndex(input, &report);
    REQUIRE(written.ok());
    auto parsed = ItemIndex::parse(written.value());
    REQUIRE(parsed.ok());
    const ItemIndex& index = parsed.value();
    for (std::size_t i = 0; i < n; ++i) {
      // Expected: the input's neighbours, best first by their 8-bit score, ties in file order.
      std::vector<std::pair<int, std::string>> expected;
      for (const auto& [other, score] : input.items[i].next) expected.emplace_back(-fmt::encodeScore(score), input.items[other].id);
      std::vector<std::pair<std::uint32_t, std::string>> order;
      for (auto& [q, id] : expected) order.emplace_back(*index.find(id), id);
      std::vector<std::size_t> rank(expected.size());
      for (std::size_t e = 0; e < rank.size(); ++e) rank[e] = e;
      std::sort(rank.begin(), rank.end(), [&](std::size_t a, std::size_t b) {
        return expected[a].first != expected[b].first ? expected[a].first < expected[b].first : order[a].first < order[b].first;
      });
      const auto range = index.neighbours(*index.find(input.items[i].id), NeighbourKind::Next);
      REQUIRE(range.size == expected.size());
      for (std::size_t e = 0; e < range.size; ++e) {
        CHECK(index.id(range.items[e]) == expected[rank[e]].second);
        CHECK(range.qs[e] == -expected[rank[e]].first);
      }
    }
  }
  // Every width keeps the square-root scale: 8 bits are the 8-bit q itself, fewer the nearest 8-bit q.
  for (unsigned bits = 1; bits <= 8; ++bits) {
    const unsigned top = (1u << bits) - 1;
    CHECK(fmt::widenScore(static_cast<std::uint8_t>(top), bits) == 255);
    for (unsigned q = 0; q <= top; ++q) {
      CHECK(std::abs(fmt::widenScore(static_cast<std::uint8_t>(q), bits) / 255.0 - static_cast<double>(q) / top) <= 0.5 / 255 + 1e-12);
      if (bits == 8) CHECK(fmt::widenScore(static_cast<std::uint8_t>(q), bits) == q);
    }
  }
  for (const std::int64_t step : {1, -1, 2, -2, 4999, -4999}) CHECK(fmt::unzigzag(fmt::zigzag(step)) == step);
}

TEST_CASE("bit streams and Rice codes read back what was written, and stop at their end", "[suggest][index]") {
  std::string bytes;
  fmt::BitWriter writer(bytes);
  const std::vector<std::uint64_t> values = {0, 1, 2, 3, 7, 8, 100, 4095, 70000};
  for (const unsigned r : {0u, 1u, 3u, 8u, 12u})
    for (const auto v : values)
      if ((v >> r) < 200) writer.putRice(v, r);
  writer.put(5, 3);
  writer.finish();
  fmt::BitReader reader(bytes, 0, bytes.size());
  for (const unsigned r : {0u, 1u, 3u, 8u, 12u})
    for (const auto v : values) {
      if ((v >> r) >= 200) continue;
      std::uint64_t read = 0;
      REQUIRE(reader.takeRice(r, 200, read));
      CHECK(read == v);
      CHECK(fmt::riceBits(v, r) == (v >> r) + 1 + r);
    }
  std::uint64_t three = 0;
  REQUIRE(reader.take(3, three));
  CHECK(three == 5);
  CHECK(reader.paddingIsZero());
  std::uint64_t beyond = 0;
  CHECK_FALSE(reader.take(16, beyond));
  // A run of ones longer than the largest quotient allowed fails and reads nothing.
  const std::string ones(4, '\xFF');
  fmt::BitReader run(ones, 0, ones.size());
  CHECK_FALSE(run.takeRice(0, 10, beyond));
  CHECK(run.bit() == 0);
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

  std::string newer = bytes;
  newer[4] = 4;
  auto newerError = ItemIndex::parse(newer);
  REQUIRE_FALSE(newerError.ok());
  CHECK(newerError.error().code == ErrorCode::IndexVersion);
  CHECK(newerError.error().path == "suggestions.index");
  CHECK_THAT(newerError.error().message, Catch::Contains("format version 4 is newer than the version this CartKeep reads (3)"));
  for (const char older : {1, 2}) {
    std::string old = bytes;
    old[4] = older;
    auto oldError = ItemIndex::parse(old);
    REQUIRE_FALSE(oldError.ok());
    CHECK(oldError.error().code == ErrorCode::IndexVersion);
    CHECK(oldError.error().path == "suggestions.index");
    CHECK_THAT(oldError.error().message, Catch::Contains("format version " + std::to_string(older) +
                                                         " is not the version this CartKeep reads (3): rebuild the index"));
  }

  std::string reserved = bytes;
  reserved[29] = 4;
  fixChecksum(reserved);
  CHECK_THAT(parseError(reserved), Catch::Contains("byte 29 is 4, expected 0"));
  for (const char width : {0, 9}) {
    std::string scoreWidth = bytes;
    scoreWidth[30] = width;
    fixChecksum(scoreWidth);
    CHECK_THAT(parseError(scoreWidth), Catch::Contains("score width " + std::to_string(width) + " bits (byte 30), expected 1-8"));
  }

  std::string fingerprint = bytes;
  fingerprint[48] = static_cast<char>(fingerprint[48] ^ 1);
  fixChecksum(fingerprint);
  CHECK_THAT(parseError(fingerprint), Catch::Contains("ids fingerprint at byte 48"));

  // "22423" then "71053": the second made equal to the first.
  std::string duplicate = bytes;
  const std::size_t second = idsAt() + 2 + 5;
  REQUIRE(duplicate.substr(second + 2, 5) == "71053");
  duplicate.replace(second + 2, 5, "22423");
  fixChecksum(duplicate);
  CHECK_THAT(parseError(duplicate), Catch::Contains("id of item 1 at byte " + std::to_string(second) +
                                                    " (\"22423\") is not after the previous id \"22423\""));

  std::string shared = bytes;
  shared[second] = 9;  // shares 9 bytes with a 5-byte id
  fixChecksum(shared);
  CHECK_THAT(parseError(shared), Catch::Contains("shares 9 bytes with the previous id"));

  std::string idEncoding = bytes;
  idEncoding[31] = 2;
  fixChecksum(idEncoding);
  CHECK_THAT(parseError(idEncoding), Catch::Contains("id encoding 2 (byte 31) is unknown"));
}

TEST_CASE("damaged neighbour streams are errors that name the item, the neighbour and the bit", "[suggest][index][errors]") {
  // Items "1".."5" at positions 0-4, neighbours per item as counted; the stream written by hand (8-bit scores).
  const std::vector<unsigned> counts = {1, 2, 0, 0, 0};
  // Both lists, well formed (33 bits); the damaged streams below start from them.
  const auto bothLists = [](fmt::BitWriter& bits) {
    bits.putRice(0, 2);  // item 0: step +1 (zigzag 1, less one) -> item 1
    bits.put(200, 8);
    bits.putRice(1, 2);  // item 1: step -1 -> item 0
    bits.putRice(1, 2);  // then a gap of 2 -> item 2
    bits.put(100, 8);
    bits.put(150, 8);
  };
  auto good = craftedIndex(counts, 2, bothLists);
  auto parsed = ItemIndex::parse(good);
  REQUIRE(parsed.ok());
  const auto second = parsed.value().neighbours(1, NeighbourKind::Bought);
  REQUIRE(second.size == 2);
  CHECK(second.items[0] == 2);  // 150 before 100: read back best first
  CHECK(second.qs[0] == 150);
  CHECK(second.items[1] == 0);

  const std::size_t streamAt = 64 + 5 + 2 * 5 + 5 + 1;
  auto outOfRange = craftedIndex(counts, 2, [](fmt::BitWriter& bits) {
    bits.putRice(12, 2);  // step +7 from item 0
    bits.put(200, 8);
  });
  CHECK(parseError(outOfRange) == "bought-together neighbour 0 of item 0 (\"1\") at bit 0 after byte " + std::to_string(streamAt) +
                                      " refers to item 7, but the index has 5 items");
  auto self = craftedIndex(counts, 2, [](fmt::BitWriter& bits) {
    bits.putRice(0, 2);
    bits.put(200, 8);
    bits.putRice(1, 2);  // item 1: item 0, then a gap of 1 -> item 1 itself
    bits.putRice(0, 2);
  });
  CHECK_THAT(parseError(self), Catch::Contains("bought-together neighbour 1 of item 1 (\"2\") at bit 14") &&
                                   Catch::Contains("refers to the item itself"));
  auto zero = craftedIndex(counts, 2, [](fmt::BitWriter& bits) {
    bits.putRice(0, 2);
    bits.put(0, 8);
  });
  CHECK_THAT(parseError(zero), Catch::Contains("bought-together neighbour 0 of item 0 (\"1\") has score 0"));
  auto cut = craftedIndex(counts, 2, [](fmt::BitWriter& bits) {
    bits.putRice(0, 2);
    bits.put(200, 8);
    bits.putRice(1, 2);
  });
  CHECK_THAT(parseError(cut), Catch::Contains("neighbour 1 of item 1 (\"2\")") && Catch::Contains("is cut short or out of range"));
  auto longRun = craftedIndex(counts, 0, [](fmt::BitWriter& bits) { bits.put(0xFFFFF, 20); });
  CHECK_THAT(parseError(longRun), Catch::Contains("neighbour 0 of item 0 (\"1\") at bit 0") && Catch::Contains("is cut short or out of range"));
  auto padding = craftedIndex(counts, 2, [&](fmt::BitWriter& bits) {
    bothLists(bits);
    bits.put(1, 1);  // 33 bits used: a 1 in the padding
  });
  CHECK_THAT(parseError(padding), Catch::Contains("bought-together neighbours end with padding bits that are not 0"));
  auto parameter = craftedIndex(counts, 25, [](fmt::BitWriter& bits) { bits.put(0, 8); });
  CHECK(parseError(parameter) == "bought-together gap code parameter 25 at byte " + std::to_string(streamAt - 1) + " is over 24");
  auto extra = craftedIndex(counts, 2, [&](fmt::BitWriter& bits) {
    bothLists(bits);
    bits.put(0, 7);  // the padding
    bits.put(0, 8);  // a byte no section accounts for
  });
  CHECK_THAT(parseError(extra), Catch::Contains("1 bytes after the last section"));
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
