// A catalog array followed by cart operations driven by the remaining bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cartkeep/engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The first 8 bytes choose operations; the rest is the catalog text.
  if (size < 8) return 0;
  std::string options = R"({"currency":"GBP","cart":{"maxLines":5,"maxQuantityPerLine":50},"catalog":)";
  options.append(reinterpret_cast<const char*>(data) + 8, size - 8);
  options += "}";
  cartkeep::Engine engine;
  if (!engine.init(options).ok()) return 0;
  auto listed = engine.products();
  if (!listed.ok() || listed.value().empty()) return 0;
  const nlohmann::json& products = listed.value();
  static const char* const kTypes[] = {"add", "set-quantity", "remove", "clear"};
  for (std::size_t i = 0; i < 8; ++i) {
    // The page's one entry for a shopper's cart action, with the quantity as a (possibly bad) number.
    nlohmann::json action = {{"type", kTypes[data[i] & 3]},
                             {"productId", products[data[i] % products.size()]["id"]},
                             {"quantity", static_cast<double>(data[i] >> 2) - 8.0},
                             {"at", 1733140800000 + static_cast<std::int64_t>(i)},
                             {"pageMs", static_cast<double>(i)}};
    (void)engine.cartAction(action.dump());
  }
  (void)engine.cart();
  return 0;
}
