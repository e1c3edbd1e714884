// A suggestion index as fetched by the browser (binary, versioned), loaded and then used for every placement.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "fuzz_engine.hpp"

namespace {

// The seed index (tests/fixtures/suggest/tiny-index.bin) fingerprints this catalog's ids: with the same catalog
// mutated indexes get past the fingerprint check and reach the ranking.
const std::string& catalogOption() {
  static const std::string option = [] {
    std::ifstream file(CARTKEEP_SOURCE_DIR "/tests/fixtures/suggest/tiny-catalog.json");
    std::stringstream text;
    text << file.rdbuf();
    return "\"catalog\":" + text.str();
  }();
  return option;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  cartkeep::Engine engine;
  cartkeep::fuzz::requireInit(engine.init("{\"currency\":\"GBP\"," + catalogOption() + "}").ok());
  (void)engine.cartAdd("85123A", 1);
  if (!engine.suggestLoadIndex(bytes).ok()) return 0;
  (void)engine.suggestTrack(R"({"type":"view","productId":"71053","dwellMs":4000,"at":1710000000000})");
  for (const char* request : {R"({"placement":"bought-together","productId":"85123A","limit":4})",
                              R"({"placement":"complete-order"})", R"({"placement":"free-shipping"})",
                              R"({"placement":"picked-for-you","limit":10})", R"({"placement":"recently-viewed"})"}) {
    (void)engine.suggest(request);
  }
  return 0;
}
