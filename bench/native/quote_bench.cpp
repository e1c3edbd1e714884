// Times Engine::quote (JSON request in, full itemised JSON out) natively.
// Usage: quote_bench options.json request.json [iterations]; prints one JSON line with p50/p95 in microseconds.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "cartkeep/engine.hpp"

namespace {
std::string readFile(const char* path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: quote_bench options.json request.json [iterations]\n";
    return 2;
  }
  const std::string options = readFile(argv[1]);
  const std::string request = readFile(argv[2]);
  const int iterations = argc > 3 ? std::atoi(argv[3]) : 3000;
  cartkeep::Engine engine;
  auto init = engine.init(options);
  if (!init.ok()) {
    std::cerr << init.error().describe() << "\n";
    return 1;
  }
  std::int64_t total = 0;
  for (int i = 0; i < 300; ++i) {
    auto q = engine.quote(request);
    if (!q.ok()) {
      std::cerr << q.error().describe() << "\n";
      return 1;
    }
    total = q.value()["total"].get<std::int64_t>();
  }
  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(iterations));
  for (int i = 0; i < iterations; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto q = engine.quote(request);
    const auto end = std::chrono::steady_clock::now();
    if (!q.ok()) return 1;
    samples.push_back(std::chrono::duration<double, std::micro>(end - start).count());
  }
  std::sort(samples.begin(), samples.end());
  auto at = [&](double p) { return samples[static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1))]; };
  std::cout << "{\"p50\":" << at(0.5) << ",\"p95\":" << at(0.95) << ",\"iterations\":" << iterations
            << ",\"total\":" << total << "}\n";
  return 0;
}
