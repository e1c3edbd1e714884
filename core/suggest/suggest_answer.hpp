#pragma once
// A suggest() answer as the core computes it, written as JSON text in one pass (no json tree): the page
// receives {gap?, issues, items: [{category, image, position, price, productId, reason, score, stock, title,
// url, viewedAt?}], placement, source, title}, members in nlohmann's order.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/catalog.hpp"

namespace cartkeep {

struct SuggestReason {
  const char* code = "";                     // "bought-together", "viewed", "popular", ...; the message key is
                                             // "suggest.reason.<code>"
  std::string text;                          // options.strings' text, {title} filled in
  const std::string* productId = nullptr;    // the anchor product named, or null
  const std::string* messageTitle = nullptr;  // the anchor's title in the message's values, or none
};

struct SuggestItem {
  const Product* product = nullptr;
  std::size_t position = 0;  // 1-based
  std::optional<double> score;             // null: pinned without a score, recently viewed
  std::optional<std::int64_t> viewedAt;    // recently viewed only
  SuggestReason reason;
};

struct SuggestAnswer {
  const char* placement = "";
  const char* source = "";
  std::string title;
  std::optional<std::int64_t> gap;
  nlohmann::json issues = nlohmann::json::array();
  std::vector<SuggestItem> items;

  // The JSON text, byte for byte what dump(-1, ' ', false, replace) of the same value as a json tree writes.
  std::string text() const;
};

}  // namespace cartkeep
