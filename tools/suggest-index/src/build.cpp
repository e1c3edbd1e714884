#include "build.hpp"

#include <algorithm>
#include <numeric>
#include <unordered_set>

#include "base/json_fields.hpp"

namespace suggest_index {

cartkeep::Result<TrainingData> collect(const std::string& path, const BuildOptions& options, bool collectTest) {
  TrainingData data{ItemTable{}, Cooccurrence(options.cooccurrence), Cooccurrence(options.cooccurrence), {}, 0, 0, 0, {}};
  const bool split = options.until.has_value();
  BasketGrouper grouper(
      [&](Basket&& basket) {
        const bool training = !split || basket.time < *options.until;
        if (training) {
          ++data.trainBaskets;
          (basket.kind == LineKind::View ? data.viewed : data.bought).add(basket.items, basket.time);
        } else if (collectTest && basket.kind == LineKind::Purchase) {
          data.test.push_back(std::move(basket));
        }
      },
      options.maxOpenBaskets);
  CARTKEEP_TRY_ASSIGN(data.read, readLog(path, options.schema, options.delimiter, [&](const LogLine& line) {
    const std::uint32_t item = data.items.intern(line.item);
    if (!split || line.time < *options.until) data.items.observe(item, line.title, line.price);
    grouper.add(line.basket, line.kind, item, line.time);
  }));
  grouper.flush();
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
  std::sort(items.begin(), items.end(), [&](std::uint32_t a, std::uint32_t b) { return data.items.id(a) < data.items.id(b); });
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
    input.items.push_back(cartkeep::IndexBuildItem{data.items.id(item), popularity, convert(bought, item), convert(viewed, item)});
  }
  CARTKEEP_TRY_ASSIGN(out.bytes, cartkeep::writeItemIndex(input, &out.report));
  out.itemOf = std::move(items);
  return out;
}

}  // namespace suggest_index
