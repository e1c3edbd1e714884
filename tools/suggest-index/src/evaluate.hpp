#pragma once
// Offline evaluation by date split: train on baskets before the split, then for each later basket hide
// one item and rank every known item given the rest. HR@N and MRR@N for CartKeep (the shipped core
// scoring over the shipped index format) and two baselines computed from the same training data.
#include <string>
#include <vector>

#include "build.hpp"
#include "suggest/suggest.hpp"

namespace suggest_index {

enum class HideMode { Random, Last, All };

struct EvalOptions {
  HideMode hide = HideMode::Random;
  std::uint64_t seed = 42;
  std::size_t cutoff = 10;
  cartkeep::SuggestConfig config;   // weights as shipped unless overridden
  cartkeep::ScoringParams params;
  bool ablations = false;
};

struct MethodResult {
  std::string name;
  std::size_t queries = 0;
  std::size_t hits = 0;
  double reciprocalSum = 0;
  double seconds = 0;
  double hitRate() const { return queries ? static_cast<double>(hits) / static_cast<double>(queries) : 0; }
  double mrr() const { return queries ? reciprocalSum / static_cast<double>(queries) : 0; }
};

struct EvalReport {
  std::size_t trainBaskets = 0, testBaskets = 0, queries = 0, unreachable = 0, catalog = 0;
  std::size_t indexBytes = 0;
  unsigned indexK = 0;
  std::int64_t trainFirst = 0, trainLast = 0, testFirst = 0, testLast = 0;
  std::vector<MethodResult> methods;  // popularity, co-occurrence counts, CartKeep, then ablations
};

cartkeep::Result<EvalReport> evaluate(const TrainingData& data, const BuildOptions& build, const EvalOptions& options);

// ------------------------------------------------------------------ next-event protocol

// Train on events before the split; then for every prefix of every test sequence (events at or after the
// split, see Sequence), predict the next event. The last event of the prefix is the product on screen:
// no method suggests it, and consecutive repeats are not in the sequences. CartKeep replays the prefix
// through the browser's own profile and placements (views at their time, `now` = the last event's time).
struct NextEventOptions {
  cartkeep::SuggestConfig config;  // weights as shipped unless overridden
  cartkeep::ScoringParams params;
  std::size_t maxQueries = 0;      // 0: every prefix; else at most this many, spread evenly
};

struct RankedResult {
  std::string name;
  std::size_t queries = 0;
  std::size_t hits10 = 0, hits20 = 0;
  double reciprocal10 = 0, reciprocal20 = 0;
  double seconds = 0;
  std::vector<double> latencies;  // seconds per query, for the methods that answer through the engine
  void record(std::size_t rank);  // 1-based rank of the target, 0: not in the top 20
  double p95Micros() const;       // 0 without latencies
  double hitRate(std::size_t cutoff) const;  // 10 or 20
  double mrr(std::size_t cutoff) const;
};

struct NextEventReport {
  std::size_t trainSequences = 0, testSequences = 0, queries = 0, unreachable = 0, catalog = 0;
  std::size_t indexBytes = 0, nextEdges = 0;
  unsigned indexK = 0;
  // popularity, last-item co-occurrence, last-item viewed-next rules (from the index), CartKeep placements
  std::vector<RankedResult> methods;
};

cartkeep::Result<NextEventReport> evaluateNextEvent(const TrainingData& data, const BuildOptions& build,
                                                    const NextEventOptions& options);
std::string formatNextEventReport(const NextEventReport& report);

// The table, as printed by `suggest-index eval`.
std::string formatReport(const EvalReport& report, std::size_t cutoff);

// Words of a product title as tags: lower case, 3+ letters, no digits, no filler words.
std::vector<std::string> titleTags(const std::string& title);

}  // namespace suggest_index
