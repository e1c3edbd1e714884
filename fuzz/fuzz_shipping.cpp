// Merchant shipping rules (zones, postcodes, methods, rate tiers) as options, then a quote to several destinations.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string rules(reinterpret_cast<const char*>(data), size);
  cartkeep::Engine engine;
  if (!cartkeep::fuzz::initEngine(engine, "\"shipping\":" + rules)) return 0;
  (void)engine.cartAdd("mug", 3);
  (void)engine.cartAdd("lamp", 1);
  for (const char* request : {R"({})", R"({"destination":{"country":"GB","postcode":"IV2 3AB"}})",
                              R"({"destination":{"country":"FR"},"shippingMethod":"express"})",
                              R"({"destination":{"country":"ZZ","region":"x"}})"}) {
    (void)engine.quote(request);
  }
  return 0;
}
