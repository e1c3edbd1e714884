#include "suggest/item_index.hpp"

#include "base/json_fields.hpp"  // CARTKEEP_TRY
#include "base/stable_sort.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>

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

unsigned referenceBits(std::size_t items) noexcept {
  unsigned bits = 1;
  while (bits < 32 && (std::size_t{1} << bits) < items) ++bits;
  return bits;
}

bool isDecimalId(std::string_view id) noexcept {
  if (id.empty() || id.size() > 18 || (id[0] == '0' && id.size() > 1)) return false;
  for (char c : id)
    if (c < '0' || c > '9') return false;
  return true;
}

std::uint8_t encodeScore(double score) noexcept {
  if (!(score > 0)) return 0;  // also NaN
  if (score >= 1) return 255;
  const double q = std::round(255.0 * std::sqrt(score));
  return static_cast<std::uint8_t>(std::min(255.0, q));
}

}  // namespace index_format

const char* neighbourKindName(NeighbourKind kind) noexcept {
  switch (kind) {
    case NeighbourKind::Bought: return "bought-together";
    case NeighbourKind::Viewed: return "viewed-together";
    case NeighbourKind::Next: return "viewed-next";
  }
  return "unknown";
}

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
  const auto width = static_cast<unsigned>(in.take(1));
  const auto encoding = static_cast<unsigned>(in.take(1));
  const auto idEncoding = static_cast<unsigned>(in.take(1));
  meta.firstEvent = static_cast<std::int64_t>(in.take(8));
  meta.lastEvent = static_cast<std::int64_t>(in.take(8));
  const std::uint64_t fingerprint = in.take(8);
  const auto versionLength = static_cast<std::size_t>(in.take(2));
  const auto sourceLength = static_cast<std::size_t>(in.take(2));
  const auto nextEdges = static_cast<std::size_t>(in.take(4));
  const std::size_t edgeCounts[kNeighbourKindCount] = {boughtEdges, viewedEdges, nextEdges};
  meta.bytes = declared;
  meta.fingerprint = fingerprint;

  if (n > fmt::kMaxItems)
    return bad(path, std::to_string(n) + " items (byte 16) is over the limit of " + std::to_string(fmt::kMaxItems));
  if (meta.maxNeighbours == 0 && (boughtEdges || viewedEdges || nextEdges))
    return bad(path, "K is 0 (byte 28) but the index has neighbour edges");
  if (width != fmt::referenceBits(n))
    return bad(path, "neighbour reference width " + std::to_string(width) + " bits (byte 29), expected " +
                         std::to_string(fmt::referenceBits(n)) + " for " + std::to_string(n) + " items");
  if (encoding != 1) return bad(path, "score encoding " + std::to_string(encoding) + " (byte 30) is unknown, expected 1");
  if (idEncoding > 1) return bad(path, "id encoding " + std::to_string(idEncoding) + " (byte 31) is unknown, expected 0 or 1");
  const std::uint64_t maxEdges = static_cast<std::uint64_t>(n) * meta.maxNeighbours;
  if (boughtEdges > maxEdges || viewedEdges > maxEdges || nextEdges > maxEdges)
    return bad(path, "edge counts (bytes 20-27, 60-63) exceed items x K = " + std::to_string(maxEdges));
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
  std::uint64_t previousNumber = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::size_t at = in.offset();
    const std::string where = "id of item " + std::to_string(i) + " at byte " + std::to_string(at);
    std::string id;
    if (idEncoding == 1) {
      std::uint64_t step = 0;
      for (unsigned shift = 0;; shift += 7) {
        CARTKEEP_TRY(in.need(1, "ids"));
        const auto byte = in.take(1);
        if (shift > 56) return bad(path, where + ": the number does not end within 9 bytes");
        step |= (byte & 0x7Fu) << shift;
        if (!(byte & 0x80u)) break;
      }
      if (i > 0 && step == 0) return bad(path, where + " repeats the id of item " + std::to_string(i - 1));
      const std::uint64_t value = previousNumber + step;
      if (value < previousNumber || value > fmt::kMaxDecimalId)
        return bad(path, where + " is over the largest decimal id (18 digits)");
      previousNumber = value;
      id = std::to_string(value);
    } else {
      CARTKEEP_TRY(in.need(2, "ids"));
      const auto shared = static_cast<std::size_t>(in.take(1));
      const auto rest = static_cast<std::size_t>(in.take(1));
      const std::string& previous = i ? index.ids_.back() : std::string();
      if (shared > previous.size() || shared + rest == 0 || shared + rest > fmt::kMaxIdLength)
        return bad(path, where + " shares " + std::to_string(shared) + " bytes with the previous id and adds " +
                             std::to_string(rest) + ": expected an id of 1-" + std::to_string(fmt::kMaxIdLength) + " bytes");
      CARTKEEP_TRY(in.need(rest, "ids"));
      id.assign(previous, 0, shared);
      id += in.takeBytes(rest);
      if (i > 0 && !(previous < id))
        return bad(path, where + " (" + quotedId(id) + ") is not after the previous id " + quotedId(previous) +
                             ": ids must be unique and ascending");
    }
    index.byId_.emplace(id, i);
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

  // counts, for the kinds with edges
  for (std::size_t kind = 0; kind < kNeighbourKindCount; ++kind) {
    Table& table = index.tables_[kind];
    table.offsets.assign(std::size_t{n} + 1, 0);
    if (!edgeCounts[kind]) continue;
    const char* name = neighbourKindName(kNeighbourKinds[kind]);
    CARTKEEP_TRY(in.need(n, "the neighbour counts"));
    std::size_t total = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::size_t at = in.offset();
      const auto count = static_cast<unsigned>(in.take(1));
      if (count > meta.maxNeighbours)
        return bad(path, std::string(name) + " count of item " + std::to_string(i) + " (" + quotedId(index.ids_[i]) +
                             ") at byte " + std::to_string(at) + " is " + std::to_string(count) + ", over K = " +
                             std::to_string(meta.maxNeighbours));
      total += count;
      table.offsets[i + 1] = static_cast<std::uint32_t>(total);
    }
    if (total != edgeCounts[kind])
      return bad(path, std::string(name) + " counts add up to " + std::to_string(total) + ", the header says " +
                           std::to_string(edgeCounts[kind]));
  }

  // edges: bit-packed references, then the scores
  std::vector<std::uint32_t> seenBy(n, UINT32_MAX);  // last item that listed each neighbour
  for (std::size_t kind = 0; kind < kNeighbourKindCount; ++kind) {
    Table& table = index.tables_[kind];
    const std::size_t edges = edgeCounts[kind];
    if (!edges) continue;
    const char* name = neighbourKindName(kNeighbourKinds[kind]);
    const std::size_t referenceBytes = (edges * width + 7) / 8;
    CARTKEEP_TRY(in.need(referenceBytes + edges, name));
    const std::size_t referencesAt = in.offset();
    const std::size_t scoresAt = referencesAt + referenceBytes;
    table.items.resize(edges);
    table.qs.resize(edges);
    std::fill(seenBy.begin(), seenBy.end(), UINT32_MAX);
    for (std::uint32_t i = 0; i < n; ++i) {
      for (std::uint32_t e = table.offsets[i]; e < table.offsets[i + 1]; ++e) {
        const std::size_t bit = std::size_t{e} * width;
        // Up to 20 bits starting anywhere in a byte span at most 4 bytes.
        const std::size_t first = referencesAt + bit / 8;
        const std::size_t span = std::min<std::size_t>(4, scoresAt - first);
        const auto item = static_cast<std::uint32_t>((in.unsignedAt(first, span) >> (bit % 8)) & ((1u << width) - 1));
        const auto q = static_cast<std::uint8_t>(in.unsignedAt(scoresAt + e, 1));
        auto where = [&] {  // only built for a message
          return std::string(name) + " neighbour " + std::to_string(e - table.offsets[i]) + " of item " + std::to_string(i) +
                 " (" + quotedId(index.ids_[i]) + ") at bit " + std::to_string(bit) + " after byte " + std::to_string(referencesAt);
        };
        if (item >= n)
          return bad(path, where() + " refers to item " + std::to_string(item) + ", but the index has " + std::to_string(n) + " items");
        if (item == i) return bad(path, where() + " refers to the item itself");
        if (seenBy[item] == i) return bad(path, where() + " repeats item " + std::to_string(item));
        seenBy[item] = i;
        if (q == 0) return bad(path, where() + " has score 0");
        if (e > table.offsets[i] && q > table.qs[e - 1])
          return bad(path, where() + " scores higher than the neighbour before it: neighbours must be best first");
        table.items[e] = item;
        table.qs[e] = q;
      }
    }
    if (edges * width % 8) {
      const auto lastByte = in.unsignedAt(scoresAt - 1, 1);
      if (lastByte >> (edges * width % 8)) return bad(path, std::string(name) + " references end with padding bits that are not 0");
    }
    in.seek(scoresAt + edges);
  }
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
  return edges;
}

