// Whole options documents, catalog included, as a merchant's page would pass them to init().
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cartkeep/engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cartkeep::Engine engine;
  auto result = engine.init(std::string_view(reinterpret_cast<const char*>(data), size));
  if (result.ok()) {
    (void)engine.cart();
    (void)engine.products();
  } else {
    (void)result.error().describe();
  }
  return 0;
}
