#include "cooccurrence.hpp"

#include <algorithm>
#include <cmath>

namespace suggest_index {
namespace {
std::size_t nextPow2(std::size_t n) {
  std::size_t p = 1024;
  while (p < n) p <<= 1;
  return p;
}
inline std::size_t slotOf(std::uint64_t key, std::size_t mask) {
  return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 17) & mask;
}
}  // namespace

Cooccurrence::Cooccurrence(CooccurrenceParams params) : params_(params) {
  maxSlots_ = nextPow2(static_cast<std::size_t>(static_cast<double>(std::max<std::size_t>(params_.maxPairs, 1024)) / 0.7));
  slots_.resize(std::min<std::size_t>(maxSlots_, 1u << 16));
}

void Cooccurrence::ensureItems(std::uint32_t item) {
  if (item >= raw_.size()) {
    raw_.resize(std::size_t{item} + 1, 0);
    weight_.resize(std::size_t{item} + 1, 0.0);
  }
}

void Cooccurrence::insert(std::uint64_t key, std::uint32_t raw, float weight) {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = slotOf(key, mask);; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (!s.key) {
      s = Slot{key, raw, weight};
      ++used_;
      return;
    }
    if (s.key == key) {
      s.raw += raw;
      s.weight += weight;
      return;
    }
  }
}

void Cooccurrence::grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  used_ = 0;
  for (const Slot& s : old)
    if (s.key) insert(s.key, s.raw, s.weight);
}

// Lossy counting: drop pairs seen in one basket only, then (if that is not enough) the weaker half.
void Cooccurrence::prune() {
  ++prunes_;
  std::vector<float> weights;
  weights.reserve(used_);
  std::size_t singles = 0;
  for (const Slot& s : slots_)
    if (s.key) {
      weights.push_back(s.weight);
      singles += s.raw <= 1;
    }
  const bool dropSingles = singles * 4 >= used_;  // frees at least a quarter
  float threshold = 0;
  if (!dropSingles) {
    auto middle = weights.begin() + static_cast<std::ptrdiff_t>(weights.size() / 2);
    std::nth_element(weights.begin(), middle, weights.end());
    threshold = *middle;
  }
  std::vector<Slot> old(slots_.size());
  old.swap(slots_);
  const std::size_t before = used_;
  used_ = 0;
  for (const Slot& s : old)
    if (s.key && (dropSingles ? s.raw > 1 : s.weight > threshold)) insert(s.key, s.raw, s.weight);
  prunedPairs_ += before - used_;
}

void Cooccurrence::rescale(double factor) {
  for (double& w : weight_) w *= factor;
  for (Slot& s : slots_)
    if (s.key) s.weight = static_cast<float>(s.weight * factor);
}

double Cooccurrence::timeWeight(std::int64_t time) {
  if (!started_) {
    started_ = true;
    origin_ = time;
    firstTime_ = lastTime_ = time;
  }
  firstTime_ = std::min(firstTime_, time);
  lastTime_ = std::max(lastTime_, time);
  if (!(params_.halfLifeDays > 0)) return 1;
  const double halfLives = static_cast<double>(time - origin_) / (params_.halfLifeDays * 86400.0);
  if (halfLives > 60) {  // keep weights finite on long logs: move the reference forward
    const auto shift = static_cast<std::int64_t>(std::floor(halfLives / 60) * 60);
    rescale(std::exp2(-static_cast<double>(shift)));
    origin_ += static_cast<std::int64_t>(static_cast<double>(shift) * params_.halfLifeDays * 86400.0);
  }
  return std::exp2(static_cast<double>(time - origin_) / (params_.halfLifeDays * 86400.0));
}

void Cooccurrence::insertPair(std::uint64_t key, float weight) {
  if (used_ + 1 > slots_.size() * 7 / 10) {
    if (slots_.size() < maxSlots_) grow();
    else prune();
  }
  insert(key, 1, weight);
}

void Cooccurrence::add(const std::vector<std::uint32_t>& items, std::int64_t time) {
  if (items.empty()) return;
  const double w = timeWeight(time);
  ++basketCount_;
  for (auto item : items) {
    ensureItems(item);
    ++raw_[item];
    weight_[item] += w;
  }
  if (items.size() < 2) return;
  if (items.size() > params_.maxBasket) {
    ++skippedLarge_;
    return;
  }
  const auto pairWeight = static_cast<float>(w / std::pow(static_cast<double>(items.size()), params_.sizeExponent));
  std::vector<std::uint32_t> sorted(items);
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i)
    for (std::size_t j = i + 1; j < sorted.size(); ++j) insertPair((static_cast<std::uint64_t>(sorted[i]) << 32) | sorted[j], pairWeight);
}

