#include "suggest/item_index.hpp"

#include "suggest/bit_stream.hpp"

#include "base/json_fields.hpp"  // CARTKEEP_TRY
#include "base/stable_sort.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>
#include <tuple>

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

std::uint8_t encodeScore(double score) noexcept { return quantiseScore(score, 8); }

std::uint8_t quantiseScore(double score, unsigned bits) noexcept {
  const double top = static_cast<double>((1u << bits) - 1);
  if (!(score > 0)) return 0;  // also NaN
  if (score >= 1) return static_cast<std::uint8_t>(top);
  return static_cast<std::uint8_t>(std::min(top, std::round(top * std::sqrt(score))));
}

std::uint8_t widenScore(std::uint8_t q, unsigned bits) noexcept {
  const unsigned top = (1u << bits) - 1;
  return static_cast<std::uint8_t>((q * 255u + top / 2) / top);
}

std::uint32_t zigzag(std::int64_t step) noexcept {
  return static_cast<std::uint32_t>(step > 0 ? 2 * step - 1 : -2 * step);
}

std::int64_t unzigzag(std::uint64_t code) noexcept {
  return code % 2 ? static_cast<std::int64_t>((code + 1) / 2) : -static_cast<std::int64_t>(code / 2);
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
    return Error{ErrorCode::IndexVersion, path, "format version " + std::to_string(meta.version) +
                         (meta.version > fmt::kVersion ? " is newer than" : " is not") + " the version this CartKeep reads (" +
                         std::to_string(fmt::kVersion) + "): rebuild the index with this release's tools/suggest-index"};
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
  const auto reserved = static_cast<unsigned>(in.take(1));
  const auto scoreBits = static_cast<unsigned>(in.take(1));
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
  if (reserved != 0) return bad(path, "byte 29 is " + std::to_string(reserved) + ", expected 0");
  if (scoreBits < 1 || scoreBits > 8)
    return bad(path, "score width " + std::to_string(scoreBits) + " bits (byte 30), expected 1-8");
  meta.scoreBits = scoreBits;
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

  // edges: per kind, the Rice parameter, then a bit stream of each item's list in ascending positions (the first
  // as a zigzag step from the item, the rest as gaps), each list followed by its scores; read back best first.
  for (std::size_t kind = 0; kind < kNeighbourKindCount; ++kind) {
    Table& table = index.tables_[kind];
    const std::size_t edges = edgeCounts[kind];
    if (!edges) continue;
    const char* name = neighbourKindName(kNeighbourKinds[kind]);
    CARTKEEP_TRY(in.need(1, name));
    const std::size_t parameterAt = in.offset();
    const auto r = static_cast<unsigned>(in.take(1));
    if (r > fmt::kMaxRiceParameter)
      return bad(path, std::string(name) + " gap code parameter " + std::to_string(r) + " at byte " + std::to_string(parameterAt) +
                           " is over " + std::to_string(fmt::kMaxRiceParameter));
    const std::size_t streamAt = in.offset();
    fmt::BitReader bits(bytes, streamAt, declared);
    const std::uint64_t maxQuotient = (std::uint64_t{2} * n >> r) + 1;
    table.items.resize(edges);
    table.qs.resize(edges);
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::uint32_t begin = table.offsets[i], end = table.offsets[i + 1];
      std::int64_t position = i;
      for (std::uint32_t e = begin; e < end; ++e) {
        const std::size_t startBit = bits.bit();
        auto where = [&] {  // only built for a message
          return std::string(name) + " neighbour " + std::to_string(e - begin) + " of item " + std::to_string(i) + " (" +
                 quotedId(index.ids_[i]) + ") at bit " + std::to_string(startBit - streamAt * 8) + " after byte " +
                 std::to_string(streamAt);
        };
        std::uint64_t code = 0;
        if (!bits.takeRice(r, maxQuotient, code))
          return bad(path, where() + " is cut short or out of range: the stream ends at byte " + std::to_string(declared));
        const std::int64_t item = e == begin ? position + fmt::unzigzag(code + 1) : position + 1 + static_cast<std::int64_t>(code);
        if (item < 0 || item >= static_cast<std::int64_t>(n))
          return bad(path, where() + " refers to item " + std::to_string(item) + ", but the index has " + std::to_string(n) + " items");
        if (item == i) return bad(path, where() + " refers to the item itself");
        position = item;
        table.items[e] = static_cast<std::uint32_t>(item);
      }
      for (std::uint32_t e = begin; e < end; ++e) {
        std::uint64_t q = 0;
        if (!bits.take(scoreBits, q))
          return bad(path, std::string(name) + " score " + std::to_string(e - begin) + " of item " + std::to_string(i) + " (" +
                               quotedId(index.ids_[i]) + ") is cut short: the stream ends at byte " + std::to_string(declared));
        if (q == 0)
          return bad(path, std::string(name) + " neighbour " + std::to_string(e - begin) + " of item " + std::to_string(i) + " (" +
                               quotedId(index.ids_[i]) + ") has score 0");
        // Best first (an insertion into the sorted front: lists are short); equal scores keep ascending positions.
        const std::uint8_t wide = fmt::widenScore(static_cast<std::uint8_t>(q), scoreBits);
        const std::uint32_t item = table.items[e];
        std::uint32_t at = e;
        for (; at > begin && table.qs[at - 1] < wide; --at) {
          table.qs[at] = table.qs[at - 1];
          table.items[at] = table.items[at - 1];
        }
        table.qs[at] = wide;
        table.items[at] = item;
      }
    }
    if (!bits.paddingIsZero()) return bad(path, std::string(name) + " neighbours end with padding bits that are not 0");
    in.seek(bits.byte());
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

// One neighbour while writing: q on the file's score scale, the score kept to quantise it again more coarsely.
struct ListEdge {
  std::uint32_t item;
  std::uint8_t q;
  double score;
};
using Edges = std::vector<ListEdge>;

// Best first, ties by item number: the file is the same whatever order the builder produced.
void orderBestFirst(Edges& edges) {
  std::sort(edges.begin(), edges.end(), [](const ListEdge& a, const ListEdge& b) { return a.q != b.q ? a.q > b.q : a.item < b.item; });
}

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
    edges.push_back({item, q, score});
  }
  std::sort(edges.begin(), edges.end(), [](const ListEdge& a, const ListEdge& b) { return a.item < b.item; });
  for (std::size_t i = 1; i < edges.size(); ++i)
    if (edges[i].item == edges[i - 1].item)
      return bad("index", where + " lists item " + std::to_string(edges[i].item) + " twice");
  return edges;
}