void putVarint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

std::uint64_t decimalValue(const std::string& id) {
  std::uint64_t value = 0;
  for (char c : id) value = value * 10 + static_cast<std::uint64_t>(c - '0');
  return value;
}

// The ids section in the file's order (`ids` already sorted for the encoding).
std::string encodeIds(const std::vector<std::string>& ids, bool decimal) {
  std::string out;
  std::uint64_t previous = 0;
  const std::string* before = nullptr;
  for (const auto& id : ids) {
    if (decimal) {
      const std::uint64_t value = decimalValue(id);
      putVarint(out, value - previous);
      previous = value;
      continue;
    }
    std::size_t shared = 0;
    if (before)
      while (shared < before->size() && shared < id.size() && shared < 255 && (*before)[shared] == id[shared]) ++shared;
    put(out, shared, 1);
    put(out, id.size() - shared, 1);
    out.append(id, shared, std::string::npos);
    before = &id;
  }
  return out;
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

  double maxPopularity = 0;
  bool decimal = n > 0;
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& item = input.items[i];
    if (item.id.empty() || item.id.size() > fmt::kMaxIdLength)
      return bad("index", "item " + std::to_string(i) + " has an id of " + std::to_string(item.id.size()) + " bytes, expected 1-64");
    if (!seen.emplace(item.id, i).second) return bad("index", "item " + std::to_string(i) + " repeats the id " + quotedId(item.id));
    if (!(item.popularity >= 0) || std::isinf(item.popularity))
      return bad("index", "item " + std::to_string(i) + " (" + quotedId(item.id) + ") has popularity " + std::to_string(item.popularity));
    maxPopularity = std::max(maxPopularity, item.popularity);
    decimal = decimal && fmt::isDecimalId(item.id);
  }

  // The file's order: ids ascending as numbers (decimal) or bytewise (text).
  std::vector<std::uint32_t> inputOf(n);
  for (std::size_t i = 0; i < n; ++i) inputOf[i] = static_cast<std::uint32_t>(i);
  std::sort(inputOf.begin(), inputOf.end(), [&](std::uint32_t a, std::uint32_t b) {
    const std::string& x = input.items[a].id;
    const std::string& y = input.items[b].id;
    if (decimal && x.size() != y.size()) return x.size() < y.size();
    return x < y;
  });
  std::vector<std::uint32_t> positionOf(n);
  std::vector<std::string> ids(n);
  for (std::size_t p = 0; p < n; ++p) {
    positionOf[inputOf[p]] = static_cast<std::uint32_t>(p);
    ids[p] = input.items[inputOf[p]].id;
  }

  std::size_t dropped = 0;
  std::vector<Edges> lists[kNeighbourKindCount];
  for (auto& kindLists : lists) kindLists.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& item = input.items[i];
    const std::string where = "item " + std::to_string(i) + " (" + quotedId(item.id) + ")";
    const std::vector<std::pair<std::uint32_t, double>>* sources[kNeighbourKindCount] = {&item.bought, &item.viewed, &item.next};
    for (std::size_t kind = 0; kind < kNeighbourKindCount; ++kind) {
      Edges edges;
      CARTKEEP_TRY_ASSIGN(edges, prepareEdges(*sources[kind], static_cast<std::uint32_t>(i), n,
                                              where + " " + neighbourKindName(kNeighbourKinds[kind]), &dropped));
      for (auto& edge : edges) edge.first = positionOf[edge.first];
      // Ties keep the file's item order, whatever order the builder gave.
      std::stable_sort(edges.begin(), edges.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
      });
      lists[kind][positionOf[i]] = std::move(edges);
    }
  }

  const unsigned width = fmt::referenceBits(n);
  const std::string idBytes = encodeIds(ids, decimal);
  const std::size_t fixed = fmt::kHeaderSize + input.catalogVersion.size() + input.source.size() + idBytes.size() + 2 * n;
  auto edgesAt = [&](std::size_t kind, unsigned k) {
    std::size_t total = 0;
    for (const auto& list : lists[kind]) total += std::min<std::size_t>(k, list.size());
    return total;
  };
  auto bytesFor = [&](unsigned k) {
    std::size_t total = fixed;
    for (std::size_t kind = 0; kind < kNeighbourKindCount; ++kind) {
      const std::size_t edges = edgesAt(kind, k);
      if (edges) total += n + (edges * width + 7) / 8 + edges;
    }
    return total;
  };
  unsigned k = input.maxNeighbours;
  for (auto& kindLists : lists)
    for (auto& list : kindLists)
      if (list.size() > k) {
        dropped += list.size() - k;
        list.resize(k);
      }
  if (input.maxBytes && bytesFor(k) > input.maxBytes) {
    if (fixed > input.maxBytes)
      return bad("index", "the ids and popularity of " + std::to_string(n) + " items alone take " + std::to_string(fixed) +
                              " bytes, over the budget of " + std::to_string(input.maxBytes));
    // Over budget: the weakest edges of the whole index go first (a score that adds little to any ranking),
    // so every item keeps its strongest neighbours; K becomes the longest list left. Within a list scores do
    // not increase, and ties go from the back, so each list loses its tail.
    struct Edge {
      std::uint8_t q;
      std::uint8_t position;
      std::uint8_t kind;
      std::uint32_t item;
    };
    std::vector<Edge> all;
    std::size_t edges[kNeighbourKindCount] = {};
    for (std::size_t kind = 0; kind < kNeighbourKindCount; ++kind)
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t e = 0; e < lists[kind][i].size(); ++e, ++edges[kind])
          all.push_back({lists[kind][i][e].second, static_cast<std::uint8_t>(e), static_cast<std::uint8_t>(kind), static_cast<std::uint32_t>(i)});
    std::sort(all.begin(), all.end(), [](const Edge& a, const Edge& b) {
      if (a.q != b.q) return a.q < b.q;
      if (a.position != b.position) return a.position > b.position;
      return a.kind != b.kind ? a.kind < b.kind : a.item < b.item;
    });
    auto bytesNow = [&] {
      std::size_t total = fixed;
      for (std::size_t kind = 0; kind < kNeighbourKindCount; ++kind)
        if (edges[kind]) total += n + (edges[kind] * width + 7) / 8 + edges[kind];
      return total;
    };
    for (const Edge& edge : all) {
      if (bytesNow() <= input.maxBytes) break;
      lists[edge.kind][edge.item].resize(edge.position);
      --edges[edge.kind];
      ++dropped;
    }
    k = 0;
    for (auto& kindLists : lists)
      for (auto& list : kindLists) k = std::max<unsigned>(k, static_cast<unsigned>(list.size()));
    k = std::max(k, 1u);
  }

  std::size_t edgeCounts[kNeighbourKindCount];
  for (std::size_t kind = 0; kind < kNeighbourKindCount; ++kind) edgeCounts[kind] = edgesAt(kind, k);

  std::string out;
  out.reserve(bytesFor(k));
  out.append(fmt::kMagic, 4);
  put(out, fmt::kVersion, 2);
  put(out, fmt::kHeaderSize, 2);
  put(out, 0, 4);  // size, patched below
  put(out, 0, 4);  // checksum, patched below
  put(out, n, 4);
  put(out, edgeCounts[0], 4);
  put(out, edgeCounts[1], 4);
  put(out, k, 1);
  put(out, width, 1);
  put(out, 1, 1);
  put(out, decimal ? 1 : 0, 1);
  put(out, static_cast<std::uint64_t>(input.firstEvent), 8);
  put(out, static_cast<std::uint64_t>(input.lastEvent), 8);
  const std::uint64_t fingerprint = fmt::idsFingerprint(ids);
  put(out, fingerprint, 8);
  put(out, input.catalogVersion.size(), 2);
  put(out, input.source.size(), 2);
  put(out, edgeCounts[2], 4);
  out += input.catalogVersion;
  out += input.source;
  out += idBytes;
  for (std::size_t p = 0; p < n; ++p) {
    const double popularity = input.items[inputOf[p]].popularity;
    std::uint64_t q = 0;
    if (maxPopularity > 0 && popularity > 0)
      q = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(65535.0 * popularity / maxPopularity)));
    put(out, std::min<std::uint64_t>(q, 65535), 2);
  }
  for (std::size_t kind = 0; kind < kNeighbourKindCount; ++kind)
    if (edgeCounts[kind])
      for (const auto& list : lists[kind]) put(out, std::min<std::size_t>(k, list.size()), 1);
  for (std::size_t kind = 0; kind < kNeighbourKindCount; ++kind) {
    if (!edgeCounts[kind]) continue;
    std::uint64_t buffer = 0;
    unsigned buffered = 0;
    for (const auto& list : lists[kind])
      for (std::size_t e = 0; e < std::min<std::size_t>(k, list.size()); ++e) {
        buffer |= static_cast<std::uint64_t>(list[e].first) << buffered;
        buffered += width;
        while (buffered >= 8) {
          out.push_back(static_cast<char>(buffer & 0xFF));
          buffer >>= 8;
          buffered -= 8;
        }
      }
    if (buffered) out.push_back(static_cast<char>(buffer & 0xFF));
    for (const auto& list : lists[kind])
      for (std::size_t e = 0; e < std::min<std::size_t>(k, list.size()); ++e) put(out, list[e].second, 1);
  }
  patch(out, 8, out.size(), 4);
  patch(out, 12, fmt::crc32(std::string_view(out).substr(16)), 4);
  if (report) {
    report->bytes = out.size();
    report->neighbours = k;
    report->boughtEdges = edgeCounts[0];
    report->viewedEdges = edgeCounts[1];
    report->nextEdges = edgeCounts[2];
    report->droppedEdges = dropped;
    report->fingerprint = fingerprint;
    report->decimalIds = decimal;
    report->inputOf = std::move(inputOf);
  }
  return out;
}

}  // namespace cartkeep
