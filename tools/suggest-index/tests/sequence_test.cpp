// Viewed-next rules (directed, 1/distance within a window), sequences from a sequence column, and the
// next-event evaluation on a hand-made click log whose figures are computed by hand below.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <map>

#include "build.hpp"
#include "evaluate.hpp"

using namespace suggest_index;

namespace {

std::map<std::pair<std::uint32_t, std::uint32_t>, std::pair<std::uint32_t, float>> pairsOf(const Cooccurrence& table) {
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::pair<std::uint32_t, float>> out;
  table.forEachPair([&](std::uint32_t a, std::uint32_t b, std::uint32_t raw, float weight) { out[{a, b}] = {raw, weight}; });
  return out;
}

BuildOptions clickOptions() {
  BuildOptions options;
  options.schema.basket = "session";
  options.schema.item = "item";
  options.schema.time = "time";
  options.schema.quantity = "";
  options.schema.event = "type";
  options.schema.cancelledPrefix = "";
  return options;
}

}  // namespace

TEST_CASE("viewed-next pairs are directed, weigh 1/distance and stop at the window", "[suggest-index][rules]") {
  Cooccurrence next;  // no time decay by default
  next.addSequence({0, 1, 2, 3}, {10, 11, 12, 13}, 2);
  const auto pairs = pairsOf(next);
  CHECK(pairs.size() == 5);
  CHECK(pairs.at({0, 1}).second == Approx(1.0));
  CHECK(pairs.at({0, 2}).second == Approx(0.5));  // two steps apart
  CHECK(pairs.at({1, 2}).second == Approx(1.0));
  CHECK(pairs.at({1, 3}).second == Approx(0.5));
  CHECK(pairs.at({2, 3}).second == Approx(1.0));
  CHECK_FALSE(pairs.count({0, 3}));  // three steps: outside the window of 2
  CHECK_FALSE(pairs.count({1, 0}));  // nothing points backwards

  // A product seen again is not its own follower; what follows it is counted from each visit.
  Cooccurrence again;
  again.addSequence({0, 1, 0}, {1, 2, 3}, 5);
  const auto repeat = pairsOf(again);
  CHECK(repeat.size() == 2);
  CHECK(repeat.at({0, 1}).first == 1);
  CHECK(repeat.at({1, 0}).first == 1);
}

TEST_CASE("rules score the share of what follows an item, shrunk for rare pairs, best first", "[suggest-index][rules]") {
  Cooccurrence next;
  next.addSequence({0, 1, 2}, {1, 2, 3}, 5);  // 0->1: 1, 0->2: 0.5, 1->2: 1
  next.addSequence({0, 1}, {4, 5}, 5);        // 0->1: 2 in all
  SimilarityParams params;
  params.shrink = 0;
  const auto rules = next.rules(params);
  REQUIRE(rules.size() == 3);
  REQUIRE(rules[0].size() == 2);
  CHECK(rules[0][0].first == 1);
  CHECK(rules[0][0].second == Approx(2.0 / 2.5));
  CHECK(rules[0][1].first == 2);
  CHECK(rules[0][1].second == Approx(0.5 / 2.5));
  REQUIRE(rules[1].size() == 1);
  CHECK(rules[1][0].second == Approx(1.0));
  CHECK(rules[2].empty());  // the last event leads nowhere

  params.shrink = 2;  // raw 2 -> x 2/4, raw 1 -> x 1/3
  const auto shrunk = next.rules(params);
  CHECK(shrunk[0][0].second == Approx(2.0 / 2.5 * 0.5));
  CHECK(shrunk[0][1].second == Approx(0.5 / 2.5 / 3));
  params.ruleMinSupport = 2;
  CHECK(next.rules(params)[0].size() == 1);
}

TEST_CASE("a sequence column orders a customer's invoices in time, consecutive repeats go", "[suggest-index][rules]") {
  const std::string path = "sequence-test-orders.csv";
  // Customer 7's invoices arrive out of order; invoice 3 has no customer and is a sequence of its own.
  std::ofstream(path) << "InvoiceNo,StockCode,Quantity,InvoiceDate,CustomerID\n"
                         "2,C3,1,2011-01-05,7\n2,D4,1,2011-01-05,7\n"
                         "1,A1,1,2011-01-01,7\n1,B2,1,2011-01-01,7\n1,C3,1,2011-01-01,7\n"
                         "3,A1,1,2011-01-02,\n3,D4,1,2011-01-02,\n"
                         "4,B2,1,2011-02-02,7\n4,A1,1,2011-02-02,7\n";
  BuildOptions options;
  options.schema.sequence = "CustomerID";
  options.until = *parseTimestamp("2011-02-01");
  auto collected = collect(path, options, true);
  REQUIRE(collected.ok());
  const auto& data = collected.value();
  CHECK(data.trainSequences == 2);
  const auto id = [&](const char* text) { return *data.items.find(text); };
  // Customer 7 before the split: A1 B2 C3 | C3 D4 -> A1 B2 C3 D4 (the repeated C3 once).
  const auto pairs = pairsOf(data.next);
  CHECK(pairs.at({id("A1"), id("B2")}).second == Approx(1.0));
  CHECK(pairs.at({id("A1"), id("D4")}).second == Approx(1.0 / 3 + 1.0));  // customer 7 (3 apart) and invoice 3
  CHECK(pairs.at({id("C3"), id("D4")}).second == Approx(1.0));
  CHECK_FALSE(pairs.count({id("C3"), id("C3")}));
  // After the split: B2 A1 in line order.
  REQUIRE(data.testSequences.size() == 1);
  CHECK(data.testSequences[0].items == std::vector<std::uint32_t>{id("B2"), id("A1")});
  std::remove(path.c_str());
}