// The codes of a list's positions in ascending order: the first as its zigzag step from the item (less one, a
// step is never 0), each other as its gap to the previous less one. `sorted` holds the ascending positions.
std::uint64_t positionCode(const std::vector<std::uint32_t>& sorted, std::size_t at, std::uint32_t self) {
  if (at == 0) return fmt::zigzag(static_cast<std::int64_t>(sorted[0]) - self) - 1;
  return sorted[at] - sorted[at - 1] - 1;
}

std::vector<std::uint32_t> sortedPositions(const Edges& list) {
  std::vector<std::uint32_t> sorted;
  sorted.reserve(list.size());
  for (const auto& edge : list) sorted.push_back(edge.item);
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

// The Rice parameter that codes one kind's positions in the fewest bits, and those bits.
std::pair<unsigned, std::size_t> bestParameter(const std::vector<Edges>& lists) {
  std::size_t bits[fmt::kMaxRiceParameter + 1] = {};
  for (std::size_t i = 0; i < lists.size(); ++i) {
    const auto sorted = sortedPositions(lists[i]);
    for (std::size_t at = 0; at < sorted.size(); ++at) {
      const std::uint64_t code = positionCode(sorted, at, static_cast<std::uint32_t>(i));
      for (unsigned r = 0; r <= fmt::kMaxRiceParameter; ++r) bits[r] += fmt::riceBits(code, r);
    }
  }
  unsigned best = 0;
  for (unsigned r = 1; r <= fmt::kMaxRiceParameter; ++r)
    if (bits[r] < bits[best]) best = r;
  return {best, bits[best]};
}

std::size_t edgeTotal(const std::vector<Edges>& lists) {
  std::size_t total = 0;
  for (const auto& list : lists) total += list.size();
  return total;
}

// A kind's section: the parameter byte and the stream, positions and scores, padded to a byte.
std::size_t sectionBytes(std::size_t positionBits, std::size_t edges, unsigned scoreBits) {
  return 1 + (positionBits + edges * scoreBits + 7) / 8;
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
      for (auto& edge : edges) edge.item = positionOf[edge.item];
      orderBestFirst(edges);
      lists[kind][positionOf[i]] = std::move(edges);
    }
  }

  const std::string idBytes = encodeIds(ids, decimal);
  // Every kind with edges adds its counts (a byte per item) and its section.
  const std::size_t fixed = fmt::kHeaderSize + input.catalogVersion.size() + input.source.size() + idBytes.size() + 2 * n;
  unsigned scoreBits = 8;
  auto bytesFor = [&] {
    std::size_t total = fixed;
    for (const auto& kindLists : lists) {
      const std::size_t edges = edgeTotal(kindLists);
      if (edges) total += n + sectionBytes(bestParameter(kindLists).second, edges, scoreBits);
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
  if (input.maxBytes && bytesFor() > input.maxBytes) {
    if (fixed > input.maxBytes)
      return bad("index", "the ids and popularity of " + std::to_string(n) + " items alone take " + std::to_string(fixed) +
                              " bytes, over the budget of " + std::to_string(input.maxBytes));
    // Over budget: coarser scores first (the order of a list is what ranks, and its few levels keep it), down to
    // kMinScoreBits; then the weakest edges of the whole index go (a score that adds little to any ranking), so
    // every item keeps its strongest neighbours; K becomes the longest list left.
    while (scoreBits > fmt::kMinScoreBits && bytesFor() > input.maxBytes) {
      --scoreBits;
      for (auto& kindLists : lists)
        for (auto& list : kindLists) {
          for (auto& edge : list) edge.q = std::max<std::uint8_t>(1, fmt::quantiseScore(edge.score, scoreBits));
          orderBestFirst(list);
        }
    }
  }
  if (input.maxBytes && bytesFor() > input.maxBytes) {
    // Within a list scores do not increase, and ties go from the back, so each list loses its tail. The gap
    // parameters stay as they are while edges go (the bytes counted are then at most those written).
    struct Edge {
      std::uint8_t q;
      std::uint8_t position;
      std::uint8_t kind;
      std::uint32_t item;
    };
    std::vector<Edge> all;
    unsigned parameter[kNeighbourKindCount] = {};
    std::size_t positionBits[kNeighbourKindCount] = {}, edges[kNeighbourKindCount] = {};
    std::vector<std::vector<std::uint32_t>> sorted[kNeighbourKindCount];
    for (std::size_t kind = 0; kind < kNeighbourKindCount; ++kind) {
      std::tie(parameter[kind], positionBits[kind]) = bestParameter(lists[kind]);
      sorted[kind].resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        sorted[kind][i] = sortedPositions(lists[kind][i]);
        for (std::size_t e = 0; e < lists[kind][i].size(); ++e, ++edges[kind])
          all.push_back({lists[kind][i][e].q, static_cast<std::uint8_t>(e), static_cast<std::uint8_t>(kind), static_cast<std::uint32_t>(i)});
      }
    }
    std::sort(all.begin(), all.end(), [](const Edge& a, const Edge& b) {
      if (a.q != b.q) return a.q < b.q;
      if (a.position != b.position) return a.position > b.position;
      return a.kind != b.kind ? a.kind < b.kind : a.item < b.item;
    });
    auto bytesNow = [&] {
      std::size_t total = fixed;
      for (std::size_t kind = 0; kind < kNeighbourKindCount; ++kind)
        if (edges[kind]) total += n + sectionBytes(positionBits[kind], edges[kind], scoreBits);
      return total;
    };
    for (const Edge& edge : all) {
      if (bytesNow() <= input.maxBytes) break;
      auto& positions = sorted[edge.kind][edge.item];
      const unsigned r = parameter[edge.kind];
      const auto at = static_cast<std::size_t>(
          std::lower_bound(positions.begin(), positions.end(), lists[edge.kind][edge.item][edge.position].item) - positions.begin());
      std::size_t before = fmt::riceBits(positionCode(positions, at, edge.item), r);
      if (at + 1 < positions.size()) before += fmt::riceBits(positionCode(positions, at + 1, edge.item), r);
      positions.erase(positions.begin() + static_cast<std::ptrdiff_t>(at));
      const std::size_t after = at < positions.size() ? fmt::riceBits(positionCode(positions, at, edge.item), r) : 0;
      positionBits[edge.kind] = positionBits[edge.kind] + after - before;
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
  for (std::size_t kind = 0; kind < kNeighbourKindCount; ++kind) edgeCounts[kind] = edgeTotal(lists[kind]);

  std::string out;
  out.reserve(bytesFor());
  out.append(fmt::kMagic, 4);
  put(out, fmt::kVersion, 2);
  put(out, fmt::kHeaderSize, 2);
  put(out, 0, 4);  // size, patched below
  put(out, 0, 4);  // checksum, patched below
  put(out, n, 4);
  put(out, edgeCounts[0], 4);
  put(out, edgeCounts[1], 4);
  put(out, k, 1);
  put(out, 0, 1);  // reserved
  put(out, scoreBits, 1);
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
      for (const auto& list : lists[kind]) put(out, list.size(), 1);
  for (std::size_t kind = 0; kind < kNeighbourKindCount; ++kind) {
    if (!edgeCounts[kind]) continue;
    const unsigned r = bestParameter(lists[kind]).first;
    put(out, r, 1);
    fmt::BitWriter bits(out);
    for (std::size_t i = 0; i < n; ++i) {
      Edges list = lists[kind][i];
      std::sort(list.begin(), list.end(), [](const ListEdge& a, const ListEdge& b) { return a.item < b.item; });
      const auto sorted = sortedPositions(list);
      for (std::size_t at = 0; at < sorted.size(); ++at) bits.putRice(positionCode(sorted, at, static_cast<std::uint32_t>(i)), r);
      for (const auto& edge : list) bits.put(edge.q, scoreBits);
    }
    bits.finish();
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
    report->scoreBits = scoreBits;
    report->inputOf = std::move(inputOf);
  }
  return out;
}

}  // namespace cartkeep
