#pragma once
// From a log file to the statistics of the training period, and from those to the binary index.
#include <optional>
#include <string>
#include <vector>

#include "suggest/item_index.hpp"
#include "cooccurrence.hpp"
#include "input.hpp"
#include "log.hpp"

namespace suggest_index {

struct BuildOptions {
  LogSchema schema;
  char delimiter = ',';
  CooccurrenceParams cooccurrence;
  SimilarityParams similarity;
  std::size_t maxOpenBaskets = 10000;
  std::optional<std::int64_t> until;  // baskets from this time on are test data, not training
  std::string catalogVersion;
  std::string source;
  std::size_t maxBytes = 0;  // index size budget, 0: none
  // Non-empty: the index holds only these products (a store's catalog), neighbours chosen among them.
  std::vector<std::string> onlyItems;
};

struct TrainingData {
  ItemTable items;
  Cooccurrence bought;
  Cooccurrence viewed;
  ReadReport read;
  std::size_t reopened = 0;
  std::size_t peakOpen = 0;
  std::size_t trainBaskets = 0;
  std::vector<Basket> test;  // purchase baskets at or after `until`, when collected
};

cartkeep::Result<TrainingData> collect(const std::string& path, const BuildOptions& options, bool collectTest);

struct IndexOutput {
  std::string bytes;
  cartkeep::IndexBuildReport report;
  std::vector<std::uint32_t> itemOf;  // index item -> ItemTable item
};

// The index over every item with training data (or those of options.onlyItems), ids sorted bytewise.
cartkeep::Result<IndexOutput> buildIndex(const TrainingData& data, const BuildOptions& options);

}  // namespace suggest_index
