#include "evaluate.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "base/json_fields.hpp"

namespace suggest_index {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::uint64_t mix(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}

std::uint64_t hashText(const std::string& text, std::uint64_t seed) {
  std::uint64_t h = 0xcbf29ce484222325ull ^ mix(seed);
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
  return mix(h);
}

struct Query {
  std::vector<std::uint32_t> rest;  // ItemTable ids
  std::uint32_t hidden;
};

// Rank (1-based) of `hidden` in `ranked`, 0 when absent.
std::size_t rankOf(const std::vector<std::uint32_t>& ranked, std::uint32_t hidden) {
  for (std::size_t i = 0; i < ranked.size(); ++i)
    if (ranked[i] == hidden) return i + 1;
  return 0;
}

void record(MethodResult& m, std::size_t rank) {
  ++m.queries;
  if (rank) {
    ++m.hits;
    m.reciprocalSum += 1.0 / static_cast<double>(rank);
  }
}

}  // namespace

std::vector<std::string> titleTags(const std::string& title) {
  static const std::set<std::string> kStop = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to",
                                              "with", "set", "pack", "design", "designs", "assorted", "i", "me", "so", "am",
                                              "it", "is", "you", "your", "our", "this", "that", "one", "two", "three", "four",
                                              "six", "pc", "piece", "box", "please"};
  std::vector<std::string> tags;
  std::string word;
  bool digit = false;
  auto flush = [&] {
    if (word.size() >= 3 && !digit && !kStop.count(word) && std::find(tags.begin(), tags.end(), word) == tags.end())
      tags.push_back(word);
    word.clear();
    digit = false;
  };
  for (char c : title) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalpha(u)) word += static_cast<char>(std::tolower(u));
    else if (std::isdigit(u)) digit = true, word += c;
    else if (c == '\'' && !word.empty()) digit = true;  // "50's", "CHILDREN'S": not a clean tag
    else flush();
  }
  flush();
  if (tags.size() > 10) tags.resize(10);
  return tags;
}

