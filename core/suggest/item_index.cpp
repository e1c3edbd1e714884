#include "suggest/item_index.hpp"

#include "base/json_fields.hpp"  // CARTKEEP_TRY
#include "base/stable_sort.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace cartkeep {
namespace index_format {

std::uint64_t idsFingerprint(std::vector<std::string> ids) {
  stableSort(ids, std::less<>());
  std::uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&h](unsigned char byte) {
    h ^= byte;
    h *= 0x100000001b3ull;
  };
  for (const auto& id : ids) {
    for (char ch : id) mix(static_cast<unsigned char>(ch));
    mix('\n');
  }
  return h;
}

std::string hex(std::uint64_t value, int digits) {
  static const char* kDigits = "0123456789abcdef";
  std::string out(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0 && value; --i, value >>= 4) out[static_cast<std::size_t>(i)] = kDigits[value & 0xF];
  return out;
}

std::uint8_t encodeScore(double score) noexcept {
  if (!(score > 0)) return 0;  // also NaN
  if (score >= 1) return 255;
  const double q = std::round(255.0 * std::sqrt(score));
  return static_cast<std::uint8_t>(std::min(255.0, q));
}

}  // namespace index_format

namespace {
namespace fmt = index_format;

Error bad(const std::string& path, std::string message) {
  return Error{ErrorCode::InvalidArgument, path, std::move(message)};
}

std::string quotedId(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7F) {
      out += "\\x" + fmt::hex(u, 2);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Bounds-checked little-endian reads; every failure names the section and the byte offset.
class Reader {
 public:
  Reader(std::string_view bytes, const std::string& path) : bytes_(bytes), path_(path) {}

  std::size_t offset() const noexcept { return offset_; }
  void seek(std::size_t offset) noexcept { offset_ = offset; }

  Status need(std::size_t count, const char* what) const {
    if (bytes_.size() - offset_ >= count) return success();
    return bad(path_, std::string(what) + " at byte " + std::to_string(offset_) + " needs " + std::to_string(count) +
                          " bytes, only " + std::to_string(bytes_.size() - offset_) + " remain");
  }
  std::uint64_t unsignedAt(std::size_t at, std::size_t width) const noexcept {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i)
      value |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes_[at + i])) << (8 * i);
    return value;
  }
  // Callers check need() first.
  std::uint64_t take(std::size_t width) noexcept {
    const std::uint64_t value = unsignedAt(offset_, width);
    offset_ += width;
    return value;
  }
  std::string_view takeBytes(std::size_t count) noexcept {
    std::string_view out = bytes_.substr(offset_, count);
    offset_ += count;
    return out;
  }

 private:
  std::string_view bytes_;
  const std::string& path_;
  std::size_t offset_ = 0;
};

std::string describeStart(std::string_view bytes) {
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1F && static_cast<unsigned char>(bytes[1]) == 0x8B)
    return " (the data is gzip-compressed: serve the file with Content-Encoding: gzip, or decompress it)";
  std::size_t i = 0;
  while (i < bytes.size() && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t' ||
                              static_cast<unsigned char>(bytes[i]) == 0xEF || static_cast<unsigned char>(bytes[i]) == 0xBB ||
                              static_cast<unsigned char>(bytes[i]) == 0xBF))
    ++i;
  if (i < bytes.size() && bytes[i] == '<') return " (it looks like HTML: a wrong URL or an error page?)";
  if (i < bytes.size() && (bytes[i] == '{' || bytes[i] == '[')) return " (it looks like JSON, not an index built by tools/suggest-index)";
  return "";
}

}  // namespace

