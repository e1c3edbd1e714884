// Embind surface for the Engine lifecycle, catalog and cart. Other features bind in their own files.
#include <emscripten/bind.h>

#include "bound_result.hpp"
#include "cartkeep/engine.hpp"

namespace cartkeep::bindings {
namespace {

BoundResult initBegin(Engine& engine, const std::string& optionsJson) { return toBound(engine.initBegin(optionsJson)); }
BoundResult initProducts(Engine& engine, const std::string& productsJson) {
  return toBound(engine.initProducts(productsJson));
}
// true while parts of the options are left to read.
BoundResult initStep(Engine& engine) { return toBound(engine.initStep()); }
BoundResult initFinish(Engine& engine) { return toBound(engine.initFinish()); }
BoundResult options(const Engine& engine) { return toBound(engine.options()); }
BoundResult product(const Engine& engine, const std::string& id) { return toBound(engine.product(id)); }
BoundResult products(const Engine& engine) { return toBound(engine.products()); }
BoundResult cart(const Engine& engine) { return toBound(engine.cart()); }
// The quantity arrives as the JSON text of what the page passed, so the core's one quantity rule judges it
// (text that is not JSON reaches it as a discarded value, which the rule refuses).
BoundResult cartAdd(Engine& engine, const std::string& id, const std::string& quantityJson) {
  return toBound(engine.cartAdd(id, nlohmann::json::parse(quantityJson, nullptr, false)));
}
BoundResult cartSetQuantity(Engine& engine, const std::string& id, const std::string& quantityJson) {
  return toBound(engine.cartSetQuantity(id, nlohmann::json::parse(quantityJson, nullptr, false)));
}
BoundResult cartRemove(Engine& engine, const std::string& id) { return toBound(engine.cartRemove(id)); }
BoundResult cartClear(Engine& engine) { return toBound(engine.cartClear()); }

}  // namespace
}  // namespace cartkeep::bindings

EMSCRIPTEN_BINDINGS(cartkeep_engine) {
  using namespace emscripten;
  using namespace cartkeep::bindings;
  value_object<BoundResult>("BoundResult")
      .field("ok", &BoundResult::ok)
      .field("code", &BoundResult::code)
      .field("path", &BoundResult::path)
      .field("message", &BoundResult::message)
      .field("json", &BoundResult::json);
  class_<cartkeep::Engine>("Engine").constructor<>();
  function("initBegin", &initBegin);
  function("initProducts", &initProducts);
  function("initStep", &initStep);
  function("initFinish", &initFinish);
  function("options", &options);
  function("product", &product);
  function("products", &products);
  function("cart", &cart);
  function("cartAdd", &cartAdd);
  function("cartSetQuantity", &cartSetQuantity);
  function("cartRemove", &cartRemove);
  function("cartClear", &cartClear);
}
