// Page classification: a path (and the type a page declares) to a page type, by the merchant's patterns first.
#include "behaviour/page_rules.hpp"

namespace cartkeep {

namespace {

bool boundaryAfter(std::string_view path, std::size_t at) {
  return at == path.size() || path[at] == '/' || path[at] == '.' || path[at] == '?' || path[at] == '#';
}

}  // namespace

PageType classifyPage(const PageRules& rules, std::string_view path, std::string_view declared) {
  PageType type = PageType::Other;
  if (!declared.empty() && parsePageType(declared, type)) return type;
  std::string_view clean = path.substr(0, path.find_first_of("?#"));
  for (const auto& [candidate, pattern] : rules.patterns) {
    if (!pattern.empty() && pattern.back() == '*') {
      if (clean.substr(0, pattern.size() - 1) == std::string_view(pattern).substr(0, pattern.size() - 1)) return candidate;
    } else if (pattern == "/") {
      if (clean == "/" || clean.empty()) return candidate;
    } else if (clean.substr(0, pattern.size()) == pattern && boundaryAfter(clean, pattern.size())) {
      return candidate;
    }
  }
  // Built-in names: the last non-empty segment without its extension.
  std::string_view trimmed = clean;
  while (!trimmed.empty() && trimmed.back() == '/') trimmed.remove_suffix(1);
  std::string_view segment = trimmed.substr(trimmed.find_last_of('/') == std::string_view::npos ? 0 : trimmed.find_last_of('/') + 1);
  // /product/mug: the segment before the last names the page type.
  std::string_view parent;
  if (auto slash = trimmed.find_last_of('/'); slash != std::string_view::npos && slash > 0) {
    std::string_view head = trimmed.substr(0, slash);
    parent = head.substr(head.find_last_of('/') + 1);
  }
  segment = segment.substr(0, segment.find('.'));
  auto is = [](std::string_view s, std::initializer_list<const char*> names) {
    for (const char* n : names)
      if (s == n) return true;
    return false;
  };
  if (segment.empty() || is(segment, {"index", "home"})) return PageType::Home;
  if (is(segment, {"cart", "basket", "bag"})) return PageType::Cart;
  if (is(segment, {"checkout"}) || is(parent, {"checkout"})) return PageType::Checkout;
  if (is(segment, {"thank-you", "thanks", "order-complete", "confirmation", "order-confirmation", "order-received"}))
    return PageType::Confirmation;
  if (is(segment, {"product", "item"}) || is(parent, {"product", "products", "p", "item", "items"})) return PageType::Product;
  if (is(segment, {"category", "collection", "shop", "catalog", "search"}) ||
      is(parent, {"category", "categories", "collections", "c"}))
    return PageType::Category;
  return PageType::Other;
}

}  // namespace cartkeep