Result<ItemIndex> ItemIndex::parse(std::string_view bytes, const std::string& path) {
  if (bytes.empty()) return bad(path, "empty: no index data arrived");
  if (bytes.size() > fmt::kMaxBytes)
    return bad(path, std::to_string(bytes.size()) + " bytes is over the " + std::to_string(fmt::kMaxBytes) +
                         "-byte limit for an item index");
  if (bytes.size() < 4 || std::memcmp(bytes.data(), fmt::kMagic, 4) != 0)
    return bad(path, "not a CartKeep item index: it does not start with \"CKIX\"" + describeStart(bytes));
  if (bytes.size() < fmt::kHeaderSize)
    return bad(path, "truncated: " + std::to_string(bytes.size()) + " bytes, but the header alone is " +
                         std::to_string(fmt::kHeaderSize));
  Reader in(bytes, path);
  in.seek(4);
  ItemIndex index;
  IndexMetadata& meta = index.meta_;
  meta.version = static_cast<std::uint16_t>(in.take(2));
  if (meta.version != fmt::kVersion)
    return bad(path, "format version " + std::to_string(meta.version) +
                         (meta.version > fmt::kVersion ? " is newer than" : " is not") + " the version this CartKeep reads (" +
                         std::to_string(fmt::kVersion) + "): rebuild the index with this release's tools/suggest-index");
  const auto headerSize = static_cast<std::size_t>(in.take(2));
  const auto declared = static_cast<std::size_t>(in.take(4));
  const auto storedCrc = static_cast<std::uint32_t>(in.take(4));
  if (headerSize != fmt::kHeaderSize)
    return bad(path, "header size " + std::to_string(headerSize) + " at byte 6, expected " + std::to_string(fmt::kHeaderSize));
  if (bytes.size() < declared)
    return bad(path, "truncated: the header says " + std::to_string(declared) + " bytes, " + std::to_string(bytes.size()) +
                         " arrived (was the download cut short?)");
  if (bytes.size() > declared)
    return bad(path, std::to_string(bytes.size() - declared) + " unexpected bytes after the " + std::to_string(declared) +
                         " bytes the header declares");
  const std::uint32_t crc = fmt::crc32(bytes.substr(16));
  if (crc != storedCrc)
    return bad(path, "corrupted: checksum " + fmt::hex(crc, 8) + " does not match the stored " + fmt::hex(storedCrc, 8));

  const auto n = static_cast<std::uint32_t>(in.take(4));
  const auto boughtEdges = static_cast<std::size_t>(in.take(4));
  const auto viewedEdges = static_cast<std::size_t>(in.take(4));
  meta.maxNeighbours = static_cast<unsigned>(in.take(1));
  const auto width = static_cast<std::size_t>(in.take(1));
  const auto encoding = static_cast<unsigned>(in.take(1));
  in.take(1);
  meta.firstEvent = static_cast<std::int64_t>(in.take(8));
  meta.lastEvent = static_cast<std::int64_t>(in.take(8));
  const std::uint64_t fingerprint = in.take(8);
  const auto versionLength = static_cast<std::size_t>(in.take(2));
  const auto sourceLength = static_cast<std::size_t>(in.take(2));
  meta.bytes = declared;
  meta.fingerprint = fingerprint;

  if (n > fmt::kMaxItems)
    return bad(path, std::to_string(n) + " items (byte 16) is over the limit of " + std::to_string(fmt::kMaxItems));
  if (meta.maxNeighbours == 0 && (boughtEdges || viewedEdges))
    return bad(path, "K is 0 (byte 28) but the index has neighbour edges");
  if (width != 2 && width != 4) return bad(path, "neighbour reference width " + std::to_string(width) + " (byte 29), expected 2 or 4");
  if (width == 2 && n > 65536) return bad(path, "2-byte neighbour references (byte 29) cannot address " + std::to_string(n) + " items");
  if (encoding != 1) return bad(path, "score encoding " + std::to_string(encoding) + " (byte 30) is unknown, expected 1");
  const std::uint64_t maxEdges = static_cast<std::uint64_t>(n) * meta.maxNeighbours;
  if (boughtEdges > maxEdges || viewedEdges > maxEdges)
    return bad(path, "edge counts (bytes 20-27) exceed items x K = " + std::to_string(maxEdges));
  if (meta.lastEvent < meta.firstEvent) return bad(path, "the last event (byte 40) is before the first (byte 32)");
  if (versionLength > fmt::kMaxLabelLength || sourceLength > fmt::kMaxLabelLength)
    return bad(path, "label lengths (bytes 56-59) over " + std::to_string(fmt::kMaxLabelLength) + " bytes");

  in.seek(fmt::kHeaderSize);
  CARTKEEP_TRY(in.need(versionLength + sourceLength, "the labels"));
  meta.catalogVersion = std::string(in.takeBytes(versionLength));
  meta.source = std::string(in.takeBytes(sourceLength));

  // ids
  index.ids_.reserve(n);
  index.byId_.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    CARTKEEP_TRY(in.need(1, "ids"));
    const std::size_t at = in.offset();
    const auto length = static_cast<std::size_t>(in.take(1));
    if (length == 0 || length > fmt::kMaxIdLength)
      return bad(path, "id of item " + std::to_string(i) + " at byte " + std::to_string(at) + " is " + std::to_string(length) +
                           " bytes long, expected 1-" + std::to_string(fmt::kMaxIdLength));
    CARTKEEP_TRY(in.need(length, "ids"));
    std::string id(in.takeBytes(length));
    auto [existing, inserted] = index.byId_.emplace(id, i);
    if (!inserted)
      return bad(path, "item " + std::to_string(i) + " at byte " + std::to_string(at) + " repeats the id " + quotedId(id) +
                           " of item " + std::to_string(existing->second));
    index.ids_.push_back(std::move(id));
  }
  const std::uint64_t computed = fmt::idsFingerprint(index.ids_);
  if (computed != fingerprint)
    return bad(path, "the ids fingerprint at byte 48 (" + fmt::hex(fingerprint, 16) + ") does not match the ids (" +
                         fmt::hex(computed, 16) + ")");

  // popularity
  CARTKEEP_TRY(in.need(std::size_t{2} * n, "the popularity table"));
  index.popularity_.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) index.popularity_[i] = static_cast<std::uint16_t>(in.take(2));

  // counts
  CARTKEEP_TRY(in.need(std::size_t{2} * n, "the neighbour counts"));
  const std::size_t countsAt = in.offset();
  auto readCounts = [&](Table& table, std::size_t expected, const char* name, std::size_t base) -> Status {
    table.offsets.resize(std::size_t{n} + 1);
    std::size_t total = 0;
    table.offsets[0] = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
      const auto count = static_cast<unsigned>(in.take(1));
      if (count > meta.maxNeighbours)
        return bad(path, std::string(name) + " count of item " + std::to_string(i) + " (" + quotedId(index.ids_[i]) +
                             ") at byte " + std::to_string(base + i) + " is " + std::to_string(count) + ", over K = " +
                             std::to_string(meta.maxNeighbours));
      total += count;
      table.offsets[i + 1] = static_cast<std::uint32_t>(total);
    }
    if (total != expected)
      return bad(path, std::string(name) + " counts add up to " + std::to_string(total) + ", the header says " +
                           std::to_string(expected));
    return success();
  };
  CARTKEEP_TRY(readCounts(index.bought_, boughtEdges, "bought-together", countsAt));
  CARTKEEP_TRY(readCounts(index.viewed_, viewedEdges, "viewed-together", countsAt + n));

  // edges
  auto readEdges = [&](Table& table, const char* name) -> Status {
    const std::size_t edges = table.offsets[n];
    CARTKEEP_TRY(in.need(edges * (width + 1), name));
    table.items.resize(edges);
    table.qs.resize(edges);
    std::vector<std::uint32_t> seenBy(n, UINT32_MAX);  // last item that listed each neighbour
    for (std::uint32_t i = 0; i < n; ++i) {
      for (std::uint32_t e = table.offsets[i]; e < table.offsets[i + 1]; ++e) {
        const std::size_t at = in.offset();
        const auto item = static_cast<std::uint32_t>(in.take(width));
        const auto q = static_cast<std::uint8_t>(in.take(1));
        const std::string where = std::string(name) + " neighbour " + std::to_string(e - table.offsets[i]) + " of item " +
                                  std::to_string(i) + " (" + quotedId(index.ids_[i]) + ") at byte " + std::to_string(at);
        if (item >= n)
          return bad(path, where + " refers to item " + std::to_string(item) + ", but the index has " + std::to_string(n) + " items");
        if (item == i) return bad(path, where + " refers to the item itself");
        if (seenBy[item] == i) return bad(path, where + " repeats item " + std::to_string(item));
        seenBy[item] = i;
        if (q == 0) return bad(path, where + " has score 0");
        if (e > table.offsets[i] && q > table.qs[e - 1])
          return bad(path, where + " scores higher than the neighbour before it: neighbours must be best first");
        table.items[e] = item;
        table.qs[e] = q;
      }
    }
    return success();
  };
  CARTKEEP_TRY(readEdges(index.bought_, "bought-together"));
  CARTKEEP_TRY(readEdges(index.viewed_, "viewed-together"));
  if (in.offset() != declared)
    return bad(path, std::to_string(declared - in.offset()) + " bytes after the last section at byte " +
                         std::to_string(in.offset()) + " that no section accounts for");
  return index;
}

