#pragma once
// The item index behind suggestions: built offline from an order (or click) log by tools/suggest-index,
// shipped to the browser as a small binary file, validated by the core before anything reads it.
//
// Format version 1 (all integers little-endian; every byte is covered by the size field and the checksum):
//
//   offset size
//        0    4  magic "CKIX"
//        4    2  format version (1)
//        6    2  header size in bytes (64)
//        8    4  file size in bytes
//       12    4  CRC-32 (IEEE) of bytes [16, file size)
//       16    4  item count N
//       20    4  bought-together edge count Eb
//       24    4  viewed-together edge count Ev
//       28    1  K: most neighbours kept per item and kind (1-255)
//       29    1  bytes per neighbour reference: 2 (N <= 65536) or 4
//       30    1  score encoding: 1 (u8 q, score = (q / 255)^2)
//       31    1  reserved, 0
//       32    8  first event in the log, Unix seconds (int64)
//       40    8  last event in the log, Unix seconds (int64)
//       48    8  ids fingerprint: FNV-1a 64 of the ids sorted bytewise, each followed by '\n'
//       56    2  catalog version label length (<= 200)
//       58    2  source label length (<= 200)
//       60    4  reserved, 0
//       64       catalog version label, source label (UTF-8)
//                ids:        N x (u8 length 1-64, bytes)
//                popularity: N x u16, time-decayed popularity relative to the most popular item (65535)
//                counts:     N x u8 bought-together, then N x u8 viewed-together neighbour counts
//                edges:      Eb x (reference, u8 q), then Ev x (reference, u8 q); each item's
//                            neighbours in order of non-increasing q, no self edge, no repeat
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
inline constexpr std::uint16_t kVersion = 1;
inline constexpr std::size_t kHeaderSize = 64;
inline constexpr std::size_t kMaxBytes = 64u * 1024u * 1024u;  // the core refuses larger files
inline constexpr std::uint32_t kMaxItems = 1000000;
inline constexpr std::size_t kMaxIdLength = 64;  // as catalog ids
inline constexpr std::size_t kMaxLabelLength = 200;

using cartkeep::crc32;  // of bytes [16, file size)
// FNV-1a 64 of the ids sorted bytewise, each followed by '\n': the same id set gives the same value.
std::uint64_t idsFingerprint(std::vector<std::string> ids);
std::string hex(std::uint64_t value, int digits);

// score in [0, 1] -> q in [0, 255] (0: too small to keep); q -> (q / 255)^2.
std::uint8_t encodeScore(double score) noexcept;
inline double decodeScore(std::uint8_t q) noexcept {
  const double x = q / 255.0;
  return x * x;
}
}  // namespace index_format

enum class NeighbourKind : std::uint8_t { Bought = 0, Viewed = 1 };

struct IndexMetadata {
  std::uint16_t version = index_format::kVersion;
  std::string catalogVersion;  // the label the index was built for ("online-retail-2011-12")
  std::string source;          // where it came from ("onlineretail.csv.gz")
  std::int64_t firstEvent = 0;  // Unix seconds
  std::int64_t lastEvent = 0;
  std::uint64_t fingerprint = 0;
  unsigned maxNeighbours = 0;
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
  const Table& table(NeighbourKind kind) const noexcept { return kind == NeighbourKind::Bought ? bought_ : viewed_; }

  IndexMetadata meta_;
  std::vector<std::string> ids_;
  std::unordered_map<std::string, std::uint32_t> byId_;
  std::vector<std::uint16_t> popularity_;
  Table bought_;
  Table viewed_;
};

// ------------------------------------------------------------------ writing (tools/suggest-index, tests)

struct IndexBuildItem {
  std::string id;
  double popularity = 0;  // any non-negative scale; stored relative to the largest
  std::vector<std::pair<std::uint32_t, double>> bought;  // (item, score in [0, 1]), any order
  std::vector<std::pair<std::uint32_t, double>> viewed;
};

struct IndexBuildInput {
  std::string catalogVersion;
  std::string source;
  std::int64_t firstEvent = 0;
  std::int64_t lastEvent = 0;
  unsigned maxNeighbours = 32;  // K, 1-255
  std::size_t maxBytes = 0;     // size budget; 0: none. K shrinks until the file fits.
  std::vector<IndexBuildItem> items;
};

struct IndexBuildReport {
  std::size_t bytes = 0;
  unsigned neighbours = 0;  // K actually used (smaller than asked when the budget required it)
  std::size_t boughtEdges = 0;
  std::size_t viewedEdges = 0;
  std::size_t droppedEdges = 0;  // beyond K, or scores too small to encode
  std::uint64_t fingerprint = 0;
};

// Writes the binary index; errors (InvalidArgument, path "index") name the offending item.
Result<std::string> writeItemIndex(const IndexBuildInput& input, IndexBuildReport* report = nullptr);

}  // namespace cartkeep