cartkeep::Result<EvalReport> evaluate(const TrainingData& data, const BuildOptions& build, const EvalOptions& options) {
  EvalReport report;
  report.trainBaskets = data.trainBaskets;
  report.testBaskets = data.test.size();
  report.trainFirst = data.bought.firstTime();
  report.trainLast = data.bought.lastTime();
  const std::size_t n = data.items.size();

  // The index CartKeep ships, through the same writer, validation and scoring as the browser.
  CARTKEEP_TRY_ASSIGN(IndexOutput index, buildIndex(data, build));
  report.indexBytes = index.bytes.size();
  report.indexK = index.report.neighbours;
  nlohmann::json products = nlohmann::json::array();
  std::vector<std::int64_t> catalogOf(n, -1);  // ItemTable item -> catalog position
  std::vector<std::uint32_t> itemOfProduct;
  for (auto item : index.itemOf) {
    if (data.bought.baskets(item) == 0) continue;
    const std::string title = data.items.title(item);
    catalogOf[item] = static_cast<std::int64_t>(itemOfProduct.size());
    itemOfProduct.push_back(item);
    products.push_back({{"id", data.items.id(item)}, {"title", title}, {"price", data.items.price(item).value_or(0)},
                        {"tags", titleTags(title)}});
  }
  report.catalog = itemOfProduct.size();
  CARTKEEP_TRY_ASSIGN(cartkeep::Catalog catalog, cartkeep::Catalog::fromJson(products, "GBP", "evaluation catalog"));
  CARTKEEP_TRY_ASSIGN(cartkeep::ItemIndex parsed, cartkeep::ItemIndex::parse(index.bytes, "evaluation index"));

  // Queries: every test basket with at least two distinct items, one of them hidden.
  std::vector<Query> queries;
  bool firstTest = true;
  for (const Basket& basket : data.test) {
    if (firstTest) report.testFirst = report.testLast = basket.time, firstTest = false;
    report.testFirst = std::min(report.testFirst, basket.time);
    report.testLast = std::max(report.testLast, basket.time);
    if (basket.items.size() < 2) continue;
    auto queryFor = [&](std::size_t hide) {
      Query q;
      q.hidden = basket.items[hide];
      for (std::size_t i = 0; i < basket.items.size(); ++i)
        if (i != hide) q.rest.push_back(basket.items[i]);
      queries.push_back(std::move(q));
    };
    if (options.hide == HideMode::All)
      for (std::size_t i = 0; i < basket.items.size(); ++i) queryFor(i);
    else if (options.hide == HideMode::Last)
      queryFor(basket.items.size() - 1);
    else
      queryFor(hashText(basket.id, options.seed) % basket.items.size());
  }
  report.queries = queries.size();
  for (const auto& q : queries)
    if (catalogOf[q.hidden] < 0) ++report.unreachable;
  const std::size_t cutoff = options.cutoff;

  // Baseline 1: popularity (training baskets), ties by id.
  {
    MethodResult m{"popularity (training orders)"};
    const auto start = Clock::now();
    std::vector<std::uint32_t> order(itemOfProduct);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return data.bought.baskets(a) > data.bought.baskets(b); });
    std::vector<std::uint8_t> inRest(n, 0);
    std::vector<std::uint32_t> ranked;
    for (const auto& q : queries) {
      for (auto r : q.rest) inRest[r] = 1;
      ranked.clear();
      for (auto item : order) {
        if (ranked.size() == cutoff) break;
        if (!inRest[item]) ranked.push_back(item);
      }
      for (auto r : q.rest) inRest[r] = 0;
      record(m, rankOf(ranked, q.hidden));
    }
    m.seconds = since(start);
    report.methods.push_back(m);
  }

  // Baseline 2: plain co-occurrence counts summed over the basket, every pair (no top-K, no
  // normalisation, no decay), ties and the rest by popularity.
  {
    MethodResult m{"co-occurrence counts"};
    const auto start = Clock::now();
    std::vector<std::uint32_t> degree(n + 1, 0);
    data.bought.forEachPair([&](std::uint32_t a, std::uint32_t b, std::uint32_t, float) { ++degree[a], ++degree[b]; });
    std::vector<std::size_t> offset(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) offset[i + 1] = offset[i] + degree[i];
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges(offset[n]);
    std::vector<std::size_t> fill(offset.begin(), offset.end() - 1);
    data.bought.forEachPair([&](std::uint32_t a, std::uint32_t b, std::uint32_t raw, float) {
      edges[fill[a]++] = {b, raw};
      edges[fill[b]++] = {a, raw};
    });
    std::vector<std::uint64_t> score(n, 0);
    std::vector<std::uint8_t> inRest(n, 0);
    std::vector<std::uint32_t> touched, ranked;
    std::vector<std::uint32_t> popular(itemOfProduct);
    std::stable_sort(popular.begin(), popular.end(), [&](std::uint32_t a, std::uint32_t b) { return data.bought.baskets(a) > data.bought.baskets(b); });
    auto better = [&](std::uint32_t a, std::uint32_t b) {
      if (score[a] != score[b]) return score[a] > score[b];
      if (data.bought.baskets(a) != data.bought.baskets(b)) return data.bought.baskets(a) > data.bought.baskets(b);
      return data.items.id(a) < data.items.id(b);
    };
    for (const auto& q : queries) {
      for (auto r : q.rest) inRest[r] = 1;
      touched.clear();
      for (auto r : q.rest)
        for (std::size_t e = offset[r]; e < offset[r + 1]; ++e) {
          const auto [other, raw] = edges[e];
          if (catalogOf[other] < 0 || inRest[other]) continue;
          if (!score[other]) touched.push_back(other);
          score[other] += raw;
        }
      std::size_t keep = std::min(cutoff, touched.size());
      std::partial_sort(touched.begin(), touched.begin() + static_cast<std::ptrdiff_t>(keep), touched.end(), better);
      ranked.assign(touched.begin(), touched.begin() + static_cast<std::ptrdiff_t>(keep));
      for (auto item : popular) {
        if (ranked.size() >= cutoff) break;
        if (!inRest[item] && !score[item]) ranked.push_back(item);
      }
      for (auto t : touched) score[t] = 0;
      for (auto r : q.rest) inRest[r] = 0;
      record(m, rankOf(ranked, q.hidden));
    }
    m.seconds = since(start);
    report.methods.push_back(m);
  }

  // CartKeep, and (optionally) what each part contributes.
  struct Variant {
    std::string name;
    cartkeep::SuggestConfig config;
    bool withIndex;
  };
  std::vector<Variant> variants{{"CartKeep", options.config, true}};
  if (options.ablations) {
    auto noContent = options.config;
    noContent.contentWeight = 0;
    auto noPopularity = options.config;
    noPopularity.popularityWeight = 0;
    auto onlyNeighbours = options.config;
    onlyNeighbours.contentWeight = 0;
    onlyNeighbours.popularityWeight = 0;
    variants.push_back({"  without content similarity", noContent, true});
    variants.push_back({"  without popularity prior", noPopularity, true});
    variants.push_back({"  neighbours only", onlyNeighbours, true});
    variants.push_back({"  without index (content + catalog order)", options.config, false});
  }
  for (const auto& variant : variants) {
    MethodResult m{variant.name};
    auto config = variant.config;
    config.minCoveragePercent = 0;
    cartkeep::SuggestModel model = cartkeep::SuggestModel::build(catalog, config, options.params);
    if (variant.withIndex) {
      auto attached = model.attachIndex(parsed, catalog, config, "evaluation index");
      if (!attached) return attached.error();
    }
    const auto start = Clock::now();
    std::vector<std::uint8_t> excluded(catalog.size(), 0);
    std::vector<cartkeep::Anchor> anchors;
    std::vector<cartkeep::Scored> top;
    std::vector<std::uint32_t> ranked;
    for (const auto& q : queries) {
      anchors.clear();
      for (auto r : q.rest)
        if (catalogOf[r] >= 0) {
          const auto p = static_cast<std::uint32_t>(catalogOf[r]);
          anchors.push_back({p, 1.0, cartkeep::AnchorKind::Cart});
          excluded[p] = 1;
        }
      cartkeep::ScoreQuery query;
      query.anchors = &anchors;
      query.excluded = &excluded;
      model.top(query, cutoff, top);
      ranked.clear();
      for (const auto& s : top) ranked.push_back(itemOfProduct[s.product]);
      for (const auto& a : anchors) excluded[a.product] = 0;
      record(m, rankOf(ranked, q.hidden));
    }
    m.seconds = since(start);
    report.methods.push_back(m);
  }
  return report;
}