std::optional<std::uint32_t> ItemIndex::find(std::string_view id) const {
  auto found = byId_.find(std::string(id));
  if (found == byId_.end()) return std::nullopt;
  return found->second;
}

ItemIndex::Range ItemIndex::neighbours(std::uint32_t item, NeighbourKind kind) const noexcept {
  const Table& t = table(kind);
  const std::uint32_t begin = t.offsets[item];
  return Range{t.items.data() + begin, t.qs.data() + begin, t.offsets[item + 1] - begin};
}

std::size_t ItemIndex::edgeCount(NeighbourKind kind) const noexcept { return table(kind).items.size(); }

// ------------------------------------------------------------------------------------------- writing

namespace {

void put(std::string& out, std::uint64_t value, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFFu));
}

void patch(std::string& out, std::size_t at, std::uint64_t value, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i) out[at + i] = static_cast<char>((value >> (8 * i)) & 0xFFu);
}

using Edges = std::vector<std::pair<std::uint32_t, std::uint8_t>>;

// Best first, ties by item number: the file is the same whatever order the builder produced.
Result<Edges> prepareEdges(const std::vector<std::pair<std::uint32_t, double>>& input, std::uint32_t self, std::size_t n,
                           const std::string& where, std::size_t* dropped) {
  Edges edges;
  edges.reserve(input.size());
  for (const auto& [item, score] : input) {
    if (item >= n) return bad("index", where + " refers to item " + std::to_string(item) + " of " + std::to_string(n));
    if (item == self) return bad("index", where + " refers to the item itself");
    if (!(score >= 0) || score > 1) return bad("index", where + " has score " + std::to_string(score) + ", expected 0-1");
    const std::uint8_t q = index_format::encodeScore(score);
    if (q == 0) {
      ++*dropped;
      continue;
    }
    edges.emplace_back(item, q);
  }
  std::sort(edges.begin(), edges.end());
  for (std::size_t i = 1; i < edges.size(); ++i)
    if (edges[i].first == edges[i - 1].first)
      return bad("index", where + " lists item " + std::to_string(edges[i].first) + " twice");
  std::sort(edges.begin(), edges.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return edges;
}

}  // namespace