void Cooccurrence::addSequence(const std::vector<std::uint32_t>& items, const std::vector<std::int64_t>& times, std::size_t window) {
  if (items.empty() || times.size() != items.size()) return;
  ++basketCount_;
  for (std::size_t j = 0; j < items.size(); ++j) {
    const double w = timeWeight(times[j]);
    ensureItems(items[j]);
    ++raw_[items[j]];
    weight_[items[j]] += w;
    for (std::size_t distance = 1; distance <= window && distance <= j; ++distance) {
      const std::uint32_t from = items[j - distance];
      if (from == items[j]) continue;
      insertPair((static_cast<std::uint64_t>(from) << 32) | items[j], static_cast<float>(w / static_cast<double>(distance)));
    }
  }
}

std::vector<std::vector<std::pair<std::uint32_t, double>>> Cooccurrence::rules(const SimilarityParams& params,
                                                                              const std::vector<std::uint8_t>* keep) const {
  const std::size_t n = raw_.size();
  auto kept = [&](std::uint32_t a, std::uint32_t b) {
    return !keep || (a < keep->size() && b < keep->size() && (*keep)[a] && (*keep)[b]);
  };
  std::vector<double> outgoing(n, 0.0);
  forEachPair([&](std::uint32_t a, std::uint32_t b, std::uint32_t raw, float weight) {
    if (raw >= params.ruleMinSupport && kept(a, b)) outgoing[a] += weight;
  });
  std::vector<std::vector<std::pair<std::uint32_t, double>>> out(n);
  forEachPair([&](std::uint32_t a, std::uint32_t b, std::uint32_t raw, float weight) {
    if (raw < params.ruleMinSupport || !kept(a, b) || !(outgoing[a] > 0)) return;
    const double trust = params.shrink > 0 ? raw / (raw + params.shrink) : 1.0;
    out[a].emplace_back(b, std::min(1.0, static_cast<double>(weight) / outgoing[a] * trust));
  });
  for (auto& list : out) {
    std::sort(list.begin(), list.end(), [](const auto& x, const auto& y) { return x.second != y.second ? x.second > y.second : x.first < y.first; });
    if (list.size() > params.k) list.resize(params.k);
  }
  return out;
}

std::vector<std::vector<std::pair<std::uint32_t, double>>> Cooccurrence::neighbours(const SimilarityParams& params,
                                                                                   const std::vector<std::uint8_t>* keep) const {
  const std::size_t n = raw_.size();
  std::vector<double> anchorNorm(n), neighbourNorm(n);
  for (std::size_t i = 0; i < n; ++i) {
    anchorNorm[i] = std::pow(weight_[i], params.alpha);
    neighbourNorm[i] = std::pow(weight_[i], 1 - params.alpha);
  }
  using Entry = std::pair<double, std::uint32_t>;  // (score, item): min-heap on score, then larger item first out
  auto worse = [](const Entry& a, const Entry& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; };
  std::vector<std::vector<Entry>> heaps(n);
  auto offer = [&](std::uint32_t from, std::uint32_t to, double score) {
    auto& heap = heaps[from];
    const Entry e{score, to};
    if (heap.size() < params.k) {
      heap.push_back(e);
      std::push_heap(heap.begin(), heap.end(), worse);
    } else if (worse(e, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), worse);
      heap.back() = e;
      std::push_heap(heap.begin(), heap.end(), worse);
    }
  };
  forEachPair([&](std::uint32_t a, std::uint32_t b, std::uint32_t raw, float weight) {
    if (raw < params.minSupport) return;
    if (keep && (a >= keep->size() || b >= keep->size() || !(*keep)[a] || !(*keep)[b])) return;
    const double trust = params.shrink > 0 ? raw / (raw + params.shrink) : 1.0;
    const double c = static_cast<double>(weight) * trust;
    if (anchorNorm[a] > 0 && neighbourNorm[b] > 0) offer(a, b, std::min(1.0, c / (anchorNorm[a] * neighbourNorm[b])));
    if (anchorNorm[b] > 0 && neighbourNorm[a] > 0) offer(b, a, std::min(1.0, c / (anchorNorm[b] * neighbourNorm[a])));
  });
  std::vector<std::vector<std::pair<std::uint32_t, double>>> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::sort_heap(heaps[i].begin(), heaps[i].end(), worse);
    out[i].reserve(heaps[i].size());
    for (const auto& [score, item] : heaps[i]) out[i].emplace_back(item, score);
  }
  return out;
}

}  // namespace suggest_index
