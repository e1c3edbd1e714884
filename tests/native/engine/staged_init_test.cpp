// Engine::initBegin / initProducts / initStep / initFinish: the catalog read in slices and the options read part
// by part give what init() gives, with the same errors.
#include <catch2/catch.hpp>

#include <algorithm>

#include "cartkeep/engine.hpp"

using namespace cartkeep;
using nlohmann::json;

namespace {

json products(int from, int to) {
  json out = json::array();
  for (int i = from; i < to; ++i)
    out.push_back({{"id", "p" + std::to_string(i)}, {"title", "Item " + std::to_string(i)}, {"price", 100 + i}});
  return out;
}

const json kOptions = {{"currency", "GBP"},
                       {"shipping",
                        {{"zones",
                          {{{"id", "uk"},
                            {"name", "United Kingdom"},
                            {"countries", {"GB"}},
                            {"methods", {{{"id", "standard"}, {"name", "Standard"}, {"rate", {{"type", "flat"}, {"amount", 395}}}}}}}}}}}};

// Slices of `size` products out of `total`, with the options sent first without the catalog.
Result<json> staged(Engine& engine, int total, int size) {
  if (auto begun = engine.initBegin(kOptions.dump()); !begun) return begun.error();
  for (int from = 0; from < total; from += size)
    if (auto added = engine.initProducts(products(from, std::min(total, from + size)).dump()); !added) return added.error();
  return engine.initFinish();
}

}  // namespace

TEST_CASE("a catalog read in slices gives the same engine as one read at once", "[engine][init]") {
  json whole = kOptions;
  whole["catalog"] = products(0, 10);
  Engine atOnce;
  auto expected = atOnce.init(whole.dump());
  INFO((expected.ok() ? std::string() : expected.error().describe()));
  REQUIRE(expected.ok());

  Engine inSlices;
  auto got = staged(inSlices, 10, 3);
  REQUIRE(got.ok());
  CHECK(got.value() == expected.value());
  CHECK(inSlices.products().value() == atOnce.products().value());
  REQUIRE(inSlices.cartAdd("p9", 2).ok());
  CHECK(inSlices.cart().value()["subtotal"] == 2 * 109);
}

TEST_CASE("errors in a later slice name the product's index in the whole catalog", "[engine][init]") {
  Engine engine;
  REQUIRE(engine.initBegin(kOptions.dump()).ok());
  REQUIRE(engine.initProducts(products(0, 3).dump()).ok());
  json slice = products(3, 6);
  slice[2]["price"] = -5;
  auto bad = engine.initProducts(slice.dump());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().describe() == "catalog[5].price: expected a non-negative integer amount in minor units, got -5");
  // The failed step ended the staged init.
  CHECK(engine.initFinish().error().code == ErrorCode::NotInitialised);
  CHECK_FALSE(engine.initialised());
}

TEST_CASE("a duplicate id across slices points back at the first one", "[engine][init]") {
  Engine engine;
  REQUIRE(engine.initBegin(kOptions.dump()).ok());
  REQUIRE(engine.initProducts(products(0, 3).dump()).ok());
  auto duplicate = engine.initProducts(products(1, 2).dump());
  REQUIRE_FALSE(duplicate.ok());
  CHECK(duplicate.error().describe() == "catalog[3].id: duplicate id \"p1\" (first at catalog[1])");
}

TEST_CASE("staged init: the catalog is still required, steps out of order are refused", "[engine][init]") {
  Engine engine;
  CHECK(engine.initProducts(products(0, 1).dump()).error().code == ErrorCode::NotInitialised);
  CHECK(engine.initFinish().error().code == ErrorCode::NotInitialised);
  REQUIRE(engine.initBegin(kOptions.dump()).ok());
  auto noCatalog = engine.initFinish();
  REQUIRE_FALSE(noCatalog.ok());
  CHECK(noCatalog.error().describe() == "options.catalog: required, expected an array of products");

  REQUIRE(engine.initBegin(kOptions.dump()).ok());
  auto notArray = engine.initProducts(R"({"id":"a"})");
  REQUIRE_FALSE(notArray.ok());
  CHECK(notArray.error().path == "catalog");
}