Result<std::string> writeItemIndex(const IndexBuildInput& input, IndexBuildReport* report) {
  const std::size_t n = input.items.size();
  if (n > fmt::kMaxItems) return bad("index", std::to_string(n) + " items is over the limit of " + std::to_string(fmt::kMaxItems));
  if (input.maxNeighbours < 1 || input.maxNeighbours > 255)
    return bad("index", "K must be 1-255, got " + std::to_string(input.maxNeighbours));
  if (input.catalogVersion.size() > fmt::kMaxLabelLength || input.source.size() > fmt::kMaxLabelLength)
    return bad("index", "the catalog version and source labels must be at most 200 bytes");
  if (input.lastEvent < input.firstEvent) return bad("index", "the last event is before the first");

  std::vector<std::string> ids;
  ids.reserve(n);
  double maxPopularity = 0;
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& item = input.items[i];
    if (item.id.empty() || item.id.size() > fmt::kMaxIdLength)
      return bad("index", "item " + std::to_string(i) + " has an id of " + std::to_string(item.id.size()) + " bytes, expected 1-64");
    if (!seen.emplace(item.id, i).second) return bad("index", "item " + std::to_string(i) + " repeats the id " + quotedId(item.id));
    if (!(item.popularity >= 0) || std::isinf(item.popularity))
      return bad("index", "item " + std::to_string(i) + " (" + quotedId(item.id) + ") has popularity " + std::to_string(item.popularity));
    maxPopularity = std::max(maxPopularity, item.popularity);
    ids.push_back(item.id);
  }

  std::size_t dropped = 0;
  std::vector<Edges> bought(n), viewed(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string where = "item " + std::to_string(i) + " (" + quotedId(ids[i]) + ")";
    CARTKEEP_TRY_ASSIGN(bought[i], prepareEdges(input.items[i].bought, static_cast<std::uint32_t>(i), n, where + " bought-together", &dropped));
    CARTKEEP_TRY_ASSIGN(viewed[i], prepareEdges(input.items[i].viewed, static_cast<std::uint32_t>(i), n, where + " viewed-together", &dropped));
  }

  const std::size_t width = n <= 65536 ? 2 : 4;
  std::size_t fixed = fmt::kHeaderSize + input.catalogVersion.size() + input.source.size() + 4 * n;
  for (const auto& id : ids) fixed += 1 + id.size();
  auto edgesFor = [&](unsigned k) {
    std::size_t total = 0;
    for (std::size_t i = 0; i < n; ++i) total += std::min<std::size_t>(k, bought[i].size()) + std::min<std::size_t>(k, viewed[i].size());
    return total;
  };
  unsigned k = input.maxNeighbours;
  if (input.maxBytes) {
    if (fixed > input.maxBytes)
      return bad("index", "the ids and popularity of " + std::to_string(n) + " items alone take " + std::to_string(fixed) +
                              " bytes, over the budget of " + std::to_string(input.maxBytes));
    while (k > 0 && fixed + edgesFor(k) * (width + 1) > input.maxBytes) --k;
    if (k == 0) {
      // Not even one neighbour each fits: keep K = 1 and drop the weakest first neighbours until it does.
      k = 1;
      std::vector<std::pair<std::uint8_t, Edges*>> firsts;
      for (std::size_t i = 0; i < n; ++i)
        for (auto* list : {&bought[i], &viewed[i]})
          if (!list->empty()) firsts.emplace_back((*list)[0].second, list);
      std::stable_sort(firsts.begin(), firsts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      std::size_t edges = edgesFor(1);
      for (auto& [q, list] : firsts) {
        if (fixed + edges * (width + 1) <= input.maxBytes) break;
        dropped += list->size();
        list->clear();
        --edges;
      }
    }
  }

  std::string out;
  out.reserve(fixed + edgesFor(k) * (width + 1));
  out.append(fmt::kMagic, 4);
  put(out, fmt::kVersion, 2);
  put(out, fmt::kHeaderSize, 2);
  put(out, 0, 4);  // size, patched below
  put(out, 0, 4);  // checksum, patched below
  put(out, n, 4);
  std::size_t boughtCount = 0, viewedCount = 0;
  for (std::size_t i = 0; i < n; ++i) {
    boughtCount += std::min<std::size_t>(k, bought[i].size());
    viewedCount += std::min<std::size_t>(k, viewed[i].size());
    dropped += bought[i].size() - std::min<std::size_t>(k, bought[i].size());
    dropped += viewed[i].size() - std::min<std::size_t>(k, viewed[i].size());
  }
  put(out, boughtCount, 4);
  put(out, viewedCount, 4);
  put(out, k, 1);
  put(out, width, 1);
  put(out, 1, 1);
  put(out, 0, 1);
  put(out, static_cast<std::uint64_t>(input.firstEvent), 8);
  put(out, static_cast<std::uint64_t>(input.lastEvent), 8);
  const std::uint64_t fingerprint = fmt::idsFingerprint(ids);
  put(out, fingerprint, 8);
  put(out, input.catalogVersion.size(), 2);
  put(out, input.source.size(), 2);
  put(out, 0, 4);
  out += input.catalogVersion;
  out += input.source;
  for (const auto& id : ids) {
    put(out, id.size(), 1);
    out += id;
  }
  for (const auto& item : input.items) {
    std::uint64_t q = 0;
    if (maxPopularity > 0 && item.popularity > 0)
      q = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(65535.0 * item.popularity / maxPopularity)));
    put(out, std::min<std::uint64_t>(q, 65535), 2);
  }
  for (const auto* lists : {&bought, &viewed})
    for (const auto& list : *lists) put(out, std::min<std::size_t>(k, list.size()), 1);
  for (const auto* lists : {&bought, &viewed})
    for (const auto& list : *lists)
      for (std::size_t e = 0; e < std::min<std::size_t>(k, list.size()); ++e) {
        put(out, list[e].first, width);
        put(out, list[e].second, 1);
      }
  patch(out, 8, out.size(), 4);
  patch(out, 12, fmt::crc32(std::string_view(out).substr(16)), 4);
  if (report) {
    report->bytes = out.size();
    report->neighbours = k;
    report->boughtEdges = boughtCount;
    report->viewedEdges = viewedCount;
    report->droppedEdges = dropped;
    report->fingerprint = fingerprint;
  }
  return out;
}

}  // namespace cartkeep
