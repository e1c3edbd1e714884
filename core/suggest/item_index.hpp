#pragma once
// The item index behind suggestions: built offline from an order (or click) log by tools/suggest-index,
// shipped to the browser as a small binary file, validated by the core before anything reads it.
//
// Format version 2 (all integers little-endian; every byte is covered by the size field and the checksum):
//
//   offset size
//        0    4  magic "CKIX"
//        4    2  format version (2)
//        6    2  header size in bytes (64)
//        8    4  file size in bytes
//       12    4  CRC-32 (IEEE) of bytes [16, file size)
//       16    4  item count N
//       20    4  bought-together edge count Eb
//       24    4  viewed-together edge count Ev
//       28    1  K: most neighbours kept per item and kind (1-255)
//       29    1  bits per neighbour reference: the fewest that address N items (1-20)
//       30    1  score encoding: 1 (u8 q, score = (q / 255)^2)
//       31    1  id encoding: 0 text, 1 decimal (below)
//       32    8  first event in the log, Unix seconds (int64)
//       40    8  last event in the log, Unix seconds (int64)
//       48    8  ids fingerprint: FNV-1a 64 of the ids sorted bytewise, each followed by '\n'
//       56    2  catalog version label length (<= 200)
//       58    2  source label length (<= 200)
//       60    4  viewed-next edge count En
//       64       catalog version label, source label (UTF-8)
//                ids, each stored once, in the index's item order (strictly ascending):
//                  text:    N x (u8 bytes shared with the previous id, u8 length of the rest, the rest);
//                           ids 1-64 bytes, ascending bytewise
//                  decimal: N x unsigned LEB128, the first id's value then each difference to the previous;
//                           every id is digits without a leading zero (at most 18), ascending as numbers
//                popularity: N x u16, time-decayed popularity relative to the most popular item (65535)
//                counts:     for each kind with edges (bought-together, viewed-together, viewed-next, in this
//                            order): N x u8 neighbour counts
//                edges:      for each kind with edges: its E references to items, bit-packed (E x width bits,
//                            least significant bit first, zero bits up to the next byte), then E x u8 q;
//                            each item's neighbours in order of non-increasing q, no self edge, no repeat.
//                            viewed-next neighbours are directed: j follows i in sessions (i -> j).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/crc32.hpp"
#include "cartkeep/error.hpp"

namespace cartkeep {

namespace index_format {
inline constexpr char kMagic[4] = {'C', 'K', 'I', 'X'};
inline constexpr std::uint16_t kVersion = 3;
inline constexpr std::size_t kHeaderSize = 64;
inline constexpr std::size_t kMaxBytes = 64u * 1024u * 1024u;  // the core refuses larger files
inline constexpr std::uint32_t kMaxItems = 1000000;
inline constexpr std::size_t kMaxIdLength = 64;  // as catalog ids
inline constexpr std::size_t kMaxLabelLength = 200;

using cartkeep::crc32;  // of bytes [16, file size)
// FNV-1a 64 of the ids sorted bytewise, each followed by '\n': the same id set gives the same value.
std::uint64_t idsFingerprint(std::vector<std::string> ids);
std::string hex(std::uint64_t value, int digits);

inline constexpr std::uint64_t kMaxDecimalId = 999999999999999999ull;  // 18 digits
// The fewest bits that address `items` items (at least 1).
unsigned referenceBits(std::size_t items) noexcept;
// Digits without a leading zero, at most 18: stored as a number when every id of an index is one.
bool isDecimalId(std::string_view id) noexcept;

// score in [0, 1] -> q in [0, 255] (0: too small to keep); q -> (q / 255)^2.
std::uint8_t encodeScore(double score) noexcept;
// The same square-root scale in `bits` bits (1-8): q in [0, 2^bits - 1], score = (q / (2^bits - 1))^2.
std::uint8_t quantiseScore(double score, unsigned bits) noexcept;
// A `bits`-bit q as the nearest 8-bit q (the same q when bits is 8).
std::uint8_t widenScore(std::uint8_t q, unsigned bits) noexcept;
// A neighbour's first position as a step from its item's own: 1, -1, 2, -2, ... -> 1, 2, 3, 4, ...
std::uint32_t zigzag(std::int64_t step) noexcept;
std::int64_t unzigzag(std::uint64_t code) noexcept;
inline constexpr unsigned kMaxRiceParameter = 24;
inline constexpr unsigned kMinScoreBits = 4;  // the coarsest scores a size budget may choose
inline double decodeScore(std::uint8_t q) noexcept {
  const double x = q / 255.0;
  return x * x;
}
}  // namespace index_format

enum class NeighbourKind : std::uint8_t { Bought = 0, Viewed = 1, Next = 2 };
inline constexpr NeighbourKind kNeighbourKinds[] = {NeighbourKind::Bought, NeighbourKind::Viewed, NeighbourKind::Next};
inline constexpr std::size_t kNeighbourKindCount = 3;
const char* neighbourKindName(NeighbourKind kind) noexcept;  // "bought-together", "viewed-together", "viewed-next"

struct IndexMetadata {
  std::uint16_t version = index_format::kVersion;
  std::string catalogVersion;  // the label the index was built for ("online-retail-2011-12")
  std::string source;          // where it came from ("onlineretail.csv.gz")
  std::int64_t firstEvent = 0;  // Unix seconds
  std::int64_t lastEvent = 0;
  std::uint64_t fingerprint = 0;
  unsigned maxNeighbours = 0;
  unsigned scoreBits = 8;  // bits per stored score (a size budget may have chosen fewer)
  std::size_t bytes = 0;
};

// A validated index, held compactly: ids, popularity, and per kind a CSR neighbour table.
class ItemIndex {
 public:
  // Validates everything (size, checksum, structure, ids, references, order); errors are
  // InvalidArgument at `path` and say what is wrong where ("truncated: the header says 2,048 bytes, 1,000 arrived").
  static Result<ItemIndex> parse(std::string_view bytes, const std::string& path = "suggestions.index");

