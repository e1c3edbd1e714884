// A `?cartkeep=` value from a URL (checksummed form or Shopify-style ID:QTY), applied to a live cart.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view value(reinterpret_cast<const char*>(data), size);
  cartkeep::Engine engine;
  cartkeep::fuzz::requireInit(cartkeep::fuzz::initEngine(engine));
  (void)engine.persistRestore("", 1710000000000, "tabA");
  (void)engine.cartAdd("lantern", 1);
  (void)engine.resumeLinkApply(value, 1710000000000);
  (void)engine.resumeLink("{}");
  (void)engine.cart();
  return 0;
}
