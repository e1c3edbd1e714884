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
// One shopper action on the cart ({type, productId, quantity, at, pageMs, ...}): see Engine::cartAction.
BoundResult cartAction(Engine& engine, const std::string& actionJson) { return toBound(engine.cartAction(actionJson)); }
// The widgets' standing views ({kind, request} under a key): see Engine::viewRegister.
BoundResult viewRegister(Engine& engine, const std::string& key, const std::string& specJson, const std::string& clocksJson) {
  return toBound(engine.viewRegister(key, specJson, clocksJson));
}
BoundResult viewUnregister(Engine& engine, const std::string& key) { return toBound(engine.viewUnregister(key)); }
BoundResult viewsRefresh(Engine& engine, const std::string& clocksJson) { return toBound(engine.viewsRefresh(clocksJson)); }

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
  function("cartAction", &cartAction);
  function("viewRegister", &viewRegister);
  function("viewUnregister", &viewUnregister);
  function("viewsRefresh", &viewsRefresh);
}