void RankedResult::record(std::size_t rank) {
  ++queries;
  if (!rank) return;
  if (rank <= 20) ++hits20, reciprocal20 += 1.0 / static_cast<double>(rank);
  if (rank <= 10) ++hits10, reciprocal10 += 1.0 / static_cast<double>(rank);
}

double RankedResult::hitRate(std::size_t cutoff) const {
  return queries ? static_cast<double>(cutoff <= 10 ? hits10 : hits20) / static_cast<double>(queries) : 0;
}

double RankedResult::p95Micros() const {
  if (latencies.empty()) return 0;
  std::vector<double> sorted = latencies;
  const std::size_t at = std::min(sorted.size() - 1, sorted.size() * 95 / 100);
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(at), sorted.end());
  return sorted[at] * 1e6;
}

double RankedResult::mrr(std::size_t cutoff) const {
  return queries ? (cutoff <= 10 ? reciprocal10 : reciprocal20) / static_cast<double>(queries) : 0;
}

cartkeep::Result<NextEventReport> evaluateNextEvent(const TrainingData& data, const BuildOptions& build, const NextEventOptions& options) {
  constexpr std::size_t kCutoff = 20;
  NextEventReport report;
  report.trainSequences = data.trainSequences;
  report.testSequences = data.testSequences.size();
  const std::size_t n = data.items.size();

  CARTKEEP_TRY_ASSIGN(IndexOutput index, buildIndex(data, build));
  report.indexBytes = index.bytes.size();
  report.indexK = index.report.neighbours;
  report.nextEdges = index.report.nextEdges;
  CARTKEEP_TRY_ASSIGN(cartkeep::ItemIndex parsed, cartkeep::ItemIndex::parse(index.bytes, "evaluation index"));

  // The catalog: every item of the index (bought or only viewed before the split).
  nlohmann::json products = nlohmann::json::array();
  std::vector<std::int64_t> catalogOf(n, -1);
  std::vector<std::uint32_t> itemOfProduct;
  for (auto item : index.itemOf) {
    std::string title = data.items.title(item);
    catalogOf[item] = static_cast<std::int64_t>(itemOfProduct.size());
    itemOfProduct.push_back(item);
    products.push_back({{"id", data.items.id(item)}, {"title", title.empty() ? data.items.id(item) : title},
                        {"price", data.items.price(item).value_or(0)}, {"tags", titleTags(title)}});
  }
  report.catalog = itemOfProduct.size();
  CARTKEEP_TRY_ASSIGN(cartkeep::Catalog catalog, cartkeep::Catalog::fromJson(products, "GBP", "evaluation catalog"));

  // The prediction points: (sequence, position of the target), at most maxQueries spread evenly.
  std::vector<std::pair<std::size_t, std::size_t>> points;
  for (std::size_t s = 0; s < data.testSequences.size(); ++s)
    for (std::size_t t = 1; t < data.testSequences[s].items.size(); ++t) points.emplace_back(s, t);
  if (options.maxQueries && points.size() > options.maxQueries) {
    std::vector<std::pair<std::size_t, std::size_t>> kept;
    for (std::size_t i = 0; i < options.maxQueries; ++i) kept.push_back(points[i * points.size() / options.maxQueries]);
    points = std::move(kept);
  }
  report.queries = points.size();
  for (const auto& [s, t] : points)
    if (catalogOf[data.testSequences[s].items[t]] < 0) ++report.unreachable;

  // Popularity: baskets and sessions before the split, ties by id.
  auto count = [&](std::uint32_t item) { return data.bought.baskets(item) + data.viewed.baskets(item); };
  std::vector<std::uint32_t> popular(itemOfProduct);
  std::stable_sort(popular.begin(), popular.end(), [&](std::uint32_t a, std::uint32_t b) {
    return count(a) != count(b) ? count(a) > count(b) : data.items.id(a) < data.items.id(b);
  });
  // Ranked candidates, then popularity fills what is left; `skip` is the product on screen.
  std::vector<std::uint8_t> listed(n, 0);
  auto fill = [&](std::vector<std::uint32_t>& ranked, std::uint32_t skip) {
    for (auto r : ranked) listed[r] = 1;
    for (auto item : popular) {
      if (ranked.size() >= kCutoff) break;
      if (item != skip && !listed[item]) ranked.push_back(item);
    }
    for (auto r : ranked) listed[r] = 0;
  };

  // Co-occurrence counts of every pair of the training baskets and sessions (no top-K, no normalisation);
  // per item its 20 best, ties by popularity then id.
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> together(n);
  {
    std::vector<std::unordered_map<std::uint32_t, std::uint32_t>> counts(n);
    for (const Cooccurrence* table : {&data.bought, &data.viewed})
      table->forEachPair([&](std::uint32_t a, std::uint32_t b, std::uint32_t raw, float) {
        counts[a][b] += raw;
        counts[b][a] += raw;
      });
    for (std::size_t item = 0; item < n; ++item) {
      auto& list = together[item];
      for (const auto& [other, raw] : counts[item])
        if (catalogOf[other] >= 0) list.emplace_back(other, raw);
      const std::size_t keep = std::min(kCutoff, list.size());
      std::partial_sort(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(keep), list.end(), [&](const auto& a, const auto& b) {
        if (a.second != b.second) return a.second > b.second;
        if (count(a.first) != count(b.first)) return count(a.first) > count(b.first);
        return data.items.id(a.first) < data.items.id(b.first);
      });
      list.resize(keep);
      std::unordered_map<std::uint32_t, std::uint32_t>().swap(counts[item]);
    }
  }

  auto named = [](const char* name) {
    RankedResult result;
    result.name = name;
    return result;
  };
  RankedResult pop = named("popularity"), cooc = named("co-occurrence with the last item"),
               rules = named("viewed-next rules of the last item (index)"),
               boughtTogether = named("CartKeep bought-together (last item on screen)"), pickedForYou = named("CartKeep picked-for-you");
  std::vector<std::uint32_t> ranked;
  auto rankOf20 = [&](std::uint32_t target) { return rankOf(ranked, target); };

  // Baselines.
  {
    auto start = Clock::now();
    for (const auto& [s, t] : points) {
      const auto& seq = data.testSequences[s];
      ranked.clear();
      fill(ranked, seq.items[t - 1]);
      pop.record(rankOf20(seq.items[t]));
    }
    pop.seconds = since(start);
    start = Clock::now();
    for (const auto& [s, t] : points) {
      const auto& seq = data.testSequences[s];
      const std::uint32_t last = seq.items[t - 1];
      ranked.clear();
      for (const auto& [other, raw] : together[last]) ranked.push_back(other);
      fill(ranked, last);
      cooc.record(rankOf20(seq.items[t]));
    }
    cooc.seconds = since(start);
    start = Clock::now();
    for (const auto& [s, t] : points) {
      const auto& seq = data.testSequences[s];
      const std::uint32_t last = seq.items[t - 1];
      ranked.clear();
      if (catalogOf[last] >= 0) {
        const auto range = parsed.neighbours(*parsed.find(data.items.id(last)), cartkeep::NeighbourKind::Next);
        for (std::size_t e = 0; e < range.size && ranked.size() < kCutoff; ++e)
          ranked.push_back(*data.items.find(parsed.id(range.items[e])));
      }
      fill(ranked, last);
      rules.record(rankOf20(seq.items[t]));
    }
    rules.seconds = since(start);
  }

  // CartKeep: the browser's profile and placements, the prefix replayed as product views at their times.
  {
    const auto& c = options.config;
    const nlohmann::json config = {{"minCoverage", 0}, {"rememberProfile", false},
                                   {"weights", {{"neighbours", c.neighboursWeight}, {"viewedTogether", c.viewedTogetherWeight},
                                                {"viewedNext", c.viewedNextWeight}, {"content", c.contentWeight},
                                                {"popularity", c.popularityWeight}}}};
    CARTKEEP_TRY_ASSIGN(cartkeep::Suggestions suggestions, cartkeep::Suggestions::create(nlohmann::json{{"suggestions", config}}, catalog, options.params));
    auto loaded = suggestions.loadIndex(index.bytes, catalog);
    if (!loaded) return loaded.error();
    std::vector<std::uint8_t> excluded(catalog.size(), 0);
    std::vector<cartkeep::Scored> top;
    double boughtSeconds = 0, pickedSeconds = 0;
    std::size_t next = 0;  // next point to answer
    for (std::size_t s = 0; s < data.testSequences.size() && next < points.size(); ++s) {
      if (points[next].first != s) continue;
      const auto& seq = data.testSequences[s];
      suggestions.forgetProfile();
      for (std::size_t t = 1; t < seq.items.size() && next < points.size() && points[next].first == s; ++t) {
        const std::uint32_t last = seq.items[t - 1];
        const std::int64_t now = seq.times[t - 1] * 1000;
        if (catalogOf[last] >= 0) {
          auto tracked = suggestions.track({{"type", "view"}, {"productId", data.items.id(last)}, {"at", now}}, catalog);
          if (!tracked) return tracked.error();
        }
        if (points[next].second != t) continue;
        ++next;
        std::optional<std::uint32_t> product;
        if (catalogOf[last] >= 0) product = static_cast<std::uint32_t>(catalogOf[last]);
        cartkeep::ScoreQuery query;
        query.excluded = &excluded;
        auto answer = [&](cartkeep::Placement placement, RankedResult& result, double& seconds) {
          const auto start = Clock::now();
          const auto anchors = suggestions.anchorsFor(placement, product, catalog, {}, now);
          query.anchors = &anchors;
          std::vector<std::uint32_t> marked;
          auto mark = [&](std::uint32_t p) { if (!excluded[p]) excluded[p] = 1, marked.push_back(p); };
          if (product) mark(*product);
          if (placement == cartkeep::Placement::PickedForYou)  // as the placement does: views are in "recently viewed"
            for (const auto& e : suggestions.profile().views()) mark(static_cast<std::uint32_t>(catalogOf[*data.items.find(e.productId)]));
          suggestions.model().top(query, kCutoff, top);
          for (auto p : marked) excluded[p] = 0;
          ranked.clear();
          for (const auto& scored : top) ranked.push_back(itemOfProduct[scored.product]);
          result.record(rankOf20(seq.items[t]));
          const double took = since(start);
          result.latencies.push_back(took);
          seconds += took;
        };
        // bought-together needs a product on screen; without one (never seen before the split) nothing is shown.
        if (product) answer(cartkeep::Placement::BoughtTogether, boughtTogether, boughtSeconds);
        else boughtTogether.record(0);
        product.reset();
        answer(cartkeep::Placement::PickedForYou, pickedForYou, pickedSeconds);
      }
    }
    boughtTogether.seconds = boughtSeconds;
    pickedForYou.seconds = pickedSeconds;
  }
  report.methods = {pop, cooc, rules, boughtTogether, pickedForYou};
  return report;
}

