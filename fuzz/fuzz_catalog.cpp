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
  const auto& products = engine.catalog().products();
  if (products.empty()) return 0;
  for (std::size_t i = 0; i < 8; ++i) {
    const std::string& id = products[data[i] % products.size()].id;
    const double quantity = static_cast<double>(data[i] >> 2) - 8.0;
    switch (data[i] & 3) {
      case 0: (void)engine.cartAdd(id, quantity); break;
      case 1: (void)engine.cartSetQuantity(id, quantity); break;
      case 2: (void)engine.cartRemove(id); break;
      default: (void)engine.cartClear(); break;
    }
  }
  (void)engine.cart();
  return 0;
}
