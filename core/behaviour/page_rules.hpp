#pragma once
// Which kind of page a path is (home, category, product, cart, checkout, confirmation, other): the merchant's
// options.behaviour.pages patterns first, then the built-in names. Shared by behaviour and the event stream.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "behaviour/dwell.hpp"

namespace cartkeep {

struct PageRules {
  // Path patterns per page type: "/cart" matches "/cart", "/cart/", "/cart.html", "/cart?x";
  // a pattern ending in "*" matches any path with that prefix. Checked before the built-in names
  // (a last path segment named cart, basket, bag, checkout, product, products, item, thank-you, ...).
  std::vector<std::pair<PageType, std::string>> patterns;
  std::string productParam = "id";  // the query parameter the sensors read a product id from
};

PageType classifyPage(const PageRules& rules, std::string_view path, std::string_view declared);

}  // namespace cartkeep