TEST_CASE("a failed staged init leaves the running engine as it was", "[engine][init]") {
  Engine engine;
  REQUIRE(staged(engine, 4, 2).ok());
  REQUIRE(engine.cartAdd("p3", 1).ok());

  REQUIRE(engine.initBegin(kOptions.dump()).ok());
  json slice = products(0, 2);
  slice[1]["title"] = "";
  REQUIRE_FALSE(engine.initProducts(slice.dump()).ok());
  CHECK(engine.initialised());
  CHECK(engine.cart().value()["subtotal"] == 103);
  CHECK_FALSE(engine.product("p3").value().is_null());
}

TEST_CASE("checks that need the whole catalog run in initFinish, naming the product", "[engine][init]") {
  json options = kOptions;
  options["shipping"]["zones"][0]["tax"] = {{"standard", "20"}};
  Engine engine;
  REQUIRE(engine.initBegin(options.dump()).ok());
  REQUIRE(engine.initProducts(products(0, 2).dump()).ok());
  json slice = products(2, 4);
  slice[1]["taxCategory"] = "books";
  REQUIRE(engine.initProducts(slice.dump()).ok());
  auto got = engine.initFinish();
  REQUIRE_FALSE(got.ok());
  INFO(got.error().describe());
  CHECK(got.error().describe() ==
        "options.shipping.zones[0].tax: no rate for tax category \"books\" used by catalog[3] (\"p3\")");
  CHECK_FALSE(engine.initialised());
}

namespace {

// initBegin with the catalog inline, then initStep until it answers false, counting the steps.
Result<json> stepped(Engine& engine, const json& options, int& steps) {
  if (auto begun = engine.initBegin(options.dump()); !begun) return begun.error();
  steps = 0;
  for (;;) {
    auto more = engine.initStep();
    if (!more) return more.error();
    ++steps;
    if (!more.value()) break;
  }
  return engine.initFinish();
}

}  // namespace

TEST_CASE("the options read one part per initStep give what init() gives", "[engine][init]") {
  json whole = kOptions;
  whole["catalog"] = products(0, 5);
  whole["persistence"] = {{"storage", "memory"}};
  whole["events"] = {{"dataLayer", false}};
  Engine atOnce;
  auto expected = atOnce.init(whole.dump());
  REQUIRE(expected.ok());
  Engine inSteps;
  int steps = 0;
  auto got = stepped(inSteps, whole, steps);
  REQUIRE(got.ok());
  CHECK(steps == 6);
  CHECK(got.value() == expected.value());
  CHECK(inSteps.initialised());
  // Nothing is pending any more: another step or finish needs a new initBegin.
  CHECK(inSteps.initStep().error().code == ErrorCode::NotInitialised);
}

TEST_CASE("a step that fails reports init()'s error and abandons the staged init", "[engine][init]") {
  // One bad option in each part: the step that reads it fails, with init()'s error, after the parts before it.
  const std::vector<std::pair<json, int>> cases = {
      {{{"shipping", {{"zones", "none"}}}}, 1},
      {{{"persistence", {{"bogus", 1}}}}, 2},
      {{{"behaviour", {{"idleAfterMs", -1}}}}, 3},
      {{{"events", {{"endpoint", 5}}}}, 4},
      {{{"consent", {{"bogus", 1}}}}, 5},
      {{{"suggestions", {{"limit", "ten"}}}}, 6},
  };
  for (const auto& [bad, failingStep] : cases) {
    json options = kOptions;
    options["catalog"] = products(0, 2);
    options.update(bad);
    INFO(bad.dump());
    Engine atOnce;
    auto expected = atOnce.init(options.dump());
    REQUIRE_FALSE(expected.ok());

    Engine engine;
    REQUIRE(engine.initBegin(options.dump()).ok());
    int step = 0;
    Result<bool> more = true;
    while (more && more.value()) {
      more = engine.initStep();
      ++step;
    }
    REQUIRE_FALSE(more.ok());
    CHECK(step == failingStep);
    CHECK(more.error().describe() == expected.error().describe());
    CHECK(engine.initFinish().error().code == ErrorCode::NotInitialised);
    CHECK_FALSE(engine.initialised());
  }
}

TEST_CASE("initFinish does the steps left, and initStep needs initBegin", "[engine][init]") {
  Engine engine;
  CHECK(engine.initStep().error().code == ErrorCode::NotInitialised);
  json options = kOptions;
  options["catalog"] = products(0, 2);
  REQUIRE(engine.initBegin(options.dump()).ok());
  REQUIRE(engine.initStep().value());
  REQUIRE(engine.initStep().value());
  auto finished = engine.initFinish();
  REQUIRE(finished.ok());
  Engine atOnce;
  CHECK(finished.value() == atOnce.init(options.dump()).value());
}
