// The labelled trace corpus (tests/fixtures/traces) replayed through the core: every "exit" trace decides
// an exit intent for the labelled reason, no "stay" trace decides one, and every output equals the golden
// outputs in tests/fixtures/traces/expected.json, which the Node replay checks too (same trace, same
// decisions in both runtimes). CARTKEEP_UPDATE_TRACES=1 rewrites the golden file.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "behaviour/behaviour.hpp"
#include "replay_trace.hpp"

using namespace cartkeep;
using nlohmann::json;

namespace {

const std::string kDir = std::string(CARTKEEP_SOURCE_DIR) + "/tests/fixtures/traces/";

json readJson(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str(), nullptr, false);
}

json replay(const json& trace) {
  json options = trace.contains("options") && trace["options"].is_object() ? trace["options"] : json::object();
  auto parsed = parseBehaviourOptions(options);
  REQUIRE(parsed.ok());
  Behaviour behaviour(parsed.value());
  auto outputs = test::replayTrace(behaviour, trace);
  REQUIRE(outputs.ok());
  const double end = trace["events"].back()[0].get<double>();
  return json{{"outputs", outputs.value()}, {"dwell", behaviour.dwell(end)["total"]}};
}

}  // namespace

TEST_CASE("the labelled corpus: recall and false positives of the core", "[exit-intent][corpus]") {
  json index = readJson(kDir + "index.json");
  REQUIRE(index.is_array());
  REQUIRE(index.size() >= 40);
  int exits = 0, stays = 0, hits = 0, falsePositives = 0;
  json golden = json::object();
  for (const auto& entry : index) {
    const std::string name = entry["name"];
    json trace = readJson(kDir + name + ".json");
    REQUIRE(trace.is_object());
    json result = replay(trace);
    golden[name] = result;
    json decisions = json::array();
    for (const auto& output : result["outputs"])
      if (output["type"] == "exit-intent") decisions.push_back(output);
    INFO(name << ": " << decisions.dump());
    if (entry["label"] == "exit") {
      ++exits;
      const bool hit = !decisions.empty();
      hits += hit;
      CHECK(hit);
      if (hit) {
        std::string reason = decisions[0]["reason"];
        std::string expected = entry["reason"];
        if (expected == "top-exit") CHECK((reason == "top-exit" || reason == "trajectory"));
        else CHECK(reason == expected);
      }
    } else {
      ++stays;
      falsePositives += !decisions.empty();
      CHECK(decisions.empty());
    }
  }
  std::printf("corpus: %d traces, recall %d/%d, false positives %d/%d\n", exits + stays, hits, exits, falsePositives, stays);

  const std::string goldenPath = kDir + "expected.json";
  const char* update = std::getenv("CARTKEEP_UPDATE_TRACES");
  if (update && std::string(update) == "1") {
    std::ofstream(goldenPath) << golden.dump(1) << "\n";
  }
  json expected = readJson(goldenPath);
  REQUIRE(expected.is_object());
  for (const auto& item : golden.items()) {
    INFO(item.key());
    CHECK(item.value() == expected[item.key()]);
  }
  CHECK(expected.size() == golden.size());
}

TEST_CASE("the decision comes at the exit: by default nothing is predicted from the trajectory", "[exit-intent][corpus]") {
  json index = readJson(kDir + "index.json");
  int predicted = 0;
  for (const auto& entry : index) {
    if (entry["label"] != "exit" || entry["reason"] != "top-exit") continue;
    json trace = readJson(kDir + entry["name"].get<std::string>() + ".json");
    double outAt = -1;
    for (const auto& e : trace["events"])
      if (e[1] == "out") outAt = e[0].get<double>();
    REQUIRE(outAt >= 0);
    json outputs = replay(trace)["outputs"];
    for (const auto& output : outputs) {
      if (output["type"] != "exit-intent") continue;
      CHECK(output["t"].get<double>() <= outAt);
      predicted += output["reason"] == "trajectory";
      break;
    }
  }
  CHECK(predicted == 0);
}
