// A stored cart snapshot as read back from localStorage / another tab: restore, merge, save again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  constexpr double kNow = 1710000000000;
  cartkeep::Engine restoring;
  cartkeep::fuzz::requireInit(cartkeep::fuzz::initEngine(restoring));
  (void)restoring.persistRestore(text, kNow, "tabA");
  (void)restoring.persistSave(text, kNow + 1);

  cartkeep::Engine merging;
  cartkeep::fuzz::requireInit(cartkeep::fuzz::initEngine(merging));
  (void)merging.persistRestore("", kNow, "tabB");
  (void)merging.cartAdd("mug", 2);
  (void)merging.persistMerge(text, kNow + 2);
  (void)merging.cart();
  return 0;
}
