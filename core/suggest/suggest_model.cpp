// The scoring model: catalog features, the index mapped onto the catalog, and one scoring pass.
// Every operation on a score is +, -, *, / or sqrt, in a fixed order, so a plain JS implementation of
// the same formula (bench/suggest-reference.mjs) gets bit-identical scores.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "base/json_fields.hpp"
#include "suggest/suggest.hpp"

namespace cartkeep {

namespace {

// The key a category, brand or tag is matched by: trimmed, ASCII letters lower-cased. Written into `key`,
// which the caller reuses, so building the model does not allocate per product.
void normalisedKey(const std::string& text, std::string& key) {
  // Plain pointer loops: libc++'s string members are out of line in the wasm build, and this runs per tag.
  const char* begin = text.data();
  const char* end = begin + text.size();
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (begin != end && space(*begin)) ++begin;
  while (end != begin && space(end[-1])) --end;
  key.resize(static_cast<std::size_t>(end - begin));
  for (char* out = key.empty() ? nullptr : &key[0]; begin != end; ++begin, ++out)
    *out = *begin >= 'A' && *begin <= 'Z' ? static_cast<char>(*begin - 'A' + 'a') : *begin;
}

// Price bands grow by 8/5 in integer steps: the same band in every language, no logarithm.
std::int32_t priceBand(Minor price, std::size_t bands) {
  std::int32_t band = 0;
  Minor threshold = 1;
  while (price >= threshold && static_cast<std::size_t>(band) + 1 < bands) {
    ++band;
    const Minor next = threshold <= kMaxJsSafeMinor / 8 ? threshold * 8 / 5 : kMaxJsSafeMinor;
    threshold = std::max(threshold + 1, next);
  }
  return band;
}

double applyExponent(double value, double exponent) {
  if (exponent == 1.0) return value;
  if (exponent == 0.25) return std::sqrt(std::sqrt(value));
  return std::sqrt(value);  // 0.5
}

struct Better {
  bool operator()(const Scored& a, const Scored& b) const noexcept {
    return a.score != b.score ? a.score > b.score : a.product < b.product;
  }
};

}  // namespace

SuggestModel SuggestModel::build(const Catalog& catalog, const SuggestConfig& config, ScoringParams params) {
  SuggestModel m;
  m.params_ = params;
  m.weights_[0] = config.neighboursWeight;
  m.weights_[1] = config.viewedTogetherWeight;
  m.weights_[2] = config.contentWeight;
  m.weights_[3] = config.popularityWeight;
  m.weights_[4] = config.viewedNextWeight;
  const auto& products = catalog.products();
  const std::size_t n = products.size();
  m.features_.resize(n);
  std::unordered_map<std::string, std::int32_t> categories, brands, tags;
  std::vector<std::size_t> df;
  auto intern = [](std::unordered_map<std::string, std::int32_t>& table, const std::string& key) {
    auto found = table.find(key);  // most keys repeat: look before making a node
    if (found != table.end()) return found->second;
    return table.emplace(key, static_cast<std::int32_t>(table.size())).first->second;
  };
  std::string key;
  for (std::size_t p = 0; p < n; ++p) {
    const Product& product = products[p];
    Features& f = m.features_[p];
    normalisedKey(product.category, key);
    if (!key.empty()) f.category = intern(categories, key);
    normalisedKey(product.brand, key);
    if (!key.empty()) f.brand = intern(brands, key);
    f.price = product.price;
    f.band = priceBand(product.price, kBands);
    for (const auto& tag : product.tags) {
      normalisedKey(tag, key);
      if (key.empty()) continue;
      f.tags.push_back(static_cast<std::uint32_t>(intern(tags, key)));
    }
    // A few tag ids per product: sorted in place, without the index sort's allocations (equal ids are alike).
    for (std::size_t i = 1; i < f.tags.size(); ++i) {
      const std::uint32_t id = f.tags[i];
      std::size_t j = i;
      for (; j > 0 && f.tags[j - 1] > id; --j) f.tags[j] = f.tags[j - 1];
      f.tags[j] = id;
    }
    f.tags.erase(std::unique(f.tags.begin(), f.tags.end()), f.tags.end());
    if (df.size() < tags.size()) df.resize(tags.size(), 0);
    for (auto t : f.tags) ++df[t];
  }
  m.categories_ = categories.size();
  m.brands_ = brands.size();
  m.idf2_.resize(tags.size());
  m.tagSkipped_.resize(tags.size());
  m.postings_.resize(tags.size());
  const double skipAbove = std::max(params.maxTagShare * static_cast<double>(n), 50.0);
  for (std::size_t t = 0; t < tags.size(); ++t) {
    m.idf2_[t] = 1.0 / static_cast<double>(df[t]);
    m.tagSkipped_[t] = static_cast<double>(df[t]) > skipAbove ? 1 : 0;
    if (!m.tagSkipped_[t]) m.postings_[t].reserve(df[t]);
  }
  for (std::size_t p = 0; p < n; ++p) {
    Features& f = m.features_[p];
    double norm = 0;
    for (auto t : f.tags) {
      if (m.tagSkipped_[t]) continue;
      norm += m.idf2_[t];
      m.postings_[t].push_back(static_cast<std::uint32_t>(p));
    }
    f.tagNorm = std::sqrt(norm);
  }

  // Merchant boosts multiply; a factor of 0 hides the product.
  m.boost_.assign(n, 1.0);
  for (const auto& boost : config.boosts) {
    std::string wanted;
    normalisedKey(boost.value, wanted);
    const auto is = [&](const std::string& text) { return normalisedKey(text, key), key == wanted; };
    for (std::size_t p = 0; p < n; ++p) {
      const Product& product = products[p];
      bool match = false;
      switch (boost.field) {
        case SuggestBoost::Field::Product: match = product.id == boost.value; break;
        case SuggestBoost::Field::Category: match = is(product.category); break;
        case SuggestBoost::Field::Brand: match = is(product.brand); break;
        case SuggestBoost::Field::Tag: match = std::any_of(product.tags.begin(), product.tags.end(), is); break;
      }
      if (match) m.boost_[p] *= boost.factor;
    }
  }

  // Without an index, popularity is the merchant's `popular` list, then the catalog order.
  m.fallbackPrior_.assign(n, 0.0);
  std::vector<std::uint8_t> ranked(n, 0);
  std::size_t rank = 0;
  auto place = [&](std::size_t p) {
    if (ranked[p]) return;
    ranked[p] = 1;
    m.fallbackPrior_[p] = 1.0 - static_cast<double>(rank) / static_cast<double>(n);
    ++rank;
  };
  for (const auto& id : config.popular)
    if (const Product* product = catalog.find(id)) place(static_cast<std::size_t>(product - products.data()));
  for (std::size_t p = 0; p < n; ++p) place(p);

  m.catalogToIndex_.assign(n, -1);
  m.coverage_.catalog = n;
  m.neighbour_.assign(n, 0.0);
  m.viewed_.assign(n, 0.0);
  m.next_.assign(n, 0.0);
  m.tags_.assign(n, 0.0);
  m.best_.assign(n, 0.0);
  m.bestAnchor_.assign(n, -1);
  m.categoryWeight_.assign(m.categories_, 0.0);
  m.brandWeight_.assign(m.brands_, 0.0);
  m.bandWeight_.assign(kBands, 0.0);
  return m;
}

Result<SuggestModel::Coverage> SuggestModel::attachIndex(ItemIndex index, const Catalog& catalog,
                                                         const SuggestConfig& config, const std::string& path) {
  const IndexMetadata& meta = index.metadata();
  const std::string label =
      meta.catalogVersion.empty() ? "no catalog version" : "catalog version " + nlohmann::json(meta.catalogVersion).dump();
  if (!config.catalogVersion.empty() && meta.catalogVersion != config.catalogVersion)
    return Error{ErrorCode::InvalidArgument, path,
                 "built for " + label + ", but options.suggestions.catalogVersion is " +
                     nlohmann::json(config.catalogVersion).dump() + ": rebuild the index for this catalog"};
  const auto& products = catalog.products();
  const std::size_t n = products.size();
  if (n != features_.size())
    return Error{ErrorCode::InvalidArgument, path, "the catalog changed since the suggestion model was built"};
  std::vector<std::int32_t> toIndex(n, -1);
  std::vector<std::int32_t> toCatalog(index.size(), -1);
  Coverage coverage{0, n, index.size()};
  for (std::size_t p = 0; p < n; ++p) {
    if (auto item = index.find(products[p].id)) {
      toIndex[p] = static_cast<std::int32_t>(*item);
      toCatalog[*item] = static_cast<std::int32_t>(p);
      ++coverage.matched;
    }
  }
  if (n > 0 && coverage.matched * 100 < static_cast<std::size_t>(config.minCoveragePercent) * n) {
    const std::size_t percent = coverage.matched * 100 / n;
    return Error{ErrorCode::InvalidArgument, path,
                 "only " + std::to_string(coverage.matched) + " of the catalog's " + std::to_string(n) + " products (" +
                     std::to_string(percent) + "%) are in this index of " + std::to_string(index.size()) + " items (" + label +
                     ", ids fingerprint " + index_format::hex(meta.fingerprint, 16) +
                     "): it was built for another catalog (options.suggestions.minCoverage is " +
                     std::to_string(config.minCoveragePercent) + "%)"};
  }
  std::vector<double> prior(n, 0.0);
  for (std::size_t p = 0; p < n; ++p)
    if (toIndex[p] >= 0)
      prior[p] = applyExponent(index.popularity(static_cast<std::uint32_t>(toIndex[p])), params_.popularityExponent);
  // The rules into each item, strongest first (ties: lower item), at most kPredecessors: the sibling step's
  // way back from an anchor to what shoppers viewed before it.
  const std::size_t items = index.size();
  std::vector<std::uint32_t> offsets(items + 1, 0);
  for (std::uint32_t from = 0; from < items; ++from) {
    const auto range = index.neighbours(from, NeighbourKind::Next);
    for (std::size_t e = 0; e < range.size; ++e) ++offsets[range.items[e] + 1];
  }
  for (std::size_t i = 0; i < items; ++i) offsets[i + 1] += offsets[i];
  std::vector<std::pair<std::uint8_t, std::uint32_t>> into(offsets[items]);
  {
    std::vector<std::uint32_t> fill(offsets.begin(), offsets.end() - 1);
    for (std::uint32_t from = 0; from < items; ++from) {
      const auto range = index.neighbours(from, NeighbourKind::Next);
      for (std::size_t e = 0; e < range.size; ++e) into[fill[range.items[e]]++] = {range.qs[e], from};
    }
  }
  predecessorOffsets_.assign(items + 1, 0);
  predecessorItems_.clear();
  predecessorQs_.clear();
  for (std::size_t i = 0; i < items; ++i) {
    const auto begin = into.begin() + static_cast<std::ptrdiff_t>(offsets[i]), end = into.begin() + static_cast<std::ptrdiff_t>(offsets[i + 1]);
    std::sort(begin, end, [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    const std::size_t keep = std::min<std::size_t>(static_cast<std::size_t>(end - begin), ScoringParams::kPredecessors);
    for (auto it = begin; it != begin + static_cast<std::ptrdiff_t>(keep); ++it) {
      predecessorItems_.push_back(it->second);
      predecessorQs_.push_back(it->first);
    }
    predecessorOffsets_[i + 1] = static_cast<std::uint32_t>(predecessorItems_.size());
  }
  index_ = std::move(index);
  catalogToIndex_ = std::move(toIndex);
  indexToCatalog_ = std::move(toCatalog);
  indexPrior_ = std::move(prior);
  coverage_ = coverage;
  return coverage;
}

void SuggestModel::detachIndex() {
  index_.reset();
  catalogToIndex_.assign(features_.size(), -1);
  indexToCatalog_.clear();
  indexPrior_.clear();
  predecessorOffsets_.clear();
  predecessorItems_.clear();
  predecessorQs_.clear();
  coverage_ = Coverage{0, features_.size(), 0};
}

double SuggestModel::content(std::uint32_t a, std::uint32_t b) const noexcept {
  const Features& fa = features_[a];
  const Features& fb = features_[b];
  double tag = 0;
  if (fa.tagNorm > 0 && fb.tagNorm > 0) {
    std::size_t i = 0, j = 0;
    double shared = 0;
    while (i < fa.tags.size() && j < fb.tags.size()) {
      if (fa.tags[i] < fb.tags[j]) ++i;
      else if (fb.tags[j] < fa.tags[i]) ++j;
      else {
        if (!tagSkipped_[fa.tags[i]]) shared += idf2_[fa.tags[i]];
        ++i, ++j;
      }
    }
    tag = shared / fa.tagNorm / fb.tagNorm;
  }
  const int gap = std::abs(fa.band - fb.band);
  return params_.tagShare * tag + params_.categoryShare * (fa.category >= 0 && fa.category == fb.category ? 1 : 0) +
         params_.brandShare * (fa.brand >= 0 && fa.brand == fb.brand ? 1 : 0) +
         params_.priceShare * (gap == 0 ? 1.0 : gap == 1 ? 0.5 : 0.0);
}

void SuggestModel::top(const ScoreQuery& query, std::size_t count, std::vector<Scored>& out) const {
  out.clear();
  const std::size_t n = features_.size();
  if (count == 0 || n == 0) return;
  static const std::vector<Anchor> kNone;
  const std::vector<Anchor>& anchors = query.anchors ? *query.anchors : kNone;
  const double wn = weights_[0], wv = weights_[1], wc = weights_[2], wp = weights_[3], wx = weights_[4];
  double total = 0;
  for (const Anchor& a : anchors) total += a.weight;
  std::fill(categoryWeight_.begin(), categoryWeight_.end(), 0.0);
  std::fill(brandWeight_.begin(), brandWeight_.end(), 0.0);
  std::fill(bandWeight_.begin(), bandWeight_.end(), 0.0);

  for (std::size_t k = 0; k < anchors.size(); ++k) {
    const Anchor& a = anchors[k];
    const Features& f = features_[a.product];
    const double w = a.weight;
    if (f.category >= 0) categoryWeight_[static_cast<std::size_t>(f.category)] += w;
    if (f.brand >= 0) brandWeight_[static_cast<std::size_t>(f.brand)] += w;
    const auto band = static_cast<std::size_t>(f.band);
    bandWeight_[band] += w;
    if (band > 0) bandWeight_[band - 1] += 0.5 * w;
    if (band + 1 < kBands) bandWeight_[band + 1] += 0.5 * w;
    if (f.tagNorm > 0) {
      for (auto t : f.tags) {
        if (tagSkipped_[t]) continue;
        const double c = w * idf2_[t] / f.tagNorm;
        for (auto p : postings_[t]) tags_[p] += c;
      }
    }
    if (!index_) continue;
    const std::int32_t item = catalogToIndex_[a.product];
    if (item < 0) continue;
    // Adds c to a candidate's accumulator; the anchor whose weighted share is largest explains it.
    auto credit = [&](std::vector<double>& acc, std::size_t at, double c, double share) {
      acc[at] += c;
      if (share * c > best_[at]) {
        best_[at] = share * c;
        bestAnchor_[at] = static_cast<std::int32_t>(k);
      }
    };
    for (NeighbourKind kind : kNeighbourKinds) {
      const auto range = index_->neighbours(static_cast<std::uint32_t>(item), kind);
      std::vector<double>& acc = kind == NeighbourKind::Bought ? neighbour_ : kind == NeighbourKind::Viewed ? viewed_ : next_;
      const double share = kind == NeighbourKind::Bought ? wn : kind == NeighbourKind::Viewed ? wv : wx;
      for (std::size_t e = 0; e < range.size; ++e) {
        const std::int32_t p = indexToCatalog_[range.items[e]];
        if (p < 0) continue;
        const double c = w * index_format::decodeScore(range.qs[e]);
        credit(acc, static_cast<std::size_t>(p), c, share);
        if (kind != NeighbourKind::Next || params_.secondStepShare <= 0) continue;
        // The product after next, from the rules of this rule's product (the anchor it started from explains it).
        const auto second = index_->neighbours(range.items[e], NeighbourKind::Next);
        const double carried = params_.secondStepShare * c;
        for (std::size_t step = 0; step < second.size; ++step) {
          const std::int32_t q = indexToCatalog_[second.items[step]];
          if (q >= 0) credit(next_, static_cast<std::size_t>(q), carried * index_format::decodeScore(second.qs[step]), share);
        }
      }
      if (kind != NeighbourKind::Next || params_.siblingShare <= 0) continue;
      // Siblings: what shoppers viewed after the products they viewed before this anchor (the anchor explains it).
      const auto from = static_cast<std::uint32_t>(item);
      for (std::uint32_t b = predecessorOffsets_[from]; b < predecessorOffsets_[from + 1]; ++b) {
        const double carried = params_.siblingShare * w * index_format::decodeScore(predecessorQs_[b]);
        const auto sibling = index_->neighbours(predecessorItems_[b], NeighbourKind::Next);
        for (std::size_t step = 0; step < sibling.size; ++step) {
          if (sibling.items[step] == from) continue;
          const std::int32_t q = indexToCatalog_[sibling.items[step]];
          if (q >= 0) credit(next_, static_cast<std::size_t>(q), carried * index_format::decodeScore(sibling.qs[step]), share);
        }
      }
    }
  }

  const std::vector<double>& prior = index_ ? indexPrior_ : fallbackPrior_;
  std::vector<Scored>& heap = out;
  heap.reserve(count);
  const Better better;
  for (std::size_t p = 0; p < n; ++p) {
    const double nb = neighbour_[p], vt = viewed_[p], nx = next_[p], tg = tags_[p], best = best_[p];
    const std::int32_t bestAnchor = bestAnchor_[p];
    neighbour_[p] = 0;
    viewed_[p] = 0;
    next_[p] = 0;
    tags_[p] = 0;
    best_[p] = 0;
    bestAnchor_[p] = -1;
    if ((query.excluded && (*query.excluded)[p]) || boost_[p] == 0) continue;
    const Features& f = features_[p];
    if (f.price < query.minPrice || f.price > query.maxPrice) continue;
    const double priorPart = wp * prior[p];
    double score = priorPart;
    if (total > 0) {
      const double content = params_.tagShare * (f.tagNorm > 0 ? tg / f.tagNorm : 0.0) +
                             params_.categoryShare * (f.category >= 0 ? categoryWeight_[static_cast<std::size_t>(f.category)] : 0.0) +
                             params_.brandShare * (f.brand >= 0 ? brandWeight_[static_cast<std::size_t>(f.brand)] : 0.0) +
                             params_.priceShare * bandWeight_[static_cast<std::size_t>(f.band)];
      score += (wn * nb + wv * vt + wx * nx + wc * content) / total;
    }
    score *= boost_[p];
    if (!(score > 0)) continue;
    Scored candidate{static_cast<std::uint32_t>(p), score, total > 0 ? best / total : 0.0, bestAnchor, priorPart};
    if (heap.size() < count) {
      heap.push_back(candidate);
      std::push_heap(heap.begin(), heap.end(), better);
    } else if (better(candidate, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), better);
      heap.back() = candidate;
      std::push_heap(heap.begin(), heap.end(), better);
    }
  }
  std::sort_heap(heap.begin(), heap.end(), better);
}

}  // namespace cartkeep
