#pragma once
// Bought-together (or viewed-together) statistics over a stream of baskets, with bounded memory:
// per item counts, and a pair table that prunes its weakest pairs when it reaches its limit.
#include <cstdint>
#include <utility>
#include <vector>

namespace suggest_index {

struct CooccurrenceParams {
  double halfLifeDays = 0;        // time decay of every count; 0: none
  double sizeExponent = 0.5;      // a basket of n items adds 1 / n^x to each of its pairs
  std::size_t maxBasket = 500;    // larger baskets count for popularity, not for pairs
  std::size_t maxPairs = 4000000; // memory bound of the pair table (16 bytes a slot)
};

struct SimilarityParams {
  double alpha = 0.5;            // sim(i -> j) = c_ij / (n_i^alpha * n_j^(1 - alpha)); 0.5 is the cosine
  double shrink = 2;             // times raw_ij / (raw_ij + shrink): few shared baskets, less trust
  std::uint32_t minSupport = 2;  // pairs in fewer baskets are ignored
  std::uint32_t ruleMinSupport = 1;  // viewed-next rules seen fewer times are ignored (the shrink already doubts rare ones)
  unsigned k = 24;               // neighbours kept per item
};

class Cooccurrence {
 public:
  explicit Cooccurrence(CooccurrenceParams params = {});

  // `items` must be distinct; `time` in Unix seconds.
  void add(const std::vector<std::uint32_t>& items, std::int64_t time);
  // Directed "viewed next" pairs of one ordered sequence (Ludewig and Jannach's sequential rules): each
  // event i and each of the `window` events after it (j = i + 1 .. i + window) add 1 / (j - i) to the pair
  // (items[i] -> items[j]), time-decayed at times[j]. Pairs of an item with itself are skipped. A table fed
  // this way holds directed keys: use rules(), not neighbours().
  void addSequence(const std::vector<std::uint32_t>& items, const std::vector<std::int64_t>& times, std::size_t window);

  std::size_t items() const noexcept { return raw_.size(); }
  std::uint32_t baskets(std::uint32_t item) const noexcept { return item < raw_.size() ? raw_[item] : 0; }
  // Time-decayed basket count, on an arbitrary but common scale.
  double weight(std::uint32_t item) const noexcept { return item < weight_.size() ? weight_[item] : 0; }
  std::size_t pairs() const noexcept { return used_; }
  std::size_t basketCount() const noexcept { return basketCount_; }
  std::size_t skippedLarge() const noexcept { return skippedLarge_; }
  std::size_t prunes() const noexcept { return prunes_; }
  std::size_t prunedPairs() const noexcept { return prunedPairs_; }
  std::size_t tableBytes() const noexcept { return slots_.size() * sizeof(Slot); }
  std::int64_t firstTime() const noexcept { return firstTime_; }
  std::int64_t lastTime() const noexcept { return lastTime_; }

  // f(a, b, raw, weight) for every stored pair, a < b (from addSequence: a -> b, any order).
  template <class F>
  void forEachPair(F&& f) const {
    for (const Slot& s : slots_)
      if (s.key) f(static_cast<std::uint32_t>(s.key >> 32), static_cast<std::uint32_t>(s.key & 0xFFFFFFFFu), s.raw, s.weight);
  }

  // Per item, its best neighbours by similarity (in [0, 1]), best first. With `keep` (per item, non-zero:
  // wanted), only kept items get neighbours, chosen among kept items (an index for one catalog).
  std::vector<std::vector<std::pair<std::uint32_t, double>>> neighbours(const SimilarityParams& params,
                                                                        const std::vector<std::uint8_t>* keep = nullptr) const;

  // Per item, its best followers from addSequence pairs, best first: score(i -> j) = w_ij / sum_k w_ik (the
  // share of what follows i that is j) times raw / (raw + shrink); pairs seen fewer than ruleMinSupport times
  // are ignored (ruleMinSupport). `keep` as for neighbours().
  std::vector<std::vector<std::pair<std::uint32_t, double>>> rules(const SimilarityParams& params,
                                                                   const std::vector<std::uint8_t>* keep = nullptr) const;

 private:
  struct Slot {
    std::uint64_t key = 0;  // (a << 32) | b with a < b; 0 is empty
    std::uint32_t raw = 0;
    float weight = 0;
  };
  void ensureItems(std::uint32_t item);
  void grow();
  void prune();
  void insert(std::uint64_t key, std::uint32_t raw, float weight);
  void rescale(double factor);
  double timeWeight(std::int64_t time);  // 2^((time - origin) / halfLife), moving the origin on long logs
  void insertPair(std::uint64_t key, float weight);  // grows or prunes the table first when it is full

  CooccurrenceParams params_;
  std::vector<std::uint32_t> raw_;
  std::vector<double> weight_;
  std::vector<Slot> slots_;
  std::size_t used_ = 0;
  std::size_t maxSlots_ = 0;
  std::size_t basketCount_ = 0, skippedLarge_ = 0, prunes_ = 0, prunedPairs_ = 0;
  bool started_ = false;
  std::int64_t origin_ = 0;   // decay reference: weights are 2^((t - origin) / halfLife)
  std::int64_t firstTime_ = 0, lastTime_ = 0;
};

}  // namespace suggest_index
