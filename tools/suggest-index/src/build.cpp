#include "build.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>
#include <unordered_set>

#include "base/json_fields.hpp"

namespace suggest_index {

namespace {
std::string percent(double share) {
  char out[32];
  std::snprintf(out, sizeof out, "%.1f%%", 100.0 * share);
  return out;
}

std::string example(const SkippedRow& row) {
  return "line " + std::to_string(row.line) + ": " + row.row;
}
}  // namespace

cartkeep::Status checkReadable(const LogStats& stats, double maxUnreadableShare) {
  const std::size_t unreadable = stats.unreadable();
  if (unreadable && static_cast<double>(unreadable) > maxUnreadableShare * static_cast<double>(stats.records)) {
    const SkippedRow& first = stats.firstUnreadable;
    return cartkeep::Error{cartkeep::ErrorCode::InvalidArgument, "column " + first.column,
                           std::to_string(unreadable) + " of " + std::to_string(stats.records) + " rows (" +
                               percent(static_cast<double>(unreadable) / static_cast<double>(stats.records)) + ", over --max-unreadable " +
                               percent(maxUnreadableShare) +
                               ") could not be read; the first, " + example(first) +
                               " (check the column options, --date-order or --delimiter)"};
  }
  if (stats.used == 0) {
    const SkippedRow& first = stats.firstSkipped;
    if (!first.line) return cartkeep::Error{cartkeep::ErrorCode::InvalidArgument, "log", "has a header but no rows"};
    return cartkeep::Error{cartkeep::ErrorCode::InvalidArgument, "column " + first.column,
                           "all " + std::to_string(stats.records) + " rows were left out, so the index would have 0 items; the first, " +
                               example(first) + " (check --item-pattern, --event-column and its values, --cancelled-prefix)"};
  }
  return cartkeep::success();
}

namespace {
struct SequenceEvent {
  std::int64_t time;
  std::size_t order;  // line order breaks ties of time
  std::uint32_t item;
};

// Time order, consecutive repeats dropped (a reload, or the same product on two invoices in a row).
Sequence toSequence(std::vector<SequenceEvent>& events) {
  std::stable_sort(events.begin(), events.end(), [](const SequenceEvent& a, const SequenceEvent& b) {
    return a.time != b.time ? a.time < b.time : a.order < b.order;
  });
  Sequence out;
  for (const auto& e : events) {
    if (!out.items.empty() && out.items.back() == e.item) continue;
    out.items.push_back(e.item);
    out.times.push_back(e.time);
  }
  return out;
}
}  // namespace

cartkeep::Result<TrainingData> collect(const std::string& path, const BuildOptions& options, bool collectTest) {
  TrainingData data{ItemTable{}, Cooccurrence(options.cooccurrence), Cooccurrence(options.cooccurrence),
                    Cooccurrence(options.cooccurrence), {}, 0, 0, 0, {}, 0, {}};
  const bool split = options.until.has_value();
  const bool bySequenceColumn = !options.schema.sequence.empty();
  auto addSequence = [&](Sequence&& sequence, bool training) {
    if (training) {
      ++data.trainSequences;
      data.next.addSequence(sequence.items, sequence.times, options.window);
    } else if (collectTest && sequence.items.size() >= 2) {
      data.testSequences.push_back(std::move(sequence));
    }
  };
  BasketGrouper grouper(
      [&](Basket&& basket) {
        const bool training = !split || basket.time < *options.until;
        if (training) {
          ++data.trainBaskets;
          (basket.kind == LineKind::View ? data.viewed : data.bought).add(basket.items, basket.time);
        } else if (collectTest && basket.kind == LineKind::Purchase) {
          data.test.push_back(basket);
        }
        // Without a sequence column each view session is a sequence, in the order of its first clicks.
        if (!bySequenceColumn && basket.kind == LineKind::View)
          addSequence(Sequence{basket.items, std::vector<std::int64_t>(basket.items.size(), basket.time)}, training);
      },
      options.maxOpenBaskets);
  // With a sequence column: every event of each sequence, ordered once the log is read (memory grows with the log).
  std::map<std::string, std::vector<SequenceEvent>, std::less<>> sequences;
  std::size_t order = 0;
  CARTKEEP_TRY_ASSIGN(data.read, readLog(path, options.schema, options.delimiter, [&](const LogLine& line) {
    const std::uint32_t item = data.items.intern(line.item);
    if (!split || line.time < *options.until) data.items.observe(item, line.title, line.price);
    grouper.add(line.basket, line.kind, item, line.time);
    if (bySequenceColumn) {
      // A line without a sequence value is a sequence of its own basket.
      std::string key = line.sequence.empty() ? "\x01" + std::string(line.basket) : std::string(line.sequence);
      sequences[key].push_back(SequenceEvent{line.time, order++, item});
    }
  }));
  CARTKEEP_TRY(checkReadable(data.read.stats, options.maxUnreadableShare));
  grouper.flush();
  for (auto& [key, events] : sequences) {
    std::vector<SequenceEvent> train, test;
    for (const auto& e : events) (!split || e.time < *options.until ? train : test).push_back(e);
    if (!train.empty()) addSequence(toSequence(train), true);
    if (!test.empty()) addSequence(toSequence(test), false);
  }
  data.reopened = grouper.reopened();
  data.peakOpen = grouper.peakOpen();
  return data;
}

cartkeep::Result<IndexOutput> buildIndex(const TrainingData& data, const BuildOptions& options) {
  IndexOutput out;
  std::vector<std::uint8_t> keep;
  if (!options.onlyItems.empty()) {
    const std::unordered_set<std::string> wanted(options.onlyItems.begin(), options.onlyItems.end());
    keep.resize(data.items.size());
    for (std::uint32_t i = 0; i < data.items.size(); ++i) keep[i] = wanted.count(data.items.id(i)) ? 1 : 0;
  }
  const std::vector<std::uint8_t>* filter = keep.empty() ? nullptr : &keep;
  std::vector<std::uint32_t> items;
  for (std::uint32_t i = 0; i < data.items.size(); ++i)
    if ((data.bought.baskets(i) > 0 || data.viewed.baskets(i) > 0) && (!filter || keep[i])) items.push_back(i);
  if (items.empty()) {
    if (filter && data.items.size())
      return cartkeep::Error{cartkeep::ErrorCode::InvalidArgument, "--only-catalog",
                             "none of the log's " + std::to_string(data.items.size()) + " products (column " +
                                 options.schema.item + ", e.g. \"" + data.items.id(0) + "\") is in the catalog (e.g. \"" +
                                 options.onlyItems.front() + "\"), so the index would have 0 items"};
    return cartkeep::Error{cartkeep::ErrorCode::InvalidArgument, "log",
                           "no basket before the --until/--split date, so the index would have 0 items"};
  }
  std::vector<std::int64_t> position(data.items.size(), -1);
  for (std::size_t k = 0; k < items.size(); ++k) position[items[k]] = static_cast<std::int64_t>(k);

  cartkeep::IndexBuildInput input;
  input.catalogVersion = options.catalogVersion;
  input.source = options.source;
  const bool anyBought = data.bought.basketCount() > 0, anyViewed = data.viewed.basketCount() > 0;
  input.firstEvent = std::min(anyBought ? data.bought.firstTime() : INT64_MAX, anyViewed ? data.viewed.firstTime() : INT64_MAX);
  input.lastEvent = std::max(anyBought ? data.bought.lastTime() : INT64_MIN, anyViewed ? data.viewed.lastTime() : INT64_MIN);
  if (!anyBought && !anyViewed) input.firstEvent = input.lastEvent = 0;
  input.maxNeighbours = options.similarity.k;
  input.maxBytes = options.maxBytes;
  const auto bought = data.bought.neighbours(options.similarity, filter);
  const auto viewed = data.viewed.neighbours(options.similarity, filter);
  auto next = data.next.rules(options.similarity, filter);
  auto convert = [&](const std::vector<std::vector<std::pair<std::uint32_t, double>>>& lists, std::uint32_t item) {
    std::vector<std::pair<std::uint32_t, double>> edges;
    if (item >= lists.size()) return edges;
    for (const auto& [neighbour, score] : lists[item])
      if (position[neighbour] >= 0) edges.emplace_back(static_cast<std::uint32_t>(position[neighbour]), score);
    return edges;
  };
  input.items.reserve(items.size());
  for (auto item : items) {
    // Popularity: time-decayed purchases; products only ever viewed rank far below.
    const double popularity = data.bought.weight(item) + 0.01 * data.viewed.weight(item);
    input.items.push_back(cartkeep::IndexBuildItem{data.items.id(item), popularity, convert(bought, item), convert(viewed, item),
                                                     convert(next, item)});
  }
  CARTKEEP_TRY_ASSIGN(out.bytes, cartkeep::writeItemIndex(input, &out.report));
  // When the budget cuts K and viewed-next rules share it with viewed-together neighbours (both come from
  // the same sessions), the viewed-together lists are left out: the rules carry what the sessions say, in
  // their direction, and keep the bytes. Rules seen once are kept: the budget drops the weakest edges first,
  // so a minimum support would only drop rules stronger than the ones the budget leaves out anyway.
  if (options.maxBytes && out.report.neighbours < options.similarity.k && out.report.nextEdges > 0 && out.report.viewedEdges > 0) {
    for (auto& item : input.items) item.viewed.clear();
    cartkeep::IndexBuildReport report;
    CARTKEEP_TRY_ASSIGN(out.bytes, cartkeep::writeItemIndex(input, &report));
    out.report = std::move(report);
  }
  out.itemOf.reserve(items.size());
  for (auto at : out.report.inputOf) out.itemOf.push_back(items[at]);
  return out;
}

}  // namespace suggest_index
