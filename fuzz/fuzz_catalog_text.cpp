// A catalog slice's text read both ways: straight from the text (Catalog::appendText) and as a JSON tree
// (Catalog::append). They must agree on every input: the same products, or the same error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "store/catalog.hpp"
#include "base/json_fields.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  cartkeep::Catalog direct;
  const cartkeep::Status viaText = direct.appendText(text, "GBP");
  cartkeep::Catalog tree;
  auto parsed = cartkeep::json_fields::parse(text, "catalog");
  const cartkeep::Status viaTree = parsed ? tree.append(parsed.value(), "GBP") : cartkeep::Status(parsed.error());
  if (viaText.ok() != viaTree.ok()) std::abort();
  if (!viaText.ok()) {
    const auto& a = viaText.error();
    const auto& b = viaTree.error();
    if (a.code != b.code || a.path != b.path || a.message != b.message) std::abort();
    return 0;
  }
  if (direct.size() != tree.size()) std::abort();
  for (std::size_t i = 0; i < direct.size(); ++i)
    if (toJson(direct.products()[i]) != toJson(tree.products()[i])) std::abort();
  return 0;
}
