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
  std::size_t window = 5;  // viewed-next rules link each event to this many events after it
  std::optional<std::int64_t> until;  // baskets from this time on are test data, not training
  std::string catalogVersion;
  std::string source;
  std::size_t maxBytes = 0;  // index size budget, 0: none
  // A log with a larger share of unreadable rows (short rows, unreadable times or quantities) is refused.
  double maxUnreadableShare = 0.05;
  // Non-empty: the index holds only these products (a store's catalog), neighbours chosen among them.
  std::vector<std::string> onlyItems;
};

// One sequence of events in time order (a view session, or a customer's invoices), consecutive repeats removed.
struct Sequence {
  std::vector<std::uint32_t> items;  // ItemTable ids
  std::vector<std::int64_t> times;   // Unix seconds, per event
};

struct TrainingData {
  ItemTable items;
  Cooccurrence bought;
  Cooccurrence viewed;
  Cooccurrence next;  // directed: from addSequence
  ReadReport read;
  std::size_t reopened = 0;
  std::size_t peakOpen = 0;
  std::size_t trainBaskets = 0;
  std::vector<Basket> test;  // purchase baskets at or after `until`, when collected
  std::size_t trainSequences = 0;
  std::vector<Sequence> testSequences;  // the sequences' events at or after `until`, when collected
};

// Errors when more than `maxUnreadableShare` of the records could not be read, or none was used; the
// message names the column and shows the first such row.
cartkeep::Status checkReadable(const LogStats& stats, double maxUnreadableShare);

// Reads the log (checkReadable included) into the training statistics.
cartkeep::Result<TrainingData> collect(const std::string& path, const BuildOptions& options, bool collectTest);

struct IndexOutput {
  std::string bytes;
  cartkeep::IndexBuildReport report;
  std::vector<std::uint32_t> itemOf;  // index item -> ItemTable item
};

// The index over every item with training data (or those of options.onlyItems), in the index's id order.
// An index with no items is an error that says why (every row skipped, or no log item in the catalog).
cartkeep::Result<IndexOutput> buildIndex(const TrainingData& data, const BuildOptions& options);

}  // namespace suggest_index