TEST_CASE("next-event evaluation: hand-computed HR and MRR for the baselines and the rules", "[suggest-index][eval]") {
  // Training sessions before t = 1000, two test sessions after; items A-E.
  const std::string path = "sequence-test-clicks.csv";
  {
    std::ofstream out(path);
    out << "session,item,time,type\n";
    const std::vector<std::pair<int, std::string>> sessions = {{100, "ABC"}, {200, "ABD"}, {300, "BC"}, {400, "EA"},
                                                               {500, "ED"},  {1000, "ABC"}, {1100, "ED"}};
    for (std::size_t s = 0; s < sessions.size(); ++s)
      for (std::size_t k = 0; k < sessions[s].second.size(); ++k)
        out << "s" << s << "," << sessions[s].second[k] << "," << sessions[s].first + static_cast<int>(k) << ",view\n";
  }
  BuildOptions options = clickOptions();
  options.until = 1000;
  auto data = collect(path, options, true);
  REQUIRE(data.ok());
  REQUIRE(data.value().testSequences.size() == 2);
  auto report = evaluateNextEvent(data.value(), options, NextEventOptions{});
  REQUIRE(report.ok());
  const auto& r = report.value();
  // Prediction points: A -> B, A B -> C, E -> D.
  CHECK(r.queries == 3);
  CHECK(r.unreachable == 0);
  REQUIRE(r.methods.size() == 5);
  for (const auto& m : r.methods) {
    INFO(m.name);
    CHECK(m.queries == 3);
  }
  // Popularity (sessions: A 3, B 3, C 2, D 2, E 2; ties by id), the last item left out:
  //   after A: B C D E -> B 1st; after B: A C D E -> C 2nd; after E: A B C D -> D 4th.
  const auto& pop = r.methods[0];
  CHECK(pop.hitRate(10) == Approx(1.0));
  CHECK(pop.mrr(10) == Approx((1 + 1.0 / 2 + 1.0 / 4) / 3));
  CHECK(pop.mrr(20) == Approx(pop.mrr(10)));
  // Co-occurrence with the last item (AB 2, AC 1, AD 1, AE 1, BC 2, BD 1, DE 1; ties by popularity):
  //   after A: B C D E -> 1st; after B: A(2, popularity 3) C(2, popularity 2) D -> C 2nd; after E: A D -> D 2nd.
  const auto& cooc = r.methods[1];
  CHECK(cooc.name == "co-occurrence with the last item");
  CHECK(cooc.hitRate(20) == Approx(1.0));
  CHECK(cooc.mrr(20) == Approx((1 + 1.0 / 2 + 1.0 / 2) / 3));
  // Viewed-next rules: A -> B (2) C (0.5) D (0.5); B -> C (2) D (1); E -> A (1) D (1), tied, A first by id:
  //   B 1st, C 1st, D 2nd.
  const auto& rules = r.methods[2];
  CHECK(rules.mrr(10) == Approx((1 + 1 + 1.0 / 2) / 3));
  // CartKeep ranks the same evidence: every target within 20.
  CHECK(r.methods[3].hitRate(20) == Approx(1.0));
  CHECK(r.methods[3].mrr(20) >= cooc.mrr(20));
  CHECK_THAT(formatNextEventReport(r), Catch::Contains("MRR@20"));
  std::remove(path.c_str());
}

TEST_CASE("RankedResult counts a rank within 10 for both cutoffs and one from 11 to 20 only for 20", "[suggest-index][eval]") {
  RankedResult m;
  m.record(1);
  m.record(4);
  m.record(15);
  m.record(0);
  CHECK(m.hitRate(10) == Approx(0.5));
  CHECK(m.hitRate(20) == Approx(0.75));
  CHECK(m.mrr(10) == Approx((1 + 0.25) / 4));
  CHECK(m.mrr(20) == Approx((1 + 0.25 + 1.0 / 15) / 4));
}
