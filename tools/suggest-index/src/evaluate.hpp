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

// The table, as printed by `suggest-index eval`.
std::string formatReport(const EvalReport& report, std::size_t cutoff);

// Words of a product title as tags: lower case, 3+ letters, no digits, no filler words.
std::vector<std::string> titleTags(const std::string& title);

}  // namespace suggest_index
