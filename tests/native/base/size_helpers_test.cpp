// The helpers that keep the wasm small must give exactly what the library code they replace gave.
#include <algorithm>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"
#include "base/json_build.hpp"
#include "base/stable_sort.hpp"

using nlohmann::json;

TEST_CASE("stableSort orders like std::stable_sort, ties kept in input order") {
  std::mt19937 random(7);
  for (std::size_t n : {0u, 1u, 2u, 7u, 8u, 9u, 16u, 17u, 63u, 200u, 1001u}) {
    std::vector<std::pair<int, std::size_t>> items;  // key with few distinct values, then input position
    for (std::size_t i = 0; i < n; ++i) items.emplace_back(static_cast<int>(random() % 5), i);
    auto expected = items;
    auto byKey = [](const auto& a, const auto& b) { return a.first < b.first; };
    std::stable_sort(expected.begin(), expected.end(), byKey);
    auto sorted = items;
    cartkeep::stableSort(sorted, byKey);
    CHECK(sorted == expected);
    std::deque<std::pair<int, std::size_t>> queue(items.begin(), items.end());
    cartkeep::stableSort(queue, byKey);
    CHECK(std::equal(queue.begin(), queue.end(), expected.begin(), expected.end()));
  }
}

TEST_CASE("stableSort moves elements that cannot be copied") {
  std::vector<std::unique_ptr<int>> items;
  for (int v : {3, 1, 2, 1}) items.push_back(std::make_unique<int>(v));
  const int* firstOne = items[1].get();
  cartkeep::stableSort(items, [](const auto& a, const auto& b) { return *a < *b; });
  REQUIRE(*items[0] == 1);
  CHECK(items[0].get() == firstOne);
  CHECK(*items[1] == 1);
  CHECK(*items[2] == 2);
  CHECK(*items[3] == 3);
}

TEST_CASE("jsonObject builds what nlohmann's object initializer list builds") {
  const std::string text = "caf\xc3\xa9";
  const json nested = json::array({1, 2});
  CHECK(cartkeep::jsonObject({{"a", 1}, {"b", text}, {"c", nullptr}, {"d", true}, {"e", 2.5}, {"f", nested},
                              {"g", cartkeep::jsonObject({{"x", -3}})}, {"h", json::object()}, {"i", {1, 2, 3}}}) ==
        json{{"a", 1}, {"b", text}, {"c", nullptr}, {"d", true}, {"e", 2.5}, {"f", nested},
             {"g", {{"x", -3}}}, {"h", json::object()}, {"i", {1, 2, 3}}});
  CHECK(cartkeep::jsonObject({}) == json::object());
  // Of two equal keys the first wins, as with the initializer list.
  CHECK(cartkeep::jsonObject({{"k", 1}, {"k", 2}}) == json{{"k", 1}, {"k", 2}});
  CHECK(cartkeep::jsonObject({{"k", 1}, {"k", 2}})["k"] == 1);
  CHECK(cartkeep::jsonObject({{"b", 1}, {"a", 2}}).dump() == R"({"a":2,"b":1})");
}

TEST_CASE("Result keeps a value or an error through copies, moves and assignment") {
  using cartkeep::Error;
  using cartkeep::ErrorCode;
  using cartkeep::Result;
  Result<std::string> value(std::string(40, 'v'));
  Result<std::string> error(Error{ErrorCode::InvalidArgument, "path", "message"});
  REQUIRE(value.ok());
  REQUIRE_FALSE(error);
  Result<std::string> copy = value;
  CHECK(copy.value() == std::string(40, 'v'));
  Result<std::string> errorCopy = error;
  CHECK(errorCopy.error().path == "path");
  copy = error;
  REQUIRE_FALSE(copy.ok());
  CHECK(copy.error().message == "message");
  copy = value;
  REQUIRE(copy.ok());
  CHECK(copy.value() == std::string(40, 'v'));
  Result<std::string> moved = std::move(copy);
  CHECK(moved.value() == std::string(40, 'v'));
  Error taken = std::move(errorCopy).error();
  CHECK(taken.code == ErrorCode::InvalidArgument);
  CHECK(taken.path == "path");
  std::string owned = std::move(moved).value();
  CHECK(owned == std::string(40, 'v'));
}