std::string formatNextEventReport(const NextEventReport& r) {
  std::string out;
  char line[320];
  std::snprintf(line, sizeof line,
                "next-event protocol: %zu training sequences; %zu test sequences, %zu prediction points (%zu targets never seen before the split)\n",
                r.trainSequences, r.testSequences, r.queries, r.unreachable);
  out += line;
  std::snprintf(line, sizeof line, "candidates: %zu items; CartKeep index: %zu bytes, K = %u, %zu viewed-next edges\n\n", r.catalog,
                r.indexBytes, r.indexK, r.nextEdges);
  out += line;
  std::snprintf(line, sizeof line, "%-48s %8s %8s %8s %8s %9s %10s\n", "method", "HR@10", "MRR@10", "HR@20", "MRR@20", "time", "p95/query");
  out += line;
  for (const auto& m : r.methods) {
    char p95[32] = "-";
    if (!m.latencies.empty()) std::snprintf(p95, sizeof p95, "%.0f us", m.p95Micros());
    std::snprintf(line, sizeof line, "%-48s %8.4f %8.4f %8.4f %8.4f %8.2fs %10s\n", m.name.c_str(), m.hitRate(10), m.mrr(10), m.hitRate(20),
                  m.mrr(20), m.seconds, p95);
    out += line;
  }
  return out;
}

