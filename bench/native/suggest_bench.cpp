// Times Engine::suggestText ("picked for you" for a 10-view session: JSON request in, the JSON text the page
// receives out) natively, beside Engine::suggest (the same answer as a json value), to tell the scoring from
// the writing of the answer.
// Usage: suggest_bench catalog.json index.bin [limit] [iterations]; prints one JSON line, microseconds.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "cartkeep/engine.hpp"

namespace {
std::string readFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

template <class Call>
std::vector<double> timed(int iterations, Call call) {
  for (int i = 0; i < 100; ++i) call();
  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(iterations));
  for (int i = 0; i < iterations; ++i) {
    const auto start = std::chrono::steady_clock::now();
    call();
    samples.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(samples.begin(), samples.end());
  return samples;
}

double at(const std::vector<double>& sorted, double p) { return sorted[static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1))]; }
}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: suggest_bench catalog.json index.bin [limit] [iterations]\n";
    return 2;
  }
  const nlohmann::json catalog = nlohmann::json::parse(readFile(argv[1]));
  const std::string index = readFile(argv[2]);
  const int limit = argc > 3 ? std::atoi(argv[3]) : 20;
  const int iterations = argc > 4 ? std::atoi(argv[4]) : 2000;
  cartkeep::Engine engine;
  const nlohmann::json options = {{"currency", "GBP"}, {"catalog", catalog}, {"suggestions", {{"rememberProfile", false}}}};
  auto init = engine.init(options.dump());
  if (!init.ok()) {
    std::cerr << init.error().describe() << "\n";
    return 1;
  }
  if (auto loaded = engine.suggestLoadIndex(index); !loaded.ok()) {
    std::cerr << loaded.error().describe() << "\n";
    return 1;
  }
  // The session of bench/suggest.bench.mjs: ten products spread over the catalog, viewed over ten minutes.
  const std::int64_t now = 1700000000000;
  for (int i = 0; i < 10; ++i) {
    const auto& product = catalog[static_cast<std::size_t>((i * 7919 + 13) % static_cast<int>(catalog.size()))];
    const nlohmann::json view = {{"type", "view"}, {"productId", product["id"]}, {"at", now - (10 - i) * 60000}, {"dwellMs", 2000 + (i * 7000) % 28000}};
    if (auto tracked = engine.suggestTrack(view.dump()); !tracked.ok()) {
      std::cerr << tracked.error().describe() << "\n";
      return 1;
    }
  }
  const std::string request = nlohmann::json{{"placement", "picked-for-you"}, {"limit", limit}, {"now", now}}.dump();
  std::size_t bytes = 0, items = 0;
  const auto text = timed(iterations, [&] { bytes = engine.suggestText(request).value().size(); });
  const auto tree = timed(iterations, [&] { items = engine.suggest(request).value()["items"].size(); });
  std::cout << "{\"text\":{\"p50\":" << at(text, 0.5) << ",\"p95\":" << at(text, 0.95) << "},\"json\":{\"p50\":" << at(tree, 0.5)
            << ",\"p95\":" << at(tree, 0.95) << "},\"bytes\":" << bytes << ",\"iterations\":" << iterations << "}\n";
  return 0;
}