  struct Neighbour {
    std::uint32_t item;
    std::uint8_t q;
    double score() const noexcept { return index_format::decodeScore(q); }
  };
  struct Range {
    const std::uint32_t* items;
    const std::uint8_t* qs;
    std::size_t size;
  };

  std::size_t size() const noexcept { return ids_.size(); }
  const IndexMetadata& metadata() const noexcept { return meta_; }
  const std::string& id(std::uint32_t item) const { return ids_[item]; }
  std::optional<std::uint32_t> find(std::string_view id) const;
  // Popularity relative to the most popular item, in [0, 1].
  double popularity(std::uint32_t item) const noexcept { return popularity_[item] / 65535.0; }
  std::uint16_t popularityRaw(std::uint32_t item) const noexcept { return popularity_[item]; }
  Range neighbours(std::uint32_t item, NeighbourKind kind) const noexcept;
  std::size_t edgeCount(NeighbourKind kind) const noexcept;

 private:
  struct Table {
    std::vector<std::uint32_t> offsets;  // N + 1
    std::vector<std::uint32_t> items;
    std::vector<std::uint8_t> qs;
  };
  const Table& table(NeighbourKind kind) const noexcept { return tables_[static_cast<std::size_t>(kind)]; }

  IndexMetadata meta_;
  std::vector<std::string> ids_;
  std::unordered_map<std::string, std::uint32_t> byId_;
  std::vector<std::uint16_t> popularity_;
  Table tables_[kNeighbourKindCount];
};

// ------------------------------------------------------------------ writing (tools/suggest-index, tests)

struct IndexBuildItem {
  std::string id;
  double popularity = 0;  // any non-negative scale; stored relative to the largest
  std::vector<std::pair<std::uint32_t, double>> bought;  // (item, score in [0, 1]), any order
  std::vector<std::pair<std::uint32_t, double>> viewed;
  std::vector<std::pair<std::uint32_t, double>> next;  // directed: items viewed after this one
};

struct IndexBuildInput {
  std::string catalogVersion;
  std::string source;
  std::int64_t firstEvent = 0;
  std::int64_t lastEvent = 0;
  unsigned maxNeighbours = 32;  // K, 1-255
  std::size_t maxBytes = 0;     // size budget; 0: none. The weakest edges go until the file fits.
  std::vector<IndexBuildItem> items;
};

struct IndexBuildReport {
  std::size_t bytes = 0;
  unsigned neighbours = 0;  // K actually used (smaller than asked when the budget required it)
  std::size_t boughtEdges = 0;
  std::size_t viewedEdges = 0;
  std::size_t nextEdges = 0;
  std::size_t droppedEdges = 0;  // beyond K, or scores too small to encode
  unsigned scoreBits = 8;        // fewer when the budget needed them before dropping edges
  std::uint64_t fingerprint = 0;
  bool decimalIds = false;
  // The file's item order: position p holds input.items[inputOf[p]] (ids ascending in the id encoding's order).
  std::vector<std::uint32_t> inputOf;
};

// Writes the binary index (items reordered by id, references remapped); errors (InvalidArgument, path
// "index") name the offending item.; errors (InvalidArgument, path "index") name the offending item.
Result<std::string> writeItemIndex(const IndexBuildInput& input, IndexBuildReport* report = nullptr);

}  // namespace cartkeep