std::string formatReport(const EvalReport& r, std::size_t cutoff) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "train: %zu orders %s .. %s; test: %zu orders %s .. %s\n", r.trainBaskets,
                formatDate(r.trainFirst).c_str(), formatDate(r.trainLast).c_str(), r.testBaskets, formatDate(r.testFirst).c_str(),
                formatDate(r.testLast).c_str());
  out += line;
  std::snprintf(line, sizeof line,
                "queries: %zu (one hidden item per test order of 2+ items; %zu hidden items never sold before the split)\n",
                r.queries, r.unreachable);
  out += line;
  std::snprintf(line, sizeof line, "candidates: %zu items; CartKeep index: %zu bytes, K = %u\n\n", r.catalog, r.indexBytes, r.indexK);
  out += line;
  std::snprintf(line, sizeof line, "%-44s %8s %8s %9s\n", "method", ("HR@" + std::to_string(cutoff)).c_str(),
                ("MRR@" + std::to_string(cutoff)).c_str(), "time");
  out += line;
  for (const auto& m : r.methods) {
    std::snprintf(line, sizeof line, "%-44s %8.4f %8.4f %8.2fs\n", m.name.c_str(), m.hitRate(), m.mrr(), m.seconds);
    out += line;
  }
  return out;
}

}  // namespace suggest_index
